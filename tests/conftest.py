"""Shared fixtures. Integration, e2e and browser tests run on the real stack of tests/stack.py."""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaConsumer
from faststream.kafka import KafkaBroker

from tests import deadletters
from tests.stack import LIMITS, PG_API_KEY, Infra, Stack

SHIP_TO = {"name": "홍길동", "phone": "010-1234-5678", "zipcode": "06236",
           "address1": "서울특별시 강남구 테헤란로 1", "address2": "2층"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Unit tests first: they fail fast and need no stack.
    items.sort(key=lambda i: 0 if "/unit/" in str(i.path) else 1)


@pytest.fixture(scope="session")
def infra() -> Iterator[Infra]:
    infra = Infra()
    infra.start()
    yield infra
    infra.stop()


@pytest.fixture(scope="session")
def stack(infra: Infra) -> Iterator[Stack]:
    stack = Stack(infra)
    try:
        stack.start()
    except BaseException:
        stack.stop_all()  # never leave half a stack holding the slot's ports
        raise
    from gateway.demo import accounts

    asyncio.run(accounts(infra.mongo))
    since = asyncio.run(deadletters.dead_letter_ends(infra.kafka))
    try:
        yield stack
        # Only what tests poisoned on purpose may sit in the dead-letter topic.
        asyncio.run(deadletters.check(infra.kafka, since))
    finally:
        stack.stop_all()


async def eventually(check: Callable[[], Awaitable[Any]], timeout: float = 20,
                     what: str = "condition") -> Any:
    """Poll `check` until it returns a truthy value."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = await check()
        if last:
            return last
        await asyncio.sleep(0.1)
    raise AssertionError(f"{what} not reached in {timeout} s (last: {last!r})")


def form_token(page_html: str) -> str:
    """The CSRF token a page's forms carry."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', page_html)
    assert found, "the page has a form with a CSRF token"
    return found.group(1)


class Shop:
    """A test's view of the running system, through the same HTTP APIs users have."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.gateway = stack.url("gateway")
        self.inventory = stack.client("inventory")
        # The PG simulator: the buyer's card company and bank, and what the merchant (the shop)
        # reads there with its API key.
        self.pg = httpx.AsyncClient(base_url=stack.url("pgsim"), timeout=30, limits=LIMITS,
                                    headers={"authorization": f"Bearer {PG_API_KEY}"})
        self.orders_svc = stack.client("orders")
        # The partner-facing edge of the integrations service, as the PG reaches it (no credential).
        self.webhooks = httpx.AsyncClient(base_url=stack.url("integrations"), timeout=30,
                                          limits=LIMITS)
        self._clients: list[httpx.AsyncClient] = [self.inventory, self.pg, self.orders_svc,
                                                  self.webhooks]

    def client(self) -> httpx.AsyncClient:
        c = httpx.AsyncClient(base_url=self.gateway, timeout=30, limits=LIMITS)
        self._clients.append(c)
        return c

    async def login(self, user_id: str, password: str, admin: bool = False) -> httpx.AsyncClient:
        c = self.client()
        path = "/api/auth/admin-login" if admin else "/api/auth/login"
        r = await c.post(path, json={"user_id": user_id, "password": password})
        assert r.status_code == 200, r.text
        return c

    async def seller(self) -> httpx.AsyncClient:
        return await self.login("seller", "seller1234", admin=True)

    async def buyer(self, n: int = 1) -> httpx.AsyncClient:
        return await self.login(f"buyer{n}", "buyer1234")

    async def product(self, stock: int = 10, price: int = 10000, skus: int = 1) -> dict[str, Any]:
        pid = f"P{uuid.uuid4().hex[:10]}"
        body = {"product_id": pid, "name": f"테스트 상품 {pid}", "base_price": price,
                "skus": [{"sku_id": f"{pid}-{i}", "label": f"옵션 {i}", "stock": stock}
                         for i in range(skus)]}
        r = await self.inventory.put(f"/products/{pid}", json=body)
        assert r.status_code == 200, r.text
        return r.json()

    async def sku(self, sku_id: str) -> dict[str, Any]:
        return (await self.inventory.get(f"/skus/{sku_id}")).json()

    async def place(self, client: httpx.AsyncClient, sku_id: str, qty: int = 1,
                    method: str = "CARD", **extra: Any) -> httpx.Response:
        return await client.post("/api/orders", json={
            "lines": [{"sku_id": sku_id, "quantity": qty}], "payment_method": method,
            "ship_to": SHIP_TO, **extra})

    async def order(self, order_id: str) -> dict[str, Any]:
        r = await self.orders_svc.get(f"/orders/{order_id}")
        assert r.status_code == 200, r.text
        return r.json()

    async def wait_status(self, order_id: str, status: str, timeout: float = 20) -> dict[str, Any]:
        async def check() -> dict[str, Any] | None:
            o = await self.order(order_id)
            return o if all(s["status"] == status for s in o["sections"]) else None

        return await eventually(check, timeout, f"order {order_id} in {status}")

    async def pay_card(self, placed: dict[str, Any]) -> dict[str, Any]:
        r = await self.pg.post(f"/pg/payments/{placed['payment']['payment_id']}/approve")
        assert r.status_code == 200, r.text
        return await self.wait_status(placed["order"]["order_id"], "PREPARING")

    async def close(self) -> None:
        for c in self._clients:
            await c.aclose()


@pytest.fixture
async def broker(shop: Shop) -> AsyncIterator[KafkaBroker]:
    """A FastStream producer on the test stack's Kafka, to publish events straight to topics."""
    b = KafkaBroker(shop.stack.infra.kafka)
    await b.start()
    yield b
    await b.stop()


async def watch(shop: Shop, topic: str) -> AIOKafkaConsumer:
    """A consumer of `topic` that sees only what is published from now on."""
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=shop.stack.infra.kafka,
                                auto_offset_reset="latest", group_id=f"test-{uuid.uuid4().hex}")
    await consumer.start()
    while not consumer.assignment():
        await asyncio.sleep(0.05)
    await consumer.seek_to_end()
    for tp in consumer.assignment():
        await consumer.position(tp)  # pin "now" before anything is published
    return consumer


@pytest.fixture
async def shop(stack: Stack) -> AsyncIterator[Shop]:
    s = Shop(stack)
    yield s
    await s.close()
