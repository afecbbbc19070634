"""Gateway use-cases over the services: placing orders, buyer access, seller actions."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
import uuid
from typing import Any, Literal

from pydantic import BaseModel, Field, StrictInt

from contracts.envelope import Actor
from contracts.orders.v1 import Buyer, ShipTo
from gateway.auth import NO_ACCOUNT_HASH, Accounts, User, hasher, password_matches
from gateway.clients import ServiceError, Services
from gateway.settings import GatewaySettings

log = logging.getLogger("gateway.orders")


class CartLine(BaseModel):
    sku_id: str = Field(min_length=1, max_length=64)
    quantity: StrictInt = Field(ge=1, le=999)


class GuestInfo(BaseModel):
    name: str = Field(min_length=1, max_length=50)
    phone: str = Field(pattern=r"^0\d{1,2}-?\d{3,4}-?\d{4}$")
    password: str = Field(min_length=4, max_length=100, description="To look the order up later")


class CouponChoice(BaseModel):
    """Held coupon ids: product coupons per SKU of the cart, the order and shipping coupons."""

    product: dict[str, str] = Field(default_factory=dict, max_length=100)
    cart: str | None = Field(default=None, max_length=100)
    shipping: str | None = Field(default=None, max_length=100)

    def ids(self) -> list[str]:
        return [*self.product.values(), *(c for c in (self.cart, self.shipping) if c)]


class Checkout(BaseModel):
    lines: list[CartLine] = Field(min_length=1, max_length=100)
    payment_method: Literal["CARD", "BANK_TRANSFER", "PAYPAL"] = Field(
        description="PAYPAL: paid in USD on PayPal's page (`payment.checkout_url`)")
    ship_to: ShipTo
    guest: GuestInfo | None = None
    memo: str = Field(default="", max_length=500)
    coupons: CouponChoice | Literal["best"] | None = Field(
        default=None, description='Members only: "best" = 주문서 최대 할인, or a choice; '
                                  "checked by the coupons service with the same rules")
    points: StrictInt = Field(default=0, ge=0, le=100_000_000, description="Points to spend, KRW")


class SimplePayCheckout(BaseModel):
    """A cart paid with Naver Pay or Talk Checkout: the partner takes the order and the money (no
    site coupons or points: the partner gives its own); the buyer is the partner's, the
    recipient as given here."""

    partner: Literal["NAVERPAY", "TALKCHECKOUT"] = "NAVERPAY"
    lines: list[CartLine] = Field(min_length=1, max_length=100)
    ship_to: ShipTo
    memo: str = Field(default="", max_length=500)


class SimplePayStarted(BaseModel):
    partner_order_id: str
    checkout_url: str


class SellerOrder(BaseModel):
    """판매자 주문 생성: the seller orders for a member, who then pays with any method."""

    member_id: str = Field(min_length=1, max_length=64)
    lines: list[CartLine] = Field(min_length=1, max_length=100)
    ship_to: ShipTo
    shipping_fee: StrictInt = Field(default=0, ge=0, le=1_000_000)
    discount: StrictInt = Field(default=0, ge=0, le=100_000_000)
    memo: str = Field(default="", max_length=500)


def applied_discounts(taken: dict[str, Any] | None) -> dict[str, Any]:
    """What the placement applied: the coupons (and whether they are the best combination,
    proven optimal or the best found within the time budget) and the points."""
    if taken is None:  # guests: no coupons, no points
        return {"source": "none", "choice": CouponChoice().model_dump(), "product_discounts": {},
                "order_discount": 0, "shipping_discount": 0, "total": 0, "points": 0}
    keep = ("source", "choice", "product_discounts", "order_discount", "shipping_discount",
            "total", "points", "proven_optimal", "upper_bound", "method")
    return {k: taken[k] for k in keep if k in taken}


def refused_stock(order: dict[str, Any]) -> ServiceError:
    """Inventory refused the order's stock; its cancel reason says which item and why."""
    return ServiceError(409, "out_of_stock", "{reason}", key="out_of_stock_reason",
                        reason=order["cancel_reason"])


def actor_of(user: User | None, guest_name: str = "") -> Actor:
    if user is None:
        return Actor(kind="buyer", id="guest", name=guest_name or "비회원")
    return Actor(kind=user.role, id=user.user_id, name=user.name)


class OrderGateway:
    def __init__(self, services: Services, settings: GatewaySettings) -> None:
        self.s = services
        self.settings = settings

    async def shipping_fee(self, items_total: int) -> int:
        """The storefront shipping fee of this items total: the orders service's rule."""
        answer = await self.s.orders.get("/shipping-fee", params={"items_total": items_total})
        return int(answer["shipping_fee"])

    async def price_lines(self, lines: list[CartLine]) -> list[dict[str, Any]]:
        priced = []
        for line in lines:
            sku = await self.s.inventory.get(f"/skus/{line.sku_id}")
            product = await self.s.inventory.get(f"/products/{sku['product_id']}")
            priced.append({"sku_id": sku["_id"], "product_id": sku["product_id"],
                           "category_id": product.get("category_id", ""),
                           "name": product["name"], "option_label": sku["label"],
                           "unit_price": sku["price"], "quantity": line.quantity})
        return priced

    @staticmethod
    def cart_of(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Cart lines as the coupons service prices them (line id = SKU id)."""
        return [{"id": x["sku_id"], "product_id": x["product_id"],
                 "category_id": x.get("category_id", ""), "unit_price": x["unit_price"],
                 "quantity": x["quantity"]} for x in lines]

    async def quote(self, member_id: str, lines: list[dict[str, Any]],
                    choice: CouponChoice | None = None, points: int = 0) -> dict[str, Any]:
        """The buyer's coupons for this cart: the best combination and the one applied
        (`choice`, or the best when the 주문서 최대 할인 setting is on)."""
        items_total = sum(x["unit_price"] * x["quantity"] for x in lines)
        return dict(await self.s.coupons.post("/checkout/quote", {
            "member_id": member_id, "lines": self.cart_of(lines),
            "shipping_fee": await self.shipping_fee(items_total), "points": points,
            "choice": choice.model_dump() if choice is not None else None}))

    async def take_discounts(self, checkout: Checkout, member_id: str,
                             lines: list[dict[str, Any]], shipping_fee: int,
                             order_ref: str) -> dict[str, Any] | None:
        """Lock the coupons and points in the coupons service (all or nothing). Without a
        choice the coupons service applies its default (the best combination when 주문서 최대
        할인 is on, as the quote does); "best" is searched there, once, at the lock."""
        if not member_id:
            return None
        choice = checkout.coupons.model_dump() if isinstance(checkout.coupons, CouponChoice) \
            else checkout.coupons
        return dict(await self.s.coupons.post("/checkout/lock", {
            "member_id": member_id, "lines": self.cart_of(lines), "shipping_fee": shipping_fee,
            "choice": choice, "points": checkout.points, "order_ref": order_ref}))

    async def place(self, checkout: Checkout, user: User | None, return_url: str,
                    idempotency_key: str = "") -> dict[str, Any]:
        if user is None and checkout.guest is None:
            raise ServiceError(400, "guest_required",
                               "log in, or give a guest name, phone and lookup password")
        if user is not None and user.role != "buyer":
            raise ServiceError(403, "forbidden", "sellers create orders in the admin",
                               key="seller_cannot_order")
        if checkout.payment_method == "PAYPAL" and not self.settings.paypal_enabled:
            raise ServiceError(409, "partner_disabled", "this shop does not take {partner}",
                               key="partner_disabled", params={"partner": "PAYPAL"})
        lines = await self.price_lines(checkout.lines)
        if user is not None:
            buyer = Buyer(member_id=user.user_id, name=user.name,
                          phone=user.phone or checkout.ship_to.phone, email=user.email)
            pw_hash = ""
        else:
            assert checkout.guest is not None
            buyer = Buyer(name=checkout.guest.name, phone=checkout.guest.phone)
            pw_hash = await asyncio.to_thread(hasher.hash, checkout.guest.password)
        items_total = sum(x["unit_price"] * x["quantity"] for x in lines)
        fee = await self.shipping_fee(items_total)
        # Scoped to the buyer, so one buyer's key can never return another's order.
        scoped_key = f"{buyer.member_id or buyer.phone}:{idempotency_key}" if idempotency_key else ""
        # A retry with the same key finds the first attempt's lock: nothing is taken twice.
        order_ref = (hashlib.sha256(scoped_key.encode()).hexdigest()[:32] if scoped_key
                     else uuid.uuid4().hex)
        taken = await self.take_discounts(checkout, buyer.member_id, lines, fee, order_ref)
        body: dict[str, Any] = {
            "buyer": buyer.model_dump(), "ship_to": checkout.ship_to.model_dump(),
            "lines": [{k: v for k, v in x.items() if k != "category_id"} for x in lines],
            "payment_method": checkout.payment_method, "memo": checkout.memo,
            "guest_password_hash": pw_hash, "shipping_fee": fee,
            "actor": actor_of(user, buyer.name).model_dump(),
            "idempotency_key": scoped_key,
        }
        if taken is not None:
            c = taken["choice"]
            body.update(product_discounts=taken["product_discounts"],
                        order_coupon_discount=taken["order_discount"],
                        shipping_discount=taken["shipping_discount"], points_used=taken["points"],
                        coupon_ids=[*c["product"].values(),
                                    *(x for x in (c["cart"], c["shipping"]) if x)],
                        coupon_lock=order_ref)
        try:
            order = await self.s.orders.post("/orders", body)
        except ServiceError as exc:
            # Refused: not placed, the coupons and points are the buyer's again. On a 5xx the
            # order may stand: its OrderPlaced commits the lock, or the lock expires.
            if taken is not None and exc.status_code < 500:
                await self.s.coupons.post(f"/checkout/locks/{order_ref}/release")
            raise
        if taken is not None:
            await self.s.coupons.post(f"/checkout/locks/{order_ref}/commit",
                                      {"order_id": order["order_id"],
                                       "order_no": order["order_no"]})
        discounts = applied_discounts(taken)
        order = await self.wait_for_stock(order["order_id"])
        if order["stock_status"] == "REJECTED":
            raise refused_stock(order)
        if order["stock_status"] == "PENDING":
            # Inventory is slow to answer: the order stands; it is paid from my page later.
            return {"order": order, "payment": None, "discounts": discounts}
        payment = await self.start_payment(order, order["payment_method"],
                                           return_url.replace("{order_id}", order["order_id"]))
        return {"order": order, "payment": payment, "discounts": discounts}

    async def start_simple_pay(self, cart: SimplePayCheckout, user: User | None,
                               return_url: str) -> SimplePayStarted:
        """Register the cart at Naver Pay (priced from the catalogue, the shop's shipping fee);
        the buyer pays on the answered page, and the order comes back through the partner."""
        if user is not None and user.role != "buyer":
            raise ServiceError(403, "forbidden", "sellers create orders in the admin",
                               key="seller_cannot_order")
        if cart.partner not in self.settings.simple_pay_partners:
            raise ServiceError(409, "partner_disabled", "this shop does not take {partner}",
                               key="partner_disabled", params={"partner": cart.partner})
        lines = await self.price_lines(cart.lines)
        fee = await self.shipping_fee(sum(x["unit_price"] * x["quantity"] for x in lines))
        buyer = (Buyer(member_id=user.user_id, name=user.name,
                       phone=user.phone or cart.ship_to.phone, email=user.email)
                 if user is not None else Buyer(name=cart.ship_to.name, phone=cart.ship_to.phone))
        started = await self.s.integrations.post("/channel-checkouts", {
            "partner": cart.partner, "member_id": buyer.member_id,
            "lines": [{k: v for k, v in x.items() if k != "category_id"} for x in lines],
            "shipping_fee": fee, "buyer": buyer.model_dump(), "ship_to": cart.ship_to.model_dump(),
            "memo": cart.memo, "return_url": return_url})
        return SimplePayStarted(**started)

    async def create_for_buyer(self, req: SellerOrder, buyer: User, seller: User) -> dict[str, Any]:
        """A seller-created order: PAYMENT_PENDING with a payment request to a member buyer."""
        lines = await self.price_lines(req.lines)
        order = await self.s.orders.post("/orders", {
            "buyer": Buyer(member_id=buyer.user_id, name=buyer.name,
                           phone=buyer.phone or req.ship_to.phone, email=buyer.email).model_dump(),
            "ship_to": req.ship_to.model_dump(), "lines": lines, "payment_method": "UNSELECTED",
            "channel": "SELLER", "memo": req.memo, "shipping_fee": req.shipping_fee,
            "discount": req.discount, "actor": actor_of(seller).model_dump(),
        })
        order = await self.wait_for_stock(order["order_id"])
        if order["stock_status"] == "REJECTED":
            raise refused_stock(order)
        return order

    async def start_payment(self, order: dict[str, Any], method: str,
                            return_url: str) -> dict[str, Any]:
        """Open a PG payment for an unpaid order (a payment request, or a retried card)."""
        if order["payment_status"] != "PENDING" or order["stock_status"] != "RESERVED":
            raise ServiceError(409, "not_payable", "order {order_no} cannot be paid (payment "
                               "{payment_status})", order_no=order["order_no"],
                               payment_status=order["payment_status"])
        if method == "PAYPAL":  # PayPal's approval page; back to /paypal/return (capture)
            paypal: dict[str, Any] = await self.s.integrations.post("/paypal/orders", {
                "order_id": order["order_id"], "order_no": order["order_no"],
                "amount": order["paid_amount"],
                "return_url": f"{self.settings.public_url}/paypal/return",
                "cancel_url": return_url})
            return paypal
        payment: dict[str, Any] = await self.s.integrations.post("/payments", {
            "order_id": order["order_id"], "order_no": order["order_no"],
            "amount": order["paid_amount"], "method": method, "return_url": return_url,
        })
        return payment

    async def wait_for_stock(self, order_id: str) -> dict[str, Any]:
        deadline = time.monotonic() + self.settings.reservation_wait_seconds
        delay = 0.005
        while True:
            order: dict[str, Any] = await self.s.orders.get(f"/orders/{order_id}")
            if order["stock_status"] != "PENDING" or time.monotonic() > deadline:
                return order
            await asyncio.sleep(delay)
            delay = min(delay * 1.5, 0.1)

    async def for_buyer(self, order_id: str, user: User | None,
                        guest_orders: list[str]) -> dict[str, Any]:
        """The order if this buyer may see it; 404 otherwise (never reveal it exists)."""
        try:
            order: dict[str, Any] = await self.s.orders.get(f"/orders/{order_id}")
        except ServiceError as exc:
            if exc.status_code in (404, 422):
                raise ServiceError(404, "not_found", "order {id} not found",
                                   key="order_not_found", id=order_id) from exc
            raise
        member = order["buyer"]["member_id"]
        mine = (user is not None and user.role == "buyer" and member == user.user_id) or (
            not member and order_id in guest_orders)
        if not mine:
            raise ServiceError(404, "not_found", "order {id} not found", key="order_not_found",
                               id=order_id)
        return order

    async def guest_lookup(self, order_no: str, phone: str, password: str, accounts: Accounts,
                           address: str) -> str:
        """The guest order with this number, phone and password. Every miss costs one password
        check (an unknown number answers as slowly as a wrong password) and counts against the
        order number and the address, like log-ins."""
        keys = accounts.limits(f"guest:{order_no}", address)
        await accounts.throttle.check(keys)
        found: dict[str, Any] | None = None
        try:
            found = await self.s.orders.get("/orders/lookup", params={"order_no": order_no})
        except ServiceError as exc:
            if exc.status_code != 404:
                raise
        secret = None
        if found and not found["member_id"]:
            secret = await self.s.orders.get(f"/orders/{found['order_id']}/guest-secret")
        matches = await password_matches(secret["password_hash"] if secret else NO_ACCOUNT_HASH,
                                         password)
        if not (found and secret and matches
                and secret["phone"].replace("-", "") == phone.replace("-", "")):
            await accounts.throttle.failed(list(keys))
            raise ServiceError(404, "not_found",
                               "no guest order matches this number, phone and password",
                               key="no_guest_order")
        await accounts.throttle.forget(f"guest:{order_no}")
        return str(found["order_id"])


TRACKED = ("SHIPPING", "DELIVERED")


async def parcels_of(services: Services, order: dict[str, Any]) -> list[dict[str, Any]]:
    """배송조회: the carrier's events of the order's shipped sections (integrations' carrier
    tracking), for the sections still shipping or delivered. Best effort: when integrations
    cannot answer, the page shows no tracking card rather than failing."""
    shown = {s["section_id"] for s in order["sections"]
             if s["status"] in TRACKED and s.get("invoice_no") and not s.get("claim")}
    if not shown:
        return []
    try:
        answer = await services.integrations.get(f"/tracking/{order['order_id']}")
    except ServiceError as exc:
        log.warning("tracking of %s unavailable: %s", order["order_id"], exc.message)
        return []
    return [p for p in answer.get("parcels", []) if p["section_id"] in shown]
