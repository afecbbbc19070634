"""Server-rendered pages: the storefront and my page (/), the seller admin (/admin)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError

from contracts.orders.v1 import ShipTo
from gateway.api import guest_orders, remember_guest_order
from gateway.auth import Accounts, User, session_user, sign_in, sign_out
from gateway.clients import ServiceError
from gateway.i18n import krw, kst, translator
from gateway.orders import CartLine, Checkout, GuestInfo, OrderGateway, actor_of

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.filters["krw"] = krw
templates.env.filters["kst"] = kst
TABS = ["ALL", "PAYMENT_PENDING", "PREPARING", "READY_TO_SHIP", "SHIPPING", "DELIVERED",
        "CONFIRMED", "CANCELLED"]
CARRIERS = ["CJ대한통운", "우체국택배", "한진택배", "롯데택배", "로젠택배"]


def flash(request: Request, kind: str, text: str) -> None:
    request.session["flashes"] = [*request.session.get("flashes", []), [kind, text]]


def render(request: Request, name: str, **ctx: Any) -> HTMLResponse:
    lang = request.cookies.get("lang", "ko")
    ctx.update(request=request, lang=lang, t=translator(lang), user=session_user(request),
               flashes=request.session.pop("flashes", []))
    return templates.TemplateResponse(request, name, ctx)


def back(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def readable(exc: Exception) -> str:
    if isinstance(exc, ServiceError):
        return exc.message
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        return f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}"
    return str(exc)


def line_map(order: dict[str, Any]) -> dict[str, Any]:
    return {line["line_id"]: line for line in order["lines"]}


def router(gw: OrderGateway, accounts: Accounts) -> APIRouter:
    r = APIRouter(include_in_schema=False)
    s = gw.s

    @r.get("/lang")
    async def set_lang(request: Request, to: str = "ko") -> Response:
        resp = back(request.headers.get("referer") or "/")
        resp.set_cookie("lang", "en" if to == "en" else "ko", max_age=365 * 86400)
        return resp

    # ---- accounts ----

    async def do_login(request: Request, role: str, user_id: str, password: str, next_: str,
                       form: str) -> Response:
        user = await accounts.verify(user_id, password, role)
        if user is None:
            flash(request, "error", "아이디 또는 비밀번호가 올바르지 않습니다.")
            return back(f"{form}?next={quote(next_)}")
        sign_in(request, user)
        return back(next_ if next_.startswith("/") else "/")

    @r.get("/login")
    async def login_page(request: Request, next: str = "/my") -> HTMLResponse:
        return render(request, "shop/login.html", action="/login", title="login", next=next)

    @r.post("/login")
    async def login(request: Request, user_id: str = Form(), password: str = Form(),
                    next: str = Form("/my")) -> Response:
        return await do_login(request, "buyer", user_id, password, next, "/login")

    @r.get("/admin/login")
    async def admin_login_page(request: Request, next: str = "/admin/orders") -> HTMLResponse:
        return render(request, "shop/login.html", action="/admin/login", title="seller_login",
                      next=next)

    @r.post("/admin/login")
    async def admin_login(request: Request, user_id: str = Form(), password: str = Form(),
                          next: str = Form("/admin/orders")) -> Response:
        return await do_login(request, "seller", user_id, password, next, "/admin/login")

    @r.get("/logout")
    async def logout(request: Request) -> Response:
        sign_out(request)
        return back("/")

    # ---- storefront ----

    @r.get("/")
    async def home(request: Request) -> HTMLResponse:
        data = await s.inventory.get("/products")
        return render(request, "shop/home.html", products=data["products"])

    @r.get("/products/{product_id}")
    async def product(request: Request, product_id: str) -> HTMLResponse:
        p = await s.inventory.get(f"/products/{product_id}")
        return render(request, "shop/product.html", product=p, low=p["low_stock_threshold"])

    @r.get("/checkout")
    async def checkout_page(request: Request, sku: str, qty: int = 1) -> Response:
        user = session_user(request)
        if user is not None and user.role != "buyer":
            flash(request, "error", "판매자 계정으로는 주문할 수 없습니다.")
            return back("/")
        try:
            [line] = await gw.price_lines([CartLine(sku_id=sku, quantity=qty)])
        except (ServiceError, ValidationError) as exc:
            flash(request, "error", readable(exc))
            return back("/")
        fee = gw.shipping_fee(line["unit_price"] * line["quantity"])
        return render(request, "shop/checkout.html", line=line, shipping_fee=fee)

    @r.post("/checkout")
    async def checkout(request: Request) -> Response:
        form = await request.form()
        f = {k: str(v) for k, v in form.items()}
        user = session_user(request)
        try:
            order_in = Checkout(
                lines=[CartLine(sku_id=f.get("sku", ""), quantity=int(f.get("qty") or 0))],
                payment_method=f.get("payment_method", "CARD"),  # type: ignore[arg-type]
                ship_to=ShipTo(name=f.get("ship_name", ""), phone=f.get("ship_phone", ""),
                               zipcode=f.get("zipcode", ""), address1=f.get("address1", ""),
                               address2=f.get("address2", "")),
                guest=None if user else GuestInfo(name=f.get("guest_name", ""),
                                                  phone=f.get("guest_phone", ""),
                                                  password=f.get("guest_password", "")),
                memo=f.get("memo", ""),
            )
            placed = await gw.place(order_in, user,
                                    f"{gw.settings.public_url}/orders/{{order_id}}/complete")
        except (ServiceError, ValidationError, ValueError) as exc:
            flash(request, "error", readable(exc))
            return back(f"/checkout?sku={quote(f.get('sku', ''))}&qty={quote(f.get('qty', '1'))}")
        order = placed["order"]
        if user is None:
            remember_guest_order(request, order["order_id"])
        request.session[f"payment:{order['order_id']}"] = placed["payment"]
        if order["payment_method"] == "CARD":
            return back(placed["payment"]["checkout_url"])
        return back(f"/orders/{order['order_id']}/complete")

    @r.get("/orders/{order_id}/complete")
    async def complete(request: Request, order_id: str) -> HTMLResponse:
        order = await gw.for_buyer(order_id, session_user(request), guest_orders(request))
        waiting = order["payment_method"] == "CARD" and order["payment_status"] == "PENDING"
        return render(request, "shop/complete.html", order=order, waiting=waiting,
                      payment=request.session.get(f"payment:{order_id}"))

    @r.get("/guest")
    async def guest_page(request: Request) -> HTMLResponse:
        return render(request, "shop/guest.html")

    @r.post("/guest")
    async def guest(request: Request, order_no: str = Form(), phone: str = Form(),
                    password: str = Form()) -> Response:
        try:
            order_id = await gw.guest_lookup(order_no.strip(), phone.strip(), password)
        except ServiceError as exc:
            flash(request, "error", exc.message)
            return back("/guest")
        remember_guest_order(request, order_id)
        return back(f"/my/orders/{order_id}")

    # ---- my page ----

    def buyer_or_login(request: Request, next_: str) -> User | Response:
        user = session_user(request)
        if user is None or user.role != "buyer":
            return back(f"/login?next={quote(next_)}")
        return user

    @r.get("/my")
    async def my(request: Request) -> Response:
        user = buyer_or_login(request, "/my")
        if not isinstance(user, User):
            return user
        data = await s.orders.get("/orders", params={"member_id": user.user_id})
        points = await s.coupons.get(f"/members/{user.user_id}/points")
        return render(request, "shop/my.html", orders=data["orders"], points=points)

    @r.get("/my/orders/{order_id}")
    async def my_order(request: Request, order_id: str) -> Response:
        user = session_user(request)
        order = await gw.for_buyer(order_id, user, guest_orders(request))
        statuses = {sec["status"] for sec in order["sections"]}
        return render(request, "shop/my_order.html", order=order, lines=line_map(order),
                      can_confirm="DELIVERED" in statuses,
                      can_cancel=order["payment_status"] == "PENDING"
                      and "CANCELLED" not in statuses)

    async def buyer_action(request: Request, order_id: str, path: str, reason: str = "") -> Response:
        user = session_user(request)
        try:
            order = await gw.for_buyer(order_id, user, guest_orders(request))
            body: dict[str, Any] = {"actor": actor_of(user, order["buyer"]["name"]).model_dump()}
            if reason:
                body["reason"] = reason
            await s.orders.post(f"/orders/{order_id}/{path}", body)
        except ServiceError as exc:
            if exc.status_code == 404:
                raise
            flash(request, "error", exc.message)
        return back(f"/my/orders/{order_id}")

    @r.post("/my/orders/{order_id}/confirm")
    async def my_confirm(request: Request, order_id: str) -> Response:
        return await buyer_action(request, order_id, "confirm-purchase")

    @r.post("/my/orders/{order_id}/cancel")
    async def my_cancel(request: Request, order_id: str) -> Response:
        return await buyer_action(request, order_id, "cancel", "구매자 취소")

    # ---- admin ----

    def seller_or_login(request: Request, next_: str) -> User | Response:
        user = session_user(request)
        if user is None:
            return back(f"/admin/login?next={quote(next_)}")
        if user.role != "seller":
            raise ServiceError(403, "forbidden", "this needs a seller account")
        return user

    @r.get("/admin")
    async def admin_home() -> Response:
        return back("/admin/orders")

    @r.get("/admin/orders")
    async def admin_orders(request: Request, status: str = "ALL",
                           before: str | None = None) -> Response:
        user = seller_or_login(request, str(request.url.path))
        if not isinstance(user, User):
            return user
        if status not in TABS:
            raise ServiceError(400, "bad_status", f"unknown status {status}")
        params = {"status": status} if status != "ALL" else {}
        if before:
            params["before"] = before
        data = await s.orders.get("/orders", params=params)
        counts = await s.orders.get("/orders/counts")
        counts["ALL"] = sum(v for k, v in counts.items())
        return render(request, "admin/orders.html", orders=data["orders"], counts=counts,
                      tabs=TABS, current=status, next_before=data["next_before"])

    @r.get("/admin/orders/{order_id}")
    async def admin_order(request: Request, order_id: str) -> Response:
        user = seller_or_login(request, f"/admin/orders/{order_id}")
        if not isinstance(user, User):
            return user
        order = await s.orders.get(f"/orders/{order_id}")
        return render(request, "admin/order.html", order=order, lines=line_map(order),
                      carriers=CARRIERS)

    async def seller_action(request: Request, order_id: str, path: str,
                            body: dict[str, Any]) -> Response:
        user = seller_or_login(request, f"/admin/orders/{order_id}")
        if not isinstance(user, User):
            return user
        try:
            await s.orders.post(f"/orders/{order_id}/{path}",
                                {**body, "actor": actor_of(user).model_dump()})
        except ServiceError as exc:
            flash(request, "error", exc.message)
        return back(f"/admin/orders/{order_id}")

    @r.post("/admin/orders/{order_id}/sections/{section_id}/status")
    async def admin_move(request: Request, order_id: str, section_id: str,
                         to_status: str = Form(), carrier: str = Form(""),
                         invoice_no: str = Form(""), version: int | None = Form(None)) -> Response:
        return await seller_action(request, order_id, f"sections/{section_id}/status", {
            "to_status": to_status, "carrier": carrier, "invoice_no": invoice_no,
            "expected_version": version})

    @r.post("/admin/orders/{order_id}/deposit-confirmed")
    async def admin_deposit(request: Request, order_id: str) -> Response:
        return await seller_action(request, order_id, "deposit-confirmed", {})

    @r.post("/admin/orders/{order_id}/cancel")
    async def admin_cancel(request: Request, order_id: str) -> Response:
        return await seller_action(request, order_id, "cancel", {"reason": "판매자 취소"})

    @r.post("/admin/orders/{order_id}/notes")
    async def admin_note(request: Request, order_id: str, text: str = Form()) -> Response:
        return await seller_action(request, order_id, "notes", {"text": text})

    return r
