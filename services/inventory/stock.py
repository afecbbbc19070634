"""Stock use-cases of the admin: adjust with a reason, the sold-out switch, the ledger of a SKU,
its audit (ledger == counters), SKUs that need attention, reservations of an order."""

from __future__ import annotations

from typing import Any

from pymongo import ASCENDING

from contracts.inventory.requests import StockAdjust
from inventory.book import StockBook, ledger_id
from inventory.domain import STOCK_IN_OUT, Kind
from kit.errors import DomainError, NotFound
from kit.store import Store, Tx

LEDGER_PAGE = 500


async def ensure_indexes(db: Any) -> None:
    await db.skus.create_index([("product_id", ASCENDING)])
    await db.skus.create_index([("available", ASCENDING)])
    await db.skus.create_index([("sold_out", ASCENDING)])


class Stock:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def sku(self, sku_id: str) -> dict[str, Any]:
        doc = await self.store.db.skus.find_one({"_id": sku_id})
        if doc is None:
            raise NotFound("SKU", sku_id)
        doc.setdefault("seq", 0)
        doc.setdefault("active", True)
        return doc

    async def adjust(self, sku_id: str, cmd: StockAdjust) -> dict[str, Any]:
        async def work(tx: Tx) -> None:
            book = StockBook(tx)
            sku = await book.sku(sku_id)
            if sku is None:
                raise NotFound("SKU", sku_id)
            if cmd.expected_available is not None and cmd.expected_available != sku.available:
                raise DomainError("stock_moved",
                                  "SKU {sku_id} now has {available} available (not "
                                  "{expected}): check and try again", sku_id=sku_id,
                                  available=sku.available, expected=cmd.expected_available)
            if cmd.delta == 0:
                raise DomainError("nothing_to_adjust", "give a quantity other than 0")
            move = sku.move(Kind.ADJUST, cmd.delta)
            book.record([move], cmd.actor, cmd.reason, reason_code=cmd.reason_code.value)
            await book.flush()

        await self.store.transaction(work)
        return await self.sku(sku_id)

    async def set_sold_out(self, sku_id: str, sold_out: bool) -> dict[str, Any]:
        result = await self.store.db.skus.update_one({"_id": sku_id},
                                                     {"$set": {"sold_out": sold_out}})
        if result.matched_count == 0:
            raise NotFound("SKU", sku_id)
        return await self.sku(sku_id)

    async def ledger(self, sku_id: str, before: int | None = None, after: int = 0,
                     limit: int = LEDGER_PAGE, newest_first: bool = False) -> dict[str, Any]:
        """Entries `after` < seq < `before` (one tight `_id` range), at most `limit` of them:
        the oldest ones, or the newest with `newest_first`."""
        sku = await self.sku(sku_id)
        top = min(before if before is not None else sku["seq"] + 1, sku["seq"] + 1)
        lo, hi = (max(after, top - 1 - limit), top) if newest_first else \
            (after, min(top, after + limit + 1))
        rows = await self.store.db.ledger.find(
            {"_id": {"$gt": ledger_id(sku_id, lo), "$lt": ledger_id(sku_id, hi)}}
        ).sort("_id", -1 if newest_first else 1).to_list()
        more = (lo > after) if newest_first else (hi < top)
        return {"sku_id": sku_id, "seq": sku["seq"], "entries": rows, "more": more}

    async def audit(self, sku_id: str) -> dict[str, Any]:
        """Replays the whole ledger of a SKU against its counters (SPEC §9: never lose a unit)."""
        sku = await self.sku(sku_id)
        sums = {"available": 0, "reserved": 0, "sold": 0}
        stock_in = 0
        chain_ok = True
        last: tuple[int, int, int] = (0, 0, 0)
        n = 0
        async for e in self.store.db.ledger.find(
                {"_id": {"$gt": ledger_id(sku_id, 0), "$lt": ledger_id(sku_id, sku["seq"] + 1)}}
        ).sort("_id", 1):
            n += 1
            d = (e["d_available"], e["d_reserved"], e["d_sold"])
            before = (e["available_before"], e["reserved_before"], e["sold_before"])
            after = (e["available_after"], e["reserved_after"], e["sold_after"])
            chain_ok &= before == last and after == tuple(b + x for b, x in zip(before, d,
                                                                                strict=True))
            chain_ok &= e["seq"] == n
            last = after
            for k, x in zip(sums, d, strict=True):
                sums[k] += x
            if e["kind"] in STOCK_IN_OUT:
                stock_in += e["d_available"]
        counters = {k: sku[k] for k in sums}
        total = sum(counters.values())
        return {"sku_id": sku_id, "counters": counters, "ledger_sums": sums, "entries": n,
                "stock_in": stock_in, "seq": sku["seq"],
                "consistent": sums == counters and stock_in == total and chain_ok
                and n == sku["seq"], "chain_ok": chain_ok}

    async def attention(self, low: int, q: str = "", limit: int = 200) -> list[dict[str, Any]]:
        """Active SKUs that are sold out or low (tight range on `available`), or whose id starts
        with `q`."""
        if q.strip():
            needle = q.strip()
            query: dict[str, Any] = {"_id": {"$gte": needle, "$lt": needle + "\uffff"}}
        else:
            query = {"available": {"$gte": 0, "$lte": low}}
        rows = [s async for s in self.store.db.skus.find(query) if s.get("active", True)]
        if not q.strip():
            flagged = [s async for s in self.store.db.skus.find({"sold_out": True})
                       if s.get("active", True) and s["available"] > low]
            rows += flagged
        rows.sort(key=lambda s: (s.get("available", 0), s["_id"]))
        return rows[:limit]

    async def reservation(self, rid: str) -> dict[str, Any]:
        doc = await self.store.db.reservations.find_one({"_id": rid})
        if doc is None:
            raise NotFound("reservation", rid)
        return doc
