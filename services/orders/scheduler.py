"""Timed transitions: automatic purchase confirmation and the bank-transfer deposit deadline.

State lives in MongoDB (auto_confirm_at, deposit_deadline), so a restart loses nothing; each due
order is changed through the same optimistic use-case, so two replicas never apply it twice.
"""

from __future__ import annotations

import asyncio
import logging

from contracts.envelope import Actor
from contracts.orders.v1 import PaymentStatus
from kit.errors import DomainError
from orders.service import OrderService

log = logging.getLogger("orders.scheduler")
SYSTEM = Actor(kind="system", id="scheduler", name="시스템")


async def run_due(service: OrderService, limit: int = 500, parallel: int = 8) -> int:
    """One pass: expired deposit deadlines first (they hold stock other buyers wait for), then
    due purchase confirmations; up to `parallel` orders at a time, each in its own transaction."""
    now = service.clock.now()
    db = service.store.db
    expired = db.orders.find(
        {"payment_status": PaymentStatus.PENDING.value, "deposit_deadline": {"$lte": now}},
        {"_id": 1},
    ).limit(limit)
    done = await _apply_all(service, [d["_id"] async for d in expired], "deposit-deadline",
                            lambda o, t: o.deposit_expired(t), parallel)
    due_confirm = db.orders.find(
        {"sections": {"$elemMatch": {"status": "DELIVERED", "auto_confirm_at": {"$lte": now}}}},
        {"_id": 1},
    ).limit(limit)
    done += await _apply_all(
        service, [d["_id"] async for d in due_confirm], "auto-confirm",
        lambda o, t: o.confirm_purchase(
            SYSTEM, t, True,
            [s.section_id for s in o.sections if s.auto_confirm_at and s.auto_confirm_at <= t]),
        parallel)
    return done


async def _apply_all(service: OrderService, order_ids: list[str], what: str, change,  # type: ignore[no-untyped-def]
                     parallel: int) -> int:
    gate = asyncio.Semaphore(parallel)

    async def one(order_id: str) -> int:
        async with gate:
            return await _apply(service, order_id, what, change)

    return sum(await asyncio.gather(*(one(o) for o in order_ids)))


async def _apply(service: OrderService, order_id: str, what: str, change) -> int:  # type: ignore[no-untyped-def]
    try:
        await service.apply(order_id, change)
        return 1
    except DomainError as exc:
        log.info("%s skipped %s: %s", what, order_id, exc.message)
        return 0


async def loop(service: OrderService, interval: float) -> None:
    while True:
        try:
            await run_due(service)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("scheduler pass failed")
        await asyncio.sleep(interval)
