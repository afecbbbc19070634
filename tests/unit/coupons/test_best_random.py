"""The optimizer against brute force on thousands of small random instances, against an
exhaustive dynamic programme on larger ones, and metamorphic checks (the optimum cannot depend
on the order of lines or coupons, more coupons never hurt) on instances too large for both."""

from __future__ import annotations

import random
from typing import Any

import pytest

from coupons.best import Answer, Instance, best_coupons
from coupons.optimizer.generate import random_instance
from tests.unit.coupons.reference import brute_force, evaluate, exhaustive

CHUNKS, PER_CHUNK = 30, 200  # 6,000 seeds


def solve_checked(inst: dict[str, Any]) -> Answer:
    answer = best_coupons(Instance.model_validate(inst))
    a = answer.assignment
    assert evaluate(inst, a.product, a.cart, a.shipping) == answer.total_discount
    return answer


def tiny(seed: int) -> dict[str, Any]:
    r = random.Random(seed)
    inst = random_instance(seed, r.randint(1, 6), r.randint(1, 6), small=seed % 3 != 0)
    if seed % 5 == 0:  # more conflicts and exclusive coupons than usual
        ids = [c["id"] for c in inst["coupons"]]
        for c in inst["coupons"]:
            c["conflicts_with"] = r.sample(ids, r.randint(0, min(2, len(ids))))
            c["exclusive"] = r.random() < 0.15
    if seed % 7 == 0:  # a steep cart coupon whose min purchase may bind
        merch = sum(ln["unit_price"] * ln["quantity"] for ln in inst["lines"])
        cart = {"id": "KX", "kind": "cart", "type": "percent", "value": r.choice([90, 99, 100]),
                "min_purchase": r.choice([0, r.randint(0, merch)])}
        if r.random() < 0.5:
            cart["eligible_category_ids"] = ["C0"]
        inst["coupons"].append(cart)
    return inst


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_agrees_with_brute_force(chunk: int) -> None:
    for seed in range(chunk * PER_CHUNK, (chunk + 1) * PER_CHUNK):
        inst = tiny(seed)
        assert solve_checked(inst).total_discount == brute_force(inst), f"seed {seed}"


@pytest.mark.parametrize(("n_lines", "n_coupons", "seeds"), [(12, 12, 40), (30, 30, 15),
                                                              (50, 50, 6)])
def test_order_and_monotonicity(n_lines: int, n_coupons: int, seeds: int) -> None:
    for seed in range(seeds):
        for small in (False, True):
            inst = random_instance(seed, n_lines, n_coupons, small=small)
            total = solve_checked(inst).total_discount
            r = random.Random(seed)
            shuffled = dict(inst, lines=r.sample(inst["lines"], len(inst["lines"])),
                            coupons=r.sample(inst["coupons"], len(inst["coupons"])))
            assert solve_checked(shuffled).total_discount == total, f"seed {seed} shuffled"
            fewer = dict(inst, coupons=inst["coupons"][1:])
            assert solve_checked(fewer).total_discount <= total, f"seed {seed} fewer"


def test_exhaustive_reference_agrees_with_brute_force() -> None:
    for seed in range(300):
        inst = tiny(seed)
        assert exhaustive(inst) == brute_force(inst), f"seed {seed}"


@pytest.mark.parametrize("chunk", range(8))
def test_agrees_with_exhaustive_search_on_larger_instances(chunk: int) -> None:
    for seed in range(chunk * 50, (chunk + 1) * 50):
        r = random.Random(seed)
        inst = random_instance(seed, r.randint(6, 10), r.randint(7, 11), small=seed % 2 == 0)
        assert solve_checked(inst).total_discount == exhaustive(inst), f"seed {seed}"
