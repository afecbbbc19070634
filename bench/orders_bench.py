"""Issue 3 benchmarks: bulk status change of 100,000 sections, and the order list over 1,000,000
orders.

Prints bulk_100k_seconds, bulk_floor_seconds, bulk_floor_ratio (the job through the orders
service vs. one raw batched MongoDB write + batched Kafka publish of the same change), and
list_db_server, list_tab_p95_ms, list_search_p95_ms (read-model queries over 1,000,000 rows).
Expects the local stack (`make bench` starts it) and its infra.env. The bulk part leaves its
100,000 orders (in READY_TO_SHIP) in the local shop; the floor's copies live in `bench_floor`.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from aiokafka import AIOKafkaProducer
from pymongo import AsyncMongoClient, UpdateOne

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from contracts.orders.requests import ListFilter
from contracts.orders.v1 import SectionStatus  # noqa: E402
from orders import listing, repository  # noqa: E402
from tests.seeding import seed_orders  # noqa: E402

MONGO = os.environ["MONGODB_URL"]
KAFKA = os.environ["KAFKA_BOOTSTRAP_SERVERS"]
SERVICE = {"x-service-token": os.environ.get("SERVICE_TOKEN", "dev-service-token-change-me")}
ORDERS = os.environ.get("ORDERS_URL", "http://127.0.0.1:8101")
BULK_N = int(os.environ.get("BENCH_BULK_N", "100000"))
LIST_N = int(os.environ.get("BENCH_LIST_N", "1000000"))
SELLER = {"kind": "seller", "id": "bench", "name": "bench"}
FLOOR_DB = "bench_floor"
SETTLE = float(os.environ.get("BENCH_SETTLE_SECONDS", "30"))


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[int(0.95 * (len(ordered) - 1))]


async def preparing_rows(db: Any) -> int:
    """Rows of the order list whose only status is PREPARING (from its count cells)."""
    return sum([c["n"] async for c in db.list_cells.find({"statuses": ["PREPARING"]})])


async def bulk_job(ids: list[str]) -> tuple[float, float]:
    """Seconds until the job is DONE, and until the order list shows every change."""
    client: AsyncMongoClient[Any] = AsyncMongoClient(MONGO, tz_aware=True)
    before = await preparing_rows(client["orders"])
    async with httpx.AsyncClient(base_url=ORDERS, timeout=600, headers=SERVICE) as c:
        started = time.perf_counter()
        r = await c.post("/bulk-jobs", json={"action": "READY_TO_SHIP", "actor": SELLER,
                                             "targets": [{"order_id": i} for i in ids]})
        r.raise_for_status()
        job_id = r.json()["job_id"]
        print(f"bulk_create_seconds: {time.perf_counter() - started:.1f} s")
        while True:
            job = (await c.get(f"/bulk-jobs/{job_id}")).json()
            if job["status"] == "DONE":
                done = time.perf_counter() - started
                assert job["done"] == len(ids), job
                break
            await asyncio.sleep(0.2)
    while await preparing_rows(client["orders"]) > before - len(ids):
        await asyncio.sleep(0.2)
    listed = time.perf_counter() - started
    await client.close()
    return done, listed


async def bulk_floor(ids: list[str]) -> float:
    client: AsyncMongoClient[Any] = AsyncMongoClient(MONGO, tz_aware=True)
    producer = AIOKafkaProducer(bootstrap_servers=KAFKA, linger_ms=5, max_batch_size=1 << 20)
    await producer.start()
    try:
        started = time.perf_counter()
        now = datetime.now(UTC)
        for first in range(0, len(ids), 5000):
            chunk = ids[first:first + 5000]
            await client[FLOOR_DB]["orders"].bulk_write(
                [UpdateOne({"_id": i, "sections.0.status": "PREPARING"},
                           {"$set": {"sections.0.status": "READY_TO_SHIP",
                                     "sections.0.status_changed_at": now},
                            "$inc": {"version": 1}}) for i in chunk], ordered=False)
        futures = [await producer.send(
            "bench.floor.v1", json.dumps({"order_id": i, "to": "READY_TO_SHIP"}).encode(),
            key=i.encode()) for i in ids]
        await asyncio.gather(*futures)
        return time.perf_counter() - started
    finally:
        await producer.stop()
        await client.close()


async def bulk_benchmark() -> None:
    seed_started = time.perf_counter()
    job_ids = await seed_orders(MONGO, BULK_N, SectionStatus.PREPARING, prefix=f"B{uuid.uuid4().hex[:5]}")
    # The floor changes orders behind the service's back, so it works on a copy of the orders
    # database (same documents, same indexes) and leaves the shop's own data consistent.
    client: AsyncMongoClient[Any] = AsyncMongoClient(MONGO, tz_aware=True)
    await client.drop_database(FLOOR_DB)
    await repository.ensure_indexes(client[FLOOR_DB])
    await listing.ensure_indexes(client[FLOOR_DB])
    await client.close()
    floor_ids = await seed_orders(MONGO, BULK_N, SectionStatus.PREPARING,
                                  prefix=f"F{uuid.uuid4().hex[:5]}", database=FLOOR_DB)
    print(f"bulk_seed_seconds: {time.perf_counter() - seed_started:.1f} s")
    # Let the server finish what the seeding left it (secantus-rs keeps a core busy for some
    # seconds after a large load, checkpointing and pruning its oplog).
    await asyncio.sleep(SETTLE)
    ours, listed = await bulk_job(job_ids)
    floor = await bulk_floor(floor_ids)
    name = "100k" if BULK_N == 100000 else str(BULK_N)
    print(f"bulk_{name}_seconds: {ours:.1f} s")
    print(f"bulk_{name}_listed_seconds: {listed:.1f} s  (until the order list shows every change)")
    print(f"bulk_floor_seconds: {floor:.1f} s")
    print(f"bulk_floor_ratio: {ours / floor:.1f} x")


def list_row(n: int, rng: random.Random, start: datetime) -> dict[str, Any]:
    status = rng.choice(["PAYMENT_PENDING", "PREPARING", "READY_TO_SHIP", "SHIPPING",
                         "DELIVERED", "CONFIRMED", "CONFIRMED", "CONFIRMED", "CANCELLED"])
    phone = f"010{rng.randint(10000000, 99999999)}"
    order_no = f"L{n:08d}"
    name = rng.choice(["김민준", "이서연", "박도윤", "최하은", "정시우"])
    return {"_id": uuid.uuid4().hex, "version": 1, "order_no": order_no,
            "placed_at": start + timedelta(seconds=n * 3), "channel": "STOREFRONT",
            "payment_method": rng.choice(["CARD", "BANK_TRANSFER"]), "payment_status": "PAID",
            "member_id": f"m{n % 50000}", "buyer_name": name, "buyer_phone": phone,
            "recipient": name, "recipient_phone": phone, "address": "(06236) 서울",
            "items_summary": "상품", "quantity": 1, "amount": rng.randrange(1000, 300000, 10),
            "statuses": [status], "sections": [{"section_id": f"{order_no}-1", "status": status,
                                                "carrier": "", "invoice_no": "", "quantity": 1}],
            "invoices": [], "claim_kinds": [], "memo": "",
            "search": sorted({order_no, name, phone, phone[-4:]})}


async def list_benchmark() -> tuple[float, float]:
    client: AsyncMongoClient[Any] = AsyncMongoClient(MONGO, tz_aware=True)
    db = client["bench_list"]
    rng = random.Random(11)
    if await db.order_list.estimated_document_count() < LIST_N:
        for name in ("order_list", "list_cells", "list_meta"):
            await db[name].drop()
        # Indexes first: building them afterwards over 1,000,000 rows took this server more
        # than ten minutes (it blocks other work meanwhile).
        await listing.ensure_indexes(db)
        start = datetime.now(UTC) - timedelta(days=120)
        for first in range(0, LIST_N, 20000):
            await listing.add_rows(
                db, [list_row(n, rng, start) for n in range(first, min(LIST_N, first + 20000))])
    phones = [r["buyer_phone"] async for r in await db.order_list.aggregate(
        [{"$sample": {"size": 200}}, {"$project": {"buyer_phone": 1}}])]
    tab_ms, search_ms = [], []
    tabs = [ListFilter(statuses=[s]) for s in ("PREPARING", "READY_TO_SHIP", "SHIPPING")]
    tabs.append(ListFilter())
    counts_ms = []
    for i in range(200):
        flt = tabs[i % len(tabs)]
        started = time.perf_counter()
        await listing.count(db, flt)
        counts_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        page = await listing.page(db, flt, listing.ListPage(limit=50))
        if i % 2:  # every other query also fetches the next page through the cursor
            await listing.page(db, flt, listing.ListPage(limit=50, cursor=page["next_cursor"]))
        tab_ms.append((time.perf_counter() - started) * 1000 / (2 if i % 2 else 1))
        started = time.perf_counter()
        found = await listing.page(db, ListFilter(q=phones[i % len(phones)]),
                                   listing.ListPage(limit=50))
        search_ms.append((time.perf_counter() - started) * 1000)
        assert found["rows"], "search by phone finds its order"
    await client.close()
    print(f"list_count_p95_ms: {p95(counts_ms):.1f} ms")
    return p95(tab_ms), p95(search_ms)


async def main() -> None:
    """BENCH_BULK_N=0 or BENCH_LIST_N=0 leaves that part out."""
    print(f"list_db_server: {os.environ.get('OMS_MONGO_KIND', 'unknown')}")
    if BULK_N:
        await bulk_benchmark()
    if not LIST_N:
        return
    tab, search = await list_benchmark()
    print(f"list_tab_p95_ms: {tab:.1f} ms")
    print(f"list_search_p95_ms: {search:.1f} ms")


if __name__ == "__main__":
    asyncio.run(main())
