"""Outbound partner calls as durable tasks: stored before they are tried, retried with backoff,
and dead-lettered where an operator sees them (SPEC §10).

A task is a row of `partner_tasks`: `_id` (idempotent: the event that asked for it; letters,
digits, '.', '_' and '-' only, so it is a path id), `partner`, `kind` (e.g. `dispatch`),
`order_id`, `body`, `state` PENDING | WAITING (the runner lacks something only the seller can give,
e.g. credentials: not tried again until released) | DONE | DEAD | CANCELLED (given up by an operator),
`attempts`, `next_at`, `last_error`. A worker (any replica; a task is taken with a short claim)
runs due tasks; a partner that cannot be reached is tried again after about 1, 2, 4, ... s (at most
5 min; half of each step random, outbound.backoff), or when the partner's `Retry-After` said,
MAX_ATTEMPTS times, then the task is DEAD. A refusal by the partner (a business code, not an
outage) is DEAD at once: trying again cannot help. `POST /partner-tasks/{id}/retry` puts a dead
task back.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict
from pymongo import ASCENDING, ReturnDocument

from integrations.outbound import PartnerUnavailable, backoff
from kit.errors import DomainError, NotFound
from kit.store import Store, Tx

log = logging.getLogger("integrations.partner_tasks")
MAX_ATTEMPTS = 8
CLAIM_SECONDS = 60  # a task taken by a worker that died is taken again after this


class Refused(Exception):
    """The partner answered and said no: the task is dead, with this reason."""


class Wait(Exception):
    """The call cannot be made yet (e.g. the seller has not entered the partner's credentials):
    the task is WAITING, with this reason, until `release` puts it back; no attempt counted."""


# partner/kind -> what runs it: (task) -> the partner's answer (stored on the task)
Runner = Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]
# partner/kind -> what follows, in the transaction that finishes the task: (tx, task, answer or error)
Done = Callable[[Tx, dict[str, Any], dict[str, Any]], Awaitable[None]]
Dead = Callable[[Tx, dict[str, Any], str], Awaitable[None]]


def runner_key(partner: str, kind: str) -> str:
    """What `runners`, `on_done` and `on_dead` are keyed by: each partner runs its own kinds."""
    return f"{partner}/{kind}"


class PartnerTaskView(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str
    partner: str
    kind: str
    order_id: str
    state: Literal["PENDING", "WAITING", "DONE", "DEAD", "CANCELLED"]
    attempts: int
    last_error: str = ""
    created_at: datetime | None = None
    finished_at: datetime | None = None
    body: dict[str, Any] = {}


class PartnerTasks:
    def __init__(self, store: Store, runners: dict[str, Runner],
                 on_done: dict[str, Done] | None = None) -> None:
        self.store = store
        self.runners = runners
        self.on_done = on_done or {}
        self.on_dead: dict[str, Dead] = {}
        self._wake = asyncio.Event()

    async def ensure_indexes(self) -> None:
        await self.store.db.partner_tasks.create_index([("state", ASCENDING),
                                                        ("next_at", ASCENDING)])
        await self.store.db.partner_tasks.create_index([("order_id", ASCENDING)])

    async def add(self, tx: Tx, task_id: str, partner: str, kind: str, order_id: str,
                  body: dict[str, Any]) -> None:
        """Store a task in `tx` (once per id: a redelivered request adds nothing)."""
        now = datetime.now(UTC)
        await tx.db.partner_tasks.update_one(
            {"_id": task_id},
            {"$setOnInsert": {"partner": partner, "kind": kind, "order_id": order_id,
                              "body": body, "state": "PENDING", "attempts": 0, "next_at": now,
                              "created_at": now, "last_error": ""}},
            upsert=True, session=tx.session)
        self._wake.set()

    async def run(self, idle_seconds: float = 0.5) -> None:
        while True:
            try:
                ran = await self.run_one()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("partner task worker failed; going on")
                ran = False
                await asyncio.sleep(1)
            if not ran:
                self._wake.clear()
                try:
                    await asyncio.wait_for(self._wake.wait(), idle_seconds)
                except TimeoutError:
                    pass

    async def run_one(self) -> bool:
        now = datetime.now(UTC)
        task = await self.store.db.partner_tasks.find_one_and_update(
            {"state": "PENDING", "next_at": {"$lte": now}},
            {"$set": {"next_at": now + timedelta(seconds=CLAIM_SECONDS)},
             "$inc": {"attempts": 1}},
            sort=[("next_at", ASCENDING)], return_document=ReturnDocument.AFTER)
        if task is None:
            return False
        try:
            answer = await self.runners[runner_key(task["partner"], task["kind"])](task)
        except Refused as exc:
            await self._finish(task, "DEAD", str(exc))
        except Wait as exc:
            await self.store.db.partner_tasks.update_one(
                {"_id": task["_id"]}, {"$set": {"state": "WAITING", "last_error": str(exc)},
                                       "$inc": {"attempts": -1}})
        except DomainError as exc:  # the partner is unreachable or failing: later
            if task["attempts"] >= MAX_ATTEMPTS:
                await self._finish(task, "DEAD", exc.message)
            else:
                asked = exc.retry_after if isinstance(exc, PartnerUnavailable) else None
                delay = asked if asked is not None else backoff(task["attempts"], 1.0, 300.0)
                await self.store.db.partner_tasks.update_one(
                    {"_id": task["_id"]}, {"$set": {"next_at": now + timedelta(seconds=delay),
                                                    "last_error": exc.message}})
        else:
            await self._finish(task, "DONE", "", answer)
        return True

    async def _finish(self, task: dict[str, Any], state: str, error: str,
                      answer: dict[str, Any] | None = None) -> None:
        async def work(tx: Tx) -> None:
            await tx.db.partner_tasks.update_one(
                {"_id": task["_id"]},
                {"$set": {"state": state, "last_error": error, "answer": answer or {},
                          "finished_at": datetime.now(UTC)}}, session=tx.session)
            done = self.on_done.get(runner_key(task["partner"], task["kind"]))
            dead = self.on_dead.get(runner_key(task["partner"], task["kind"]))
            if state == "DONE" and done is not None:
                await done(tx, task, answer or {})
            elif state == "DEAD" and dead is not None:
                await dead(tx, task, error)

        if state == "DEAD":
            log.error("partner task %s (%s) is dead: %s", task["_id"], task["kind"], error)
        await self.store.transaction(work)

    async def cancel(self, task_id: str) -> None:
        """An operator gives a pending or dead call up (e.g. done by hand in the partner's
        center). A pending one ends as its dead letter would (a refund: failed, so the seller
        settles it), once."""
        task = await self.store.db.partner_tasks.find_one({"_id": task_id})
        if task is None:
            raise NotFound("partner task", task_id)
        if task["state"] not in ("PENDING", "WAITING", "DEAD"):
            raise DomainError("task_finished", "partner task {id} is {state}: nothing to cancel",
                              key="partner_task_finished", id=task_id, state=task["state"])

        async def work(tx: Tx) -> None:
            moved = await tx.db.partner_tasks.update_one(
                {"_id": task_id, "state": task["state"]},
                {"$set": {"state": "CANCELLED", "finished_at": datetime.now(UTC),
                          "last_error": task.get("last_error") or "cancelled"}},
                session=tx.session)
            if moved.modified_count != 1:
                raise DomainError("task_moved", "partner task {id} changed meanwhile",
                                  key="partner_task_moved", retryable=True, id=task_id)
            dead = self.on_dead.get(runner_key(task["partner"], task["kind"]))
            if task["state"] in ("PENDING", "WAITING") and dead is not None:
                await dead(tx, task, "cancelled by an operator")

        await self.store.transaction(work)

    async def release(self, partner: str) -> int:
        """Put a partner's WAITING tasks back to PENDING (what they waited for is there)."""
        moved = await self.store.db.partner_tasks.update_many(
            {"partner": partner, "state": "WAITING"},
            {"$set": {"state": "PENDING", "next_at": datetime.now(UTC)}})
        if moved.modified_count:
            self._wake.set()
        return int(moved.modified_count)

    async def retry(self, task_id: str) -> None:
        found = await self.store.db.partner_tasks.update_one(
            {"_id": task_id, "state": "DEAD"},
            {"$set": {"state": "PENDING", "attempts": 0, "next_at": datetime.now(UTC)}})
        if found.matched_count != 1:
            raise NotFound("partner task", task_id)
        self._wake.set()


def view(doc: dict[str, Any]) -> PartnerTaskView:
    return PartnerTaskView(id=doc["_id"], partner=doc["partner"], kind=doc["kind"],
                           order_id=doc["order_id"], state=doc["state"],
                           attempts=doc["attempts"], last_error=doc.get("last_error", ""),
                           created_at=doc.get("created_at"), finished_at=doc.get("finished_at"),
                           body=doc.get("body", {}))


def router(tasks: PartnerTasks) -> APIRouter:
    r = APIRouter(tags=["partner tasks"])

    @r.get("/partner-tasks")
    async def list_tasks(state: Literal["PENDING", "WAITING", "DONE", "DEAD", "CANCELLED"]
                         | None = None,
                         order_id: str | None = Query(default=None, max_length=100),
                         partner: str | None = Query(default=None, max_length=40),
                         limit: int = Query(default=100, ge=1, le=500)) -> list[PartnerTaskView]:
        """Outbound partner calls, newest first: the dead letter is `?state=DEAD`."""
        query: dict[str, Any] = {}
        if state:
            query["state"] = state
        if order_id:
            query["order_id"] = order_id
        if partner:
            query["partner"] = partner
        cursor = tasks.store.db.partner_tasks.find(query).sort("created_at", -1).limit(limit)
        return [view(d) async for d in cursor]

    @r.get("/partner-tasks/counts")
    async def counts() -> dict[str, dict[str, int]]:
        """Calls per partner and state (the admin's 연동 현황)."""
        out: dict[str, dict[str, int]] = {}
        async for row in await tasks.store.db.partner_tasks.aggregate([
                {"$group": {"_id": {"partner": "$partner", "state": "$state"},
                            "n": {"$sum": 1}}}]):
            out.setdefault(row["_id"]["partner"], {})[row["_id"]["state"]] = row["n"]
        return out

    @r.post("/partner-tasks/{task_id}/cancel", status_code=204)
    async def cancel(task_id: str) -> None:
        """Give a pending, waiting or dead call up."""
        await tasks.cancel(task_id)

    @r.post("/partner-tasks/{task_id}/retry", status_code=204)
    async def retry(task_id: str) -> None:
        """Try a dead task again from its first attempt."""
        await tasks.retry(task_id)

    return r
