"""Answers of the inventory service's HTTP API, as the gateway passes them on (its OpenAPI).

Every model lets unknown fields through (`extra="allow"`): the gateway documents the fields
clients rely on and forwards the rest unchanged (documents written by the older system may lack
some of the others). Products, SKUs and ledger entries keep their stored id under `_id`.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Answer(BaseModel):
    model_config = ConfigDict(extra="allow")


class SkuOut(_Answer):
    """One SKU (a combination of a product's options) with its stock counters."""

    id: str = Field(alias="_id")
    product_id: str
    active: bool = Field(description="False once its combination was removed")
    seq: int = Field(description="Number of its last ledger entry")


class ProductSku(SkuOut):
    options: dict[str, str] = Field(description="Option name → value")
    sold_out: bool


class ProductOut(_Answer):
    """A product with its options and SKUs in grid order."""

    id: str = Field(alias="_id")
    name: str
    listed: bool
    combination_options: list[dict[str, Any]] = Field(description="조합형: they make the SKUs")
    independent_options: list[dict[str, Any]] = Field(description="비조합형: never carry stock")
    legacy_stock: list[dict[str, Any]] = Field(description="Stock still on independent options")
    skus: list[ProductSku]


class ProductDetail(ProductOut):
    low_stock_threshold: int


class Storefront(_Answer):
    products: list[ProductOut]
    low_stock_threshold: int


class SkuTotals(_Answer):
    """Over a product's active SKUs."""

    skus: int
    available: int
    reserved: int
    sold: int
    sold_out: int
    low: int
    inactive: int
    min_delta: int
    max_delta: int


class ProductSummary(_Answer):
    id: str = Field(alias="_id")
    name: str
    totals: SkuTotals


class ProductPage(_Answer):
    products: list[ProductSummary]
    total: int
    offset: int
    limit: int
    legacy_products: int = Field(description="Products still keeping stock on independent options")
    low_stock_threshold: int


class ImportResult(_Answer):
    product_id: str
    ok: bool


class ImportReport(_Answer):
    imported: int
    failed: int
    results: list[ImportResult]


class LegacyStockRow(_Answer):
    product_id: str
    name: str
    option: str
    value: str
    stock: int
    has_combination: bool


class LegacyStockReport(_Answer):
    rows: list[LegacyStockRow]
    products: int


class AttentionSku(_Answer):
    id: str = Field(alias="_id")
    product_id: str


class AttentionList(_Answer):
    """Sold-out and low SKUs, or SKUs whose id starts with `q`."""

    skus: list[AttentionSku]
    low_stock_threshold: int


class LedgerEntry(_Answer):
    """One movement of a SKU: its deltas and every counter before and after."""

    id: str = Field(alias="_id")
    seq: int
    kind: str
    d_available: int
    d_reserved: int
    d_sold: int
    available_before: int
    reserved_before: int
    sold_before: int
    available_after: int
    reserved_after: int
    sold_after: int


class LedgerPage(_Answer):
    sku_id: str
    seq: int
    entries: list[LedgerEntry]
    more: bool = Field(description="Older (or newer) entries remain")


class StockCounters(_Answer):
    available: int
    reserved: int
    sold: int


class StockAudit(_Answer):
    """The ledger replayed against the counters."""

    sku_id: str
    counters: StockCounters
    ledger_sums: StockCounters
    entries: int
    stock_in: int
    seq: int
    consistent: bool
    chain_ok: bool
