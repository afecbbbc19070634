"""Seller JSON API for the catalogue and stock (OpenAPI at /docs, tag "admin inventory").

Thin: every call needs a seller session, names the seller as the actor and forwards to the
inventory service, whose refusals come back as the same 4xx."""

from __future__ import annotations

from enum import Enum
from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from contracts.inventory.requests import (
    ConvertOption,
    DropLegacyStock,
    LegacyImport,
    ProductIn,
    SoldOut,
    StockAdjust,
)
from contracts.inventory.responses import (
    AttentionList,
    ImportReport,
    LedgerPage,
    LegacyStockReport,
    ProductDetail,
    ProductPage,
    SkuOut,
    StockAudit,
)
from gateway.auth import User
from gateway.clients import forwarded
from gateway.deps import SellerDep, ServicesDep
from gateway.ids import PathId
from gateway.orders import actor_of

TAG: list[str | Enum] = ["admin inventory"]


def _with_actor(body: BaseModel, user: User) -> dict[str, Any]:
    return {**forwarded(body), "actor": actor_of(user).model_dump()}


router = APIRouter(prefix="/api/admin", tags=TAG)


@router.get("/products", response_model=ProductPage)
async def products(services: ServicesDep, _: SellerDep, q: str = "", status: str = "",
                   offset: int = Query(0, ge=0), limit: int = Query(50, ge=1, le=200)) -> Any:
    """Products, newest change first, with totals over their SKUs; `status`: legacy
    (stock still on independent options) or hidden."""
    return await services.inventory.get("/admin/products", params={"q": q, "status": status,
                                                    "offset": offset, "limit": limit})


@router.get("/products/legacy-stock", response_model=LegacyStockReport)
async def legacy_stock(services: ServicesDep, _: SellerDep) -> Any:
    """Products that still keep stock on independent options (imported from the older
    system): convert each to a combination option, or drop the stock setting, before
    switching the new order system on."""
    return await services.inventory.get("/products/legacy-stock")


@router.post("/products/import", response_model=ImportReport)
async def import_legacy(services: ServicesDep, body: LegacyImport, user: SellerDep) -> Any:
    """`{"products": [...]}` as exported by the older system (same shape as PUT, but
    independent options may carry `stock`, per value or on the option)."""
    return await services.inventory.post("/products/import", _with_actor(body, user))


@router.get("/products/{product_id}", response_model=ProductDetail)
async def product(services: ServicesDep, product_id: PathId, _: SellerDep) -> Any:
    """The product with every SKU, including those whose combination was removed."""
    return await services.inventory.get(f"/products/{product_id}", params={"all": "true"})


@router.put("/products/{product_id}", response_model=ProductDetail)
async def save(services: ServicesDep, product_id: PathId, body: ProductIn, user: SellerDep) -> Any:
    """Create or replace a product: `combination_options` (name + values) make the SKU
    grid; `skus` set each combination's price delta, stock and sold-out switch;
    `independent_options` never carry stock (refused with a 400)."""
    return await services.inventory.put(f"/products/{product_id}", _with_actor(body, user))


@router.post("/products/{product_id}/convert-option", response_model=ProductDetail)
async def convert(services: ServicesDep, product_id: PathId, body: ConvertOption, user: SellerDep) -> Any:
    return await services.inventory.post(f"/products/{product_id}/convert-option",
                                         _with_actor(body, user))


@router.post("/products/{product_id}/drop-legacy-stock", response_model=ProductDetail)
async def drop(services: ServicesDep, product_id: PathId, body: DropLegacyStock, user: SellerDep) -> Any:
    return await services.inventory.post(f"/products/{product_id}/drop-legacy-stock",
                                         _with_actor(body, user))


@router.get("/skus", response_model=AttentionList)
async def attention(services: ServicesDep, _: SellerDep, q: str = "") -> Any:
    """Sold-out and low SKUs, or SKUs whose code starts with `q`."""
    return await services.inventory.get("/skus", params={"q": q})


@router.get("/skus/{sku_id}", response_model=SkuOut)
async def sku(services: ServicesDep, sku_id: PathId, _: SellerDep) -> Any:
    return await services.inventory.get(f"/skus/{sku_id}")


@router.post("/skus/{sku_id}/adjust", response_model=SkuOut)
async def adjust(services: ServicesDep, sku_id: PathId, body: StockAdjust, user: SellerDep) -> Any:
    """`{"delta": n, "reason": "...", "reason_code": RECEIVED|COUNT|DAMAGED|RETURNED|OTHER,
    "expected_available": n?}`: one ledger entry, never below zero."""
    return await services.inventory.post(f"/skus/{sku_id}/adjust", _with_actor(body, user))


@router.put("/skus/{sku_id}/sold-out", response_model=SkuOut)
async def sold_out(services: ServicesDep, sku_id: PathId, body: SoldOut, _: SellerDep) -> Any:
    return await services.inventory.put(f"/skus/{sku_id}/sold-out", body.model_dump())


@router.get("/skus/{sku_id}/ledger", response_model=LedgerPage)
async def ledger(services: ServicesDep, sku_id: PathId, _: SellerDep, before: int | None = None,
                 limit: int = Query(100, ge=1, le=1000)) -> Any:
    """Newest first: who, why, and every counter before -> after."""
    params: dict[str, Any] = {"order": "desc", "limit": limit}
    if before is not None:
        params["before"] = before
    return await services.inventory.get(f"/skus/{sku_id}/ledger", params=params)


@router.get("/skus/{sku_id}/audit", response_model=StockAudit)
async def audit(services: ServicesDep, sku_id: PathId, _: SellerDep) -> Any:
    """The ledger replayed against the counters."""
    return await services.inventory.get(f"/skus/{sku_id}/audit")
