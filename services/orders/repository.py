"""Orders in MongoDB: one document per order (sections and timeline embedded), optimistic version."""

from __future__ import annotations

from typing import Any

from pymongo import ASCENDING, DESCENDING, ReturnDocument, UpdateOne

from contracts.orders.v1 import (
    Buyer,
    Channel,
    LineData,
    PaymentMethod,
    PaymentStatus,
    SectionStatus,
    ShipTo,
)
from kit.errors import DomainError, NotFound
from kit.store import Tx
from kit.timeline import entry_doc, entry_of
from orders import refused_payments as refused
from orders.claims import ClaimTag
from orders.domain import CouponDiscounts, Order, Section, SectionItem


def to_doc(o: Order) -> dict[str, Any]:
    return {
        "_id": o.order_id,
        "order_no": o.order_no,
        "channel": o.channel.value,
        "buyer": o.buyer.model_dump(),
        "ship_to": o.ship_to.model_dump(),
        "payment_method": o.payment_method.value,
        "payment_status": o.payment_status.value,
        "stock_status": o.stock_status,
        "lines": [x.model_dump() for x in o.lines],
        "sections": [
            {
                "section_id": s.section_id, "status": s.status.value,
                "items": [{"line_id": i.line_id, "quantity": i.quantity} for i in s.items],
                "carrier": s.carrier, "invoice_no": s.invoice_no,
                "status_changed_at": s.status_changed_at, "auto_confirm_at": s.auto_confirm_at,
                "claim": None if s.claim is None else {
                    "claim_id": s.claim.claim_id, "kind": s.claim.kind, "state": s.claim.state,
                    "saved_auto_confirm_at": s.claim.saved_auto_confirm_at},
                **({"replaces": s.replaces} if s.replaces else {}),
            }
            for s in o.sections
        ],
        "statuses": o.statuses,
        "items_total": o.items_total,
        "shipping_fee": o.shipping_fee,
        "paid_amount": o.paid_amount,
        "placed_at": o.placed_at,
        "deposit_deadline": o.deposit_deadline,
        "paid_at": o.paid_at,
        "cancel_reason": o.cancel_reason,
        "memo": o.memo,
        "guest_password_hash": o.guest_password_hash,
        "discount": o.discount,
        "coupons": {"product": o.coupons.product, "order": o.coupons.order,
                    "shipping": o.coupons.shipping, "points": o.coupons.points,
                    "coupon_ids": list(o.coupons.coupon_ids), "lock": o.coupons.lock},
        "allocations": o.allocations,
        "next_section_no": o.next_section_no,
        "refused_payments": [refused.to_doc(p) for p in o.refused_payments],
        "timeline": [{**entry_doc(t), "section_id": t.section_id} for t in o.timeline],
        "version": o.version,
    }


def from_doc(d: dict[str, Any]) -> Order:
    return Order(
        order_id=d["_id"], order_no=d["order_no"], channel=Channel(d["channel"]),
        # Stored documents were validated on the way in: construct without re-validating.
        buyer=Buyer.model_construct(**d["buyer"]), ship_to=ShipTo.model_construct(**d["ship_to"]),
        payment_method=PaymentMethod(d["payment_method"]),
        lines=[LineData.model_construct(**x) for x in d["lines"]],
        sections=[
            Section(s["section_id"], SectionStatus(s["status"]),
                    [SectionItem(i["line_id"], i["quantity"]) for i in s["items"]],
                    s["carrier"], s["invoice_no"], s["status_changed_at"], s["auto_confirm_at"],
                    ClaimTag(**s["claim"]) if s.get("claim") else None, s.get("replaces", ""))
            for s in d["sections"]
        ],
        items_total=d["items_total"], shipping_fee=d["shipping_fee"],
        paid_amount=d["paid_amount"], placed_at=d["placed_at"],
        payment_status=PaymentStatus(d["payment_status"]), stock_status=d["stock_status"],
        deposit_deadline=d["deposit_deadline"], paid_at=d["paid_at"],
        cancel_reason=d["cancel_reason"], memo=d["memo"],
        guest_password_hash=d["guest_password_hash"],
        discount=d.get("discount", 0),
        coupons=CouponDiscounts(**{**d.get("coupons", {}),
                                   "coupon_ids": tuple(d.get("coupons", {}).get("coupon_ids", ()))}),
        allocations=d.get("allocations", {}),
        next_section_no=d.get("next_section_no", len(d["sections"]) + 1),
        refused_payments=[refused.from_doc(p) for p in d.get("refused_payments", [])],
        timeline=[entry_of(t) for t in d["timeline"]],
        version=d["version"],
    )


# Lists by status or date read the order list (listing.py), which has the indexes for them.
# Indexes on `orders` cost every write (an index on the statuses array more than doubles the cost
# of a status change on our test server), so the aggregate keeps only the ones its own reads use.
RETIRED_INDEXES = ("statuses_1_placed_at_-1", "placed_at_-1")


async def ensure_indexes(db: Any) -> None:
    await db.orders.create_index([("order_no", ASCENDING)], unique=True)
    await db.orders.create_index([("idempotency_key", ASCENDING)], unique=True, sparse=True)
    await db.orders.create_index([("buyer.member_id", ASCENDING), ("placed_at", DESCENDING)])
    await db.orders.create_index([("sections.auto_confirm_at", ASCENDING)], sparse=True)
    await db.orders.create_index([("payment_status", ASCENDING), ("deposit_deadline", ASCENDING)])
    existing = await db.orders.index_information()
    for name in RETIRED_INDEXES:
        if name in existing:
            await db.orders.drop_index(name)


async def load_for_change(db: Any, order_ids: list[str],
                          session: Any = None) -> dict[str, dict[str, Any]]:
    """Documents of many orders, read without their timeline: changes only append to it
    (`update_op` pushes the new entries), and it is most of what a document weighs."""
    docs = await db.orders.find({"_id": {"$in": order_ids}}, {"timeline": 0},
                                batch_size=len(order_ids) + 1, session=session).to_list()
    for d in docs:
        d["timeline"] = []
    return {d["_id"]: d for d in docs}


async def load(tx: Tx, order_id: str) -> tuple[Order, dict[str, Any]]:
    """The order and the document it was read from (for `save`)."""
    doc = await tx.db.orders.find_one({"_id": order_id}, session=tx.session)
    if doc is None:
        raise NotFound("order", order_id)
    return from_doc(doc), doc


async def insert(tx: Tx, order: Order, idempotency_key: str = "") -> None:
    doc = to_doc(order)
    if idempotency_key:
        doc["idempotency_key"] = idempotency_key
    await tx.db.orders.insert_one(doc, session=tx.session)


def update_op(before: dict[str, Any], order: Order) -> UpdateOne:
    """The write that turns the stored document `before` into `order`: only changed fields are
    set and new timeline entries appended, guarded by the version read (optimistic lock)."""
    after = to_doc(order)
    after["version"] = before["version"] + 1
    changes = {k: v for k, v in after.items()
               if k not in ("_id", "timeline") and before.get(k) != v}
    update: dict[str, Any] = {"$set": changes}
    added = after["timeline"][len(before["timeline"]):]
    if added:
        update["$push"] = {"timeline": {"$each": added}}
    return UpdateOne({"_id": order.order_id, "version": before["version"]}, update)


async def save(tx: Tx, order: Order, before: dict[str, Any]) -> None:
    """Write back an order loaded as `before`; refused if someone else changed it meanwhile."""
    result = await tx.db.orders.bulk_write([update_op(before, order)], session=tx.session)
    if result.matched_count != 1:
        raise DomainError("conflict", "order {order_no} changed meanwhile; try again",
                          key="order_conflict", retryable=True, order_no=order.order_no)
    order.version = before["version"] + 1


async def next_order_no(db: Any, day: str) -> str:
    doc = await db.counters.find_one_and_update(
        {"_id": f"order_no:{day}"}, {"$inc": {"n": 1}}, upsert=True,
        return_document=ReturnDocument.AFTER,
    )
    return f"{day}-{doc['n']:06d}"
