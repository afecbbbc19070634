"""Inventory's internal HTTP API: catalogue, SKUs, stock adjustments, ledger."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from inventory.service import InventoryService, ProductIn, StockAdjust
from kit.errors import InvalidInput


def router(service: InventoryService, low_stock_threshold: int) -> APIRouter:
    r = APIRouter()

    @r.get("/products")
    async def products() -> dict[str, Any]:
        return {"products": await service.products(), "low_stock_threshold": low_stock_threshold}

    @r.put("/products/{product_id}")
    async def upsert(product_id: str, product: ProductIn) -> dict[str, Any]:
        if product.product_id != product_id:
            raise InvalidInput("id_mismatch", "product_id in the body differs from the URL")
        return await service.upsert_product(product)

    @r.get("/products/{product_id}")
    async def product(product_id: str) -> dict[str, Any]:
        return {**await service.product(product_id), "low_stock_threshold": low_stock_threshold}

    @r.get("/skus/{sku_id}")
    async def sku(sku_id: str) -> dict[str, Any]:
        return await service.sku(sku_id)

    @r.post("/skus/{sku_id}/adjust")
    async def adjust(sku_id: str, cmd: StockAdjust) -> dict[str, Any]:
        return await service.adjust(sku_id, cmd)

    @r.get("/skus/{sku_id}/ledger")
    async def ledger(sku_id: str) -> dict[str, Any]:
        rows = await service.ledger(sku_id)
        for row in rows:
            row["_id"] = str(row["_id"])
        return {"sku_id": sku_id, "entries": rows}

    return r
