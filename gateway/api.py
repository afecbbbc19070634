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
from gateway.deps import BuyerDep, MaybeUserDep, SellerDep
from gateway.ids import PathId
from gateway.orders import Checkout, OrderGateway, SellerOrder, actor_of


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


def router(gw: OrderGateway, accounts: Accounts) -> APIRouter:
    r = APIRouter(prefix="/api")
    s = gw.s

    async def login(request: Request, body: Login, role: str) -> dict[str, Any]:
        user = await accounts.verify(body.user_id, body.password, role, client_address(request))
        if user is None:
            raise ServiceError(401, "bad_credentials", "wrong id or password")
        await sign_in(accounts, request, user)
        return {"user": user.model_dump()}

    @r.post("/auth/login", tags=["auth"])
    async def buyer_login(request: Request, body: Login) -> dict[str, Any]:
        return await login(request, body, "buyer")

    @r.post("/auth/admin-login", tags=["auth"])
    async def seller_login(request: Request, body: Login) -> dict[str, Any]:
        return await login(request, body, "seller")

    @r.post("/auth/logout", tags=["auth"])
    async def logout(request: Request) -> dict[str, bool]:
        await sign_out(accounts, request)
        return {"ok": True}

    # ---- storefront ----

    @r.get("/products", tags=["storefront"])
    async def products() -> Any:
        return await s.inventory.get("/products")

    @r.get("/products/{product_id}", tags=["storefront"])
    async def product(product_id: PathId) -> Any:
        return await s.inventory.get(f"/products/{product_id}")

    @r.post("/orders", status_code=201, tags=["storefront"])
    async def place(request: Request, checkout: Checkout, user: MaybeUserDep,
                    idempotency_key: str = Header(default="", max_length=100)) -> dict[str, Any]:
        placed = await gw.place(checkout, user,
                                f"{gw.settings.public_url}/orders/{{order_id}}/complete",
                                idempotency_key)
        if user is None:
            remember_guest_order(request, placed["order"]["order_id"])
        return placed

    @r.post("/guest/lookup", tags=["storefront"])
    async def guest_lookup(request: Request, body: GuestLookup) -> dict[str, str]:
        order_id = await gw.guest_lookup(body.order_no, body.phone, body.password, accounts,
                                         client_address(request))
        remember_guest_order(request, order_id)
        return {"order_id": order_id}

    @r.get("/me/orders", tags=["my page"])
    async def my_orders(user: BuyerDep) -> Any:
        return await s.orders.get("/orders", params={"member_id": user.user_id})

    @r.get("/me/orders/{order_id}", tags=["my page"])
    async def my_order(request: Request, order_id: PathId, user: MaybeUserDep) -> Any:
        return await gw.for_buyer(order_id, user, guest_orders(request))

    @r.post("/me/orders/{order_id}/confirm-purchase", tags=["my page"])
    async def confirm(request: Request, order_id: PathId, user: MaybeUserDep) -> Any:
        order = await gw.for_buyer(order_id, user, guest_orders(request))
        return await s.orders.post(f"/orders/{order_id}/confirm-purchase",
                                   {"actor": actor_of(user, order["buyer"]["name"]).model_dump()})

    @r.post("/me/orders/{order_id}/cancel", tags=["my page"])
    async def cancel(request: Request, order_id: PathId, user: MaybeUserDep) -> Any:
        order = await gw.for_buyer(order_id, user, guest_orders(request))
        return await s.orders.post(f"/orders/{order_id}/cancel", {
            "actor": actor_of(user, order["buyer"]["name"]).model_dump(), "reason": "구매자 취소"})

    @r.post("/me/orders/{order_id}/pay", tags=["my page"])
    async def pay(request: Request, order_id: PathId, body: PayRequest, user: MaybeUserDep) -> Any:
        order = await gw.for_buyer(order_id, user, guest_orders(request))
        return await gw.start_payment(order, body.method,
                                      f"{gw.settings.public_url}/orders/{order_id}/complete")

    @r.get("/me/points", tags=["my page"])
    async def my_points(user: BuyerDep) -> Any:
        return await s.coupons.get(f"/members/{user.user_id}/points")

    # ---- admin ----

    @r.get("/admin/orders", tags=["admin"])
    async def admin_orders(_: SellerDep, status: SectionStatus | None = None,
                           before: str | None = None) -> Any:
        params = {k: v for k, v in {"status": status, "before": before}.items() if v}
        return await s.orders.get("/orders", params=params)

    @r.get("/admin/orders/counts", tags=["admin"])
    async def admin_counts(_: SellerDep) -> Any:
        return await s.orders.get("/orders/counts")

    @r.post("/admin/orders", status_code=201, tags=["admin"])
    async def create_order(body: SellerOrder, user: SellerDep) -> Any:
        buyer = await accounts.get(body.member_id)
        if buyer is None or buyer.role != "buyer":
            raise ServiceError(404, "not_found", f"member {body.member_id} not found")
        return await gw.create_for_buyer(body, buyer, user)

    @r.get("/admin/members", tags=["admin"])
    async def members(_: SellerDep) -> Any:
        return {"members": [b.model_dump() for b in await accounts.buyers()]}

    @r.post("/admin/orders/list", tags=["admin"])
    async def order_list(body: dict[str, Any], _: SellerDep) -> Any:
        return await s.orders.post("/list", body)

    @r.post("/admin/orders/list/counts", tags=["admin"])
    async def order_list_counts(body: dict[str, Any], _: SellerDep) -> Any:
        return await s.orders.post("/list/counts", body)

    @r.get("/admin/order-menu", tags=["admin"])
    async def get_menu(user: SellerDep) -> Any:
        return await s.orders.get(f"/views/{user.user_id}")

    @r.put("/admin/order-menu", tags=["admin"])
    async def put_menu(body: dict[str, Any], user: SellerDep) -> Any:
        return await s.orders.put(f"/views/{user.user_id}", body)

    @r.post("/admin/orders/{order_id}/sections/{section_id}/split", tags=["admin"])
    async def split(order_id: PathId, section_id: PathId, body: SplitBody, user: SellerDep) -> Any:
        return await s.orders.post(f"/orders/{order_id}/sections/{section_id}/split",
                                   {**body.model_dump(), "actor": actor_of(user).model_dump()})

    @r.post("/admin/orders/{order_id}/sections/{section_id}/ship", tags=["admin"])
    async def ship(order_id: PathId, section_id: PathId, body: ShipBody, user: SellerDep) -> Any:
        return await s.orders.post(f"/orders/{order_id}/sections/{section_id}/ship",
                                   {**body.model_dump(), "actor": actor_of(user).model_dump()})

    @r.post("/admin/orders/{order_id}/merge", tags=["admin"])
    async def merge(order_id: PathId, body: MergeBody, user: SellerDep) -> Any:
        return await s.orders.post(f"/orders/{order_id}/merge",
                                   {**body.model_dump(), "actor": actor_of(user).model_dump()})

    @r.get("/admin/orders/{order_id}", tags=["admin"])
    async def admin_order(order_id: PathId, _: SellerDep) -> Any:
        return await s.orders.get(f"/orders/{order_id}")

    @r.post("/admin/orders/{order_id}/sections/{section_id}/status", tags=["admin"])
    async def move(order_id: PathId, section_id: PathId, body: SectionMove, user: SellerDep) -> Any:
        return await s.orders.post(f"/orders/{order_id}/sections/{section_id}/status",
                                   {**body.model_dump(), "actor": actor_of(user).model_dump()})

    @r.post("/admin/orders/{order_id}/deposit-confirmed", tags=["admin"])
    async def deposit(order_id: PathId, user: SellerDep) -> Any:
        return await s.orders.post(f"/orders/{order_id}/deposit-confirmed",
                                   {"actor": actor_of(user).model_dump()})

    @r.post("/admin/orders/{order_id}/refused-payments/{payment_id}/refunded-by-hand",
            tags=["admin"])
    async def refused_payment_refunded(order_id: str, body: RefundByHandBody, user: SellerDep,
                                       payment_id: str = Path(pattern=REFUSED_PAYMENT_ID),
                                       ) -> Any:
        """A payment the order refused (e.g. a deposit after the deadline) was given back by
        hand to the payer's account."""
        return await s.orders.post(
            f"/orders/{order_id}/refused-payments/{payment_id}/refunded-by-hand",
            {**body.model_dump(), "actor": actor_of(user).model_dump()})

    @r.post("/admin/orders/{order_id}/cancel", tags=["admin"])
    async def admin_cancel(order_id: PathId, user: SellerDep) -> Any:
        return await s.orders.post(f"/orders/{order_id}/cancel",
                                   {"actor": actor_of(user).model_dump(), "reason": "판매자 취소"})

    @r.post("/admin/orders/{order_id}/notes", tags=["admin"])
    async def note(order_id: PathId, body: Note, user: SellerDep) -> Any:
        return await s.orders.post(f"/orders/{order_id}/notes",
                                   {"text": body.text, "actor": actor_of(user).model_dump()})

    @r.post("/admin/bulk-jobs", status_code=201, tags=["admin bulk"])
    async def create_job(body: dict[str, Any], user: SellerDep) -> Any:
        return await s.orders.post("/bulk-jobs", {**body, "actor": actor_of(user).model_dump()})

    @r.get("/admin/bulk-jobs", tags=["admin bulk"])
    async def jobs(_: SellerDep, limit: int = 50, before: str | None = None,
                   status: str | None = None) -> Any:
        params = {k: v for k, v in {"limit": limit, "before": before, "status": status}.items()
                  if v}
        return await s.orders.get("/bulk-jobs", params=params)

    @r.get("/admin/bulk-jobs/{job_id}", tags=["admin bulk"])
    async def job(job_id: PathId, _: SellerDep) -> Any:
        return await s.orders.get(f"/bulk-jobs/{job_id}")

    @r.get("/admin/bulk-jobs/{job_id}/items", tags=["admin bulk"])
    async def job_items(job_id: PathId, _: SellerDep, state: str | None = None, after: int = -1,
                        limit: int = 100) -> Any:
        params: dict[str, Any] = {"after": after, "limit": limit}
        if state:
            params["state"] = state
        return await s.orders.get(f"/bulk-jobs/{job_id}/items", params=params)

    # ---- spreadsheets (export the list, upload invoices) ----

    @r.get("/admin/orders/list/export", tags=["admin spreadsheets"])
    async def export_list(request: Request, user: SellerDep,
                          format: Literal["xlsx", "csv"] = "xlsx", tab: str | None = None,
                          q: str = "", sort: str = "placed_at", dir: str = "desc") -> Response:
        """The tab (its filter, plus `q`) as XLSX or CSV (UTF-8 with BOM), with the user's
        columns; every matching row."""
        return await spreadsheets.export(s, user, format, tab, q, sort, dir,
                                         request.cookies.get("lang", "ko"))

    @r.post("/admin/invoice-uploads", status_code=201, tags=["admin spreadsheets"])
    async def upload_invoices(file: UploadFile, user: SellerDep) -> Any:
        """Columns 주문번호 or 섹션번호, 택배사, 송장번호, 처리 (배송대기 | 배송중): invalid rows
        are reported and change nothing; valid rows become one bulk job per target status."""
        data = await file.read(spreadsheets.MAX_UPLOAD_BYTES + 1)
        return await spreadsheets.process_upload(s, accounts, user, file.filename or "upload",
                                                 data)

    @r.get("/admin/invoice-uploads/{upload_id}", tags=["admin spreadsheets"])
    async def upload_report(upload_id: PathId, _: SellerDep) -> Any:
        return await spreadsheets.report(s, accounts, upload_id)

    @r.get("/admin/settings", tags=["admin"])
    async def get_settings(_: SellerDep) -> Any:
        return await s.orders.get("/settings")

    @r.put("/admin/settings", tags=["admin"])
    async def put_settings(body: dict[str, Any], _: SellerDep) -> Any:
        return await s.orders.put("/settings", body)

    return r
