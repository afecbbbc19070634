"""Volume data for bulk tests and benchmarks: orders built by the real domain model and written
straight into the orders service's database (aggregate + list row), as a migration would."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import AsyncMongoClient

from contracts.envelope import Actor
from contracts.orders.v1 import Buyer, Channel, LineData, PaymentMethod, SectionStatus, ShipTo
from orders.domain import Order
from orders.listing import add_rows, row_of
from orders.repository import to_doc

SYSTEM = Actor(kind="system", id="seed", name="seed")
NAMES = ["김민준", "이서연", "박도윤", "최하은", "정시우", "강지우", "조하준", "윤서아"]


def make_order(n: int, prefix: str, status: SectionStatus, placed_at: datetime,
               rng: random.Random) -> Order:
    qty = rng.randint(1, 3)
    phone = f"010-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"
    name = rng.choice(NAMES)
    order, _ = Order.place(
        order_id=uuid.uuid4().hex, order_no=f"{prefix}-{n:07d}", channel=Channel.STOREFRONT,
        buyer=Buyer(member_id=f"m{n % 5000}", name=name, phone=phone),
        ship_to=ShipTo(name=name, phone=phone, zipcode="06236", address1="서울특별시 강남구"),
        payment_method=rng.choice([PaymentMethod.CARD, PaymentMethod.BANK_TRANSFER]),
        lines=[LineData(line_id="L1", product_id="SEED", sku_id="SEED-1", name="시드 상품",
                        unit_price=rng.randrange(1000, 300000, 100), quantity=qty)],
        shipping_fee=3000, memo="", guest_password_hash="", actor=SYSTEM, now=placed_at,
        deposit_days=3650)
    if status is not SectionStatus.PAYMENT_PENDING:
        order.stock_reserved(placed_at)
        order.confirm_payment(order.paid_amount, SYSTEM, placed_at)
    steps = [SectionStatus.READY_TO_SHIP, SectionStatus.SHIPPING, SectionStatus.DELIVERED]
    for step in steps[: max(0, steps.index(status) + 1) if status in steps else 0]:
        order.change_section(order.sections[0].section_id, step, SYSTEM, placed_at, 3650,
                             "CJ대한통운" if step is SectionStatus.SHIPPING else "",
                             f"6{n:011d}" if step is SectionStatus.SHIPPING else "")
    return order


async def seed_orders(mongodb_url: str, count: int, status: SectionStatus,
                      prefix: str | None = None, batch: int = 5000,
                      seed: int = 7, database: str = "orders",
                      start: datetime | None = None) -> list[str]:
    """Insert `count` orders in `status` (into the orders service's database unless told
    otherwise), placed 7 s apart from `start` (90 days ago by default); returns their ids."""
    rng = random.Random(seed)
    prefix = prefix or f"S{uuid.uuid4().hex[:6]}"
    client: AsyncMongoClient[Any] = AsyncMongoClient(mongodb_url, tz_aware=True)
    db = client[database]
    ids: list[str] = []
    start = start or datetime.now(UTC) - timedelta(days=90)
    try:
        for first in range(0, count, batch):
            orders = [make_order(n, prefix, status, start + timedelta(seconds=n * 7), rng)
                      for n in range(first, min(count, first + batch))]
            await db.orders.insert_many([to_doc(o) for o in orders], ordered=False)
            await add_rows(db, [row_of(o) for o in orders])
            ids += [o.order_id for o in orders]
    finally:
        await client.close()
    return ids
