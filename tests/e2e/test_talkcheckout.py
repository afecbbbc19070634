"""Talk Checkout orders (no public API: PARTNERS.md §2) through its simulator: the Naver Pay
order model behind the same port, with Talk Checkout's own rules — a cancel request left 6 days
is approved on day 7, a return not decided within 7 days of its pick-up on day 8, an unpaid bank
transfer is cancelled after 23:59 of the next day. What the partner does by its rules, the
order and the claim here follow."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import SHIP_TO, Shop, eventually
from tests.e2e.test_naverpay import claim_of_partner, claim_state, points_of, section_status


def talk(shop: Shop) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=shop.stack.url("talksim"), timeout=30)


async def start(shop: Shop, buyer: httpx.AsyncClient, sku: str, qty: int) -> dict[str, Any]:
    r = await buyer.post("/api/talkcheckout/checkout", json={
        "lines": [{"sku_id": sku, "quantity": qty}], "ship_to": SHIP_TO})
    assert r.status_code == 201, r.text
    started = r.json()
    assert started["checkout_url"].startswith(f"{shop.stack.url('talksim')}/talkcheckout/")
    return started


async def polled_in(shop: Shop, order_id: str) -> dict[str, Any]:
    async def found() -> bool:
        return (await shop.orders_svc.get(f"/orders/{order_id}")).status_code == 200
    await eventually(found, what=f"{order_id} polled in")
    return await shop.wait_status(order_id, "PREPARING")


async def talk_order(shop: Shop, buyer: httpx.AsyncClient, sku: str, qty: int) -> dict[str, Any]:
    started = await start(shop, buyer, sku, qty)
    async with talk(shop) as kakao:
        page = await kakao.get(started["checkout_url"])
        assert "톡체크아웃" in page.text and "무통장입금" in page.text
        paid = await kakao.post(f"{started['checkout_url']}/pay", follow_redirects=False)
        assert paid.headers["location"].endswith("/talkcheckout/complete")
    return await polled_in(shop, f"tc-{started['partner_order_id']}")


async def product_order_id(shop: Shop, order_id: str) -> str:
    async with shop.stack.client("integrations") as c:
        return str((await c.get(f"/partner-orders/{order_id}")).json()["lines"][0][
            "product_order_id"])


async def advance(kakao: httpx.AsyncClient, days: float) -> None:
    r = await kakao.put("/_sim/control", json={"advance_days": days})
    assert r.status_code == 200, r.text


async def test_a_cancel_request_left_six_days_is_approved_by_talk_checkout_on_day_seven(
        shop: Shop) -> None:
    seller = await shop.seller()
    settings = (await seller.get("/api/admin/claim-settings")).json()
    await seller.put("/api/admin/claim-settings",
                     json={**settings, "cancel_preparing_requires_approval": True})
    try:
        sku = (await shop.product(stock=5, price=11000))["skus"][0]["_id"]
        buyer = await shop.buyer(1)
        before = await points_of(buyer)
        order = await talk_order(shop, buyer, sku, 1)
        assert (order["channel"], order["payment_method"]) == ("TALKCHECKOUT", "TALKCHECKOUT")
        po_id = await product_order_id(shop, order["order_id"])
        async with talk(shop) as kakao:
            assert (await kakao.post(f"/_sim/product-orders/{po_id}/claim", json={
                "claimType": "CANCEL", "claimReason": "INTENT_CHANGED"})).status_code == 200
            claim = await claim_of_partner(shop, order["order_id"], "CANCEL")
            assert claim["state"] == "REQUESTED"  # waiting for the seller, who does nothing
            await advance(kakao, 5.9)
            assert (await kakao.get(f"/_sim/product-orders/{po_id}")).json()[
                "claimStatus"] == "CANCEL_REQUEST"  # not yet
            await advance(kakao, 0.2)
            po = (await kakao.get(f"/_sim/product-orders/{po_id}")).json()
            assert (po["claimStatus"], po["claim"]["autoApproved"]) == ("CANCEL_DONE", True)
        done = await claim_state(shop, claim["claim_id"], "COMPLETED")
        assert done["refund"]["partner_tx_id"] == f"talkcheckout:{po_id}"
        assert [h["actor"]["kind"] for h in done["history"] if h.get("after") == "APPROVED"] == [
            "partner"]
        await section_status(shop, order["order_id"], "CANCELLED")
        assert (await shop.sku(sku))["reserved"] == 0
        refunds = (await shop.pg.get("/pg/refunds", params={"order_id": order["order_id"]})).json()
        assert refunds["refunds"] == []  # Talk Checkout refunded the buyer, never our PG
        assert await points_of(buyer) == before
    finally:
        await seller.put("/api/admin/claim-settings", json=settings)


async def test_a_return_not_decided_within_seven_days_of_pick_up_is_approved_on_day_eight(
        shop: Shop) -> None:
    sku = (await shop.product(stock=5, price=9000))["skus"][0]["_id"]
    seller = await shop.seller()
    order = await talk_order(shop, await shop.buyer(2), sku, 1)
    po_id = await product_order_id(shop, order["order_id"])
    base = f"/api/admin/orders/{order['order_id']}/sections/{order['sections'][0]['section_id']}"
    assert (await seller.post(f"{base}/status", json={"to_status": "READY_TO_SHIP"})).status_code == 200
    assert (await seller.post(f"{base}/status", json={
        "to_status": "SHIPPING", "carrier": "롯데택배", "invoice_no": "309912345678"})).status_code == 200
    async with talk(shop) as kakao:
        async def dispatched() -> bool:
            po = (await kakao.get(f"/_sim/product-orders/{po_id}")).json()
            return bool(po["productOrderStatus"] == "DELIVERING"
                        and po["delivery"]["deliveryCompany"] == "HYUNDAI")
        await eventually(dispatched, what="dispatched at Talk Checkout")
        assert (await kakao.post(f"/_sim/product-orders/{po_id}/claim", json={
            "claimType": "RETURN", "claimReason": "PRODUCT_UNSATISFIED"})).status_code == 200
        claim = await claim_of_partner(shop, order["order_id"], "RETURN")
        r = await seller.post(f"/api/admin/claims/{claim['claim_id']}/approve", json={})
        assert r.status_code == 200, r.text
        assert (await kakao.post(f"/_sim/product-orders/{po_id}/collect-done")).status_code == 200
        await advance(kakao, 7.1)
        po = (await kakao.get(f"/_sim/product-orders/{po_id}")).json()
        assert (po["productOrderStatus"], po["claimStatus"]) == ("RETURNED", "RETURN_DONE")
    done = await claim_state(shop, claim["claim_id"], "COMPLETED")
    by_partner = [h.get("after") for h in done["history"] if h["actor"]["kind"] == "partner"]
    assert {"COLLECTED", "REFUNDING"} <= set(by_partner), by_partner  # the seller did nothing
    await section_status(shop, order["order_id"], "RETURNED")


async def test_an_unpaid_bank_transfer_is_cancelled_after_its_deadline_and_never_an_order(
        shop: Shop) -> None:
    sku = (await shop.product(stock=5, price=5000))["skus"][0]["_id"]
    buyer = await shop.buyer(1)
    unpaid, paid = await start(shop, buyer, sku, 1), await start(shop, buyer, sku, 1)
    async with talk(shop) as kakao:
        for started in (unpaid, paid):
            r = await kakao.post(f"{started['checkout_url']}/bank", follow_redirects=False)
            assert r.status_code == 303, r.text
        assert "입금 대기" in (await kakao.get(unpaid["checkout_url"])).text
        r = await kakao.post(f"/_sim/orders/{paid['partner_order_id']}/deposit")
        assert r.status_code == 200, r.text
        await advance(kakao, 2.1)  # past 23:59 of the next day, whatever the hour now
        detail = (await kakao.get(f"/_sim/orders/{unpaid['partner_order_id']}")).json()
        assert [p["productOrderStatus"] for p in detail["productOrders"]] == [
            "CANCELED_BY_NOPAYMENT"]
        r = await kakao.post(f"/_sim/orders/{unpaid['partner_order_id']}/deposit")
        assert r.status_code == 409  # too late
    await polled_in(shop, f"tc-{paid['partner_order_id']}")
    async with shop.stack.client("integrations") as c:
        assert (await c.post("/partner-sync/TALKCHECKOUT")).status_code == 200
    r = await shop.orders_svc.get(f"/orders/tc-{unpaid['partner_order_id']}")
    assert r.status_code == 404  # never paid: never an order here
    assert (await shop.sku(sku))["reserved"] == 1
