"""The max-discount search under a time budget: past it, the best valid combination found so far
with the bound the search proved; off the event loop in worker processes, so one hard cart
never holds up another buyer's quote; once per cart."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from coupons.best import Instance, best_coupons, best_within
from coupons.optimizer.generate import random_instance, uncapped_cart_instance
from coupons.runner import BestRunner
from tests.unit.coupons.reference import evaluate

HARD = uncapped_cart_instance(0)  # the exact search takes minutes on this one


def test_a_search_past_its_budget_answers_a_valid_combination_and_the_bound_it_proved() -> None:
    answer, proven, bound = best_within(Instance.model_validate(HARD), 0.1)

    a = answer.assignment
    assert not proven
    assert evaluate(HARD, a.product, a.cart, a.shipping) == answer.total_discount > 0
    assert bound >= answer.total_discount


@pytest.mark.parametrize("seed", range(20))
def test_a_search_within_its_budget_is_the_proven_optimum(seed: int) -> None:
    inst = Instance.model_validate(random_instance(seed, 30, 30))

    answer, proven, bound = best_within(inst, 30)

    assert proven and bound == answer.total_discount == best_coupons(inst).total_discount


@pytest.fixture
async def runner() -> AsyncIterator[BestRunner]:
    r = BestRunner(workers=2, budget_ms=150, grace_ms=2000)
    await r.start()
    yield r
    r.stop()


async def test_a_hard_cart_is_answered_within_its_budget_and_never_holds_up_another(
        runner: BestRunner) -> None:
    finished: list[str] = []

    async def search(name: str, inst: Instance) -> None:
        await runner.best(inst)
        finished.append(name)

    hard = Instance.model_validate(HARD)
    easy = Instance.model_validate(random_instance(1, 5, 5))
    hard_search = asyncio.create_task(search("hard", hard))
    await asyncio.sleep(0)  # the hard search is under way first
    # Generous bound (budget 150 ms + spawn and pickling); without the budget: minutes.
    await asyncio.wait_for(asyncio.gather(hard_search, search("easy", easy)), 10)

    assert finished == ["easy", "hard"]
    best = await runner.best(hard)
    assert (best.proven, best.method) == (False, "budget") and best.bound >= best.total > 0


async def test_the_same_cart_is_searched_once(runner: BestRunner) -> None:
    inst = Instance.model_validate(random_instance(2, 20, 20))

    first, meanwhile = await asyncio.gather(runner.best(inst), runner.best(inst))
    assert runner.searches == 1 and meanwhile == first
    again = await runner.best(Instance.model_validate(random_instance(2, 20, 20)))

    assert runner.searches == 1 and again == first and first.proven


def stuck(inst: Instance, seconds: float) -> object:
    """A search that ignores its budget (run in a worker process)."""
    import time

    time.sleep(60)
    raise AssertionError("never answers")


async def test_a_search_that_does_not_stop_is_killed_and_the_greedy_answer_applies(
        monkeypatch: pytest.MonkeyPatch) -> None:
    r = BestRunner(workers=1, budget_ms=50, grace_ms=300)
    await r.start()
    try:
        stuck_pool = r.pool()
        workers = list(stuck_pool._processes.values())  # type: ignore[union-attr]
        monkeypatch.setattr("coupons.runner._search", stuck)
        best = await r.best(Instance.model_validate(HARD))
        monkeypatch.undo()

        assert (best.proven, best.method) == (False, "greedy")
        a = best.assignment
        assert evaluate(HARD, a.product, a.cart, a.shipping) == best.total > 0
        for w in workers:  # killed, not left computing
            w.join(5)
            assert w.exitcode is not None
        after = await r.best(Instance.model_validate(random_instance(3, 10, 10)))
        assert after.proven and r.pool() is not stuck_pool
    finally:
        r.stop()
