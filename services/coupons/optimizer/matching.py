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


def max_weight_matching(adj: Adjacency) -> Matching:
    rows = list(adj)
    phi_row = dict.fromkeys(rows, 0)
    phi_line: dict[int, int] = {}  # missing = 0 (free lines keep 0; the dummy stays at 0)
    line_row: dict[int, int] = {}  # matched line -> coupon
    row_line: dict[int, int] = {}  # coupon -> line (absent = unused)
    dummy = -1
    for k0 in rows:
        edges0 = adj[k0]
        phi_row[k0] = max([0] + [w + phi_line.get(i, 0) for i, w in edges0.items()])
        # Dijkstra over reduced costs; nodes: ("r", k) rows, ("l", i) lines, dummy.
        dist_row = {k0: 0}
        dist_line: dict[int, int] = {}  # lines and the dummy
        pred: dict[int, int] = {}  # line (or dummy) -> the coupon that reached it
        heap: list[tuple[int, int, int]] = [(0, 0, k0)]  # (distance, 0 row / 1 line, id)
        settled_rows: set[int] = set()
        settled_lines: list[int] = []
        end, dd = dummy, 0
        while heap:
            d, kind, v = heappop(heap)
            if kind == 0:
                if v in settled_rows or dist_row[v] != d:
                    continue
                settled_rows.add(v)
                pk = phi_row[v]
                own = row_line.get(v)
                for i, w in adj[v].items():
                    nd = d + pk - w - phi_line.get(i, 0)
                    if i != own and nd < dist_line.get(i, _INF):
                        dist_line[i] = nd
                        pred[i] = v
                        heappush(heap, (nd, 1, i))
                nd = d + pk  # leave the coupon unused (dummy column, weight 0)
                if nd < dist_line.get(dummy, _INF):
                    dist_line[dummy] = nd
                    pred[dummy] = v
                    heappush(heap, (nd, 1, dummy))
            elif dist_line[v] == d:
                owner = line_row.get(v) if v != dummy else None
                if owner is None:  # a free line or the dummy ends the search
                    end, dd = v, d
                    break
                settled_lines.append(v)
                if d < dist_row.get(owner, _INF):
                    dist_row[owner] = d
                    heappush(heap, (d, 0, owner))
        for k in settled_rows:
            if dist_row[k] < dd:
                phi_row[k] += dist_row[k] - dd
        for i in settled_lines:
            if dist_line[i] < dd:
                phi_line[i] = phi_line.get(i, 0) + dist_line[i] - dd
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
    pi_line = {i: -phi_line.get(i, 0) for i in line_row}
    return Matching(weight, dict(row_line), pi_row, pi_line)
