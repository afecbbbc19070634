"""Exact best-first search for the largest total discount.

The search space is split into nodes: a cart coupon (or none), a shipping coupon (or none) and
the product coupons still allowed (conflict branching removes some). Inside a node what is left
is a bipartite matching of product coupons to lines, bent by the cart coupon (its base shrinks
with the product discounts on its lines) and by the thresholds. For each node we use linear
*surrogates*, weights W on the edges such that Q * total <= W(M) + k for every valid matching M,
solve them as exact max-weight matchings, and enumerate with `near_optimal` every matching whose
surrogate weight can still beat the incumbent; each one is evaluated exactly by the rules.
Nodes are explored best bound first and the search stops when no bound beats the incumbent, so
the answer is a proven optimum.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

from coupons.optimizer.bounds import Base, Pair, Surrogate, cover, make_base
from coupons.optimizer.near import near_optimal
from coupons.optimizer.rules import NEG, Cart, Problem, Ship, dominated

Q = 100  # surrogate weights are in 1/100 KRW so that percent slopes stay integral
Child = tuple[int, frozenset[int]]  # (bound, coupons to remove)


@dataclass
class Solution:
    total: int
    assign: dict[int, int]  # line index -> product coupon index
    cart: int | None  # coupon indices
    ship: int | None


class _Search:
    def __init__(self, pb: Problem) -> None:
        self.pb = pb
        self.best = Solution(0, {}, None, None)
        self._bases: dict[tuple[object, ...], Base] = {}

    def offer(self, total: int, line_of: dict[int, int], cart: Cart | None,
              ship: Ship | None) -> None:
        if total > self.best.total:
            self.best = Solution(total, {i: k for k, i in line_of.items()},
                                 cart.index if cart else None, ship.index if ship else None)

    def surrogate(self, active: frozenset[int], lines: frozenset[int], slope: int,
                  exact_x: bool) -> Surrogate:
        """W weighs a discount d by Q, or by Q - slope on `lines` (the cart's lines).

        With exact_x, when x (the discount on `lines`) is not a function of W, ties are broken
        towards a small x so that the tight completions of `near_optimal` all share one x.
        """
        pb = self.pb
        x_is_w = not lines or (len(lines) == len(pb.amounts) and slope < Q)
        if x_is_w or not exact_x:  # a scaled plain matching
            scale = Q - slope if lines and x_is_w else Q
            base = self._base(active, frozenset(), 0, 1)
            return Surrogate(base, scale, 1, 0, scale * base.m.weight)
        x_span = sum(max((pb.edges[k].get(i, 0) for k in active), default=0) for i in lines)
        big = 2 * x_span + 2
        base = self._base(active, lines, slope, big)
        x = sum(pb.edges[k][i] for k, i in base.m.line_of.items() if i in lines)
        return Surrogate(base, 1, big, x_span, (base.m.weight + x) // big)

    def _base(self, active: frozenset[int], lines: frozenset[int], slope: int, big: int) -> Base:
        key = (active, lines, slope)
        if key not in self._bases:
            self._bases[key] = make_base(self.pb, active, lines, slope, big)
        return self._bases[key]

    def bound(self, active: frozenset[int], cart: Cart | None, ship: Ship | None) -> int:
        """Upper bound of a node from the plain matching (and the cart's shape when x = P)."""
        sur = self.surrogate(active, frozenset(), 0, False)
        p = sur.bound(sur.base.cover_loss(frozenset())) // Q
        total = p
        if cart is not None:
            total += cart.max_value
            if len(cart.lines) == len(self.pb.amounts):  # x = p: the cart shrinks with p
                c = cart.coupon
                slope = Q if c.type == "fixed" else c.value
                total = min(total, ((Q - slope) * p + slope * cart.amount) // Q)
        return self._ship_cap(total, ship)

    def _ship_cap(self, total: int, ship: Ship | None) -> int:
        if ship is None:
            return total
        if ship.discounted:
            total = min(total, self.pb.merchandise - ship.min_purchase)
        return total + ship.value

    def active(self, cart: Cart | None, ship: Ship | None, removed: frozenset[int]) -> frozenset[int]:
        off = set(removed)
        for x in (cart, ship):
            if x is not None:
                off |= self.pb.conflicts[x.index]
        return frozenset(k for k in self.pb.products if k not in off)

    # --- one node -----------------------------------------------------------------------
    def solve_node(self, cart: Cart | None, ship: Ship | None,
                   active: frozenset[int]) -> list[Child]:
        """Search one node; returns the children it must be split into (conflicts)."""
        pb, edges = self.pb, self.pb.edges
        lines = cart.lines if cart is not None else frozenset()
        found: list[tuple[int, Pair]] = []  # best candidate that breaks a conflict

        def value(line_of: dict[int, int]) -> int:
            p = x = 0
            for k, i in line_of.items():
                d = edges[k][i]
                p += d
                if i in lines:
                    x += d
            if cart is not None:
                c = cart.value(x)
                if c == NEG:
                    return NEG
                p += c
            if ship is not None:
                if ship.discounted and pb.merchandise - p < ship.min_purchase:
                    return NEG
                p += ship.value
            return p

        def visit(line_of: dict[int, int]) -> None:
            v = value(line_of)
            if v <= self.best.total:
                return
            broken = pb.broken(line_of)
            if not broken:
                self.offer(v, line_of, cart, ship)
                return
            if not found or v > found[0][0]:
                found[:] = [(v, broken[0])]
            repaired = dict(line_of)  # a quick incumbent: drop the smaller of each pair
            for a, b in broken:
                if a in repaired and b in repaired:
                    del repaired[a if edges[a][repaired[a]] < edges[b][repaired[b]] else b]
            self.offer(value(repaired), repaired, cart, ship)

        chosen: tuple[int, Surrogate, int] | None = None
        for slope, k_q in self._shapes(cart):
            sur = self.surrogate(active, lines, slope, slope > 0)
            visit(sur.base.m.line_of)
            ub = self._ship_cap((sur.bound(sur.base.cover_loss(frozenset())) + k_q) // Q, ship)
            if ub <= self.best.total:
                return []
            if chosen is None or ub < chosen[0]:
                chosen = (ub, sur, slope)
        assert chosen is not None
        ub, sur, slope = chosen
        k_q = dict(self._shapes(cart))[slope]
        if sur.base.broken:  # the relaxation's optimum breaks conflicts: split
            return self._split(sur, k_q, ship, active)
        sur = self.surrogate(active, lines, slope, True)
        if sur.base.broken:
            return self._split(sur, k_q, ship, active)
        visit(sur.base.m.line_of)
        s_val = ship.value if ship is not None else 0

        def budget() -> int:  # in units of sur.base weights
            # a matching beats the incumbent only if (W + k_q) // Q + s_val > best
            slack = sur.w_opt + k_q - Q * (self.best.total + 1 - s_val)
            return (sur.big * slack + sur.x_span) // sur.scale

        def visit_near(line_of: dict[int, int]) -> int:
            visit(line_of)
            return budget()

        if budget() >= 0:
            near_optimal(sur.base.adj, sur.base.m, budget(), visit_near)
        if found and found[0][0] > self.best.total:
            v, (a, b) = found[0]
            return [(v, frozenset([a])), (v, frozenset([b]))]
        return []

    def _split(self, sur: Surrogate, k_q: int, ship: Ship | None,
               active: frozenset[int]) -> list[Child]:
        """Children covering every conflict-free matching: with D = (a1, a2, ...) a cover of
        the broken pairs, either no coupon of D is used, or a_j is the first one used (then
        a1..a_j-1 and every coupon conflicting with a_j are not)."""
        base = sur.base
        order = cover(base.broken, base.losses(base.used))
        groups = [frozenset(order)]
        for j, a in enumerate(order):
            groups.append(frozenset(order[:j]) | (self.pb.conflicts[a] & active))
        out = []
        for g in groups:
            ub = self._ship_cap((sur.bound(base.cover_loss(g)) + k_q) // Q, ship)
            if ub > self.best.total:
                out.append((ub, g))
        return out

    def _shapes(self, cart: Cart | None) -> list[tuple[int, int]]:
        """(slope, k_q): for every valid matching, Q * (total - shipping) <= W + k_q, where W
        weighs a discount d by Q on other lines and by Q - slope on the cart's lines.

        slope 0: the cart gives at most its full discount. Percent cart: at most value% of its
        base, amount - x. Fixed cart: at most its base.
        """
        if cart is None:
            return [(0, 0)]
        out = [(0, Q * cart.max_value)]
        if cart.lines:
            c = cart.coupon
            slope = c.value if c.type == "percent" else Q
            out.append((slope, slope * cart.amount))
        return out

    # --- whole search ---------------------------------------------------------------------
    def singles(self) -> None:
        """Exclusive coupons are used alone."""
        pb = self.pb
        for k, row in pb.edges.items():
            if pb.exclusive[k] and row:
                i = max(row, key=lambda j: row[j])
                self.offer(row[i], {k: i}, None, None)
        for cart in pb.carts:
            if pb.exclusive[cart.index]:
                self.offer(cart.value(0), {}, cart, None)
        for ship in pb.ships:
            if pb.exclusive[ship.index]:
                self.offer(ship.value, {}, None, ship)

    def run(self) -> Solution:
        pb = self.pb
        self.singles()
        carts = [None] + dominated(pb.carts, pb)
        ships = [None] + dominated(pb.ships, pb)
        # (-bound, -depth, seq, stage, cart, ship, removed): best bound first, then deepest
        heap: list[tuple[int, int, int, int, int, int, frozenset[int]]] = []
        every = frozenset(pb.products)
        for ci, cart in enumerate(carts):
            for si, ship in enumerate(ships):
                if cart and ship and ship.index in pb.conflicts[cart.index]:
                    continue
                heap.append((-self.bound(every, cart, ship), 0, len(heap), 0, ci, si, frozenset()))
        heapq.heapify(heap)
        seq = len(heap)
        seen: set[tuple[int, int, frozenset[int]]] = set()
        while heap and -heap[0][0] > self.best.total:
            ub, depth, _, stage, ci, si, removed = heapq.heappop(heap)
            cart, ship = carts[ci], ships[si]
            active = self.active(cart, ship, removed)
            if stage == 0:
                if (ci, si, active) not in seen:
                    seen.add((ci, si, active))
                    ub = max(ub, -self.bound(active, cart, ship))
                    heapq.heappush(heap, (ub, depth, seq, 1, ci, si, removed))
                    seq += 1
                continue
            for bound, drop in self.solve_node(cart, ship, active):
                heapq.heappush(heap, (-bound, depth - 1, seq, 0, ci, si, removed | drop))
                seq += 1
        return self.best


def solve(pb: Problem) -> Solution:
    return _Search(pb).run()
