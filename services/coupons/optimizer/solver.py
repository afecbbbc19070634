"""Exact best-first search for the largest total discount.

The search space is split into nodes (cart coupon or none, shipping coupon or none, product
coupons removed by conflict branching). A node's product coupons form a bipartite matching
problem whose value is bent by the cart coupon (its base shrinks with the product discounts on
its lines) and by the thresholds. For a node we use linear *surrogates* that over-estimate the
true total of every matching (see `_surrogates`), solve each as an exact max-weight matching,
and then enumerate, with `near_optimal`, every matching whose surrogate weight still beats the
incumbent; each is evaluated exactly. Nodes are explored best bound first and the search stops
when no bound beats the incumbent, so the result is a proven optimum.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

from coupons.optimizer.matching import Adjacency, max_weight_matching
from coupons.optimizer.near import near_optimal
from coupons.optimizer.rules import NEG, Cart, Problem, Ship

Q = 100  # surrogate weights are in 1/100 KRW so that percent slopes stay integral


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
        self._plain: dict[frozenset[int], int] = {}

    def offer(self, total: int, line_of: dict[int, int], cart: Cart | None,
              ship: Ship | None) -> None:
        if total > self.best.total:
            self.best = Solution(total, {i: k for k, i in line_of.items()},
                                 cart.index if cart else None, ship.index if ship else None)

    # --- bounds -------------------------------------------------------------------------
    def plain(self, active: frozenset[int]) -> int:
        """Largest sum of product discounts of the active coupons (thresholds ignored)."""
        if active not in self._plain:
            adj = {k: self.pb.edges[k] for k in active if self.pb.edges[k]}
            self._plain[active] = max_weight_matching(adj).weight
        return self._plain[active]

    def bound(self, p: int, cart: Cart | None, ship: Ship | None) -> int:
        """Upper bound of a node whose product discounts are at most p."""
        total = p
        if cart is not None:
            total += cart.max_value
            if len(cart.lines) == len(self.pb.amounts):  # x = p: the cart shrinks with p
                c = cart.coupon
                slope = 100 if c.type == "fixed" else c.value
                total = min(total, ((100 - slope) * p + slope * cart.amount) // 100)
        if ship is not None:
            total += ship.value
            if ship.discounted:
                total = min(total, self.pb.merchandise - ship.min_purchase + ship.value)
        return total

    # --- one node -----------------------------------------------------------------------
    def active(self, cart: Cart | None, ship: Ship | None, removed: frozenset[int]) -> frozenset[int]:
        off = set(removed)
        for x in (cart, ship):
            if x is not None:
                off |= self.pb.conflicts[x.index]
        return frozenset(k for k in self.pb.products if k not in off)

    def solve_node(self, cart: Cart | None, ship: Ship | None,
                   active: frozenset[int]) -> tuple[int, int, int] | None:
        """Search one node; returns (bound, a, b) when it must be split on conflict a-b."""
        pb = self.pb
        edges = pb.edges
        lines = cart.lines if cart is not None else frozenset()
        s_val = ship.value if ship is not None else 0
        pairs = [(a, b) for a in active for b in pb.conflicts[a] if a < b and b in active]
        conflict: list[tuple[int, int, int]] = []  # best conflicting candidate

        def value(line_of: dict[int, int]) -> int:
            p = x = 0
            for k, i in line_of.items():
                d = edges[k][i]
                p += d
                if i in lines:
                    x += d
            total = p
            if cart is not None:
                c = cart.value(x)
                if c == NEG:
                    return NEG
                total += c
            if ship is not None:
                if ship.discounted and pb.merchandise - total < ship.min_purchase:
                    return NEG
                total += s_val
            return total

        def visit(line_of: dict[int, int]) -> None:
            v = value(line_of)
            if v <= self.best.total:
                return
            broken = [(a, b) for a, b in pairs if a in line_of and b in line_of]
            if not broken:
                self.offer(v, line_of, cart, ship)
                return
            if not conflict or v > conflict[0][0]:
                conflict[:] = [(v, *broken[0])]
            repaired = dict(line_of)  # a quick incumbent: drop the smaller of each pair
            for a, b in broken:
                if a in repaired and b in repaired:
                    da, db = edges[a][repaired[a]], edges[b][repaired[b]]
                    del repaired[a if da < db else b]
            self.offer(value(repaired), repaired, cart, ship)

        best_sur = None
        for slope, k_q in self._surrogates(cart):
            x_span = sum(max((edges[k].get(i, 0) for k in active), default=0) for i in lines)
            big = 2 * x_span + 2  # W * big - x: ties broken towards a small x
            adj: Adjacency = {}
            for k in active:
                row = {}
                for i, d in edges[k].items():
                    row[i] = big * (Q - slope) * d - d if i in lines else big * Q * d
                if row:
                    adj[k] = row
            m = max_weight_matching(adj)
            visit(m.line_of)
            w_q = sum(adj[k][i] for k, i in m.line_of.items())
            w_q = (w_q + sum(edges[k][i] for k, i in m.line_of.items() if i in lines)) // big
            ub = (w_q + k_q) // Q + s_val
            if ship is not None and ship.discounted:
                ub = min(ub, pb.merchandise - ship.min_purchase + s_val)
            if best_sur is None or ub < best_sur[0]:
                best_sur = (ub, w_q, k_q, big, x_span, adj, m)
            if ub <= self.best.total:
                break
        assert best_sur is not None
        if conflict and conflict[0][0] > self.best.total:
            return conflict[0]  # the relaxation's optimum breaks a conflict: split first
        ub, w_q, k_q, big, x_span, adj, m = best_sur

        def budget() -> int:
            # a matching beats the incumbent only if (W + k_q) // Q + s_val > best
            return big * (w_q + k_q - Q * (self.best.total + 1 - s_val)) + x_span

        def visit_near(line_of: dict[int, int]) -> int:
            visit(line_of)
            return budget()

        if ub > self.best.total and budget() >= 0:
            near_optimal(adj, m, budget(), visit_near)
        if conflict and conflict[0][0] > self.best.total:
            return conflict[0]
        return None

    def _surrogates(self, cart: Cart | None) -> list[tuple[int, int]]:
        """(slope, k_q): for every valid matching, Q * total <= W + k_q + Q * shipping, where W
        weighs a discount d by Q on other lines and by Q - slope on the cart's lines.

        slope 0: the cart gives at most its full discount. Percent cart: it gives at most
        value% of its base = amount - x. Fixed cart: at most its base.
        """
        if cart is None or not cart.lines:
            return [(0, 0 if cart is None else Q * cart.max_value)]
        c = cart.coupon
        out = [(0, Q * cart.max_value)]
        if c.type == "percent":
            out.append((c.value, c.value * cart.amount))
        else:
            out.append((Q, Q * cart.amount))
        return out

    # --- whole search ---------------------------------------------------------------------
    def run(self) -> Solution:
        pb = self.pb
        for k, c in enumerate(pb.inst.coupons):  # exclusive coupons are used alone
            if not pb.exclusive[k]:
                continue
            if c.kind == "product" and pb.edges[k]:
                i = max(pb.edges[k], key=lambda j: pb.edges[k][j])
                self.offer(pb.edges[k][i], {k: i}, None, None)
        for cart in pb.carts:
            if pb.exclusive[cart.index] and cart.value(0) > self.best.total:
                self.offer(cart.value(0), {}, cart, None)
        for ship in pb.ships:
            if pb.exclusive[ship.index] and ship.value > self.best.total:
                self.offer(ship.value, {}, None, ship)
        carts = [None] + [c for c in pb.carts if not pb.exclusive[c.index] and c.max_value > 0]
        ships = [None] + [s for s in pb.ships if not pb.exclusive[s.index] and s.value > 0]
        p_all = self.plain(frozenset(pb.products))
        # (-bound, -depth, seq, stage, cart, ship, removed): best bound first, then deepest
        heap: list[tuple[int, int, int, int, int, int, frozenset[int]]] = []
        seq = 0
        for ci, cart in enumerate(carts):
            for si, ship in enumerate(ships):
                if cart and ship and ship.index in pb.conflicts[cart.index]:
                    continue
                heap.append((-self.bound(p_all, cart, ship), 0, seq, 0, ci, si, frozenset()))
                seq += 1
        heapq.heapify(heap)
        seen: set[tuple[int, int, frozenset[int]]] = set()
        while heap and -heap[0][0] > self.best.total:
            _, depth, _, stage, ci, si, removed = heapq.heappop(heap)
            cart, ship = carts[ci], ships[si]
            active = self.active(cart, ship, removed)
            if stage == 0:
                if (ci, si, active) in seen:
                    continue
                seen.add((ci, si, active))
                ub = self.bound(self.plain(active), cart, ship)
                heapq.heappush(heap, (-ub, depth, seq, 1, ci, si, removed))
                seq += 1
                continue
            split = self.solve_node(cart, ship, active)
            if split is not None:
                ub, a, b = split
                for drop in (a, b):
                    heapq.heappush(heap, (-ub, depth - 1, seq, 0, ci, si, removed | {drop}))
                    seq += 1
        return self.best


def solve(pb: Problem) -> Solution:
    return _Search(pb).run()
