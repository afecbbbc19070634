"""Never oversell (SPEC §9): concurrent checkouts through the gateway for the last units succeed
exactly as many times as there are units, all or nothing per order, and the ledger still adds
up to the counters."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import httpx

from tests.conftest import SHIP_TO, Shop, eventually

ORDERS = 200


async def patient_buyer(shop: Shop, n: int) -> httpx.AsyncClient:
    """A buyer session whose requests may wait out 200 checkouts in flight at once."""
    c = httpx.AsyncClient(base_url=shop.gateway, timeout=180,
                          limits=httpx.Limits(max_connections=ORDERS + 10))
    shop._clients.append(c)
    r = await c.post("/api/auth/login", json={"user_id": f"buyer{n}", "password": "buyer1234"})
    assert r.status_code == 200, r.text
    return c


async def audit(shop: Shop, sku: str) -> dict[str, Any]:
    r = await shop.inventory.get(f"/skus/{sku}/audit")
    assert r.status_code == 200, r.text
    return r.json()


async def ledger(shop: Shop, sku: str) -> list[dict[str, Any]]:
    r = await shop.inventory.get(f"/skus/{sku}/ledger", params={"limit": 1000})
    assert r.status_code == 200, r.text
    return r.json()["entries"]


async def outcome(shop: Shop, reply: httpx.Response) -> tuple[str, str]:
    """("accepted", order id) or ("refused", out-of-stock message) for one checkout. The gateway
    answers 409 out_of_stock when inventory refused in time; when the stack is too busy to
    answer within its wait it keeps the order (201, no payment) and the answer comes later."""
    if reply.status_code == 409:
        body = reply.json()
        assert body["error"] == "out_of_stock", body
        return "refused", body["message"]
    assert reply.status_code == 201, reply.text
    order_id = reply.json()["order"]["order_id"]

    async def answered() -> dict[str, Any] | None:
        order = await shop.order(order_id)
        return order if order["stock_status"] != "PENDING" else None

    order = await eventually(answered, timeout=120, what=f"stock answer for {order_id}")
    if order["stock_status"] == "RESERVED":
        return "accepted", order_id
    return "refused", order["cancel_reason"]


async def place_lines(buyer: httpx.AsyncClient, lines: list[tuple[str, int]]) -> httpx.Response:
    return await buyer.post("/api/orders", json={
        "lines": [{"sku_id": s, "quantity": q} for s, q in lines], "payment_method": "CARD",
        "ship_to": SHIP_TO})


async def test_200_concurrent_orders_for_10_units_accept_exactly_10(shop: Shop) -> None:
    sku = (await shop.product(stock=10, price=9900))["skus"][0]["_id"]
    buyer = await patient_buyer(shop, 1)

    replies = await asyncio.gather(*(shop.place(buyer, sku) for _ in range(ORDERS)))

    outcomes = [await outcome(shop, r) for r in replies]
    accepted = [x for kind, x in outcomes if kind == "accepted"]
    refused = [x for kind, x in outcomes if kind == "refused"]
    assert len(accepted) == 10 and len(refused) == ORDERS - 10
    for message in refused:
        assert sku in message and "품절" in message, message
    stock = await shop.sku(sku)
    assert (stock["available"], stock["reserved"], stock["sold"]) == (0, 10, 0)
    entries = await ledger(shop, sku)
    assert [e["kind"] for e in entries] == ["initial"] + ["reserve"] * 10
    assert {e["order_id"] for e in entries[1:]} == set(accepted)
    check = await audit(shop, sku)
    assert check["consistent"], check


async def test_concurrent_orders_of_several_skus_reserve_all_or_nothing(shop: Shop) -> None:
    product = await shop.product(stock=10, price=5000, skus=3)
    a, b, c = (s["_id"] for s in product["skus"])
    baskets = [[(a, 1), (b, 1)], [(b, 1), (c, 1)], [(a, 1), (c, 1)], [(a, 2), (b, 1), (c, 1)]]
    wanted = [baskets[i % len(baskets)] for i in range(ORDERS)]
    buyer = await patient_buyer(shop, 2)

    replies = await asyncio.gather(*(place_lines(buyer, lines) for lines in wanted))

    outcomes = [await outcome(shop, r) for r in replies]
    final = {s: await shop.sku(s) for s in (a, b, c)}
    reserved = {a: 0, b: 0, c: 0}
    accepted_ids: dict[str, set[str]] = {a: set(), b: set(), c: set()}
    for lines, (kind, detail) in zip(wanted, outcomes, strict=True):
        if kind == "accepted":
            for s, q in lines:
                reserved[s] += q
                accepted_ids[s].add(detail)
            continue
        named = re.search(r"\(([^)]+)\) (품절|재고 부족)", detail)
        assert named, detail
        short = dict(lines)
        # The named SKU belongs to the order and still cannot give what it asked for.
        assert named.group(1) in short and final[named.group(1)]["available"] < short[named.group(1)]
    for s in (a, b, c):
        assert final[s]["reserved"] == reserved[s], "a refused order reserved nothing"
        assert final[s]["available"] == 10 - reserved[s] >= 0
        entries = await ledger(shop, s)
        assert {e["order_id"] for e in entries if e["kind"] == "reserve"} == accepted_ids[s]
        check = await audit(shop, s)
        assert check["consistent"], check
    accepted = sum(kind == "accepted" for kind, _ in outcomes)
    assert accepted >= 5, "at least the first orders of the race got their stock"
