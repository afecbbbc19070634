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


async def _available(shop: Shop, sku: str, n: int) -> bool:
    return (await shop.sku(sku))["available"] == n
