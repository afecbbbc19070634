"""Inventory use-cases: catalogue, reservations, releases, sales; every movement in the ledger."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, Field
from pymongo import ASCENDING

from contracts.inventory.v1 import (
    SkuQty,
    StockReleased,
    StockReservationRejected,
    StockReserved,
    StockSold,
)
from contracts.orders.v1 import OrderCancelled, OrderPlaced, SectionStatusChanged
from inventory.domain import first_shortage, merge_quantities
from kit.errors import DomainError, InvalidInput, NotFound
from kit.store import Store, Tx


class SkuIn(BaseModel):
    sku_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")
    label: str = Field(min_length=1, max_length=200, description="Option combination, e.g. 블랙 / M")
    price_delta: int = Field(default=0, ge=-10_000_000, le=10_000_000)
    stock: int = Field(default=0, ge=0, le=10_000_000)


class ProductIn(BaseModel):
    product_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")
    name: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=2000)
    category_id: str = Field(default="", max_length=64)
    base_price: int = Field(ge=0, le=100_000_000)
    skus: list[SkuIn] = Field(min_length=1, max_length=500)


class StockAdjust(BaseModel):
    delta: int = Field(description="Units to add (positive) or remove (negative)")
    reason: str = Field(min_length=1, max_length=200)
    actor: str = Field(default="seller", max_length=100)


def _now() -> datetime:
    return datetime.now(UTC)


async def ensure_indexes(db: Any) -> None:
    await db.skus.create_index([("product_id", ASCENDING)])
    await db.ledger.create_index([("sku_id", ASCENDING), ("at", ASCENDING)])


class InventoryService:
    def __init__(self, store: Store) -> None:
        self.store = store

    # ---- catalogue ----

    async def upsert_product(self, p: ProductIn) -> dict[str, Any]:
        if len({s.sku_id for s in p.skus}) != len(p.skus):
            raise InvalidInput("duplicate_sku", "SKU ids must be unique within a product")

        async def work(tx: Tx) -> None:
            await tx.db.products.replace_one(
                {"_id": p.product_id},
                {"_id": p.product_id, "name": p.name, "description": p.description,
                 "category_id": p.category_id, "base_price": p.base_price},
                upsert=True, session=tx.session,
            )
            for s in p.skus:
                existing = await tx.db.skus.find_one({"_id": s.sku_id}, session=tx.session)
                if existing and existing["product_id"] != p.product_id:
                    raise InvalidInput("sku_taken", f"SKU {s.sku_id} belongs to another product")
                fields = {"product_id": p.product_id, "label": s.label,
                          "price": p.base_price + s.price_delta, "price_delta": s.price_delta}
                if existing is None:
                    await tx.db.skus.insert_one(
                        {"_id": s.sku_id, **fields, "available": 0, "reserved": 0, "sold": 0,
                         "sold_out": False}, session=tx.session)
                    if s.stock:
                        await self._move(tx, s.sku_id, s.stock, 0, 0, "initial", "", "initial stock",
                                         "seller")
                else:
                    await tx.db.skus.update_one({"_id": s.sku_id}, {"$set": fields},
                                                session=tx.session)

        await self.store.transaction(work)
        return await self.product(p.product_id)

    async def product(self, product_id: str) -> dict[str, Any]:
        doc = await self.store.db.products.find_one({"_id": product_id})
        if doc is None:
            raise NotFound("product", product_id)
        doc["skus"] = await self.store.db.skus.find({"product_id": product_id}).sort("_id").to_list()
        return doc

    async def products(self) -> list[dict[str, Any]]:
        products = await self.store.db.products.find().sort("_id").to_list()
        skus = await self.store.db.skus.find().sort("_id").to_list()
        for p in products:
            p["skus"] = [s for s in skus if s["product_id"] == p["_id"]]
        return products

    async def sku(self, sku_id: str) -> dict[str, Any]:
        doc = await self.store.db.skus.find_one({"_id": sku_id})
        if doc is None:
            raise NotFound("SKU", sku_id)
        return doc

    async def adjust(self, sku_id: str, cmd: StockAdjust) -> dict[str, Any]:
        async def work(tx: Tx) -> None:
            sku = await tx.db.skus.find_one({"_id": sku_id}, session=tx.session)
            if sku is None:
                raise NotFound("SKU", sku_id)
            if sku["available"] + cmd.delta < 0:
                raise DomainError("negative_stock",
                                  f"SKU {sku_id} has {sku['available']} available: "
                                  f"cannot remove {-cmd.delta}")
            await self._move(tx, sku_id, cmd.delta, 0, 0, "adjust", "", cmd.reason, cmd.actor)

        await self.store.transaction(work)
        return await self.sku(sku_id)

    async def ledger(self, sku_id: str) -> list[dict[str, Any]]:
        return await self.store.db.ledger.find({"sku_id": sku_id}).sort("at", 1).to_list()

    async def _move(self, tx: Tx, sku_id: str, available: int, reserved: int, sold: int,
                    kind: str, order_id: str, reason: str, actor: str) -> None:
        """Change one SKU's counters and write the ledger entry with the same transaction."""
        before = await tx.db.skus.find_one_and_update(
            {"_id": sku_id, "available": {"$gte": -available}},
            {"$inc": {"available": available, "reserved": reserved, "sold": sold}},
            session=tx.session,
        )
        if before is None:
            raise DomainError("stock_changed", f"SKU {sku_id} stock changed meanwhile; retry",
                              retryable=True)
        await tx.db.ledger.insert_one({
            "sku_id": sku_id, "kind": kind, "order_id": order_id, "reason": reason,
            "actor": actor, "at": _now(),
            "available_before": before["available"], "available_after": before["available"] + available,
            "reserved_after": before["reserved"] + reserved, "sold_after": before["sold"] + sold,
        }, session=tx.session)

    # ---- reactions to order events (called inside the consumer's transaction) ----

    async def reserve(self, tx: Tx, e: OrderPlaced) -> None:
        if await tx.db.reservations.find_one({"_id": e.order_id}, session=tx.session):
            return
        wanted = merge_quantities([(x.sku_id, x.quantity) for x in e.lines])
        skus = {s["_id"]: s async for s in tx.db.skus.find({"_id": {"$in": list(wanted)}},
                                                            session=tx.session)}
        shortage = first_shortage(wanted, skus)
        if shortage:
            await tx.db.reservations.insert_one(
                {"_id": e.order_id, "status": "REJECTED", "reason": shortage.message,
                 "items": [], "at": _now()}, session=tx.session)
            tx.emit(StockReservationRejected(
                key=e.order_id, order_id=e.order_id, sku_id=shortage.sku_id,
                requested=shortage.requested, available=shortage.available,
                reason=shortage.message))
            return
        for sku_id, qty in wanted.items():
            await self._move(tx, sku_id, -qty, qty, 0, "reserve", e.order_id, e.order_no, "orders")
        items = [{"sku_id": k, "quantity": v, "sold": 0} for k, v in wanted.items()]
        await tx.db.reservations.insert_one(
            {"_id": e.order_id, "status": "RESERVED", "items": items,
             "line_skus": {x.line_id: x.sku_id for x in e.lines}, "at": _now()},
            session=tx.session)
        tx.emit(StockReserved(key=e.order_id, order_id=e.order_id,
                              items=[SkuQty(sku_id=k, quantity=v) for k, v in wanted.items()]))

    async def release(self, tx: Tx, e: OrderCancelled) -> None:
        res = await tx.db.reservations.find_one({"_id": e.order_id}, session=tx.session)
        if res is None or res["status"] != "RESERVED":
            return
        released = []
        for item in res["items"]:
            qty = item["quantity"] - item["sold"]
            if qty > 0:
                await self._move(tx, item["sku_id"], qty, -qty, 0, "release", e.order_id,
                                 e.reason, e.actor.kind)
                released.append(SkuQty(sku_id=item["sku_id"], quantity=qty))
        await tx.db.reservations.update_one({"_id": e.order_id}, {"$set": {"status": "RELEASED"}},
                                            session=tx.session)
        if released:
            tx.emit(StockReleased(key=e.order_id, order_id=e.order_id, items=released))

    async def sell(self, tx: Tx, e: SectionStatusChanged) -> None:
        res = await tx.db.reservations.find_one({"_id": e.order_id}, session=tx.session)
        if res is None or res["status"] != "RESERVED":
            return
        sold = merge_quantities([(res["line_skus"][i.line_id], i.quantity) for i in e.items])
        for item in res["items"]:
            qty = sold.get(item["sku_id"], 0)
            if qty:
                await self._move(tx, item["sku_id"], 0, -qty, qty, "sold", e.order_id,
                                 e.section_id, e.actor.kind)
                item["sold"] += qty
        await tx.db.reservations.update_one({"_id": e.order_id}, {"$set": {"items": res["items"]}},
                                            session=tx.session)
        tx.emit(StockSold(key=e.order_id, order_id=e.order_id, section_id=e.section_id,
                          items=[SkuQty(sku_id=k, quantity=v) for k, v in sold.items()]))
