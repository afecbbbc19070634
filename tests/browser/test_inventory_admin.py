"""The catalogue and stock pages in a real browser: the seller builds a product from combination
options (SKU grid), the store then refuses its sold-out options and shows what is left of the low
ones; stock adjustments land in the SKU's ledger; the legacy-stock report and its conversion."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.async_api import Page, expect

from tests.browser.conftest import Shot, accept_dialogs, login
from tests.browser.test_order_journey import no_raw_keys
from tests.conftest import Shop

pytestmark = pytest.mark.browser
RAW_KEYS = re.compile(r"\b(?:kind|reason|msg|mode|filter)_[A-Za-z_]+\b|\bRECEIVED\b|\bSELECT\b")


async def no_inventory_keys(page: Page) -> None:
    await no_raw_keys(page)
    text = await page.locator("main").inner_text()
    assert not RAW_KEYS.search(text), f"untranslated key on {page.url}: {RAW_KEYS.search(text)!r}"


def row(page: Page, label: str):  # type: ignore[no-untyped-def]
    return page.locator("#sku-grid tr.sku-row", has=page.locator("b", has_text=re.compile(
        f"^{re.escape(label)}$")))


async def test_seller_builds_a_sku_grid_and_the_store_refuses_sold_out_options(
        shop: Shop, page: Page, shot: Shot) -> None:
    product_id = f"B{uuid.uuid4().hex[:7].upper()}"
    await login(page, "seller", "seller1234", admin=True)
    await page.click("#nav-products")
    await expect(page.locator("h1")).to_have_text("상품·재고")
    await page.click("#new-product")

    await page.fill("#product_id", product_id)
    await page.fill("#name", "린넨 셔츠")
    await page.fill("#category_id", "TOPS")
    await page.fill("#base_price", "39000")
    await page.fill('input[name="co_values_0"]', "블루, 화이트")
    await page.fill('input[name="co_values_1"]', "M, L")
    await page.click("#add-independent")
    await page.fill('input[name="io_name_0"]', "선물포장")
    await page.fill('input[name="io_values_0"]', "안 함, 포장")
    await page.click("#generate")
    await expect(page.locator(".flash.info")).to_contain_text("옵션 조합 4개")
    await expect(page.locator("#sku-grid tr.sku-row")).to_have_count(4)

    await page.fill("#all-stock", "8")
    await page.click("#apply-all")
    await row(page, "화이트 / L").locator("input.stock").fill("0")
    await row(page, "블루 / L").locator("input.stock").fill("2")
    await row(page, "블루 / L").locator("input.delta").fill("3000")
    await row(page, "블루 / M").locator('input[type="checkbox"]').check()
    await expect(row(page, "블루 / L").locator(".price")).to_have_text("42,000원")
    await shot(page, "grid-before-save")
    await page.click("#save")

    await expect(page.locator(".flash.ok")).to_contain_text("저장했습니다 (SKU 4개)")
    await expect(page.locator("#product-title")).to_have_text("린넨 셔츠")
    await expect(row(page, "블루 / L").locator(".code")).to_have_text(
        re.compile(rf"^{product_id}-V[0-9A-F]{{5}}-L$"))
    await expect(row(page, "화이트 / L").locator(".tag.out")).to_have_text("품절")
    await expect(row(page, "블루 / L").locator(".tag.low")).to_have_text("재고 부족")
    await no_inventory_keys(page)
    await shot(page, "editor-saved")

    await page.goto(f"/products/{product_id}")
    options = page.locator("#sku option")
    await expect(options).to_have_count(4)
    sold_out = page.locator("#sku option", has_text="화이트 / L")
    await expect(sold_out).to_be_disabled()
    await expect(sold_out).to_contain_text("품절")
    await expect(page.locator("#sku option", has_text="블루 / M")).to_be_disabled()
    low = page.locator("#sku option", has_text="블루 / L")
    await expect(low).to_be_enabled()
    await expect(low).to_contain_text("남은 재고 2개")
    await expect(low).to_contain_text("42,000원")
    await page.locator("#sku").select_option(await low.get_attribute("value"))
    await expect(page.locator("#stock-note")).to_have_text("남은 재고 2개")
    await page.locator("#sku").evaluate("el => el.size = el.options.length")
    await shot(page, "store-options")

    await page.goto("/admin/products")
    listed = page.locator(f'#products tr[data-product="{product_id}"]')
    await expect(listed).to_contain_text("린넨 셔츠")
    await expect(listed.locator(".tag.out")).to_have_text("품절 2")
    await expect(listed.locator(".tag.low")).to_have_text("부족 1")
    await shot(page, "product-list")


async def test_seller_adjusts_stock_with_a_reason_and_sees_it_in_the_ledger(
        shop: Shop, page: Page, shot: Shot) -> None:
    product = await shop.product(stock=4, price=12000)
    sku = product["skus"][0]["_id"]
    buyer = await shop.buyer(1)
    assert (await shop.place(buyer, sku, qty=1)).status_code == 201
    await login(page, "seller", "seller1234", admin=True)

    await page.goto(f"/admin/stock/{sku}")
    await expect(page.locator("#c-available")).to_have_text("3")
    await expect(page.locator("#c-reserved")).to_have_text("1")
    await page.fill("#adj-qty", "12")
    await page.select_option("#adj-reason", "RECEIVED")
    await page.fill("#adj-note", "2차 입고분")
    await expect(page.locator("#adj-after")).to_have_text("15")
    await page.click("#adjust")

    await expect(page.locator(".flash.ok")).to_contain_text("재고를 조정했습니다: 3 → 15")
    await expect(page.locator("#c-available")).to_have_text("15")
    first = page.locator("#ledger tbody tr").first
    await expect(first).to_contain_text("재고 조정")
    await expect(first).to_contain_text("입고 · 2차 입고분")
    await expect(first).to_contain_text("3 → 15")
    await expect(first).to_contain_text("김판매")
    await expect(page.locator('#ledger tr[data-kind="reserve"]')).to_contain_text("주문 예약")
    await expect(page.locator("#audit")).to_contain_text("이력 합계 = 현재 재고")
    await no_inventory_keys(page)
    await shot(page, "ledger")

    await page.click("#mode-remove")
    await page.fill("#adj-qty", "40")
    await page.click("#adjust")
    await expect(page.locator(".flash.error")).to_contain_text("판매가능 재고는 15개라서 40개를 뺄 수 없습니다")
    await expect(page.locator("#c-available")).to_have_text("15")

    await page.click("#mode-set")
    await page.fill("#adj-qty", "14")
    await page.select_option("#adj-reason", "COUNT")
    await page.click("#adjust")
    await expect(page.locator(".flash.ok")).to_contain_text("15 → 14")
    await expect(page.locator("#ledger tbody tr").first).to_contain_text("재고 실사")


async def test_legacy_stock_report_converts_an_option_and_clears_the_warning(
        shop: Shop, page: Page, shot: Shot) -> None:
    product_id = f"L{uuid.uuid4().hex[:7].upper()}"
    seller = await shop.seller()
    r = await seller.post("/api/admin/products/import", json={"products": [
        {"product_id": product_id, "name": "아로마 디퓨저 (구 시스템)", "base_price": 25000,
         "independent_options": [
             {"name": "향", "values": [{"value": "베르가못", "stock": 9},
                                      {"value": "블랙체리", "stock": 2}]},
             {"name": "선물포장", "values": ["안 함", "포장"], "stock": 100}]}]})
    assert r.status_code == 200 and r.json()["imported"] == 1, r.text
    accept_dialogs(page)
    await login(page, "seller", "seller1234", admin=True)

    await page.goto("/admin/products")
    await expect(page.locator("#legacy-banner")).to_contain_text("비조합형 옵션에 재고가 설정된 상품")
    await page.click("#nav-legacy")
    rows = page.locator(f'#legacy-report tr[data-product="{product_id}"]')
    await expect(rows).to_have_count(3)
    await shot(page, "report")

    await page.locator(f'#legacy-report tr[data-product="{product_id}"][data-option="향"] '
                       "button.convert").click()
    await expect(page.locator(".flash.ok")).to_contain_text("'향' 옵션을 조합형으로 전환했습니다")
    await expect(rows).to_have_count(1)
    await page.locator(f'#legacy-report tr[data-product="{product_id}"] button.drop').click()
    await expect(page.locator(".flash.ok")).to_contain_text("'선물포장' 옵션의 재고 설정을 삭제했습니다")
    await expect(rows).to_have_count(0)

    await page.goto(f"/admin/products/{product_id}")
    await expect(row(page, "베르가못").locator("input.stock")).to_have_value("9")
    await expect(row(page, "블랙체리").locator("input.stock")).to_have_value("2")
    await expect(page.locator('input[name="co_name_0"]')).to_have_value("향")
    await expect(page.locator("#legacy-box")).to_have_count(0)
    await expect(page.locator("#inactive-card")).to_contain_text("단일 상품")
    await shot(page, "converted")


async def test_the_catalogue_pages_read_in_english(shop: Shop, page: Page, shot: Shot) -> None:
    sku = (await shop.product(stock=2))["skus"][0]["_id"]
    await login(page, "seller", "seller1234", admin=True)
    await page.goto("/admin/stock")
    await page.click("#lang")
    await expect(page.locator("#nav-products")).to_have_text("Products & stock")
    await expect(page.locator("#inv-nav")).to_contain_text("Stock on independent options")
    await page.goto(f"/admin/stock/{sku}")
    await expect(page.locator("#adjust-form h2")).to_have_text("Adjust stock")
    await expect(page.locator("#ledger tbody tr").first).to_contain_text("Initial stock")
    await no_inventory_keys(page)
    await shot(page, "english")
