"""Carrier tracking (배송조회): a shipped section's parcel is polled at the carrier (the tracker
simulator, tracker.delivery's GraphQL shape); the carrier's DELIVERED moves the section by itself,
an invoice change restarts the tracking, a failing tracker only delays it."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.conftest import Shop, eventually

CARRIER_IDS = {"CJ대한통운": "kr.cjlogistics", "한진택배": "kr.hanjin"}


def invoice_no() -> str:
    return str(uuid.uuid4().int)[:12]


def tracker(shop: Shop) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=shop.stack.url("trackersim"), timeout=30)


async def shipped(shop: Shop, carrier: str, invoice: str) -> tuple[httpx.AsyncClient, str, str]:
    """A storefront card order, paid and shipped with a typed invoice: (seller, order, section)."""
    sku = (await shop.product(stock=5))["skus"][0]["_id"]
    buyer, seller = await shop.buyer(1), await shop.seller()
    order = await shop.pay_card((await shop.place(buyer, sku)).json())
    oid, sid = order["order_id"], order["sections"][0]["section_id"]
    url = f"/api/admin/orders/{oid}/sections/{sid}/status"
    assert (await seller.post(url, json={"to_status": "READY_TO_SHIP"})).status_code == 200
    r = await seller.post(url, json={"to_status": "SHIPPING", "carrier": carrier,
                                     "invoice_no": invoice})
    assert r.status_code == 200, r.text
    return seller, oid, sid


async def scan(sim: httpx.AsyncClient, carrier: str, invoice: str, code: str,
               location: str = "") -> None:
    r = await sim.post(f"/_sim/parcels/{CARRIER_IDS[carrier]}/{invoice}/events",
                       json={"code": code, "location": location})
    assert r.status_code == 201, r.text


async def parcel(integrations: httpx.AsyncClient, oid: str) -> dict[str, Any] | None:
    r = await integrations.get(f"/tracking/{oid}")
    assert r.status_code == 200, r.text
    parcels = r.json()["parcels"]
    assert len(parcels) <= 1
    return parcels[0] if parcels else None


async def polled_at_least(integrations: httpx.AsyncClient, oid: str, invoice: str,
                          n: int) -> dict[str, Any]:
    async def check() -> dict[str, Any] | None:
        p = await parcel(integrations, oid)
        return p if p and p["invoice_no"] == invoice and p["polls"] >= n else None

    found: dict[str, Any] = await eventually(check, 30, f"{invoice} polled {n} times")
    return found


async def test_the_carriers_delivered_scan_delivers_the_section_by_itself(shop: Shop) -> None:
    invoice = invoice_no()
    integrations = shop.stack.client("integrations")
    async with tracker(shop) as sim, integrations:
        r = await sim.post("/_sim/parcels", json={"carrierId": "kr.cjlogistics",
                                                  "trackingNumber": invoice})
        assert r.status_code == 201, r.text
        seller, oid, sid = await shipped(shop, "CJ대한통운", invoice)

        # Not scanned yet: the tracker answers NOT_FOUND, polled again and again, still shipping.
        p = await polled_at_least(integrations, oid, invoice, 2)
        assert (p["state"], p["carrier_id"], p["events"]) == ("TRACKING", "kr.cjlogistics", [])
        assert p["tracking_url"].endswith(invoice) and "cjlogistics" in p["tracking_url"]

        await scan(sim, "CJ대한통운", invoice, "AT_PICKUP", "서울강남")
        await scan(sim, "CJ대한통운", invoice, "IN_TRANSIT", "대전HUB")

        async def two_events() -> dict[str, Any] | None:
            q = await parcel(integrations, oid)
            return q if q and len(q["events"]) == 2 else None

        p = await eventually(two_events, 30, "the pickup and transit scans tracked")
        assert [(e["code"], e["location"]) for e in p["events"]] == [
            ("AT_PICKUP", "서울강남"), ("IN_TRANSIT", "대전HUB")]
        assert p["last_status"] == "IN_TRANSIT"
        order = await shop.order(oid)
        assert order["sections"][0]["status"] == "SHIPPING"
        assert order["sections"][0]["auto_confirm_at"] is None

        await scan(sim, "CJ대한통운", invoice, "DELIVERED", "서울강남")
        order = await shop.wait_status(oid, "DELIVERED", timeout=30)
        section = order["sections"][0]
        assert section["section_id"] == sid and section["auto_confirm_at"]
        [step] = [e for e in order["timeline"] if e["action"] == "section_status"
                  and e["after"] == "DELIVERED"]
        assert step["actor"]["kind"] == "system" and step["actor"]["id"] == "carrier-tracking"

        p = await parcel(integrations, oid) or {}
        assert p["state"] == "DELIVERED" and p["delivered_at"]
        assert [e["code"] for e in p["events"]] == ["AT_PICKUP", "IN_TRANSIT", "DELIVERED"]
        # Delivered: the parcel is polled no more.
        polls = p["polls"]
        r = await integrations.post("/tracking-sync")
        assert r.status_code == 200
        assert (await parcel(integrations, oid) or {})["polls"] == polls

        # 배송조회 on the seller's and the buyer's order pages: Korean names, the carrier's page.
        buyer = await shop.buyer(1)
        for client, url in ((seller, f"/admin/orders/{oid}"), (buyer, f"/my/orders/{oid}")):
            page = (await client.get(url)).text
            card = page[page.index('id="tracking"'):]
            assert "배송조회" in page and invoice in card
            assert card.index("배송 완료") < card.index("상품 이동중") < card.index("상품 인수")
            assert "서울강남" in card and "trace.cjlogistics.com" in card


async def test_an_invoice_change_restarts_tracking_with_the_new_invoice(shop: Shop) -> None:
    old, new = invoice_no(), invoice_no()
    integrations = shop.stack.client("integrations")
    async with tracker(shop) as sim, integrations:
        seller, oid, sid = await shipped(shop, "CJ대한통운", old)
        await scan(sim, "CJ대한통운", old, "AT_PICKUP")

        async def old_scanned() -> bool:
            p = await parcel(integrations, oid)
            return bool(p and p["events"])

        await eventually(old_scanned, 30, "the old invoice's pickup tracked")
        r = await seller.post(f"/api/admin/orders/{oid}/sections/{sid}/invoice",
                              json={"carrier": "한진택배", "invoice_no": new})
        assert r.status_code == 200, r.text

        # The old parcel is delivered at its carrier: it is no longer ours to follow.
        await scan(sim, "CJ대한통운", old, "DELIVERED")
        p = await polled_at_least(integrations, oid, new, 3)
        assert (p["carrier"], p["carrier_id"], p["state"], p["events"]) == (
            "한진택배", "kr.hanjin", "TRACKING", [])
        assert (await shop.order(oid))["sections"][0]["status"] == "SHIPPING"

        await scan(sim, "한진택배", new, "AT_PICKUP")
        await scan(sim, "한진택배", new, "DELIVERED")
        await shop.wait_status(oid, "DELIVERED", timeout=30)
        p = await parcel(integrations, oid) or {}
        assert p["state"] == "DELIVERED" and p["invoice_no"] == new
        assert [e["code"] for e in p["events"]] == ["AT_PICKUP", "DELIVERED"]


async def test_a_failing_tracker_delays_delivery_but_loses_nothing(shop: Shop) -> None:
    invoice = invoice_no()
    integrations = shop.stack.client("integrations")
    async with tracker(shop) as sim, integrations:
        _seller, oid, _sid = await shipped(shop, "CJ대한통운", invoice)
        await polled_at_least(integrations, oid, invoice, 1)
        r = await sim.put("/_sim/control", json={"fail_next": 4})
        assert r.status_code == 200, r.text
        await scan(sim, "CJ대한통운", invoice, "AT_PICKUP")
        await scan(sim, "CJ대한통운", invoice, "OUT_FOR_DELIVERY")
        await scan(sim, "CJ대한통운", invoice, "DELIVERED")

        async def failed_then_delivered() -> dict[str, Any] | None:
            p = await parcel(integrations, oid)
            return p if p and p["state"] == "DELIVERED" else None

        p = await eventually(failed_then_delivered, 40, "delivered after the tracker's faults")
        assert (await sim.get("/_sim/control")).json()["fail_next"] == 0
        assert [e["code"] for e in p["events"]] == ["AT_PICKUP", "OUT_FOR_DELIVERY", "DELIVERED"]
        await shop.wait_status(oid, "DELIVERED", timeout=30)


async def test_a_section_delivered_by_hand_stops_its_tracking(shop: Shop) -> None:
    invoice = invoice_no()
    integrations = shop.stack.client("integrations")
    async with tracker(shop) as sim, integrations:
        seller, oid, sid = await shipped(shop, "CJ대한통운", invoice)
        await polled_at_least(integrations, oid, invoice, 1)
        r = await seller.post(f"/api/admin/orders/{oid}/sections/{sid}/status",
                              json={"to_status": "DELIVERED"})
        assert r.status_code == 200, r.text

        async def closed() -> bool:
            p = await parcel(integrations, oid)
            return bool(p and p["state"] == "CLOSED")

        await eventually(closed, 30, "tracking closed")
        # A late carrier scan changes nothing: the seller's delivery stands, once.
        await scan(sim, "CJ대한통운", invoice, "DELIVERED")
        await integrations.post("/tracking-sync")
        order = await shop.order(oid)
        steps = [e for e in order["timeline"] if e["action"] == "section_status"
                 and e["after"] == "DELIVERED"]
        assert [s["actor"]["kind"] for s in steps] == ["seller"]


async def test_the_tracker_speaks_graphql_with_its_errors(shop: Shop) -> None:
    from tests.stack import TRACKER_CLIENT_ID, TRACKER_CLIENT_SECRET

    async with tracker(shop) as sim:
        query = ("query { track(carrierId: \"kr.epost\", trackingNumber: \"1\") "
                 "{ trackingNumber } }")
        r = await sim.post("/graphql", json={"query": query, "variables": {
            "carrierId": "kr.epost", "trackingNumber": invoice_no()}})
        assert r.status_code == 401
        auth = {"authorization": f"TRACKQL-API-KEY {TRACKER_CLIENT_ID}:{TRACKER_CLIENT_SECRET}"}
        r = await sim.post("/graphql", headers=auth, json={"query": query, "variables": {
            "carrierId": "kr.epost", "trackingNumber": invoice_no()}})
        assert r.status_code == 200
        assert r.json()["data"]["track"] is None
        assert r.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        # Arguments inline in the query text count when no variables name them.
        n = invoice_no()
        await sim.post(f"/_sim/parcels/kr.epost/{n}/events", json={"code": "AT_PICKUP"})
        inline = f'{{ track(carrierId: "kr.epost", trackingNumber: "{n}") {{ trackingNumber }} }}'
        r = await sim.post("/graphql", headers=auth, json={"query": inline})
        assert r.json()["data"]["track"]["trackingNumber"] == n
        r = await sim.post("/graphql", headers=auth, json={"query": query, "variables": {
            "carrierId": "xx.nowhere", "trackingNumber": "1"}})
        assert r.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
        r = await sim.post("/graphql", headers=auth, json={"query": "{ carriers { id } }",
                                                           "variables": {}})
        assert r.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
        # lastEvent prefers DELIVERED over a later scan.
        n = invoice_no()
        for code in ("AT_PICKUP", "DELIVERED", "OUT_FOR_DELIVERY"):
            await sim.post(f"/_sim/parcels/kr.epost/{n}/events", json={"code": code})
        r = await sim.post("/graphql", headers=auth, json={"query": query, "variables": {
            "carrierId": "kr.epost", "trackingNumber": n}})
        track = r.json()["data"]["track"]
        assert track["lastEvent"]["status"]["code"] == "DELIVERED"
        assert [e["node"]["status"]["code"] for e in track["events"]["edges"]] == [
            "AT_PICKUP", "DELIVERED", "OUT_FOR_DELIVERY"]


async def test_a_parcel_never_delivered_goes_stale_and_is_polled_no_more(shop: Shop) -> None:
    invoice = invoice_no()
    integrations = shop.stack.client("integrations")
    async with tracker(shop) as sim, integrations:
        _seller, oid, _sid = await shipped(shop, "CJ대한통운", invoice)
        await scan(sim, "CJ대한통운", invoice, "AT_PICKUP")

        async def picked_up() -> bool:
            p = await parcel(integrations, oid)
            return bool(p and p["events"])

        await eventually(picked_up, 30, "the pickup tracked")
        # Integrations' clock past TRACKING_GIVE_UP_DAYS (14 by default) after the shipping.
        r = await integrations.post("/_test/clock", json={"seconds": 15 * 86400})
        assert r.status_code == 200, r.text

        async def stale() -> dict[str, Any] | None:
            p = await parcel(integrations, oid)
            return p if p and p["state"] == "STALE" else None

        p = await eventually(stale, 30, "the parcel flagged stale")
        assert [e["code"] for e in p["events"]] == ["AT_PICKUP"]  # what was learnt stays
        await scan(sim, "CJ대한통운", invoice, "DELIVERED")
        await integrations.post("/tracking-sync")
        after = await parcel(integrations, oid)
        assert after is not None and (after["state"], after["polls"]) == ("STALE", p["polls"])
        assert (await shop.order(oid))["sections"][0]["status"] == "SHIPPING"


async def test_the_trackers_callback_is_a_hint_that_brings_the_poll_forward(shop: Shop) -> None:
    invoice = invoice_no()
    integrations = shop.stack.client("integrations")
    async with tracker(shop) as sim, integrations:
        _seller, oid, _sid = await shipped(shop, "CJ대한통운", invoice)

        async def registered() -> dict[str, Any] | None:
            p = await parcel(integrations, oid)
            return p if p and p["webhook_until"] else None

        p = await eventually(registered, 30, "the parcel's webhook registered at the tracker")
        assert p["state"] == "TRACKING"
        [task] = (await integrations.get("/partner-tasks", params={
            "order_id": oid, "partner": "TRACKER"})).json()
        assert (task["kind"], task["state"]) == ("webhook", "DONE")
        sent = (await sim.get("/_sim/control")).json()["callbacks_sent"]

        # The tracker's callback names the parcel only; what counts is what `track` answers.
        await scan(sim, "CJ대한통운", invoice, "DELIVERED", "부산")

        async def announced() -> bool:
            return bool((await sim.get("/_sim/control")).json()["callbacks_sent"] > sent)

        await eventually(announced, 30, "the tracker's callback")
        order = await shop.wait_status(oid, "DELIVERED", timeout=30)
        assert order["sections"][0]["auto_confirm_at"]

        # A callback is unsigned: one for a parcel not tracked here, or made up, moves nothing.
        r = await integrations.post("/webhooks/tracker", json={
            "carrierId": "kr.cjlogistics", "trackingNumber": invoice_no()})
        assert r.status_code == 200 and r.json() == {"parcels": 0}
        r = await integrations.post("/webhooks/tracker", json={"carrierId": "kr.cjlogistics"})
        assert r.status_code == 422 and r.json()["error"] == "invalid_input"
