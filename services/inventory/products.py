"""Catalogue use-cases: save a product (options -> SKU grid), import legacy products, convert or
drop stock kept on independent options, and the reads the storefront and the admin need."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from contracts.envelope import Actor
from contracts.inventory.requests import (
    ConvertOption,
    DropLegacyStock,
    IndependentValueIn,
    ProductIn,
)
from inventory.book import StockBook
from inventory.catalogue import (
    PLAIN_OPTION,
    CatalogueError,
    CombinationOption,
    ExistingSku,
    IndependentOption,
    OptionValue,
    SkuOverride,
    SkuSpec,
    StockSetting,
    check_options,
    coded_values,
    convert_option,
    grid,
    match,
    value_code,
)
from inventory.domain import Kind, SkuStock
from kit.errors import DomainError, InvalidInput, NotFound
from kit.store import Store, Tx

# ---- reading a product document as options ----


def combination_of(doc: dict[str, Any]) -> list[CombinationOption]:
    return [CombinationOption(o["name"], tuple(OptionValue(v["value"], v["code"])
                                               for v in o["values"]))
            for o in doc.get("combination_options", [])]


def independent_of(doc: dict[str, Any]) -> list[IndependentOption]:
    return [IndependentOption(o["name"], o.get("kind", "SELECT"), tuple(o.get("values", [])),
                              o.get("required", False))
            for o in doc.get("independent_options", [])]


def options_doc(combination: list[CombinationOption],
                independent: list[IndependentOption]) -> dict[str, Any]:
    return {
        "combination_options": [{"name": o.name, "values": [{"value": v.value, "code": v.code}
                                                            for v in o.values]}
                                for o in combination],
        "independent_options": [{"name": o.name, "kind": o.kind, "values": list(o.values),
                                 "required": o.required} for o in independent],
    }


def _pairs(options: Any) -> tuple[tuple[str, str], ...]:
    if isinstance(options, dict):
        return tuple(options.items())
    return tuple((str(n), str(v)) for n, v in options or [])


# ---- turning a request into options and grid overrides ----


def normalize(p: ProductIn) -> tuple[list[CombinationOption], list[IndependentOption],
                                     list[StockSetting], dict[tuple[str, ...], SkuOverride]]:
    independent, stock = [], []
    for o in p.independent_options:
        values = []
        for v in o.values:
            value = v.value if isinstance(v, IndependentValueIn) else v
            values.append(value.strip())
            if isinstance(v, IndependentValueIn) and v.stock is not None:
                stock.append(StockSetting(o.name.strip(), value.strip(), v.stock))
        if o.stock is not None:
            stock.append(StockSetting(o.name.strip(), "", o.stock))
        independent.append(IndependentOption(o.name.strip(), o.kind, tuple(values), o.required))

    def override(s: Any) -> SkuOverride:
        return SkuOverride(s.sku_id, s.price_delta, s.stock, s.stock_seen, s.sold_out)

    if not p.combination_options and not any(s.options or s.sku_id or s.label for s in p.skus):
        # No options at all: one SKU, the product itself.
        return [], independent, stock, ({(): override(p.skus[0])} if p.skus else {})
    if not p.combination_options and not any(s.options for s in p.skus):
        # A plain list of SKUs (sku_id + label): one combination option whose values are labels.
        labels = [(s.label or s.sku_id).strip() for s in p.skus]
        combination = [CombinationOption(PLAIN_OPTION, tuple(
            OptionValue(label, value_code(s.sku_id)[-12:] if s.sku_id else value_code(label))
            for label, s in zip(labels, p.skus, strict=True)))]
        overrides: dict[tuple[str, ...], SkuOverride] = {
            (label,): override(s) for label, s in zip(labels, p.skus, strict=True)}
        return combination, independent, stock, overrides
    combination = [CombinationOption(o.name.strip(), coded_values([(v.value, v.code)
                                                                   for v in o.values]))
                   for o in p.combination_options]
    names = [o.name for o in combination]
    overrides = {}
    for i, s in enumerate(p.skus):
        try:
            key = tuple(s.options[n].strip() for n in names)
        except KeyError as exc:
            raise CatalogueError("sku_options", "skus.{index}: give the value of every "
                                                "combination option ({options})",
                                 key="sku_options", index=i, options=names) from exc
        overrides[key] = override(s)
    return combination, independent, stock, overrides


class Catalogue:
    def __init__(self, store: Store) -> None:
        self.store = store

    # ---- writes ----

    async def upsert(self, p: ProductIn, legacy: bool = False) -> dict[str, Any]:
        combination, independent, stock, overrides = normalize(p)
        check_options(combination, independent, [] if legacy else stock)
        specs = grid(p.product_id, combination, overrides)
        bad = next((s for s in specs if p.base_price + s.override.price_delta < 0), None)
        if bad:
            raise InvalidInput("negative_price", "{label}: price delta {price_delta} "
                                                 "takes the price below zero",
                               label=bad.label, price_delta=bad.override.price_delta)

        async def work(tx: Tx) -> None:
            before = await tx.db.products.find_one({"_id": p.product_id}, session=tx.session)
            now = datetime.now(UTC)
            doc = {"_id": p.product_id, "name": p.name, "description": p.description,
                   "category_id": p.category_id, "base_price": p.base_price, "listed": p.listed,
                   **options_doc(combination, independent),
                   "legacy_stock": [vars(s) for s in stock] if legacy else
                   (before or {}).get("legacy_stock", []),
                   "legacy_log": (before or {}).get("legacy_log", []),
                   "imported": legacy or bool((before or {}).get("imported")),
                   "created_at": (before or {}).get("created_at", now), "updated_at": now}
            await tx.db.products.replace_one({"_id": p.product_id}, doc, upsert=True,
                                             session=tx.session)
            await self._save_grid(tx, doc, specs, p.actor, "상품 편집에서 재고 수정")

        await self.store.transaction(work)
        return await self.product(p.product_id, include_inactive=True)

    async def _save_grid(self, tx: Tx, product: dict[str, Any], specs: list[SkuSpec],
                         actor: Actor, adjust_reason: str,
                         initial: dict[str, int] | None = None) -> None:
        """Insert new SKUs (with their initial stock), update the others' fields and apply the
        stock the editor changed (as a delta from what it showed), deactivate dropped ones."""
        pid = product["_id"]
        s = tx.session
        existing_docs = [d async for d in tx.db.skus.find({"product_id": pid}, session=s)]
        existing = [ExistingSku(d["_id"], _pairs(d.get("options")), d.get("active", True))
                    for d in existing_docs]
        pairs, gone = match(specs, existing)
        book = StockBook(tx)
        await book.load_skus([spec.sku_id for spec, _ in pairs] + [g.sku_id for g in gone])
        for spec, found in pairs:
            sku = book.skus[spec.sku_id]
            o = spec.override
            fields = {"product_id": pid, "product_name": product["name"], "label": spec.label,
                      "options": [list(kv) for kv in spec.options], "position": spec.position,
                      "price_delta": o.price_delta, "price": product["base_price"] + o.price_delta,
                      "sold_out": o.sold_out, "active": True}
            if found is None:
                if sku is not None:
                    raise InvalidInput("sku_taken", "SKU {sku_id} belongs to another product",
                                       sku_id=spec.sku_id)
                await tx.db.skus.insert_one({"_id": spec.sku_id, **fields, "available": 0,
                                             "reserved": 0, "sold": 0, "seq": 0}, session=s)
                sku = SkuStock(spec.sku_id, spec.label, product_name=product["name"])
                book.add_sku(sku)
                units = (initial or {}).get(spec.sku_id, o.stock or 0)
                if units:
                    book.record([sku.move(Kind.INITIAL, units)], actor, "초기 재고")
                continue
            assert sku is not None
            await tx.db.skus.update_one({"_id": spec.sku_id}, {"$set": fields}, session=s)
            if o.stock is not None and o.stock_seen is not None and o.stock != o.stock_seen:
                move = sku.move(Kind.ADJUST, o.stock - o.stock_seen)
                book.record([move], actor, adjust_reason, reason_code="COUNT")
        for g in gone:
            await tx.db.skus.update_one({"_id": g.sku_id}, {"$set": {"active": False}}, session=s)
        await book.flush()

    async def import_legacy(self, products: list[ProductIn]) -> dict[str, Any]:
        results = []
        for p in products:
            try:
                await self.upsert(p, legacy=True)
                results.append({"product_id": p.product_id, "ok": True})
            except DomainError as exc:
                results.append({"product_id": p.product_id, "ok": False, "error": exc.code,
                                "message": exc.message, "key": exc.key, "params": exc.params})
        return {"imported": sum(r["ok"] for r in results), "failed": sum(not r["ok"] for r in results),
                "results": results}

    async def convert(self, product_id: str, cmd: ConvertOption) -> dict[str, Any]:
        """Independent option -> combination option: SKUs per value. Without other combination
        options, each new SKU starts with the stock the old system kept on its value; stock
        left on SKUs that no longer exist is written off in the ledger."""

        async def work(tx: Tx) -> None:
            doc = await self._load(tx, product_id)
            combination, independent = combination_of(doc), independent_of(doc)
            was_single = not combination or (len(combination) == 1 and
                                              combination[0].name == PLAIN_OPTION and
                                              len(combination[0].values) == 1)
            combination, independent = convert_option(combination, independent, cmd.option)
            if was_single:
                combination = combination[-1:]
            check_options(combination, independent, [])
            specs = grid(product_id, combination, {})
            legacy = {e["value"]: e["stock"] for e in doc.get("legacy_stock", [])
                      if e["option"] == cmd.option}
            initial = {s.sku_id: legacy.get(s.options_map[cmd.option], 0) for s in specs} \
                if was_single else {}
            await self._retire(tx, product_id, {s.sku_id for s in specs}, cmd.actor)
            doc.update(options_doc(combination, independent))
            self._resolve(doc, cmd.option, "converted", cmd.actor)
            await tx.db.products.replace_one({"_id": product_id}, doc, session=tx.session)
            await self._save_grid(tx, doc, specs, cmd.actor, "옵션 전환", initial)

        await self.store.transaction(work)
        return await self.product(product_id, include_inactive=True)

    async def drop_legacy_stock(self, product_id: str, cmd: DropLegacyStock) -> dict[str, Any]:
        async def work(tx: Tx) -> None:
            doc = await self._load(tx, product_id)
            if not any(e["option"] == cmd.option for e in doc.get("legacy_stock", [])):
                raise NotFound("stock setting of option", cmd.option)
            self._resolve(doc, cmd.option, "dropped", cmd.actor)
            await tx.db.products.replace_one({"_id": product_id}, doc, session=tx.session)

        await self.store.transaction(work)
        return await self.product(product_id, include_inactive=True)

    async def _retire(self, tx: Tx, product_id: str, keep: set[str], actor: Actor) -> None:
        """SKUs about to leave the grid: refuse while orders hold units of them; write off
        their available units (they are carried to the new SKUs by the caller)."""
        book = StockBook(tx)
        docs = [d async for d in tx.db.skus.find({"product_id": product_id}, session=tx.session)]
        for d in docs:
            if d["_id"] in keep or not d.get("active", True):
                continue
            if d.get("reserved", 0):
                raise DomainError("units_reserved",
                                  "SKU {sku_id} has {reserved} units reserved by orders: "
                                  "convert after they ship or are cancelled",
                                  key="convert_units_reserved", sku_id=d["_id"],
                                  reserved=d["reserved"])
            sku = await book.sku(d["_id"])
            if sku is not None and sku.available:
                book.record([sku.move(Kind.ADJUST, -sku.available)], actor,
                            "옵션 전환: 판매 종료 SKU 재고 정리", reason_code="OTHER")
        await book.flush()

    @staticmethod
    def _resolve(doc: dict[str, Any], option: str, action: str, actor: Actor) -> None:
        moved = [e for e in doc.get("legacy_stock", []) if e["option"] == option]
        doc["legacy_stock"] = [e for e in doc.get("legacy_stock", []) if e["option"] != option]
        doc.setdefault("legacy_log", []).append({"option": option, "action": action,
                                                 "entries": moved, "actor": actor.model_dump(),
                                                 "at": datetime.now(UTC)})
        doc["updated_at"] = datetime.now(UTC)

    @staticmethod
    async def _load(tx: Tx, product_id: str) -> dict[str, Any]:
        doc = await tx.db.products.find_one({"_id": product_id}, session=tx.session)
        if doc is None:
            raise NotFound("product", product_id)
        return doc

    # ---- reads ----

    async def product(self, product_id: str, include_inactive: bool = False) -> dict[str, Any]:
        doc = await self.store.db.products.find_one({"_id": product_id})
        if doc is None:
            raise NotFound("product", product_id)
        skus = await self.store.db.skus.find({"product_id": product_id}).to_list()
        return present(doc, skus, include_inactive)

    async def storefront(self) -> list[dict[str, Any]]:
        """Listed products without unresolved legacy stock, each with its active SKUs."""
        docs = await self.store.db.products.find().sort("_id").to_list()
        shown = [d for d in docs if d.get("listed", True) and not d.get("legacy_stock")]
        by_product: dict[str, list[dict[str, Any]]] = {d["_id"]: [] for d in shown}
        if shown:
            ids = list(by_product)
            query = {"product_id": ids[0]} if len(ids) == 1 else {"product_id": {"$in": ids}}
            async for s in self.store.db.skus.find(query):
                by_product[s["product_id"]].append(s)
        return [present(d, by_product[d["_id"]]) for d in shown]

    async def summaries(self, q: str = "", status: str = "") -> list[dict[str, Any]]:
        """Every product with counts over its active SKUs, newest change first."""
        docs = await self.store.db.products.find().to_list()
        needle = q.strip().lower()
        if needle:
            docs = [d for d in docs if needle in d["_id"].lower() or needle in d["name"].lower()]
        if status == "legacy":
            docs = [d for d in docs if d.get("legacy_stock")]
        elif status == "hidden":
            docs = [d for d in docs if not d.get("listed", True)]
        docs.sort(key=lambda d: d.get("updated_at") or datetime.min.replace(tzinfo=UTC),
                  reverse=True)
        return [{k: v for k, v in d.items() if k != "legacy_log"} for d in docs]

    async def sku_totals(self, product_ids: list[str], low: int) -> dict[str, dict[str, int]]:
        totals: dict[str, dict[str, int]] = {
            pid: {"skus": 0, "available": 0, "reserved": 0, "sold": 0, "sold_out": 0, "low": 0,
                  "inactive": 0, "min_delta": 0, "max_delta": 0} for pid in product_ids}
        for pid in product_ids:
            t = totals[pid]
            deltas = []
            async for s in self.store.db.skus.find({"product_id": pid}, {"options": 0}):
                if not s.get("active", True):
                    t["inactive"] += 1
                    continue
                t["skus"] += 1
                for k in ("available", "reserved", "sold"):
                    t[k] += s.get(k, 0)
                out = s.get("sold_out") or s.get("available", 0) <= 0
                t["sold_out"] += out
                t["low"] += (not out) and s.get("available", 0) <= low
                deltas.append(s.get("price_delta", 0))
            if deltas:
                t["min_delta"], t["max_delta"] = min(deltas), max(deltas)
        return totals

    async def legacy_report(self) -> list[dict[str, Any]]:
        """One row per stock setting still kept on an independent option."""
        rows = []
        async for d in self.store.db.products.find({"legacy_stock.0": {"$exists": True}}):
            for e in d["legacy_stock"]:
                rows.append({"product_id": d["_id"], "name": d["name"], "option": e["option"],
                             "value": e["value"], "stock": e["stock"],
                             "has_combination": bool(d.get("combination_options"))})
        rows.sort(key=lambda r: (r["product_id"], r["option"]))
        return rows


def present(doc: dict[str, Any], skus: list[dict[str, Any]],
            include_inactive: bool = False) -> dict[str, Any]:
    """A product as the API shows it: options, SKUs in grid order (active ones unless asked)."""
    out = {k: v for k, v in doc.items() if k != "legacy_log"}
    out.setdefault("listed", True)
    out.setdefault("combination_options", [])
    out.setdefault("independent_options", [])
    out.setdefault("legacy_stock", [])
    out["legacy_log"] = doc.get("legacy_log", [])
    rows = [s for s in skus if include_inactive or s.get("active", True)]
    for s in rows:
        s["options"] = dict(_pairs(s.get("options")))
        s.setdefault("active", True)
        s.setdefault("sold_out", False)
        s.setdefault("seq", 0)
    rows.sort(key=lambda s: (not s["active"], s.get("position", 0), s["_id"]))
    out["skus"] = rows
    return out
