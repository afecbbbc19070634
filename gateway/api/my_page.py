"""The buyer's my page API (/api/me): their orders, paying, confirming or cancelling one,
points. A guest reaches the orders in their session the same way."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel

from contracts.coupons.responses import MemberPoints
from contracts.orders.responses import OrderOut, OrderPage
from gateway.api.shop import PaymentOut
from gateway.auth import guest_orders
from gateway.deps import BuyerDep, GatewayDep, MaybeUserDep, ServicesDep
from gateway.ids import PathId
from gateway.orders import actor_of


class PayRequest(BaseModel):
    method: Literal["CARD", "BANK_TRANSFER"]


router = APIRouter(prefix="/api")


@router.get("/me/orders", tags=["my page"], response_model=OrderPage)
async def my_orders(services: ServicesDep, user: BuyerDep) -> Any:
    return await services.orders.get("/orders", params={"member_id": user.user_id})


@router.get("/me/orders/{order_id}", tags=["my page"], response_model=OrderOut)
async def my_order(gw: GatewayDep, request: Request, order_id: PathId, user: MaybeUserDep) -> Any:
    return await gw.for_buyer(order_id, user, guest_orders(request))


@router.post("/me/orders/{order_id}/confirm-purchase", tags=["my page"], response_model=OrderOut)
async def confirm(gw: GatewayDep, services: ServicesDep, request: Request, order_id: PathId, user: MaybeUserDep) -> Any:
    order = await gw.for_buyer(order_id, user, guest_orders(request))
    return await services.orders.post(f"/orders/{order_id}/confirm-purchase",
                               {"actor": actor_of(user, order["buyer"]["name"]).model_dump()})


@router.post("/me/orders/{order_id}/cancel", tags=["my page"], response_model=OrderOut)
async def cancel(gw: GatewayDep, services: ServicesDep, request: Request, order_id: PathId, user: MaybeUserDep) -> Any:
    order = await gw.for_buyer(order_id, user, guest_orders(request))
    return await services.orders.post(f"/orders/{order_id}/cancel", {
        "actor": actor_of(user, order["buyer"]["name"]).model_dump(), "reason": "구매자 취소"})


@router.post("/me/orders/{order_id}/pay", tags=["my page"], response_model=PaymentOut)
async def pay(gw: GatewayDep, request: Request, order_id: PathId, body: PayRequest, user: MaybeUserDep) -> Any:
    order = await gw.for_buyer(order_id, user, guest_orders(request))
    return await gw.start_payment(order, body.method,
                                  f"{gw.settings.public_url}/orders/{order_id}/complete")


@router.get("/me/points", tags=["my page"], response_model=MemberPoints)
async def my_points(services: ServicesDep, user: BuyerDep) -> Any:
    return await services.coupons.get(f"/members/{user.user_id}/points")
