"""Storefront pages: the product list and page, the checkout (members and guests), the order
complete page and the guest order lookup. The helpers every page uses are in web.py."""

from __future__ import annotations

import time
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from contracts.orders.v1 import ShipTo
from gateway.api.shop import SLUGS, simple_pay
from gateway.auth import (
    TooManyAttempts,
    User,
    client_address,
    guest_orders,
    remember_guest_order,
    remember_payment,
    session_user,
)
from gateway.clients import SEGMENT, ServiceError, Services
from gateway.deps import AccountsDep, GatewayDep, ServicesDep
from gateway.ids import PathId
from gateway.orders import CartLine, Checkout, GuestInfo, OrderGateway, SimplePayCheckout
from gateway.pages import coupons
from gateway.web import (
    back,
    flash,
    flash_error,
    render,
)

# How long the order-complete page keeps refreshing while a card payment is being confirmed.
COMPLETE_REFRESH_SECONDS = 20


router = APIRouter(include_in_schema=False)


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
    fee = await gw.shipping_fee(line["unit_price"] * line["quantity"])
    params = dict(request.query_params)
    quote = None
    if user is not None:  # members: their coupons, the best combination applied (§8)
        quote = await coupons.checkout_quote(gw, request, user.user_id, [line], params)
    return render(request, "shop/checkout.html", line=line, shipping_fee=fee, quote=quote,
                  simple_pay=gw.settings.simple_pay_partners,
                  paypal=gw.settings.paypal_enabled, form=params)


@router.post("/checkout")
async def checkout(gw: GatewayDep, request: Request) -> Response:
    form = await request.form()
    f = {k: str(v) for k, v in form.items()}
    user = session_user(request)
    if f.get("payment_method") in ("NAVERPAY", "TALKCHECKOUT"):
        return await simple_pay_checkout(gw, request, f, user)
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
    if order["payment_method"] in ("CARD", "PAYPAL"):
        return back(placed["payment"]["checkout_url"])
    return back(f"/orders/{order['order_id']}/complete")


def _ship_to(f: dict[str, str]) -> ShipTo:
    return ShipTo(name=f.get("ship_name", ""), phone=f.get("ship_phone", ""),
                  zipcode=f.get("zipcode", ""), address1=f.get("address1", ""),
                  address2=f.get("address2", ""))


async def simple_pay_checkout(gw: OrderGateway, request: Request, f: dict[str, str],
                              user: User | None) -> Response:
    """네이버페이 / 톡체크아웃: the cart goes to the partner, the buyer pays there and comes back
    to /<partner>/complete; the order reaches us through the partner."""
    try:
        started = await simple_pay(gw, request, SimplePayCheckout(
            partner=f.get("payment_method", "NAVERPAY"),  # type: ignore[arg-type]
            lines=[CartLine(sku_id=f.get("sku", ""), quantity=int(f.get("qty") or 0))],
            ship_to=_ship_to(f), memo=f.get("memo", "")), user)
    except (ServiceError, ValidationError, ValueError) as exc:
        flash_error(request, exc)
        return back(f"/checkout?sku={quote(f.get('sku', ''))}&qty={quote(f.get('qty', '1'))}")
    return back(started.checkout_url)


async def simple_pay_complete(services: Services, request: Request, partner: str,
                              tries: int) -> HTMLResponse:
    """Back from the partner: the order shows here once the partner reports it (a member sees
    it in my page; a guest's order is looked up at the partner)."""
    slug = SLUGS[partner]
    partner_order_id = str(request.session.get(f"{slug}_order", ""))
    user = session_user(request)
    order = None
    if partner_order_id and user is not None and SEGMENT.fullmatch(partner_order_id):
        prefix = "np-" if partner == "NAVERPAY" else "tc-"
        try:
            found = await services.orders.get(f"/orders/{prefix}{partner_order_id}")
        except ServiceError:
            found = None
        if found is not None and found["buyer"]["member_id"] == user.user_id:
            order = found
    return render(request, "shop/naverpay_complete.html", order=order, partner=partner,
                  slug=slug, partner_order_id=partner_order_id,
                  refresh=order is None and user is not None, tries=max(0, min(tries, 30)))


@router.get("/naverpay/complete")
async def naverpay_complete(services: ServicesDep, request: Request, n: int = 0) -> HTMLResponse:
    return await simple_pay_complete(services, request, "NAVERPAY", n)


@router.get("/talkcheckout/complete")
async def talkcheckout_complete(services: ServicesDep, request: Request,
                                n: int = 0) -> HTMLResponse:
    return await simple_pay_complete(services, request, "TALKCHECKOUT", n)


@router.get("/orders/{order_id}/complete")
async def complete(gw: GatewayDep, request: Request, order_id: PathId, since: float | None = None) -> HTMLResponse:
    order = await gw.for_buyer(order_id, session_user(request), guest_orders(request))
    payment = request.session.get(f"payment:{order_id}")
    method = order["payment_method"]
    if method == "UNSELECTED" and payment:
        method = payment.get("method", method)  # a payment request paid from my page
    pending = order["payment_status"] == "PENDING"
    card_pending = method in ("CARD", "PAYPAL") and pending
    now = time.time()
    started = since if since and now - 3600 < since <= now else now
    waiting = card_pending and now - started < COMPLETE_REFRESH_SECONDS
    return render(request, "shop/complete.html", order=order, waiting=waiting,
                  not_confirmed=card_pending and not waiting, started=int(started),
                  show_deposit=pending and method == "BANK_TRANSFER", payment=payment)


@router.get("/paypal/return")
async def paypal_return(services: ServicesDep, request: Request, token: str = "") -> Response:
    """Back from PayPal's approval page: the capture is ours, server side (the amount is read
    back from PayPal, never taken from this redirect); then the order's complete page."""
    if not SEGMENT.fullmatch(token):
        flash(request, "error", "msg_paypal_failed")
        return back("/")
    try:
        paid = await services.integrations.post(f"/paypal/orders/{token}/capture", {})
    except ServiceError as exc:
        if exc.status_code == 404:
            raise
        flash(request, "error", "msg_paypal_failed")
        return back("/")
    return back(f"/orders/{paid['order_id']}/complete")


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


