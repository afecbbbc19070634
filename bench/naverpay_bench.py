"""Naver Pay sync lag: how long after a change at Naver (the simulator) our order shows it, at the
adapter's default poll interval (Naver has no webhooks: the integrations service polls).

For N orders registered and paid at the simulator directly, at a steady rate: the time from the
pay call to the orders service answering `np-<Naver order id>`; then, once each line is shipped
(Naver's center) and delivered at Naver, the time from the purchase decision at Naver to the
order's sections showing CONFIRMED. Both are seen from outside, checking every
BENCH_NAVERPAY_CHECK_MS.

Prints the floors first: naverpay_poll_interval_ms (the setting the running adapter uses: it
sleeps that long between polls, so a change waits on average half of it plus one poll),
naversim_call_ms (the median round trip of one simulator call), naverpay_poll_ms (one poll's
own work); then naverpay_pay_rate_per_s (the rate the orders were paid at),
naverpay_sync_lag_p50_ms, naverpay_sync_lag_p95_ms, naverpay_decide_lag_p50_ms,
naverpay_decide_lag_p95_ms.
Expects the local stack of `make up` / `make bench` (deploy/local/stack.sh) and its infra.env.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from integrations.settings import IntegrationsSettings  # noqa: E402

SERVICE = {"x-service-token": os.environ.get("SERVICE_TOKEN", "dev-service-token-change-me")}
ORDERS = os.environ.get("ORDERS_URL", "http://127.0.0.1:8101")
INVENTORY = os.environ.get("INVENTORY_URL", "http://127.0.0.1:8102")
INTEGRATIONS = os.environ.get("INTEGRATIONS_URL", "http://127.0.0.1:8105")
NAVERSIM = os.environ.get("NAVERSIM_URL", "http://127.0.0.1:8191")  # the Naver Pay simulator
COUNT = int(os.environ.get("BENCH_NAVERPAY_COUNT", "40"))
RATE = float(os.environ.get("BENCH_NAVERPAY_RATE", "2"))  # orders paid per second
CHECK = float(os.environ.get("BENCH_NAVERPAY_CHECK_MS", "50")) / 1000
TIMEOUT = 60.0  # seconds one step may take before the run fails
PRICE = 9000


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def until(check: Callable[[], Awaitable[bool]], every: float, what: str) -> float:
    """Checks every `every` s until `check` holds; answers the perf_counter time it did."""
    deadline = time.perf_counter() + TIMEOUT
    while True:
        try:
            if await check():
                return time.perf_counter()
        except httpx.TransportError:
            pass
        if time.perf_counter() > deadline:
            raise SystemExit(f"{what}: not seen in {TIMEOUT:.0f} s")
        await asyncio.sleep(every)


class Bench:
    def __init__(self, sim: httpx.AsyncClient, orders: httpx.AsyncClient, sku: str) -> None:
        self.sim, self.orders, self.sku = sim, orders, sku

    async def register(self) -> dict[str, str]:
        """A cart as the shop's Naver Pay button registers it: PAYMENT_WAITING at Naver."""
        r = await self.sim.post("/_sim/orders", json={
            "items": [{"productId": self.sku.rsplit("-", 1)[0], "sellerProductCode": self.sku,
                       "productName": "벤치마크 상품", "productOption": "기본",
                       "unitPrice": PRICE, "quantity": 1}],
            "deliveryFeeAmount": 3000, "returnUrl": "http://127.0.0.1:8000/naverpay/complete",
            "orderer": {"name": "벤치", "tel": "010-1234-5678", "ordererId": uuid.uuid4().hex[:12]},
            "shippingAddress": {"name": "벤치", "tel1": "010-1234-5678", "zipCode": "06236",
                                "baseAddress": "서울특별시 강남구 테헤란로 1",
                                "detailedAddress": "2층"}})
        r.raise_for_status()
        return dict(r.json())

    async def sections_in(self, order_id: str, status: str) -> bool:
        r = await self.orders.get(f"/orders/{order_id}")
        return r.status_code == 200 and all(s["status"] == status
                                            for s in r.json()["sections"])

    async def sim_step(self, po_id: str, step: str, **body: Any) -> None:
        r = await self.sim.post(f"/_sim/product-orders/{po_id}/{step}", json=body or None)
        r.raise_for_status()

    async def one(self) -> tuple[float, float]:
        """(pay → order answered, decide → CONFIRMED), in milliseconds."""
        registered = await self.register()
        naver_id = registered["orderId"]
        order_id = f"np-{naver_id}"
        paid_at = time.perf_counter()
        r = await self.sim.post(f"{registered['checkoutUrl']}/pay", follow_redirects=False)
        assert r.status_code == 303, r.text

        async def answered() -> bool:
            return (await self.orders.get(f"/orders/{order_id}")).status_code == 200
        seen = await until(answered, CHECK, f"{order_id} polled in")
        sync_ms = (seen - paid_at) * 1000

        # to a line Naver can take a purchase decision on: shipped (in Naver's center), delivered
        [po] = (await self.sim.get(f"/_sim/orders/{naver_id}")).json()["productOrders"]
        await until(lambda: self.sections_in(order_id, "PREPARING"), 0.25, f"{order_id} paid")
        await self.sim_step(po["_id"], "center-dispatch", deliveryCompanyCode="CJGLS",
                            trackingNumber=f"{int(naver_id) % 10**12:012d}")
        await until(lambda: self.sections_in(order_id, "SHIPPING"), 0.25, f"{order_id} shipped")
        await self.sim_step(po["_id"], "deliver")
        await until(lambda: self.sections_in(order_id, "DELIVERED"), 0.25,
                    f"{order_id} delivered")
        decided_at = time.perf_counter()
        await self.sim_step(po["_id"], "decide")
        confirmed = await until(lambda: self.sections_in(order_id, "CONFIRMED"), CHECK,
                                f"{order_id} confirmed")
        return sync_ms, (confirmed - decided_at) * 1000


async def sim_call_ms(sim: httpx.AsyncClient, naver_id: str) -> float:
    """The floor of one simulator round trip (a read of one order), median of 20."""
    took = []
    for _ in range(20):
        started = time.perf_counter()
        (await sim.get(f"/_sim/orders/{naver_id}")).raise_for_status()
        took.append((time.perf_counter() - started) * 1000)
    return statistics.median(took)


async def poll_ms() -> float:
    """One poll's own work (the adapter's `POST /partner-sync/naverpay`), median of 3: run
    after the timed part, its overlap window holds the run's changes as each poll's did."""
    took = []
    async with httpx.AsyncClient(base_url=INTEGRATIONS, timeout=60, headers=SERVICE) as svc:
        for _ in range(3):
            started = time.perf_counter()
            (await svc.post("/partner-sync/naverpay")).raise_for_status()
            took.append((time.perf_counter() - started) * 1000)
    return statistics.median(took)


async def main() -> None:
    poll_s = IntegrationsSettings().naverpay_poll_seconds
    pid = f"NPBENCH{uuid.uuid4().hex[:8]}"
    sku = f"{pid}-0"
    limits = httpx.Limits(max_connections=100)
    async with httpx.AsyncClient(base_url=INVENTORY, timeout=30, headers=SERVICE) as inv:
        (await inv.put(f"/products/{pid}", json={
            "product_id": pid, "name": "벤치마크 상품", "base_price": PRICE,
            "skus": [{"sku_id": sku, "label": "기본", "stock": COUNT + 10}]})).raise_for_status()
    async with httpx.AsyncClient(base_url=NAVERSIM, timeout=30, limits=limits) as sim, \
            httpx.AsyncClient(base_url=ORDERS, timeout=30, headers=SERVICE,
                              limits=limits) as orders:
        bench = Bench(sim, orders, sku)
        await bench.one()  # warm-up: connections, the adapter's token at Naver
        floor = await sim_call_ms(sim, (await bench.register())["orderId"])
        tasks = []
        started = time.perf_counter()
        for i in range(COUNT):
            tasks.append(asyncio.create_task(bench.one()))
            await asyncio.sleep(max(0.0, started + (i + 1) / RATE - time.perf_counter()))
        paying = time.perf_counter() - started
        results = await asyncio.gather(*tasks)
    one_poll = await poll_ms()
    sync = [s for s, _ in results]
    decide = [d for _, d in results]
    print(f"naverpay_poll_interval_ms: {poll_s * 1000:.0f} ms")
    print(f"naversim_call_ms: {floor:.1f} ms")
    print(f"naverpay_poll_ms: {one_poll:.0f} ms")
    print(f"naverpay_pay_rate_per_s: {COUNT / paying:.1f} orders/s")
    print(f"naverpay_sync_lag_p50_ms: {statistics.median(sync):.0f} ms")
    print(f"naverpay_sync_lag_p95_ms: {percentile(sync, 95):.0f} ms")
    print(f"naverpay_decide_lag_p50_ms: {statistics.median(decide):.0f} ms")
    print(f"naverpay_decide_lag_p95_ms: {percentile(decide, 95):.0f} ms")


if __name__ == "__main__":
    asyncio.run(main())
