"""Coupons and points through the gateway (SPEC §8): the checkout picks the optimum, a coupon is
never used twice even by concurrent checkouts, cancellation gives coupons and points back,
points arrive only at purchase confirmation."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from pymongo import AsyncMongoClient

from gateway.auth import Accounts, User
from tests.conftest import Shop, eventually
from tests.e2e.test_journey import ship_and_deliver


async def new_buyer(shop: Shop) -> tuple[str, httpx.AsyncClient]:
    """A fresh member, so coupons given here never reach other tests' checkouts."""
    uid = f"cb{uuid.uuid4().hex[:8]}"
    client: AsyncMongoClient[Any] = AsyncMongoClient(shop.stack.infra.mongo)
    try:
        await Accounts(client["gateway"]).create(
            User(user_id=uid, role="buyer", name="쿠폰고객", phone="010-5555-6666"), "pw123456")
    finally:
        await client.close()
    return uid, await shop.login(uid, "pw123456")


async def catalogue_product(shop: Shop, price: int, category: str = "",
                            stock: int = 20) -> dict[str, Any]:
    pid = f"P{uuid.uuid4().hex[:10]}"
    r = await shop.inventory.put(f"/products/{pid}", json={
        "product_id": pid, "name": f"쿠폰 상품 {pid}", "base_price": price,
        "category_id": category, "skus": [{"sku_id": f"{pid}-0", "label": "기본", "stock": stock}]})
    assert r.status_code == 200, r.text
    return {"product_id": pid, "sku_id": f"{pid}-0"}


async def create_coupon(seller: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    body = {"name": "테스트 쿠폰", "valid_from": (now - timedelta(days=1)).isoformat(),
            "valid_until": (now + timedelta(days=30)).isoformat(), **fields}
    r = await seller.post("/api/admin/coupons", json=body)
    assert r.status_code == 201, r.text
    return dict(r.json())


async def give(seller: httpx.AsyncClient, coupon: dict[str, Any], member: str) -> str:
    r = await seller.post(f"/api/admin/coupons/{coupon['_id']}/issue",
                          json={"member_ids": [member]})
    assert r.status_code == 200 and r.json()["issued"] == 1, r.text
    return f"{coupon['_id']}:{member}"


async def held(buyer: httpx.AsyncClient) -> dict[str, dict[str, Any]]:
    r = await buyer.get("/api/me/coupons")
    assert r.status_code == 200, r.text
    return {h["_id"]: h for h in r.json()["coupons"]}


async def three_coupons(shop: Shop, seller: httpx.AsyncClient, member: str,
                        category: str) -> dict[str, str]:
    """The example of coupon-instance.md: best = 25% product coupon + 5,000 order coupon."""
    k1 = await create_coupon(seller, name="카테고리 25%", kind="product", type="percent",
                             value=25, max_discount=8000, min_purchase=24000,
                             eligible_category_ids=[category])
    k2 = await create_coupon(seller, name="5천원 할인", kind="order", type="fixed", value=5000,
                             min_purchase=30000)
    k3 = await create_coupon(seller, name="배송비 쿠폰", kind="shipping", type="fixed",
                             value=3000, conflicts_with=[k2["_id"]])
    return {name: await give(seller, c, member) for name, c in (("K1", k1), ("K2", k2),
                                                                 ("K3", k3))}


async def test_the_checkout_applies_the_best_combination_and_marks_the_coupons_used(
        shop: Shop) -> None:
    seller = await shop.seller()
    member, buyer = await new_buyer(shop)
    cat = f"C{uuid.uuid4().hex[:6]}"
    p = await catalogue_product(shop, 20900, cat)
    ids = await three_coupons(shop, seller, member, cat)
    lines = [{"sku_id": p["sku_id"], "quantity": 2}]

    q = (await buyer.post("/api/checkout/quote", json={"lines": lines})).json()
    assert q["best"]["total"] == 13000 and q["is_best"]
    assert q["applied"]["choice"] == {"product": {p["sku_id"]: ids["K1"]}, "cart": ids["K2"],
                                      "shipping": None}

    r = await shop.place(buyer, p["sku_id"], qty=2, coupons="best")
    assert r.status_code == 201, r.text
    order = r.json()["order"]
    assert order["paid_amount"] == 41800 - 13000 + 3000

    async def used() -> bool:
        h = await held(buyer)
        return h[ids["K1"]]["status"] == h[ids["K2"]]["status"] == "USED"

    await eventually(used, what="coupons used")
    h = await held(buyer)
    assert h[ids["K1"]]["order_id"] == order["order_id"] and h[ids["K3"]]["usable"]
    holders = (await seller.get(f"/api/admin/coupons/{ids['K1'].split(':')[0]}")).json()
    assert [(x["member_id"], x["status"]) for x in holders["holders"]] == [(member, "USED")]

    again = await shop.place(buyer, p["sku_id"], coupons={"cart": ids["K2"]})
    assert again.status_code == 400 and again.json()["error"] == "coupon_unavailable", again.text


async def test_a_buyers_own_choice_is_checked_with_the_same_rules(shop: Shop) -> None:
    seller = await shop.seller()
    member, buyer = await new_buyer(shop)
    cat = f"C{uuid.uuid4().hex[:6]}"
    p = await catalogue_product(shop, 20900, cat)
    ids = await three_coupons(shop, seller, member, cat)

    r = await shop.place(buyer, p["sku_id"], qty=2, coupons={"cart": ids["K2"],
                                                                "shipping": ids["K3"]})
    assert r.status_code == 400 and r.json()["error"] == "coupon_combination", r.text
    r = await shop.place(buyer, p["sku_id"], qty=2, coupons={"shipping": ids["K3"]})
    assert r.status_code == 201, r.text
    assert r.json()["order"]["paid_amount"] == 41800
    assert (await held(buyer))[ids["K2"]]["usable"]


async def test_concurrent_checkouts_cannot_use_one_coupon_twice(shop: Shop) -> None:
    seller = await shop.seller()
    member, buyer = await new_buyer(shop)
    p = await catalogue_product(shop, 30000)
    coupon = await create_coupon(seller, kind="order", type="fixed", value=7000)
    hid = await give(seller, coupon, member)

    results = await asyncio.gather(*(
        shop.place(buyer, p["sku_id"], coupons={"cart": hid}) for _ in range(6)))

    placed = [r for r in results if r.status_code == 201]
    assert len(placed) == 1, [r.text for r in results]
    assert all(r.status_code in (400, 409) for r in results if r.status_code != 201)
    assert placed[0].json()["order"]["paid_amount"] == 30000 - 7000 + 3000

    async def used() -> bool:
        return (await held(buyer))[hid]["status"] == "USED"

    await eventually(used, what="coupon used")


async def set_rules(seller: httpx.AsyncClient, **changes: Any) -> dict[str, Any]:
    before = (await seller.get("/api/admin/coupon-rules")).json()
    r = await seller.put("/api/admin/coupon-rules", json={**before, **changes})
    assert r.status_code == 200, r.text
    return dict(before)


async def test_points_arrive_only_after_confirmation_and_then_pay_part_of_an_order(
        shop: Shop) -> None:
    seller = await shop.seller()
    member, buyer = await new_buyer(shop)
    p = await catalogue_product(shop, 200_000)

    placed = (await shop.place(buyer, p["sku_id"])).json()
    order = await shop.pay_card(placed)
    await ship_and_deliver(seller, order)
    await asyncio.sleep(1)
    assert (await buyer.get("/api/me/points")).json()["points"] == 0  # paid, delivered: nothing

    r = await buyer.post(f"/api/me/orders/{order['order_id']}/confirm-purchase")
    assert r.status_code == 200, r.text

    async def earned() -> int:
        return int((await buyer.get("/api/me/points")).json()["points"])

    assert await eventually(earned, what="purchase points") == 2000  # 1% of 200,000 (free shipping)

    r = await shop.place(buyer, p["sku_id"], points=2005)
    assert r.status_code == 400 and r.json()["error"] == "points_unit", r.text
    r = await shop.place(buyer, p["sku_id"], method="BANK_TRANSFER", points=2000)
    assert r.status_code == 201, r.text
    second = r.json()["order"]
    assert second["paid_amount"] == 200_000 - 2000
    pts = (await buyer.get("/api/me/points")).json()
    assert pts["points"] == 0
    used = pts["ledger"][0]
    assert (used["delta"], used["reason"], used["order_id"]) == (-2000, "used",
                                                                 second["order_id"])


async def test_cancelling_an_unpaid_order_gives_the_coupons_and_points_back(shop: Shop) -> None:
    seller = await shop.seller()
    member, buyer = await new_buyer(shop)
    p = await catalogue_product(shop, 40000)
    coupon = await create_coupon(seller, kind="product", type="fixed", value=4000,
                                 eligible_product_ids=[p["product_id"]])
    hid = await give(seller, coupon, member)
    client: AsyncMongoClient[Any] = AsyncMongoClient(shop.stack.infra.mongo)
    try:  # points as a refund would leave them (the ledger API grants only at confirmation)
        await client["coupons"].members.update_one({"_id": member}, {"$set": {"points": 5000}},
                                                   upsert=True)
    finally:
        await client.close()

    r = await shop.place(buyer, p["sku_id"], method="BANK_TRANSFER",
                         coupons={"product": {p["sku_id"]: hid}}, points=1000)
    assert r.status_code == 201, r.text
    order = r.json()["order"]
    assert order["paid_amount"] == 40000 - 4000 - 1000 + 3000
    assert (await buyer.get("/api/me/points")).json()["points"] == 4000

    async def used() -> bool:
        return (await held(buyer))[hid]["status"] == "USED"

    await eventually(used, what="coupon used")
    r = await buyer.post(f"/api/me/orders/{order['order_id']}/cancel")
    assert r.status_code == 200, r.text

    async def restored() -> bool:
        h = (await held(buyer))[hid]
        pts = (await buyer.get("/api/me/points")).json()
        return h["usable"] and pts["points"] == 5000

    await eventually(restored, what="coupon and points back")
    ledger = (await buyer.get("/api/me/points")).json()["ledger"]
    assert [(x["reason"], x["delta"]) for x in ledger[:2]] == [("order_cancelled", 1000),
                                                              ("used", -1000)]
