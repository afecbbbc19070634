"""판매자 주문 생성: the seller creates an order for a member, who pays it from my page."""

from __future__ import annotations

from tests.conftest import SHIP_TO, Shop


async def test_seller_creates_an_order_and_the_buyer_pays_it_by_card(shop: Shop) -> None:
    sku = (await shop.product(stock=5, price=20000))["skus"][0]["_id"]
    seller, buyer = await shop.seller(), await shop.buyer(2)
    r = await seller.post("/api/admin/orders", json={
        "member_id": "buyer2", "lines": [{"sku_id": sku, "quantity": 2}], "ship_to": SHIP_TO,
        "shipping_fee": 2500, "discount": 5000, "memo": "전화 주문"})
    assert r.status_code == 201, r.text
    order = r.json()
    assert order["channel"] == "SELLER" and order["payment_method"] == "UNSELECTED"
    assert order["paid_amount"] == 2 * 20000 + 2500 - 5000
    assert order["deposit_deadline"], "a payment request has a deadline"
    assert (await shop.sku(sku))["available"] == 3, "stock is reserved at creation"

    mine = (await buyer.get(f"/api/me/orders/{order['order_id']}")).json()
    assert mine["payment_status"] == "PENDING" and mine["deposit_deadline"]
    other = await shop.buyer(1)
    assert (await other.post(f"/api/me/orders/{order['order_id']}/pay",
                             json={"method": "CARD"})).status_code == 404

    r = await buyer.post(f"/api/me/orders/{order['order_id']}/pay", json={"method": "CARD"})
    assert r.status_code == 200, r.text
    assert (await shop.pg.post(f"/pg/payments/{r.json()['payment_id']}/approve")).status_code == 200
    order = await shop.wait_status(order["order_id"], "PREPARING")
    assert order["payment_method"] == "CARD" and order["payment_status"] == "PAID"


async def test_a_seller_order_for_an_unknown_member_or_without_stock_is_refused(shop: Shop) -> None:
    sku = (await shop.product(stock=1))["skus"][0]["_id"]
    seller = await shop.seller()
    r = await seller.post("/api/admin/orders", json={
        "member_id": "ghost", "lines": [{"sku_id": sku, "quantity": 1}], "ship_to": SHIP_TO})
    assert r.status_code == 404 and "ghost" in r.json()["message"]
    r = await seller.post("/api/admin/orders", json={
        "member_id": "buyer1", "lines": [{"sku_id": sku, "quantity": 3}], "ship_to": SHIP_TO})
    assert r.status_code == 409 and sku in r.json()["message"]
    r = await seller.post("/api/admin/orders", json={
        "member_id": "buyer1", "lines": [{"sku_id": sku, "quantity": 1}], "ship_to": SHIP_TO,
        "discount": 999999})
    assert r.status_code == 400 and "discount" in r.json()["message"]
    assert (await shop.sku(sku))["available"] == 1
