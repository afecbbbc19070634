"""Stack start-up time and place -> PREPARING latency through the gateway at a steady rate.

Prints: stack_startup_s, place_rate_per_s, place_to_preparing_p50_ms, place_to_preparing_p95_ms.
Expects the local stack of `make up` / `make bench` (deploy/local/stack.sh) and its infra.env.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SERVICE = {"x-service-token": os.environ.get("SERVICE_TOKEN", "dev-service-token-change-me")}
GATEWAY = os.environ.get("GATEWAY_URL", "http://127.0.0.1:8000")
INVENTORY = os.environ.get("INVENTORY_URL", "http://127.0.0.1:8102")
PG = os.environ.get("PG_API_URL", "http://127.0.0.1:8190")  # the PG simulator
RATE = float(os.environ.get("BENCH_PLACE_RATE", "10"))
COUNT = int(os.environ.get("BENCH_PLACE_COUNT", "200"))
SHIP_TO = {"name": "벤치", "phone": "010-1234-5678", "zipcode": "06236", "address1": "서울"}


def restart_stack() -> float:
    stack = ROOT / "deploy/local/stack.sh"
    subprocess.run([stack, "stop"], check=True, stderr=subprocess.DEVNULL)
    started = time.perf_counter()
    subprocess.run([stack, "start"], check=True, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def one_order(client: httpx.AsyncClient, pg: httpx.AsyncClient, sku: str) -> float:
    """Milliseconds from sending the order to the server-side time it entered PREPARING."""
    started = datetime.now(UTC)
    r = await client.post("/api/orders", json={"lines": [{"sku_id": sku, "quantity": 1}],
                                               "payment_method": "CARD", "ship_to": SHIP_TO})
    r.raise_for_status()
    placed = r.json()
    (await pg.post(f"/pg/payments/{placed['payment']['payment_id']}/approve")).raise_for_status()
    order_id = placed["order"]["order_id"]
    while True:
        await asyncio.sleep(0.2)
        try:
            o = (await client.get(f"/api/me/orders/{order_id}")).json()
        except httpx.TransportError:
            continue
        for e in o["timeline"]:
            if e["after"] == "PREPARING":
                return (datetime.fromisoformat(e["at"]) - started).total_seconds() * 1000


async def place_benchmark() -> None:
    pid = f"BENCH{uuid.uuid4().hex[:8]}"
    async with httpx.AsyncClient(base_url=INVENTORY, timeout=30, headers=SERVICE) as inv:
        (await inv.put(f"/products/{pid}", json={
            "product_id": pid, "name": "벤치마크 상품", "base_price": 1000,
            "skus": [{"sku_id": f"{pid}-{i}", "label": str(i), "stock": COUNT} for i in range(20)],
        })).raise_for_status()
    limits = httpx.Limits(max_connections=200)
    async with httpx.AsyncClient(base_url=GATEWAY, timeout=60, limits=limits) as client, \
            httpx.AsyncClient(base_url=PG, timeout=60, limits=limits) as pg:
        r = await client.post("/api/auth/login", json={"user_id": "buyer1", "password": "buyer1234"})
        r.raise_for_status()
        for i in range(5):  # warm-up
            await one_order(client, pg, f"{pid}-{i}")
        tasks = []
        started = time.perf_counter()
        for i in range(COUNT):
            tasks.append(asyncio.create_task(one_order(client, pg, f"{pid}-{i % 20}")))
            await asyncio.sleep(max(0.0, started + (i + 1) / RATE - time.perf_counter()))
        latencies = await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - started
    print(f"place_rate_per_s: {COUNT / elapsed:.1f} orders/s")
    print(f"place_to_preparing_p50_ms: {statistics.median(latencies):.0f} ms")
    print(f"place_to_preparing_p95_ms: {percentile(latencies, 95):.0f} ms")


def main() -> None:
    if "--no-restart" not in sys.argv:
        print(f"stack_startup_s: {restart_stack():.1f} s")
    print(f"stack_db_server: {os.environ.get('OMS_MONGO_KIND', 'unknown')}")
    asyncio.run(place_benchmark())


if __name__ == "__main__":
    main()
