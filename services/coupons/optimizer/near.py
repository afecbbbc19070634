"""Enumerate every matching whose weight is within a budget of the maximum.

With optimal LP duals pi, the loss of any matching M against the optimum is exactly
    sum of reduced costs pi_k + pi_i - w(k, i) over edges of M
  + sum of pi_v over vertices that M leaves unmatched,
and every term is >= 0. So a matching is a set S of "priced" pieces (edges with a positive
reduced cost, vertices with a positive dual left unmatched) plus a completion made only of
free pieces (tight edges, unmatched zero-dual vertices). All completions of one S have the same
weight, so it is enough to enumerate the sets S whose price fits the budget (few, since prices
add up) and to find one completion for each, by alternating paths over tight edges.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from coupons.optimizer import budget as time_budget
from coupons.optimizer.matching import Adjacency, Matching


@dataclass
class _Piece:
    cost: int
    row: int | None  # a priced edge has both ends, an unmatched vertex only one
    line: int | None


def near_optimal(adj: Adjacency, m: Matching, budget: int,
                 visit: Callable[[dict[int, int]], int],
                 keep: Callable[[int], bool] = lambda loss: True) -> None:
    """Call visit(coupon -> line) once per weight class of matchings with loss in 1..budget.

    More precisely: for every matching M with loss <= budget, visit is called with a matching
    of the same weight and the same priced pieces as M (the optimum itself is not visited).
    visit returns the budget from then on (it may only shrink). keep(loss) may rule a set S
    out from its loss alone (its supersets are still explored), saving the completion.
    """
    pr, pl = m.pi_row, m.pi_line
    pieces: list[_Piece] = []
    for k, row in adj.items():
        pk = pr[k]
        for i, w in row.items():
            rc = pk + pl.get(i, 0) - w
            if 0 < rc <= budget:
                pieces.append(_Piece(rc, k, i))
        if 0 < pk <= budget:
            pieces.append(_Piece(pk, k, None))
    for i, p in pl.items():
        if 0 < p <= budget:
            pieces.append(_Piece(p, None, i))
    if not pieces:
        return
    tight_row: dict[int, list[int]] = {k: [] for k in adj}  # tight edges, both ways
    tight_line: dict[int, list[int]] = {}
    for k, row in adj.items():
        pk = pr[k]
        for i, w in row.items():
            if pk + pl.get(i, 0) == w:
                tight_row[k].append(i)
                tight_line.setdefault(i, []).append(k)
    pieces.sort(key=lambda p: p.cost)
    base_row = m.line_of

    def complete(rows_off: set[int], lines_off: set[int]) -> dict[int, int] | None:
        """A zero-loss completion avoiding the vertices of S, or None."""
        row_line = {k: i for k, i in base_row.items() if k not in rows_off and i not in lines_off}
        line_row = {i: k for k, i in row_line.items()}
        for k in adj:
            if pr[k] > 0 and k not in rows_off and k not in row_line:
                if not _repair(k, tight_row, row_line, line_row, lines_off, pr):
                    return None
        for i, p in pl.items():
            if p > 0 and i not in lines_off and i not in line_row:
                if not _repair(i, tight_line, line_row, row_line, rows_off, pl):
                    return None
        return row_line

    def dfs(start: int, cost: int, rows_off: set[int], lines_off: set[int],
            chosen: list[tuple[int, int]]) -> None:
        nonlocal budget
        for j in range(start, len(pieces)):
            time_budget.check()
            p = pieces[j]
            if cost + p.cost > budget:
                return
            if (p.row is not None and p.row in rows_off) or (p.line is not None and p.line in lines_off):
                continue
            ro = rows_off | {p.row} if p.row is not None else rows_off
            lo = lines_off | {p.line} if p.line is not None else lines_off
            ch = chosen + [(p.row, p.line)] if p.row is not None and p.line is not None else chosen
            done = complete(ro, lo) if keep(cost + p.cost) else None
            if done is not None:
                done.update(ch)
                budget = min(budget, visit(done))
            dfs(j + 1, cost + p.cost, ro, lo, ch)

    dfs(0, 0, set(), set(), [])


def _repair(v: int, tight: dict[int, list[int]], mine: dict[int, int], theirs: dict[int, int],
            off: set[int], pi_mine: dict[int, int]) -> bool:
    """Cover vertex v by an alternating path over tight edges, keeping every covered vertex
    covered except a zero-dual one on v's side, which may be left out. `mine` maps v's side to
    the other side, `theirs` the reverse."""
    parent: dict[int, int] = {}  # other-side vertex -> v-side vertex it was reached from
    queue = [v]
    for u in queue:
        for t in tight.get(u, ()):
            if t in off or t in parent:
                continue
            parent[t] = u
            owner = theirs.get(t)
            if owner is not None and pi_mine.get(owner, 0) > 0:
                queue.append(owner)
                continue
            if owner is not None:  # drop a zero-dual vertex to free t
                del mine[owner]
            while True:  # flip the path ending at t
                u2 = parent[t]
                prev = mine.get(u2)
                mine[u2] = t
                theirs[t] = u2
                if u2 == v:
                    return True
                assert prev is not None
                t = prev
    return False
