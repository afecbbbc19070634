"""배송조회 in a real browser: the buyer's order page shows the carrier's scans of a shipped
parcel (Korean status names, Seoul times, newest first) and a link to the carrier's own page."""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.async_api import Page, expect

from tests.browser.conftest import Shot, login
from tests.browser.test_order_journey import no_raw_keys, paid_order, seller_move
from tests.conftest import Shop, eventually

pytestmark = pytest.mark.browser
KST = ZoneInfo("Asia/Seoul")


async def test_the_buyer_sees_the_carriers_tracking_on_the_order_page(
        shop: Shop, page: Page, shot: Shot,
        other_page: Callable[[], Awaitable[Page]]) -> None:
    sku = (await shop.product(stock=3, price=12000))["skus"][0]["_id"]
    order = await paid_order(shop, sku)
    oid = order["order_id"]
    invoice = str(uuid.uuid4().int)[:12]
    seller = await shop.seller()
    await seller_move(seller, order, "READY_TO_SHIP")
    await seller_move(seller, order, "SHIPPING", carrier="롯데택배", invoice_no=invoice)
    async with httpx.AsyncClient(base_url=shop.stack.url("trackersim"), timeout=30) as sim:
        for code, where in (("AT_PICKUP", "서울송파"), ("IN_TRANSIT", "옥천HUB")):
            r = await sim.post(f"/_sim/parcels/kr.lotte/{invoice}/events",
                               json={"code": code, "location": where})
            assert r.status_code == 201, r.text

    async with shop.stack.client("integrations") as integrations:
        async def scanned() -> list[dict[str, str]] | None:
            parcels = (await integrations.get(f"/tracking/{oid}")).json()["parcels"]
            return parcels[0]["events"] if parcels and len(parcels[0]["events"]) == 2 else None

        events = await eventually(scanned, 30, "both scans tracked")

    await login(page, "buyer1", "buyer1234")
    await page.goto(f"/my/orders/{oid}")
    card = page.locator("#tracking")
    await expect(card).to_be_visible()
    await expect(card.locator("h2")).to_have_text("배송조회")
    await expect(card.locator(".parcel-head")).to_contain_text(f"롯데택배 {invoice}")
    await expect(card.locator(".trk-status")).to_have_text("상품 이동중")
    rows = card.locator("table.trk-events tbody tr")
    await expect(rows).to_have_count(2)
    await expect(rows.nth(0)).to_contain_text("상품 이동중")
    await expect(rows.nth(0)).to_contain_text("옥천HUB")
    await expect(rows.nth(1)).to_contain_text("상품 인수")
    picked_up = datetime.fromisoformat(events[0]["time"]).astimezone(KST)  # shown in Seoul time
    await expect(rows.nth(1).locator("td").first).to_have_text(
        picked_up.strftime("%Y-%m-%d %H:%M"))
    link = card.locator("a.carrier-link")
    await expect(link).to_have_text(re.compile("택배사에서 조회"))
    assert (await link.get_attribute("href") or "").endswith(f"InvNo={invoice}")
    await no_raw_keys(page)
    await shot(page, "tracking-card")

    # The seller's order page shows the same card under the sections.
    admin = await other_page()
    await login(admin, "seller", "seller1234", admin=True)
    await admin.goto(f"/admin/orders/{oid}")
    card = admin.locator("#tracking")
    await expect(card.locator(".parcel-head")).to_contain_text(f"롯데택배 {invoice}")
    await expect(card.locator("table.trk-events tbody tr")).to_have_count(2)
    await expect(card.locator("a.carrier-link")).to_be_visible()
    await no_raw_keys(admin)
    await shot(admin, "admin-tracking-card")
