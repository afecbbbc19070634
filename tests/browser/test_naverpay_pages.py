"""Naver Pay in a real browser: a buyer on a phone pays on Naver's page (the simulator's) and
comes back to the shop; the seller sees the order's sync state with Naver, the one-way warning,
ships it here and sees the invoice sent to Naver."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
from babel.messages.pofile import read_po
from playwright.async_api import Browser, Page, expect

from tests.browser.conftest import FAILED, SHOTS, Shot, assert_no_page_problems, login, new_context
from tests.browser.test_order_journey import RAW, fill_address
from tests.conftest import Shop, eventually
from tests.e2e.test_naverpay import integrations, naver_order, sim
from tests.stack import ROOT, Stack

pytestmark = pytest.mark.browser

PHONE_WIDTH = 390
# Besides the order journey's raw keys: the Naver Pay messages' ids, Naver's own status codes
# and the partner API's codes.
RAW_NAVER = re.compile(RAW.pattern + r"|\bnp_[a-z_]+\b|\b(?:NAVERPAY|PAYED|PAYMENT_WAITING|"
                       r"DELIVERING|PURCHASE_DECIDED|DONE|DEAD|HANJIN)\b|naverpay_center_shipping")


def ko(msgid: str, **params: str) -> str:
    """The Korean text the pages show for a message id (from the catalog, not copied here)."""
    with open(ROOT / "gateway/locale/ko/LC_MESSAGES/messages.po", "rb") as f:
        message = read_po(f, locale="ko").get(msgid)
    assert message is not None and message.string, msgid
    return str(message.string) % params if params else str(message.string)


async def no_raw_text(page: Page) -> None:
    text = await page.locator("body").inner_text()
    found = RAW_NAVER.search(text)
    assert found is None, f"untranslated key or code on {page.url}: {found!r}"


async def fits_the_phone(page: Page) -> None:
    """Nothing sticks out sideways: the page scrolls only up and down at 390 px."""
    width = await page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} is {width} px wide at {PHONE_WIDTH} px"


@pytest.fixture
async def phone(browser: Browser, gateway: str,
                request: pytest.FixtureRequest) -> AsyncIterator[Page]:
    """A page in a fresh profile of a 390 px wide phone (touch, mobile viewport)."""
    ctx = await new_context(browser, gateway, viewport={"width": PHONE_WIDTH, "height": 844},
                            is_mobile=True, has_touch=True)
    p = await ctx.new_page()
    yield p
    if request.node.stash.get(FAILED, False) and not p.is_closed():
        SHOTS.mkdir(parents=True, exist_ok=True)
        await p.screenshot(path=str(SHOTS / f"{request.node.name}-FAILED.png"), full_page=True)
    await ctx.close()
    assert_no_page_problems(ctx)


async def test_buyer_on_a_phone_pays_with_naver_pay_and_comes_back(
        shop: Shop, phone: Page, shot: Shot, stack: Stack) -> None:
    product = await shop.product(stock=10, price=12000)
    pid, sku = product["_id"], product["skus"][0]["_id"]
    page = phone

    await login(page, "buyer1", "buyer1234")
    await page.goto(f"/products/{pid}")
    await expect(page.locator("h1")).to_have_text(product["name"])
    await page.select_option("#sku", sku)
    await page.fill("#qty", "2")
    await fits_the_phone(page)
    await shot(page, "product")
    await page.click("#buy")

    await expect(page.locator("#total")).to_have_text("27,000원")  # 2 × 12,000 + 3,000 shipping
    await fill_address(page)
    await page.locator("#pay-naverpay").check()
    await expect(page.locator("#naverpay-hint")).to_have_text(ko("np_checkout_hint"))
    await expect(page.locator("label.choice.naverpay")).to_have_text("네이버페이")
    await fits_the_phone(page)
    await no_raw_text(page)
    await shot(page, "checkout")
    await page.click("#place")

    await page.wait_for_url(f"{stack.url('naversim')}/naverpay/checkout/*")
    await expect(page.locator("#naverpay-amount")).to_have_text("27,000원")
    await expect(page.locator("body")).to_contain_text(product["name"])
    await shot(page, "naver-pay")
    await page.click("#naverpay-pay")

    await page.wait_for_url(re.compile(r"/naverpay/complete(\?n=\d+)?$"))
    await expect(page.locator("#complete-title")).to_have_text("네이버페이 결제가 완료되었습니다")
    # the page refreshes itself until the partner reports the order
    await expect(page.locator("#naverpay-arrived")).to_have_text(
        "주문이 접수되었습니다. 주문 내역에서 확인할 수 있습니다.", timeout=20_000)
    await expect(page.locator("#naverpay-waiting")).to_have_count(0)
    await expect(page.locator('meta[http-equiv="refresh"]')).to_have_count(0)
    partner_order_id = await page.locator("#naverpay-order-no").inner_text()
    assert re.fullmatch(r"\d{16}", partner_order_id), partner_order_id
    await expect(page.locator("#view-order")).to_have_attribute(
        "href", f"/my/orders/np-{partner_order_id}")
    await fits_the_phone(page)
    await no_raw_text(page)
    await shot(page, "complete")

    order = await shop.order(f"np-{partner_order_id}")
    assert (order["channel"], order["payment_status"]) == ("NAVERPAY", "PAID")
    assert order["buyer"]["member_id"] == "buyer1"
    assert [(x["sku_id"], x["quantity"]) for x in order["lines"]] == [(sku, 2)]


async def test_seller_sees_the_naver_sync_and_ships_to_naver(
        shop: Shop, page: Page, shot: Shot) -> None:
    product = await shop.product(stock=5, price=18000)
    sku = product["skus"][0]["_id"]
    order = await naver_order(shop, await shop.buyer(2), sku, 1)  # paid at Naver, polled in
    oid = order["order_id"]
    async with integrations(shop) as svc:
        partner = (await svc.get(f"/partner-orders/{oid}")).json()
    [line] = partner["lines"]

    await login(page, "seller", "seller1234", admin=True)
    await page.goto(f"/admin/orders/{oid}")
    panel = page.locator("#partner-sync")
    await expect(panel.locator("#one-way-warning")).to_have_text(ko("np_one_way", partner="네이버페이"))
    await expect(panel.locator("#partner-order-no")).to_have_text(partner["partner_order_id"])
    reported = panel.locator('[data-line="L1"]')
    await expect(reported).to_have_attribute("data-reported", "PREPARING")
    await expect(reported.locator(".badge")).to_have_text("상품준비")
    await expect(reported).to_contain_text(line["product_order_id"])
    await expect(panel.locator("dt").nth(1)).to_have_text(product["name"])  # the line, by name
    await expect(panel).to_contain_text(ko("np_whole_lines", partner="네이버페이"))
    await expect(panel.locator("#partner-tasks")).to_have_count(0)  # nothing sent to Naver yet
    await no_raw_text(page)
    await shot(page, "synced-in")

    section = page.locator("[data-section]").first
    status = section.locator(".badge[data-status]")
    await section.locator(".act-ready").click()
    await expect(status).to_have_text("배송대기")
    await section.locator('select[name="carrier"]').select_option("한진택배")
    await section.locator('input[name="invoice_no"]').fill("512345678901")
    await section.locator(".act-ship").click()
    await expect(status).to_have_text("배송중")
    await expect(section.locator(".invoice")).to_contain_text("한진택배 512345678901")

    async def sent_to_naver() -> bool:  # the dispatch task runs after the shipping
        await page.reload()
        return await page.locator("#partner-tasks tr[data-state=DONE]").count() == 2
    await eventually(sent_to_naver, what="the dispatch sent to Naver")
    await expect(reported).to_have_attribute("data-reported", "SHIPPING")
    await expect(reported.locator(".badge")).to_have_text("배송중")
    await expect(reported).to_contain_text(f"{ko('np_dispatched')} 512345678901")
    tasks = panel.locator("#partner-tasks tbody tr")
    await expect(tasks).to_have_count(2)  # 배송대기 = 발주 확인, then 발송 처리
    names = {await tasks.nth(n).locator("td").nth(0).inner_text() for n in range(2)}
    assert names == {ko("np_task_confirm"), ko("np_task_dispatch")}
    for n in range(2):
        await expect(tasks.nth(n).locator("td").nth(1)).to_have_text(ko("np_state_DONE"))
    await expect(panel.locator("#one-way-warning")).to_have_text(ko("np_one_way", partner="네이버페이"))
    await no_raw_text(page)
    await shot(page, "dispatched")

    async with sim(shop) as naver:
        po = (await naver.get(f"/_sim/product-orders/{line['product_order_id']}")).json()
    assert po["productOrderStatus"] == "DELIVERING"
    assert (po["delivery"]["deliveryCompany"], po["delivery"]["trackingNumber"]) == (
        "HANJIN", "512345678901")



async def test_seller_decides_a_return_asked_at_naver_with_naver_hold_reasons(
        shop: Shop, page: Page, shot: Shot) -> None:
    """A claim the buyer opened at Naver: the page says its decisions reach Naver; a hold names
    one of Naver's hold reasons (in Korean); a cancel request offers no rejection, and says
    why."""
    from tests.e2e.test_naverpay import claim_of_partner, naver_po, section_status

    sku = (await shop.product(stock=5, price=13000))["skus"][0]["_id"]
    shipped = await naver_order(shop, await shop.buyer(1), sku, 1)
    waiting = await naver_order(shop, await shop.buyer(2), sku, 1)
    po = {}
    async with integrations(shop) as svc:
        for o in (shipped, waiting):
            po[o["order_id"]] = (await svc.get(f"/partner-orders/{o['order_id']}")).json()[
                "lines"][0]["product_order_id"]
    async with sim(shop) as naver:
        r = await naver.post(f"/_sim/product-orders/{po[shipped['order_id']]}/center-dispatch",
                             json={"deliveryCompanyCode": "CJGLS", "trackingNumber": "6001234"})
        assert r.status_code == 200, r.text
        await section_status(shop, shipped["order_id"], "SHIPPING")
        for oid, kind in ((shipped["order_id"], "RETURN"), (waiting["order_id"], "CANCEL")):
            r = await naver.post(f"/_sim/product-orders/{po[oid]}/claim",
                                 json={"claimType": kind, "claimReason": "INTENT_CHANGED"})
            assert r.status_code == 200, r.text
        ret = await claim_of_partner(shop, shipped["order_id"], "RETURN")
        cancel = await claim_of_partner(shop, waiting["order_id"], "CANCEL")

        await login(page, "seller", "seller1234", admin=True)
        if cancel["state"] == "REQUESTED":  # the shop's setting may approve it at once
            await page.goto(f"/admin/claims/{cancel['claim_id']}")
            await expect(page.locator("#partner-claim")).to_contain_text("네이버페이")
            await expect(page.locator("#reject-form")).to_have_count(0)
            await expect(page.locator("#no-reject")).to_have_text(
                ko("cl_partner_no_reject", partner="네이버페이"))
        await page.goto(f"/admin/claims/{ret['claim_id']}")
        await expect(page.locator("#partner-claim")).to_have_text(
            ko("cl_partner_claim", partner="네이버페이"))
        await expect(page.locator("#reject-form")).to_have_count(1)  # Naver rejects returns
        options = page.locator("#hold-code option")
        await expect(options).to_have_count(5)
        await expect(options.first).to_have_text(ko("RETURN_DELIVERYFEE"))
        await no_raw_text(page)
        await shot(page, "return-from-naver")
        await page.locator("#hold-code").select_option("RETURN_PRODUCT_NOT_DELIVERED")
        await page.locator('#hold-form input[name="reason"]').fill("상품이 아직 도착하지 않았어요")
        await page.locator("#hold").click()
        await expect(page.locator("#hold-badge")).to_contain_text("상품이 아직 도착하지 않았어요")
        held = await naver_po(naver, po[shipped["order_id"]], holdbackStatus="HOLDBACK")
        assert held["claim"]["holdbackReason"] == "RETURN_PRODUCT_NOT_DELIVERED"
        await no_raw_text(page)
        await shot(page, "held-at-naver")


async def test_the_sync_status_page_shows_a_dead_call_and_retries_it(
        shop: Shop, page: Page, shot: Shot) -> None:
    """연동 현황: a call Naver refused is listed with its answer, in Korean; retried, it is sent."""
    sku = (await shop.product(stock=5, price=7000))["skus"][0]["_id"]
    order = await naver_order(shop, await shop.buyer(1), sku, 1)
    oid = order["order_id"]
    seller = await shop.seller()
    base = f"/api/admin/orders/{oid}/sections/{order['sections'][0]['section_id']}"
    async with integrations(shop) as svc, sim(shop) as naver:
        assert (await seller.post(f"{base}/status", json={"to_status": "READY_TO_SHIP"})).status_code == 200

        async def confirmed() -> bool:
            tasks = (await svc.get("/partner-tasks", params={"order_id": oid})).json()
            return [t["state"] for t in tasks] == ["DONE"]
        await eventually(confirmed, what="발주 확인 sent")
        assert (await naver.put("/_sim/control", json={"refuse_writes": 1})).status_code == 200
        assert (await seller.post(f"{base}/status", json={
            "to_status": "SHIPPING", "carrier": "로젠택배",
            "invoice_no": "31234567890"})).status_code == 200

        async def dead() -> bool:
            tasks = (await svc.get("/partner-tasks", params={"order_id": oid,
                                                              "state": "DEAD"})).json()
            return bool(tasks)
        await eventually(dead, what="the refused dispatch dead-lettered")

    await login(page, "seller", "seller1234", admin=True)
    await page.locator("#nav-integrations").click()
    await expect(page.locator("h1")).to_have_text(ko("sync_title"))
    row = page.locator(f'#sync-tasks tr[data-state="DEAD"]:has(a[href="/admin/orders/{oid}"])')
    await expect(row).to_have_count(1)
    await expect(row).to_contain_text(ko("np_task_dispatch"))
    await expect(row).to_contain_text(ko("np_state_DEAD"))
    await expect(row.locator(".sync-error")).to_contain_text("104442")
    card = page.locator('#sync-partners [data-partner="NAVERPAY"]')
    assert int(await card.locator('[data-count="DEAD"]').inner_text()) >= 1
    await no_raw_text(page)
    await shot(page, "dead-call")
    await row.locator(".act-retry").click()
    await expect(page.locator(".flash.ok")).to_have_text(ko("sync_msg_retry"))

    async def sent() -> bool:
        await page.goto("/admin/integrations?state=DONE&partner=NAVERPAY")
        done = page.locator(f'#sync-tasks tr[data-state="DONE"]:has(a[href="/admin/orders/{oid}"])')
        return await done.count() == 2  # 발주 확인 and the retried 발송 처리
    await eventually(sent, what="the retried dispatch sent")
    await no_raw_text(page)
    await shot(page, "sent")
