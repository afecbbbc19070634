"""Refund money end to end (SPEC §2, §5): order discounts allocated at placement come off the
refunded units exactly; refunds go back pro rata to the payment (PG) and to points."""

from __future__ import annotations

from typing import Any

from pymongo import AsyncMongoClient

from tests.conftest import SHIP_TO, Shop, eventually
from tests.e2e.test_claims_flows import (
    PASSWORD,
    claims_know,
    decide,
    delivered,
    item,
    make_buyer,
    open_claim,
    refunds,
    units,
    wait_claim,
    wait_order,
)


async def test_points_and_payment_come_back_pro_rata_and_in_full_with_the_last_cancel(
        shop: Shop) -> None:
    member = await make_buyer(shop)
    buyer = await shop.login(member, PASSWORD)
    mongo: AsyncMongoClient[Any] = AsyncMongoClient(shop.stack.infra.mongo)
    try:  # a balance to spend (points are otherwise granted only at confirmation)
        await mongo["coupons"].members.update_one({"_id": member}, {"$set": {"points": 5000}},
                                                  upsert=True)
    finally:
        await mongo.close()
    sku = (await shop.product(stock=5, price=10000))["skus"][0]["_id"]
    r = await shop.place(buyer, sku, qty=2, points=5000)
    assert r.status_code == 201, r.text
    order = await shop.pay_card(r.json())
    assert order["paid_amount"] == 20000 + 3000 - 5000
    await claims_know(shop, order["order_id"], "PREPARING")

    r = await open_claim(buyer, order["order_id"], "CANCEL", [item(order, 1)], "CHANGE_OF_MIND")
    first = await wait_claim(shop, r.json()["claim_id"], "COMPLETED")
    # 10,000 of 23,000 spent: 18,000 × 10,000 // 23,000 to the card, the rest to points.
    assert (first["settled"]["payment"], first["settled"]["points"]) == (7826, 2174)

    order = await wait_order(shop, order["order_id"], lambda o: units(o).get("PREPARING") == 1,
                             "1 unit left")
    rest = next(s for s in order["sections"] if s["status"] == "PREPARING")
    await eventually(lambda: _claimable(shop, order["order_id"]), what="claims view updated")
    r = await open_claim(buyer, order["order_id"], "CANCEL",
                         [{"section_id": rest["section_id"], "line_id": "L1", "quantity": 1}],
                         "CHANGE_OF_MIND")
    last = await wait_claim(shop, r.json()["claim_id"], "COMPLETED")
    assert last["settled"]["refund"] == 13000  # 10,000 + the 3,000 shipping
    assert (last["settled"]["payment"], last["settled"]["points"]) == (18000 - 7826, 5000 - 2174)
    assert sum(x["amount"] for x in await refunds(shop, order["order_id"])) == 18000

    async def points_back() -> bool:
        return (await buyer.get("/api/me/points")).json()["points"] == 5000

    await eventually(points_back, what="every point back")


async def _claimable(shop: Shop, order_id: str) -> bool:
    from tests.e2e.test_claims_flows import claim_view

    view = await claim_view(shop, order_id)
    return any(i["claimable"] for s in view["sections"] if s["allowed"] for i in s["items"])


async def test_a_seller_discount_comes_off_partial_returns_exactly(shop: Shop) -> None:
    member = await make_buyer(shop)
    buyer, seller = await shop.login(member, PASSWORD), await shop.seller()
    sku = (await shop.product(stock=5, price=10000))["skus"][0]["_id"]
    r = await seller.post("/api/admin/orders", json={
        "member_id": member, "lines": [{"sku_id": sku, "quantity": 3}], "ship_to": SHIP_TO,
        "shipping_fee": 2500, "discount": 1000})
    assert r.status_code == 201, r.text
    order = r.json()
    assert order["allocations"] == {"L1": 1000}
    r = await buyer.post(f"/api/me/orders/{order['order_id']}/pay", json={"method": "CARD"})
    assert r.status_code == 200, r.text
    assert (await shop.pg.post(f"/pg/payments/{r.json()['payment_id']}/approve")).status_code == 200
    order = await shop.wait_status(order["order_id"], "PREPARING")
    order = await delivered(shop, seller, order)
    await claims_know(shop, order["order_id"], "DELIVERED")

    async def returned(n: int, section: str) -> dict[str, Any]:
        r = await open_claim(buyer, order["order_id"], "RETURN",
                             [{"section_id": section, "line_id": "L1", "quantity": n}], "DEFECT")
        assert r.status_code == 201, r.text
        claim_id = r.json()["claim_id"]
        await wait_claim(shop, claim_id, "REQUESTED")
        for action in ("approve", "collect", "complete"):
            assert (await decide(seller, claim_id, action)).status_code == 200
        return await wait_claim(shop, claim_id, "COMPLETED")

    first = await returned(1, order["sections"][0]["section_id"])
    assert (first["settled"]["discount"], first["settled"]["refund"]) == (333, 9667)
    await eventually(lambda: _claimable(shop, order["order_id"]), what="claims view updated")
    order = await shop.order(order["order_id"])
    rest = next(s for s in order["sections"] if s["status"] == "DELIVERED" and not s.get("claim"))
    last = await returned(2, rest["section_id"])
    assert (last["settled"]["discount"], last["settled"]["refund"]) == (667, 19333)
    assert sum(x["amount"] for x in await refunds(shop, order["order_id"])) == 29000
