"""The max-discount search off the event loop, under a time budget, once per cart.

The search is pure-Python CPU work: in a thread it would hold the GIL and still slow every
other request and the Kafka consumers, and a thread cannot be stopped. So it runs in a process
pool. The search stops itself at the budget (optimizer/budget.py) and answers the best
combination found so far, marked not proven, with the bound it proved; a worker that does not
answer within budget + grace is killed (what it took is released) and the answer is the
search's first, greedy step run here. Answers are kept per instance (the cart, the shipping fee
and the buyer's usable coupons) for a while, so the lock reuses what the quote showed.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import multiprocessing
import time
from collections import OrderedDict
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import suppress
from dataclasses import dataclass

from prometheus_client import Counter, Gauge

from coupons.best import best_within
from coupons.optimizer.model import Assignment, Instance

log = logging.getLogger("coupons.runner")
SEARCHES = Counter("oms_coupon_searches_total",
                   "Max-discount searches by outcome: exact, budget (best found within the "
                   "budget), greedy (the worker was killed)", ["outcome"])
RUNNING = Gauge("oms_coupon_searches_running", "Max-discount searches under way")
REUSED = Counter("oms_coupon_search_reused_total",
                 "Max-discount answers reused for an unchanged cart (quote, then lock)")


@dataclass(frozen=True)
class Best:
    assignment: Assignment
    total: int
    proven: bool  # the proven optimum; False: the budget ran out first
    bound: int  # no valid combination gives more
    method: str  # "exact", "budget" (best found within the budget) or "greedy"


def _search(inst: Instance, seconds: float) -> tuple[Assignment, int, bool, int]:
    answer, proven, bound = best_within(inst, seconds)
    return answer.assignment, answer.total_discount, proven, bound


def _ready() -> bool:
    return True


class BestRunner:
    def __init__(self, workers: int, budget_ms: int, grace_ms: int, cache_size: int = 2000,
                 cache_seconds: float = 900) -> None:
        self.workers = workers
        self.budget = budget_ms / 1000
        self.grace = grace_ms / 1000
        self.cache_size = cache_size
        self.cache_seconds = cache_seconds
        self._cache: OrderedDict[str, tuple[float, Best]] = OrderedDict()
        self._inflight: dict[str, asyncio.Future[Best]] = {}
        self._pool: ProcessPoolExecutor | None = None
        self._warm: asyncio.Task[None] | None = None  # workers being started
        # One search per worker at a time: a search's time runs from when a worker takes it,
        # so a queue of hard carts never times out (and kills) the searches under way.
        self._slots = asyncio.Semaphore(workers)
        self.searches = 0  # searches started (tests and metrics)

    def pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # spawn: the service process runs threads (Kafka, MongoDB) that fork must not copy
            self._pool = ProcessPoolExecutor(self.workers,
                                             mp_context=multiprocessing.get_context("spawn"))
        return self._pool

    async def start(self) -> None:
        """Start the workers now, so the first checkout does not wait for them."""
        self._warm = asyncio.create_task(self._start())
        await self._warm

    async def _start(self) -> None:
        loop = asyncio.get_running_loop()
        await asyncio.gather(*(loop.run_in_executor(self.pool(), _ready)
                               for _ in range(self.workers)))

    def stop(self) -> None:
        if self._pool is not None:
            self._kill()

    def _kill(self) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        for proc in list((getattr(pool, "_processes", None) or {}).values()):
            proc.kill()
        pool.shutdown(wait=False, cancel_futures=True)

    def _restart(self) -> None:
        """Kill the workers and start new ones at once (searches wait for them, outside their
        budget, instead of timing out while a worker process starts)."""
        self._kill()
        self._warm = asyncio.create_task(self._start())

    @staticmethod
    def key(inst: Instance) -> str:
        return hashlib.sha256(inst.model_dump_json().encode()).hexdigest()

    def cached(self, key: str) -> Best | None:
        hit = self._cache.get(key)
        if hit is None or hit[0] < time.monotonic():
            return None
        self._cache.move_to_end(key)
        return hit[1]

    def _keep(self, key: str, best: Best) -> None:
        self._cache[key] = (time.monotonic() + self.cache_seconds, best)
        self._cache.move_to_end(key)
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)

    async def best(self, inst: Instance) -> Best:
        if not inst.coupons:
            return Best(Assignment(), 0, True, 0, "exact")
        key = self.key(inst)
        if (hit := self.cached(key)) is not None:
            REUSED.inc()
            return hit
        if (running := self._inflight.get(key)) is not None:  # the same cart, searched now
            REUSED.inc()
            return await asyncio.shield(running)
        task = asyncio.ensure_future(self._search_once(key, inst))
        self._inflight[key] = task
        try:
            return await asyncio.shield(task)
        finally:
            if task.done():
                self._inflight.pop(key, None)
            else:
                task.add_done_callback(lambda _: self._inflight.pop(key, None))

    async def _search_once(self, key: str, inst: Instance) -> Best:
        with RUNNING.track_inprogress():
            best = await self._run(inst)
        SEARCHES.labels(best.method).inc()
        self._keep(key, best)
        return best

    async def _run(self, inst: Instance) -> Best:
        loop = asyncio.get_running_loop()
        for attempt in (1, 2):
            if self._warm is not None and not self._warm.done():
                with suppress(BrokenProcessPool):
                    await asyncio.shield(self._warm)
            try:
                async with self._slots:
                    self.searches += 1
                    started = time.monotonic()
                    future = loop.run_in_executor(self.pool(), _search, inst, self.budget)
                    assignment, total, proven, bound = await asyncio.wait_for(
                        future, self.budget + self.grace)
            except TimeoutError:
                log.warning("coupon search did not stop within %.0f ms: worker killed",
                            (time.monotonic() - started) * 1000)
                self._restart()
                break
            except BrokenProcessPool:  # another search's worker was killed: try once more
                if attempt == 2:
                    break
                continue
            return Best(assignment, total, proven, bound, "exact" if proven else "budget")
        # The search's first step only (greedy incumbent, node bounds), in a thread.
        answer, _, bound = await asyncio.to_thread(best_within, inst, 0)
        return Best(answer.assignment, answer.total_discount, False,
                    max(bound, answer.total_discount), "greedy")
