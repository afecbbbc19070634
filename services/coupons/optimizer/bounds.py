"""Matchings of a node and the upper bounds drawn from them."""

from __future__ import annotations

from dataclasses import dataclass, field

from coupons.optimizer.matching import (
    Adjacency,
    Matching,
    max_weight_matching,
    removal_losses,
)
from coupons.optimizer.rules import Problem

Q = 100
Pair = tuple[int, int]
_EXACT_COVER = 24  # pairs; above this the cover bound falls back to disjoint pairs


@dataclass
class Base:
    """A max-weight matching of a coupon set, with the conflicts its optimum breaks."""

    adj: Adjacency
    m: Matching
    broken: list[Pair]
    users: dict[int, list[int]]  # line -> coupons with an edge to it
    _loss: dict[int, int] = field(default_factory=dict)

    @property
    def used(self) -> list[int]:
        return sorted({v for p in self.broken for v in p})

    def losses(self, coupons: list[int]) -> dict[int, int]:
        """Weight lost by forbidding each coupon alone (exact, cached)."""
        missing = [k for k in coupons if k not in self._loss and k in self.adj]
        if missing:
            self._loss.update(removal_losses(self.adj, self.m, missing, self.users))
        return {k: self._loss.get(k, 0) for k in coupons}

    def cover_loss(self, forced: frozenset[int]) -> int:
        """Lower bound of the weight lost by every conflict-free matching avoiding `forced`.

        The max-weight matching value is submodular in the coupon set (an assignment
        valuation), so dropping a set of coupons costs at least the sum of their single
        losses; a conflict-free matching drops `forced` and a vertex cover of the rest of the
        broken pairs."""
        if not self.broken and not forced:
            return 0
        pairs = [p for p in self.broken if p[0] not in forced and p[1] not in forced]
        loss = self.losses(sorted(forced | {v for p in pairs for v in p}))
        return sum(loss[v] for v in forced) + cover_weight(pairs, loss)


@dataclass
class Surrogate:
    """A view of a Base as Q * (total - shipping) <= W(M) + k_q (k_q is kept by the caller).

    The base weights are `big * W - x` (x = discount on the cart's lines, to break ties) times
    1 / scale; big = 1 when no tie breaking is needed."""

    base: Base
    scale: int
    big: int
    x_span: int  # largest possible x
    w_opt: int  # W of the base optimum
    x_opt: int  # its x (0 when no tie breaking)
    slope: int
    x_div: int  # without tie breaking: x = W // x_div (cart on every line), or 0 if x_div == 0

    def decode(self, loss: int) -> tuple[int, int]:
        """(P, x) of a matching whose base weight is `loss` below the optimum, when the
        surrogate breaks ties (then W and x both follow from the weight) or x is a function
        of W."""
        if self.big > 1:  # loss = big * (W* - W) + (x - x*), |x - x*| < big / 2
            d_w = (loss + self.big // 2) // self.big
            w, x = self.w_opt - d_w, self.x_opt + loss - self.big * d_w
        else:
            w = self.w_opt - self.scale * loss
            x = w // self.x_div if self.x_div else 0
        return (w - (Q - self.slope) * x) // Q + x, x

    def bound(self, loss: int) -> int:
        """Largest W of a matching whose base weight is at least `loss` below the optimum."""
        w = (self.big * self.w_opt - self.scale * loss + self.x_span) // self.big
        return min(w, self.w_opt)


def make_base(pb: Problem, active: frozenset[int], lines: frozenset[int], slope: int,
              big: int) -> Base:
    """big == 1: plain discounts. Otherwise big * (Q or Q - slope on `lines`) * d - d on lines."""
    adj: Adjacency = {}
    for k in active:
        row = pb.edges[k]
        if not row:
            continue
        if big == 1:
            adj[k] = row
        else:
            adj[k] = {i: big * (Q - slope) * d - d if i in lines else big * Q * d
                      for i, d in row.items()}
    # Each coupon only needs its len(adj) + 1 best edges: one of them is always free, so the
    # optimum and its duals (feasible for every edge) are those of the full graph.
    keep = len(adj) + 1
    small: Adjacency = {}
    for k, row in adj.items():
        if len(row) <= keep:
            small[k] = row
            continue
        ranked = pb.ranked[k]  # lines by discount, best first; W follows d on each side
        top = [i for i in ranked if i in lines][:keep] + [i for i in ranked if i not in lines][:keep]
        small[k] = {i: row[i] for i in sorted(top, key=row.__getitem__, reverse=True)[:keep]}
    m = max_weight_matching(small, len(pb.amounts))
    return Base(adj, m, pb.broken(m.line_of), pb.users)


def cover(pairs: list[Pair], weight: dict[int, int]) -> list[int]:
    """A minimum weight vertex cover of the pairs (greedy when there are many)."""
    if len(pairs) > _EXACT_COVER:
        out: list[int] = []
        for a, b in pairs:
            if a not in out and b not in out:
                out.append(a if weight[a] <= weight[b] else b)
        return out
    return _cover(pairs, weight)[1]


def cover_weight(pairs: list[Pair], weight: dict[int, int]) -> int:
    """Minimum vertex cover weight, or a lower bound of it when there are many pairs."""
    if len(pairs) <= _EXACT_COVER:
        return _cover(pairs, weight)[0]
    seen: set[int] = set()
    total = 0
    for a, b in pairs:  # disjoint pairs each need one of their ends
        if a not in seen and b not in seen:
            seen |= {a, b}
            total += min(weight[a], weight[b])
    return total


def _cover(pairs: list[Pair], weight: dict[int, int]) -> tuple[int, list[int]]:
    """Branch on a vertex of highest degree: it is in the cover, or all its neighbours are."""
    if not pairs:
        return 0, []
    degree: dict[int, int] = {}
    for a, b in pairs:
        degree[a] = degree.get(a, 0) + 1
        degree[b] = degree.get(b, 0) + 1
    v = max(degree, key=lambda u: (degree[u], -u))
    if degree[v] == 1:  # disjoint pairs: the lighter end of each
        ends = [a if weight[a] <= weight[b] else b for a, b in pairs]
        return sum(weight[u] for u in ends), ends
    w1, c1 = _cover([p for p in pairs if v not in p], weight)
    near = sorted({u for p in pairs if v in p for u in p} - {v})
    w2, c2 = _cover([p for p in pairs if not set(p) & set(near)], weight)
    if w1 + weight[v] <= w2 + sum(weight[u] for u in near):
        return w1 + weight[v], [v] + c1
    return w2 + sum(weight[u] for u in near), near + c2
