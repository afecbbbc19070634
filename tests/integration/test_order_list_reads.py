"""The windowed keyset reads and the count cells of the order list give exactly what a plain
sorted query and a count give, on a real MongoDB-protocol server."""

from __future__ import annotations

import random
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pymongo import AsyncMongoClient

from contracts.orders.requests import ListFilter, ListPage
from orders import listing
from tests.stack import Infra

STATUSES = ["PAYMENT_PENDING", "PREPARING", "READY_TO_SHIP", "SHIPPING", "DELIVERED",
            "CONFIRMED", "CANCELLED"]


def row(n: int, rng: random.Random, start: datetime) -> dict[str, Any]:
    statuses = sorted(set(rng.sample(STATUSES, rng.choice([1, 1, 1, 2]))))
    phone = f"010{rng.randint(10000000, 99999999)}"
    # Bursts and gaps, and identical timestamps, to stress the windows and the tie-breaks.
    placed = start + timedelta(seconds=(n // 3) * rng.choice([1, 1, 60, 3600]))
    return {"_id": uuid.uuid4().hex, "version": 1, "order_no": f"T{n:06d}",
            "placed_at": placed, "channel": rng.choice(["STOREFRONT", "SELLER"]),
            "payment_method": rng.choice(["CARD", "BANK_TRANSFER"]), "payment_status": "PAID",
            "statuses": statuses, "claim_kinds": rng.choice([[], [], ["RETURN"], ["CANCEL"]]),
            "amount": rng.randrange(1000, 100000, 10), "buyer_phone": phone, "sections": [],
            "search": [f"T{n:06d}", phone]}


@pytest.fixture(scope="module")
async def db(infra: Infra) -> AsyncIterator[Any]:
    client: AsyncMongoClient[Any] = AsyncMongoClient(infra.mongo, tz_aware=True)
    name = f"listtest_{uuid.uuid4().hex[:8]}"
    database = client[name]
    rng = random.Random(5)
    start = datetime(2026, 6, 1, tzinfo=UTC)
    await listing.ensure_indexes(database)
    await listing.add_rows(database, [row(n, rng, start) for n in range(3000)])
    yield database
    await client.drop_database(name)
    await client.close()


FILTERS = [
    ListFilter(),
    ListFilter(statuses=["PREPARING"]),
    ListFilter(statuses=["PREPARING", "SHIPPING"]),
    ListFilter(statuses=["CANCELLED"], claim_kinds=["CANCEL"]),
    ListFilter(claim_kinds=["RETURN"], payment_methods=["CARD"]),
    ListFilter(payment_methods=["BANK_TRANSFER"], channels=["SELLER"]),
    ListFilter(statuses=["DELIVERED"], date_from="2026-06-01", date_to="2026-06-20"),
]


@pytest.mark.parametrize("flt", FILTERS, ids=lambda f: f.model_dump_json(exclude_defaults=True))
@pytest.mark.parametrize("direction", ["desc", "asc"])
async def test_pages_walk_every_matching_row_in_order_exactly_once(
        db: Any, flt: ListFilter, direction: str) -> None:
    order = -1 if direction == "desc" else 1
    expected = [r["_id"] async for r in db.order_list.find(listing.mongo(flt), {"_id": 1}).sort(
        [("placed_at", order), ("_id", order)])]
    seen: list[str] = []
    cursor = None
    for _ in range(500):
        page = await listing.page(db, flt, ListPage(limit=37, direction=direction, cursor=cursor))
        seen += [r["order_id"] for r in page["rows"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == expected


@pytest.mark.parametrize("flt", FILTERS, ids=lambda f: f.model_dump_json(exclude_defaults=True))
async def test_counts_from_cells_equal_counting_rows(db: Any, flt: ListFilter) -> None:
    assert await listing.count(db, flt) == await db.order_list.count_documents(listing.mongo(flt))
