"""An unpaid bank transfer is cancelled when its deadline passes, and never processed again."""

from __future__ import annotations

from tests.conftest import Shop, eventually


async def test_expired_deposit_cancels_releases_stock_and_refuses_everything(shop: Shop) -> None:
    sku = (await shop.product(stock=3))["skus"][0]["_id"]
    buyer, seller = await shop.buyer(2), await shop.seller()
    placed = (await shop.place(buyer, sku, qty=2, method="BANK_TRANSFER")).json()
    order_id = placed["order"]["order_id"]
    assert (await shop.sku(sku))["available"] == 1

    async with shop.stack.client("orders") as orders_svc:
        days = (await orders_svc.get("/settings")).json()["deposit_deadline_days"]
        await orders_svc.post("/_test/clock", json={"seconds": days * 86400 + 60})
    order = await shop.wait_status(order_id, "CANCELLED")
    assert order["cancel_reason"] == "입금 기한 만료"
    await eventually(lambda: _available(shop, sku, 3), what="stock released")

    r = await seller.post(f"/api/admin/orders/{order_id}/deposit-confirmed")
    assert r.status_code == 409 and "CANCELLED" in r.json()["message"]
    # A late deposit from the bank is recorded, not applied.
    r = await shop.pg.post(f"/pg/payments/{placed['payment']['payment_id']}/deposit",
                           json={"amount": order["paid_amount"]})
    assert r.status_code == 200

    async def refused_on_timeline() -> bool:
        o = await shop.order(order_id)
        return any(e["action"] == "payment_refused" for e in o["timeline"])

    await eventually(refused_on_timeline, what="late deposit on the timeline")
    order = await shop.order(order_id)
    assert order["payment_status"] == "CANCELLED"
    assert all(s["status"] == "CANCELLED" for s in order["sections"])
    my = (await buyer.get(f"/api/me/orders/{order_id}")).json()
    assert my["cancel_reason"] == "입금 기한 만료"


async def test_a_late_deposit_is_a_payment_to_refund_the_seller_sees_and_records_refunded(
        shop: Shop) -> None:
    sku = (await shop.product(stock=3))["skus"][0]["_id"]
    buyer, seller = await shop.buyer(2), await shop.seller()
    placed = (await shop.place(buyer, sku, qty=1, method="BANK_TRANSFER")).json()
    order_id = placed["order"]["order_id"]
    days = (await shop.orders_svc.get("/settings")).json()["deposit_deadline_days"]
    await shop.orders_svc.post("/_test/clock", json={"seconds": days * 86400 + 60})
    order = await shop.wait_status(order_id, "CANCELLED")
    r = await shop.pg.post(f"/pg/payments/{placed['payment']['payment_id']}/deposit",
                           json={"amount": order["paid_amount"]})
    assert r.status_code == 200

    async def to_refund() -> dict | None:
        o = await shop.order(order_id)
        return o if o["refused_payments"] else None

    order = await eventually(to_refund, what="the late deposit kept as a payment to refund")
    [payment] = order["refused_payments"]
    assert (payment["payment_id"], payment["amount"], payment["status"]) == (
        "RP1", order["paid_amount"], "TO_REFUND")
    assert order["payment_status"] == "CANCELLED"
    page = (await seller.get(f"/admin/orders/{order_id}", headers={"accept": "text/html"})).text
    card = page.split('id="refused-payments"', 1)[1].split('id="order-no"', 1)[0]
    assert "환불이 필요한 입금" in card and "환불 필요" in card
    assert f"/admin/orders/{order_id}/refused-payments/RP1/refunded-by-hand" in card
    assert "cannot confirm" not in page, "the reason is shown in Korean"

    async def listed_as_due() -> bool:
        rows = (await shop.orders_svc.post("/list", json={
            "filter": {"q": order["order_no"]}, "page": {}})).json()["rows"]
        return bool(rows) and rows[0]["refund_due"] == payment["amount"]

    await eventually(listed_as_due, what="the order list flags the refund")

    path = f"/api/admin/orders/{order_id}/refused-payments/RP1/refunded-by-hand"
    r = await seller.post(path, json={"bank": "국민은행", "account": ""})
    assert r.status_code in (400, 422) and r.json()["error"], r.text
    assert (await shop.order(order_id))["refused_payments"][0]["status"] == "TO_REFUND"
    r = await seller.post(f"/api/admin/orders/{order_id}/refused-payments/RP9/refunded-by-hand",
                          json={"bank": "국민은행", "account": "123-45-6789"})
    assert r.status_code == 404, r.text
    r = await seller.post(path, json={"bank": "국민은행", "account": "123-45-6789",
                                      "holder": "김구매", "note": "입금자 확인 후 이체"})
    assert r.status_code == 200, r.text
    [payment] = r.json()["refused_payments"]
    assert payment["status"] == "REFUNDED"
    assert (payment["refund"]["bank"], payment["refund"]["account"]) == ("국민은행", "123-45-6789")
    entry = r.json()["timeline"][-1]
    assert (entry["action"], entry["actor"]["id"]) == ("payment_refunded", "seller")
    r = await seller.post(path, json={"bank": "국민은행", "account": "123-45-6789"})
    assert r.status_code == 409 and r.json()["error"] == "already_refunded"

    page = (await seller.get(f"/admin/orders/{order_id}", headers={"accept": "text/html"})).text
    assert "환불 완료" in page and "123-45-6789" in page
    assert "refunded-by-hand" not in page
    assert 'data-action="payment_refunded"' in page


async def _available(shop: Shop, sku: str, n: int) -> bool:
    return (await shop.sku(sku))["available"] == n
