"""Idempotent handling of a batch of events in ONE transaction (kit/inbox.py does one event).

The batch's events not yet in `processed_events` are applied in order to one StockBook; their
dedupe rows, the counters, ledger entries, reservations and outbox rows commit together. A batch
that keeps failing is handled again one event at a time through kit's handle_once, which
isolates (and dead-letters) the event at fault; one that fails because the database is away
stays in Kafka (the subscriber nacks it) instead.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from faststream.kafka import KafkaBroker
from pymongo.errors import ConnectionFailure

from contracts.envelope import Event
from inventory.book import StockBook
from kit.errors import DomainError
from kit.inbox import handle_once
from kit.logs import correlation_id
from kit.metrics import EVENTS_DUPLICATE, EVENTS_FAILED, EVENTS_HANDLED
from kit.store import Store, Tx, causation_id

log = logging.getLogger("inventory.inbox")
E = TypeVar("E", bound=Event)
Apply = Callable[[StockBook, Any], Awaitable[None]]
Preload = Callable[[StockBook, Sequence[Any]], Awaitable[None]]
MAX_ATTEMPTS = 5


def one(apply: Apply) -> Callable[[Tx, Any], Awaitable[None]]:
    """`apply` as a kit handler: its own book, written at the end."""

    async def handler(tx: Tx, event: Any) -> None:
        book = StockBook(tx)
        await apply(book, event)
        await book.flush()

    return handler


async def handle_batch(store: Store, broker: KafkaBroker, consumer: str, events: Sequence[E],
                       apply: Apply, preload: Preload | None = None) -> None:
    unique = list({e.event_id: e for e in events}.values())
    if not unique:
        return
    keys = {e.event_id: f"{consumer}:{e.event_id}" for e in unique}
    handled: list[E] = []

    async def work(tx: Tx) -> None:
        handled.clear()
        found = tx.db.processed_events.find({"_id": {"$in": list(keys.values())}}, {"_id": 1},
                                            session=tx.session)
        done = {d["_id"] async for d in found}
        todo = [e for e in unique if keys[e.event_id] not in done]
        if not todo:
            return
        book = StockBook(tx)
        if preload:
            await preload(book, todo)
        for e in todo:
            correlation_id.set(e.correlation_id)
            causation_id.set(e.event_id)
            await apply(book, e)
        now = datetime.now(UTC)
        await tx.db.processed_events.insert_many(
            [{"_id": keys[e.event_id], "at": now} for e in todo], ordered=False, session=tx.session)
        await book.flush()
        handled.extend(todo)

    topic = unique[0].TOPIC
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            await store.transaction(work)
        except DomainError as refused:
            EVENTS_FAILED.labels(store.producer, topic).inc()
            if not refused.retryable:
                break
            await asyncio.sleep(0.01 * attempt)
            continue
        except ConnectionFailure:
            # The database is away: keep the batch in Kafka (the subscriber nacks it and reads
            # it again) rather than dead-letter events that did nothing wrong.
            EVENTS_FAILED.labels(store.producer, topic).inc()
            log.warning("database unreachable; batch of %d left in %s", len(unique), topic)
            await asyncio.sleep(min(5.0, 0.5 * attempt))
            if attempt == MAX_ATTEMPTS:
                raise
            continue
        except Exception:
            EVENTS_FAILED.labels(store.producer, topic).inc()
            log.exception("batch of %d on %s failed (attempt %d)", len(unique), topic, attempt)
            if attempt >= 2:
                break
            await asyncio.sleep(0.05 * attempt)
            continue
        for e in handled:
            EVENTS_HANDLED.labels(store.producer, topic, e.type).inc()
        EVENTS_DUPLICATE.labels(store.producer, topic).inc(len(unique) - len(handled))
        return
    log.warning("handling %d events of %s one by one", len(unique), topic)
    for e in unique:
        await handle_once(store, broker, consumer, e, one(apply))
