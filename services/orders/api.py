"""The orders service's internal HTTP API (called by the gateway; never by browsers)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from contracts.inputs import Moment
from contracts.orders.requests import COLUMNS, ListFilter, ListRequest, OrderMenu, ShopSettings
from contracts.orders.v1 import (
    ActorCommand,
    AddNote,
    ChangeSectionStatus,
    MergeSections,
    PlaceOrder,
    RefundByHand,
    SectionStatus,
    ShipSection,
    SplitSection,
)
from orders import listing, views
from orders import repository as repo
from orders.domain import Order
from orders.service import ChangeInvoice, OrderService


def public(order: Order) -> dict[str, Any]:
    doc = repo.to_doc(order)
    doc["order_id"] = doc.pop("_id")
    doc.pop("guest_password_hash")
    doc["guest"] = not order.buyer.member_id
    doc["quantities_by_line"] = order.quantities_by_line()
    return doc


def router(service: OrderService) -> APIRouter:
    r = APIRouter()

    @r.post("/orders", status_code=201)
    async def place(cmd: PlaceOrder) -> dict[str, Any]:
        return public(await service.place(cmd))

    @r.get("/orders")
    async def list_orders(
        status: SectionStatus | None = None,
        member_id: str | None = None,
        before: Moment | None = None,
        limit: int = Query(50, ge=1, le=200),
    ) -> dict[str, Any]:
        orders = await service.list(status=status, member_id=member_id, before=before,
                                    limit=limit)
        return {
            "orders": [public(o) for o in orders],
            "next_before": orders[-1].placed_at.isoformat() if len(orders) == limit else None,
        }

    @r.get("/orders/counts")
    async def counts() -> dict[str, int]:
        return await service.counts()

    @r.get("/orders/lookup")
    async def lookup(order_no: str = Query(min_length=1, max_length=40)) -> dict[str, str]:
        order = await service.by_number(order_no)
        return {"order_id": order.order_id, "member_id": order.buyer.member_id}

    @r.get("/orders/{order_id}")
    async def get(order_id: str) -> dict[str, Any]:
        return public(await service.get(order_id))

    @r.get("/orders/{order_id}/guest-secret")
    async def guest_secret(order_id: str) -> dict[str, str]:
        order = await service.get(order_id)
        return {"phone": order.buyer.phone, "password_hash": order.guest_password_hash}

    @r.post("/orders/{order_id}/sections/{section_id}/status")
    async def change_section(order_id: str, section_id: str,
                             cmd: ChangeSectionStatus) -> dict[str, Any]:
        return public(await service.change_section(order_id, section_id, cmd))

    @r.post("/orders/{order_id}/sections/{section_id}/invoice")
    async def change_invoice(order_id: str, section_id: str, cmd: ChangeInvoice) -> dict[str, Any]:
        """송장 변경: a SHIPPING section's carrier and invoice number."""
        return public(await service.change_invoice(order_id, section_id, cmd))

    @r.post("/orders/{order_id}/sections/{section_id}/ship")
    async def ship(order_id: str, section_id: str, cmd: ShipSection) -> dict[str, Any]:
        return public(await service.ship(order_id, section_id, cmd))

    @r.post("/orders/{order_id}/sections/{section_id}/split")
    async def split(order_id: str, section_id: str, cmd: SplitSection) -> dict[str, Any]:
        return public(await service.split(order_id, section_id, cmd))

    @r.post("/orders/{order_id}/merge")
    async def merge(order_id: str, cmd: MergeSections) -> dict[str, Any]:
        return public(await service.merge(order_id, cmd))

    @r.post("/orders/{order_id}/deposit-confirmed")
    async def deposit_confirmed(order_id: str, cmd: ActorCommand) -> dict[str, Any]:
        return public(await service.confirm_deposit(order_id, cmd.actor))

    @r.post("/orders/{order_id}/refused-payments/{payment_id}/refunded-by-hand")
    async def refunded_by_hand(order_id: str, payment_id: str,
                               cmd: RefundByHand) -> dict[str, Any]:
        return public(await service.refund_by_hand(order_id, payment_id, cmd))

    @r.post("/orders/{order_id}/confirm-purchase")
    async def confirm_purchase(order_id: str, cmd: ActorCommand) -> dict[str, Any]:
        return public(await service.confirm_purchase(order_id, cmd.actor))

    @r.post("/orders/{order_id}/cancel")
    async def cancel(order_id: str, cmd: ActorCommand) -> dict[str, Any]:
        return public(await service.cancel(order_id, cmd.actor, cmd.reason))

    @r.post("/orders/{order_id}/notes")
    async def add_note(order_id: str, cmd: AddNote) -> dict[str, Any]:
        return public(await service.add_note(order_id, cmd.text, cmd.actor))

    @r.post("/list")
    async def order_list(req: ListRequest) -> dict[str, Any]:
        return await listing.page(service.store.db, req.filter, req.page)

    @r.post("/list/counts")
    async def list_counts(filters: dict[str, ListFilter]) -> dict[str, int]:
        return {k: await listing.count(service.store.db, f) for k, f in filters.items()}

    @r.get("/views/{user_id}")
    async def get_menu(user_id: str) -> OrderMenu:
        return await views.menu(service.store.db, user_id)

    @r.put("/views/{user_id}")
    async def put_menu(user_id: str, menu: OrderMenu) -> OrderMenu:
        return await views.save(service.store.db, user_id, menu)

    @r.get("/views-catalogue")
    async def catalogue() -> dict[str, Any]:
        return {"columns": COLUMNS, "default_columns": views.DEFAULT_COLUMNS,
                "default_tabs": [t.model_dump(mode="json") for t in views.default_tabs()]}

    @r.get("/shipping-fee")
    async def shipping_fee(items_total: int = Query(ge=0, le=10**12)) -> dict[str, int]:
        """The storefront shipping fee of a cart worth `items_total` (the shop's rule)."""
        return {"shipping_fee": await service.shipping_fee(items_total)}

    @r.get("/settings")
    async def get_settings() -> ShopSettings:
        return await service.shop_settings()

    @r.put("/settings")
    async def put_settings(values: ShopSettings) -> ShopSettings:
        return await service.update_settings(values)

    return r
