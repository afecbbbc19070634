"""Stock rules (pure): a reservation takes every SKU of an order or none of them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Shortage:
    sku_id: str
    label: str
    requested: int
    available: int

    @property
    def message(self) -> str:
        if self.available <= 0:
            return f"{self.label} ({self.sku_id}) 품절: 요청 {self.requested}개, 남은 재고 0개"
        return (f"{self.label} ({self.sku_id}) 재고 부족: 요청 {self.requested}개, "
                f"남은 재고 {self.available}개")


def merge_quantities(pairs: list[tuple[str, int]]) -> dict[str, int]:
    """Sum the quantities per SKU, in a stable (sorted) order that avoids lock-order surprises."""
    totals: dict[str, int] = {}
    for sku_id, qty in pairs:
        totals[sku_id] = totals.get(sku_id, 0) + qty
    return dict(sorted(totals.items()))


def first_shortage(wanted: dict[str, int], skus: dict[str, dict[str, object]]) -> Shortage | None:
    for sku_id, qty in wanted.items():
        sku = skus.get(sku_id)
        available = int(sku["available"]) if sku else 0  # type: ignore[call-overload]
        label = str(sku["label"]) if sku else sku_id
        if sku is None or sku.get("sold_out") or available < qty:
            return Shortage(sku_id, label, qty, 0 if sku is None or sku.get("sold_out") else available)
    return None
