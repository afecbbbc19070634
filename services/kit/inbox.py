"""Idempotent event handling: dedupe by event id inside the handler's own transaction.

A handler runs at most once per (consumer, event id) whatever Kafka redelivers. A handler that
keeps failing is retried with backoff, then the event is parked in the dead-letter topic.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, TypeVar

from faststream.kafka import KafkaBroker
from pydantic import ValidationError
from pymongo.errors import DuplicateKeyError

from contracts import topics
from contracts.envelope import Event
from kit.errors import DomainError
from kit.logs import correlation_id
from kit.metrics import EVENTS_DEAD_LETTERED, EVENTS_DUPLICATE, EVENTS_FAILED, EVENTS_HANDLED
from kit.store import Store, Tx, causation_id

log = logging.getLogger("kit.inbox")
E = TypeVar("E", bound=Event)
MAX_ATTEMPTS = 5


class _AlreadyHandled(Exception):
    pass


async def handle_once(
    store: Store,
    broker: KafkaBroker,
    consumer: str,
    event: E,
    handler: Callable[[Tx, E], Awaitable[None]],
) -> None:
    correlation_id.set(event.correlation_id)
    causation_id.set(event.event_id)

    async def work(tx: Tx) -> None:
        try:
            await tx.db.processed_events.insert_one(
                {"_id": f"{consumer}:{event.event_id}", "at": datetime.now(UTC)},
                session=tx.session,
            )
        except DuplicateKeyError as exc:
            raise _AlreadyHandled from exc
        await handler(tx, event)

    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            await store.transaction(work)
        except _AlreadyHandled:
            EVENTS_DUPLICATE.labels(store.producer, event.TOPIC).inc()
            return
        except DomainError as refused:
            if refused.retryable:
                EVENTS_FAILED.labels(store.producer, event.TOPIC).inc()
                await asyncio.sleep(0.02 * attempt)
                continue
            # A rule refused it (unknown order, impossible move): retrying cannot help.
            EVENTS_FAILED.labels(store.producer, event.TOPIC).inc()
            log.error("handler %s refused %s: %s", consumer, event.type, refused.message)
            break
        except Exception:
            EVENTS_FAILED.labels(store.producer, event.TOPIC).inc()
            log.exception("handler %s failed on %s (attempt %d)", consumer, event.type, attempt)
            await asyncio.sleep(0.05 * 2**attempt)
            continue
        EVENTS_HANDLED.labels(store.producer, event.TOPIC, event.type).inc()
        return
    await broker.publish(
        {"consumer": consumer, "event": event.model_dump(mode="json"), "producer": store.producer},
        topic=topics.DEAD_LETTER,
        key=event.key.encode(),
        correlation_id=event.correlation_id or event.event_id,
    )
    EVENTS_DEAD_LETTERED.labels(store.producer, event.TOPIC).inc()
    log.error("parked %s %s in %s", event.type, event.event_id, topics.DEAD_LETTER)


async def park(broker: KafkaBroker, consumer: str, producer: str, body: dict[str, Any],
               error: ValidationError) -> None:
    """An event we handle that does not parse: retrying cannot help, park it."""
    log.error("%s: unreadable %s: %s", consumer, body.get("type"), error)
    key = str(body.get("key") or body.get("order_id") or "")
    await broker.publish({"consumer": consumer, "event": body, "producer": producer,
                          "error": str(error)[:2000]},
                         topic=topics.DEAD_LETTER, key=key.encode(),
                         correlation_id=str(body.get("correlation_id") or body.get("event_id")))


async def wanted_events(broker: KafkaBroker, consumer: str, producer: str,
                        bodies: Iterable[Any], wanted: Callable[[dict[str, Any]], bool],
                        parse: Callable[[dict[str, Any]], E]) -> list[E]:
    """The events of a raw batch that `wanted` keeps, parsed; the rest are skipped before
    parsing (cheap for the many a consumer ignores) and unreadable ones are parked."""
    events: list[E] = []
    for body in bodies:
        if not isinstance(body, dict) or not wanted(body):
            continue
        try:
            events.append(parse(body))
        except ValidationError as exc:
            await park(broker, consumer, producer, body, exc)
    return events


async def wanted_event(broker: KafkaBroker, consumer: str, producer: str, body: Any,
                       types: Mapping[str, type[E]]) -> E | None:
    """The event in one raw message when its `type` is one the consumer handles, parsed as
    that type; None for every other type (a topic carries many, and new ones appear) and for
    an unreadable one, which is parked."""
    events = await wanted_events(broker, consumer, producer, [body],
                                 lambda b: b.get("type") in types,
                                 lambda b: types[b["type"]].model_validate(b))
    return events[0] if events else None


def by_type(*kinds: type[E]) -> dict[str, type[E]]:
    """{type name: model} for `wanted_event`."""
    return {k.model_fields["type"].default: k for k in kinds}
