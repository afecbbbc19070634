"""MongoDB access shared by services: transactions that write state and outbox rows together."""

from __future__ import annotations

import contextvars
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from pymongo import AsyncMongoClient
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from contracts.envelope import Event
from kit.logs import correlation_id

T = TypeVar("T")
causation_id: contextvars.ContextVar[str] = contextvars.ContextVar("causation_id", default="")


class Tx:
    """One transaction: the session to pass to every write, and the events to publish."""

    def __init__(self, session: AsyncClientSession, db: AsyncDatabase[Any], producer: str) -> None:
        self.session = session
        self.db = db
        self.producer = producer
        self.events: list[Event] = []

    def emit(self, event: Event) -> None:
        self.events.append(
            event.model_copy(
                update={
                    "producer": self.producer,
                    "correlation_id": event.correlation_id or correlation_id.get(),
                    "causation_id": event.causation_id or causation_id.get(),
                }
            )
        )


def outbox_entry(event: Event) -> dict[str, Any]:
    return {
        "event_id": event.event_id,
        "topic": event.TOPIC,
        "key": event.key,
        "type": event.type,
        "correlation_id": event.correlation_id,
        "payload": event.model_dump(mode="json"),
    }


class Store:
    """A service's own database, with the transactional outbox."""

    def __init__(self, client: AsyncMongoClient[Any], db_name: str, producer: str) -> None:
        self.client = client
        self.db: AsyncDatabase[Any] = client[db_name]
        self.producer = producer
        self.on_commit: Callable[[], None] = lambda: None

    async def transaction(self, work: Callable[[Tx], Awaitable[T]]) -> T:
        """Run `work` in a transaction; its emitted events commit with it (the outbox)."""
        committed: list[Event] = []

        async def callback(session: AsyncClientSession) -> T:
            tx = Tx(session, self.db, self.producer)
            result = await work(tx)
            if tx.events:
                # One outbox row per transaction, its events in emit order: a bulk batch of
                # hundreds of changes costs one insert (and one delete after relaying).
                await self.db.outbox.insert_one(
                    {"events": [outbox_entry(e) for e in tx.events]}, session=session
                )
            committed[:] = tx.events
            return result

        async with self.client.start_session() as session:
            result = await session.with_transaction(callback)
        if committed:
            self.on_commit()
        return result
