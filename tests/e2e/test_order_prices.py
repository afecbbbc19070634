"""Prices come from inventory, never from the caller: an order placed straight on the orders
service with its own price (a free order) is refused by inventory and cancelled, reserving
nothing; orders at the catalogue's price (the gateway prices from it) go through."""

from __future__ import annotations

from typing import Any

from tests.conftest import SHIP_TO, Shop, eventually


def body(product: dict[str, Any], unit_price: int) -> dict[str, Any]:
    sku = product["skus"][0]
    fee = 0 if unit_price * 2 >= 50000 else 3000  # the shop's default rule (orders service)
    return {"buyer": {"member_id": "buyer1", "name": "이구매", "phone": "010-1111-2222"},
            "ship_to": SHIP_TO, "payment_method": "BANK_TRANSFER", "shipping_fee": fee,
            "lines": [{"sku_id": sku["_id"], "product_id": product["_id"],
                       "name": product["name"], "option_label": sku["label"],
                       "unit_price": unit_price, "quantity": 2}],
            "actor": {"kind": "system", "id": "test", "name": "test"}}


async def test_a_caller_priced_free_order_is_refused_by_inventory_and_reserves_nothing(
        shop: Shop) -> None:
    product = await shop.product(stock=5, price=25000)
    sku_id = product["skus"][0]["_id"]

    r = await shop.orders_svc.post("/orders", json=body(product, 0))
    assert r.status_code == 201, r.text

    async def refused() -> dict[str, Any] | None:
        o = await shop.order(r.json()["order_id"])
        return o if o["stock_status"] != "PENDING" else None

    order = await eventually(refused, what="inventory's answer")
    assert (order["stock_status"], order["payment_status"]) == ("REJECTED", "CANCELLED")
    assert "가격이 변경되었습니다" in order["cancel_reason"] and "25,000원" in order["cancel_reason"]
    stock = await shop.sku(sku_id)
    assert (stock["available"], stock["reserved"]) == (5, 0)


async def test_an_order_at_the_catalogue_price_is_reserved(shop: Shop) -> None:
    product = await shop.product(stock=5, price=25000)

    r = await shop.orders_svc.post("/orders", json=body(product, 25000))
    assert r.status_code == 201, r.text

    async def reserved() -> bool:
        return (await shop.order(r.json()["order_id"]))["stock_status"] == "RESERVED"

    await eventually(reserved, what="stock reserved")
    assert (await shop.order(r.json()["order_id"]))["paid_amount"] == 50000
