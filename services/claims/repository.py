"""Claims and the order view in MongoDB (database `claims`), guarded by optimistic versions."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from pymongo import ASCENDING, DESCENDING

from claims.claim import Claim, ClaimLine, Refund
from claims.money import Ledger
from claims.view import LineInfo, OrderView, SectionView
from contracts.claims.v1 import ClaimKind, ClaimState, ReasonCode
from contracts.envelope import Actor
from kit.errors import DomainError, NotFound
from kit.store import Tx
from kit.timeline import entry_doc, entry_of


async def ensure_indexes(db: Any) -> None:
    await db.sections.create_index([("order_id", ASCENDING)])
    await db.claims.create_index([("claim_no", ASCENDING)], unique=True)
    await db.claims.create_index([("order_id", ASCENDING)])
    await db.claims.create_index([("state", ASCENDING), ("opened_at", DESCENDING)])
    await db.claims.create_index([("opened_at", DESCENDING)])
    await db.claims.create_index([("on_hold", ASCENDING), ("opened_at", DESCENDING)])
    await db.claims.create_index([("partner_claim_id", ASCENDING)])


# ---- claims ----

def claim_doc(c: Claim) -> dict[str, Any]:
    return {
        "_id": c.claim_id, "claim_no": c.claim_no, "order_id": c.order_id, "order_no": c.order_no,
        "member_id": c.member_id, "kind": c.kind.value, "state": c.state.value,
        "items": [asdict(i) for i in c.items], "source_status": c.source_status,
        "reason_code": c.reason_code.value, "reason": c.reason,
        "opened_by": c.opened_by.model_dump(), "opened_at": c.opened_at,
        "deduct_fee": c.deduct_fee, "auto_approve": c.auto_approve, "moved": c.moved,
        "on_hold": c.on_hold, "hold_reason": c.hold_reason, "restock": c.restock,
        "carrier": c.carrier, "invoice_no": c.invoice_no, "estimate": c.estimate,
        "settled": c.settled, "due": c.due, "due_paid": c.due_paid, "due_note": c.due_note,
        "refund": asdict(c.refund),
        "history": [entry_doc(h) for h in c.history],
        "version": c.version, "partner_claim_id": c.partner_claim_id, "hold_code": c.hold_code,
    }


def claim_of(d: dict[str, Any]) -> Claim:
    return Claim(
        claim_id=d["_id"], claim_no=d["claim_no"], order_id=d["order_id"], order_no=d["order_no"],
        member_id=d["member_id"], kind=ClaimKind(d["kind"]), state=ClaimState(d["state"]),
        items=[ClaimLine(**i) for i in d["items"]], source_status=d["source_status"],
        reason_code=ReasonCode(d["reason_code"]), reason=d["reason"],
        opened_by=Actor.model_construct(**d["opened_by"]), opened_at=d["opened_at"],
        deduct_fee=d["deduct_fee"], auto_approve=d["auto_approve"], moved=d["moved"],
        on_hold=d["on_hold"], hold_reason=d["hold_reason"], restock=d["restock"],
        carrier=d["carrier"], invoice_no=d["invoice_no"], estimate=d["estimate"],
        settled=d["settled"], due=d["due"], due_paid=d["due_paid"], due_note=d["due_note"],
        refund=Refund(**d["refund"]),
        history=[entry_of(h) for h in d["history"]],
        version=d["version"], partner_claim_id=d.get("partner_claim_id", ""),
        hold_code=d.get("hold_code", ""),
    )


async def insert_claim(tx: Tx, claim: Claim) -> None:
    await tx.db.claims.insert_one(claim_doc(claim), session=tx.session)


async def load_claim(tx: Tx, claim_id: str) -> Claim:
    doc = await tx.db.claims.find_one({"_id": claim_id}, session=tx.session)
    if doc is None:
        raise NotFound("claim", claim_id)
    return claim_of(doc)


async def claim_by_no(tx: Tx, claim_no: str) -> Claim | None:
    doc = await tx.db.claims.find_one({"claim_no": claim_no}, session=tx.session)
    return None if doc is None else claim_of(doc)


async def save_claim(tx: Tx, claim: Claim) -> None:
    """Write back a claim loaded at `claim.version`; refused if someone changed it meanwhile."""
    doc = claim_doc(claim)
    doc["version"] = claim.version + 1
    result = await tx.db.claims.replace_one({"_id": claim.claim_id, "version": claim.version}, doc,
                                            session=tx.session)
    if result.matched_count != 1:
        raise DomainError("conflict", "claim {claim_no} changed meanwhile; reload it",
                          key="claim_conflict", retryable=True, claim_no=claim.claim_no)
    claim.version += 1


async def claims_of(tx: Tx | None, db: Any, order_id: str) -> list[Claim]:
    session = tx.session if tx else None
    rows = await db.claims.find({"order_id": order_id}, session=session).to_list()
    return sorted((claim_of(d) for d in rows), key=lambda c: c.opened_at)


# ---- the order view ----

def ledger_doc(x: Ledger) -> dict[str, Any]:
    return asdict(x)


def order_of(d: dict[str, Any]) -> OrderView:
    return OrderView(
        order_id=d["_id"], order_no=d["order_no"], member_id=d["member_id"], channel=d["channel"],
        payment_method=d["payment_method"], payment_status=d["payment_status"],
        lines={x["line_id"]: LineInfo(**x) for x in d["lines"]}, shipping_fee=d["shipping_fee"],
        paid_amount=d["paid_amount"], points_used=d.get("points_used", 0),
        discount=d.get("discount", 0), allocations=d.get("allocations") or {},
        ledger=Ledger(**d.get("ledger") or {}), claims_opened=d.get("claims_opened", 0),
        version=d.get("version", 0))


async def load_order(tx: Tx, order_id: str) -> OrderView:
    doc = await tx.db.orders.find_one({"_id": order_id}, session=tx.session)
    if doc is None:
        raise NotFound("order", order_id)
    return order_of(doc)


async def save_order(tx: Tx, order: OrderView) -> None:
    """Only the claims' own fields; the projection owns the rest of the document."""
    result = await tx.db.orders.update_one(
        {"_id": order.order_id, "version": order.version},
        {"$set": {"ledger": ledger_doc(order.ledger), "claims_opened": order.claims_opened,
                  "version": order.version + 1}}, session=tx.session)
    if result.matched_count != 1:
        raise DomainError("conflict", "order {order_no} changed meanwhile; try again",
                          key="claim_order_conflict", retryable=True, order_no=order.order_no)
    order.version += 1


async def sections_of(tx: Tx | None, db: Any, order_id: str) -> dict[str, SectionView]:
    session = tx.session if tx else None
    rows = await db.sections.find({"order_id": order_id}, session=session).to_list()
    return {r["_id"]: SectionView(r["_id"], r["status"],
                                  {i["line_id"]: i["quantity"] for i in r["items"]})
            for r in rows}
