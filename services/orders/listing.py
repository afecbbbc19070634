"""The order list: a read model (one row per order) fed by order events, with the seller's
tab filters, search, sort and keyset pagination. Rows are rebuilt from the order aggregate, so
a redelivered or reordered event can only bring a row up to date, never back in time."""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pymongo import ASCENDING, DESCENDING, ReplaceOne, UpdateOne

from contracts.inputs import moment
from contracts.orders.requests import ListFilter, ListPage
from kit.errors import InvalidInput
from kit.store import Store, Tx
from orders.domain import Order, is_replacement

KST = ZoneInfo("Asia/Seoul")
CLAIM_KINDS = ("CANCEL", "RETURN", "EXCHANGE")
SORTS = {"placed_at": "placed_at", "amount": "amount", "order_no": "order_no"}


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def row_of(o: Order) -> dict[str, Any]:
    first = o.lines[0]
    ordered = [x for x in o.lines if not is_replacement(x.line_id)]
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
        "items_summary": first.name + (f" 외 {len(ordered) - 1}건" if len(ordered) > 1 else ""),
        "quantity": sum(line.quantity for line in ordered),
        "amount": o.paid_amount,
        "statuses": o.statuses,
        "sections": [{"section_id": s.section_id, "status": s.status.value,
                      "carrier": s.carrier, "invoice_no": s.invoice_no,
                      "quantity": sum(i.quantity for i in s.items),
                      "claim": None if s.claim is None else {"kind": s.claim.kind,
                                                             "state": s.claim.state}}
                     for s in o.sections],
        "invoices": [f"{s.carrier} {s.invoice_no}" for s in o.sections if s.invoice_no],
        "claim_kinds": sorted({s.claim.kind for s in o.sections if s.claim}),
        "memo": o.memo,
        # KRW the order refused and still has to give back (a deposit after the deadline, ...)
        "refund_due": sum(p.amount for p in o.refused_payments if p.status == "TO_REFUND"),
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


def cell_of(row: dict[str, Any]) -> dict[str, Any]:
    """The count cell a row falls in: tab counts add up cells instead of counting rows."""
    key = {"statuses": sorted(row["statuses"]), "payment_method": row["payment_method"],
           "channel": row["channel"], "claim_kinds": sorted(row["claim_kinds"])}
    key["_id"] = "|".join([",".join(key["statuses"]), key["payment_method"], key["channel"],
                           ",".join(key["claim_kinds"])])
    return key


def _cell_ops(deltas: dict[str, int], cells: dict[str, dict[str, Any]]) -> list[UpdateOne]:
    return [UpdateOne({"_id": k}, {"$inc": {"n": n},
                                   "$setOnInsert": {f: v for f, v in cells[k].items()
                                                    if f != "_id"}}, upsert=True)
            for k, n in deltas.items() if n]


def _bounds_op(rows: list[dict[str, Any]]) -> UpdateOne:
    times = [r["placed_at"] for r in rows]
    return UpdateOne({"_id": "bounds"}, {"$min": {"oldest": min(times)},
                                         "$max": {"newest": max(times)}}, upsert=True)


async def refresh(store: Store, order_ids: list[str]) -> int:
    """Bring the rows of these orders up to their aggregate's current version, with the count
    cells and time bounds, in one transaction (a redelivered event changes nothing)."""
    ids = list(set(order_ids))
    from orders.repository import from_doc, load_for_change

    docs = await load_for_change(store.db, ids)  # a row shows nothing of the timeline
    if not docs:
        return 0
    fresh = [row_of(from_doc(d)) for d in docs.values()]

    async def work(tx: Tx) -> int:
        rows = tx.db.order_list
        old = {r["_id"]: r async for r in rows.find(
            {"_id": {"$in": ids}}, {"version": 1, "statuses": 1, "payment_method": 1,
                                    "channel": 1, "claim_kinds": 1}, batch_size=len(ids),
            session=tx.session)}
        changed = [r for r in fresh if r["_id"] not in old or old[r["_id"]]["version"] < r["version"]]
        if not changed:
            return 0
        deltas: dict[str, int] = {}
        cells: dict[str, dict[str, Any]] = {}
        for row in changed:
            for c, n in ((cell_of(row), 1), *(((cell_of(old[row["_id"]]), -1),)
                                              if row["_id"] in old else ())):
                cells[c["_id"]] = c
                deltas[c["_id"]] = deltas.get(c["_id"], 0) + n
        await rows.bulk_write([ReplaceOne({"_id": r["_id"]}, r, upsert=True) for r in changed],
                              ordered=False, session=tx.session)
        ops = _cell_ops(deltas, cells)
        if ops:
            await tx.db.list_cells.bulk_write(ops, session=tx.session)
        await tx.db.list_meta.bulk_write([_bounds_op(changed)], session=tx.session)
        return len(changed)

    return await store.transaction(work)


async def add_rows(db: Any, rows: list[dict[str, Any]]) -> None:
    """Insert new rows with their cells and bounds (data migrations, seeding)."""
    await db.order_list.insert_many(rows, ordered=False)
    deltas: dict[str, int] = {}
    cells: dict[str, dict[str, Any]] = {}
    for row in rows:
        c = cell_of(row)
        cells[c["_id"]] = c
        deltas[c["_id"]] = deltas.get(c["_id"], 0) + 1
    await db.list_cells.bulk_write(_cell_ops(deltas, cells))
    await db.list_meta.bulk_write([_bounds_op(rows)])


def countable_by_cells(flt: ListFilter) -> bool:
    return not (flt.q.strip() or flt.date_from or flt.date_to)

def matches_cell(flt: ListFilter, cell: dict[str, Any]) -> bool:
    by_status = bool(set(cell["statuses"]) & {s.value for s in flt.statuses})
    by_claim = bool(set(cell["claim_kinds"]) & set(flt.claim_kinds))
    if flt.statuses and flt.claim_kinds:
        if not (by_status or by_claim):
            return False
    elif (flt.statuses and not by_status) or (flt.claim_kinds and not by_claim):
        return False
    if flt.payment_methods and cell["payment_method"] not in {
            m.value for m in flt.payment_methods}:
        return False
    return not flt.channels or cell["channel"] in {c.value for c in flt.channels}

def leads(flt: ListFilter) -> list[dict[str, Any]]:
    """Equality queries on one leading index field (one per status, claim kind, ...).

    A server may not bound the next index field (placed_at) under `$in`, and may leave a
    residual filter unindexed, so the windowed list asks for each leading value alone and
    checks the other conditions itself (`matches_cell` works on rows too)."""
    if flt.statuses or flt.claim_kinds:
        return ([{"statuses": s.value} for s in flt.statuses]
                + [{"claim_kinds": k} for k in flt.claim_kinds])
    if flt.payment_methods:
        return [{"payment_method": m.value} for m in flt.payment_methods]
    if flt.channels:
        return [{"channel": c.value} for c in flt.channels]
    return [{}]

def mongo(flt: ListFilter) -> dict[str, Any]:
    f: dict[str, Any] = {}
    by_status = {"statuses": {"$in": [s.value for s in flt.statuses]}}
    by_claim = {"claim_kinds": {"$in": list(flt.claim_kinds)}}
    if flt.statuses and flt.claim_kinds:
        f["$or"] = [by_status, by_claim]  # a tab shows sections in a status or a claim
    elif flt.statuses:
        f.update(by_status)
    elif flt.claim_kinds:
        f.update(by_claim)
    if flt.payment_methods:
        f["payment_method"] = {"$in": [m.value for m in flt.payment_methods]}
    if flt.channels:
        f["channel"] = {"$in": [c.value for c in flt.channels]}
    if flt.date_from or flt.date_to:
        if flt.date_from and flt.date_to and flt.date_from > flt.date_to:
            raise InvalidInput("date_range", "date_from is after date_to")
        span: dict[str, datetime] = {}
        if flt.date_from:
            span["$gte"] = datetime.combine(flt.date_from, time(), KST)
        if flt.date_to:
            span["$lt"] = datetime.combine(flt.date_to + timedelta(days=1), time(), KST)
        f["placed_at"] = span
    term = flt.q.strip()
    if term:
        # Order and invoice numbers match as typed; phones match by their digits.
        forms = {term, digits(term)} if re.fullmatch(r"[\d\s-]+", term) else {term}
        f["search"] = {"$in": sorted(x for x in forms if x)}
    return f


def _encode(value: Any, ident: str) -> str:
    raw = value.isoformat() if isinstance(value, datetime) else value
    return base64.urlsafe_b64encode(json.dumps([raw, ident]).encode()).decode()


def _decode(cursor: str, sort: str) -> tuple[Any, str]:
    try:
        raw, ident = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        value = moment(datetime.fromisoformat(raw)) if sort == "placed_at" else raw
        if isinstance(value, datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)  # the list hands out UTC moments
    except (ValueError, TypeError) as exc:
        raise InvalidInput("cursor", "cursor is not one this list handed out") from exc
    return value, str(ident)


async def page(db: Any, flt: ListFilter, pg: ListPage) -> dict[str, Any]:
    query = mongo(flt)
    cursor = _decode(pg.cursor, pg.sort) if pg.cursor else None
    if pg.sort == "placed_at" and "search" not in query:  # a search range is small already
        rows = await _windowed(db, flt, pg, cursor)
    else:
        field = SORTS[pg.sort]
        order = DESCENDING if pg.direction == "desc" else ASCENDING
        if cursor:
            op = "$lt" if order == DESCENDING else "$gt"
            query = {"$and": [query, {"$or": [{field: {op: cursor[0]}},
                                              {field: cursor[0], "_id": {op: cursor[1]}}]}]}
        rows = await db.order_list.find(query, {"search": 0}).sort(
            [(field, order), ("_id", order)]).limit(pg.limit).to_list()
    field = SORTS[pg.sort]
    next_cursor = _encode(rows[-1][field], rows[-1]["_id"]) if len(rows) == pg.limit else None
    for r in rows:
        r["order_id"] = r.pop("_id")
    return {"rows": rows, "next_cursor": next_cursor}


async def _windowed(db: Any, flt: ListFilter, pg: ListPage,
                    cursor: tuple[Any, str] | None) -> list[dict[str, Any]]:
    """Newest (or oldest) rows first, read in growing time windows.

    A MongoDB-protocol server may read a whole index range before applying the limit, so the
    list never asks for an open-ended range: it asks for a window of placed_at just wide enough
    for a page at the list's average density, and widens it (x2) only while rows are missing.
    """
    meta = await db.list_meta.find_one({"_id": "bounds"})
    if meta is None:
        return []
    lead_queries = leads(flt)
    span = mongo(flt).get("placed_at", {})
    desc = pg.direction == "desc"
    oldest = max(meta["oldest"], span.get("$gte", meta["oldest"]))
    newest = meta["newest"]
    if "$lt" in span:
        newest = min(newest, span["$lt"] - timedelta(microseconds=1))
    edge = cursor[0] if cursor else (newest if desc else oldest)
    total = max(1, sum([c["n"] async for c in db.list_cells.find({}, {"n": 1})]))
    seconds = max(1.0, (meta["newest"] - meta["oldest"]).total_seconds())
    width = timedelta(seconds=max(1.0, seconds * pg.limit / total))
    order = DESCENDING if desc else ASCENDING
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    inclusive = True
    while len(rows) < pg.limit:
        if desc:
            lo = max(edge - width, oldest)
            window = {"$gte": lo, "$lte" if inclusive else "$lt": edge}
        else:
            lo = min(edge + width, newest)
            window = {"$gte" if inclusive else "$gt": edge, "$lte": lo}
        found: list[dict[str, Any]] = []
        for lead in lead_queries:
            found += [r for r in await db.order_list.find(
                {**lead, "placed_at": window}, {"search": 0}).sort(
                [("placed_at", order), ("_id", order)]).to_list() if matches_cell(flt, r)]
        found.sort(key=lambda r: (r["placed_at"], r["_id"]), reverse=desc)
        for r in found:
            if r["_id"] in seen or (cursor and r["placed_at"] == cursor[0] and (
                    r["_id"] >= cursor[1] if desc else r["_id"] <= cursor[1])):
                continue
            seen.add(r["_id"])
            rows.append(r)
        if (desc and lo <= oldest) or (not desc and lo >= newest):
            break
        edge, inclusive, width = lo, False, width * 2
    return rows[: pg.limit]


async def count(db: Any, flt: ListFilter) -> int:
    if countable_by_cells(flt):
        return sum([c["n"] async for c in db.list_cells.find() if matches_cell(flt, c)])
    return int(await db.order_list.count_documents(mongo(flt)))


async def all_rows(db: Any, flt: ListFilter, fields: dict[str, int] | None = None) -> Any:
    """Every row matching the filter, newest first (exports, bulk jobs on a whole tab)."""
    return db.order_list.find(mongo(flt), fields).sort([("placed_at", DESCENDING),
                                                         ("_id", DESCENDING)])
