"""Who may see and do what, and refused moves that change nothing."""

from __future__ import annotations

import json

from integrations.signing import sign
from tests.conftest import Shop
from tests.stack import PG_SECRET


async def paid_order(shop: Shop, buyer_no: int = 1) -> dict:
    sku = (await shop.product(stock=5))["skus"][0]["_id"]
    buyer = await shop.buyer(buyer_no)
    placed = (await shop.place(buyer, sku)).json()
    return await shop.pay_card(placed)


async def test_a_buyer_never_sees_or_changes_another_buyers_order(shop: Shop) -> None:
    order = await paid_order(shop, buyer_no=1)
    other = await shop.buyer(2)
    assert (await other.get(f"/api/me/orders/{order['order_id']}")).status_code == 404
    r = await other.post(f"/api/me/orders/{order['order_id']}/confirm-purchase")
    assert r.status_code == 404
    mine = (await other.get("/api/me/orders")).json()["orders"]
    assert order["order_id"] not in {o["order_id"] for o in mine}


async def test_admin_apis_refuse_buyers_and_anonymous_callers(shop: Shop) -> None:
    order = await paid_order(shop)
    buyer = await shop.buyer(1)
    r = await buyer.get("/api/admin/orders")
    assert r.status_code == 403
    section = order["sections"][0]["section_id"]
    r = await buyer.post(f"/api/admin/orders/{order['order_id']}/sections/{section}/status",
                         json={"to_status": "READY_TO_SHIP"})
    assert r.status_code == 403
    assert (await shop.client().get("/api/admin/orders")).status_code == 401
    assert (await shop.order(order["order_id"]))["sections"][0]["status"] == "PREPARING"


async def test_wrong_password_is_refused(shop: Shop) -> None:
    r = await shop.client().post("/api/auth/admin-login",
                                 json={"user_id": "seller", "password": "nope"})
    assert r.status_code == 401
    r = await shop.client().post("/api/auth/admin-login",
                                 json={"user_id": "buyer1", "password": "buyer1234"})
    assert r.status_code == 401, "a buyer account cannot log into the admin"


async def test_shipping_an_unpaid_order_is_refused_naming_its_status(shop: Shop) -> None:
    sku = (await shop.product(stock=5))["skus"][0]["_id"]
    buyer, seller = await shop.buyer(1), await shop.seller()
    order = (await shop.place(buyer, sku, method="BANK_TRANSFER")).json()["order"]
    before = await shop.order(order["order_id"])
    section = order["sections"][0]["section_id"]
    r = await seller.post(f"/api/admin/orders/{order['order_id']}/sections/{section}/status",
                          json={"to_status": "SHIPPING", "carrier": "CJ대한통운",
                                "invoice_no": "1234"})
    assert r.status_code == 409
    assert "PAYMENT_PENDING" in r.json()["message"]
    after = await shop.order(order["order_id"])
    assert after["version"] == before["version"] and after["timeline"] == before["timeline"]


async def test_shipping_without_an_invoice_is_refused(shop: Shop) -> None:
    order = await paid_order(shop)
    seller = await shop.seller()
    section = order["sections"][0]["section_id"]
    url = f"/api/admin/orders/{order['order_id']}/sections/{section}/status"
    assert (await seller.post(url, json={"to_status": "READY_TO_SHIP"})).status_code == 200
    r = await seller.post(url, json={"to_status": "SHIPPING", "carrier": "CJ대한통운"})
    assert r.status_code == 400
    assert "invoice" in r.json()["message"]
    assert (await shop.order(order["order_id"]))["sections"][0]["status"] == "READY_TO_SHIP"


async def test_bad_input_gets_a_4xx_naming_the_field(shop: Shop) -> None:
    buyer = await shop.buyer(1)
    r = await buyer.post("/api/orders", json={"lines": [], "payment_method": "CARD",
                                              "ship_to": {}})
    assert r.status_code == 422
    assert "lines" in r.json()["message"]
    r = await shop.place(buyer, "NO-SUCH-SKU")
    assert r.status_code == 404 and "NO-SUCH-SKU" in r.json()["message"]
    r = await buyer.post("/api/orders", json={
        "lines": [{"sku_id": "X", "quantity": 0}], "payment_method": "CARD",
        "ship_to": {"name": "a", "phone": "010-1234-5678", "zipcode": "06236", "address1": "x"}})
    assert r.status_code == 422 and "quantity" in r.json()["message"]


async def test_webhooks_need_a_valid_signature_and_replays_change_nothing(shop: Shop) -> None:
    sku = (await shop.product(stock=5, price=10000))["skus"][0]["_id"]
    buyer = await shop.buyer(1)
    order = (await shop.place(buyer, sku, method="BANK_TRANSFER")).json()["order"]
    body = json.dumps({"event": "deposit.received", "tx_id": f"manual-{order['order_id']}",
                       "order_id": order["order_id"], "amount": order["paid_amount"],
                       "method": "BANK_TRANSFER"}).encode()
    headers = {"content-type": "application/json"}
    r = await shop.webhooks.post("/webhooks/pg", content=body,
                           headers={**headers, "x-pg-signature": "forged"})
    assert r.status_code == 401
    good = {**headers, "x-pg-signature": sign(PG_SECRET, body)}
    first = await shop.webhooks.post("/webhooks/pg", content=body, headers=good)
    assert first.status_code == 200 and first.json()["duplicate"] is False
    replay = await shop.webhooks.post("/webhooks/pg", content=body, headers=good)
    assert replay.status_code == 200 and replay.json()["duplicate"] is True
    order = await shop.wait_status(order["order_id"], "PREPARING")
    assert len([e for e in order["timeline"] if e["action"] == "paid"]) == 1
