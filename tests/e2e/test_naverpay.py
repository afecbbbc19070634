"""Naver Pay orders through the Naver Pay simulator (a process of its own, Commerce API shapes):
checkout → paid at Naver → polled in as a paid NAVERPAY order → shipped here and dispatched at
Naver → delivered and purchase-decided at Naver → 배송완료 / 구매확정 here, with the cumulative
purchase and points untouched. Shipping entered in Naver's center is not imported."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import SHIP_TO, Shop, eventually


def sim(shop: Shop) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=shop.stack.url("naversim"), timeout=30)


def integrations(shop: Shop) -> httpx.AsyncClient:
    return shop.stack.client("integrations")


async def naver_order(shop: Shop, buyer: httpx.AsyncClient, sku: str, qty: int) -> dict[str, Any]:
    """Checkout with Naver Pay and pay on Naver's page: our order once it is PREPARING."""
    r = await buyer.post("/api/naverpay/checkout", json={
        "lines": [{"sku_id": sku, "quantity": qty}], "ship_to": SHIP_TO, "memo": "문 앞"})
    assert r.status_code == 201, r.text
    started = r.json()
    assert started["checkout_url"].startswith(shop.stack.url("naversim"))
    async with sim(shop) as naver:
        page = await naver.get(started["checkout_url"])
        assert page.status_code == 200 and "결제하기" in page.text
        paid = await naver.post(f"{started['checkout_url']}/pay", follow_redirects=False)
        assert paid.status_code == 303 and paid.headers["location"].endswith("/naverpay/complete")
    order_id = f"np-{started['partner_order_id']}"

    async def polled_in() -> bool:  # the adapter learns the order by polling Naver
        return (await shop.orders_svc.get(f"/orders/{order_id}")).status_code == 200
    await eventually(polled_in, what=f"order {order_id} polled in")
    return await shop.wait_status(order_id, "PREPARING")


async def section_status(shop: Shop, order_id: str, status: str) -> dict[str, Any]:
    async def check() -> dict[str, Any] | None:
        o = await shop.order(order_id)
        return o if all(s["status"] == status for s in o["sections"]) else None
    return await eventually(check)


async def points_of(buyer: httpx.AsyncClient) -> tuple[int, int]:
    p = (await buyer.get("/api/me/points")).json()
    return p["points"], p["cumulative_purchase"]


async def test_a_naver_pay_order_from_checkout_to_purchase_decided(shop: Shop) -> None:
    product = await shop.product(stock=10, price=12000)
    sku = product["skus"][0]["_id"]
    buyer, seller = await shop.buyer(1), await shop.seller()
    before_points = await points_of(buyer)
    order = await naver_order(shop, buyer, sku, 2)
    assert (order["channel"], order["payment_method"], order["payment_status"]) == (
        "NAVERPAY", "NAVERPAY", "PAID")
    assert order["paid_amount"] == 2 * 12000 + order["shipping_fee"]
    assert order["buyer"]["member_id"] == "buyer1"
    assert (await shop.sku(sku))["reserved"] == 2
    partner = (await integrations(shop).get(f"/partner-orders/{order['order_id']}")).json()
    [line] = partner["lines"]

    # the seller ships here: Naver gets the dispatch with its company code
    base = f"/api/admin/orders/{order['order_id']}/sections/{order['sections'][0]['section_id']}"
    assert (await seller.post(f"{base}/status", json={"to_status": "READY_TO_SHIP"})).status_code == 200
    r = await seller.post(f"{base}/status", json={"to_status": "SHIPPING", "carrier": "한진택배",
                                                  "invoice_no": "512345678901"})
    assert r.status_code == 200, r.text
    async with sim(shop) as naver:
        async def dispatched() -> dict[str, Any] | None:
            po = (await naver.get(f"/_sim/product-orders/{line['product_order_id']}")).json()
            return po if po["productOrderStatus"] == "DELIVERING" else None
        po = await eventually(dispatched)
        assert (po["delivery"]["deliveryCompany"], po["delivery"]["trackingNumber"]) == (
            "HANJIN", "512345678901")
        # delivered at Naver (no change row there): the adapter re-reads shipping lines
        assert (await naver.post(f"/_sim/product-orders/{po['_id']}/deliver")).status_code == 200
        await section_status(shop, order["order_id"], "DELIVERED")
        assert (await naver.post(f"/_sim/product-orders/{po['_id']}/decide")).status_code == 200
    confirmed = await section_status(shop, order["order_id"], "CONFIRMED")
    assert [e["actor"]["kind"] for e in confirmed["timeline"] if e["after"] == "CONFIRMED"] == [
        "partner"]
    tasks = (await integrations(shop).get("/partner-tasks",
                                          params={"order_id": order["order_id"]})).json()
    assert [(t["kind"], t["state"]) for t in tasks] == [("dispatch", "DONE")]
    # a simple-pay purchase earns no points and never counts toward the cumulative purchase
    assert await points_of(buyer) == before_points


async def test_shipping_entered_in_naver_center_is_not_imported(shop: Shop) -> None:
    sku = (await shop.product(stock=5, price=9000))["skus"][0]["_id"]
    order = await naver_order(shop, await shop.buyer(2), sku, 1)
    partner = (await integrations(shop).get(f"/partner-orders/{order['order_id']}")).json()
    async with sim(shop) as naver:
        r = await naver.post(f"/_sim/product-orders/{partner['lines'][0]['product_order_id']}"
                             "/center-dispatch", json={"deliveryCompanyCode": "CJGLS",
                                                       "trackingNumber": "699900001111"})
        assert r.status_code == 200, r.text
    shipped = await section_status(shop, order["order_id"], "SHIPPING")
    section = shipped["sections"][0]
    assert (section["carrier"], section["invoice_no"]) == ("", "")  # Naver's invoice stays there
    assert [e["note"] for e in shipped["timeline"] if e["after"] == "SHIPPING"] == [
        "partner_center"]
    partner = (await integrations(shop).get(f"/partner-orders/{order['order_id']}")).json()
    assert partner["lines"][0]["shipped_outside"] and partner["lines"][0]["dispatched"] is None


async def test_a_naver_line_is_not_split_by_quantity(shop: Shop) -> None:
    sku = (await shop.product(stock=5, price=5000))["skus"][0]["_id"]
    order = await naver_order(shop, await shop.buyer(1), sku, 3)
    seller = await shop.seller()
    sid = order["sections"][0]["section_id"]
    r = await seller.post(f"/api/admin/orders/{order['order_id']}/sections/{sid}/split",
                          json={"items": [{"line_id": "L1", "quantity": 1}]})
    assert r.status_code == 400, r.text
    assert (r.json()["error"], r.json()["key"]) == ("partner_ships_whole_lines",
                                                    "partner_ships_whole_lines")
    assert len((await shop.order(order["order_id"]))["sections"]) == 1


async def test_rate_limits_and_failures_at_naver_delay_the_sync_but_lose_nothing(
        shop: Shop) -> None:
    sku = (await shop.product(stock=20, price=3000))["skus"][0]["_id"]
    buyer = await shop.buyer(2)
    async with sim(shop) as naver:
        # a tight bucket, every token expired, and the next 6 calls failing with 500
        r = await naver.put("/_sim/control", json={"rate": 2, "burst": 2, "fail_next": 6,
                                                   "expire_tokens": True})
        assert r.status_code == 200
        try:
            orders = [await naver_order(shop, buyer, sku, 1) for _ in range(3)]
        finally:
            await naver.put("/_sim/control", json={"rate": 20, "burst": 40, "fail_next": 0})
    assert len({o["order_id"] for o in orders}) == 3
    assert (await shop.sku(sku))["reserved"] == 3  # each order placed and reserved once
