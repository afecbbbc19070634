"""The storefront's JSON API: products, placing an order (members and guests), guest order
lookup."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Header, Request
from pydantic import BaseModel, Field

from gateway.auth import client_address, remember_guest_order
from gateway.deps import AccountsDep, GatewayDep, MaybeUserDep, ServicesDep
from gateway.ids import PathId
from gateway.orders import Checkout, SimplePayCheckout, SimplePayStarted


class GuestLookup(BaseModel):
    order_no: str = Field(min_length=1, max_length=40)
    phone: str = Field(min_length=9, max_length=20)
    password: str = Field(min_length=1, max_length=100)


router = APIRouter(prefix="/api")


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


@router.post("/naverpay/checkout", status_code=201, tags=["storefront"])
async def naverpay_checkout(gw: GatewayDep, request: Request, cart: SimplePayCheckout,
                            user: MaybeUserDep) -> SimplePayStarted:
    """Pay a cart with Naver Pay: registered at Naver, paid on the answered `checkout_url`;
    the order (`np-<partner_order_id>`) reaches the shop through the partner."""
    started = await gw.start_simple_pay(cart, user,
                                        f"{gw.settings.public_url}/naverpay/complete")
    request.session["naverpay_order"] = started.partner_order_id
    return started


@router.post("/guest/lookup", tags=["storefront"])
async def guest_lookup(gw: GatewayDep, accounts: AccountsDep, request: Request, body: GuestLookup) -> dict[str, str]:
    order_id = await gw.guest_lookup(body.order_no, body.phone, body.password, accounts,
                                     client_address(request))
    remember_guest_order(request, order_id)
    return {"order_id": order_id}
