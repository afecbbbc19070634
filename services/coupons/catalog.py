"""Coupon definitions and the coupons members hold: create, issue, download, list holders."""

from __future__ import annotations

import builtins
import functools
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

from pydantic import BaseModel, Field
from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError

from contracts.coupons.requests import CouponDef
from kit.clock import Clock
from kit.errors import DomainError, InvalidInput, NotFound
from kit.store import Store, Tx

KST = timezone(timedelta(hours=9))


class HeldStatus:
    AVAILABLE = "AVAILABLE"  # held and usable while the definition is valid
    LOCKED = "LOCKED"  # taken by a checkout that is placing its order
    USED = "USED"  # used on an order (never usable again unless that order is cancelled)


class Issue(BaseModel):
    member_ids: list[str] = Field(min_length=1, max_length=10_000)


def valid_at(d: dict[str, Any], now: datetime) -> bool:
    return bool(d["valid_from"] <= now < d["valid_until"])


async def ensure_indexes(db: Any) -> None:
    await db.held.create_index([("member_id", ASCENDING)])
    await db.held.create_index([("coupon_id", ASCENDING)])
    await db.coupons.create_index([("created_at", ASCENDING)])


class Catalog:
    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.db = store.db
        self.clock = clock

    async def create(self, d: CouponDef) -> dict[str, Any]:
        for other in d.conflicts_with:
            if not await self.db.coupons.find_one({"_id": other}, {"_id": 1}):
                raise InvalidInput("conflicts_with", "coupon {coupon_id} does not exist",
                                   key="conflicting_coupon_missing", coupon_id=other)
        doc = {"_id": f"C{uuid.uuid4().hex[:10].upper()}", **d.model_dump(), "issued": 0,
               "used": 0, "created_at": self.clock.now()}
        await self.db.coupons.insert_one(doc)
        return doc

    async def get(self, coupon_id: str) -> dict[str, Any]:
        doc = await self.db.coupons.find_one({"_id": coupon_id})
        if doc is None:
            raise NotFound("coupon", coupon_id)
        return dict(doc)

    async def list(self) -> list[dict[str, Any]]:
        return [dict(d) async for d in self.db.coupons.find().sort("created_at", -1)]

    async def issue(self, coupon_id: str, member_ids: builtins.list[str],
                    downloaded: bool = False) -> dict[str, Any]:
        """Give the coupon to each member who does not hold it yet, within the issue limit."""
        c = await self.get(coupon_id)
        now = self.clock.now()
        if now >= c["valid_until"]:
            raise DomainError("coupon_expired", "coupon {coupon_id} has expired",
                              coupon_id=coupon_id)
        issued, skipped = 0, 0
        for member_id in dict.fromkeys(m for m in member_ids if m):
            try:
                await self.store.transaction(functools.partial(
                    self._give, c=c, member_id=member_id, held_id=f"{coupon_id}:{member_id}",
                    now=now, how="download" if downloaded else "issue"))
                issued += 1
            except DuplicateKeyError:
                skipped += 1
            except _SoldOut:
                if issued == 0 and downloaded:
                    raise DomainError("sold_out", "coupon {coupon_id} is all given out",
                                      key="coupon_sold_out", coupon_id=coupon_id) from None
                return {"issued": issued, "already_held": skipped, "sold_out": True}
        return {"issued": issued, "already_held": skipped, "sold_out": False}

    async def _give(self, tx: Tx, c: dict[str, Any], member_id: str, held_id: str,
                    now: datetime, how: str) -> None:
        await tx.db.held.insert_one(
            {"_id": held_id, "coupon_id": c["_id"], "member_id": member_id,
             "status": HeldStatus.AVAILABLE, "issued_at": now, "how": how, "order_id": "",
             "order_ref": "", "used_at": None}, session=tx.session)
        limit = {"issued": {"$lt": c["issue_limit"]}} if c["issue_limit"] else {}
        r = await tx.db.coupons.update_one({"_id": c["_id"], **limit}, {"$inc": {"issued": 1}},
                                           session=tx.session)
        if r.matched_count == 0:
            raise _SoldOut

    async def give_in(self, tx: Tx, coupon_id: str, member_id: str, held_id: str) -> bool:
        """Issue inside the caller's transaction (reward coupons); False if not possible."""
        c = await tx.db.coupons.find_one({"_id": coupon_id}, session=tx.session)
        now = self.clock.now()
        if c is None or now >= c["valid_until"]:
            return False
        if await tx.db.held.find_one({"_id": held_id}, {"_id": 1}, session=tx.session):
            return False
        limit = {"issued": {"$lt": c["issue_limit"]}} if c["issue_limit"] else {}
        r = await tx.db.coupons.update_one({"_id": coupon_id, **limit}, {"$inc": {"issued": 1}},
                                           session=tx.session)
        if r.matched_count == 0:
            return False
        await tx.db.held.insert_one(
            {"_id": held_id, "coupon_id": coupon_id, "member_id": member_id,
             "status": HeldStatus.AVAILABLE, "issued_at": now, "how": "reward", "order_id": "",
             "order_ref": "", "used_at": None}, session=tx.session)
        return True

    async def held(self, member_id: str) -> builtins.list[dict[str, Any]]:
        """The member's coupons with their definitions and whether each is usable now."""
        now = self.clock.now()
        rows = [dict(h) async for h in self.db.held.find({"member_id": member_id})]
        defs = {}
        for h in rows:
            if h["coupon_id"] not in defs:
                defs[h["coupon_id"]] = await self.db.coupons.find_one({"_id": h["coupon_id"]})
            c = defs[h["coupon_id"]]
            h["coupon"] = c
            h["usable"] = c is not None and h["status"] == HeldStatus.AVAILABLE and valid_at(c, now)
            h["expired"] = c is not None and now >= c["valid_until"]
        rows.sort(key=lambda h: h["issued_at"], reverse=True)
        return rows

    async def holders(self, coupon_id: str) -> builtins.list[dict[str, Any]]:
        await self.get(coupon_id)
        rows = [dict(h) async for h in self.db.held.find({"coupon_id": coupon_id})]
        rows.sort(key=lambda h: h["issued_at"], reverse=True)
        return rows

    async def downloadable(self, member_id: str) -> builtins.list[dict[str, Any]]:
        now = self.clock.now()
        out = []
        for c in await self.list():
            if c["downloadable"] and valid_at(c, now):
                c["held"] = bool(await self.db.held.find_one({"_id": f"{c['_id']}:{member_id}"},
                                                             {"_id": 1}))
                c["sold_out"] = bool(c["issue_limit"]) and c["issued"] >= c["issue_limit"]
                out.append(c)
        return out

    async def download(self, coupon_id: str, member_id: str) -> dict[str, Any]:
        c = await self.get(coupon_id)
        if not c["downloadable"] or not valid_at(c, self.clock.now()):
            raise DomainError("not_downloadable", "coupon {coupon_id} cannot be downloaded",
                              key="coupon_not_downloadable", coupon_id=coupon_id)
        r = await self.issue(coupon_id, [member_id], downloaded=True)
        if r["already_held"]:
            raise DomainError("already_held", "you already hold coupon {coupon_id}",
                              key="coupon_already_held", coupon_id=coupon_id)
        return r


class _SoldOut(Exception):
    pass
