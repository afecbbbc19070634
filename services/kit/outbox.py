"""The outbox relay: publishes committed outbox rows to Kafka, in outbox order, then deletes them.

A row holds the events of one transaction, in the order they were emitted.

At-least-once: a crash between publish and delete republishes rows, so every consumer dedupes.
With several replicas only the lease holder relays, so per-key order holds.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from faststream.kafka import KafkaBroker
from pymongo.errors import DuplicateKeyError

from kit.metrics import OUTBOX_BACKLOG, OUTBOX_RELAYED
from kit.store import Store

log = logging.getLogger("kit.outbox")
LEASE_SECONDS = 10
BATCH = 1000  # events per relay pass (rows are read until they hold this many)


class OutboxRelay:
    def __init__(self, store: Store, broker: KafkaBroker, poll_seconds: float) -> None:
        self.store = store
        self.broker = broker
        self.poll_seconds = poll_seconds
        self.owner = uuid.uuid4().hex
        self._wake = asyncio.Event()
        self._lease_until = datetime.min.replace(tzinfo=UTC)
        store.on_commit = self._wake.set

    async def run(self) -> None:
        while True:
            try:
                relayed = await self.relay_once() if await self._hold_lease() else 0
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("outbox relay failed; retrying")
                relayed = 0
                await asyncio.sleep(1)
            if relayed < BATCH:
                self._wake.clear()
                try:
                    await asyncio.wait_for(self._wake.wait(), self.poll_seconds)
                except TimeoutError:
                    pass

    async def _hold_lease(self) -> bool:
        now = datetime.now(UTC)
        if self._lease_until - now > timedelta(seconds=LEASE_SECONDS / 2):
            return True
        until = now + timedelta(seconds=LEASE_SECONDS)
        try:
            doc = await self.store.db.outbox_lease.find_one_and_update(
                {"_id": "relay", "$or": [{"owner": self.owner}, {"until": {"$lt": now}}]},
                {"$set": {"owner": self.owner, "until": until}},
                upsert=True,
            )
        except DuplicateKeyError:
            return False
        del doc
        self._lease_until = until
        return True

    async def relay_once(self) -> int:
        rows: list[Any] = []
        events: list[dict[str, Any]] = []
        cursor = self.store.db.outbox.find().sort("_id", 1).limit(BATCH).batch_size(20)
        async with cursor:
            async for row in cursor:
                rows.append(row["_id"])
                events += row.get("events") or [row]  # (rows written before batching: one event)
                if len(events) >= BATCH:
                    break
        OUTBOX_BACKLOG.labels(self.store.producer).set(len(events))
        if not rows:
            return 0
        # Enqueue every event in outbox order without waiting (per-partition order is kept by
        # the idempotent producer), then wait for all acknowledgements before deleting.
        pending = [await self._send(event) for event in events]
        await asyncio.gather(*pending)
        await self.store.db.outbox.delete_many({"_id": {"$in": rows}})
        OUTBOX_RELAYED.labels(self.store.producer).inc(len(events))
        return len(events)

    async def _send(self, row: dict[str, Any]) -> Any:
        return await self.broker.publish(
            row["payload"],
            topic=row["topic"],
            key=row["key"].encode(),
            correlation_id=row["correlation_id"] or row["event_id"],
            headers={"event_type": row["type"], "event_id": row["event_id"]},
            no_confirm=True,
        )
