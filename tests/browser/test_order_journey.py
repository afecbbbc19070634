"""What buyers and sellers see and click, in a real browser (Debian chromium via Playwright).

Each test makes its own product (and, where the step under test is not ordering, its own order
through the JSON API), so the tests run in any order and alone.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.async_api import Page, expect

from tests.browser.conftest import Shot, login
from tests.conftest import Shop

pytestmark = pytest.mark.browser

KST = ZoneInfo("Asia/Seoul")
# Untranslated i18n keys or raw enum values that must never reach a page.
RAW = re.compile(r"\b(?:act|actor)_[a-z_]+\b|\b(?:PAYMENT_PENDING|READY_TO_SHIP|PREPARING|SHIPPING|"
                 r"DELIVERED|CONFIRMED|CANCELLED|BANK_TRANSFER|CARD|PENDING|PAID)\b")


async def no_raw_keys(page: Page) -> None:
    text = await page.locator("body").inner_text()
    assert not RAW.search(text), f"untranslated key on {page.url}: {RAW.search(text)!r}"


async def paid_order(shop: Shop, sku: str, buyer: int = 1, qty: int = 1) -> dict[str, Any]:
    client = await shop.buyer(buyer)
    r = await shop.place(client, sku, qty=qty)
    assert r.status_code == 201, r.text
    return await shop.pay_card(r.json())


async def seller_move(seller: httpx.AsyncClient, order: dict[str, Any], to: str,
                      **extra: str) -> None:
    section = order["sections"][0]["section_id"]
    r = await seller.post(f"/api/admin/orders/{order['order_id']}/sections/{section}/status",
                          json={"to_status": to, **extra})
    assert r.status_code == 200, r.text


async def fill_address(page: Page) -> None:
    await page.fill("#zipcode", "06236")
    await page.fill("#address1", "서울특별시 강남구 테헤란로 123")
    await page.fill("#address2", "4층")


def timeline_entry(page: Page, after: str):  # type: ignore[no-untyped-def]
    return page.locator(f'#timeline li[data-action="section_status"][data-after="{after}"]')


async def test_buyer_orders_and_pays_by_card_on_the_pg_page(shop: Shop, page: Page, shot: Shot,
                                                           stack: Any) -> None:
    product = await shop.product(stock=10, price=15000, skus=2)
    pid, sku = product["_id"], product["skus"][1]["_id"]

    await login(page, "buyer1", "buyer1234")
    await page.goto("/")
    await shot(page, "home")
    await page.locator(f'[data-product="{pid}"]').click()
    await expect(page.locator("h1")).to_have_text(product["name"])
    await page.select_option("#sku", sku)
    await page.fill("#qty", "2")
    await shot(page, "product")
    await page.click("#buy")

    await expect(page.locator("#total")).to_have_text("33,000원")  # 2 × 15,000 + 3,000 shipping
    await expect(page.locator("#ship_name")).to_have_value("이구매")  # from the account
    await fill_address(page)
    await no_raw_keys(page)
    await shot(page, "checkout")
    await page.click("#place")

    await page.wait_for_url(f"{stack.url('pgsim')}/pg/checkout/*")
    await expect(page.locator("#amount")).to_have_text("33,000원")
    await shot(page, "pg")
    await page.get_by_role("button", name="결제하기").click()

    await page.wait_for_url(re.compile(r"/orders/[^/]+/complete$"))
    badge = page.locator("#sections .badge[data-status]")
    await expect(badge).to_have_text("상품준비", timeout=20_000)  # the page refreshes itself
    await expect(page.locator("#payment-status")).to_have_text("결제완료")
    await expect(page.locator('meta[http-equiv="refresh"]')).to_have_count(0)
    await no_raw_keys(page)
    await shot(page, "complete")

    order_id = page.url.rstrip("/").split("/")[-2]
    order = await shop.order(order_id)
    assert order["lines"][0]["sku_id"] == sku and order["lines"][0]["quantity"] == 2
    assert order["payment_status"] == "PAID"


async def test_seller_ships_and_delivers_in_the_admin(shop: Shop, page: Page, shot: Shot) -> None:
    sku = (await shop.product(stock=5, price=21000))["skus"][0]["_id"]
    order = await paid_order(shop, sku, buyer=2)
    no, oid = order["order_no"], order["order_id"]

    await login(page, "seller", "seller1234", admin=True)
    await expect(page).to_have_url(re.compile(r"/admin/orders$"))
    tab = page.locator('#tabs [data-tab="preparing"]')
    await expect(tab.locator(".count")).to_have_text(re.compile(r"^[1-9]\d*$"))
    await tab.click()
    await expect(page.locator('#tabs [data-tab="preparing"]')).to_have_class(re.compile(r"\bon\b"))
    row = page.locator(f'#orders tr[data-order="{no}"]')
    await expect(row.locator(".badge")).to_have_text("상품준비")
    await expect(row.locator(".amount")).to_have_text("24,000원")
    await no_raw_keys(page)
    await shot(page, "list")
    await row.locator("a.order-link").click()

    await expect(page).to_have_url(re.compile(f"/admin/orders/{oid}$"))
    section = page.locator("[data-section]").first
    status = section.locator(".badge[data-status]")
    await expect(status).to_have_text("상품준비")
    await shot(page, "detail-preparing")

    await section.locator(".act-ready").click()
    await expect(status).to_have_text("배송대기")
    await expect(timeline_entry(page, "READY_TO_SHIP")).to_contain_text("김판매")

    # Shipping without an invoice number: a clear error, nothing changes.
    version = await page.locator("#order-version").inner_text()
    await section.locator(".act-ship").click()
    flash = page.locator(".flash.error")
    await expect(flash).to_contain_text("송장번호")
    await expect(status).to_have_text("배송대기")
    await expect(page.locator("#order-version")).to_have_text(version)
    await expect(timeline_entry(page, "SHIPPING")).to_have_count(0)
    await shot(page, "ship-without-invoice")

    await section.locator('select[name="carrier"]').select_option("한진택배")
    await section.locator('input[name="invoice_no"]').fill("512345678901")
    await section.locator(".act-ship").click()
    await expect(status).to_have_text("배송중")
    await expect(page.locator(".flash.error")).to_have_count(0)
    await expect(section.locator(".invoice")).to_contain_text("한진택배 512345678901")
    await expect(timeline_entry(page, "SHIPPING")).to_contain_text("512345678901")
    await shot(page, "detail-shipping")

    await section.locator(".act-delivered").click()
    await expect(status).to_have_text("배송완료")
    await expect(section.locator(".auto-confirm")).to_be_visible()
    await expect(timeline_entry(page, "DELIVERED")).to_contain_text("김판매")
    await page.fill("#note", "부재 시 경비실 보관 요청")
    await page.click("#add-note")
    await expect(page.locator('#timeline li[data-action="note"]')).to_contain_text(
        "부재 시 경비실 보관 요청")
    await no_raw_keys(page)
    await shot(page, "detail-delivered")

    after = await shop.order(oid)
    assert [s["status"] for s in after["sections"]] == ["DELIVERED"]
    assert (after["sections"][0]["carrier"], after["sections"][0]["invoice_no"]) == \
        ("한진택배", "512345678901")


async def test_buyer_confirms_the_purchase_in_my_page(
        shop: Shop, page: Page, shot: Shot,
        other_page: Callable[[], Awaitable[Page]]) -> None:
    sku = (await shop.product(stock=5, price=8000))["skus"][0]["_id"]
    order = await paid_order(shop, sku, buyer=1, qty=3)
    seller = await shop.seller()
    await seller_move(seller, order, "READY_TO_SHIP")
    await seller_move(seller, order, "SHIPPING", carrier="CJ대한통운", invoice_no="612345678901")
    await seller_move(seller, order, "DELIVERED")
    no, oid = order["order_no"], order["order_id"]
    r = await seller.post(f"/api/admin/orders/{oid}/notes", json={"text": "내부 메모: VIP"})
    assert r.status_code == 200, r.text

    await login(page, "buyer1", "buyer1234")
    await page.goto("/my")
    await shot(page, "my-page")
    await page.locator(f'#my-orders tr[data-order="{no}"] a').click()
    await expect(page).to_have_url(re.compile(f"/my/orders/{oid}$"))
    status = page.locator("[data-section] .badge[data-status]").first
    await expect(status).to_have_text("배송완료")
    await expect(page.locator("#confirm-warning")).to_contain_text("반품/교환")
    await expect(page.locator("#timeline")).not_to_contain_text("내부 메모")  # staff only
    await shot(page, "before-confirm")

    messages: list[str] = []

    async def accept(dialog: Any) -> None:
        messages.append(dialog.message)
        await dialog.accept()

    page.once("dialog", accept)
    await page.click("#confirm-purchase")
    await expect(status).to_have_text("구매확정")
    assert messages and "반품/교환" in messages[0]
    await expect(page.locator("#confirm-purchase")).to_have_count(0)

    # Who did each step.
    who = {after: timeline_entry(page, after).locator(".who") for after in
           ("PREPARING", "READY_TO_SHIP", "SHIPPING", "DELIVERED", "CONFIRMED")}
    await expect(who["PREPARING"]).to_have_text("파트너 · PG")
    await expect(who["READY_TO_SHIP"]).to_have_text("판매자 · 김판매")
    await expect(who["SHIPPING"]).to_have_text("판매자 · 김판매")
    await expect(who["DELIVERED"]).to_have_text("판매자 · 김판매")
    await expect(who["CONFIRMED"]).to_have_text("구매자 · 이구매")
    await expect(timeline_entry(page, "SHIPPING")).to_contain_text("CJ대한통운 612345678901")
    await no_raw_keys(page)
    await shot(page, "confirmed")

    admin = await other_page()  # the seller's own browser
    await login(admin, "seller", "seller1234", admin=True)
    await admin.goto(f"/admin/orders/{oid}")
    await expect(admin.locator("[data-section] .badge[data-status]")).to_have_text("구매확정")
    await expect(timeline_entry(admin, "CONFIRMED")).to_contain_text("이구매")
    await expect(admin.locator('#timeline li[data-action="note"]')).to_contain_text("내부 메모")
    await shot(admin, "admin-confirmed")


async def test_sold_out_and_low_stock_options(shop: Shop, page: Page, shot: Shot) -> None:
    product = await shop.product(stock=10, price=12000, skus=3)
    sold_out, low, plenty = (s["_id"] for s in product["skus"])
    for sku, delta in ((sold_out, -10), (low, -7)):
        r = await shop.inventory.post(f"/skus/{sku}/adjust",
                                      json={"delta": delta, "reason": "browser test"})
        assert r.status_code == 200, r.text

    await page.goto(f"/products/{product['_id']}")
    option = page.locator(f'#sku option[value="{sold_out}"]')
    await expect(option).to_be_disabled()
    await expect(option).to_contain_text("품절")
    await expect(page.locator(f'#sku option[value="{low}"]')).to_be_enabled()
    await expect(page.locator(f'#sku option[value="{low}"]')).to_contain_text("남은 재고 3")
    await expect(page.locator(f'#sku option[value="{plenty}"]')).not_to_contain_text("남은 재고")
    assert await page.locator("#sku").input_value() not in (sold_out, "")
    # A native drop-down does not show in screenshots: list the options in place for the picture.
    await page.locator("#sku").evaluate("el => el.size = el.options.length")
    await shot(page, "options")


async def test_guest_orders_by_bank_transfer(shop: Shop, page: Page, shot: Shot) -> None:
    product = await shop.product(stock=4, price=50000)
    sku = product["skus"][0]["_id"]

    await page.goto(f"/products/{product['_id']}")
    await page.select_option("#sku", sku)
    await page.click("#buy")
    await page.fill("#guest_name", "김손님")
    await page.fill("#guest_phone", "010-5555-6666")
    await page.fill("#guest_password", "pw1234")
    await page.fill("#ship_name", "김손님")
    await page.fill("#ship_phone", "010-5555-6666")
    await fill_address(page)
    await page.check('input[name="payment_method"][value="BANK_TRANSFER"]')
    await expect(page.locator("#total")).to_have_text("50,000원")  # free shipping from 50,000
    await shot(page, "checkout")
    await page.click("#place")

    await page.wait_for_url(re.compile(r"/orders/[^/]+/complete$"))
    oid = page.url.split("/")[-2]
    order = await shop.order(oid)
    assert order["buyer"]["name"] == "김손님" and order["payment_method"] == "BANK_TRANSFER"
    deadline = datetime.fromisoformat(order["deposit_deadline"]).astimezone(KST)

    await expect(page.locator("#virtual-account")).to_contain_text(re.compile(r"은행 \d{12}"))
    await expect(page.locator("#deposit-amount")).to_have_text("50,000원")
    weekday = "월화수목금토일"[deadline.weekday()]
    await expect(page.locator("#deposit-deadline")).to_have_text(
        f"{deadline:%Y-%m-%d} ({weekday}) {deadline:%H:%M} KST")
    await expect(page.locator("#sections .badge[data-status]")).to_have_text("결제대기")
    await expect(page.locator('meta[http-equiv="refresh"]')).to_have_count(0)
    await no_raw_keys(page)
    await shot(page, "complete")


async def test_language_switch_shows_english(shop: Shop, page: Page, shot: Shot) -> None:
    product = await shop.product(stock=3, price=9900, skus=2)
    await page.goto(f"/products/{product['_id']}")
    await expect(page.locator("#buy")).to_have_text("구매하기")
    await page.click("#lang")
    await expect(page.locator("#buy")).to_have_text("Buy now")
    await expect(page.locator("html")).to_have_attribute("lang", "en")
    await expect(page.locator('label[for="qty"]')).to_have_text("Quantity")
    await expect(page.locator("#sku option").first).to_contain_text("3 left")
    await shot(page, "product-en")

    await page.click("#buy")
    await expect(page.locator("h1")).to_have_text("Checkout")
    await expect(page.locator("#place")).to_have_text("Pay ₩12,900")
    body = await page.locator("main").inner_text()
    assert not re.search(r"[가-힣]", body.replace(product["name"], "").replace("옵션", "")), body
    await shot(page, "checkout-en")

    await login(page, "seller", "seller1234", admin=True)
    await expect(page.locator('#tabs [data-tab="preparing"]')).to_contain_text("Preparing")
    await no_raw_keys(page)
    await shot(page, "admin-en")
    await page.click("#lang")
    await expect(page.locator('#tabs [data-tab="preparing"]')).to_contain_text("상품준비")
