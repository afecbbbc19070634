"""PayPal in a real browser: a buyer on a phone pays in USD on PayPal's approval page (the
simulator's) and comes back paid; the seller sees PayPal's amount, the warning that tracking
waits for the 배송정보 연동 settings, enters them, and sees the push sent."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, expect

from tests.browser.conftest import Shot, login
from tests.browser.test_naverpay_pages import fits_the_phone, ko, phone
from tests.browser.test_order_journey import RAW, fill_address
from tests.conftest import Shop, eventually
from tests.e2e.test_paypal import forget_tracking_settings, paypal_order, sim_order, usd
from tests.stack import PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET, Stack

pytestmark = pytest.mark.browser
__all__ = ["phone"]  # the 390 px phone fixture

RAW_PAYPAL = re.compile(RAW.pattern + r"|\bpp_[a-z_]+\b|\bnp_[a-z_]+\b|\b(?:PAYPAL|WAITING|"
                        r"DONE|DEAD|KOR_CJ|OTHER)\b")


async def no_raw_text(page: Page) -> None:
    text = await page.locator("body").inner_text()
    found = RAW_PAYPAL.search(text)
    assert found is None, f"untranslated key or code on {page.url}: {found!r}"


async def test_buyer_on_a_phone_pays_with_paypal_in_usd_and_comes_back_paid(
        shop: Shop, phone: Page, shot: Shot, stack: Stack) -> None:
    product = await shop.product(stock=10, price=13500)
    pid, sku = product["_id"], product["skus"][0]["_id"]
    page = phone

    await login(page, "buyer2", "buyer1234")
    await page.goto(f"/products/{pid}")
    await page.select_option("#sku", sku)
    await page.click("#buy")
    await expect(page.locator("#total")).to_have_text("16,500원")  # 13,500 + 3,000 shipping
    await fill_address(page)
    await page.locator("#pay-paypal").check()
    await expect(page.locator("label.choice.paypal")).to_have_text("페이팔")
    await expect(page.locator("#paypal-hint")).to_have_text(ko("pp_checkout_hint"))
    await fits_the_phone(page)
    await no_raw_text(page)
    await shot(page, "checkout")
    await page.click("#place")

    await page.wait_for_url(f"{stack.url('paypalsim')}/checkoutnow?token=*")
    await expect(page.locator("#amount")).to_have_text(f"USD {usd(16500)}")
    await fits_the_phone(page)
    await shot(page, "paypal-approval")
    await page.click("#approve")

    await page.wait_for_url(re.compile(r"/orders/[^/]+/complete"))
    # the page refreshes itself until the capture is confirmed
    await expect(page.locator("#complete-title")).to_have_text(ko("order_paid"), timeout=20_000)
    await fits_the_phone(page)
    await no_raw_text(page)
    await shot(page, "complete")
    order_id = re.search(r"/orders/([^/]+)/complete", page.url).group(1)  # type: ignore[union-attr]
    order = await shop.order(order_id)
    assert (order["payment_method"], order["payment_status"], order["paid_amount"]) == (
        "PAYPAL", "PAID", 16500)


async def test_seller_is_warned_enters_the_settings_and_the_tracking_goes_to_paypal(
        shop: Shop, page: Page, shot: Shot) -> None:
    await forget_tracking_settings(shop)
    sku = (await shop.product(stock=5, price=40500))["skus"][0]["_id"]
    order, paypal = await paypal_order(shop, await shop.buyer(1), sku)
    oid = order["order_id"]

    await login(page, "seller", "seller1234", admin=True)
    await page.goto(f"/admin/orders/{oid}")
    card = page.locator("#paypal-payment")
    await expect(card.locator("#paypal-tracking-warning")).to_contain_text(
        ko("pp_tracking_missing"))
    await expect(card.locator("#paypal-amount")).to_contain_text(f"USD {usd(43500)}")
    await expect(card.locator("#paypal-amount")).to_contain_text("43,500원")
    await expect(card.locator("#paypal-capture-id")).to_have_text(paypal["capture_id"])
    await no_raw_text(page)
    await shot(page, "paypal-order")

    section = page.locator("[data-section]").first
    await section.locator(".act-ready").click()
    await expect(section.locator(".badge[data-status]")).to_have_text("배송대기")
    await section.locator('select[name="carrier"]').select_option("CJ대한통운")
    await section.locator('input[name="invoice_no"]').fill("612345670001")
    await section.locator(".act-ship").click()
    await expect(section.locator(".badge[data-status]")).to_have_text("배송중")

    async def waits() -> bool:
        await page.reload()
        return await card.locator('#partner-tasks tr[data-state="WAITING"]').count() == 1
    await eventually(waits, what="the tracking push waiting")
    await expect(card.locator("#partner-tasks tr").last).to_contain_text(ko("np_state_WAITING"))
    await expect(card.locator("#paypal-tracking-warning")).to_be_visible()
    await no_raw_text(page)
    await shot(page, "push-waiting")
    assert (await sim_order(shop, paypal["paypal_order_id"]))["track_calls"] == []

    await card.locator("#paypal-tracking-warning a").click()
    await page.wait_for_url("**/admin/integrations/paypal")
    await expect(page.locator("#paypal-settings-warning")).to_contain_text(
        ko("pp_settings_missing"))
    await no_raw_text(page)
    await shot(page, "settings-missing")
    await page.fill("#client_id", PAYPAL_CLIENT_ID)
    await page.fill("#client_secret", PAYPAL_CLIENT_SECRET)
    await page.select_option("#env", "sandbox")
    await page.click("#save-paypal-settings")
    await expect(page.locator("#paypal-settings-warning")).to_have_count(0)
    await expect(page.locator("#paypal-settings-saved")).to_be_visible()
    await expect(page.locator("#client_secret")).to_have_value("")  # never shown back
    await shot(page, "settings-saved")

    await page.goto(f"/admin/orders/{oid}")

    async def sent() -> bool:
        await page.reload()
        return await card.locator('#partner-tasks tr[data-state="DONE"]').count() == 1
    await eventually(sent, what="the tracking push sent")
    await expect(card.locator("#paypal-tracking-warning")).to_have_count(0)
    await no_raw_text(page)
    await shot(page, "pushed")
    [call] = (await sim_order(shop, paypal["paypal_order_id"]))["track_calls"]
    assert (call["body"]["carrier"], call["body"]["tracking_number"]) == ("KOR_CJ",
                                                                         "612345670001")
