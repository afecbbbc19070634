"""The shipping fee is the orders service's rule (a shop setting): the gateway asks for it, the
seller changes it, and an order carrying another fee than the rule's is refused unplaced."""

from __future__ import annotations

from typing import Any

from tests.conftest import SHIP_TO, Shop


def storefront_order(product: dict[str, Any], quantity: int, fee: int) -> dict[str, Any]:
    sku = product["skus"][0]
    return {"buyer": {"member_id": "buyer2", "name": "김구매", "phone": "010-3333-4444"},
            "ship_to": SHIP_TO, "payment_method": "BANK_TRANSFER", "shipping_fee": fee,
            "lines": [{"sku_id": sku["_id"], "product_id": product["_id"],
                       "name": product["name"], "option_label": sku["label"],
                       "unit_price": product["base_price"], "quantity": quantity}],
            "actor": {"kind": "system", "id": "test", "name": "test"}}


async def fee_of(shop: Shop, items_total: int) -> int:
    r = await shop.orders_svc.get("/shipping-fee", params={"items_total": items_total})
    assert r.status_code == 200, r.text
    return int(r.json()["shipping_fee"])


async def test_the_fee_is_free_from_the_threshold_on(shop: Shop) -> None:
    assert await fee_of(shop, 49_999) == 3000
    assert await fee_of(shop, 50_000) == 0
    r = await shop.orders_svc.get("/shipping-fee", params={"items_total": -1})
    assert r.status_code == 422 and r.json()["error"] == "invalid_input"


async def test_an_order_with_another_fee_is_refused_and_not_placed(shop: Shop) -> None:
    product = await shop.product(stock=5, price=10000)
    before = (await shop.orders_svc.get("/orders", params={"member_id": "buyer2"})).json()

    r = await shop.orders_svc.post("/orders", json=storefront_order(product, 1, fee=0))
    assert r.status_code == 409, r.text
    assert r.json()["error"] == "shipping_fee_changed" and "3000" in r.json()["message"]
    after = (await shop.orders_svc.get("/orders", params={"member_id": "buyer2"})).json()
    assert after == before
    assert (await shop.sku(product["skus"][0]["_id"]))["reserved"] == 0


async def test_the_seller_sets_the_fee_and_the_checkout_charges_it(shop: Shop) -> None:
    seller, buyer = await shop.seller(), await shop.buyer(2)
    original = (await seller.get("/api/admin/settings")).json()
    try:
        r = await seller.put("/api/admin/settings", json={
            "auto_confirm_days": original["auto_confirm_days"],
            "deposit_deadline_days": original["deposit_deadline_days"], "shipping_fee": 2500})
        assert r.status_code == 200, r.text
        # Left out of the PUT, the threshold keeps its value.
        assert (r.json()["shipping_fee"], r.json()["free_shipping_over"]) == (
            2500, original["free_shipping_over"])

        product = await shop.product(stock=5, price=10000)
        placed = await shop.place(buyer, product["skus"][0]["_id"], qty=2, method="BANK_TRANSFER")
        assert placed.status_code == 201, placed.text
        order = placed.json()["order"]
        assert (order["shipping_fee"], order["paid_amount"]) == (2500, 22500)

        page = await buyer.get("/checkout", params={"sku": product["skus"][0]["_id"], "qty": 1})
        assert page.status_code == 200 and "2,500원" in page.text
    finally:
        r = await seller.put("/api/admin/settings", json=original)
        assert r.status_code == 200, r.text
        await seller.aclose()
        await buyer.aclose()
