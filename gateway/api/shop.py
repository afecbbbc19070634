"""The storefront's JSON API: products, placing an order (members and guests), guest order
lookup."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Header, Request
from pydantic import BaseModel, ConfigDict, Field

from contracts.coupons.responses import CouponChoiceOut
from contracts.inventory.responses import ProductDetail, Storefront
from contracts.orders.responses import OrderOut
from gateway.auth import User, client_address, remember_guest_order
from gateway.deps import AccountsDep, GatewayDep, MaybeUserDep, ServicesDep
from gateway.ids import PathId
from gateway.orders import Checkout, OrderGateway, SimplePayCheckout, SimplePayStarted


class GuestLookup(BaseModel):
    order_no: str = Field(min_length=1, max_length=40)
    phone: str = Field(min_length=9, max_length=20)
    password: str = Field(min_length=1, max_length=100)


class PaymentOut(BaseModel):
    """A payment opened at the PG: the buyer pays on its checkout page."""

    model_config = ConfigDict(extra="allow")

    payment_id: str
    checkout_url: str
    virtual_account: str = Field(description="Bank transfer: the account to pay to")


class PlacedDiscounts(BaseModel):
    """What the placement applied: the coupons and the points (KRW)."""

    model_config = ConfigDict(extra="allow")

    source: str = Field(description="best | choice | none")
    choice: CouponChoiceOut
    product_discounts: dict[str, int]
    order_discount: int
    shipping_discount: int
    total: int
    points: int


class Placed(BaseModel):
    """The placed order and its payment (none while inventory has not answered yet)."""

    model_config = ConfigDict(extra="allow")

    order: OrderOut
    payment: PaymentOut | None
    discounts: PlacedDiscounts


class GuestOrder(BaseModel):
    order_id: str


router = APIRouter(prefix="/api")


@router.get("/products", tags=["storefront"], response_model=Storefront)
async def products(services: ServicesDep) -> Any:
    return await services.inventory.get("/products")


@router.get("/products/{product_id}", tags=["storefront"], response_model=ProductDetail)
async def product(services: ServicesDep, product_id: PathId) -> Any:
    return await services.inventory.get(f"/products/{product_id}")


@router.post("/orders", status_code=201, tags=["storefront"], response_model=Placed)
async def place(gw: GatewayDep, request: Request, checkout: Checkout, user: MaybeUserDep,
                idempotency_key: str = Header(default="", max_length=100)) -> dict[str, Any]:
    placed = await gw.place(checkout, user,
                            f"{gw.settings.public_url}/orders/{{order_id}}/complete",
                            idempotency_key)
    if user is None:
        remember_guest_order(request, placed["order"]["order_id"])
    return placed


SLUGS = {"NAVERPAY": "naverpay", "TALKCHECKOUT": "talkcheckout"}


async def simple_pay(gw: OrderGateway, request: Request, cart: SimplePayCheckout,
                     user: User | None) -> SimplePayStarted:
    """Register the cart at the partner; the buyer pays on its page and comes back to
    /<partner>/complete, and the order reaches the shop through the partner."""
    slug = SLUGS[cart.partner]
    started = await gw.start_simple_pay(cart, user, f"{gw.settings.public_url}/{slug}/complete")
    request.session[f"{slug}_order"] = started.partner_order_id
    return started


@router.post("/naverpay/checkout", status_code=201, tags=["storefront"])
async def naverpay_checkout(gw: GatewayDep, request: Request, cart: SimplePayCheckout,
                            user: MaybeUserDep) -> SimplePayStarted:
    """Pay a cart with Naver Pay: registered at Naver, paid on the answered `checkout_url`;
    the order (`np-<partner_order_id>`) reaches the shop through the partner."""
    return await simple_pay(gw, request, cart.model_copy(update={"partner": "NAVERPAY"}), user)


@router.post("/talkcheckout/checkout", status_code=201, tags=["storefront"])
async def talkcheckout_checkout(gw: GatewayDep, request: Request, cart: SimplePayCheckout,
                                user: MaybeUserDep) -> SimplePayStarted:
    """Pay a cart with Talk Checkout (card or bank transfer at Kakao); the order
    (`tc-<partner_order_id>`) reaches the shop through the partner."""
    return await simple_pay(gw, request, cart.model_copy(update={"partner": "TALKCHECKOUT"}),
                            user)


@router.post("/guest/lookup", tags=["storefront"], response_model=GuestOrder)
async def guest_lookup(gw: GatewayDep, accounts: AccountsDep, request: Request, body: GuestLookup) -> dict[str, str]:
    order_id = await gw.guest_lookup(body.order_no, body.phone, body.password, accounts,
                                     client_address(request))
    remember_guest_order(request, order_id)
    return {"order_id": order_id}
