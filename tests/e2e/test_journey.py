"""One order through all six steps, over HTTP, for both payment methods."""

from __future__ import annotations

from tests.conftest import Shop, eventually


async def move(seller, order: dict, to: str, **extra: str):  # type: ignore[no-untyped-def]
    section = order["sections"][0]["section_id"]
    return await seller.post(
        f"/api/admin/orders/{order['order_id']}/sections/{section}/status",
        json={"to_status": to, **extra})


async def ship_and_deliver(seller, order: dict) -> None:  # type: ignore[no-untyped-def]
    assert (await move(seller, order, "READY_TO_SHIP")).status_code == 200
    r = await move(seller, order, "SHIPPING", carrier="CJ대한통운", invoice_no="612345678901")
    assert r.status_code == 200, r.text
    r = await move(seller, order, "DELIVERED")
    assert r.status_code == 200, r.text


async def test_card_order_goes_through_all_six_steps(shop: Shop) -> None:
    product = await shop.product(stock=5, price=15000)
    sku = product["skus"][0]["_id"]
    buyer, seller = await shop.buyer(1), await shop.seller()

    r = await shop.place(buyer, sku, qty=2)
    assert r.status_code == 201, r.text
    placed = r.json()
    order = placed["order"]
    assert order["sections"][0]["status"] == "PAYMENT_PENDING"
    assert order["paid_amount"] == 2 * 15000 + 3000
    assert (await shop.sku(sku))["available"] == 3

    order = await shop.pay_card(placed)
    assert order["payment_status"] == "PAID"
    await ship_and_deliver(seller, order)
    r = await buyer.post(f"/api/me/orders/{order['order_id']}/confirm-purchase")
    assert r.status_code == 200, r.text
    order = await shop.wait_status(order["order_id"], "CONFIRMED")

    steps = [(e["before"], e["after"]) for e in order["timeline"] if e["action"] == "section_status"]
    assert steps == [("PAYMENT_PENDING", "PREPARING"), ("PREPARING", "READY_TO_SHIP"),
                     ("READY_TO_SHIP", "SHIPPING"), ("SHIPPING", "DELIVERED"),
                     ("DELIVERED", "CONFIRMED")]
    actors = {e["after"]: e["actor"]["kind"] for e in order["timeline"] if e["after"]}
    assert actors["PREPARING"] == "partner" and actors["SHIPPING"] == "seller"
    assert actors["CONFIRMED"] == "buyer"
    sku_after = await shop.sku(sku)
    assert (sku_after["available"], sku_after["reserved"], sku_after["sold"]) == (3, 0, 2)

    async def points_granted() -> bool:
        order_now = await shop.order(order["order_id"])
        return any(e["action"] == "points_earned" for e in order_now["timeline"])

    await eventually(points_granted, what="points on the timeline")


async def test_bank_transfer_waits_for_the_deposit_webhook(shop: Shop) -> None:
    product = await shop.product(stock=5, price=20000)
    sku = product["skus"][0]["_id"]
    buyer = await shop.buyer(2)
    placed = (await shop.place(buyer, sku, method="BANK_TRANSFER")).json()
    order = placed["order"]
    assert placed["payment"]["virtual_account"]
    assert order["deposit_deadline"]
    assert (await shop.order(order["order_id"]))["sections"][0]["status"] == "PAYMENT_PENDING"

    r = await shop.pg.post(f"/pg/payments/{placed['payment']['payment_id']}/deposit",
                           json={"amount": order["paid_amount"]})
    assert r.status_code == 200, r.text
    order = await shop.wait_status(order["order_id"], "PREPARING")
    assert order["payment_status"] == "PAID"
    paid = [e for e in order["timeline"] if e["action"] == "paid"]
    assert paid[0]["actor"]["kind"] == "partner"


async def test_seller_confirms_a_deposit_by_hand(shop: Shop) -> None:
    sku = (await shop.product(stock=2))["skus"][0]["_id"]
    buyer, seller = await shop.buyer(1), await shop.seller()
    order = (await shop.place(buyer, sku, method="BANK_TRANSFER")).json()["order"]
    r = await seller.post(f"/api/admin/orders/{order['order_id']}/deposit-confirmed")
    assert r.status_code == 200, r.text
    order = await shop.wait_status(order["order_id"], "PREPARING")
    assert [e["actor"]["id"] for e in order["timeline"] if e["action"] == "paid"] == ["seller"]


async def test_guest_orders_with_name_and_phone_and_looks_it_up(shop: Shop) -> None:
    sku = (await shop.product(stock=3))["skus"][0]["_id"]
    guest = shop.client()
    r = await shop.place(guest, sku, guest={"name": "비회원", "phone": "010-9999-8888",
                                            "password": "pw1234"})
    assert r.status_code == 201, r.text
    placed = r.json()
    order = await shop.pay_card(placed)
    assert order["buyer"]["member_id"] == ""
    assert (await guest.get(f"/api/me/orders/{order['order_id']}")).status_code == 200

    stranger = shop.client()
    assert (await stranger.get(f"/api/me/orders/{order['order_id']}")).status_code == 404
    r = await stranger.post("/api/guest/lookup", json={
        "order_no": order["order_no"], "phone": "010-9999-8888", "password": "wrong"})
    assert r.status_code == 404
    r = await stranger.post("/api/guest/lookup", json={
        "order_no": order["order_no"], "phone": "01099998888", "password": "pw1234"})
    assert r.status_code == 200, r.text
    assert (await stranger.get(f"/api/me/orders/{order['order_id']}")).status_code == 200


async def test_out_of_stock_order_is_refused_with_the_sku_named(shop: Shop) -> None:
    sku = (await shop.product(stock=1))["skus"][0]["_id"]
    buyer = await shop.buyer(1)
    r = await shop.place(buyer, sku, qty=2)
    assert r.status_code == 409
    body = r.json()
    assert body["error"] == "out_of_stock"
    assert sku in body["message"] and "남은 재고 1개" in body["message"]
    assert (await shop.sku(sku))["available"] == 1


async def test_a_retried_checkout_with_the_same_idempotency_key_places_one_order(
        shop: Shop) -> None:
    sku = (await shop.product(stock=5))["skus"][0]["_id"]
    buyer = await shop.buyer(1)
    body = {"lines": [{"sku_id": sku, "quantity": 1}], "payment_method": "CARD",
            "ship_to": {"name": "홍길동", "phone": "010-1234-5678", "zipcode": "06236",
                        "address1": "서울"}}
    first = await buyer.post("/api/orders", json=body, headers={"Idempotency-Key": "k-1"})
    again = await buyer.post("/api/orders", json=body, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert first.json()["order"]["order_id"] == again.json()["order"]["order_id"]
    assert (await shop.sku(sku))["available"] == 4
