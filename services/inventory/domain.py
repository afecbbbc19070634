"""Stock rules (pure): counters of one SKU, the movements between them, all-or-nothing reservations.

A SKU's units are in exactly one of three counters:
- `available`: on the shelf, free to reserve;
- `reserved`: held for an order (or an exchange) that has not shipped;
- `sold`: shipped out and not put back on the shelf.

Each movement moves units between counters (or, for stock-in/out, changes `available` alone) and
yields one ledger entry with the deltas and the before -> after of every counter. Hence, per SKU:
  sum of the ledger deltas of a counter == that counter, and
  available + reserved + sold == sum of the `available` deltas of stock-in/out entries
  (initial, adjust): reserve, release, sell and restock only move units between counters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from kit.errors import DomainError


class Kind(StrEnum):
    INITIAL = "initial"  # stock of a new SKU
    ADJUST = "adjust"  # seller's correction (received, counted, damaged, ...)
    RESERVE = "reserve"  # available -> reserved, for an order or an exchange
    RELEASE = "release"  # reserved -> available: cancelled before shipping
    SOLD = "sold"  # reserved -> sold: shipped
    RESTOCK = "restock"  # sold -> available: returned units put back on the shelf


# (available, reserved, sold) deltas per unit of each movement; INITIAL/ADJUST take a signed delta.
_UNIT: dict[Kind, tuple[int, int, int]] = {
    Kind.RESERVE: (-1, 1, 0),
    Kind.RELEASE: (1, -1, 0),
    Kind.SOLD: (0, -1, 1),
    Kind.RESTOCK: (1, 0, -1),
}
STOCK_IN_OUT = (Kind.INITIAL, Kind.ADJUST)


class StockError(DomainError):
    """A movement that would take a counter below zero (409); nothing changed."""


@dataclass(frozen=True)
class Movement:
    """One ledger entry: what moved, and every counter before and after."""

    sku_id: str
    seq: int
    kind: Kind
    d_available: int
    d_reserved: int
    d_sold: int
    before: tuple[int, int, int]
    after: tuple[int, int, int]


@dataclass
class SkuStock:
    """One SKU's counters. `seq` counts its movements (the last ledger entry's number)."""

    sku_id: str
    label: str
    available: int = 0
    reserved: int = 0
    sold: int = 0
    sold_out: bool = False  # the seller's "sold out" switch: not orderable whatever the count
    active: bool = True  # False once its option combination left the product
    seq: int = 0
    product_name: str = ""

    @property
    def counters(self) -> tuple[int, int, int]:
        return (self.available, self.reserved, self.sold)

    @property
    def orderable(self) -> int:
        return self.available if self.active and not self.sold_out else 0

    def move(self, kind: Kind, units: int) -> Movement:
        """Apply a movement of `units` (signed for INITIAL/ADJUST, positive otherwise)."""
        if kind in STOCK_IN_OUT:
            deltas = (units, 0, 0)
        else:
            if units <= 0:
                raise StockError("invalid_quantity", "{kind} needs a positive quantity",
                                 key="stock_invalid_quantity", kind=kind)
            a, r, s = _UNIT[kind]
            deltas = (a * units, r * units, s * units)
        before = self.counters
        after = (before[0] + deltas[0], before[1] + deltas[1], before[2] + deltas[2])
        if min(after) < 0:
            names = ("available", "reserved", "sold")
            short = next(i for i in range(3) if after[i] < 0)
            raise StockError(
                "negative_stock", "SKU {sku_id} has {count} {counter}: cannot {kind} {quantity}",
                key="stock_negative", sku_id=self.sku_id, count=before[short],
                counter=names[short], kind=kind, quantity=abs(deltas[short]))
        self.available, self.reserved, self.sold = after
        self.seq += 1
        return Movement(self.sku_id, self.seq, kind, *deltas, before, after)

    def reserve(self, units: int) -> Movement:
        if units > self.orderable:
            short = Shortage(self.sku_id, self.label, units, self.orderable, self.product_name)
            if short.available <= 0:
                raise StockError("out_of_stock", Shortage.SOLD_OUT, key="stock_sold_out",
                                 **short.params)
            raise StockError("out_of_stock", Shortage.SHORT, key="stock_short", **short.params)
        return self.move(Kind.RESERVE, units)


@dataclass(frozen=True)
class Shortage:
    sku_id: str
    label: str
    requested: int
    available: int
    product_name: str = ""

    # The events' `reason` is Korean by contract (StockReservationRejected,
    # ExchangeStockRejected); `key` and `params` name the same case for a translator.
    SOLD_OUT = "{name} ({sku_id}) 품절: 요청 {requested}개, 남은 재고 0개"
    SHORT = "{name} ({sku_id}) 재고 부족: 요청 {requested}개, 남은 재고 {available}개"

    @property
    def key(self) -> str:
        return "stock_sold_out" if self.available <= 0 else "stock_short"

    @property
    def template(self) -> str:
        return self.SOLD_OUT if self.available <= 0 else self.SHORT

    @property
    def params(self) -> dict[str, Any]:
        name = f"{self.product_name} {self.label}" if self.product_name else self.label
        return {"name": name, "sku_id": self.sku_id, "requested": self.requested,
                "available": self.available}

    @property
    def message(self) -> str:
        return self.template.format(**self.params)


def merge_quantities(pairs: list[tuple[str, int]]) -> dict[str, int]:
    """Sum the quantities per SKU, in a stable (sorted) order that avoids lock-order surprises."""
    totals: dict[str, int] = {}
    for sku_id, qty in pairs:
        totals[sku_id] = totals.get(sku_id, 0) + qty
    return dict(sorted(totals.items()))


def first_shortage(wanted: dict[str, int], skus: dict[str, SkuStock | None]) -> Shortage | None:
    """The first SKU (in `wanted` order) that cannot give its quantity; None when all can."""
    for sku_id, qty in wanted.items():
        sku = skus.get(sku_id)
        if sku is None:
            return Shortage(sku_id, sku_id, qty, 0)
        if sku.orderable < qty:
            return Shortage(sku_id, sku.label, qty, sku.orderable, sku.product_name)
    return None


@dataclass
class Hold:
    """Units of one SKU held by a reservation, and what became of them since."""

    sku_id: str
    quantity: int
    sold: int = 0
    released: int = 0
    restocked: int = 0

    @property
    def held(self) -> int:
        """Still reserved: neither shipped nor released."""
        return self.quantity - self.sold - self.released


@dataclass
class Reservation:
    """What one order (or one exchange) holds. `_id` = order id, or `exchange:<claim id>`."""

    id: str
    order_id: str
    status: str  # RESERVED | REJECTED | RELEASED (nothing held any more)
    holds: list[Hold] = field(default_factory=list)
    line_skus: dict[str, str] = field(default_factory=dict)
    claim_id: str = ""
    reason: str = ""
    done: list[str] = field(default_factory=list)  # sections / claims already applied
    exchanges: list[str] = field(default_factory=list)  # reservations of this order's exchanges

    def hold(self, sku_id: str) -> Hold | None:
        return next((h for h in self.holds if h.sku_id == sku_id), None)


def reserve_all(skus: dict[str, SkuStock | None], wanted: dict[str, int]) \
        -> tuple[list[Movement], Shortage | None]:
    """Reserve every SKU of `wanted` or none: a shortage leaves every counter untouched."""
    shortage = first_shortage(wanted, skus)
    if shortage:
        return [], shortage
    moves = []
    for sku_id, qty in wanted.items():
        sku = skus[sku_id]
        assert sku is not None
        moves.append(sku.reserve(qty))
    return moves, None


def release_units(res: Reservation, skus: dict[str, SkuStock | None],
                  wanted: dict[str, int] | None = None) -> list[Movement]:
    """Give back held units (all of them, or at most `wanted` per SKU); each unit once."""
    moves = []
    for h in res.holds:
        n = h.held if wanted is None else min(h.held, wanted.get(h.sku_id, 0))
        sku = skus.get(h.sku_id)
        if n > 0 and sku is not None:
            moves.append(sku.move(Kind.RELEASE, n))
            h.released += n
    if all(h.held == 0 for h in res.holds) and res.status == "RESERVED" and wanted is None:
        res.status = "RELEASED"
    return moves


def sell_units(res: Reservation, skus: dict[str, SkuStock | None],
               wanted: dict[str, int]) -> list[Movement]:
    """Held units leave with a shipment (never more than are held)."""
    moves = []
    for h in res.holds:
        n = min(h.held, wanted.get(h.sku_id, 0))
        sku = skus.get(h.sku_id)
        if n > 0 and sku is not None:
            moves.append(sku.move(Kind.SOLD, n))
            h.sold += n
    return moves


def restock_units(reservations: list[Reservation] | None, skus: dict[str, SkuStock | None],
                  wanted: dict[str, int]) -> list[Movement]:
    """Returned units back on the shelf: at most what the order (its reservation and those of
    its exchanges) shipped and did not restock yet; without any reservation on record, at most
    the SKU's sold count."""
    moves = []
    for sku_id, qty in wanted.items():
        sku = skus.get(sku_id)
        if sku is None:
            continue
        holds = [h for r in reservations or [] for h in r.holds if h.sku_id == sku_id]
        room = sum(h.sold - h.restocked for h in holds) if reservations else sku.sold
        n = min(qty, room, sku.sold)
        if n <= 0:
            continue
        moves.append(sku.move(Kind.RESTOCK, n))
        for h in holds:
            take = min(n, h.sold - h.restocked)
            h.restocked += take
            n -= take
    return moves
