"""The order list: a read model (one row per order) fed by order events, with the seller's
tab filters, search, sort and keyset pagination. Rows are rebuilt from the order aggregate, so
a redelivered or reordered event can only bring a row up to date, never back in time."""

from __future__ import annotations

import base64
import json
import re
from datetime import date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field
from pymongo import ASCENDING, DESCENDING, UpdateOne
from pymongo.errors import BulkWriteError

from contracts.orders.v1 import Channel, PaymentMethod, SectionStatus
from kit.errors import InvalidInput
from orders.domain import Order

KST = ZoneInfo("Asia/Seoul")
CLAIM_KINDS = ("CANCEL", "RETURN", "EXCHANGE")
SORTS = {"placed_at": "placed_at", "amount": "amount", "order_no": "order_no"}


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def row_of(o: Order) -> dict[str, Any]:
    first = o.lines[0]
    invoices = [s.invoice_no for s in o.sections if s.invoice_no]
    search = {o.order_no, o.buyer.name, o.ship_to.name, digits(o.buyer.phone),
              digits(o.ship_to.phone), digits(o.buyer.phone)[-4:], *invoices}
    return {
        "_id": o.order_id,
        "version": o.version,
        "order_no": o.order_no,
        "placed_at": o.placed_at,
        "channel": o.channel.value,
        "payment_method": o.payment_method.value,
        "payment_status": o.payment_status.value,
        "member_id": o.buyer.member_id,
        "buyer_name": o.buyer.name,
        "buyer_phone": o.buyer.phone,
        "recipient": o.ship_to.name,
        "recipient_phone": o.ship_to.phone,
        "address": f"({o.ship_to.zipcode}) {o.ship_to.address1} {o.ship_to.address2}".strip(),
        "items_summary": first.name + (f" 외 {len(o.lines) - 1}건" if len(o.lines) > 1 else ""),
        "quantity": sum(line.quantity for line in o.lines),
        "amount": o.paid_amount,
        "statuses": o.statuses,
        "sections": [{"section_id": s.section_id, "status": s.status.value,
                      "carrier": s.carrier, "invoice_no": s.invoice_no,
                      "quantity": sum(i.quantity for i in s.items)} for s in o.sections],
        "invoices": [f"{s.carrier} {s.invoice_no}" for s in o.sections if s.invoice_no],
        "claim_kinds": [],
        "memo": o.memo,
        "search": sorted(t for t in search if t),
    }


async def ensure_indexes(db: Any) -> None:
    rows = db.order_list
    await rows.create_index([("placed_at", DESCENDING), ("_id", DESCENDING)])
    await rows.create_index([("statuses", ASCENDING), ("placed_at", DESCENDING),
                             ("_id", DESCENDING)])
    await rows.create_index([("search", ASCENDING), ("placed_at", DESCENDING)])
    await rows.create_index([("payment_method", ASCENDING), ("placed_at", DESCENDING)])
    await rows.create_index([("channel", ASCENDING), ("placed_at", DESCENDING)])
    await rows.create_index([("claim_kinds", ASCENDING), ("placed_at", DESCENDING)])
    await rows.create_index([("amount", DESCENDING), ("_id", DESCENDING)])
    await rows.create_index([("order_no", DESCENDING), ("_id", DESCENDING)])


async def refresh(db: Any, order_ids: list[str]) -> int:
    """Bring the rows of these orders up to their aggregate's current version."""
    docs = await db.orders.find({"_id": {"$in": list(set(order_ids))}}).to_list()
    if not docs:
        return 0
    from orders.repository import from_doc

    ops = []
    for d in docs:
        row = row_of(from_doc(d))
        ops.append(UpdateOne({"_id": row["_id"], "version": {"$lt": row["version"]}},
                             {"$set": row}, upsert=True))
    try:
        await db.order_list.bulk_write(ops, ordered=False)
    except BulkWriteError as exc:
        # 11000: the row already holds a newer version; anything else is a real failure.
        if any(e.get("code") != 11000 for e in exc.details.get("writeErrors", [])):
            raise
    return len(ops)


class ListFilter(BaseModel):
    """A saved tab is one of these; the list applies it, plus the search box."""

    statuses: list[SectionStatus] = Field(default_factory=list)
    claim_kinds: list[Literal["CANCEL", "RETURN", "EXCHANGE"]] = Field(default_factory=list)
    payment_methods: list[PaymentMethod] = Field(default_factory=list)
    channels: list[Channel] = Field(default_factory=list)
    date_from: date | None = Field(default=None, description="First day (Asia/Seoul)")
    date_to: date | None = Field(default=None, description="Last day (Asia/Seoul), inclusive")
    q: str = Field(default="", max_length=100, description="Order no., name, phone, invoice no.")

    def mongo(self) -> dict[str, Any]:
        f: dict[str, Any] = {}
        by_status = {"statuses": {"$in": [s.value for s in self.statuses]}}
        by_claim = {"claim_kinds": {"$in": list(self.claim_kinds)}}
        if self.statuses and self.claim_kinds:
            f["$or"] = [by_status, by_claim]  # a tab shows sections in a status or a claim
        elif self.statuses:
            f.update(by_status)
        elif self.claim_kinds:
            f.update(by_claim)
        if self.payment_methods:
            f["payment_method"] = {"$in": [m.value for m in self.payment_methods]}
        if self.channels:
            f["channel"] = {"$in": [c.value for c in self.channels]}
        if self.date_from or self.date_to:
            if self.date_from and self.date_to and self.date_from > self.date_to:
                raise InvalidInput("date_range", "date_from is after date_to")
            span: dict[str, datetime] = {}
            if self.date_from:
                span["$gte"] = datetime.combine(self.date_from, time(), KST)
            if self.date_to:
                span["$lt"] = datetime.combine(self.date_to + timedelta(days=1), time(), KST)
            f["placed_at"] = span
        term = self.q.strip()
        if term:
            # Order and invoice numbers match as typed; phones match by their digits.
            forms = {term, digits(term)} if re.fullmatch(r"[\d\s-]+", term) else {term}
            f["search"] = {"$in": sorted(x for x in forms if x)}
        return f


class ListPage(BaseModel):
    sort: Literal["placed_at", "amount", "order_no"] = "placed_at"
    direction: Literal["desc", "asc"] = "desc"
    cursor: str | None = Field(default=None, max_length=400)
    limit: int = Field(default=50, ge=1, le=500)


class ListRequest(BaseModel):
    filter: ListFilter = Field(default_factory=ListFilter)
    page: ListPage = Field(default_factory=ListPage)


def _encode(value: Any, ident: str) -> str:
    raw = value.isoformat() if isinstance(value, datetime) else value
    return base64.urlsafe_b64encode(json.dumps([raw, ident]).encode()).decode()


def _decode(cursor: str, sort: str) -> tuple[Any, str]:
    try:
        raw, ident = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        value = datetime.fromisoformat(raw) if sort == "placed_at" else raw
    except (ValueError, TypeError) as exc:
        raise InvalidInput("cursor", "cursor is not one this list handed out") from exc
    return value, str(ident)


async def page(db: Any, flt: ListFilter, pg: ListPage) -> dict[str, Any]:
    query = flt.mongo()
    field = SORTS[pg.sort]
    order = DESCENDING if pg.direction == "desc" else ASCENDING
    if pg.cursor:
        value, ident = _decode(pg.cursor, pg.sort)
        op = "$lt" if order == DESCENDING else "$gt"
        query = {"$and": [query, {"$or": [{field: {op: value}},
                                          {field: value, "_id": {op: ident}}]}]}
    rows = await db.order_list.find(query, {"search": 0}).sort(
        [(field, order), ("_id", order)]).limit(pg.limit).to_list()
    next_cursor = _encode(rows[-1][field], rows[-1]["_id"]) if len(rows) == pg.limit else None
    for r in rows:
        r["order_id"] = r.pop("_id")
    return {"rows": rows, "next_cursor": next_cursor}


async def count(db: Any, flt: ListFilter) -> int:
    return int(await db.order_list.count_documents(flt.mongo()))


async def all_rows(db: Any, flt: ListFilter, fields: dict[str, int] | None = None) -> Any:
    """Every row matching the filter, newest first (exports, bulk jobs on a whole tab)."""
    return db.order_list.find(flt.mongo(), fields).sort([("placed_at", DESCENDING),
                                                         ("_id", DESCENDING)])
