"""What the claims service does when other services speak: thin subscribers -> use-cases."""

from __future__ import annotations

from faststream.kafka import KafkaBroker
from faststream.middlewares import AckPolicy

from claims import projection
from claims.service import ClaimsService
from contracts import topics
from contracts.integrations.v1 import IntegrationsEvent, RefundFailed, RefundSucceeded
from contracts.inventory.v1 import ExchangeStockRejected, InventoryEvent
from contracts.orders.v1 import OrdersEvent
from kit.inbox import handle_once

GROUP = "claims"


def register(broker: KafkaBroker, service: ClaimsService) -> None:
    store = service.store

    @broker.subscriber(topics.ORDERS_EVENTS, group_id=GROUP, auto_offset_reset="earliest",
                       batch=True, max_records=500, ack_policy=AckPolicy.NACK_ON_ERROR,
                       description="Track sections and order money; claim units moved or refused")
    async def on_order_events(events: list[OrdersEvent]) -> None:
        # The view first, in partition order; a claim reacts once the view shows what it needs.
        pending: list[OrdersEvent] = []
        for event in events:
            if projection.reacts(event):
                await service.project(pending)
                pending = []
                await handle_once(store, broker, "claims.orders", event,
                                  service.project_and_react)
                # Again on its own (same writes, so a no-op) in case the reaction was refused
                # and rolled its projection back.
                await service.project([event])
            else:
                pending.append(event)
        await service.project(pending)

    @broker.subscriber(topics.INTEGRATIONS_EVENTS, group_id=GROUP, auto_offset_reset="earliest",
                       ack_policy=AckPolicy.NACK_ON_ERROR,
                       description="Refund results from the payment partner")
    async def on_integrations(event: IntegrationsEvent) -> None:
        if isinstance(event, RefundSucceeded | RefundFailed):
            await handle_once(store, broker, "claims.integrations", event, service.on_refund)

    @broker.subscriber(topics.INVENTORY_EVENTS, group_id=GROUP, auto_offset_reset="earliest",
                       ack_policy=AckPolicy.NACK_ON_ERROR,
                       description="Replacement stock refused for an exchange: hold the claim")
    async def on_inventory(event: InventoryEvent) -> None:
        if isinstance(event, ExchangeStockRejected):
            await handle_once(store, broker, "claims.inventory", event, service.on_stock)
