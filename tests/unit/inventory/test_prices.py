"""Prices come from inventory, never from whoever placed the order: an order whose price of a
SKU is not the catalogue's reserves nothing and is refused, naming both prices."""

from __future__ import annotations

from contracts.inventory.v1 import StockReservationRejected, StockReserved
from tests.unit.inventory.fakes import FakeShelf
from tests.unit.inventory.test_movements import placed, run


async def test_an_order_priced_below_the_catalogue_reserves_nothing_and_is_refused() -> None:
    shelf = FakeShelf()
    shelf.add("S1", 5)
    shelf.prices["S1"] = 25000

    await run(shelf, placed("o1", ("S1", 2)))  # priced 1,000 by its caller

    [refused] = shelf.events
    assert isinstance(refused, StockReservationRejected)
    assert (refused.code, refused.sku_id) == ("price_mismatch", "S1")
    assert "1,000원" in refused.reason and "25,000원" in refused.reason
    assert (shelf.skus["S1"].available, shelf.skus["S1"].reserved) == (5, 0)
    assert shelf.reservations["o1"]["status"] == "REJECTED"


async def test_an_order_at_the_catalogue_price_is_reserved() -> None:
    shelf = FakeShelf()
    shelf.add("S1", 5)
    shelf.prices["S1"] = 1000

    await run(shelf, placed("o1", ("S1", 2)))

    [reserved] = shelf.events
    assert isinstance(reserved, StockReserved)
    assert (shelf.skus["S1"].available, shelf.skus["S1"].reserved) == (3, 2)
