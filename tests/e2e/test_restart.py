"""Killing a service in the middle of a journey loses nothing and applies nothing twice."""

from __future__ import annotations

from tests.conftest import Shop, eventually
from tests.e2e.test_journey import ship_and_deliver


async def test_orders_service_killed_mid_journey_resumes_exactly_once(shop: Shop) -> None:
    sku = (await shop.product(stock=4, price=12000))["skus"][0]["_id"]
    buyer, seller = await shop.buyer(1), await shop.seller()
    placed = (await shop.place(buyer, sku, qty=2)).json()
    order_id = placed["order"]["order_id"]

    shop.stack.stop("orders", kill=True)
    try:
        # The PG confirms while orders is down: the event waits in Kafka.
        r = await shop.pg.post(f"/pg/payments/{placed['payment']['payment_id']}/approve")
        assert r.status_code == 200, r.text
        # A replayed webhook on top must still count once.
        r = await shop.pg.post(f"/pg/payments/{placed['payment']['payment_id']}/approve")
        assert r.status_code == 200
    finally:
        shop.stack.start("orders")

    order = await shop.wait_status(order_id, "PREPARING", timeout=60)
    await ship_and_deliver(seller, order)
    shop.stack.stop("orders")  # graceful this time, between delivery and confirmation
    shop.stack.start("orders")
    r = await buyer.post(f"/api/me/orders/{order_id}/confirm-purchase")
    assert r.status_code == 200, r.text
    order = await shop.wait_status(order_id, "CONFIRMED")

    actions = [e["action"] for e in order["timeline"]]
    assert actions.count("paid") == 1
    assert actions.count("stock_reserved") == 1
    assert [e["after"] for e in order["timeline"] if e["action"] == "section_status"] == [
        "PREPARING", "READY_TO_SHIP", "SHIPPING", "DELIVERED", "CONFIRMED"]
    stock = await shop.sku(sku)
    assert (stock["available"], stock["reserved"], stock["sold"]) == (2, 0, 2)
    ledger = (await shop.inventory.get(f"/skus/{sku}/ledger")).json()["entries"]
    assert [e["kind"] for e in ledger] == ["initial", "reserve", "sold"]

    async def points_once() -> bool:
        async with shop.stack.client("coupons") as c:
            ledger = (await c.get("/members/buyer1/points")).json()["ledger"]
        return [e["order_id"] for e in ledger].count(order_id) == 1

    await eventually(points_once, what="points granted once")
