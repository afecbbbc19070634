"""What orders do to coupons and points: used at placement, given back on cancellation and
refunds, rewards at purchase confirmation (never earlier)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from contracts.claims.v1 import RefundRequested
from contracts.orders.v1 import OrderCancelled, OrderPlaced
from coupons.catalog import Catalog, HeldStatus, valid_at
from coupons.checkout import move_points
from kit.clock import Clock
from kit.errors import DomainError
from kit.store import Tx

if TYPE_CHECKING:
    from coupons.locks import Locks


class Usage:
    def __init__(self, catalog: Catalog, clock: Clock, locks: Locks | None = None) -> None:
        self.catalog = catalog
        self.clock = clock
        self.locks = locks

    async def on_placed(self, tx: Tx, e: OrderPlaced) -> None:
        member = e.buyer.member_id
        if e.coupon_lock and self.locks is not None:  # placed: its lock is committed, once
            await self.locks.settle(tx, e.coupon_lock, e.order_id, e.order_no,
                                    missing_ok=True)
        if not member or (not e.coupon_ids and not e.points_used):
            return
        now = self.clock.now()
        await tx.db.orders.insert_one(
            {"_id": e.order_id, "order_no": e.order_no, "member_id": member,
             "coupon_ids": e.coupon_ids, "points_used": e.points_used, "state": "PLACED",
             "at": now}, session=tx.session)
        for cid in e.coupon_ids:
            h = await tx.db.held.find_one_and_update(
                {"_id": cid, "member_id": member, "status": {"$ne": HeldStatus.USED}},
                {"$set": {"status": HeldStatus.USED, "order_id": e.order_id,
                          "order_no": e.order_no, "used_at": now}}, session=tx.session)
            if h is not None:
                await tx.db.coupons.update_one({"_id": h["coupon_id"]}, {"$inc": {"used": 1}},
                                               session=tx.session)

    async def on_cancelled(self, tx: Tx, e: OrderCancelled) -> None:
        """The whole order was cancelled: coupons still valid come back, points too."""
        order = await tx.db.orders.find_one_and_update(
            {"_id": e.order_id, "state": "PLACED"}, {"$set": {"state": "CANCELLED"}},
            session=tx.session)
        if order is None:
            return
        await self.restore(tx, order)
        if order["points_used"]:
            await move_points(tx, order["member_id"], order["points_used"], "order_cancelled",
                              self.clock.now(), order_id=e.order_id, order_no=e.order_no)

    async def on_cancelled_by_claims(self, tx: Tx, order_id: str) -> None:
        order = await tx.db.orders.find_one_and_update(
            {"_id": order_id, "state": "PLACED"}, {"$set": {"state": "CANCELLED"}},
            session=tx.session)
        if order is not None:
            await self.restore(tx, order)

    async def restore(self, tx: Tx, order: dict[str, Any]) -> None:
        now = self.clock.now()
        for cid in order["coupon_ids"]:
            h = await tx.db.held.find_one({"_id": cid}, session=tx.session)
            if h is None or h["status"] != HeldStatus.USED or h["order_id"] != order["_id"]:
                continue
            c = await tx.db.coupons.find_one({"_id": h["coupon_id"]}, session=tx.session)
            if c is None or not valid_at(c, now):
                continue  # expired meanwhile: stays used
            await tx.db.held.update_one(
                {"_id": cid}, {"$set": {"status": HeldStatus.AVAILABLE, "order_id": "",
                                        "order_ref": "", "restored_from": order["_id"],
                                        "used_at": None}}, session=tx.session)
            await tx.db.coupons.update_one({"_id": c["_id"]}, {"$inc": {"used": -1}},
                                           session=tx.session)

    async def on_refund(self, tx: Tx, e: RefundRequested) -> None:
        if not e.points:
            return
        order = await tx.db.orders.find_one({"_id": e.order_id}, session=tx.session)
        if order is None:
            raise DomainError("unknown_order", "order {order_id} used no points here",
                              key="points_unknown_order", retryable=True, order_id=e.order_id)
        await move_points(tx, order["member_id"], e.points, "refund", self.clock.now(),
                          order_id=e.order_id, order_no=order["order_no"], claim_id=e.claim_id)
