"""Request bodies of the inventory HTTP API: its public contract (the gateway validates what it
forwards with the same models; a refusal answers 4xx)."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt

from contracts.envelope import Actor

ID = r"^[A-Za-z0-9._-]+$"
SELLER = Actor(kind="seller", id="", name="판매자")


class OptionValueIn(BaseModel):
    value: str = Field(min_length=1, max_length=50, examples=["블랙"])
    code: str = Field(default="", max_length=12, pattern=r"^[A-Za-z0-9]*$",
                      description="Short code used in generated SKU ids; derived when empty")


class CombinationOptionIn(BaseModel):
    """조합형 필수 옵션: every combination of the values of all of them is one SKU."""

    name: str = Field(min_length=1, max_length=30, examples=["색상"])
    values: list[OptionValueIn] = Field(min_length=1, max_length=100)


class IndependentValueIn(BaseModel):
    value: str = Field(min_length=1, max_length=50)
    stock: StrictInt | None = Field(default=None, ge=0, le=10_000_000,
                              description="Only legacy imports may carry it")


class IndependentOptionIn(BaseModel):
    """비조합형 옵션 (gift wrap, engraving): chosen with the order, never carries stock."""

    name: str = Field(min_length=1, max_length=30, examples=["선물포장"])
    kind: Literal["SELECT", "TEXT"] = "SELECT"
    values: list[str | IndependentValueIn] = Field(default_factory=list, max_length=100)
    required: StrictBool = False
    stock: StrictInt | None = Field(default=None, ge=0, le=10_000_000,
                              description="Refused: independent options never carry stock")


class SkuIn(BaseModel):
    """One SKU: `options` (name -> value) picks its combination in the grid; a product sent
    without combination options lists its SKUs by `sku_id` + `label` instead."""

    sku_id: str = Field(default="", max_length=64, pattern=r"^([A-Za-z0-9._-]+)?$")
    label: str = Field(default="", max_length=200, description="e.g. 블랙 / M")
    options: dict[str, str] = Field(default_factory=dict)
    price_delta: StrictInt = Field(default=0, ge=-10_000_000, le=10_000_000)
    stock: StrictInt | None = Field(default=None, ge=0, le=10_000_000,
                              description="New SKU: its initial stock. Existing SKU: the wanted "
                                          "stock, applied as a delta from `stock_seen`")
    stock_seen: StrictInt | None = Field(default=None, ge=0, le=10_000_000,
                                   description="Available units the editor showed")
    sold_out: StrictBool = Field(default=False, description="Seller's switch: not orderable")


class ProductIn(BaseModel):
    product_id: str = Field(min_length=1, max_length=40, pattern=ID)
    name: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=2000)
    category_id: str = Field(default="", max_length=64)
    base_price: StrictInt = Field(ge=0, le=100_000_000)
    listed: StrictBool = Field(default=True, description="Shown in the storefront's product list")
    combination_options: list[CombinationOptionIn] = Field(default_factory=list, max_length=3)
    independent_options: list[IndependentOptionIn] = Field(default_factory=list, max_length=20)
    skus: list[SkuIn] = Field(default_factory=list, max_length=500)
    actor: Actor = SELLER


class LegacyImport(BaseModel):
    """Products exported from the older system; their independent options may carry stock."""

    products: list[ProductIn] = Field(min_length=1, max_length=1000)
    actor: Actor = SELLER


class ReasonCode(StrEnum):
    RECEIVED = "RECEIVED"  # 입고: goods came in
    COUNT = "COUNT"  # 재고 실사: a physical count corrected the books
    DAMAGED = "DAMAGED"  # 파손/분실
    RETURNED = "RETURNED"  # 반품 입고 recorded by hand
    OTHER = "OTHER"


class StockAdjust(BaseModel):
    model_config = ConfigDict(extra="forbid")

    delta: StrictInt = Field(ge=-10_000_000, le=10_000_000,
                       description="Units to add (positive) or remove (negative)")
    reason: str = Field(min_length=1, max_length=200, description="Why, shown in the ledger")
    reason_code: ReasonCode = ReasonCode.OTHER
    expected_available: StrictInt | None = Field(
        default=None, ge=-10_000_000, le=10_000_000, description="Refuse when the available count is no longer this one")
    actor: Actor = SELLER


class ConvertOption(BaseModel):
    option: str = Field(min_length=1, max_length=30)
    actor: Actor = SELLER


class DropLegacyStock(BaseModel):
    option: str = Field(min_length=1, max_length=30)
    actor: Actor = SELLER


class SoldOut(BaseModel):
    sold_out: StrictBool
