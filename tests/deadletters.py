"""The test session's dead-letter guard: after the last test, `oms.deadletter.v1` may hold only
what tests poisoned on purpose.

A test that makes a consumer park an event on purpose (an event for an order nobody placed, an
unreadable body) says so with `poisoned_on_purpose(order_id or event_id)`. At the end of the
session the guard waits until every service's consumer group has caught up with its topics (so
the last parkings are in), then reads what the session parked and reports the rest.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from contracts import topics

ON_PURPOSE: set[str] = set()


def poisoned_on_purpose(*ids: str) -> None:
    """Events with one of these ids (event id, order id, key or claim id) may be parked."""
    ON_PURPOSE.update(ids)


def on_purpose(parked: dict[str, Any]) -> bool:
    event = parked.get("event")
    if not isinstance(event, dict):
        return False
    return any(str(event.get(f) or "") in ON_PURPOSE
               for f in ("event_id", "order_id", "key", "claim_id"))


async def _consumer(kafka: str) -> AIOKafkaConsumer:
    consumer = AIOKafkaConsumer(bootstrap_servers=kafka, group_id=None,
                                enable_auto_commit=False, auto_offset_reset="earliest")
    await consumer.start()
    return consumer


async def partitions(admin: AIOKafkaAdminClient, topic: str) -> list[TopicPartition]:
    found = await admin.describe_topics([topic])
    return [TopicPartition(topic, p["partition"]) for t in found
            if t["topic"] == topic and t["error_code"] == 0 for p in t["partitions"]]


async def _partitions(kafka: str, topic: str) -> list[TopicPartition]:
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka)
    await admin.start()
    try:
        return await partitions(admin, topic)
    finally:
        await admin.close()


async def dead_letter_ends(kafka: str) -> dict[TopicPartition, int]:
    """Where the dead-letter topic ends now: the session checks only what comes after."""
    consumer = await _consumer(kafka)
    try:
        tps = await _partitions(kafka, topics.DEAD_LETTER)
        return dict(await consumer.end_offsets(tps)) if tps else {}
    finally:
        await consumer.stop()


async def _lagging(admin: AIOKafkaAdminClient, consumer: AIOKafkaConsumer) -> dict[str, int]:
    """Messages each service consumer group has still to handle (test watchers excluded)."""
    lag: dict[str, int] = {}
    for group, *_ in await admin.list_consumer_groups():
        if group.startswith("test-"):
            continue
        committed = await admin.list_consumer_group_offsets(group)
        tps = [tp for t in sorted({tp.topic for tp in committed})
               for tp in await partitions(admin, t)]
        if not tps:
            continue
        ends, starts = await consumer.end_offsets(tps), await consumer.beginning_offsets(tps)
        behind = sum(ends[tp] - (committed[tp].offset if tp in committed and
                                 committed[tp].offset >= 0 else starts[tp]) for tp in tps)
        if behind > 0:
            lag[group] = behind
    return lag


async def settle(kafka: str, timeout: float = 60) -> dict[str, int]:
    """Wait until every service consumer group has handled its topics; what still lags when
    the time is up (a service a test left stopped) is returned."""
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka)
    await admin.start()
    consumer = await _consumer(kafka)
    try:
        deadline = time.monotonic() + timeout
        while (lag := await _lagging(admin, consumer)) and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        return lag
    finally:
        await consumer.stop()
        await admin.close()


async def parked_since(kafka: str, since: dict[TopicPartition, int]) -> list[dict[str, Any]]:
    """Everything parked in the dead-letter topic after `since`."""
    consumer = AIOKafkaConsumer(bootstrap_servers=kafka, group_id=f"test-{uuid.uuid4().hex}",
                                enable_auto_commit=False, auto_offset_reset="earliest")
    await consumer.start()
    try:
        tps = await _partitions(kafka, topics.DEAD_LETTER)
        if not tps:
            return []
        ends = await consumer.end_offsets(tps)
        consumer.assign(tps)
        for tp in tps:
            consumer.seek(tp, since.get(tp, 0))
        found: list[dict[str, Any]] = []
        async def behind() -> bool:
            return any([await consumer.position(tp) < ends[tp] for tp in tps])

        while await behind():
            for records in (await consumer.getmany(timeout_ms=1000)).values():
                for r in records:
                    try:
                        found.append(json.loads(r.value))
                    except ValueError:
                        found.append({"unreadable": repr(r.value[:200])})
        return found
    finally:
        await consumer.stop()


def describe(parked: dict[str, Any]) -> str:
    event = parked.get("event") if isinstance(parked.get("event"), dict) else {}
    assert isinstance(event, dict)
    return (f"{parked.get('consumer')}: {event.get('type')} event {event.get('event_id')} "
            f"order {event.get('order_id')} {str(parked.get('error') or '')[:200]}")


async def check(kafka: str, since: dict[TopicPartition, int]) -> None:
    """Fail when the session parked an event no test poisoned on purpose."""
    lag = await settle(kafka)
    unexpected = [p for p in await parked_since(kafka, since) if not on_purpose(p)]
    if unexpected:
        lines = "\n  ".join(describe(p) for p in unexpected[:30])
        raise AssertionError(
            f"{len(unexpected)} event(s) in {topics.DEAD_LETTER} that no test poisoned on "
            f"purpose (register them with tests.deadletters.poisoned_on_purpose):\n  {lines}"
            + (f"\n(consumer groups still lagging: {lag})" if lag else ""))
