"""The JSON API (OpenAPI at /docs): buyers under /api, sellers under /api/admin."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Header, Path, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

from contracts.orders.v1 import ItemQty, SectionStatus
from gateway import spreadsheets
from gateway.auth import Accounts, Login, client_address, sign_in, sign_out
from gateway.clients import ServiceError
from gateway.deps import AccountsDep, BuyerDep, GatewayDep, MaybeUserDep, SellerDep, ServicesDep
from gateway.ids import PathId
from gateway.orders import Checkout, SellerOrder, actor_of


class SectionMove(BaseModel):
    to_status: SectionStatus
    carrier: str = Field(default="", max_length=40)
    invoice_no: str = Field(default="", max_length=40)


class Note(BaseModel):
    text: str = Field(min_length=1, max_length=1000)


class RefundByHandBody(BaseModel):
    bank: str = Field(min_length=1, max_length=40)
    account: str = Field(min_length=1, max_length=40)
    holder: str = Field(default="", max_length=50)
    note: str = Field(default="", max_length=200)


REFUSED_PAYMENT_ID = r"^RP\d{1,6}$"


class PayRequest(BaseModel):
    method: Literal["CARD", "BANK_TRANSFER"]


class SplitBody(BaseModel):
    items: list[ItemQty] = Field(min_length=1, max_length=200)


class ShipBody(BaseModel):
    carrier: str = Field(default="", max_length=40)
    invoice_no: str = Field(default="", max_length=40)


class MergeBody(BaseModel):
    section_ids: list[str] = Field(min_length=2, max_length=200)


class GuestLookup(BaseModel):
    order_no: str = Field(min_length=1, max_length=40)
    phone: str = Field(min_length=9, max_length=20)
    password: str = Field(min_length=1, max_length=100)


def guest_orders(request: Request) -> list[str]:
    return list(request.session.get("guest_orders", []))


def remember_guest_order(request: Request, order_id: str) -> None:
    request.session["guest_orders"] = [*guest_orders(request), order_id][-20:]


router = APIRouter(prefix="/api")

async def login(accounts: Accounts, request: Request, body: Login, role: str) -> dict[str, Any]:
    user = await accounts.verify(body.user_id, body.password, role, client_address(request))
    if user is None:
        raise ServiceError(401, "bad_credentials", "wrong id or password")
    await sign_in(accounts, request, user)
    return {"user": user.model_dump()}


@router.post("/auth/login", tags=["auth"])
async def buyer_login(accounts: AccountsDep, request: Request, body: Login) -> dict[str, Any]:
    return await login(accounts, request, body, "buyer")


@router.post("/auth/admin-login", tags=["auth"])
async def seller_login(accounts: AccountsDep, request: Request, body: Login) -> dict[str, Any]:
    return await login(accounts, request, body, "seller")


@router.post("/auth/logout", tags=["auth"])
async def logout(accounts: AccountsDep, request: Request) -> dict[str, bool]:
    await sign_out(accounts, request)
    return {"ok": True}


@router.get("/products", tags=["storefront"])
async def products(services: ServicesDep) -> Any:
    return await services.inventory.get("/products")


@router.get("/products/{product_id}", tags=["storefront"])
async def product(services: ServicesDep, product_id: PathId) -> Any:
    return await services.inventory.get(f"/products/{product_id}")


@router.post("/orders", status_code=201, tags=["storefront"])
async def place(gw: GatewayDep, request: Request, checkout: Checkout, user: MaybeUserDep,
                idempotency_key: str = Header(default="", max_length=100)) -> dict[str, Any]:
    placed = await gw.place(checkout, user,
                            f"{gw.settings.public_url}/orders/{{order_id}}/complete",
                            idempotency_key)
    if user is None:
        remember_guest_order(request, placed["order"]["order_id"])
    return placed


@router.post("/guest/lookup", tags=["storefront"])
async def guest_lookup(gw: GatewayDep, accounts: AccountsDep, request: Request, body: GuestLookup) -> dict[str, str]:
    order_id = await gw.guest_lookup(body.order_no, body.phone, body.password, accounts,
                                     client_address(request))
    remember_guest_order(request, order_id)
    return {"order_id": order_id}


@router.get("/me/orders", tags=["my page"])
async def my_orders(services: ServicesDep, user: BuyerDep) -> Any:
    return await services.orders.get("/orders", params={"member_id": user.user_id})


@router.get("/me/orders/{order_id}", tags=["my page"])
async def my_order(gw: GatewayDep, request: Request, order_id: PathId, user: MaybeUserDep) -> Any:
    return await gw.for_buyer(order_id, user, guest_orders(request))


@router.post("/me/orders/{order_id}/confirm-purchase", tags=["my page"])
async def confirm(gw: GatewayDep, services: ServicesDep, request: Request, order_id: PathId, user: MaybeUserDep) -> Any:
    order = await gw.for_buyer(order_id, user, guest_orders(request))
    return await services.orders.post(f"/orders/{order_id}/confirm-purchase",
                               {"actor": actor_of(user, order["buyer"]["name"]).model_dump()})


@router.post("/me/orders/{order_id}/cancel", tags=["my page"])
async def cancel(gw: GatewayDep, services: ServicesDep, request: Request, order_id: PathId, user: MaybeUserDep) -> Any:
    order = await gw.for_buyer(order_id, user, guest_orders(request))
    return await services.orders.post(f"/orders/{order_id}/cancel", {
        "actor": actor_of(user, order["buyer"]["name"]).model_dump(), "reason": "구매자 취소"})


@router.post("/me/orders/{order_id}/pay", tags=["my page"])
async def pay(gw: GatewayDep, request: Request, order_id: PathId, body: PayRequest, user: MaybeUserDep) -> Any:
    order = await gw.for_buyer(order_id, user, guest_orders(request))
    return await gw.start_payment(order, body.method,
                                  f"{gw.settings.public_url}/orders/{order_id}/complete")


@router.get("/me/points", tags=["my page"])
async def my_points(services: ServicesDep, user: BuyerDep) -> Any:
    return await services.coupons.get(f"/members/{user.user_id}/points")


@router.get("/admin/orders", tags=["admin"])
async def admin_orders(services: ServicesDep, _: SellerDep, status: SectionStatus | None = None,
                       before: str | None = None) -> Any:
    params = {k: v for k, v in {"status": status, "before": before}.items() if v}
    return await services.orders.get("/orders", params=params)


@router.get("/admin/orders/counts", tags=["admin"])
async def admin_counts(services: ServicesDep, _: SellerDep) -> Any:
    return await services.orders.get("/orders/counts")


@router.post("/admin/orders", status_code=201, tags=["admin"])
async def create_order(gw: GatewayDep, accounts: AccountsDep, body: SellerOrder, user: SellerDep) -> Any:
    buyer = await accounts.get(body.member_id)
    if buyer is None or buyer.role != "buyer":
        raise ServiceError(404, "not_found", f"member {body.member_id} not found")
    return await gw.create_for_buyer(body, buyer, user)


@router.get("/admin/members", tags=["admin"])
async def members(accounts: AccountsDep, _: SellerDep) -> Any:
    return {"members": [b.model_dump() for b in await accounts.buyers()]}


@router.post("/admin/orders/list", tags=["admin"])
async def order_list(services: ServicesDep, body: dict[str, Any], _: SellerDep) -> Any:
    return await services.orders.post("/list", body)


@router.post("/admin/orders/list/counts", tags=["admin"])
async def order_list_counts(services: ServicesDep, body: dict[str, Any], _: SellerDep) -> Any:
    return await services.orders.post("/list/counts", body)


@router.get("/admin/order-menu", tags=["admin"])
async def get_menu(services: ServicesDep, user: SellerDep) -> Any:
    return await services.orders.get(f"/views/{user.user_id}")


@router.put("/admin/order-menu", tags=["admin"])
async def put_menu(services: ServicesDep, body: dict[str, Any], user: SellerDep) -> Any:
    return await services.orders.put(f"/views/{user.user_id}", body)


@router.post("/admin/orders/{order_id}/sections/{section_id}/split", tags=["admin"])
async def split(services: ServicesDep, order_id: PathId, section_id: PathId, body: SplitBody, user: SellerDep) -> Any:
    return await services.orders.post(f"/orders/{order_id}/sections/{section_id}/split",
                               {**body.model_dump(), "actor": actor_of(user).model_dump()})


@router.post("/admin/orders/{order_id}/sections/{section_id}/ship", tags=["admin"])
async def ship(services: ServicesDep, order_id: PathId, section_id: PathId, body: ShipBody, user: SellerDep) -> Any:
    return await services.orders.post(f"/orders/{order_id}/sections/{section_id}/ship",
                               {**body.model_dump(), "actor": actor_of(user).model_dump()})


@router.post("/admin/orders/{order_id}/merge", tags=["admin"])
async def merge(services: ServicesDep, order_id: PathId, body: MergeBody, user: SellerDep) -> Any:
    return await services.orders.post(f"/orders/{order_id}/merge",
                               {**body.model_dump(), "actor": actor_of(user).model_dump()})


@router.get("/admin/orders/{order_id}", tags=["admin"])
async def admin_order(services: ServicesDep, order_id: PathId, _: SellerDep) -> Any:
    return await services.orders.get(f"/orders/{order_id}")


@router.post("/admin/orders/{order_id}/sections/{section_id}/status", tags=["admin"])
async def move(services: ServicesDep, order_id: PathId, section_id: PathId, body: SectionMove, user: SellerDep) -> Any:
    return await services.orders.post(f"/orders/{order_id}/sections/{section_id}/status",
                               {**body.model_dump(), "actor": actor_of(user).model_dump()})


@router.post("/admin/orders/{order_id}/deposit-confirmed", tags=["admin"])
async def deposit(services: ServicesDep, order_id: PathId, user: SellerDep) -> Any:
    return await services.orders.post(f"/orders/{order_id}/deposit-confirmed",
                               {"actor": actor_of(user).model_dump()})


@router.post("/admin/orders/{order_id}/refused-payments/{payment_id}/refunded-by-hand",
        tags=["admin"])
async def refused_payment_refunded(services: ServicesDep, order_id: str, body: RefundByHandBody, user: SellerDep,
                                   payment_id: str = Path(pattern=REFUSED_PAYMENT_ID),
                                   ) -> Any:
    """A payment the order refused (e.g. a deposit after the deadline) was given back by
    hand to the payer's account."""
    return await services.orders.post(
        f"/orders/{order_id}/refused-payments/{payment_id}/refunded-by-hand",
        {**body.model_dump(), "actor": actor_of(user).model_dump()})


@router.post("/admin/orders/{order_id}/cancel", tags=["admin"])
async def admin_cancel(services: ServicesDep, order_id: PathId, user: SellerDep) -> Any:
    return await services.orders.post(f"/orders/{order_id}/cancel",
                               {"actor": actor_of(user).model_dump(), "reason": "판매자 취소"})


@router.post("/admin/orders/{order_id}/notes", tags=["admin"])
async def note(services: ServicesDep, order_id: PathId, body: Note, user: SellerDep) -> Any:
    return await services.orders.post(f"/orders/{order_id}/notes",
                               {"text": body.text, "actor": actor_of(user).model_dump()})


@router.post("/admin/bulk-jobs", status_code=201, tags=["admin bulk"])
async def create_job(services: ServicesDep, body: dict[str, Any], user: SellerDep) -> Any:
    return await services.orders.post("/bulk-jobs", {**body, "actor": actor_of(user).model_dump()})


@router.get("/admin/bulk-jobs", tags=["admin bulk"])
async def jobs(services: ServicesDep, _: SellerDep, limit: int = 50, before: str | None = None,
               status: str | None = None) -> Any:
    params = {k: v for k, v in {"limit": limit, "before": before, "status": status}.items()
              if v}
    return await services.orders.get("/bulk-jobs", params=params)


@router.get("/admin/bulk-jobs/{job_id}", tags=["admin bulk"])
async def job(services: ServicesDep, job_id: PathId, _: SellerDep) -> Any:
    return await services.orders.get(f"/bulk-jobs/{job_id}")


@router.get("/admin/bulk-jobs/{job_id}/items", tags=["admin bulk"])
async def job_items(services: ServicesDep, job_id: PathId, _: SellerDep, state: str | None = None, after: int = -1,
                    limit: int = 100) -> Any:
    params: dict[str, Any] = {"after": after, "limit": limit}
    if state:
        params["state"] = state
    return await services.orders.get(f"/bulk-jobs/{job_id}/items", params=params)


@router.get("/admin/orders/list/export", tags=["admin spreadsheets"])
async def export_list(services: ServicesDep, request: Request, user: SellerDep,
                      format: Literal["xlsx", "csv"] = "xlsx", tab: str | None = None,
                      q: str = "", sort: str = "placed_at", dir: str = "desc") -> Response:
    """The tab (its filter, plus `q`) as XLSX or CSV (UTF-8 with BOM), with the user's
    columns; every matching row."""
    return await spreadsheets.export(services, user, format, tab, q, sort, dir,
                                     request.cookies.get("lang", "ko"))


@router.post("/admin/invoice-uploads", status_code=201, tags=["admin spreadsheets"])
async def upload_invoices(accounts: AccountsDep, services: ServicesDep, file: UploadFile, user: SellerDep) -> Any:
    """Columns 주문번호 or 섹션번호, 택배사, 송장번호, 처리 (배송대기 | 배송중): invalid rows
    are reported and change nothing; valid rows become one bulk job per target status."""
    data = await file.read(spreadsheets.MAX_UPLOAD_BYTES + 1)
    return await spreadsheets.process_upload(services, accounts, user, file.filename or "upload",
                                             data)


@router.get("/admin/invoice-uploads/{upload_id}", tags=["admin spreadsheets"])
async def upload_report(accounts: AccountsDep, services: ServicesDep, upload_id: PathId, _: SellerDep) -> Any:
    return await spreadsheets.report(services, accounts, upload_id)


@router.get("/admin/settings", tags=["admin"])
async def get_settings(services: ServicesDep, _: SellerDep) -> Any:
    return await services.orders.get("/settings")


@router.put("/admin/settings", tags=["admin"])
async def put_settings(services: ServicesDep, body: dict[str, Any], _: SellerDep) -> Any:
    return await services.orders.put("/settings", body)
