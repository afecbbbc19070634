"""Discount arithmetic and the precomputed view of an instance the solver works on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from coupons.optimizer.model import Coupon, Instance

NEG = -(1 << 62)  # value of an invalid combination


def discount(coupon: Coupon, base: int, unit: int) -> int:
    """One coupon on one base: fixed value or floored percent, capped, never above the base."""
    if base <= 0:
        return 0
    if coupon.type == "fixed":
        d = coupon.value
    else:
        d = base * coupon.value // (100 * unit) * unit
    if coupon.max_discount is not None:
        d = min(d, coupon.max_discount)
    return min(d, base)


@dataclass(frozen=True)
class Cart:
    """A cart coupon: eligible lines, their amount and how the discount follows the base."""

    index: int  # coupon index in the instance
    lines: frozenset[int]
    amount: int  # eligible amount before any coupon
    coupon: Coupon
    unit: int
    discounted: bool  # min_purchase checked after product coupons

    def value(self, x: int) -> int:
        """Cart discount when the eligible lines carry x of product discounts (NEG: refused)."""
        base = self.amount - x
        if self.discounted and base < self.coupon.min_purchase:
            return NEG
        return discount(self.coupon, base, self.unit)

    @property
    def max_value(self) -> int:
        return discount(self.coupon, self.amount, self.unit)


@dataclass(frozen=True)
class Ship:
    index: int
    value: int
    min_purchase: int
    discounted: bool


@dataclass
class Problem:
    """Integer view of an instance: amounts, product edges, cart/shipping coupons, conflicts."""

    inst: Instance
    amounts: list[int]
    merchandise: int
    # product coupon index -> {line index: discount > 0}
    edges: dict[int, dict[int, int]]
    carts: list[Cart]
    ships: list[Ship]
    conflicts: list[frozenset[int]]
    exclusive: list[bool]
    products: list[int] = field(default_factory=list)  # non-exclusive product coupons
    users: dict[int, list[int]] = field(default_factory=dict)  # line -> its product coupons
    ranked: dict[int, list[int]] = field(default_factory=dict)  # coupon -> lines, best first

    @classmethod
    def build(cls, inst: Instance) -> Problem:
        unit, discounted = inst.rounding_unit, inst.threshold_base == "discounted"
        amounts = [ln.amount for ln in inst.lines]
        merchandise = sum(amounts)
        index = {c.id: k for k, c in enumerate(inst.coupons)}
        conflicts: list[set[int]] = [set() for _ in inst.coupons]
        for k, c in enumerate(inst.coupons):
            for other in c.conflicts_with:
                j = index.get(other)  # a conflict with a coupon not offered changes nothing
                if j is not None and j != k:
                    conflicts[k].add(j)
                    conflicts[j].add(k)
        edges: dict[int, dict[int, int]] = {}
        carts: list[Cart] = []
        ships: list[Ship] = []
        per_unit = inst.product_coupon_base == "unit"
        facts = [(i, ln.product_id, ln.category_id, amounts[i],
                  ln.unit_price if per_unit else amounts[i]) for i, ln in enumerate(inst.lines)]
        for k, c in enumerate(inst.coupons):
            if c.kind == "product":
                prods = set(c.eligible_product_ids or ())
                cats = set(c.eligible_category_ids or ())
                cap = c.max_discount if c.max_discount is not None else 1 << 62
                fixed, value, least = c.type == "fixed", c.value, c.min_purchase
                row = {}
                for i, pid, cid, amount, base in facts:  # discount() inlined: hot loop
                    if (prods or cats) and pid not in prods and cid not in cats:
                        continue
                    if amount >= least and base > 0:
                        d = min(value if fixed else base * value // (100 * unit) * unit, cap, base)
                        if d > 0:
                            row[i] = d
                edges[k] = row
            elif c.kind == "cart":
                lines = frozenset(i for i, ln in enumerate(inst.lines) if c.eligible(ln))
                amount = sum(amounts[i] for i in lines)
                if amount >= c.min_purchase:  # never reachable otherwise, in either mode
                    carts.append(Cart(k, lines, amount, c, unit, discounted))
            else:
                fee_off = discount(c, inst.shipping_fee, unit)
                if merchandise >= c.min_purchase:
                    ships.append(Ship(k, fee_off, c.min_purchase, discounted))
        exclusive = [c.exclusive for c in inst.coupons]
        products = [k for k in edges if not exclusive[k]]
        users: dict[int, list[int]] = {}
        for k in products:
            for i in edges[k]:
                users.setdefault(i, []).append(k)
        ranked = {k: sorted(row, key=row.__getitem__, reverse=True) for k, row in edges.items()}
        return cls(inst, amounts, merchandise, edges, carts, ships,
                   [frozenset(s) for s in conflicts], exclusive, products, users, ranked)

    def broken(self, line_of: dict[int, int]) -> list[tuple[int, int]]:
        """Conflicting pairs among the product coupons of a matching (coupon -> line)."""
        conflicts = self.conflicts
        return [(a, b) for a in line_of for b in conflicts[a] if a < b and b in line_of]

    def value(self, assign: dict[int, int], cart: int | None, ship: int | None) -> int:
        """Total of a combination (line -> product coupon, cart and shipping coupon indices)
        checked against every rule, NEG when it breaks one."""
        chosen = list(assign.values()) + [c for c in (cart, ship) if c is not None]
        if len(set(chosen)) < len(chosen) or any(self.conflicts[a] & set(chosen) for a in chosen):
            return NEG
        if len(chosen) > 1 and any(self.exclusive[a] for a in chosen):
            return NEG
        if any(i not in self.edges.get(k, {}) for i, k in assign.items()):
            return NEG
        p = sum(self.edges[k][i] for i, k in assign.items())
        total = p
        if cart is not None:
            c = next((x for x in self.carts if x.index == cart), None)
            if c is None:
                return NEG
            off = c.value(sum(self.edges[k][i] for i, k in assign.items() if i in c.lines))
            if off == NEG:
                return NEG
            total += off
        if ship is not None:
            s = next((x for x in self.ships if x.index == ship), None)
            if s is None or (s.discounted and self.merchandise - total < s.min_purchase):
                return NEG
            total += s.value
        return total


def _beats(a: Cart | Ship, b: Cart | Ship) -> bool:
    """a is at least as good as b in every combination where b can be used."""
    if isinstance(a, Ship) and isinstance(b, Ship):
        return a.value >= b.value and a.min_purchase <= b.min_purchase
    if isinstance(a, Cart) and isinstance(b, Cart):
        ca, cb = a.coupon, b.coupon
        if a.lines != b.lines or ca.type != cb.type or ca.min_purchase > cb.min_purchase:
            return False
        cap_a = ca.max_discount if ca.max_discount is not None else 1 << 62
        cap_b = cb.max_discount if cb.max_discount is not None else 1 << 62
        return ca.value >= cb.value and cap_a >= cap_b
    return False


_C = TypeVar("_C", Cart, Ship)  # dominated() keeps the kind it is given


def dominated(items: list[_C], pb: Problem) -> list[_C]:
    """The non-exclusive coupons worth trying: drop the useless and the dominated ones
    (another coupon of the kind is as good everywhere and conflicts with no more coupons;
    for cart coupons only when no shipping min purchase depends on the discounts)."""
    pool = [x for x in items if not pb.exclusive[x.index]
            and (x.max_value if isinstance(x, Cart) else x.value) > 0]
    if any(isinstance(x, Cart) for x in pool) and any(
            s.discounted and s.min_purchase > 0 for s in pb.ships):
        return list(pool)  # a larger cart discount may cost a shipping min purchase

    def dominates(a: Cart | Ship, b: Cart | Ship) -> bool:
        return a is not b and _beats(a, b) and \
            pb.conflicts[a.index] - {b.index} <= pb.conflicts[b.index] - {a.index}

    # of two coupons dominating each other, keep the first
    return [b for b in pool if not any(dominates(a, b) and (not dominates(b, a) or a.index < b.index)
                                       for a in pool)]
