"""What the claims service does when other services speak: thin subscribers -> use-cases."""

from __future__ import annotations

from typing import Any, get_args

from faststream.kafka import KafkaBroker
from faststream.middlewares import AckPolicy
from pydantic import TypeAdapter

from claims import projection
from claims.service import ClaimsService
from contracts import topics
from contracts.integrations.v1 import (
    PartnerClaimClosed,
    PartnerClaimRequested,
    RefundFailed,
    RefundSucceeded,
)
from contracts.inventory.v1 import ExchangeStockRejected
from contracts.orders.v1 import OrdersEvent
from kit.inbox import by_type, handle_once, wanted_event, wanted_events

GROUP = "claims"
# Each consumer parses only the types it handles and skips the others by their `type` field
# (payments on integrations' topic, stock movements on inventory's, new types of a later day).
ORDER_EVENT: TypeAdapter[OrdersEvent] = TypeAdapter(OrdersEvent)
ORDER_TYPES = frozenset(by_type(*get_args(get_args(OrdersEvent)[0])))
INTEGRATIONS_TYPES: dict[str, type[RefundSucceeded | RefundFailed | PartnerClaimRequested
                                    | PartnerClaimClosed]] = by_type(
    RefundSucceeded, RefundFailed, PartnerClaimRequested, PartnerClaimClosed)
INVENTORY_TYPES = by_type(ExchangeStockRejected)


def register(broker: KafkaBroker, service: ClaimsService) -> None:
    store = service.store

    @broker.subscriber(topics.ORDERS_EVENTS, group_id=GROUP, auto_offset_reset="earliest",
                       batch=True, max_records=500, ack_policy=AckPolicy.NACK_ON_ERROR,
                       description="Track sections and order money; claim units moved or refused")
    async def on_order_events(bodies: list[dict[str, Any]]) -> None:
        events = await wanted_events(broker, "claims.orders", store.producer, bodies,
                                     lambda b: b.get("type") in ORDER_TYPES,
                                     ORDER_EVENT.validate_python)
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
                       description="Refund results from the payment partner; claims opened "
                                   "or closed at a simple-pay partner")
    async def on_integrations(body: dict[str, Any]) -> None:
        event = await wanted_event(broker, "claims.integrations", store.producer, body,
                                   INTEGRATIONS_TYPES)
        if isinstance(event, RefundSucceeded | RefundFailed):
            await handle_once(store, broker, "claims.integrations", event, service.on_refund)
        elif event is not None:
            await handle_once(store, broker, "claims.integrations", event,
                              service.on_partner_claim)

    @broker.subscriber(topics.INVENTORY_EVENTS, group_id=GROUP, auto_offset_reset="earliest",
                       ack_policy=AckPolicy.NACK_ON_ERROR,
                       description="Replacement stock refused for an exchange: hold the claim")
    async def on_inventory(body: dict[str, Any]) -> None:
        event = await wanted_event(broker, "claims.inventory", store.producer, body,
                                   INVENTORY_TYPES)
        if event is not None:
            await handle_once(store, broker, "claims.inventory", event, service.on_stock)
