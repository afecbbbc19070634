"""The stock book of one transaction: loads SKUs and reservations once, applies movements in
memory (domain.py), then writes counters, ledger entries and reservations in a few bulk writes.

A SKU's counters are written with a guard on its `seq` (the number of its last movement): a
concurrent writer (another replica, an HTTP adjustment) makes the guard miss and the whole
transaction is retried, so a count can never be lost or driven below zero.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from pymongo import InsertOne, ReplaceOne, UpdateOne

from contracts.envelope import Actor
from inventory.domain import Hold, Movement, Reservation, SkuStock
from kit.errors import DomainError
from kit.store import Tx


def ledger_id(sku_id: str, seq: int) -> str:
    """Ledger entries of a SKU sort by their `_id`: a SKU's history is one tight `_id` range."""
    return f"{sku_id}:{seq:010d}"


def sku_from_doc(doc: dict[str, Any]) -> SkuStock:
    return SkuStock(doc["_id"], doc.get("label", doc["_id"]), doc.get("available", 0),
                    doc.get("reserved", 0), doc.get("sold", 0), bool(doc.get("sold_out")),
                    doc.get("active", True), doc.get("seq", 0), doc.get("product_name", ""))


def reservation_from_doc(doc: dict[str, Any]) -> Reservation:
    holds = [Hold(i["sku_id"], i["quantity"], i.get("sold", 0), i.get("released", 0),
                  i.get("restocked", 0)) for i in doc.get("items", [])]
    return Reservation(doc["_id"], doc.get("order_id", doc["_id"]), doc["status"], holds,
                       doc.get("line_skus", {}), doc.get("claim_id", ""), doc.get("reason", ""),
                       doc.get("done", []), doc.get("exchanges", []))


def reservation_doc(res: Reservation) -> dict[str, Any]:
    return {"_id": res.id, "order_id": res.order_id, "status": res.status,
            "items": [asdict(h) for h in res.holds], "line_skus": res.line_skus,
            "claim_id": res.claim_id, "reason": res.reason, "done": res.done,
            "exchanges": res.exchanges}


class StockBook:
    def __init__(self, tx: Tx) -> None:
        self.tx = tx
        self.skus: dict[str, SkuStock | None] = {}
        self._seq: dict[str, int | None] = {}  # seq as loaded (None: the field is missing)
        self.prices: dict[str, int] = {}  # SKU -> its unit price in the catalogue
        self.reservations: dict[str, Reservation | None] = {}
        self._new_res: set[str] = set()
        self._dirty_res: set[str] = set()
        self._sku_fields: dict[str, dict[str, Any]] = {}
        self.entries: list[dict[str, Any]] = []

    # ---- loading ----

    async def load_skus(self, ids: Iterable[str]) -> dict[str, SkuStock | None]:
        missing = sorted({i for i in ids if i not in self.skus})
        if missing:
            query = {"_id": missing[0]} if len(missing) == 1 else {"_id": {"$in": missing}}
            found = {d["_id"]: d async for d in self.tx.db.skus.find(query, session=self.tx.session)}
            for sku_id in missing:
                doc = found.get(sku_id)
                self.skus[sku_id] = sku_from_doc(doc) if doc else None
                self._seq[sku_id] = doc.get("seq") if doc else None
                if doc and isinstance(doc.get("price"), int):
                    self.prices[sku_id] = doc["price"]
        return self.skus

    async def sku(self, sku_id: str) -> SkuStock | None:
        return (await self.load_skus([sku_id]))[sku_id]

    async def load_reservations(self, ids: Iterable[str]) -> None:
        missing = sorted({i for i in ids if i not in self.reservations})
        if missing:
            query = {"_id": missing[0]} if len(missing) == 1 else {"_id": {"$in": missing}}
            found = {d["_id"]: d async for d in
                     self.tx.db.reservations.find(query, session=self.tx.session)}
            for rid in missing:
                doc = found.get(rid)
                self.reservations[rid] = reservation_from_doc(doc) if doc else None

    async def reservation(self, rid: str) -> Reservation | None:
        await self.load_reservations([rid])
        return self.reservations[rid]

    # ---- changes (in memory until flush) ----

    def add_reservation(self, res: Reservation) -> None:
        self.reservations[res.id] = res
        self._new_res.add(res.id)

    def touched(self, res: Reservation) -> None:
        if res.id not in self._new_res:
            self._dirty_res.add(res.id)

    def add_sku(self, sku: SkuStock) -> None:
        """A SKU inserted by the caller in this transaction (counters all zero, seq 0)."""
        self.skus[sku.sku_id] = sku
        self._seq[sku.sku_id] = 0

    def set_fields(self, sku_id: str, **fields: Any) -> None:
        """Non-counter fields to write with the SKU (e.g. `sold_out`)."""
        self._sku_fields.setdefault(sku_id, {}).update(fields)

    def record(self, moves: Iterable[Movement], actor: Actor, reason: str, order_id: str = "",
               ref: str = "", reason_code: str = "") -> None:
        """Ledger entries of movements already applied to the in-memory counters."""
        now = datetime.now(UTC)
        for m in moves:
            self.entries.append({
                "_id": ledger_id(m.sku_id, m.seq), "sku_id": m.sku_id, "seq": m.seq, "kind": str(m.kind),
                "d_available": m.d_available, "d_reserved": m.d_reserved, "d_sold": m.d_sold,
                "available_before": m.before[0], "reserved_before": m.before[1],
                "sold_before": m.before[2], "available_after": m.after[0],
                "reserved_after": m.after[1], "sold_after": m.after[2],
                "order_id": order_id, "ref": ref, "reason": reason, "reason_code": reason_code,
                "actor": actor.model_dump(), "at": now,
            })

    # ---- writing ----

    async def flush(self) -> None:
        s = self.tx.session
        changed = sorted({e["sku_id"] for e in self.entries} | set(self._sku_fields))
        ops = []
        for sku_id in changed:
            sku = self.skus[sku_id]
            assert sku is not None
            loaded = self._seq[sku_id]
            guard: dict[str, Any] = {"_id": sku_id, "seq": loaded if loaded is not None
                                     else {"$exists": False}}
            fields = {"available": sku.available, "reserved": sku.reserved, "sold": sku.sold,
                      "seq": sku.seq, **self._sku_fields.get(sku_id, {})}
            ops.append(UpdateOne(guard, {"$set": fields}))
        if ops:
            result = await self.tx.db.skus.bulk_write(ops, ordered=False, session=s)
            if result.matched_count != len(ops):
                raise DomainError("stock_changed", "stock changed meanwhile; retry", retryable=True)
        if self.entries:
            await self.tx.db.ledger.insert_many(self.entries, ordered=False, session=s)
        res_ops: list[Any] = [InsertOne(reservation_doc(r)) for rid in sorted(self._new_res)
                              if (r := self.reservations[rid]) is not None]
        res_ops += [ReplaceOne({"_id": rid}, reservation_doc(r)) for rid in sorted(self._dirty_res)
                    if (r := self.reservations[rid]) is not None]
        if res_ops:
            await self.tx.db.reservations.bulk_write(res_ops, ordered=False, session=s)
        self.entries = []
        self._sku_fields = {}
        self._new_res, self._dirty_res = set(), set()
        for sku_id in changed:
            sku = self.skus[sku_id]
            self._seq[sku_id] = sku.seq if sku else None
