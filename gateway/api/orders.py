"""The sellers' order API (/api/admin/orders...): the order list and its tabs, one order and
what a seller does to it (sections, deposits, cancel, notes), seller-created orders, settings."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field, StrictInt

from contracts.orders.requests import ListFilter, ListRequest, OrderMenu, ShopSettings
from contracts.orders.responses import ListCounts, ListPageOut, OrderOut, OrderPage, StatusCounts
from contracts.orders.v1 import ItemQty, SectionStatus
from gateway.auth import User
from gateway.clients import ServiceError, forwarded
from gateway.deps import AccountsDep, GatewayDep, SellerDep, ServicesDep
from gateway.ids import PathId
from gateway.orders import SellerOrder, actor_of


class Members(BaseModel):
    """The shop's member buyers."""

    members: list[User]


class SectionMove(BaseModel):
    to_status: SectionStatus
    carrier: str = Field(default="", max_length=40)
    invoice_no: str = Field(default="", max_length=40)


class PayPalTrackingIn(BaseModel):
    """배송정보 연동: the shop's PayPal REST app, which the tracking push calls with. An empty
    secret keeps the one stored."""

    client_id: str = Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_.-]+$")
    client_secret: str = Field(default="", max_length=200)
    env: Literal["live", "sandbox"] = "live"


class PayPalTracking(BaseModel):
    """The stored 배송정보 연동 settings (never the secret) and the pushes waiting for them."""

    model_config = ConfigDict(extra="allow")

    configured: bool
    client_id: str = ""
    env: str = "live"
    secret_set: bool = False
    waiting: int = 0


class Note(BaseModel):
    text: str = Field(min_length=1, max_length=1000)


class RefundByHandBody(BaseModel):
    bank: str = Field(min_length=1, max_length=40)
    account: str = Field(min_length=1, max_length=40)
    holder: str = Field(default="", max_length=50)
    note: str = Field(default="", max_length=200)


REFUSED_PAYMENT_ID = r"^RP\d{1,6}$"


class SplitBody(BaseModel):
    items: list[ItemQty] = Field(min_length=1, max_length=200)


class ShipBody(BaseModel):
    carrier: str = Field(default="", max_length=40)
    invoice_no: str = Field(default="", max_length=40)


class InvoiceChangeBody(BaseModel):
    """송장 변경 of a SHIPPING section: the new carrier (one of the carriers) and invoice number."""

    carrier: str = Field(default="", max_length=40)
    invoice_no: str = Field(default="", max_length=40)
    expected_version: StrictInt | None = Field(default=None, ge=0, le=1_000_000_000)


class MergeBody(BaseModel):
    section_ids: list[str] = Field(min_length=2, max_length=200)


router = APIRouter(prefix="/api")


@router.get("/admin/orders", tags=["admin"], response_model=OrderPage)
async def admin_orders(services: ServicesDep, _: SellerDep, status: SectionStatus | None = None,
                       before: str | None = None) -> Any:
    params = {k: v for k, v in {"status": status, "before": before}.items() if v}
    return await services.orders.get("/orders", params=params)


@router.get("/admin/orders/counts", tags=["admin"], response_model=StatusCounts)
async def admin_counts(services: ServicesDep, _: SellerDep) -> Any:
    return await services.orders.get("/orders/counts")


@router.post("/admin/orders", status_code=201, tags=["admin"], response_model=OrderOut)
async def create_order(gw: GatewayDep, accounts: AccountsDep, body: SellerOrder, user: SellerDep) -> Any:
    buyer = await accounts.get(body.member_id)
    if buyer is None or buyer.role != "buyer":
        raise ServiceError(404, "not_found", "member {id} not found", key="member_not_found",
                           id=body.member_id)
    return await gw.create_for_buyer(body, buyer, user)


@router.get("/admin/members", tags=["admin"], response_model=Members)
async def members(accounts: AccountsDep, _: SellerDep) -> Any:
    return {"members": [b.model_dump() for b in await accounts.buyers()]}


@router.post("/admin/orders/list", tags=["admin"], response_model=ListPageOut)
async def order_list(services: ServicesDep, body: ListRequest, _: SellerDep) -> Any:
    return await services.orders.post("/list", forwarded(body))


@router.post("/admin/orders/list/counts", tags=["admin"], response_model=ListCounts)
async def order_list_counts(services: ServicesDep, body: dict[str, ListFilter],
                            _: SellerDep) -> Any:
    return await services.orders.post("/list/counts",
                                      {key: forwarded(f) for key, f in body.items()})


@router.get("/admin/order-menu", tags=["admin"], response_model=OrderMenu)
async def get_menu(services: ServicesDep, user: SellerDep) -> Any:
    return await services.orders.get(f"/views/{user.user_id}")


@router.put("/admin/order-menu", tags=["admin"], response_model=OrderMenu)
async def put_menu(services: ServicesDep, body: OrderMenu, user: SellerDep) -> Any:
    return await services.orders.put(f"/views/{user.user_id}", forwarded(body))


@router.post("/admin/orders/{order_id}/sections/{section_id}/split", tags=["admin"],
             response_model=OrderOut)
async def split(services: ServicesDep, order_id: PathId, section_id: PathId, body: SplitBody, user: SellerDep) -> Any:
    return await services.orders.post(f"/orders/{order_id}/sections/{section_id}/split",
                               {**body.model_dump(), "actor": actor_of(user).model_dump()})


@router.post("/admin/orders/{order_id}/sections/{section_id}/ship", tags=["admin"],
             response_model=OrderOut)
async def ship(services: ServicesDep, order_id: PathId, section_id: PathId, body: ShipBody, user: SellerDep) -> Any:
    return await services.orders.post(f"/orders/{order_id}/sections/{section_id}/ship",
                               {**body.model_dump(), "actor": actor_of(user).model_dump()})


@router.post("/admin/orders/{order_id}/merge", tags=["admin"], response_model=OrderOut)
async def merge(services: ServicesDep, order_id: PathId, body: MergeBody, user: SellerDep) -> Any:
    return await services.orders.post(f"/orders/{order_id}/merge",
                               {**body.model_dump(), "actor": actor_of(user).model_dump()})


@router.get("/admin/orders/{order_id}", tags=["admin"], response_model=OrderOut)
async def admin_order(services: ServicesDep, order_id: PathId, _: SellerDep) -> Any:
    return await services.orders.get(f"/orders/{order_id}")


@router.post("/admin/orders/{order_id}/sections/{section_id}/status", tags=["admin"],
             response_model=OrderOut)
async def move(services: ServicesDep, order_id: PathId, section_id: PathId, body: SectionMove, user: SellerDep) -> Any:
    return await services.orders.post(f"/orders/{order_id}/sections/{section_id}/status",
                               {**body.model_dump(), "actor": actor_of(user).model_dump()})


@router.post("/admin/orders/{order_id}/sections/{section_id}/invoice", tags=["admin"],
             response_model=OrderOut)
async def change_invoice(services: ServicesDep, order_id: PathId, section_id: PathId,
                         body: InvoiceChangeBody, user: SellerDep) -> Any:
    """송장 변경: correct the carrier and invoice number of a SHIPPING section (409
    `invoice_change_not_shipping` in any other status, `invoice_unchanged` for the same ones;
    400 naming `carrier` or `invoice_no` when one is missing or malformed)."""
    return await services.orders.post(f"/orders/{order_id}/sections/{section_id}/invoice",
                               {**body.model_dump(), "actor": actor_of(user).model_dump()})


@router.post("/admin/orders/{order_id}/deposit-confirmed", tags=["admin"], response_model=OrderOut)
async def deposit(services: ServicesDep, order_id: PathId, user: SellerDep) -> Any:
    return await services.orders.post(f"/orders/{order_id}/deposit-confirmed",
                               {"actor": actor_of(user).model_dump()})


@router.post("/admin/orders/{order_id}/refused-payments/{payment_id}/refunded-by-hand",
              tags=["admin"], response_model=OrderOut)
async def refused_payment_refunded(services: ServicesDep, order_id: str, body: RefundByHandBody, user: SellerDep,
                                   payment_id: str = Path(pattern=REFUSED_PAYMENT_ID),
                                   ) -> Any:
    """A payment the order refused (e.g. a deposit after the deadline) was given back by
    hand to the payer's account."""
    return await services.orders.post(
        f"/orders/{order_id}/refused-payments/{payment_id}/refunded-by-hand",
        {**body.model_dump(), "actor": actor_of(user).model_dump()})


@router.post("/admin/orders/{order_id}/cancel", tags=["admin"], response_model=OrderOut)
async def admin_cancel(services: ServicesDep, order_id: PathId, user: SellerDep) -> Any:
    return await services.orders.post(f"/orders/{order_id}/cancel",
                               {"actor": actor_of(user).model_dump(), "reason": "판매자 취소"})


@router.post("/admin/orders/{order_id}/notes", tags=["admin"], response_model=OrderOut)
async def note(services: ServicesDep, order_id: PathId, body: Note, user: SellerDep) -> Any:
    return await services.orders.post(f"/orders/{order_id}/notes",
                               {"text": body.text, "actor": actor_of(user).model_dump()})


@router.get("/admin/settings", tags=["admin"], response_model=ShopSettings)
async def get_settings(services: ServicesDep, _: SellerDep) -> Any:
    return await services.orders.get("/settings")


@router.put("/admin/settings", tags=["admin"], response_model=ShopSettings)
async def put_settings(services: ServicesDep, body: ShopSettings, _: SellerDep) -> Any:
    return await services.orders.put("/settings", forwarded(body))


@router.get("/admin/paypal-tracking", tags=["admin"], response_model=PayPalTracking)
async def get_paypal_tracking(services: ServicesDep, _: SellerDep) -> Any:
    """배송정보 연동 (PayPal): whether it is set; the secret is never answered."""
    return await services.integrations.get("/paypal/tracking-settings")


@router.put("/admin/paypal-tracking", tags=["admin"], response_model=PayPalTracking)
async def put_paypal_tracking(services: ServicesDep, body: PayPalTrackingIn,
                              _: SellerDep) -> Any:
    """Store the shop's PayPal REST credentials; tracking pushes waiting for them are sent."""
    return await services.integrations.put("/paypal/tracking-settings", forwarded(body))
