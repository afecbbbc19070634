"""Exact maximum-weight bipartite matching (coupons x lines) with integer LP duals.

Successive shortest paths with Dijkstra and Johnson potentials: coupons are added one at a time
and each may stay unused (a free "dummy" column of weight 0), so the result is a maximum-weight
matching of any size. All weights are integers, hence the duals are integers too.
"""

from __future__ import annotations

from dataclasses import dataclass
from heapq import heappop, heappush

_INF = 1 << 126
Adjacency = dict[int, dict[int, int]]  # coupon -> {line: weight > 0}


@dataclass
class Matching:
    weight: int
    line_of: dict[int, int]  # coupon -> line, only for used coupons
    pi_row: dict[int, int]  # LP duals: pi_row[k] + pi_line[i] >= w(k, i), all >= 0,
    pi_line: dict[int, int]  # equality on matched edges, zero on unmatched vertices


def max_weight_matching(adj: Adjacency, n: int) -> Matching:
    """Lines are 0..n-1."""
    rows = list(adj)
    phi_row = dict.fromkeys(rows, 0)
    phi_line = [0] * n  # free lines keep 0, so does the dummy column (implicit)
    line_row: list[int | None] = [None] * n
    row_line: dict[int, int] = {}  # coupon -> line (absent = unused)
    dummy = -1
    for k0 in rows:
        top, arg = 0, dummy
        for i, w in adj[k0].items():
            if w + phi_line[i] > top:
                top, arg = w + phi_line[i], i
        phi_row[k0] = top
        if arg == dummy:  # nothing worth taking: stays unused
            continue
        if line_row[arg] is None:  # its best line is free: take it, no search needed
            row_line[k0] = arg
            line_row[arg] = k0
            continue
        # Dijkstra over reduced costs (lines before rows at equal distance)
        dist_row = {k0: 0}
        dist_line: dict[int, int] = {}  # lines and the dummy
        pred: dict[int, int] = {}  # line (or dummy) -> the coupon that reached it
        heap: list[tuple[int, int, int]] = [(0, 1, k0)]  # (distance, 0 line / 1 row, id)
        settled_rows: set[int] = set()
        settled_lines: list[int] = []
        end, dd = dummy, 0
        while heap:
            d, kind, v = heappop(heap)
            if kind == 1:
                if v in settled_rows or dist_row[v] != d:
                    continue
                settled_rows.add(v)
                pk = d + phi_row[v]
                own = row_line.get(v)
                for i, w in adj[v].items():
                    nd = pk - w - phi_line[i]
                    if nd < dist_line.get(i, _INF) and i != own:
                        dist_line[i] = nd
                        pred[i] = v
                        heappush(heap, (nd, 0, i))
                if pk < dist_line.get(dummy, _INF):  # leave the coupon unused (weight 0)
                    dist_line[dummy] = pk
                    pred[dummy] = v
                    heappush(heap, (pk, 0, dummy))
            elif dist_line[v] == d:
                owner = line_row[v] if v != dummy else None
                if owner is None:  # a free line or the dummy ends the search
                    end, dd = v, d
                    break
                settled_lines.append(v)
                if d < dist_row.get(owner, _INF):
                    dist_row[owner] = d
                    heappush(heap, (d, 1, owner))
        for k in settled_rows:
            if dist_row[k] < dd:
                phi_row[k] += dist_row[k] - dd
        for i in settled_lines:
            if dist_line[i] < dd:
                phi_line[i] += dist_line[i] - dd
        col = end  # augment along the predecessor chain
        while True:
            k = pred[col]
            old = row_line.get(k)
            if col == dummy:
                row_line.pop(k, None)
            else:
                row_line[k] = col
                line_row[col] = k
            if k == k0:
                break
            assert old is not None
            col = old
    weight = sum(adj[k][i] for k, i in row_line.items())
    pi_row = {k: (phi_row[k] if k in row_line else 0) for k in rows}
    pi_line = {i: -phi_line[i] for i in row_line.values()}
    return Matching(weight, dict(row_line), pi_row, pi_line)


def removal_losses(adj: Adjacency, m: Matching, coupons: list[int],
                   users: dict[int, list[int]]) -> dict[int, int]:
    """Exact weight lost by forbidding each given coupon, from the optimal duals.

    Without coupon a (on line i) the optimum is M - a plus the best alternating path that
    starts at line i: it moves coupons k1, k2, ... along tight-or-not edges and ends either by
    freeing a line (price pi_line) or by bringing in an unused coupon (dual 0). With reduced
    costs rc = pi_k + pi_i - w >= 0 its gain is pi_line[i] - (sum rc + end price), so one
    Dijkstra per coupon gives loss = w(a, i) - pi_line[i] + shortest. `users` lists, for
    each line, coupons that may have an edge to it (a superset is fine).
    """
    pr, pl = m.pi_row, m.pi_line
    out: dict[int, int] = {}
    for a in coupons:
        i0 = m.line_of.get(a)
        if i0 is None:
            out[a] = 0
            continue
        dist = {i0: 0}
        heap = [(0, i0)]
        best = m.pi_line.get(i0, 0)  # plain drop: free line i0
        while heap:
            d, i = heappop(heap)
            if d >= best:
                break
            if d != dist[i]:
                continue
            pi = pl.get(i, 0)
            for k in users.get(i, ()):
                w = adj[k].get(i) if k in adj else None
                if w is None or k == a:
                    continue
                rc = pr[k] + pi - w
                if rc + d >= best:
                    continue
                j = m.line_of.get(k)
                if j is None:  # an unused coupon takes the line
                    best = d + rc
                    continue
                if j == i:
                    continue
                nd = d + rc
                end = nd + m.pi_line.get(j, 0)
                if end < best:
                    best = end
                if nd < dist.get(j, _INF):
                    dist[j] = nd
                    heappush(heap, (nd, j))
        out[a] = adj[a][i0] - m.pi_line.get(i0, 0) + best
    return out
