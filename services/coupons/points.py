"""Purchase points and cumulative purchase amount, granted at purchase confirmation only."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pymongo import ReturnDocument

from contracts.coupons.v1 import PointsEarned
from contracts.orders.v1 import SIMPLE_PAY, PurchaseConfirmed
from coupons.catalog import Catalog
from coupons.rules import RulesStore
from kit.store import Store, Tx

# Simple pay orders are purchases at the partner: they never count (seed, SPEC §8): SIMPLE_PAY.


def points_for(amount: int, rate_percent: int) -> int:
    return amount * rate_percent // 100


class PointsService:
    def __init__(self, store: Store, rules: RulesStore, catalog: Catalog) -> None:
        self.store = store
        self.rules = rules
        self.catalog = catalog

    async def on_confirmed(self, tx: Tx, e: PurchaseConfirmed) -> None:
        if not e.member_id or e.channel in SIMPLE_PAY:
            return
        rules = await self.rules.get()
        if rules.reward_coupon_id:  # one reward per confirmed section
            await self.catalog.give_in(tx, rules.reward_coupon_id, e.member_id,
                                       f"{rules.reward_coupon_id}:{e.member_id}:{e.section_id}")
        points = points_for(e.confirmed_amount, rules.points_rate_percent)
        member = await tx.db.members.find_one_and_update(
            {"_id": e.member_id},
            {"$inc": {"points": points, "cumulative_purchase": e.confirmed_amount}},
            upsert=True, return_document=ReturnDocument.AFTER, session=tx.session)
        assert member is not None  # an upsert answering AFTER always has the document
        await tx.db.points_ledger.insert_one(
            {"member_id": e.member_id, "delta": points, "balance": member["points"],
             "reason": "purchase_confirmed", "order_id": e.order_id, "order_no": e.order_no,
             "section_id": e.section_id, "at": datetime.now(UTC)}, session=tx.session)
        tx.emit(PointsEarned(key=e.order_id, order_id=e.order_id, member_id=e.member_id,
                             section_id=e.section_id, points=points, balance=member["points"]))

    async def member(self, member_id: str) -> dict[str, Any]:
        doc = await self.store.db.members.find_one({"_id": member_id}) or {}
        ledger = await self.store.db.points_ledger.find(
            {"member_id": member_id}, {"_id": 0}).sort("at", -1).to_list()
        return {"member_id": member_id, "points": doc.get("points", 0),
                "cumulative_purchase": doc.get("cumulative_purchase", 0), "ledger": ledger[:100]}
