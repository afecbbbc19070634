"""Inventory's internal HTTP API (called by the gateway, never by browsers): catalogue, SKUs,
stock adjustments, ledger and audit, the legacy-stock report."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from contracts.inputs import INT64_MAX
from contracts.inventory.requests import (
    ConvertOption,
    DropLegacyStock,
    LegacyImport,
    ProductIn,
    SoldOut,
    StockAdjust,
)
from inventory.products import Catalogue
from inventory.stock import Stock
from kit.errors import InvalidInput


def router(catalogue: Catalogue, stock: Stock, low_stock_threshold: int) -> APIRouter:
    r = APIRouter()
    low = {"low_stock_threshold": low_stock_threshold}

    @r.get("/products", tags=["catalogue"])
    async def products() -> dict[str, Any]:
        """The storefront's list: listed products without unresolved legacy stock."""
        return {"products": await catalogue.storefront(), **low}

    @r.get("/admin/products", tags=["catalogue"])
    async def admin_products(q: str = "", status: str = "",
                             offset: int = Query(0, ge=0, le=INT64_MAX),
                             limit: int = Query(50, ge=1, le=200)) -> dict[str, Any]:
        """Every product, newest change first, with totals over its active SKUs."""
        rows = await catalogue.summaries(q, status)
        page = rows[offset:offset + limit]
        totals = await catalogue.sku_totals([p["_id"] for p in page], low_stock_threshold)
        for p in page:
            p["totals"] = totals[p["_id"]]
        legacy = len({x["product_id"] for x in await catalogue.legacy_report()})
        return {"products": page, "total": len(rows), "offset": offset, "limit": limit,
                "legacy_products": legacy, **low}

    @r.put("/products/{product_id}", tags=["catalogue"])
    async def upsert(product_id: str, product: ProductIn) -> dict[str, Any]:
        if product.product_id != product_id:
            raise InvalidInput("id_mismatch", "product_id in the body differs from the URL",
                                   key="product_id_mismatch")
        return {**await catalogue.upsert(product), **low}

    @r.post("/products/import", tags=["catalogue"])
    async def import_legacy(body: LegacyImport) -> dict[str, Any]:
        """Products from the older system, as they were: stock on independent options is kept
        (listed in the legacy-stock report) until the seller converts or drops it."""
        return await catalogue.import_legacy(body.products)

    @r.get("/products/legacy-stock", tags=["catalogue"])
    async def legacy_stock() -> dict[str, Any]:
        rows = await catalogue.legacy_report()
        return {"rows": rows, "products": len({x["product_id"] for x in rows})}

    @r.get("/products/{product_id}", tags=["catalogue"])
    async def product(product_id: str, all: bool = False) -> dict[str, Any]:
        return {**await catalogue.product(product_id, include_inactive=all), **low}

    @r.post("/products/{product_id}/convert-option", tags=["catalogue"])
    async def convert(product_id: str, cmd: ConvertOption) -> dict[str, Any]:
        return {**await catalogue.convert(product_id, cmd), **low}

    @r.post("/products/{product_id}/drop-legacy-stock", tags=["catalogue"])
    async def drop(product_id: str, cmd: DropLegacyStock) -> dict[str, Any]:
        return {**await catalogue.drop_legacy_stock(product_id, cmd), **low}

    @r.get("/skus", tags=["stock"])
    async def attention(q: str = "", limit: int = Query(200, ge=1, le=1000)) -> dict[str, Any]:
        """Sold-out and low SKUs (or SKUs whose id starts with `q`)."""
        return {"skus": await stock.attention(low_stock_threshold, q, limit), **low}

    @r.get("/skus/{sku_id}", tags=["stock"])
    async def sku(sku_id: str) -> dict[str, Any]:
        return await stock.sku(sku_id)

    @r.post("/skus/{sku_id}/adjust", tags=["stock"])
    async def adjust(sku_id: str, cmd: StockAdjust) -> dict[str, Any]:
        return await stock.adjust(sku_id, cmd)

    @r.put("/skus/{sku_id}/sold-out", tags=["stock"])
    async def sold_out(sku_id: str, body: SoldOut) -> dict[str, Any]:
        return await stock.set_sold_out(sku_id, body.sold_out)

    @r.get("/skus/{sku_id}/ledger", tags=["stock"])
    async def ledger(sku_id: str, before: int | None = Query(None, ge=0, le=INT64_MAX),
                     after: int = Query(0, ge=0, le=INT64_MAX),
                     limit: int = Query(500, ge=1, le=1000),
                     order: str = Query("asc", pattern="^(asc|desc)$")) -> dict[str, Any]:
        """Entries oldest first (or newest first with order=desc), `after` < seq < `before`."""
        return await stock.ledger(sku_id, before, after, limit, order == "desc")

    @r.get("/skus/{sku_id}/audit", tags=["stock"])
    async def audit(sku_id: str) -> dict[str, Any]:
        return await stock.audit(sku_id)

    @r.get("/reservations/{rid}", tags=["stock"])
    async def reservation(rid: str) -> dict[str, Any]:
        return await stock.reservation(rid)

    return r
