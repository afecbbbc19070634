from typing import Any

from faststream.kafka import KafkaBroker
from faststream.middlewares import AckPolicy
from pydantic import TypeAdapter

from contracts import topics
from contracts.claims.v1 import RefundRequested
from contracts.orders.v1 import (
    OrderCancelled,
    OrderPlaced,
    OrdersEvent,
    PurchaseConfirmed,
    SectionStatusChanged,
)
from coupons.points import PointsService
from coupons.usage import Usage
from kit.inbox import by_type, handle_once, wanted_event, wanted_events
from kit.store import Tx

ORDER_EVENT: TypeAdapter[OrdersEvent] = TypeAdapter(OrdersEvent)


def wanted(body: dict[str, Any]) -> bool:
    kind = body.get("type")
    if kind == "SectionStatusChanged":
        return bool(body.get("order_cancelled"))
    return kind in ("PurchaseConfirmed", "OrderPlaced", "OrderCancelled")


def register(broker: KafkaBroker, points: PointsService, usage: Usage) -> None:
    @broker.subscriber(topics.ORDERS_EVENTS, group_id="coupons", auto_offset_reset="earliest",
                       batch=True, max_records=500, ack_policy=AckPolicy.NACK_ON_ERROR,
                       description="Mark coupons used at placement, give them back on "
                                   "cancellation, grant points and rewards at confirmation")
    async def on_order_events(bodies: list[dict[str, Any]]) -> None:
        # Most order events (a bulk job's status changes) do not concern coupons: they are
        # skipped before parsing.
        for event in await wanted_events(broker, "coupons.orders", points.store.producer,
                                         bodies, wanted, ORDER_EVENT.validate_python):
            await handle_once(points.store, broker, "coupons.orders", event, apply)

    async def apply(tx: Tx, event: OrdersEvent) -> None:
        if isinstance(event, PurchaseConfirmed):
            await points.on_confirmed(tx, event)
        elif isinstance(event, OrderPlaced):
            await usage.on_placed(tx, event)
        elif isinstance(event, OrderCancelled):
            await usage.on_cancelled(tx, event)
        elif isinstance(event, SectionStatusChanged):
            # Every unit was cancelled through claims: coupons come back (points come back
            # with the claims' refunds, RefundRequested.points).
            await usage.on_cancelled_by_claims(tx, event.order_id)

    @broker.subscriber(topics.CLAIMS_EVENTS, group_id="coupons-claims", auto_offset_reset="earliest",
                       ack_policy=AckPolicy.NACK_ON_ERROR,
                       description="Give points back when a claim refunds them")
    async def on_claim_event(body: dict[str, Any]) -> None:
        event = await wanted_event(broker, "coupons.claims", points.store.producer, body,
                                   by_type(RefundRequested))
        if event is not None and event.points:
            await handle_once(points.store, broker, "coupons.claims", event, refund)

    async def refund(tx: Tx, event: RefundRequested) -> None:
        await usage.on_refund(tx, event)
