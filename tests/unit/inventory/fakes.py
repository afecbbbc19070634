"""A StockBook over dictionaries (no MongoDB): loads from and flushes to `FakeShelf`."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from inventory.book import StockBook, reservation_doc, reservation_from_doc
from inventory.domain import SkuStock
from kit.store import Tx


class FakeShelf:
    def __init__(self) -> None:
        self.skus: dict[str, SkuStock] = {}
        self.prices: dict[str, int] = {}  # the catalogue's unit prices
        self.reservations: dict[str, dict[str, Any]] = {}
        self.ledger: list[dict[str, Any]] = []
        self.events: list[Any] = []

    def add(self, sku_id: str, available: int, **kw: Any) -> None:
        self.skus[sku_id] = SkuStock(sku_id, kw.pop("label", sku_id), available=available, **kw)

    def book(self) -> FakeBook:
        return FakeBook(self)


class FakeBook(StockBook):
    def __init__(self, shelf: FakeShelf) -> None:
        super().__init__(Tx(None, None, "inventory"))  # type: ignore[arg-type]
        self.shelf = shelf

    async def load_skus(self, ids: Iterable[str]) -> dict[str, SkuStock | None]:
        for i in ids:
            if i not in self.skus:
                found = self.shelf.skus.get(i)
                self.skus[i] = copy.deepcopy(found) if found else None
                if i in self.shelf.prices:
                    self.prices[i] = self.shelf.prices[i]
        return self.skus

    async def load_reservations(self, ids: Iterable[str]) -> None:
        for i in ids:
            if i not in self.reservations:
                doc = self.shelf.reservations.get(i)
                self.reservations[i] = reservation_from_doc(copy.deepcopy(doc)) if doc else None

    async def flush(self) -> None:
        for e in self.entries:
            sku = self.skus[e["sku_id"]]
            assert sku is not None
            self.shelf.skus[sku.sku_id] = copy.deepcopy(sku)
        self.shelf.ledger += self.entries
        for res in self.reservations.values():
            if res is not None:
                self.shelf.reservations[res.id] = reservation_doc(res)
        self.shelf.events += self.tx.events
        self.entries = []
