"""Start-up migration of data written before SKUs numbered their movements: gives each old
ledger entry its `seq`, deltas and before values (replayed in time order) and the SKU its `seq`."""

from __future__ import annotations

import logging
from typing import Any

from inventory.book import ledger_id

log = logging.getLogger("inventory.migrate")


async def give_plain_products_options(db: Any) -> int:
    """Products saved as a plain list of SKUs before options existed: their labels become the
    values of one combination option (what PUT does with such a list today)."""
    from inventory.catalogue import PLAIN_OPTION, value_code

    n = 0
    async for p in db.products.find({"combination_options": {"$exists": False}}):
        skus = await db.skus.find({"product_id": p["_id"]}).sort("_id", 1).to_list()
        values = [{"value": s.get("label") or s["_id"], "code": value_code(s["_id"])[-12:]}
                  for s in skus]
        await db.products.update_one({"_id": p["_id"]}, {"$set": {
            "combination_options": [{"name": PLAIN_OPTION, "values": values}] if skus else [],
            "independent_options": [], "legacy_stock": [], "listed": True}})
        for pos, s in enumerate(skus):
            await db.skus.update_one({"_id": s["_id"]}, {"$set": {
                "options": [[PLAIN_OPTION, s.get("label") or s["_id"]]], "position": pos,
                "active": True, "product_name": p.get("name", "")}})
        n += 1
    return n


async def number_old_ledgers(db: Any) -> int:
    migrated = 0
    async for sku in db.skus.find({"seq": {"$exists": False}}, {"_id": 1}):
        sku_id = sku["_id"]
        old = await db.ledger.find({"sku_id": sku_id, "seq": {"$exists": False}}).sort(
            "at", 1).to_list()
        last = (0, 0, 0)
        entries = []
        for n, e in enumerate(old, start=1):
            after = (e.get("available_after", 0), e.get("reserved_after", 0),
                     e.get("sold_after", 0))
            actor = e.get("actor")
            entries.append({
                **{k: v for k, v in e.items() if k != "_id"},
                "_id": ledger_id(sku_id, n), "seq": n,
                "d_available": after[0] - last[0], "d_reserved": after[1] - last[1],
                "d_sold": after[2] - last[2], "available_before": last[0],
                "reserved_before": last[1], "sold_before": last[2],
                "actor": actor if isinstance(actor, dict) else
                {"kind": str(actor or "system"), "id": "", "name": ""},
                "ref": e.get("ref", ""), "reason_code": e.get("reason_code", "")})
            last = after
        if entries:
            await db.ledger.insert_many(entries)
            await db.ledger.delete_many({"_id": {"$in": [e["_id"] for e in old]}})
        await db.skus.update_one({"_id": sku_id}, {"$set": {"seq": len(entries)}})
        migrated += 1
    if migrated:
        log.info("numbered the ledgers of %d SKUs", migrated)
    return migrated
