"""Naver Pay orders through the Naver Pay simulator (a process of its own, Commerce API shapes):
checkout → paid at Naver → polled in as a paid NAVERPAY order → shipped here and dispatched at
Naver → delivered and purchase-decided at Naver → 배송완료 / 구매확정 here, with the cumulative
purchase and points untouched. Shipping entered in Naver's center is not imported."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import SHIP_TO, Shop, eventually


def sim(shop: Shop) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=shop.stack.url("naversim"), timeout=30)


def integrations(shop: Shop) -> httpx.AsyncClient:
    return shop.stack.client("integrations")


async def naver_order(shop: Shop, buyer: httpx.AsyncClient, sku: str, qty: int) -> dict[str, Any]:
    """Checkout with Naver Pay and pay on Naver's page: our order once it is PREPARING."""
    r = await buyer.post("/api/naverpay/checkout", json={
        "lines": [{"sku_id": sku, "quantity": qty}], "ship_to": SHIP_TO, "memo": "문 앞"})
    assert r.status_code == 201, r.text
    started = r.json()
    assert started["checkout_url"].startswith(shop.stack.url("naversim"))
    async with sim(shop) as naver:
        page = await naver.get(started["checkout_url"])
        assert page.status_code == 200 and "결제하기" in page.text
        paid = await naver.post(f"{started['checkout_url']}/pay", follow_redirects=False)
        assert paid.status_code == 303 and paid.headers["location"].endswith("/naverpay/complete")
    order_id = f"np-{started['partner_order_id']}"

    async def polled_in() -> bool:  # the adapter learns the order by polling Naver
        return (await shop.orders_svc.get(f"/orders/{order_id}")).status_code == 200
    await eventually(polled_in, what=f"order {order_id} polled in")
    return await shop.wait_status(order_id, "PREPARING")


async def section_status(shop: Shop, order_id: str, status: str) -> dict[str, Any]:
    async def check() -> dict[str, Any] | None:
        o = await shop.order(order_id)
        return o if all(s["status"] == status for s in o["sections"]) else None
    return await eventually(check)


async def points_of(buyer: httpx.AsyncClient) -> tuple[int, int]:
    p = (await buyer.get("/api/me/points")).json()
    return p["points"], p["cumulative_purchase"]


async def test_a_naver_pay_order_from_checkout_to_purchase_decided(shop: Shop) -> None:
    product = await shop.product(stock=10, price=12000)
    sku = product["skus"][0]["_id"]
    buyer, seller = await shop.buyer(1), await shop.seller()
    before_points = await points_of(buyer)
    order = await naver_order(shop, buyer, sku, 2)
    assert (order["channel"], order["payment_method"], order["payment_status"]) == (
        "NAVERPAY", "NAVERPAY", "PAID")
    assert order["paid_amount"] == 2 * 12000 + order["shipping_fee"]
    assert order["buyer"]["member_id"] == "buyer1"
    assert (await shop.sku(sku))["reserved"] == 2
    partner = (await integrations(shop).get(f"/partner-orders/{order['order_id']}")).json()
    [line] = partner["lines"]

    # the seller ships here: Naver gets the dispatch with its company code
    base = f"/api/admin/orders/{order['order_id']}/sections/{order['sections'][0]['section_id']}"
    assert (await seller.post(f"{base}/status", json={"to_status": "READY_TO_SHIP"})).status_code == 200
    async with sim(shop) as naver:  # 배송대기 here = 발주 확인 at Naver
        await eventually(lambda: _confirmed(naver, line["product_order_id"]))
    r = await seller.post(f"{base}/status", json={"to_status": "SHIPPING", "carrier": "한진택배",
                                                  "invoice_no": "512345678901"})
    assert r.status_code == 200, r.text
    async with sim(shop) as naver:
        async def dispatched() -> dict[str, Any] | None:
            po = (await naver.get(f"/_sim/product-orders/{line['product_order_id']}")).json()
            return po if po["productOrderStatus"] == "DELIVERING" else None
        po = await eventually(dispatched)
        assert (po["delivery"]["deliveryCompany"], po["delivery"]["trackingNumber"]) == (
            "HANJIN", "512345678901")
        # 송장 변경 here: Naver gets the corrected invoice (dispatch again)
        r = await seller.post(f"{base}/invoice", json={"carrier": "CJ대한통운",
                                                       "invoice_no": "600098765432"})
        assert r.status_code == 200, r.text

        async def corrected() -> dict[str, Any] | None:
            po = (await naver.get(f"/_sim/product-orders/{line['product_order_id']}")).json()
            return po if po["delivery"]["trackingNumber"] == "600098765432" else None
        po = await eventually(corrected, what="the corrected invoice at Naver")
        assert po["delivery"]["deliveryCompany"] == "CJGLS"
        # delivered at Naver (no change row there): the adapter re-reads shipping lines
        assert (await naver.post(f"/_sim/product-orders/{po['_id']}/deliver")).status_code == 200
        await section_status(shop, order["order_id"], "DELIVERED")
        assert (await naver.post(f"/_sim/product-orders/{po['_id']}/decide")).status_code == 200
    confirmed = await section_status(shop, order["order_id"], "CONFIRMED")
    assert [e["actor"]["kind"] for e in confirmed["timeline"] if e["after"] == "CONFIRMED"] == [
        "partner"]
    tasks = (await integrations(shop).get("/partner-tasks",
                                          params={"order_id": order["order_id"]})).json()
    assert sorted((t["kind"], t["state"]) for t in tasks) == [
        ("confirm", "DONE"), ("dispatch", "DONE"), ("dispatch", "DONE")]
    # a simple-pay purchase earns no points and never counts toward the cumulative purchase
    assert await points_of(buyer) == before_points


async def _confirmed(naver: httpx.AsyncClient, po_id: str) -> bool:
    po = (await naver.get(f"/_sim/product-orders/{po_id}")).json()
    return bool(po.get("placeOrderStatus") == "OK")


async def test_shipping_entered_in_naver_center_is_not_imported(shop: Shop) -> None:
    sku = (await shop.product(stock=5, price=9000))["skus"][0]["_id"]
    order = await naver_order(shop, await shop.buyer(2), sku, 1)
    partner = (await integrations(shop).get(f"/partner-orders/{order['order_id']}")).json()
    async with sim(shop) as naver:
        r = await naver.post(f"/_sim/product-orders/{partner['lines'][0]['product_order_id']}"
                             "/center-dispatch", json={"deliveryCompanyCode": "CJGLS",
                                                       "trackingNumber": "699900001111"})
        assert r.status_code == 200, r.text
    shipped = await section_status(shop, order["order_id"], "SHIPPING")
    section = shipped["sections"][0]
    assert (section["carrier"], section["invoice_no"]) == ("", "")  # Naver's invoice stays there
    assert [e["note"] for e in shipped["timeline"] if e["after"] == "SHIPPING"] == [
        "partner_center"]
    partner = (await integrations(shop).get(f"/partner-orders/{order['order_id']}")).json()
    assert partner["lines"][0]["shipped_outside"] and partner["lines"][0]["dispatched"] is None


async def test_a_naver_line_is_not_split_by_quantity(shop: Shop) -> None:
    sku = (await shop.product(stock=5, price=5000))["skus"][0]["_id"]
    order = await naver_order(shop, await shop.buyer(1), sku, 3)
    seller = await shop.seller()
    sid = order["sections"][0]["section_id"]
    r = await seller.post(f"/api/admin/orders/{order['order_id']}/sections/{sid}/split",
                          json={"items": [{"line_id": "L1", "quantity": 1}]})
    assert r.status_code == 400, r.text
    assert (r.json()["error"], r.json()["key"]) == ("partner_ships_whole_lines",
                                                    "partner_ships_whole_lines")
    assert len((await shop.order(order["order_id"]))["sections"]) == 1


async def test_rate_limits_and_failures_at_naver_delay_the_sync_but_lose_nothing(
        shop: Shop) -> None:
    sku = (await shop.product(stock=20, price=3000))["skus"][0]["_id"]
    buyer = await shop.buyer(2)
    async with sim(shop) as naver:
        # a tight bucket, every token expired, and the next 6 calls failing with 500
        r = await naver.put("/_sim/control", json={"rate": 2, "burst": 2, "fail_next": 6,
                                                   "expire_tokens": True})
        assert r.status_code == 200
        try:
            orders = [await naver_order(shop, buyer, sku, 1) for _ in range(3)]
        finally:
            await naver.put("/_sim/control", json={"rate": 20, "burst": 40, "fail_next": 0})
    assert len({o["order_id"] for o in orders}) == 3
    assert (await shop.sku(sku))["reserved"] == 3  # each order placed and reserved once


# ---- claims, both ways ----

async def claim_of_partner(shop: Shop, order_id: str, kind: str) -> dict[str, Any]:
    """The claim the buyer's request at Naver opened here, once orders moved its units."""
    async def opened() -> dict[str, Any] | None:
        async with shop.stack.client("claims") as c:
            claims = (await c.get(f"/orders/{order_id}/claims")).json()["claims"]
        found = [x for x in claims if x["kind"] == kind and x["partner_claim_id"]]
        return found[0] if found and found[0]["moved"] else None
    return await eventually(opened, what=f"{kind} claim of {order_id} opened from Naver")


async def claim_state(shop: Shop, claim_id: str, state: str) -> dict[str, Any]:
    async def check() -> dict[str, Any] | None:
        async with shop.stack.client("claims") as c:
            found = (await c.get(f"/claims/{claim_id}")).json()
        return found if found["state"] == state else None
    return await eventually(check, what=f"claim {claim_id} {state}")


async def naver_po(naver: httpx.AsyncClient, po_id: str, **wanted: Any) -> dict[str, Any]:
    async def check() -> dict[str, Any] | None:
        po = (await naver.get(f"/_sim/product-orders/{po_id}")).json()
        return po if all(po.get(k) == v or (po.get("claim") or {}).get(k) == v
                         for k, v in wanted.items()) else None
    return await eventually(check, what=f"Naver product order {po_id} with {wanted}")


async def test_a_cancel_requested_at_naver_is_approved_here_and_refunded_by_naver(
        shop: Shop) -> None:
    seller = await shop.seller()
    settings = (await seller.get("/api/admin/claim-settings")).json()
    r = await seller.put("/api/admin/claim-settings",
                         json={**settings, "cancel_preparing_requires_approval": True})
    assert r.status_code == 200, r.text
    try:
        await a_cancel_approved_here(shop, seller)
    finally:
        await seller.put("/api/admin/claim-settings", json=settings)


async def test_a_cancel_at_naver_of_a_preparing_order_goes_through_at_once(shop: Shop) -> None:
    """The shop's rule (no approval needed while PREPARING) holds for Naver orders too."""
    sku = (await shop.product(stock=5, price=4000))["skus"][0]["_id"]
    order = await naver_order(shop, await shop.buyer(2), sku, 1)
    po_id = (await integrations(shop).get(f"/partner-orders/{order['order_id']}")).json()[
        "lines"][0]["product_order_id"]
    async with sim(shop) as naver:
        assert (await naver.post(f"/_sim/product-orders/{po_id}/claim", json={
            "claimType": "CANCEL", "claimReason": "DELAYED_DELIVERY"})).status_code == 200
        claim = await claim_of_partner(shop, order["order_id"], "CANCEL")
        assert claim["reason_code"] == "DELAYED"
        await claim_state(shop, claim["claim_id"], "COMPLETED")
        await naver_po(naver, po_id, productOrderStatus="CANCELED", claimStatus="CANCEL_DONE")


async def a_cancel_approved_here(shop: Shop, seller: httpx.AsyncClient) -> None:
    sku = (await shop.product(stock=5, price=15000))["skus"][0]["_id"]
    buyer = await shop.buyer(1)
    before_points = await points_of(buyer)
    order = await naver_order(shop, buyer, sku, 2)
    po_id = (await integrations(shop).get(f"/partner-orders/{order['order_id']}")).json()[
        "lines"][0]["product_order_id"]
    async with sim(shop) as naver:
        r = await naver.post(f"/_sim/product-orders/{po_id}/claim", json={
            "claimType": "CANCEL", "claimReason": "INTENT_CHANGED",
            "claimDetailedReason": "다른 색으로 살게요"})
        assert r.status_code == 200, r.text
        claim = await claim_of_partner(shop, order["order_id"], "CANCEL")
        assert (claim["state"], claim["reason_code"]) == ("REQUESTED", "CHANGE_OF_MIND")
        assert claim["opened_by"]["kind"] == "partner"
        # Naver has no call to reject a cancel: refused here, with the reason, and nothing moves
        r = await seller.post(f"/api/admin/claims/{claim['claim_id']}/reject",
                              json={"reason": "이미 포장했어요"})
        assert r.status_code == 409, r.text
        assert r.json()["key"] == "claim_partner_no_cancel_reject"
        r = await seller.post(f"/api/admin/claims/{claim['claim_id']}/approve", json={})
        assert r.status_code == 200, r.text
        done = await claim_state(shop, claim["claim_id"], "COMPLETED")
        assert done["refund"]["partner_tx_id"] == f"naverpay:{po_id}"
        po = await naver_po(naver, po_id, productOrderStatus="CANCELED")
        assert po["claimStatus"] == "CANCEL_DONE"
    # never our PG: Naver refunded the buyer
    refunds = (await shop.pg.get("/pg/refunds", params={"order_id": order["order_id"]})).json()
    assert refunds["refunds"] == []
    await section_status(shop, order["order_id"], "CANCELLED")
    assert (await shop.sku(sku))["reserved"] == 0
    assert await points_of(buyer) == before_points


async def test_a_return_requested_at_naver_is_held_released_and_approved(shop: Shop) -> None:
    sku = (await shop.product(stock=5, price=20000))["skus"][0]["_id"]
    buyer, seller = await shop.buyer(2), await shop.seller()
    before_points = await points_of(buyer)
    order = await naver_order(shop, buyer, sku, 1)
    po_id = (await integrations(shop).get(f"/partner-orders/{order['order_id']}")).json()[
        "lines"][0]["product_order_id"]
    base = f"/api/admin/orders/{order['order_id']}/sections/{order['sections'][0]['section_id']}"
    assert (await seller.post(f"{base}/status", json={"to_status": "READY_TO_SHIP"})).status_code == 200
    assert (await seller.post(f"{base}/status", json={
        "to_status": "SHIPPING", "carrier": "CJ대한통운", "invoice_no": "600012345678"})).status_code == 200
    async with sim(shop) as naver:
        await naver_po(naver, po_id, productOrderStatus="DELIVERING")
        assert (await naver.post(f"/_sim/product-orders/{po_id}/deliver")).status_code == 200
        await section_status(shop, order["order_id"], "DELIVERED")
        r = await naver.post(f"/_sim/product-orders/{po_id}/claim", json={
            "claimType": "RETURN", "claimReason": "BROKEN", "claimDetailedReason": "깨져서 왔어요"})
        assert r.status_code == 200, r.text
        claim = await claim_of_partner(shop, order["order_id"], "RETURN")
        assert claim["reason_code"] == "DEFECT" and claim["reason"] == "깨져서 왔어요"
        cid = claim["claim_id"]
        # a hold of a Naver return names one of Naver's hold reasons
        r = await seller.post(f"/api/admin/claims/{cid}/hold", json={"reason": "확인 중"})
        assert r.status_code == 400 and r.json()["key"] == "claim_partner_hold_code", r.text
        for action, body in [("approve", {}), ("hold", {"reason": "반품 배송비 확인",
                                                       "hold_code": "RETURN_DELIVERYFEE"})]:
            r = await seller.post(f"/api/admin/claims/{cid}/{action}", json=body)
            assert r.status_code == 200, r.text
        held = await naver_po(naver, po_id, holdbackStatus="HOLDBACK")
        assert held["claim"]["holdbackReason"] == "RETURN_DELIVERYFEE"
        assert (await naver.post(f"/_sim/product-orders/{po_id}/collect-done")).status_code == 200
        assert (await seller.post(f"/api/admin/claims/{cid}/release", json={})).status_code == 200
        await naver_po(naver, po_id, holdbackStatus="RELEASED")
        for action in ("collect", "complete"):
            r = await seller.post(f"/api/admin/claims/{cid}/{action}", json={})
            assert r.status_code == 200, r.text
        await claim_state(shop, cid, "COMPLETED")
        po = await naver_po(naver, po_id, productOrderStatus="RETURNED")
        assert po["claimStatus"] == "RETURN_DONE"
    tasks = (await integrations(shop).get("/partner-tasks",
                                          params={"order_id": order["order_id"]})).json()
    calls = sorted(t["body"].get("call", t["kind"]) for t in tasks)
    assert calls == ["confirm", "dispatch", "return/approve", "return/holdback",
                     "return/holdback/release"]
    assert all(t["state"] == "DONE" for t in tasks)
    await section_status(shop, order["order_id"], "RETURNED")
    assert await points_of(buyer) == before_points


async def test_a_return_rejected_here_is_rejected_at_naver(shop: Shop) -> None:
    sku = (await shop.product(stock=5, price=8000))["skus"][0]["_id"]
    order = await naver_order(shop, await shop.buyer(1), sku, 1)
    seller = await shop.seller()
    po_id = (await integrations(shop).get(f"/partner-orders/{order['order_id']}")).json()[
        "lines"][0]["product_order_id"]
    async with sim(shop) as naver:
        assert (await naver.post(f"/_sim/product-orders/{po_id}/center-dispatch", json={
            "deliveryCompanyCode": "EPOST", "trackingNumber": "6865000011112"})).status_code == 200
        await section_status(shop, order["order_id"], "SHIPPING")
        assert (await naver.post(f"/_sim/product-orders/{po_id}/claim", json={
            "claimType": "EXCHANGE", "claimReason": "COLOR_AND_SIZE"})).status_code == 200
        claim = await claim_of_partner(shop, order["order_id"], "EXCHANGE")
        r = await seller.post(f"/api/admin/claims/{claim['claim_id']}/reject",
                              json={"reason": "착용 흔적이 있습니다"})
        assert r.status_code == 200, r.text
        po = await naver_po(naver, po_id, claimStatus="EXCHANGE_REJECT")
        assert po["claim"]["rejectReason"] == "착용 흔적이 있습니다"
    await section_status(shop, order["order_id"], "SHIPPING")  # the units are back


async def test_a_cancel_the_seller_opens_here_is_requested_and_approved_at_naver(
        shop: Shop) -> None:
    sku = (await shop.product(stock=5, price=7000))["skus"][0]["_id"]
    order = await naver_order(shop, await shop.buyer(2), sku, 1)
    seller = await shop.seller()
    po_id = (await integrations(shop).get(f"/partner-orders/{order['order_id']}")).json()[
        "lines"][0]["product_order_id"]
    sid = order["sections"][0]["section_id"]
    r = await seller.post(f"/api/admin/orders/{order['order_id']}/claims", json={
        "kind": "EXCHANGE", "items": [{"section_id": sid, "line_id": "L1", "quantity": 1}],
        "reason_code": "DEFECT"})
    assert r.status_code == 409 and r.json()["key"] == "claim_partner_no_exchange", r.text
    r = await seller.post(f"/api/admin/orders/{order['order_id']}/claims", json={
        "kind": "CANCEL", "items": [{"section_id": sid, "line_id": "L1", "quantity": 1}],
        "reason_code": "OTHER", "reason": "품절"})
    assert r.status_code == 201, r.text
    await claim_state(shop, r.json()["claim_id"], "COMPLETED")
    async with sim(shop) as naver:
        po = await naver_po(naver, po_id, productOrderStatus="CANCELED")
    assert (po["claim"]["requestChannel"], po["claim"]["claimReason"]) == ("판매자", "SOLD_OUT")
    # Naver's claim (seen by the next poll) is adopted, not opened here a second time
    assert (await integrations(shop).post("/partner-sync/naverpay")).status_code == 200
    async with shop.stack.client("claims") as c:
        claims = (await c.get(f"/orders/{order['order_id']}/claims")).json()["claims"]
    assert [x["partner_claim_id"] for x in claims] == [""]


async def test_the_adapter_killed_mid_poll_misses_nothing_and_doubles_nothing(shop: Shop) -> None:
    sku = (await shop.product(stock=10, price=2000))["skus"][0]["_id"]
    buyer = await shop.buyer(1)
    query = "/external/v1/pay-order/seller/product-orders/query"
    async with sim(shop) as naver:
        # every Naver call now takes 2 s: a poll that read the changes is slow on the details
        assert (await naver.put("/_sim/control", json={"delay_ms": 2000})).status_code == 200
        try:
            order_ids = []
            for _ in range(3):
                r = await buyer.post("/api/naverpay/checkout", json={
                    "lines": [{"sku_id": sku, "quantity": 1}], "ship_to": SHIP_TO})
                assert r.status_code == 201, r.text
                started = r.json()
                await naver.post(f"{started['checkout_url']}/pay")
                order_ids.append(f"np-{started['partner_order_id']}")
            before = (await naver.get("/_sim/control")).json()["calls"].get(query, 0)

            async def asking_details() -> bool:
                calls = (await naver.get("/_sim/control")).json()["calls"]
                return calls.get(query, 0) > before
            await eventually(asking_details, timeout=30, what="the poll asking for details")
            shop.stack.stop("integrations", kill=True)  # mid-poll: the details are in flight
        finally:
            await naver.put("/_sim/control", json={"delay_ms": 0})
    try:
        for order_id in order_ids:  # the killed poll applied nothing
            assert (await shop.orders_svc.get(f"/orders/{order_id}")).status_code == 404
    finally:
        shop.stack.start("integrations")
    for order_id in order_ids:
        async def polled_in(o: str = order_id) -> bool:
            return (await shop.orders_svc.get(f"/orders/{o}")).status_code == 200
        await eventually(polled_in, timeout=60, what=f"{order_id} polled in after the restart")
        order = await shop.wait_status(order_id, "PREPARING")
        actions = [e["action"] for e in order["timeline"]]
        assert actions.count("placed") == 1 and actions.count("stock_reserved") == 1, actions
    assert (await shop.sku(sku))["reserved"] == 3  # each order reserved once


async def test_a_call_naver_refuses_is_a_visible_dead_letter_retried_or_given_up(
        shop: Shop) -> None:
    sku = (await shop.product(stock=5, price=6000))["skus"][0]["_id"]
    seller = await shop.seller()
    svc = integrations(shop)
    orders = [await naver_order(shop, await shop.buyer(1), sku, 1) for _ in range(2)]
    async with sim(shop) as naver:
        for order in orders:
            base = f"/api/admin/orders/{order['order_id']}/sections/{order['sections'][0]['section_id']}"
            assert (await seller.post(f"{base}/status", json={"to_status": "READY_TO_SHIP"})).status_code == 200

            async def confirmed(oid: str = order["order_id"]) -> bool:
                tasks = (await svc.get("/partner-tasks", params={"order_id": oid})).json()
                return [t["state"] for t in tasks] == ["DONE"]
            await eventually(confirmed, what="발주 확인 sent")
            assert (await naver.put("/_sim/control", json={"refuse_writes": 1})).status_code == 200
            assert (await seller.post(f"{base}/status", json={
                "to_status": "SHIPPING", "carrier": "한진택배",
                "invoice_no": "51234567890" + order["order_id"][-1]})).status_code == 200

            async def dead(oid: str = order["order_id"]) -> dict[str, Any] | None:
                tasks = (await svc.get("/partner-tasks", params={"order_id": oid,
                                                                  "state": "DEAD"})).json()
                return tasks[0] if tasks else None
            task = await eventually(dead, what="the refused dispatch dead-lettered")
            assert task["kind"] == "dispatch" and "104442" in task["last_error"]
        counts = (await svc.get("/partner-tasks/counts")).json()
        assert counts["NAVERPAY"]["DEAD"] >= 2
        first, second = [(await svc.get("/partner-tasks", params={
            "order_id": o["order_id"], "state": "DEAD"})).json()[0] for o in orders]
        # retried once Naver accepts again: sent, the line is shipping at Naver
        assert (await svc.post(f"/partner-tasks/{first['id']}/retry")).status_code == 204
        po = first["body"]["dispatchProductOrders"][0]["productOrderId"]
        await naver_po(naver, po, productOrderStatus="DELIVERING")
        # given up (e.g. done by hand in Naver's center): cancelled, not tried again
        assert (await svc.post(f"/partner-tasks/{second['id']}/cancel")).status_code == 204
        r = await svc.post(f"/partner-tasks/{second['id']}/cancel")
        assert r.status_code == 409 and r.json()["key"] == "partner_task_finished"
        assert (await svc.post("/partner-tasks/nope/cancel")).status_code == 404
    states = {t["id"]: t["state"] for t in (await svc.get("/partner-tasks")).json()}
    assert (states[first["id"]], states[second["id"]]) == ("DONE", "CANCELLED")
