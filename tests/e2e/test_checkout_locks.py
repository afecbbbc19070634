"""Checkout locks (coupons and points taken for one placement): a retried placement takes nothing
again, and a lock nobody commits or releases expires on the coupons service's clock."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from pymongo import AsyncMongoClient

from tests.conftest import SHIP_TO, Shop, eventually
from tests.e2e.test_coupons import catalogue_product, create_coupon, give, held, new_buyer

LOCK_TTL_SECONDS = 900  # the coupons service's default LOCK_TTL_SECONDS


@pytest.fixture
async def coupons_svc(shop: Shop) -> AsyncIterator[httpx.AsyncClient]:
    async with shop.stack.client("coupons") as c:
        yield c


async def grant_points(shop: Shop, member: str, points: int) -> None:
    client: AsyncMongoClient[Any] = AsyncMongoClient(shop.stack.infra.mongo)
    try:  # points as a refund would leave them (the ledger API grants only at confirmation)
        await client["coupons"].members.update_one({"_id": member}, {"$set": {"points": points}},
                                                   upsert=True)
    finally:
        await client.close()


async def points_of(buyer: httpx.AsyncClient) -> dict[str, Any]:
    r = await buyer.get("/api/me/points")
    assert r.status_code == 200, r.text
    return dict(r.json())


async def test_a_retried_checkout_returns_the_first_order_and_takes_coupons_and_points_once(
        shop: Shop) -> None:
    seller = await shop.seller()
    member, buyer = await new_buyer(shop)
    p = await catalogue_product(shop, 30000)
    big = await give(seller, await create_coupon(seller, kind="order", type="fixed", value=5000),
                     member)
    small = await give(seller, await create_coupon(seller, kind="order", type="fixed",
                                                   value=3000), member)
    await grant_points(shop, member, 5000)
    body = {"lines": [{"sku_id": p["sku_id"], "quantity": 1}], "payment_method": "BANK_TRANSFER",
            "ship_to": SHIP_TO, "coupons": "best", "points": 1000}
    key = {"Idempotency-Key": f"retry-{uuid.uuid4().hex}"}

    first = await buyer.post("/api/orders", json=body, headers=key)
    again = await buyer.post("/api/orders", json=body, headers=key)

    assert first.status_code == again.status_code == 201, (first.text, again.text)
    order = first.json()["order"]
    assert again.json()["order"]["order_id"] == order["order_id"]
    assert order["paid_amount"] == 30000 - 5000 - 1000 + 3000

    async def used() -> bool:
        return (await held(buyer))[big]["status"] == "USED"

    await eventually(used, what="the order's coupon used")
    h = await held(buyer)
    assert h[small]["status"] == "AVAILABLE" and h[small]["usable"], h[small]
    pts = await points_of(buyer)
    assert pts["points"] == 4000
    assert [(x["reason"], x["delta"], x["order_id"]) for x in pts["ledger"]] == [
        ("used", -1000, order["order_id"])]


async def test_a_lock_nobody_commits_expires_and_a_late_commit_takes_again(
        shop: Shop, coupons_svc: httpx.AsyncClient) -> None:
    seller = await shop.seller()
    member, buyer = await new_buyer(shop)
    p = await catalogue_product(shop, 30000)
    hid = await give(seller, await create_coupon(seller, kind="order", type="fixed", value=5000),
                     member)
    await grant_points(shop, member, 5000)
    ref = uuid.uuid4().hex
    cart = [{"id": p["sku_id"], "product_id": p["product_id"], "unit_price": 30000,
             "quantity": 1}]

    r = await coupons_svc.post("/checkout/lock", json={
        "member_id": member, "lines": cart, "shipping_fee": 3000, "choice": {"cart": hid},
        "points": 1000, "order_ref": ref})
    assert r.status_code == 200, r.text
    assert (await held(buyer))[hid]["status"] == "LOCKED"
    assert (await points_of(buyer))["points"] == 4000

    r = await coupons_svc.post("/_test/clock", json={"seconds": LOCK_TTL_SECONDS + 60})
    assert r.status_code == 200, r.text

    async def released() -> bool:
        return (await held(buyer))[hid]["usable"] and (await points_of(buyer))["points"] == 5000

    await eventually(released, what="the expired lock released")
    ledger = (await points_of(buyer))["ledger"]
    assert [(x["reason"], x["delta"]) for x in ledger[:2]] == [("lock_expired", 1000),
                                                              ("used", -1000)]

    # The order it was taken for was placed after all (its event came late): taken again.
    r = await coupons_svc.post(f"/checkout/locks/{ref}/commit",
                               json={"order_id": "late-order", "order_no": "20261202-999999"})
    assert r.status_code == 200, r.text
    assert (await held(buyer))[hid]["status"] == "LOCKED"
    pts = await points_of(buyer)
    assert pts["points"] == 4000
    assert (pts["ledger"][0]["reason"], pts["ledger"][0]["order_id"]) == ("used", "late-order")
    r = await coupons_svc.post(f"/checkout/locks/{ref}/commit",
                               json={"order_id": "late-order", "order_no": "20261202-999999"})
    assert r.status_code == 200 and (await points_of(buyer))["points"] == 4000, r.text
