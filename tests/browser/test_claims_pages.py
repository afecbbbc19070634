"""Claims in a real browser (Debian chromium via Playwright): the buyer's request in my page and
the seller's decisions in the admin. Orders are made through the JSON API; what is under test is
what people see and click."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from playwright.async_api import Page, expect

from tests.browser.conftest import Shot, accept_dialogs, login
from tests.conftest import Shop, eventually
from tests.e2e.test_claims_flows import (
    PASSWORD,
    claims_know,
    delivered,
    item,
    make_buyer,
    open_claim,
    paid_order,
    wait_claim,
)

pytestmark = pytest.mark.browser

# Raw enum values or untranslated keys that must never reach a page.
RAW = re.compile(r"\bcl_[a-z_]+\b|\b(?:REQUESTED|APPROVED|COLLECTED|RESHIPPED|REFUNDING|"
                 r"REFUND_FAILED|COMPLETED|REJECTED|CHANGE_OF_MIND|DEFECT|WRONG_ITEM|RETURN|"
                 r"EXCHANGE|CANCEL|DELIVERED|SHIPPING|RETURNED)\b")


async def no_raw_keys(page: Page) -> None:
    text = await page.locator("body").inner_text()
    assert not RAW.search(text), f"untranslated key on {page.url}: {RAW.search(text)!r}"


async def delivered_to_a_buyer(shop: Shop, qty: int = 4, skus: int = 1
                               ) -> tuple[dict[str, Any], dict[str, Any], str]:
    """An order delivered to a buyer of its own; returns the order, its product, the buyer id."""
    product = await shop.product(stock=20, price=19800, skus=skus)
    user_id = await make_buyer(shop)
    buyer, seller = await shop.login(user_id, PASSWORD), await shop.seller()
    order = await delivered(shop, seller, await paid_order(shop, product["skus"][0]["_id"], qty,
                                                           buyer))
    await claims_know(shop, order["order_id"], "DELIVERED")
    return order, product, user_id


async def test_buyer_requests_a_partial_return_and_sees_the_refund_estimate(
        shop: Shop, page: Page, shot: Shot) -> None:
    order, _, me = await delivered_to_a_buyer(shop, qty=4)
    await login(page, me, PASSWORD)
    await page.goto(f"/my/orders/{order['order_id']}/claims/new?kind=RETURN")
    await expect(page.locator("h1")).to_have_text("반품 신청")
    await expect(page.locator('#kind-tabs a[data-kind="CANCEL"]')).to_have_class(re.compile("off"))

    await page.select_option("select.qty", "2")
    await page.get_by_label("단순 변심").check()
    # Change of mind on a free-shipping order: the round trip (6,000) comes off the refund.
    await expect(page.locator("#e-refund")).to_have_text("33,600원")
    await expect(page.locator("#e-fee_deducted")).to_have_text("−6,000원")
    await page.get_by_label("상품 불량·파손").check()
    await expect(page.locator("#e-refund")).to_have_text("39,600원")
    await expect(page.locator('[data-row="fee_deducted"]')).to_be_hidden()
    await page.fill("#reason", "세탁 한 번 후 목 부분 실밥이 풀렸어요")
    await no_raw_keys(page)
    await shot(page, "return-request")

    await page.click("#submit-claim")
    await expect(page.locator(".flash.ok")).to_have_text("반품 신청이 접수되었습니다.")
    card = page.locator(".claim-card").first
    await expect(card.locator("[data-claim-state]")).to_have_text("반품요청")
    await expect(card.locator(".refund")).to_have_text("39,600원")
    await expect(card.locator(".steps li.now")).to_have_text("반품요청")
    await no_raw_keys(page)
    await shot(page, "my-claims")

    async def moved() -> bool:
        o = await shop.order(order["order_id"])
        return len(o["sections"]) == 2
    await eventually(moved, what="the 2 returning units in their own section")


async def test_buyer_exchanges_for_another_option_and_sold_out_options_are_disabled(
        shop: Shop, page: Page, shot: Shot) -> None:
    order, product, me = await delivered_to_a_buyer(shop, qty=1, skus=3)
    sold_out = product["skus"][2]["_id"]
    r = await shop.inventory.put(f"/skus/{sold_out}/sold-out", json={"sold_out": True})
    assert r.status_code == 200, r.text
    await login(page, me, PASSWORD)
    await page.goto(f"/my/orders/{order['order_id']}/claims/new?kind=EXCHANGE")
    options = page.locator("select.opt option")
    await expect(options).to_have_count(3)
    await expect(page.locator(f'select.opt option[value="{sold_out}"]')).to_be_disabled()
    await page.select_option("select.qty", "1")
    await page.select_option("select.opt", product["skus"][1]["_id"])
    await page.get_by_label("오배송 (다른 상품 수령)").check()
    await expect(page.locator("#e-refund")).to_have_text("0원")
    await no_raw_keys(page)
    await shot(page, "exchange-request")
    await page.click("#submit-claim")
    await expect(page.locator(".flash.ok")).to_have_text("교환 신청이 접수되었습니다.")
    await expect(page.locator(".claim-card .opt b").first).to_contain_text("→")


async def test_seller_approves_collects_and_completes_a_return_with_a_refund(
        shop: Shop, page: Page, shot: Shot,
        other_page: Callable[[], Awaitable[Page]]) -> None:
    order, _, me = await delivered_to_a_buyer(shop, qty=3)
    buyer = await shop.login(me, PASSWORD)
    r = await open_claim(buyer, order["order_id"], "RETURN", [item(order, 2)], "DEFECT",
                         reason="화면에 세로줄이 생겨요")
    assert r.status_code == 201, r.text
    claim = await wait_claim(shop, r.json()["claim_id"], "REQUESTED")

    await login(page, "seller", "seller1234", admin=True)
    dialogs = accept_dialogs(page)
    await page.goto("/admin/claims")
    row = page.locator(f'tr[data-claim="{claim["claim_id"]}"]')
    await expect(row).to_be_visible()
    await expect(row.locator(".cstate")).to_have_text("반품요청")
    await no_raw_keys(page)
    await shot(page, "claim-list")
    await row.locator("a.no").click()

    await expect(page.locator("#claim-state")).to_have_text("반품요청")
    await expect(page.locator("#refund-amount")).to_have_text("39,600원")
    await no_raw_keys(page)
    await shot(page, "claim-detail-requested")
    await page.click("#approve")
    await expect(page.locator(".flash.ok")).to_have_text("처리되었습니다.")
    await expect(page.locator("#claim-state")).to_have_text("수거중")
    assert dialogs == ["이 클레임을 승인하시겠습니까?"]
    await page.click("#collect")
    await expect(page.locator("#claim-state")).to_have_text("회수완료")
    await expect(page.locator("#restock")).to_be_checked()
    await page.click("#complete")

    async def completed() -> bool:
        await page.reload()
        return await page.locator("#claim-state").inner_text() == "반품완료"
    await eventually(completed, what="the refund to complete")
    await expect(page.locator("#refund-status")).to_contain_text("PG 환불 완료")
    await expect(page.locator(".steps li.now")).to_have_count(0)
    await expect(page.locator("#no-action")).to_be_visible()
    await no_raw_keys(page)
    await shot(page, "claim-detail-completed")

    mine = await other_page()
    await login(mine, me, PASSWORD)
    await mine.goto(f"/my/orders/{order['order_id']}/claims")
    card = mine.locator(f'.claim-card[data-claim="{claim["claim_id"]}"]')
    await expect(card.locator("[data-claim-state]")).to_have_text("반품완료")
    await expect(card.locator(".amount")).to_contain_text("환불 금액 39,600원")
    await shot(mine, "buyer-sees-refund")


async def test_two_sellers_deciding_the_same_claim_the_second_is_told_it_changed(
        shop: Shop, page: Page, shot: Shot,
        other_page: Callable[[], Awaitable[Page]]) -> None:
    order, _, me = await delivered_to_a_buyer(shop, qty=1)
    buyer = await shop.login(me, PASSWORD)
    r = await open_claim(buyer, order["order_id"], "RETURN", [item(order, 1)], "WRONG_ITEM")
    claim = await wait_claim(shop, r.json()["claim_id"], "REQUESTED")
    pages = [page, await other_page()]
    for p in pages:
        await login(p, "seller", "seller1234", admin=True)
        accept_dialogs(p)
        await p.goto(f"/admin/claims/{claim['claim_id']}")
    await pages[0].click("#approve")
    await expect(pages[0].locator("#claim-state")).to_have_text("수거중")
    await pages[1].click("#approve")
    await expect(pages[1].locator(".flash.error")).to_contain_text("그사이 다른 사용자에 의해 변경")
    await expect(pages[1].locator("#claim-state")).to_have_text("수거중")
    await shot(pages[1], "second-seller-refused")


async def test_seller_retries_a_failed_refund_then_records_a_refund_by_hand(
        shop: Shop, page: Page, shot: Shot) -> None:
    sku = (await shop.product(stock=5, price=25000))["skus"][0]["_id"]
    buyer = await shop.login(await make_buyer(shop), PASSWORD)
    order = await paid_order(shop, sku, 2, buyer)
    await claims_know(shop, order["order_id"], "PREPARING")
    r = await shop.pg.put(f"/pg/_control/orders/{order['order_id']}", json={"fail_refunds": True})
    assert r.status_code == 200
    r = await open_claim(buyer, order["order_id"], "CANCEL", [item(order, 1)], "CHANGE_OF_MIND")
    claim = await wait_claim(shop, r.json()["claim_id"], "REFUND_FAILED")

    await login(page, "seller", "seller1234", admin=True)
    await page.goto(f"/admin/claims/{claim['claim_id']}")
    await expect(page.locator("#claim-state")).to_have_text("환불실패")
    await expect(page.locator("#refund-failure")).to_contain_text("거절")
    await no_raw_keys(page)
    await shot(page, "refund-failed")
    await page.click("#retry-refund")
    await wait_claim(shop, claim["claim_id"], "REFUND_FAILED")
    await page.reload()
    form = page.locator("#manual-form")
    await form.get_by_label("은행").fill("국민은행")
    await form.get_by_label("예금주").fill("이구매")
    await form.get_by_label("계좌번호").fill("123-456-789012")
    await form.get_by_label("메모").fill("고객 요청으로 계좌 환불")
    await page.click("#refunded-by-hand")
    await expect(page.locator("#claim-state")).to_have_text("취소완료")
    await expect(page.locator("#refund-status")).to_contain_text("수동 환불 완료")
    await expect(page.locator("#refund-status")).to_contain_text("123-456-789012")
    await shot(page, "refunded-by-hand")


async def test_after_confirming_the_buyer_is_told_returns_are_no_longer_possible(
        shop: Shop, page: Page, shot: Shot) -> None:
    order, _, me = await delivered_to_a_buyer(shop, qty=1)
    await login(page, me, PASSWORD)
    dialogs = accept_dialogs(page)
    await page.goto(f"/my/orders/{order['order_id']}")
    await expect(page.locator("#confirm-warning")).to_contain_text("반품/교환 접수가 불가")
    await page.click("#confirm-purchase")
    assert "반품/교환" in dialogs[0]
    await claims_know(shop, order["order_id"], "CONFIRMED")
    await page.goto(f"/my/orders/{order['order_id']}/claims/new?kind=RETURN")
    await expect(page.locator("#pick-table .why")).to_have_text(
        "구매확정 후에는 반품/교환을 신청할 수 없습니다")
    await expect(page.locator("#nothing")).to_be_visible()
    await expect(page.locator("#submit-claim")).to_have_count(0)
    await shot(page, "return-after-confirmation")
