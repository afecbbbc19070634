"""Inventory reacts to order and claim events (thin subscribers: parse -> dedupe -> movements).

Order events come in batches, handled in one transaction each (inventory/inbox.py): a burst of
checkouts costs a few writes per batch, not per order. Types that move no stock are skipped
before parsing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from faststream.kafka import KafkaBroker
from faststream.middlewares import AckPolicy
from pydantic import ValidationError

from contracts import topics
from contracts.claims.v1 import ClaimStateChanged
from contracts.orders.v1 import OrderCancelled, OrderPlaced, SectionStatusChanged
from inventory import movements
from inventory.book import StockBook
from inventory.inbox import handle_batch, one
from kit.inbox import handle_once, park, wanted_events
from kit.store import Store

ORDER_TYPES: dict[str, Any] = {"OrderPlaced": OrderPlaced, "OrderCancelled": OrderCancelled,
                               "SectionStatusChanged": SectionStatusChanged}
BATCH = 500


def wanted_order_event(body: dict[str, Any]) -> bool:
    kind = body.get("type")
    if kind == "SectionStatusChanged":
        return body.get("to_status") == "SHIPPING" and body.get("from_status") != "SHIPPING"
    return kind in ORDER_TYPES


async def apply_order_event(book: StockBook, event: Any) -> None:
    match event:
        case OrderPlaced():
            await movements.reserve_order(book, event)
        case OrderCancelled():
            await movements.release_order(book, event)
        case SectionStatusChanged():
            await movements.sell_section(book, event)


async def preload(book: StockBook, events: Sequence[Any]) -> None:
    """Two reads for the whole batch: its reservations, then every SKU it may touch."""
    await book.load_reservations({e.order_id for e in events})
    skus = {x.sku_id for e in events if isinstance(e, OrderPlaced) for x in e.lines}
    skus |= {h.sku_id for r in book.reservations.values() if r for h in r.holds}
    await book.load_skus(skus)


def register(broker: KafkaBroker, store: Store) -> None:
    @broker.subscriber(topics.ORDERS_EVENTS, group_id="inventory", auto_offset_reset="earliest",
                       batch=True, max_records=BATCH, batch_timeout_ms=20,
                       ack_policy=AckPolicy.NACK_ON_ERROR,
                       description="Reserve on OrderPlaced, release on OrderCancelled, sell when "
                                   "a section moves to SHIPPING")
    async def on_order_events(bodies: list[dict[str, Any]]) -> None:
        events = await wanted_events(
            broker, "inventory.orders", store.producer, bodies, wanted_order_event,
            lambda body: ORDER_TYPES[body["type"]].model_validate(body))
        await handle_batch(store, broker, "inventory.orders", events, apply_order_event, preload)

    @broker.subscriber(topics.CLAIMS_EVENTS, group_id="inventory", auto_offset_reset="earliest",
                       ack_policy=AckPolicy.NACK_ON_ERROR,
                       description="Release on a completed cancel claim, restock on a completed "
                                   "return (when chosen), reserve the replacement of an exchange")
    async def on_claim_event(body: dict[str, Any]) -> None:
        if not isinstance(body, dict) or body.get("type") != "ClaimStateChanged" or \
                not movements.relevant_claim(str(body.get("kind")), str(body.get("to_state")),
                                             bool(body.get("restock"))):
            return
        try:
            event = ClaimStateChanged.model_validate(body)
        except ValidationError as exc:
            await park(broker, "inventory.claims", store.producer, body, exc)
            return
        await handle_once(store, broker, "inventory.claims", event, one(movements.apply_claim))
