"""Wait until the order list (read model) shows every order change committed before a moment.

The list follows the service's own events (group `orders-list`), so it lags behind the
aggregate. A bulk job on "everything in this tab" reads the list; before it does, it waits here
until the list has caught up with the changes committed before the job started:

1. every outbox row written before then has been relayed (the relay deletes a row only once
   Kafka acknowledged its events), so those events sit below the topic's end offsets now;
2. the `orders-list` consumer group has committed those end offsets on every partition (it
   commits a batch only after its rows are rebuilt from the aggregate).

Outbox row ids are ObjectIds stamped when the row was written (before its commit); a margin of
SKEW covers the clocks of replicas writing the same outbox.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from bson import ObjectId

from contracts import topics

log = logging.getLogger("orders.list_barrier")
LIST_GROUP = "orders-list"
SKEW = timedelta(seconds=2)
POLL = 0.1  # seconds between looks while waiting


class ListBarrier:
    def __init__(self, db: Any, kafka_bootstrap_servers: str) -> None:
        self.db = db
        self.kafka = kafka_bootstrap_servers

    async def wait_until_listed(self, since: datetime,
                                keep_alive: Callable[[], Awaitable[None]]) -> None:
        """Return once the list shows every change committed before `since`; `keep_alive` runs
        between looks (the caller renews its lease)."""
        written_before = {"_id": {"$lt": ObjectId.from_datetime(since + SKEW)}}
        while await self.db.outbox.find_one(written_before, {"_id": 1}) is not None:
            await keep_alive()
            await asyncio.sleep(POLL)
        consumer = AIOKafkaConsumer(bootstrap_servers=self.kafka, group_id=None,
                                    enable_auto_commit=False)
        admin = AIOKafkaAdminClient(bootstrap_servers=self.kafka)
        try:
            await consumer.start()
            await admin.start()
            ends: dict[TopicPartition, int] | None = None
            looks = 0
            while True:
                try:
                    if ends is None:  # where the topic ends once those rows are relayed
                        ends = await self._ends(consumer, admin)
                    behind = await self._behind(consumer, admin, ends)
                except Exception as exc:  # Kafka away: cannot tell yet
                    log.warning("cannot read the order list's progress: %s", exc)
                    behind = -1
                if behind == 0:
                    return
                looks += 1
                if looks % 300 == 0:
                    log.info("a bulk job waits for the order list (%s events behind)", behind)
                await keep_alive()
                await asyncio.sleep(POLL)
        finally:
            await consumer.stop()
            await admin.close()

    @staticmethod
    async def _ends(consumer: AIOKafkaConsumer,
                    admin: AIOKafkaAdminClient) -> dict[TopicPartition, int]:
        tps = await partitions(admin, topics.ORDERS_EVENTS)
        return dict(await consumer.end_offsets(tps)) if tps else {}

    @staticmethod
    async def _behind(consumer: AIOKafkaConsumer, admin: AIOKafkaAdminClient,
                      ends: dict[TopicPartition, int]) -> int:
        """Events below `ends` the list has not handled yet."""
        if not ends:
            return 0  # nothing was ever published
        tps = list(ends)
        starts = await consumer.beginning_offsets(tps)
        committed = await admin.list_consumer_group_offsets(LIST_GROUP, partitions=tps)
        behind = 0
        for tp in tps:
            mark = committed.get(tp)
            done = mark.offset if mark is not None and mark.offset >= 0 else starts[tp]
            behind += max(0, ends[tp] - done)
        return behind


async def partitions(admin: AIOKafkaAdminClient, topic: str) -> list[TopicPartition]:
    """The topic's partitions, from the cluster (none while the topic does not exist)."""
    found = await admin.describe_topics([topic])
    return [TopicPartition(topic, p["partition"]) for t in found
            if t["topic"] == topic and t["error_code"] == 0
            for p in sorted(t["partitions"], key=lambda p: p["partition"])]
