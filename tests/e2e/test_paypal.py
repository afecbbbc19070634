"""PayPal end to end (SPEC §10, PARTNERS.md §3): the buyer pays our KRW order in USD on PayPal's
approval page (the PayPal simulator), we capture server side and record PayPal's amount; the
tracking push waits for the seller's 배송정보 연동 settings and is sent once they are entered;
webhooks are verified (a forgery is 401) and a replay changes nothing; refunds go to the
capture."""

from __future__ import annotations

import json
import uuid
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import httpx

from tests.conftest import Shop, eventually, form_token
from tests.e2e.test_claims_flows import (
    claim_view,
    claims_know,
    item,
    new_buyer,
    open_claim,
    wait_claim,
)
from tests.stack import PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET, PAYPAL_KRW_PER_USD

RATE = Decimal(PAYPAL_KRW_PER_USD)


def usd(krw: int) -> str:
    return f"{(Decimal(krw) / RATE).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):.2f}"


def sim(shop: Shop) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=shop.stack.url("paypalsim"), timeout=30)


async def paypal_order(shop: Shop, buyer: httpx.AsyncClient, sku: str,
                       qty: int = 1) -> tuple[dict[str, Any], dict[str, Any]]:
    """A PayPal order placed and approved by the buyer on PayPal's page, followed back through
    our return URL: (the order once paid, its PayPal payment as integrations records it)."""
    r = await shop.place(buyer, sku, qty=qty, method="PAYPAL")
    assert r.status_code == 201, r.text
    placed = r.json()
    order, payment = placed["order"], placed["payment"]
    assert order["payment_method"] == "PAYPAL" and order["payment_status"] == "PENDING"
    assert (payment["currency"], payment["value"]) == ("USD", usd(order["paid_amount"]))
    async with sim(shop) as pp:
        page = await pp.get(payment["checkout_url"])
        assert page.status_code == 200 and f"USD {payment['value']}" in page.text
        approved = await pp.post(f"/checkoutnow/{payment['payment_id']}/approve")
    assert approved.status_code == 303
    back_to = approved.headers["location"]
    assert back_to.startswith(f"{shop.gateway}/paypal/return?token={payment['payment_id']}")
    # Back at the shop: the capture is ours; the buyer lands on the complete page.
    r = await buyer.get(back_to.removeprefix(shop.gateway))
    assert r.status_code == 303, r.text
    assert r.headers["location"] == f"/orders/{order['order_id']}/complete"
    paid = await shop.wait_status(order["order_id"], "PREPARING")
    async with shop.stack.client("integrations") as integrations:
        recorded = (await integrations.get(f"/paypal/payments/{order['order_id']}")).json()
    return paid, recorded


async def forget_tracking_settings(shop: Shop) -> None:
    async with shop.stack.client("integrations") as integrations:
        r = await integrations.delete("/paypal/tracking-settings")
        assert r.status_code == 204, r.text


async def tasks(shop: Shop, order_id: str, kind: str) -> list[dict[str, Any]]:
    async with shop.stack.client("integrations") as integrations:
        r = await integrations.get("/partner-tasks", params={"order_id": order_id,
                                                             "partner": "PAYPAL"})
        assert r.status_code == 200, r.text
    return [t for t in r.json() if t["kind"] == kind]


async def sim_order(shop: Shop, paypal_order_id: str) -> dict[str, Any]:
    async with sim(shop) as pp:
        r = await pp.get(f"/_sim/orders/{paypal_order_id}")
        assert r.status_code == 200, r.text
        return dict(r.json())


async def test_paid_with_paypal_the_tracking_waits_for_the_settings_then_goes_once(
        shop: Shop) -> None:
    await forget_tracking_settings(shop)
    sku = (await shop.product(stock=5, price=27000))["skus"][0]["_id"]
    buyer, seller = await new_buyer(shop), await shop.seller()
    order, paypal = await paypal_order(shop, buyer, sku)
    oid, sid = order["order_id"], order["sections"][0]["section_id"]

    # Paid once, in KRW here; PayPal's USD amount and capture id beside it.
    assert order["payment_status"] == "PAID" and not order.get("refused_payments")
    assert paypal["confirmed"] and paypal["capture_id"]
    assert (paypal["amount_krw"], paypal["currency"], paypal["captured_value"]) == (
        order["paid_amount"], "USD", usd(order["paid_amount"]))
    held = await sim_order(shop, paypal["paypal_order_id"])
    assert held["status"] == "COMPLETED" and held["captures"][0]["id"] == paypal["capture_id"]
    assert held["purchase_units"][0]["reference_id"] == oid
    paid_entries = [e for e in order["timeline"] if e["action"] == "paid"]
    assert len(paid_entries) == 1 and paid_entries[0]["actor"]["name"] == "PayPal"

    # The admin shows PayPal's amount and warns that tracking will not reach PayPal.
    page = await seller.get(f"/admin/orders/{oid}")
    assert page.status_code == 200
    assert f"USD {usd(order['paid_amount'])}" in page.text
    assert 'id="paypal-tracking-warning"' in page.text

    # Shipped without the settings: the push waits, nothing reaches PayPal.
    r = await seller.post(f"/api/admin/orders/{oid}/sections/{sid}/ship",
                          json={"carrier": "CJ대한통운", "invoice_no": "612345678901"})
    assert r.status_code == 200, r.text

    async def waiting() -> list[dict[str, Any]]:
        return [t for t in await tasks(shop, oid, "track") if t["state"] == "WAITING"]

    [task] = await eventually(waiting, what="the tracking push waiting")
    assert task["body"]["carrier"] == "KOR_CJ" and task["last_error"]
    assert (await sim_order(shop, paypal["paypal_order_id"]))["track_calls"] == []
    settings_page = await seller.get("/admin/integrations/paypal")
    assert 'id="paypal-settings-warning"' in settings_page.text
    status = await seller.get("/admin/integrations?state=WAITING&partner=PAYPAL")
    assert f'data-task="{task["id"]}"' in status.text

    # A wrong secret: PayPal refuses it, the push waits again and says why.
    r = await seller.put("/api/admin/paypal-tracking",
                         json={"client_id": PAYPAL_CLIENT_ID, "client_secret": "wrong-secret"})
    assert r.status_code == 200, r.text
    assert "wrong-secret" not in r.text and "client_secret" not in r.json()

    async def rejected() -> dict[str, Any] | None:
        [t] = await tasks(shop, oid, "track")
        return t if t["state"] == "WAITING" and "거부" in t["last_error"] else None

    await eventually(rejected, what="the push refused for the credentials")
    assert (await sim_order(shop, paypal["paypal_order_id"]))["track_calls"] == []

    # The seller enters the right settings on the settings page: the push goes, once.
    form = await seller.get("/admin/integrations/paypal")
    r = await seller.post("/admin/integrations/paypal", data={
        "csrf_token": form_token(form.text), "client_id": PAYPAL_CLIENT_ID,
        "client_secret": PAYPAL_CLIENT_SECRET, "env": "sandbox"})
    assert r.status_code == 303, r.text
    assert PAYPAL_CLIENT_SECRET not in (await seller.get("/admin/integrations/paypal")).text

    async def done() -> dict[str, Any] | None:
        [t] = await tasks(shop, oid, "track")
        return t if t["state"] == "DONE" else None

    await eventually(done, what="the tracking push done")
    held = await sim_order(shop, paypal["paypal_order_id"])
    [call] = held["track_calls"]
    assert call["body"] == {"capture_id": paypal["capture_id"],
                            "tracking_number": "612345678901", "carrier": "KOR_CJ",
                            "notify_payer": False}
    assert [(t["tracking_number"], t["carrier"]) for t in held["trackers"]] == [
        ("612345678901", "KOR_CJ")]
    # Saving the settings again releases nothing more: still exactly one call.
    r = await seller.put("/api/admin/paypal-tracking",
                         json={"client_id": PAYPAL_CLIENT_ID, "env": "sandbox"})
    assert r.status_code == 200 and r.json()["configured"] and r.json()["secret_set"]
    assert 'id="paypal-tracking-warning"' not in (await seller.get(f"/admin/orders/{oid}")).text

    # 송장 변경: the corrected invoice goes too, Hanjin as OTHER with its Korean name.
    version = (await shop.order(oid))["version"]
    r = await seller.post(f"/api/admin/orders/{oid}/sections/{sid}/invoice",
                          json={"carrier": "한진택배", "invoice_no": "512345678902",
                                "expected_version": version})
    assert r.status_code == 200, r.text

    async def second() -> list[dict[str, Any]] | None:
        calls = (await sim_order(shop, paypal["paypal_order_id"]))["track_calls"]
        return calls if len(calls) == 2 else None

    calls = await eventually(second, what="the corrected invoice pushed")
    assert calls[1]["body"]["carrier"] == "OTHER"
    assert calls[1]["body"]["carrier_name_other"] == "한진택배"
    assert calls[1]["body"]["tracking_number"] == "512345678902"
    assert all(t["state"] == "DONE" for t in await tasks(shop, oid, "track"))


async def test_a_forged_webhook_is_refused_and_a_replayed_one_changes_nothing(
        shop: Shop) -> None:
    sku = (await shop.product(stock=5, price=15000))["skus"][0]["_id"]
    buyer = await new_buyer(shop)
    order, paypal = await paypal_order(shop, buyer, sku)
    async with sim(shop) as pp:
        async def delivered() -> dict[str, Any] | None:
            hooks = (await pp.get("/_sim/webhooks", params={
                "order_id": paypal["paypal_order_id"]})).json()["webhooks"]
            ok = [h for h in hooks if h["event_type"] == "PAYMENT.CAPTURE.COMPLETED"
                  and any(d["status"] == 200 for d in h["deliveries"])]
            return ok[0] if ok else None

        hook = await eventually(delivered, what="PayPal's webhook accepted")
    headers = next(d["headers"] for d in hook["deliveries"] if d["status"] == 200)
    body = hook["body"].encode()
    before = await shop.order(order["order_id"])

    # Forged: no signature, a tampered body under the real headers, a foreign certificate.
    r = await shop.webhooks.post("/webhooks/paypal", content=body,
                                 headers={"content-type": "application/json"})
    assert r.status_code == 401 and r.json()["error"] == "bad_signature"
    event = json.loads(body)
    event["id"] = f"WH-FORGED-{uuid.uuid4().hex[:8]}"
    tampered = json.dumps(event).encode()
    r = await shop.webhooks.post("/webhooks/paypal", content=tampered, headers=headers)
    assert r.status_code == 401
    r = await shop.webhooks.post("/webhooks/paypal", content=body, headers={
        **headers, "paypal-cert-url": "https://evil.example/cert.pem"})
    assert r.status_code == 401

    # Replayed exactly as PayPal sent it, and resent freshly signed: accepted, nothing changes.
    r = await shop.webhooks.post("/webhooks/paypal", content=body, headers=headers)
    assert r.status_code == 200 and r.json() == {"ok": True, "duplicate": True}
    async with sim(shop) as pp:
        r = await pp.post(f"/_sim/webhooks/{hook['id']}/redeliver")
        assert r.json() == {"status": 200, "answer": {"ok": True, "duplicate": True}}
    after = await shop.order(order["order_id"])
    assert after["version"] == before["version"] and not after.get("refused_payments")
    # The buyer's return, again (a reload): the same answer, no second confirmation.
    r = await buyer.get(f"/paypal/return?token={paypal['paypal_order_id']}")
    assert r.status_code == 303
    assert (await shop.order(order["order_id"]))["version"] == before["version"]


async def test_a_webhook_alone_confirms_a_capture_the_buyer_never_came_back_from(
        shop: Shop) -> None:
    """The buyer closed the tab after approving: no return, so nothing is captured until the
    order is settled; PayPal's capture webhook is only a hint that makes us read PayPal."""
    sku = (await shop.product(stock=5, price=8000))["skus"][0]["_id"]
    buyer = await new_buyer(shop)
    r = await shop.place(buyer, sku, method="PAYPAL")
    placed = r.json()
    pid = placed["payment"]["payment_id"]
    async with sim(shop) as pp:
        assert (await pp.post(f"/_sim/orders/{pid}/approve")).status_code == 200
        # Captured by another path (e.g. a second tab): PayPal's webhook tells us.
        token = (await pp.post("/v1/oauth2/token", data={"grant_type": "client_credentials"},
                               auth=(PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET))).json()
        r = await pp.post(f"/v2/checkout/orders/{pid}/capture",
                          headers={"authorization": f"Bearer {token['access_token']}"})
        assert r.status_code == 201, r.text
    paid = await shop.wait_status(placed["order"]["order_id"], "PREPARING")
    assert paid["payment_status"] == "PAID" and not paid.get("refused_payments")


async def test_a_paypal_order_is_refunded_on_its_capture_in_parts_to_the_cent(
        shop: Shop) -> None:
    """Two cancels of one unit each: the first refunds its KRW in USD at the order's rate, the
    last one what is left of the capture (their own conversions would miss a cent)."""
    sku = (await shop.product(stock=5, price=10100))["skus"][0]["_id"]
    buyer = await new_buyer(shop)
    order, paypal = await paypal_order(shop, buyer, sku, qty=2)
    assert (order["paid_amount"], paypal["captured_value"]) == (23200, "17.19")
    await claims_know(shop, order["order_id"], "PREPARING")

    r = await open_claim(buyer, order["order_id"], "CANCEL", [item(order, 1)], "CHANGE_OF_MIND")
    assert r.status_code == 201, r.text
    first = await wait_claim(shop, r.json()["claim_id"], "COMPLETED")
    assert first["settled"]["refund"] == 10100
    held = await sim_order(shop, paypal["paypal_order_id"])
    assert [x["amount"] for x in held["refunds"]] == [{"currency_code": "USD", "value": "7.48"}]

    order = await shop.order(order["order_id"])
    rest = next(s for s in order["sections"] if s["status"] == "PREPARING" and not s.get("claim"))

    async def rest_claimable() -> bool:
        view = await claim_view(shop, order["order_id"])
        return any(x["section_id"] == rest["section_id"] and "CANCEL" in x["allowed"]
                   for x in view["sections"])

    await eventually(rest_claimable, what="claims sees the unit left")
    r = await open_claim(buyer, order["order_id"], "CANCEL", [{
        "section_id": rest["section_id"], "line_id": "L1", "quantity": 1}], "CHANGE_OF_MIND")
    assert r.status_code == 201, r.text
    last = await wait_claim(shop, r.json()["claim_id"], "COMPLETED")
    assert last["settled"]["refund"] == 13100  # the unit and the shipping fee
    held = await sim_order(shop, paypal["paypal_order_id"])
    # 13,100 KRW alone would be 9.70: the last refund gives back the rest of 17.19.
    assert [x["amount"]["value"] for x in held["refunds"]] == ["7.48", "9.71"]
    assert held["captures"][0]["status"] == "REFUNDED"
    async with shop.stack.client("integrations") as integrations:
        recorded = (await integrations.get(f"/paypal/payments/{order['order_id']}")).json()
    assert (recorded["refunded_krw"], recorded["refunded_value"]) == (23200, "17.19")
    # Our PG was never asked.
    assert (await shop.pg.get("/pg/refunds", params={"order_id": order["order_id"]})).json()[
        "refunds"] == []
