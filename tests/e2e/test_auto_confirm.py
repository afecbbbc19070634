"""Purchase confirmation happens by itself N days after delivery; tests move the clock."""

from __future__ import annotations

from tests.conftest import Shop
from tests.e2e.test_journey import ship_and_deliver


async def test_a_delivered_order_is_confirmed_automatically_after_the_set_days(shop: Shop) -> None:
    sku = (await shop.product(stock=3, price=30000))["skus"][0]["_id"]
    buyer, seller = await shop.buyer(1), await shop.seller()
    order = await shop.pay_card((await shop.place(buyer, sku)).json())
    await ship_and_deliver(seller, order)
    order = await shop.wait_status(order["order_id"], "DELIVERED")
    assert order["sections"][0]["auto_confirm_at"]

    async with shop.stack.client("orders") as orders_svc:
        days = (await orders_svc.get("/settings")).json()["auto_confirm_days"]
        assert days == 7
        await orders_svc.post("/_test/clock", json={"seconds": 6 * 86400})
        assert (await shop.order(order["order_id"]))["sections"][0]["status"] == "DELIVERED"
        await orders_svc.post("/_test/clock", json={"seconds": 1 * 86400 + 60})
    order = await shop.wait_status(order["order_id"], "CONFIRMED")
    confirm = [e for e in order["timeline"] if e["after"] == "CONFIRMED"][0]
    assert confirm["actor"]["kind"] == "system" and confirm["note"] == "자동 구매확정"
