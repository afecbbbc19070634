"""My page (/my): a member's orders, payment requests from the seller, paying, confirming and
cancelling."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from gateway.auth import (
    guest_orders,
    remember_payment,
    session_user,
)
from gateway.clients import ServiceError, Services
from gateway.deps import BuyerPage, GatewayDep, ServicesDep
from gateway.ids import PathId
from gateway.orders import OrderGateway, actor_of, parcels_of
from gateway.web import (
    back,
    flash,
    flash_error,
    line_map,
    render,
)

DEPOSIT_EXPIRED = "입금 기한 만료"  # the orders service's cancel reason for an expired deadline


def payment_requests(orders: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Seller-created orders still waiting for the buyer's payment."""
    return [o for o in orders if o.get("channel") == "SELLER" and o["payment_status"] == "PENDING"
            and o.get("stock_status") == "RESERVED"]


router = APIRouter(include_in_schema=False)


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
async def my_order(gw: GatewayDep, services: ServicesDep, request: Request,
                   order_id: PathId) -> Response:
    user = session_user(request)
    order = await gw.for_buyer(order_id, user, guest_orders(request))
    statuses = {sec["status"] for sec in order["sections"]}
    return render(request, "shop/my_order.html", order=order, lines=line_map(order),
                  can_confirm="DELIVERED" in statuses,
                  can_cancel=order["payment_status"] == "PENDING"
                  and "CANCELLED" not in statuses,
                  request_open=bool(payment_requests([order])),
                  payment=request.session.get(f"payment:{order_id}"),
                  parcels=await parcels_of(services, order))


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
