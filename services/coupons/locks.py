"""Checkout locks: the coupons and points one placement takes, all or nothing.

A lock is keyed by the placement's `order_ref` (derived from the buyer's Idempotency-Key when
there is one), so a retried placement finds its lock and takes nothing again. A lock ends
COMMITTED (its order was placed: the gateway's commit or the order's `OrderPlaced`, whichever
comes first) or RELEASED (the placement was refused, or nobody committed it within
`lock_ttl_seconds` of the coupons service's clock).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError

from coupons.catalog import HeldStatus
from coupons.checkout import Checkout, Choice, Lock, move_points
from kit.clock import Clock
from kit.errors import DomainError, NotFound
from kit.store import Store, Tx

log = logging.getLogger("coupons.locks")


class LockState:
    LOCKED = "LOCKED"  # coupons LOCKED and points deducted for a placement under way
    COMMITTED = "COMMITTED"  # its order was placed (the order's coupons become USED)
    RELEASED = "RELEASED"  # given back: the placement failed or the lock expired


async def ensure_indexes(db: Any) -> None:
    await db.locks.create_index([("state", ASCENDING), ("expires_at", ASCENDING)])


class Locks:
    def __init__(self, store: Store, clock: Clock, checkout: Checkout, ttl_seconds: float) -> None:
        self.store = store
        self.db = store.db
        self.clock = clock
        self.checkout = checkout
        self.ttl = timedelta(seconds=ttl_seconds)

    async def lock(self, req: Lock) -> dict[str, Any]:
        """Take the chosen coupons and points; a retry with the same order_ref takes nothing
        and answers what the first attempt took."""
        before = await self.db.locks.find_one({"_id": req.order_ref})
        if before is not None and (held := self._held_answer(before, req.member_id)) is not None:
            return held
        applied = await self.checkout.priced(req)
        ids = Choice.model_validate(applied["choice"]).ids()
        now = self.clock.now()
        attempt = before.get("attempt", 0) + 1 if before is not None else 0
        answer = {"order_ref": req.order_ref, **applied, "points": req.points}
        entry_id = f"use:{req.order_ref}" + (f":{attempt}" if attempt else "")
        doc = {"_id": req.order_ref, "member_id": req.member_id, "coupon_ids": ids,
               "points": req.points, "state": LockState.LOCKED, "order_id": "", "at": now,
               "expires_at": now + self.ttl, "attempt": attempt, "entry_id": entry_id,
               "answer": answer}

        async def work(tx: Tx) -> None:
            if before is None:
                await tx.db.locks.insert_one(doc, session=tx.session)
            else:  # the earlier attempt was given back: this one takes again
                r = await tx.db.locks.replace_one(
                    {"_id": req.order_ref, "state": LockState.RELEASED,
                     "attempt": before.get("attempt", {"$exists": False})},
                    doc, session=tx.session)
                if r.matched_count == 0:
                    raise DuplicateKeyError("lock changed meanwhile")
            for cid in ids:
                r = await tx.db.held.update_one(
                    {"_id": cid, "member_id": req.member_id, "status": HeldStatus.AVAILABLE},
                    {"$set": {"status": HeldStatus.LOCKED, "order_ref": req.order_ref}},
                    session=tx.session)
                if r.matched_count == 0:
                    raise DomainError("coupon_taken",
                                      "coupon {coupon_id} is being used on another order",
                                      coupon_id=cid)
            if req.points:
                await move_points(tx, req.member_id, -req.points, "used", now,
                                  entry_id=entry_id, order_ref=req.order_ref)

        try:
            await self.store.transaction(work)
        except DuplicateKeyError:  # a concurrent attempt of the same placement locked first
            other = await self.db.locks.find_one({"_id": req.order_ref})
            if other is not None and (held := self._held_answer(other, req.member_id)):
                return held
            raise DomainError("lock_exists", "{order_ref} is already locked",
                              order_ref=req.order_ref) from None
        return answer

    @staticmethod
    def _held_answer(lock: dict[str, Any], member_id: str) -> dict[str, Any] | None:
        if lock["member_id"] != member_id:
            raise DomainError("lock_exists", "{order_ref} is already locked",
                              order_ref=lock["_id"])
        if lock["state"] == LockState.RELEASED or "answer" not in lock:
            return None
        return dict(lock["answer"])

    async def unlock(self, order_ref: str, reason: str = "use_cancelled") -> dict[str, Any]:
        """Give back what a placement that failed had taken (nothing once it is committed)."""
        now = self.clock.now()

        async def work(tx: Tx) -> bool:
            lock = await tx.db.locks.find_one_and_update(
                {"_id": order_ref, "state": LockState.LOCKED},
                {"$set": {"state": LockState.RELEASED, "released_at": now,
                          "release_reason": reason}}, session=tx.session)
            if lock is None:
                return False
            for cid in lock["coupon_ids"]:
                await tx.db.held.update_one(
                    {"_id": cid, "status": HeldStatus.LOCKED, "order_ref": order_ref},
                    {"$set": {"status": HeldStatus.AVAILABLE, "order_ref": ""}},
                    session=tx.session)
            if lock["points"]:
                await move_points(tx, lock["member_id"], lock["points"], reason, now,
                                  order_ref=order_ref)
            return True

        return {"released": await self.store.transaction(work)}

    async def commit(self, order_ref: str, order_id: str, order_no: str) -> dict[str, Any]:
        await self.store.transaction(lambda tx: self.settle(tx, order_ref, order_id, order_no))
        return {"order_ref": order_ref, "order_id": order_id}

    async def settle(self, tx: Tx, order_ref: str, order_id: str, order_no: str,
                     missing_ok: bool = False) -> None:
        """The lock's order was placed: commit it (once). A lock released meanwhile (it expired
        before the order reached us) takes its coupons and points again: the order used them."""
        lock = await tx.db.locks.find_one({"_id": order_ref}, session=tx.session)
        if lock is None:
            if missing_ok:
                return
            raise NotFound("lock", order_ref)
        if lock["state"] == LockState.COMMITTED:
            if lock["order_id"] != order_id:
                if missing_ok:  # an event naming a lock of another order changes nothing
                    log.warning("order %s names lock %s of order %s", order_id, order_ref,
                                lock["order_id"])
                    return
                raise DomainError("lock_committed",
                                  "{order_ref} is committed to another order",
                                  order_ref=order_ref)
            return
        entry_id = lock.get("entry_id", f"use:{order_ref}")
        if lock["state"] == LockState.RELEASED:
            now = self.clock.now()
            for cid in lock["coupon_ids"]:
                await tx.db.held.update_one(
                    {"_id": cid, "status": HeldStatus.AVAILABLE},
                    {"$set": {"status": HeldStatus.LOCKED, "order_ref": order_ref}},
                    session=tx.session)
            if lock["points"]:
                entry_id = f"{entry_id}:late"
                await move_points(tx, lock["member_id"], -lock["points"], "used", now,
                                  entry_id=entry_id, force=True, order_ref=order_ref)
        await tx.db.locks.update_one(
            {"_id": order_ref}, {"$set": {"state": LockState.COMMITTED, "order_id": order_id,
                                          "entry_id": entry_id}}, session=tx.session)
        await tx.db.points_ledger.update_one(
            {"_id": entry_id}, {"$set": {"order_id": order_id, "order_no": order_no}},
            session=tx.session)

    async def expire_due(self, limit: int = 500) -> int:
        """Release every lock nobody committed or released within the time to live."""
        now = self.clock.now()
        due = self.db.locks.find(
            {"state": LockState.LOCKED, "$or": [
                {"expires_at": {"$lte": now}},
                {"expires_at": {"$exists": False}, "at": {"$lte": now - self.ttl}}]},
            {"_id": 1}).limit(limit)
        done = 0
        async for doc in due:
            done += (await self.unlock(doc["_id"], "lock_expired"))["released"]
        return done

    async def expire_loop(self, interval: float) -> None:
        while True:
            try:
                if n := await self.expire_due():
                    log.info("released %d expired checkout locks", n)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("lock expiry pass failed")
            await asyncio.sleep(interval)

