"""Bulk processing (일괄처리) without a count limit, as resumable jobs.

A job holds one item per target (a section, or an order for order-level actions), stored in
chunks of up to CHUNK items (one document each). The worker takes PENDING chunks, applies the
domain to each order in memory, then commits the changed orders (version-checked), their outbox
events, the chunk's item results and the job counters in ONE transaction. So an item is either
done together with its change or still PENDING: after a crash the job resumes and nothing is
applied twice. If a chunk meets a concurrent change, its items are retried one by one. Only one
worker holds a job at a time (a lease).

A job on "everything matching a tab" is resolved when the worker starts it, not when it is
created: the worker first waits until the order list (which follows the events, so it lags)
shows every change committed before that moment (list_barrier.py), then reads the tab's rows
from it. A job queued right behind another one therefore covers the orders the first one moved.
"""

from __future__ import annotations

import asyncio
import copy
import functools
import logging
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import ASCENDING, DESCENDING

from contracts.envelope import Actor, Event
from contracts.orders.requests import CreateJob, ListFilter, Target
from contracts.orders.v1 import SectionStatus
from kit.errors import DomainError, InvalidInput, NotFound
from kit.store import Tx
from orders import listing
from orders import repository as repo
from orders.domain import Order
from orders.list_barrier import ListBarrier
from orders.service import OrderService

log = logging.getLogger("orders.bulk")
S = SectionStatus
# Section actions target sections in these statuses; order actions target the order.
SOURCE: dict[str, tuple[SectionStatus, ...]] = {
    "READY_TO_SHIP": (S.PREPARING,),
    "SHIP": (S.PREPARING, S.READY_TO_SHIP),
    "DELIVER": (S.SHIPPING,),
}
ORDER_ACTIONS = ("CONFIRM_DEPOSIT", "CANCEL", "MERGE_AND_SHIP")
CHUNK = 250  # items per chunk document: one transaction each
LANES = 3  # chunks committed in parallel
LOOKUP = 1000  # targets looked up per query when a job is created
LEASE = timedelta(seconds=10)  # renewed after every batch; a dead worker frees it soon


async def ensure_indexes(db: Any) -> None:
    await db.bulk_chunks.create_index([("job_id", ASCENDING), ("state", ASCENDING),
                                       ("n", ASCENDING)])
    await db.bulk_chunks.create_index([("job_id", ASCENDING), ("n", ASCENDING)])
    await db.bulk_jobs.create_index([("created_at", DESCENDING)])
    await db.bulk_progress.create_index([("job_id", ASCENDING)])


class BulkJobs:
    def __init__(self, service: OrderService, barrier: ListBarrier) -> None:
        self.service = service
        self.db = service.store.db
        self.barrier = barrier
        self.worker_id = uuid.uuid4().hex
        self.wake = asyncio.Event()

    # ---- creating a job ----

    async def create(self, cmd: CreateJob) -> dict[str, Any]:
        job_id = uuid.uuid4().hex[:12]
        now = self.service.clock.now()
        job = {"_id": job_id, "action": cmd.action, "status": "QUEUED", "total": 0,
               "created_at": now, "started_at": None,
               "finished_at": None, "actor": cmd.actor.model_dump(), "source": cmd.source,
               "lease_until": None, "worker": None,
               # A tab's rows are read when the job starts (resolved then), a selection now.
               "filter": cmd.filter.model_dump(mode="json") if cmd.filter else None,
               "carrier": cmd.carrier, "resolved": cmd.filter is None}
        if cmd.filter is None:
            items = [item async for item in self._selected(cmd)]
            if not items:
                raise InvalidInput("empty_selection", "nothing matches this selection")
            job["total"] = await self._write_chunks(job_id, items)
        await self.db.bulk_jobs.insert_one(job)
        self.wake.set()
        return public(job)

    async def _write_chunks(self, job_id: str, items: list[dict[str, Any]]) -> int:
        for seq, item in enumerate(items):
            item["seq"] = seq
        # Item states and reasons are arrays beside the items: a batch rewrites two arrays,
        # not hundreds of fields (which this server makes slow).
        chunks = [{"_id": f"{job_id}:{n:06d}", "job_id": job_id, "n": n, "state": "PENDING",
                   "done": 0, "failed": 0, "items": part, "states": ["PENDING"] * len(part),
                   "reasons": [""] * len(part)}
                  for n, part in enumerate(items[first:first + CHUNK]
                                           for first in range(0, len(items), CHUNK))]
        for start in range(0, len(chunks), 20):
            await self.db.bulk_chunks.insert_many(chunks[start:start + 20], ordered=False)
        return len(items)

    async def _resolve(self, job: dict[str, Any]) -> None:
        """The tab's rows, once the list shows every change committed before the job started.
        Chunks left by a resolution cut short are replaced: no item ran before `resolved`."""
        async def keep_lease() -> None:
            await self.db.bulk_jobs.update_one(
                {"_id": job["_id"], "worker": self.worker_id},
                {"$set": {"lease_until": _wall_clock() + LEASE}})

        await self.barrier.wait_until_listed(job["started_at"] or _wall_clock(), keep_lease)
        flt = ListFilter.model_validate(job["filter"])
        items: list[dict[str, Any]] = []
        cursor = await listing.all_rows(self.db, flt, {"_id": 1, "order_no": 1, "sections": 1})
        async for row in cursor:
            items += self._expand(job["action"], job.get("carrier", ""), row["_id"],
                                  row["order_no"], row["sections"])
        await self.db.bulk_chunks.delete_many({"job_id": job["_id"]})
        total = await self._write_chunks(job["_id"], items)
        await self.db.bulk_jobs.update_one({"_id": job["_id"], "worker": self.worker_id},
                                           {"$set": {"resolved": True, "total": total}})

    async def _selected(self, cmd: CreateJob) -> Any:
        # Rows are not expanded into sections here: the worker reads each order anyway and
        # applies a section action to every section it fits (section_id "" = all of them).
        # Order numbers are looked up in the orders themselves, not in the list, which may lag.
        ids: dict[str, str] = {}
        wanted = [t.order_no for t in cmd.targets if t.order_no and not t.order_id]
        for first in range(0, len(wanted), LOOKUP):  # large $in lists are slow to match
            async for doc in self.db.orders.find(
                    {"order_no": {"$in": wanted[first:first + LOOKUP]}}, {"order_no": 1}):
                ids[doc["order_no"]] = doc["_id"]
        for t in cmd.targets:
            order_id = t.order_id or ids.get(t.order_no, "")
            yield _item(order_id, t.order_no, t.section_id, t,
                        failed=None if order_id else NotFound("order", t.order_no))

    @staticmethod
    def _expand(action: str, carrier: str, order_id: str, order_no: str,
                sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
        t = Target(carrier=carrier)
        if action in ORDER_ACTIONS:
            return [_item(order_id, order_no, "", t)]
        wanted = {s.value for s in SOURCE[action]}
        chosen = [s["section_id"] for s in sections if s["status"] in wanted]
        if not chosen:
            why = _no_fitting_section(action, [s["status"] for s in sections])
            return [_item(order_id, order_no, "", t, failed=why, where=f"order {order_no}")]
        return [_item(order_id, order_no, sid, t) for sid in chosen]

    # ---- running jobs ----

    async def run(self, idle_seconds: float = 1.0) -> None:
        while True:
            try:
                job = await self._claim()
                if job is not None:
                    await self._process(job)
                    continue
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("bulk worker pass failed")
                await asyncio.sleep(1)
            self.wake.clear()
            try:
                await asyncio.wait_for(self.wake.wait(), idle_seconds)
            except TimeoutError:
                pass

    async def _claim(self) -> dict[str, Any] | None:
        now = _wall_clock()  # leases use real time: the business clock can be moved in tests
        job = await self.db.bulk_jobs.find_one_and_update(
            {"status": {"$in": ["QUEUED", "RUNNING"]},
             "$or": [{"lease_until": None}, {"lease_until": {"$lt": now}},
                     {"worker": self.worker_id}]},
            {"$set": {"status": "RUNNING", "worker": self.worker_id, "lease_until": now + LEASE}},
            sort=[("created_at", ASCENDING)], return_document=True)
        if job is not None and job["started_at"] is None:
            await self.db.bulk_jobs.update_one({"_id": job["_id"], "started_at": None},
                                               {"$set": {"started_at": now}})
        return job

    async def _process(self, job: dict[str, Any]) -> None:
        if not job.get("resolved", True):
            await self._resolve(job)
        settings = await self.service.shop_settings()
        change = _change_for(job["action"], Actor(**job["actor"]), settings.auto_confirm_days)
        while True:
            chunks = await self.db.bulk_chunks.find(
                {"job_id": job["_id"], "state": "PENDING"}).sort("n", 1).limit(LANES).to_list()
            if not chunks:
                break
            # Lanes commit in parallel (the database has cores to spare); each lane keeps its
            # own progress counter so the transactions never write the same document.
            await asyncio.gather(*(self._apply_chunk(job["_id"], lane, chunk, change)
                                   for lane, chunk in enumerate(chunks)))
            await self.db.bulk_jobs.update_one(
                {"_id": job["_id"]},
                {"$set": {"lease_until": _wall_clock() + LEASE}})
        await self.db.bulk_jobs.update_one(
            {"_id": job["_id"], "worker": self.worker_id},
            {"$set": {"status": "DONE", "finished_at": self.service.clock.now(),
                      "lease_until": None}})

    async def _apply_chunk(self, job_id: str, lane: int, chunk: dict[str, Any],
                           change: Callable[[Order, dict[str, Any], datetime], list[Event]]) -> None:
        pending = [i for i, state in enumerate(chunk["states"]) if state == "PENDING"]
        try:
            chunk.update(await self.service.store.transaction(
                lambda tx: self._apply_batch(tx, job_id, lane, chunk, pending, change)))
        except DomainError as exc:
            if not exc.retryable:
                raise
            log.info("bulk job %s chunk %s: %s; going item by item", job_id, chunk["n"],
                     exc.message)
            for i in pending:  # someone changed one of these orders: go one by one
                chunk.update(await self.service.store.transaction(functools.partial(
                    self._apply_batch, job_id=job_id, lane=lane, chunk=chunk, indexes=[i],
                    change=change)))

    async def _apply_batch(self, tx: Tx, job_id: str, lane: int, chunk: dict[str, Any],
                           indexes: list[int],
                           change: Callable[[Order, dict[str, Any], datetime], list[Event]],
                           ) -> dict[str, list[Any]]:
        """Apply the chunk's items at `indexes` (all its pending ones, or one); returns the
        chunk's item states and reasons as committed."""
        states, reasons = list(chunk["states"]), list(chunk["reasons"])
        whys = list(chunk.get("whys") or [None] * len(states))
        now = self.service.clock.now()
        items = [chunk["items"][i] for i in indexes]
        order_ids = list({i["order_id"] for i in items if i["order_id"]})
        docs = await repo.load_for_change(tx.db, order_ids, tx.session)
        orders = {oid: repo.from_doc(d) for oid, d in docs.items()}
        shared = {oid for oid in orders
                  if sum(1 for i in items if i["order_id"] == oid) > 1}
        events: list[Event] = []
        changed: set[str] = set()
        done = failed = 0
        for index, item in zip(indexes, items, strict=True):
            order = orders.get(item["order_id"])
            state, reason, why = "DONE", "", None
            if item.get("failed"):
                state, reason, why = "FAILED", item["failed"], item.get("failed_why")
            elif order is None:
                missing = NotFound("order", item["order_no"] or item["order_id"])
                state, reason, why = "FAILED", missing.message, _why(missing)
            else:
                # An order with several items in the batch keeps a copy, so an item that fails
                # half-way leaves nothing of itself behind for the next item's write.
                saved = copy.deepcopy(order) if order.order_id in shared else None
                try:
                    events += change(order, item, now)
                    changed.add(order.order_id)
                except DomainError as refused:
                    if saved is not None:
                        orders[order.order_id] = saved
                    where = f"section {item['section_id']}" if item["section_id"] \
                        else f"order {order.order_no}"
                    state, reason = "FAILED", f"{where}: {refused.message}"
                    why = _why(refused, where)
            done += state == "DONE"
            failed += state == "FAILED"
            states[index], reasons[index], whys[index] = state, reason, why
        if changed:
            writes = [repo.update_op(docs[oid], orders[oid]) for oid in changed]
            result = await tx.db.orders.bulk_write(writes, ordered=False, session=tx.session)
            if result.matched_count != len(writes):
                raise DomainError("conflict", "an order changed during the batch", key="batch_conflict",
                                  retryable=True)
        for e in events:
            tx.emit(e)
        # The chunk is DONE once no item is left PENDING. Its states must be as this worker
        # read them (a worker that lost its lease, or a crash and retry, finds them changed).
        updated = await tx.db.bulk_chunks.update_one(
            {"_id": chunk["_id"], "states": chunk["states"]},
            {"$set": {"states": states, "reasons": reasons, "whys": whys, "updated_at": now,
                      **({"state": "DONE"} if "PENDING" not in states else {})},
             "$inc": {"done": done, "failed": failed}}, session=tx.session)
        if updated.modified_count != 1:
            raise DomainError("conflict", "bulk items changed meanwhile", key="batch_conflict",
                              retryable=True)
        await tx.db.bulk_progress.update_one(
            {"_id": f"{job_id}:{lane}"},
            {"$inc": {"done": done, "failed": failed}, "$setOnInsert": {"job_id": job_id}},
            upsert=True, session=tx.session)
        return {"states": states, "reasons": reasons, "whys": whys}

    # ---- reading ----

    async def get(self, job_id: str) -> dict[str, Any]:
        job = await self.db.bulk_jobs.find_one({"_id": job_id})
        if job is None:
            raise NotFound("bulk job", job_id)
        return await self._with_progress(job)

    async def recent(self, limit: int = 50, before: datetime | None = None,
                     status: str | None = None) -> dict[str, Any]:
        """Newest first, a page at a time (`next_before` continues), optionally one status."""
        query: dict[str, Any] = {}
        if before is not None:
            query["created_at"] = {"$lt": before}
        if status:
            query["status"] = status
        jobs = await self.db.bulk_jobs.find(query).sort("created_at", -1).limit(limit).to_list()
        return {"jobs": [await self._with_progress(j) for j in jobs],
                "next_before": jobs[-1]["created_at"] if len(jobs) == limit else None}

    async def _with_progress(self, job: dict[str, Any]) -> dict[str, Any]:
        lanes = await self.db.bulk_progress.find({"job_id": job["_id"]}).to_list()
        job["done"] = sum(p["done"] for p in lanes)
        job["failed"] = sum(p["failed"] for p in lanes)
        return public(job)

    async def items(self, job_id: str, state: str | None, after: int, limit: int) -> dict[str, Any]:
        query: dict[str, Any] = {"job_id": job_id, "n": {"$gte": max(after + 1, 0) // CHUNK}}
        if state in ("DONE", "FAILED"):
            query[state.lower()] = {"$gt": 0}  # skip chunks without any such item
        elif state == "PENDING":
            query["state"] = "PENDING"
        rows: list[dict[str, Any]] = []
        cursor = self.db.bulk_chunks.find(query, {"items": 1, "states": 1, "reasons": 1,
                                                  "whys": 1})
        async with cursor.sort("n", 1).batch_size(4):
            async for chunk in cursor:
                whys = chunk.get("whys") or [None] * len(chunk["states"])
                rows += [{"job_id": job_id, **item, "state": s, "reason": reason, "why": why}
                         for item, s, reason, why in zip(chunk["items"], chunk["states"],
                                                         chunk["reasons"], whys, strict=True)
                         if item["seq"] > after and (state is None or s == state)]
                if len(rows) >= limit:
                    break
        rows = rows[:limit]
        unnamed = [r["order_id"] for r in rows if r["order_id"] and not r["order_no"]]
        if unnamed:  # rows chosen by order id: their order numbers, for the report
            names = {d["_id"]: d["order_no"] async for d in self.db.order_list.find(
                {"_id": {"$in": unnamed}}, {"order_no": 1})}
            for r in rows:
                r["order_no"] = r["order_no"] or names.get(r["order_id"], "")
        return {"items": rows, "next_after": rows[-1]["seq"] if len(rows) == limit else None}


def _wall_clock() -> datetime:
    return datetime.now(UTC)


def _item(order_id: str, order_no: str, section_id: str, t: Target,
          failed: DomainError | None = None, where: str = "") -> dict[str, Any]:
    item: dict[str, Any] = {"order_id": order_id, "order_no": order_no, "section_id": section_id,
            "carrier": t.carrier.strip(), "invoice_no": t.invoice_no.strip(), "row": t.row,
            "failed": ""}
    if failed is not None:
        item["failed"] = f"{where}: {failed.message}" if where else failed.message
        item["failed_why"] = _why(failed, where)
    return item


def _why(refused: DomainError, where: str = "") -> dict[str, Any]:
    """What the gateway translates an item's reason from: the refusal's key and params, and
    where it happened ("order X" / "section X-1"), as it is written before the message."""
    kind, _, ident = where.partition(" ")
    return {**refused.why(), "at": kind, "id": ident}


def _no_fitting_section(action: str, statuses: list[str]) -> DomainError:
    return DomainError("invalid_transition", "no section in {wanted} (sections are {statuses})",
                       key="no_fitting_section", wanted=sorted(s.value for s in SOURCE[action]),
                       statuses=sorted(set(statuses)))


def _change_for(action: str, actor: Actor,
                days: int) -> Callable[[Order, dict[str, Any], datetime], list[Event]]:
    def change(o: Order, item: dict[str, Any], now: datetime) -> list[Event]:
        if item["section_id"] or action in ORDER_ACTIONS:
            return change_one(o, item["section_id"], item, now)
        chosen = [s.section_id for s in o.sections if s.status in SOURCE[action]]
        if not chosen:
            raise _no_fitting_section(action, o.statuses)
        return [e for sid in chosen for e in change_one(o, sid, item, now)]

    def change_one(o: Order, sid: str, item: dict[str, Any], now: datetime) -> list[Event]:
        match action:
            case "CONFIRM_DEPOSIT":
                return o.confirm_deposit(actor, now)
            case "CANCEL":
                return o.cancel("판매자 일괄 취소", actor, now)
            case "READY_TO_SHIP":
                return o.change_section(sid, S.READY_TO_SHIP, actor, now, days,
                                        item["carrier"], item["invoice_no"])
            case "SHIP":
                return o.ship(sid, item["carrier"], item["invoice_no"], actor, now, days)
            case "DELIVER":
                return o.change_section(sid, S.DELIVERED, actor, now, days)
            case "MERGE_AND_SHIP":
                return _merge_and_ship(o, item, actor, now, days)
        raise InvalidInput("action", "unknown bulk action {action}", action=action)

    return change


def _merge_and_ship(o: Order, item: dict[str, Any], actor: Actor, now: datetime,
                    days: int) -> list[Event]:
    waiting = [s.section_id for s in o.sections if s.status in (S.PREPARING, S.READY_TO_SHIP)]
    if not waiting:
        raise DomainError("invalid_transition",
                          "no PREPARING or READY_TO_SHIP section (statuses: {statuses})",
                          key="nothing_to_merge", statuses=o.statuses)
    events: list[Event] = []
    preparing = [s.section_id for s in o.sections if s.status is S.PREPARING]
    ready = [s.section_id for s in o.sections if s.status is S.READY_TO_SHIP]
    if len(preparing) > 1:
        events += o.merge_sections(preparing, actor, now)
    if preparing:
        events += o.change_section(preparing[0], S.READY_TO_SHIP, actor, now, days)
        ready = [s.section_id for s in o.sections if s.status is S.READY_TO_SHIP]
    if len(ready) > 1:
        events += o.merge_sections(ready, actor, now)
    return events + o.ship(ready[0], item["carrier"], item["invoice_no"], actor, now, days)


def public(job: dict[str, Any]) -> dict[str, Any]:
    job = dict(job)
    job["job_id"] = job.pop("_id")
    job.pop("worker", None)
    job.pop("lease_until", None)
    return job
