"""Inventory reacts to order events: reserve on placement, release on cancel, sell on shipping."""

from __future__ import annotations

from faststream.kafka import KafkaBroker
from faststream.middlewares import AckPolicy

from contracts import topics
from contracts.orders.v1 import (
    OrderCancelled,
    OrderPlaced,
    OrdersEvent,
    SectionStatus,
    SectionStatusChanged,
)
from inventory.service import InventoryService
from kit.inbox import handle_once
from kit.store import Tx


def relevant(event: OrdersEvent) -> bool:
    return isinstance(event, OrderPlaced | OrderCancelled) or (
        isinstance(event, SectionStatusChanged) and event.to_status is SectionStatus.SHIPPING)


def register(broker: KafkaBroker, service: InventoryService) -> None:
    @broker.subscriber(topics.ORDERS_EVENTS, group_id="inventory", auto_offset_reset="earliest",
                       ack_policy=AckPolicy.NACK_ON_ERROR,
                       description="Reserve, release and sell stock as orders move")
    async def on_order_event(event: OrdersEvent) -> None:
        if relevant(event):  # most order events move no stock: skip them without a write
            await handle_once(service.store, broker, "inventory.orders", event, apply)

    async def apply(tx: Tx, event: OrdersEvent) -> None:
        match event:
            case OrderPlaced():
                await service.reserve(tx, event)
            case OrderCancelled():
                await service.release(tx, event)
            case SectionStatusChanged(to_status=SectionStatus.SHIPPING):
                await service.sell(tx, event)
            case _:
                pass
