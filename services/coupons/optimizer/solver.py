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

from coupons.optimizer import budget
from coupons.optimizer.bounds import Base, Q, Surrogate, make_base
from coupons.optimizer.greedy import greedy
from coupons.optimizer.node import Child, Node, Task
from coupons.optimizer.rules import Cart, Problem, Ship, dominated

_QUICK = 100  # KRW: a node whose bound is this close to the incumbent is searched at once


@dataclass
class Solution:
    total: int
    assign: dict[int, int]  # line index -> product coupon index
    cart: int | None  # coupon indices
    ship: int | None
    proven: bool = True  # False: the budget ran out; `bound` is what the search proved
    bound: int = 0  # no valid combination gives more than this total


class Search:
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
            x_div = Q - slope if lines and x_is_w else 0
            return Surrogate(base, scale, 1, 0, scale * base.m.weight, 0, slope if lines else 0,
                             x_div)
        x_span = sum(max((pb.edges[k].get(i, 0) for k in active), default=0) for i in lines)
        big = 2 * x_span + 2
        base = self._base(active, lines, slope, big)
        x = sum(pb.edges[k][i] for k, i in base.m.line_of.items() if i in lines)
        return Surrogate(base, 1, big, x_span, (base.m.weight + x) // big, x, slope, 0)

    def _base(self, active: frozenset[int], lines: frozenset[int], slope: int, big: int) -> Base:
        key = (active, lines, slope)
        if key not in self._bases:
            self._bases[key] = make_base(self.pb, active, lines, slope, big)
        return self._bases[key]

    def plain_max(self, active: frozenset[int]) -> int:
        """Largest sum of product discounts of the active coupons (conflicts ignored)."""
        return self._base(active, frozenset(), 0, 1).m.weight

    def bound(self, active: frozenset[int], cart: Cart | None, ship: Ship | None) -> int:
        """Upper bound of a node (and the cart's shape when x = P), from the plain matching of
        all product coupons: the node lacks some, and conflicts cost at least a cover."""
        every = frozenset(self.pb.products)
        sur = self.surrogate(every, frozenset(), 0, False)
        p = sur.bound(sur.base.cover_loss(every - active)) // Q
        total = p
        if cart is not None:
            total += cart.max_value
            if len(cart.lines) == len(self.pb.amounts):  # x = p: the cart shrinks with p
                c = cart.coupon
                if cart.discounted:  # and its min purchase caps p
                    p = min(p, cart.amount - c.min_purchase)
                slope = Q if c.type == "fixed" else c.value
                total = min(total, p + cart.max_value, ((Q - slope) * p + slope * cart.amount) // Q)
        return self.ship_cap(total, ship)

    def ship_cap(self, total: int, ship: Ship | None) -> int:
        """Add the shipping discount; its min purchase caps what the rest may take."""
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
        """The proven optimum; past the budget (optimizer.budget) the best combination found so
        far, with the best bound the unexplored nodes still allow."""
        pb = self.pb
        total, assign, cart, ship = greedy(pb)
        self.best = Solution(total, assign, cart, ship)
        self.open_bound = pb.merchandise + pb.inst.shipping_fee  # nothing explored yet
        try:
            best = self._run()
        except budget.OutOfTime:
            best = self.best
            best.proven = False
            best.bound = max(best.total, self.open_bound)
            return best
        best.bound = best.total
        return best

    def _run(self) -> Solution:
        """Best-first over nodes. A node is first bounded (stage 0), then its surrogate optima
        are evaluated (stage 1); enumerating near-optimal matchings (a Task) is deferred until
        no cheaper work is left, unless its bound is already close to the incumbent."""
        pb = self.pb
        self.singles()
        carts: list[Cart | None] = [None, *dominated(pb.carts, pb)]
        ships: list[Ship | None] = [None, *dominated(pb.ships, pb)]
        # (-bound, -depth, seq, stage, cart, ship, removed): best bound first, then deepest
        heap: list[tuple[int, int, int, int, int, int, frozenset[int]]] = []
        tasks: list[tuple[int, int, Node, Task, int, int, int, frozenset[int]]] = []
        every = frozenset(pb.products)
        for ci, cart in enumerate(carts):
            for si, ship in enumerate(ships):
                if cart and ship and ship.index in pb.conflicts[cart.index]:
                    continue
                heap.append((-self.bound(every, cart, ship), 0, len(heap), 0, ci, si, frozenset()))
        heapq.heapify(heap)
        seq = len(heap)
        seen: set[tuple[int, int, frozenset[int]]] = set()

        def push(children: list[Child], depth: int, ci: int, si: int,
                 removed: frozenset[int]) -> None:
            nonlocal seq
            for bound, drop in children:
                heapq.heappush(heap, (-bound, depth - 1, seq, 0, ci, si, removed | drop))
                seq += 1

        popped = 0  # bound of the node being worked on (no longer on a heap)
        try:
            while True:
                if budget.over():
                    raise budget.OutOfTime
                if heap and -heap[0][0] > self.best.total:
                    popped = -heap[0][0]
                    ub, depth, _, stage, ci, si, removed = heapq.heappop(heap)
                elif tasks and -tasks[0][0] > self.best.total:
                    popped = -tasks[0][0]
                    _, _, node, task, depth, ci, si, removed = heapq.heappop(tasks)
                    push(node.search(task), depth, ci, si, removed)
                    continue
                else:
                    return self.best
                cart, ship = carts[ci], ships[si]
                active = self.active(cart, ship, removed)
                if stage == 0:
                    if (ci, si, active) not in seen:
                        seen.add((ci, si, active))
                        ub = max(ub, -self.bound(active, cart, ship))
                        heapq.heappush(heap, (ub, depth, seq, 1, ci, si, removed))
                        seq += 1
                    continue
                node = Node(self, cart, ship, active)
                out = node.prepare()
                if isinstance(out, list):
                    push(out, depth, ci, si, removed)
                elif out.ub - self.best.total <= _QUICK:
                    push(node.search(out), depth, ci, si, removed)
                else:
                    heapq.heappush(tasks, (-out.ub, seq, node, out, depth, ci, si, removed))
                    seq += 1
        except budget.OutOfTime:
            # every node left is on a heap, or is the one popped last (children not pushed)
            self.open_bound = max(-heap[0][0] if heap else 0, -tasks[0][0] if tasks else 0,
                                  popped)
            raise


def solve(pb: Problem, seconds: float | None = None) -> Solution:
    """The best combination; with `seconds`, the search stops there (Solution.proven)."""
    budget.start(seconds)
    try:
        return Search(pb).run()
    finally:
        budget.start(None)
