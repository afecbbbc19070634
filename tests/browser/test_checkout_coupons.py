"""The checkout with 주문서 최대 할인: the best coupons applied when the page opens, a buyer
changing them (checked by the server), the order placed with the chosen ones."""

from __future__ import annotations

import uuid
from typing import Any

from playwright.async_api import Page, expect

from tests.browser.conftest import Shot, login
from tests.browser.test_order_journey import fill_address, no_raw_keys
from tests.conftest import Shop, eventually
from tests.e2e.test_coupons import catalogue_product, held, new_buyer, three_coupons


async def test_checkout_opens_with_the_best_coupons_and_the_buyer_changes_them(
        shop: Shop, page: Page, shot: Shot, stack: Any) -> None:
    seller = await shop.seller()
    member, buyer = await new_buyer(shop)
    cat = f"C{uuid.uuid4().hex[:6]}"
    p = await catalogue_product(shop, 20900, cat)
    ids = await three_coupons(shop, seller, member, cat)

    await login(page, member, "pw123456")
    await page.goto(f"/checkout?sku={p['sku_id']}&qty=2")
    await expect(page.locator("#best-applied")).to_contain_text("13,000원 할인")
    await expect(page.locator("#cp_product")).to_have_value(ids["K1"])
    await expect(page.locator("#cp_cart")).to_have_value(ids["K2"])
    await expect(page.locator("#cp_shipping")).to_have_value("")
    await expect(page.locator("#product-off")).to_have_text("−8,000원")
    await expect(page.locator("#order-off")).to_have_text("−5,000원")
    await expect(page.locator("#total")).to_have_text("31,800원")  # 41,800 − 13,000 + 3,000
    await no_raw_keys(page)
    await shot(page, "best-applied")

    # The buyer prefers free shipping to the order coupon (they conflict): 2,000 less off.
    await page.select_option("#cp_cart", "")
    await page.select_option("#cp_shipping", ids["K3"])
    await page.click("#apply-choice")
    await expect(page.locator("#not-best")).to_contain_text("2,000원")
    await expect(page.locator("#shipping-off")).to_have_text("−3,000원")
    await expect(page.locator("#total")).to_have_text("33,800원")

    # Both together break a rule: the server refuses and the best is applied again.
    await page.select_option("#cp_cart", ids["K2"])
    await page.click("#apply-choice")
    await expect(page.locator(".flash.error")).to_contain_text("함께 사용할 수 없는")
    await expect(page.locator("#total")).to_have_text("31,800원")
    await page.select_option("#cp_cart", "")
    await page.select_option("#cp_shipping", ids["K3"])
    await page.click("#apply-choice")
    await expect(page.locator("#total")).to_have_text("33,800원")
    await fill_address(page)
    await shot(page, "changed")
    await page.click("#place")

    await page.wait_for_url(f"{stack.url('pgsim')}/pg/checkout/*")
    await expect(page.locator("#amount")).to_have_text("33,800원")

    async def used() -> dict[str, Any] | None:
        h = await held(buyer)
        return h if h[ids["K3"]]["status"] == "USED" else None

    h = await eventually(used, what="coupons used")
    assert h[ids["K1"]]["status"] == "USED" and h[ids["K2"]]["usable"]


async def test_seller_creates_and_issues_a_coupon_and_the_buyer_sees_it(
        shop: Shop, page: Page, other_page: Any, shot: Shot) -> None:
    member, buyer = await new_buyer(shop)
    name = f"신규회원 {uuid.uuid4().hex[:4]}"

    await login(page, "seller", "seller1234", admin=True)
    await page.click("#nav-coupons")
    await page.fill("#c-name", name)
    await page.select_option("#c-kind", "order")
    await page.fill("#c-value", "3000")
    await page.fill("#c-min", "20000")
    await page.fill("#c-cats", "NO-SUCH-CATEGORY")  # never reaches other tests' checkouts
    await shot(page, "admin-coupons")
    await page.click("#create-coupon")
    await expect(page.locator(".flash.ok")).to_have_text("쿠폰을 만들었습니다.")
    await page.fill("#member_ids", member)
    await page.click("#issue")
    await expect(page.locator(".flash.ok")).to_have_text("1명에게 발급했습니다.")
    await expect(page.locator(f'#holders tr[data-member="{member}"] .status')).to_have_text(
        "사용 가능")
    await no_raw_keys(page)
    await shot(page, "holders")

    buyer_page = await other_page()
    await login(buyer_page, member, "pw123456")
    await buyer_page.goto("/my")
    await buyer_page.click("#my-coupons-link")
    await expect(buyer_page.locator("#my-coupons")).to_contain_text(name)
    await expect(buyer_page.locator("#my-coupons .status")).to_have_text("사용 가능")
    await no_raw_keys(buyer_page)
    await shot(buyer_page, "my-coupons")
