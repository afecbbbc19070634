"""The durable partner-call worker on a real MongoDB-protocol server: a partner down for a while
queues the calls and they drain once it is back, each sent exactly once; a partner's
`Retry-After` is believed; a call that always fails ends as a visible dead letter."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from pymongo import AsyncMongoClient

from integrations.outbound import PartnerUnavailable
from integrations.partner_tasks import MAX_ATTEMPTS, PartnerTasks, Refused, runner_key
from kit.store import Store, Tx
from tests.stack import Infra


@pytest.fixture
async def store(infra: Infra) -> AsyncIterator[Store]:
    client: AsyncMongoClient[Any] = AsyncMongoClient(infra.mongo, tz_aware=True)
    name = f"tasktest_{uuid.uuid4().hex[:8]}"
    store = Store(client, name, "integrations")
    await store.db.create_collection("partner_tasks")
    yield store
    await client.drop_database(name)
    await client.close()


class Partner:
    """A partner that can be down; counts what it actually received."""

    def __init__(self) -> None:
        self.down = False
        self.retry_after: float | None = None
        self.received: Counter[str] = Counter()

    async def dispatch(self, task: dict[str, Any]) -> dict[str, Any]:
        if self.down:
            raise PartnerUnavailable("SIM", "connection refused", retry_after=self.retry_after)
        self.received[task["_id"]] += 1
        return {"ok": True}


async def add(tasks: PartnerTasks, store: Store, n: int, kind: str = "dispatch") -> list[str]:
    ids = [f"t{i}.{kind}" for i in range(n)]

    async def work(tx: Tx) -> None:
        for task_id in ids:
            await tasks.add(tx, task_id, "SIM", kind, f"order-{task_id}", {"n": task_id})

    await store.transaction(work)
    return ids


async def make_due(store: Store) -> None:
    """Time passes: every waiting task is due now (the worker only takes due tasks)."""
    await store.db.partner_tasks.update_many({"state": "PENDING"},
                                             {"$set": {"next_at": datetime.now(UTC)}})


async def drain(tasks: PartnerTasks, most: int = 100) -> int:
    """Run due tasks, at most `most` (a failed task's first backoff is short enough to be due
    again within a long round)."""
    ran = 0
    while ran < most and await tasks.run_one():
        ran += 1
    return ran


async def test_calls_queue_while_the_partner_is_down_and_drain_exactly_once(store: Store) -> None:
    partner = Partner()
    tasks = PartnerTasks(store, {runner_key("SIM", "dispatch"): partner.dispatch})
    await tasks.ensure_indexes()
    partner.down = True
    ids = await add(tasks, store, 30)
    for _ in range(3):  # three rounds of failures, each backed off
        assert await drain(tasks, 30) == 30
        await make_due(store)
    waiting = [d async for d in store.db.partner_tasks.find({})]
    assert {d["state"] for d in waiting} == {"PENDING"}
    assert {d["attempts"] for d in waiting} == {3}
    assert all(d["last_error"] == "SIM cannot be reached: connection refused" for d in waiting)
    assert not partner.received

    partner.down = False
    await add(tasks, store, 30)  # asked again (a redelivered event): nothing is added
    assert await drain(tasks) == 30
    assert await drain(tasks) == 0
    assert partner.received == Counter({task_id: 1 for task_id in ids})
    assert await store.db.partner_tasks.count_documents({"state": "DONE"}) == 30


async def test_backoff_grows_with_jitter_and_a_retry_after_is_believed(store: Store) -> None:
    partner = Partner()
    tasks = PartnerTasks(store, {runner_key("SIM", "dispatch"): partner.dispatch})
    partner.down = True
    await add(tasks, store, 40)
    delays: list[list[float]] = []
    for _ in range(3):
        started = datetime.now(UTC)
        await drain(tasks, 40)
        delays.append([(d["next_at"] - started).total_seconds()
                       async for d in store.db.partner_tasks.find({})])
        await make_due(store)
    # attempt n waits between half and all of 2^(n-1) s, spread rather than in step
    for n, waits in enumerate(delays, start=1):
        step = 2.0 ** (n - 1)
        assert all(step / 2 - 0.05 <= w <= step + 1.0 for w in waits), (n, waits)
        assert max(waits) - min(waits) > step / 10
    partner.retry_after = 120.0
    started = datetime.now(UTC)
    await drain(tasks, 40)
    waits = [(d["next_at"] - started).total_seconds()
             async for d in store.db.partner_tasks.find({})]
    assert all(119 <= w <= 121.5 for w in waits), waits


async def test_a_call_that_always_fails_ends_as_a_visible_dead_letter(store: Store) -> None:
    partner = Partner()
    dead: list[tuple[str, str]] = []

    async def on_dead(tx: Tx, task: dict[str, Any], error: str) -> None:
        dead.append((task["_id"], error))

    async def refuse(task: dict[str, Any]) -> dict[str, Any]:
        raise Refused("104442 state changed")

    tasks = PartnerTasks(store, {runner_key("SIM", "dispatch"): partner.dispatch,
                                 runner_key("SIM", "reject"): refuse})
    tasks.on_dead[runner_key("SIM", "dispatch")] = on_dead
    partner.down = True
    [failing] = await add(tasks, store, 1)
    [refused] = await add(tasks, store, 1, kind="reject")
    assert await drain(tasks, 2) == 2
    refused_doc = await store.db.partner_tasks.find_one({"_id": refused})
    assert refused_doc is not None
    assert (refused_doc["state"], refused_doc["attempts"]) == ("DEAD", 1)  # no retry helps
    for _ in range(MAX_ATTEMPTS - 1):
        await make_due(store)
        assert await drain(tasks, 1) == 1
    doc = await store.db.partner_tasks.find_one({"_id": failing})
    assert doc is not None
    assert (doc["state"], doc["attempts"]) == ("DEAD", MAX_ATTEMPTS)
    assert dead == [(failing, "SIM cannot be reached: connection refused")]
    await make_due(store)
    assert await drain(tasks) == 0  # a dead letter is not tried again by itself

    partner.down = False
    await tasks.retry(failing)  # until an operator says so
    assert await drain(tasks) == 1
    assert partner.received == Counter({failing: 1})
