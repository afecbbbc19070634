"""Inventory: stock movement events, schema version 1. Key = order id."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from contracts import topics
from contracts.envelope import Event


class SkuQty(BaseModel):
    model_config = ConfigDict(frozen=True)

    sku_id: str
    quantity: int = Field(ge=1)


class _InventoryEvent(Event):
    TOPIC: ClassVar[str] = topics.INVENTORY_EVENTS
    order_id: str


class StockReserved(_InventoryEvent):
    """Every SKU of the order is reserved (all or nothing)."""

    type: Literal["StockReserved"] = "StockReserved"
    items: list[SkuQty]


class StockReservationRejected(_InventoryEvent):
    """Nothing was reserved: one SKU lacks stock (named with what is left), or the order's
    price of a SKU is not inventory's (prices come from inventory, never from the caller)."""

    type: Literal["StockReservationRejected"] = "StockReservationRejected"
    sku_id: str
    requested: int
    available: int
    reason: str = Field(description="Readable message for the buyer, in Korean")
    code: Literal["out_of_stock", "price_mismatch"] = "out_of_stock"


class StockReleased(_InventoryEvent):
    """Reserved units went back to available stock (order cancelled, or a cancel claim
    completed: then `claim_id` names it)."""

    type: Literal["StockReleased"] = "StockReleased"
    items: list[SkuQty]
    claim_id: str = Field(default="", description="The cancel or exchange claim, if any")


class StockSold(_InventoryEvent):
    """Reserved units left the warehouse with a shipped section."""

    type: Literal["StockSold"] = "StockSold"
    section_id: str
    items: list[SkuQty]
    claim_id: str = Field(default="", description="Exchange claim whose replacement shipped")


class StockRestocked(_InventoryEvent):
    """Returned units went back on the shelf (a return or an exchange completed with
    `restock`); never more than the order shipped."""

    type: Literal["StockRestocked"] = "StockRestocked"
    claim_id: str
    items: list[SkuQty]


class ExchangeStockReserved(_InventoryEvent):
    """The replacement SKUs of an approved exchange are reserved (all or nothing)."""

    type: Literal["ExchangeStockReserved"] = "ExchangeStockReserved"
    claim_id: str
    items: list[SkuQty]


class ExchangeStockRejected(_InventoryEvent):
    """Nothing was reserved for the exchange: one replacement SKU lacks stock."""

    type: Literal["ExchangeStockRejected"] = "ExchangeStockRejected"
    claim_id: str
    sku_id: str
    requested: int
    available: int
    reason: str = Field(description="Readable message, in Korean")


InventoryEvent = Annotated[
    StockReserved | StockReservationRejected | StockReleased | StockSold | StockRestocked
    | ExchangeStockReserved | ExchangeStockRejected,
    Field(discriminator="type"),
]
