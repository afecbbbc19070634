"""Issue 4 benchmarks: never oversell, and how fast inventory reserves.

Prints:
- race_accepted, oversell_count, race_seconds: 200 concurrent checkouts through the gateway
  (POST /api/orders, a buyer session) for one SKU with 10 units; accepted must be 10 and
  oversell 0 (units reserved beyond the stock, plus 1 if `available` went below zero).
- hot_sku_reservations_per_s: OrderPlaced events (1 unit each) published straight to Kafka topic
  orders.events.v1 for ONE SKU, measured until every StockReserved/StockReservationRejected for
  them is back on inventory.events.v1 (inventory alone: no gateway, no orders service).
- spread_reservations_per_s: the same over 10,000 SKUs (20 hidden products x 500 SKUs).
- hot_sku_ledger_consistent: the hot SKU's ledger replays to its counters after the run.

The synthetic orders are unknown to the orders service, which parks inventory's answers for them
in the dead-letter topic; the bench waits until it has drained them before each measurement and
before it ends, so neither the next measurement nor the next benchmark shares the machine with
that work (orders_drain_seconds: the total wait). Expects the local stack (`make bench` starts it), infra.env.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from pymongo import AsyncMongoClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from contracts import topics  # noqa: E402
from contracts.orders.v1 import Buyer, Channel, LineData, OrderPlaced, PaymentMethod  # noqa: E402
from gateway.auth import Accounts, User  # noqa: E402

MONGO = os.environ["MONGODB_URL"]
KAFKA = os.environ["KAFKA_BOOTSTRAP_SERVERS"]
SERVICE = {"x-service-token": os.environ.get("SERVICE_TOKEN", "dev-service-token-change-me")}
GATEWAY = os.environ.get("GATEWAY_URL", "http://127.0.0.1:8000")
INVENTORY = os.environ.get("INVENTORY_URL", "http://127.0.0.1:8102")
RACE_ORDERS = int(os.environ.get("BENCH_RACE_ORDERS", "200"))
RACE_STOCK = 10
HOT_N = int(os.environ.get("BENCH_HOT_N", "3000"))
SPREAD_N = int(os.environ.get("BENCH_SPREAD_N", "3000"))
SPREAD_PRODUCTS, SPREAD_SKUS = 20, 500
SHIP_TO = {"name": "벤치", "phone": "010-1234-5678", "zipcode": "06236", "address1": "서울"}
BUYER = ("bench-buyer", "bench1234")


async def put_product(inv: httpx.AsyncClient, pid: str, skus: int, stock: int) -> list[str]:
    body: dict[str, Any] = {"product_id": pid, "name": f"벤치마크 {pid}", "base_price": 1000,
                            "listed": False}
    if skus == 1:
        body["skus"] = [{"sku_id": f"{pid}-0", "label": "단일", "stock": stock}]
    else:
        body["combination_options"] = [
            {"name": "색상", "values": [{"value": f"C{i}"} for i in range(skus // 25)]},
            {"name": "사이즈", "values": [{"value": f"S{i}"} for i in range(25)]}]
        body["skus"] = [{"options": {"색상": f"C{c}", "사이즈": f"S{s}"}, "stock": stock}
                        for c in range(skus // 25) for s in range(25)]
    r = await inv.put(f"/products/{pid}", json=body)
    r.raise_for_status()
    return [s["_id"] for s in r.json()["skus"]]


async def race() -> None:
    client: AsyncMongoClient[Any] = AsyncMongoClient(MONGO)
    await Accounts(client["gateway"]).create(
        User(user_id=BUYER[0], role="buyer", name="벤치 구매자", phone="010-0000-0000"), BUYER[1])
    await client.close()
    pid = f"RACE{uuid.uuid4().hex[:8]}"
    limits = httpx.Limits(max_connections=RACE_ORDERS + 10)
    async with httpx.AsyncClient(base_url=INVENTORY, timeout=60, headers=SERVICE) as inv, \
            httpx.AsyncClient(base_url=GATEWAY, timeout=180, limits=limits) as buyer:
        [sku] = await put_product(inv, pid, 1, RACE_STOCK)
        r = await buyer.post("/api/auth/login", json={"user_id": BUYER[0], "password": BUYER[1]})
        r.raise_for_status()
        started = time.perf_counter()
        replies = await asyncio.gather(*(buyer.post("/api/orders", json={
            "lines": [{"sku_id": sku, "quantity": 1}], "payment_method": "CARD",
            "ship_to": SHIP_TO}) for _ in range(RACE_ORDERS)))
        elapsed = time.perf_counter() - started
        accepted: list[str] = []
        refused = late = 0
        other: list[str] = []
        for r in replies:
            if r.status_code == 409 and r.json().get("error") == "out_of_stock":
                refused += 1
            elif r.status_code == 201 and r.json()["order"]["stock_status"] == "RESERVED":
                accepted.append(r.json()["order"]["order_id"])
            elif r.status_code == 201:  # the gateway's wait ran out: the answer comes later
                late += 1
                status = await settled(buyer, r.json()["order"]["order_id"])
                if status == "RESERVED":
                    accepted.append(r.json()["order"]["order_id"])
                else:
                    refused += 1
            else:
                other.append(f"{r.status_code} {r.text[:120]}")
        stock = (await inv.get(f"/skus/{sku}")).json()
        oversell = max(0, stock["reserved"] + stock["sold"] - RACE_STOCK) + (stock["available"] < 0)
        print(f"race_accepted: {len(accepted)} orders")
        print(f"race_refused_out_of_stock: {refused} orders")
        print(f"race_answered_after_gateway_wait: {late} orders")
        print(f"race_other_answers: {len(other)} orders")
        if other:
            print(f"# first other answer: {other[0]}", file=sys.stderr)
        print(f"oversell_count: {oversell} units")
        print(f"race_seconds: {elapsed:.2f} s")
        for order_id in accepted:  # leave no unpaid bench orders holding stock
            await buyer.post(f"/api/me/orders/{order_id}/cancel")


async def settled(buyer: httpx.AsyncClient, order_id: str) -> str:
    for _ in range(600):
        status = (await buyer.get(f"/api/me/orders/{order_id}")).json()["stock_status"]
        if status != "PENDING":
            return str(status)
        await asyncio.sleep(0.2)
    return "PENDING"


def placed(order_id: str, sku: str) -> bytes:
    event = OrderPlaced(
        key=order_id, order_id=order_id, order_no=f"BENCH-{order_id[:10]}",
        channel=Channel.STOREFRONT, payment_method=PaymentMethod.CARD,
        buyer=Buyer(member_id="bench", name="벤치", phone="010-0000-0000"),
        lines=[LineData(line_id="L1", product_id="BENCH", sku_id=sku, name="벤치", unit_price=1000,
                        quantity=1)],
        items_total=1000, shipping_fee=0, paid_amount=1000)
    return json.dumps(event.model_dump(mode="json")).encode()


async def reservations_per_s(skus: list[str], n: int) -> tuple[float, int]:
    """Publish n OrderPlaced (SKUs round-robin) and wait for every answer; returns (rate, ok)."""
    consumer = AIOKafkaConsumer(topics.INVENTORY_EVENTS, bootstrap_servers=KAFKA,
                                group_id=f"bench-{uuid.uuid4().hex}", auto_offset_reset="latest")
    await consumer.start()
    while not consumer.assignment():
        await asyncio.sleep(0.05)
    await consumer.seek_to_end()
    for tp in consumer.assignment():
        await consumer.position(tp)
    producer = AIOKafkaProducer(bootstrap_servers=KAFKA, linger_ms=5, enable_idempotence=True)
    await producer.start()
    ids = [uuid.uuid4().hex for _ in range(n)]
    waiting = set(ids)
    reserved = 0
    started = time.perf_counter()
    sends = [await producer.send(topics.ORDERS_EVENTS, placed(oid, skus[i % len(skus)]),
                                 key=oid.encode(), headers=[("event_type", b"OrderPlaced")])
             for i, oid in enumerate(ids)]
    await asyncio.gather(*sends)
    async with asyncio.timeout(600):
        while waiting:
            batch = await consumer.getmany(timeout_ms=500, max_records=5000)
            for records in batch.values():
                for record in records:
                    event = json.loads(record.value)
                    if event.get("order_id") in waiting and event["type"] in (
                            "StockReserved", "StockReservationRejected"):
                        waiting.discard(event["order_id"])
                        reserved += event["type"] == "StockReserved"
    elapsed = time.perf_counter() - started
    await producer.stop()
    await consumer.stop()
    return n / elapsed, reserved


async def drain_orders_consumer(timeout: float = 300) -> float:
    """Wait until the orders service has consumed inventory.events.v1 (its lag is 0)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=KAFKA)
    consumer = AIOKafkaConsumer(bootstrap_servers=KAFKA)
    await admin.start()
    await consumer.start()
    started = time.perf_counter()
    try:
        [meta] = await admin.describe_topics([topics.INVENTORY_EVENTS])
        parts = [TopicPartition(topics.INVENTORY_EVENTS, p["partition"])
                 for p in meta["partitions"]]
        while time.perf_counter() - started < timeout:
            ends = await consumer.end_offsets(parts)
            committed = await admin.list_consumer_group_offsets("orders", partitions=parts)
            lag = sum(ends[tp] - (committed[tp].offset if tp in committed else 0) for tp in parts)
            if lag <= 0:
                break
            await asyncio.sleep(1)
    finally:
        await consumer.stop()
        await admin.close()
    return time.perf_counter() - started


async def main() -> None:
    await race()
    async with httpx.AsyncClient(base_url=INVENTORY, timeout=300, headers=SERVICE) as inv:
        run = uuid.uuid4().hex[:6].upper()
        hot = await put_product(inv, f"HOT{run}", 1, 10_000_000)
        spread: list[str] = []
        for p in range(SPREAD_PRODUCTS):
            spread += await put_product(inv, f"SPREAD{run}P{p:02d}", SPREAD_SKUS, 1000)
        random.Random(7).shuffle(spread)
        drained = await drain_orders_consumer()  # the race's answers, before measuring
        rate, ok = await reservations_per_s(hot, HOT_N)
        print(f"hot_sku_reservations_per_s: {rate:.0f} reservations/s")
        print(f"hot_sku_reserved: {ok} of {HOT_N}")
        drained += await drain_orders_consumer()  # so the orders service is idle again
        rate, ok = await reservations_per_s(spread, SPREAD_N)
        print(f"spread_reservations_per_s: {rate:.0f} reservations/s")
        print(f"spread_skus: {len(spread)} SKUs")
        audit = (await inv.get(f"/skus/{hot[0]}/audit")).json()
        print(f"hot_sku_ledger_consistent: {int(audit['consistent'])} boolean")
        drained += await drain_orders_consumer()
    print(f"orders_drain_seconds: {drained:.1f} s")


if __name__ == "__main__":
    asyncio.run(main())
