"""Matching building blocks against exhaustive enumeration on small random graphs."""

from __future__ import annotations

import random

from coupons.optimizer.matching import (
    Adjacency,
    max_weight_matching,
    removal_losses,
)
from coupons.optimizer.near import near_optimal


def all_matchings(adj: Adjacency) -> list[dict[int, int]]:
    rows, out = list(adj), []

    def rec(j: int, used: frozenset[int], cur: dict[int, int]) -> None:
        if j == len(rows):
            out.append(dict(cur))
            return
        rec(j + 1, used, cur)
        for i in adj[rows[j]]:
            if i not in used:
                cur[rows[j]] = i
                rec(j + 1, used | {i}, cur)
                del cur[rows[j]]

    rec(0, frozenset(), {})
    return out


N = 6  # lines are 0..N-1


def graph(seed: int) -> Adjacency:
    r = random.Random(seed)
    rows, lines = r.randint(0, 5), r.randint(0, N - 1)
    return {k: {i: r.choice([1, 2, 3, 5, 8, 10, 10, 10, 40]) for i in range(lines)
                if r.random() < 0.6} for k in range(rows)}


def weight(adj: Adjacency, m: dict[int, int]) -> int:
    return sum(adj[k][i] for k, i in m.items())


def test_optimum_and_duals() -> None:
    for seed in range(1500):
        adj = graph(seed)
        m = max_weight_matching(adj, N)
        assert m.weight == weight(adj, m.line_of) == max(weight(adj, x) for x in all_matchings(adj))
        assert sum(m.pi_row.values()) + sum(m.pi_line.values()) == m.weight  # LP optimality
        for k, row in adj.items():
            assert m.pi_row[k] >= 0
            for i, w in row.items():
                assert m.pi_row[k] + m.pi_line.get(i, 0) >= w


def test_removal_losses() -> None:
    for seed in range(1500):
        adj = graph(seed)
        m = max_weight_matching(adj, N)
        users = {i: [k for k in adj if i in adj[k]] for i in range(N)}
        losses = removal_losses(adj, m, list(adj), users)
        for a in adj:
            rest = {k: row for k, row in adj.items() if k != a}
            assert losses[a] == m.weight - max_weight_matching(rest, N).weight, f"seed {seed}"


def test_near_optimal_visits_every_weight_class() -> None:
    for seed in range(1500):
        adj = graph(seed)
        m = max_weight_matching(adj, N)
        budget = random.Random(seed).randint(0, 45)
        want = {weight(adj, x) for x in all_matchings(adj)} - {m.weight}
        want = {w for w in want if m.weight - w <= budget}
        got: set[int] = set()

        def visit(x: dict[int, int], adj: Adjacency = adj, got: set[int] = got,
                  budget: int = budget) -> int:
            assert len(set(x.values())) == len(x) and all(i in adj[k] for k, i in x.items())
            got.add(weight(adj, x))
            return budget

        near_optimal(adj, m, budget, visit)
        assert got == want, f"seed {seed}"
