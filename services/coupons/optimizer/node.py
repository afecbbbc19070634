"""One node of the search: a cart coupon (or none), a shipping coupon (or none) and the product
coupons still allowed. See solver.py for the overall method."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from coupons.optimizer.bounds import Pair, Q, Surrogate, cover
from coupons.optimizer.capped import reach
from coupons.optimizer.near import near_optimal
from coupons.optimizer.rules import NEG, Cart, Ship

if TYPE_CHECKING:
    from coupons.optimizer.solver import Search

Child = tuple[int, frozenset[int]]  # (bound, coupons to remove)


@dataclass
class Task:
    """A node whose matchings near the surrogate optimum must be enumerated."""

    ub: int
    sur: Surrogate
    k_q: int


class Node:
    def __init__(self, search: Search, cart: Cart | None, ship: Ship | None,
                 active: frozenset[int]) -> None:
        self.s, self.pb = search, search.pb
        self.cart, self.ship, self.active = cart, ship, active
        self.lines = cart.lines if cart is not None else frozenset()
        self.found: tuple[int, Pair] | None = None  # best candidate breaking a conflict

    # --- exact evaluation -----------------------------------------------------------------
    def value(self, line_of: dict[int, int]) -> int:
        edges, lines = self.pb.edges, self.lines
        p = x = 0
        for k, i in line_of.items():
            d = edges[k][i]
            p += d
            if i in lines:
                x += d
        return self.total(p, x)

    def total(self, p: int, x: int) -> int:
        """Total discount when product coupons give p, x of it on the cart's lines."""
        cart, ship = self.cart, self.ship
        if cart is not None:
            c = cart.value(x)
            if c == NEG:
                return NEG
            p += c
        if ship is not None:
            if ship.discounted and self.pb.merchandise - p < ship.min_purchase:
                return NEG
            p += ship.value
        return p

    def visit(self, line_of: dict[int, int]) -> None:
        v = self.value(line_of)
        broken = self.pb.broken(line_of)
        if v > self.s.best.total and broken and (self.found is None or v > self.found[0]):
            self.found = (v, broken[0])
        if v > self.s.best.total and not broken:
            self.s.offer(v, line_of, self.cart, self.ship)
        elif broken or v == NEG:
            self.repair(line_of, broken)

    def repair(self, line_of: dict[int, int], broken: list[Pair]) -> None:
        """A quick incumbent: drop the smaller coupon of each broken pair, then drop coupons
        until the thresholds hold (the smallest one that fixes it, else the largest)."""
        edges, cart, ship = self.pb.edges, self.cart, self.ship
        fixed = dict(line_of)
        for a, b in broken:
            if a in fixed and b in fixed:
                del fixed[a if edges[a][fixed[a]] < edges[b][fixed[b]] else b]
        while fixed and self.value(fixed) == NEG:
            p = sum(edges[k][i] for k, i in fixed.items())
            x = sum(edges[k][i] for k, i in fixed.items() if i in self.lines)
            if cart is not None and cart.value(x) == NEG:
                pool = [k for k, i in fixed.items() if i in self.lines]
                excess = x - (cart.amount - cart.coupon.min_purchase)
            else:
                assert ship is not None
                pool = list(fixed)
                c = cart.value(x) if cart is not None else 0
                excess = p + c - (self.pb.merchandise - ship.min_purchase)
            enough = [k for k in pool if edges[k][fixed[k]] >= excess]
            drop = min(enough or pool, key=lambda k: edges[k][fixed[k]] * (1 if enough else -1))
            del fixed[drop]
        self.s.offer(self.value(fixed), fixed, self.cart, self.ship)

    # --- bounds and branching --------------------------------------------------------------
    def ub(self, sur: Surrogate, k_q: int, forced: frozenset[int] = frozenset()) -> int:
        return self.s.ship_cap((sur.bound(sur.base.cover_loss(forced)) + k_q) // Q, self.ship)

    def prepare(self) -> list[Child] | Task:
        """Evaluate the surrogate optima; returns children to split into, or the search task
        (an empty list when the node cannot beat the incumbent)."""
        best: tuple[int, int, int, int] | None = None
        for slope, k_q in self.shapes():
            sur = self.s.surrogate(self.active, self.lines, slope, slope > 0)
            self.visit(sur.base.m.line_of)
            own = sur.bound(sur.base.cover_loss(frozenset())) + k_q  # what the search sees
            if best is None or (self.ub(sur, k_q), own) < best[:2]:
                best = (self.ub(sur, k_q), own, slope, k_q)
        assert best is not None
        ub, _, slope, k_q = best
        sur = self.s.surrogate(self.active, self.lines, slope, True)
        self.visit(sur.base.m.line_of)  # near_optimal never visits the optimum itself
        ub = min(ub, self.ub(sur, k_q))
        cart = self.cart
        if sur.big > 1 and cart is not None and cart.discounted and \
                sur.x_opt > cart.amount - cart.coupon.min_purchase:
            ub, sur, k_q = self.lagrange(ub, sur, slope, k_q)
        ub = min(ub, self.s.bound(self.active, cart, self.ship))
        if cart is not None and len(self.lines) == len(self.pb.amounts) and ub > self.s.best.total:
            # x = P: subset sums when the min purchase caps P, or when W ignores P (slope Q)
            p_max = self.s.plain_max(self.active)
            if slope == Q or cart.discounted and p_max > cart.amount - cart.coupon.min_purchase:
                ub = reach(self, ub, p_max)
        if ub <= self.s.best.total:
            return []
        if sur.base.broken:  # the relaxation's optimum breaks conflicts: split
            return self.split(sur, k_q)
        return Task(ub, sur, k_q)

    def lagrange(self, ub: int, sur: Surrogate, slope: int,
                 k_q: int) -> tuple[int, Surrogate, int]:
        """The cart's min purchase caps x at b = amount - min_purchase, so slope + t with
        k_q + t * b is a valid surrogate for any t >= 0: bisect t to tighten the bound."""
        assert self.cart is not None
        b = self.cart.amount - self.cart.coupon.min_purchase
        best = (ub, sur, k_q)
        lo, hi = slope + 1, Q  # the smallest slope whose optimum keeps x <= b
        while lo <= hi:
            mid = (lo + hi) // 2
            s2 = self.s.surrogate(self.active, self.lines, mid, True)
            k2 = k_q + (mid - slope) * b
            self.visit(s2.base.m.line_of)
            u2 = self.ub(s2, k2)
            if u2 < best[0]:
                best = (u2, s2, k2)
            if s2.x_opt > b:
                lo = mid + 1
            else:
                hi = mid - 1
        return best

    def split(self, sur: Surrogate, k_q: int) -> list[Child]:
        """Children covering every conflict-free matching: with D = (a1, a2, ...) a cover of
        the broken pairs, either no coupon of D is used, or a_j is the first one used (then
        a1..a_j-1 and every coupon conflicting with a_j are not)."""
        base = sur.base
        order = cover(base.broken, base.losses(base.used))
        groups = [frozenset(order)]
        for j, a in enumerate(order):
            groups.append(frozenset(order[:j]) | (self.pb.conflicts[a] & self.active))
        out = [(self.ub(sur, k_q, g), g) for g in groups]
        return [c for c in out if c[0] > self.s.best.total]

    def search(self, task: Task) -> list[Child]:
        """Enumerate every matching whose surrogate can still beat the incumbent."""
        sur, k_q = task.sur, task.k_q
        s_val = self.ship.value if self.ship is not None else 0

        def budget() -> int:  # in units of the base weights
            # a matching beats the incumbent only if (W + k_q) // Q + s_val > best
            slack = sur.w_opt + k_q - Q * (self.s.best.total + 1 - s_val)
            return (sur.big * slack + sur.x_span) // sur.scale

        def visit(line_of: dict[int, int]) -> int:
            self.visit(line_of)
            return budget()

        def keep(loss: int) -> bool:  # the exact total, known before completing the matching
            return self.total(*sur.decode(loss)) > self.s.best.total

        self.visit(sur.base.m.line_of)
        if budget() >= 0:
            near_optimal(sur.base.adj, sur.base.m, budget(), visit, keep)
        if self.found is not None and self.found[0] > self.s.best.total:
            v, (a, b) = self.found
            return [(v, frozenset([a])), (v, frozenset([b]))]
        return []

    def shapes(self) -> list[tuple[int, int]]:
        """(slope, k_q): for every valid matching, Q * (total - shipping) <= W + k_q, where W
        weighs a discount d by Q on other lines and by Q - slope on the cart's lines.

        slope 0: the cart gives at most its full discount. Percent cart: at most value% of its
        base, amount - x. Fixed cart: at most its base.
        """
        cart = self.cart
        if cart is None:
            return [(0, 0)]
        out = [(0, Q * cart.max_value)]
        if cart.lines:
            c = cart.coupon
            slope = c.value if c.type == "percent" else Q
            out.append((slope, slope * cart.amount))
        return out

