"""Server-rendered pages: the storefront, log-in and my page (/). The seller admin (/admin)
lives in admin_pages.py and spreadsheets.py; the helpers every page uses are in web.py."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from contracts.orders.v1 import ShipTo
from gateway.api.orders import guest_orders, remember_guest_order
from gateway.auth import (
    Accounts,
    TooManyAttempts,
    client_address,
    session_user,
    sign_in,
    sign_out,
)
from gateway.clients import ServiceError, Services
from gateway.deps import AccountsDep, BuyerPage, GatewayDep, ServicesDep
from gateway.ids import PathId
from gateway.orders import CartLine, Checkout, GuestInfo, OrderGateway, actor_of
from gateway.pages import coupons
from gateway.web import (
    back,
    flash,
    flash_error,
    line_map,
    local_path,
    path_of,
    render,
)

# How long the order-complete page keeps refreshing while a card payment is being confirmed.
COMPLETE_REFRESH_SECONDS = 20
DEPOSIT_EXPIRED = "입금 기한 만료"  # the orders service's cancel reason for an expired deadline


def payment_requests(orders: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Seller-created orders still waiting for the buyer's payment."""
    return [o for o in orders if o.get("channel") == "SELLER" and o["payment_status"] == "PENDING"
            and o.get("stock_status") == "RESERVED"]


router = APIRouter(include_in_schema=False)


@router.get("/lang")
async def set_lang(request: Request, to: str = "ko") -> Response:
    referer = urlsplit(request.headers.get("referer") or "/")
    same_site = not referer.netloc or referer.netloc == request.url.netloc
    resp = back(local_path(path_of(referer.geturl()), "/") if same_site else "/")
    resp.set_cookie("lang", "en" if to == "en" else "ko", max_age=365 * 86400)
    return resp


async def do_login(accounts: Accounts, request: Request, role: str, user_id: str, password: str, next_: str,
                   form: str, default: str) -> Response:
    try:
        user = await accounts.verify(user_id, password, role, client_address(request))
    except TooManyAttempts as exc:
        flash(request, "error", "msg_too_many_attempts",
              minutes=exc.minutes)
        user = None
    else:
        if user is None:
            flash(request, "error", "msg_bad_credentials")
    if user is None:
        return back(f"{form}?next={quote(local_path(next_, default))}")
    await sign_in(accounts, request, user)
    return back(local_path(next_, default))


@router.get("/login")
async def login_page(request: Request, next: str = "/my") -> HTMLResponse:
    return render(request, "shop/login.html", action="/login", title="login",
                  next=local_path(next, "/my"))


@router.post("/login")
async def login(accounts: AccountsDep, request: Request, user_id: str = Form(), password: str = Form(),
                next: str = Form("/my")) -> Response:
    return await do_login(accounts, request, "buyer", user_id, password, next, "/login", "/my")


@router.get("/admin/login")
async def admin_login_page(request: Request, next: str = "/admin/orders") -> HTMLResponse:
    return render(request, "shop/login.html", action="/admin/login", title="seller_login",
                  next=local_path(next, "/admin/orders"))


@router.post("/admin/login")
async def admin_login(accounts: AccountsDep, request: Request, user_id: str = Form(), password: str = Form(),
                      next: str = Form("/admin/orders")) -> Response:
    return await do_login(accounts, request, "seller", user_id, password, next, "/admin/login",
                          "/admin/orders")


@router.post("/logout")
async def logout(accounts: AccountsDep, request: Request) -> Response:
    await sign_out(accounts, request)
    return back("/")


@router.get("/")
async def home(services: ServicesDep, request: Request) -> HTMLResponse:
    data = await services.inventory.get("/products")
    return render(request, "shop/home.html", products=data["products"])


@router.get("/products/{product_id}")
async def product(services: ServicesDep, request: Request, product_id: PathId) -> HTMLResponse:
    p = await services.inventory.get(f"/products/{product_id}")
    return render(request, "shop/product.html", product=p, low=p["low_stock_threshold"])


@router.get("/checkout")
async def checkout_page(gw: GatewayDep, request: Request, sku: str, qty: int = 1) -> Response:
    user = session_user(request)
    if user is not None and user.role != "buyer":
        flash(request, "error", "msg_seller_cannot_order")
        return back("/")
    try:
        [line] = await gw.price_lines([CartLine(sku_id=sku, quantity=qty)])
    except (ServiceError, ValidationError) as exc:
        flash_error(request, exc)
        return back("/")
    fee = gw.shipping_fee(line["unit_price"] * line["quantity"])
    params = dict(request.query_params)
    quote = None
    if user is not None:  # members: their coupons, the best combination applied (§8)
        quote = await coupons.checkout_quote(gw, request, user.user_id, [line], params)
    return render(request, "shop/checkout.html", line=line, shipping_fee=fee, quote=quote,
                  form=params)


@router.post("/checkout")
async def checkout(gw: GatewayDep, request: Request) -> Response:
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
            coupons=coupons.choice_of(f) if user else None,
            points=coupons.points_of(f) if user else 0,
        )
        placed = await gw.place(order_in, user,
                                f"{gw.settings.public_url}/orders/{{order_id}}/complete")
    except (ServiceError, ValidationError, ValueError) as exc:
        flash_error(request, exc)
        return back(f"/checkout?sku={quote(f.get('sku', ''))}&qty={quote(f.get('qty', '1'))}")
    order = placed["order"]
    if user is None:
        remember_guest_order(request, order["order_id"])
    if placed["payment"] is None:  # stock not confirmed yet: the complete page follows it
        return back(f"/orders/{order['order_id']}/complete")
    remember_payment(request, order["order_id"], order["payment_method"], placed["payment"])
    if order["payment_method"] == "CARD":
        return back(placed["payment"]["checkout_url"])
    return back(f"/orders/{order['order_id']}/complete")


def remember_payment(request: Request, order_id: str, method: str,
                     payment: dict[str, Any]) -> None:
    request.session[f"payment:{order_id}"] = {
        "method": method, "payment_id": payment.get("payment_id", ""),
        "virtual_account": payment.get("virtual_account", "")}


@router.get("/orders/{order_id}/complete")
async def complete(gw: GatewayDep, request: Request, order_id: PathId, since: float | None = None) -> HTMLResponse:
    order = await gw.for_buyer(order_id, session_user(request), guest_orders(request))
    payment = request.session.get(f"payment:{order_id}")
    method = order["payment_method"]
    if method == "UNSELECTED" and payment:
        method = payment.get("method", method)  # a payment request paid from my page
    pending = order["payment_status"] == "PENDING"
    card_pending = method == "CARD" and pending
    now = time.time()
    started = since if since and now - 3600 < since <= now else now
    waiting = card_pending and now - started < COMPLETE_REFRESH_SECONDS
    return render(request, "shop/complete.html", order=order, waiting=waiting,
                  not_confirmed=card_pending and not waiting, started=int(started),
                  show_deposit=pending and method == "BANK_TRANSFER", payment=payment)


@router.get("/guest")
async def guest_page(request: Request) -> HTMLResponse:
    return render(request, "shop/guest.html")


@router.post("/guest")
async def guest(gw: GatewayDep, accounts: AccountsDep, request: Request, order_no: str = Form(), phone: str = Form(),
                password: str = Form()) -> Response:
    try:
        order_id = await gw.guest_lookup(order_no.strip(), phone.strip(), password, accounts,
                                         client_address(request))
    except ServiceError as exc:
        flash_error(request, exc)
        return back("/guest")
    except TooManyAttempts as exc:
        flash(request, "error", "msg_too_many_attempts",
              minutes=exc.minutes)
        return back("/guest")
    remember_guest_order(request, order_id)
    return back(f"/my/orders/{order_id}")


@router.get("/my")
async def my(services: ServicesDep, request: Request, user: BuyerPage) -> Response:
    data = await services.orders.get("/orders", params={"member_id": user.user_id})
    points = await services.coupons.get(f"/members/{user.user_id}/points")
    orders = data["orders"]
    expired = [o for o in orders if o.get("cancel_reason") == DEPOSIT_EXPIRED]
    return render(request, "shop/my.html", orders=orders, points=points,
                  requests=payment_requests(orders), expired=expired,
                  payments={o["order_id"]: request.session.get(f"payment:{o['order_id']}")
                            for o in orders})


@router.get("/my/orders/{order_id}")
async def my_order(gw: GatewayDep, request: Request, order_id: PathId) -> Response:
    user = session_user(request)
    order = await gw.for_buyer(order_id, user, guest_orders(request))
    statuses = {sec["status"] for sec in order["sections"]}
    return render(request, "shop/my_order.html", order=order, lines=line_map(order),
                  can_confirm="DELIVERED" in statuses,
                  can_cancel=order["payment_status"] == "PENDING"
                  and "CANCELLED" not in statuses,
                  request_open=bool(payment_requests([order])),
                  payment=request.session.get(f"payment:{order_id}"))


@router.post("/my/orders/{order_id}/pay")
async def my_pay(gw: GatewayDep, request: Request, order_id: PathId, method: str = Form()) -> Response:
    """Pay a payment request (seller-created order): card → the PG page, bank transfer →
    a virtual account shown on the complete page."""
    user = session_user(request)
    order = await gw.for_buyer(order_id, user, guest_orders(request))
    if method not in ("CARD", "BANK_TRANSFER"):
        flash(request, "error", "msg_choose_payment")
        return back(f"/my/orders/{order_id}")
    try:
        payment = await gw.start_payment(
            order, method, f"{gw.settings.public_url}/orders/{order_id}/complete")
    except ServiceError as exc:
        if exc.status_code == 404:
            raise
        flash_error(request, exc)
        return back(f"/my/orders/{order_id}")
    remember_payment(request, order_id, method, payment)
    if method == "CARD":
        return back(payment["checkout_url"])
    return back(f"/orders/{order_id}/complete")


async def buyer_action(gw: OrderGateway, services: Services, request: Request, order_id: str, path: str, reason: str = "") -> Response:
    user = session_user(request)
    try:
        order = await gw.for_buyer(order_id, user, guest_orders(request))
        body: dict[str, Any] = {"actor": actor_of(user, order["buyer"]["name"]).model_dump()}
        if reason:
            body["reason"] = reason
        await services.orders.post(f"/orders/{order_id}/{path}", body)
    except ServiceError as exc:
        if exc.status_code == 404:
            raise
        flash_error(request, exc)
    return back(f"/my/orders/{order_id}")


@router.post("/my/orders/{order_id}/confirm")
async def my_confirm(gw: GatewayDep, services: ServicesDep, request: Request, order_id: PathId) -> Response:
    return await buyer_action(gw, services, request, order_id, "confirm-purchase")


@router.post("/my/orders/{order_id}/cancel")
async def my_cancel(gw: GatewayDep, services: ServicesDep, request: Request, order_id: PathId) -> Response:
    return await buyer_action(gw, services, request, order_id, "cancel", "구매자 취소")


@router.get("/admin")
async def admin_home() -> Response:
    return back("/admin/orders")
