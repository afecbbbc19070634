"""The seller's order operations in a real browser: tabs with live counts, columns, split and
merge on the order detail, bulk jobs with live progress, invoice spreadsheets, seller-created
orders the buyer pays from my page.

Each test logs in as a seller account of its own (`new_seller`), so changing tabs or columns
never changes what another test sees, and makes its own products and orders."""

from __future__ import annotations

import asyncio
import io
import re
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook, load_workbook
from playwright.async_api import Page, expect

from contracts.orders.v1 import SectionStatus
from tests.browser.conftest import Shot, accept_dialogs, login
from tests.browser.test_order_journey import no_raw_keys, paid_order
from tests.conftest import SHIP_TO, Shop, eventually
from tests.seeding import seed_orders

pytestmark = pytest.mark.browser
KST = ZoneInfo("Asia/Seoul")


async def seller_login(page: Page, seller: tuple[str, str]) -> None:
    await login(page, seller[0], seller[1], admin=True)


async def settled(shop: Shop, timeout: float = 90) -> float:
    """Wait until the services have consumed a big job's events: a new order placed now gets its
    stock reserved (the next test then orders at normal speed). Returns the seconds waited."""
    product = await shop.product(stock=1, price=1000)
    sku = product["skus"][0]
    started = time.monotonic()
    r = await shop.orders_svc.post("/orders", json={
        "buyer": {"member_id": "buyer1", "name": "이구매", "phone": "010-1111-2222"},
        "ship_to": SHIP_TO, "payment_method": "BANK_TRANSFER", "shipping_fee": 3000,
        "lines": [{"sku_id": sku["_id"], "product_id": product["_id"], "name": product["name"],
                   "option_label": sku["label"], "unit_price": 1000, "quantity": 1}],
        "actor": {"kind": "system", "id": "test", "name": "test"}})
    assert r.status_code == 201, r.text

    async def reserved() -> bool:
        return (await shop.order(r.json()["order_id"]))["stock_status"] == "RESERVED"

    await eventually(reserved, timeout, "stock reserved after the bulk job")
    return time.monotonic() - started


async def test_tabs_add_count_rename_reorder_delete(shop: Shop, page: Page, shot: Shot,
                                                    new_seller: tuple[str, str]) -> None:
    sku = (await shop.product(stock=5, price=7000))["skus"][0]["_id"]
    buyer = await shop.buyer(2)
    r = await shop.place(buyer, sku, qty=2, method="BANK_TRANSFER")
    assert r.status_code == 201, r.text
    no = r.json()["order"]["order_no"]

    await seller_login(page, new_seller)
    await expect(page.locator('#tabs [data-tab="all"] .count')).to_have_text(re.compile(r"^[1-9]"))
    all_count = int((await page.locator('#tabs [data-tab="all"] .count').inner_text()).replace(
        ",", ""))
    api_count = (await (await shop.login(*new_seller, admin=True)).post(
        "/api/admin/orders/list/counts", json={"all": {}})).json()["all"]
    assert abs(all_count - api_count) <= 2, "전체 counts orders (not sections)"

    await page.click("#manage-tabs")
    await expect(page.locator("h1")).to_have_text("탭 관리")
    await page.click("#add-tab")
    await page.fill("#tab-name", "무통장 확인")
    await page.check('input[name="statuses"][value="PAYMENT_PENDING"]')
    await page.check('input[name="payment_methods"][value="BANK_TRANSFER"]')
    await page.fill("#tab-q", no)
    await shot(page, "tab-form")
    await page.click("#save-tab")

    tab = page.locator("#tabs a.on")
    await expect(tab.locator(".label")).to_have_text("무통장 확인")
    await expect(tab.locator(".count")).to_have_text("1")
    await expect(page.locator(f'#orders tr[data-order="{no}"]')).to_be_visible()
    await expect(page.locator("#orders tbody tr.row")).to_have_count(1)
    await expect(page.locator(".flash.ok")).to_contain_text("무통장 확인")
    await no_raw_keys(page)
    await shot(page, "new-tab")
    tab_id = await tab.get_attribute("data-tab")

    await page.click("#manage-tabs")
    row = page.locator(f'#tab-list tr[data-tab="{tab_id}"]')
    await expect(row.locator(".tab-count")).to_have_text("1")
    await row.locator("input.tab-name").fill("입금 확인 필요")
    await row.locator(".rename-btn").click()
    await expect(row.locator("input.tab-name")).to_have_value("입금 확인 필요")
    names = page.locator("#tab-list input.tab-name")
    last = await names.count()
    await row.locator(".move-up").click()
    await expect(names.nth(last - 2)).to_have_value("입금 확인 필요")
    await shot(page, "tabs")
    await page.goto("/admin/orders")
    await expect(page.locator(f'#tabs [data-tab="{tab_id}"] .label')).to_have_text(
        "입금 확인 필요")
    labels = await page.locator("#tabs a[data-tab] .label").all_inner_texts()
    assert labels[-2] == "입금 확인 필요", labels

    await page.click("#manage-tabs")
    messages = accept_dialogs(page)
    await page.locator(f'#tab-list tr[data-tab="{tab_id}"] .delete-tab').click()
    await expect(page.locator(f'#tab-list tr[data-tab="{tab_id}"]')).to_have_count(0)
    assert messages and "입금 확인 필요" in messages[0]
    await page.goto("/admin/orders")
    await expect(page.locator(f'#tabs [data-tab="{tab_id}"]')).to_have_count(0)


async def test_columns_are_chosen_ordered_and_kept(page: Page, shot: Shot,
                                                   new_seller: tuple[str, str]) -> None:
    await seller_login(page, new_seller)
    await page.click("#edit-columns")
    await expect(page.locator("h1")).to_have_text("표시 항목 설정")
    for key in ("items", "quantity", "payment_method"):
        await page.uncheck(f'#col-list input[value="{key}"]')
    for key in ("recipient", "phone"):
        await page.check(f'#col-list input[value="{key}"]')
    amount = page.locator('#col-list li[data-col="amount"]')
    for _ in range(4):  # up to 2nd place: order_no, amount, placed_at, buyer, ...
        await amount.locator(".col-up").click()
    await shot(page, "columns")
    await page.click("#save-columns")

    expected = ["order_no", "amount", "placed_at", "buyer", "status", "invoice", "recipient",
                "phone"]
    heads = page.locator("#orders thead th[data-col]")
    await expect(heads).to_have_count(len(expected))
    assert [await h.get_attribute("data-col") for h in await heads.all()] == expected
    await page.reload()
    assert [await h.get_attribute("data-col") for h in await heads.all()] == expected
    await expect(page.locator("#orders thead")).to_contain_text("수령인")
    first = page.locator("#orders tbody tr.row").first
    await expect(first.locator("td.c-phone")).to_have_text(re.compile(r"^0\d{1,2}-?\d{3,4}"))
    await no_raw_keys(page)
    await shot(page, "list-with-columns")

    # English labels; back to the defaults.
    await page.click("#lang")
    await expect(page.locator('#orders th[data-col="recipient"]')).to_have_text("Recipient")
    await page.click("#lang")
    await page.click("#edit-columns")
    await page.click("#reset-columns")
    await expect(page.locator('#orders thead th[data-col="items"]')).to_be_visible()


async def test_split_merge_and_ship_from_preparing_on_the_detail_page(
        shop: Shop, page: Page, shot: Shot, new_seller: tuple[str, str]) -> None:
    sku = (await shop.product(stock=10, price=11000))["skus"][0]["_id"]
    order = await paid_order(shop, sku, buyer=1, qty=5)
    oid = order["order_id"]

    await seller_login(page, new_seller)
    await page.goto(f"/admin/orders/{oid}")
    sections = page.locator("section.section-card")
    await expect(sections).to_have_count(1)
    await sections.first.locator("summary.act-split-open").click()
    await sections.first.locator("input.split-qty").fill("2")
    await shot(page, "split-form")
    await sections.first.locator(".act-split").click()

    await expect(page.locator(".flash.ok")).to_have_text("묶음을 나눴습니다.")
    await expect(sections).to_have_count(2)
    await expect(sections.nth(0).locator("td.qty")).to_have_text("3")
    await expect(sections.nth(1).locator("td.qty")).to_have_text("2")
    await expect(page.locator('#timeline li[data-action="section_split"]')).to_be_visible()
    await shot(page, "split")

    # Splitting everything is refused with a clear message; nothing changes.
    await sections.nth(1).locator("summary.act-split-open").click()
    await sections.nth(1).locator("input.split-qty").fill("2")
    await sections.nth(1).locator(".act-split").click()
    await expect(page.locator(".flash.error")).to_contain_text("일부 수량만")
    await expect(sections).to_have_count(2)

    for n in range(2):
        await sections.nth(n).locator('input[name="section_ids"]').check()
    await page.click("#merge")
    await expect(page.locator(".flash.ok")).to_contain_text("합쳤습니다")
    await expect(sections).to_have_count(1)
    await expect(sections.first.locator("td.qty")).to_have_text("5")
    await expect(page.locator("#merge")).to_have_count(0)

    # Split again, then ship the new parcel straight from 상품준비.
    await sections.first.locator("summary.act-split-open").click()
    await sections.first.locator("input.split-qty").fill("2")
    await sections.first.locator(".act-split").click()
    await expect(sections).to_have_count(2)
    second = sections.nth(1)
    await second.locator(".ship-now-form select").select_option("우체국택배")
    await second.locator('.ship-now-form input[name="invoice_no"]').fill("6071234567890")
    await second.locator(".act-ship-now").click()
    await expect(page.locator(".flash.ok")).to_contain_text("6071234567890")
    await expect(second.locator(".badge[data-status]")).to_have_text("배송중")
    await expect(sections.nth(0).locator(".badge[data-status]")).to_have_text("상품준비")
    await expect(second.locator(".invoice")).to_contain_text("우체국택배 6071234567890")
    await no_raw_keys(page)
    await shot(page, "shipped-part")

    # 송장 변경: the invoice was typed wrong; only the shipping parcel offers the form.
    await expect(sections.nth(0).locator("summary.act-invoice-change-open")).to_have_count(0)
    await second.locator("summary.act-invoice-change-open").click()
    change = second.locator("form.invoice-change-form")
    await expect(change.locator("select")).to_have_value("우체국택배")
    await change.locator("button.act-invoice-change").click()  # the same carrier and number
    await expect(page.locator(".flash.error")).to_contain_text("이미 우체국택배 6071234567890")
    await second.locator("summary.act-invoice-change-open").click()
    await change.locator("select").select_option("한진택배")
    await change.locator('input[name="invoice_no"]').fill("4581234567")
    await shot(page, "invoice-change-form")
    await change.locator("button.act-invoice-change").click()
    await expect(page.locator(".flash.ok")).to_have_text("송장을 변경했습니다 (한진택배 4581234567).")
    await expect(second.locator(".invoice")).to_contain_text("한진택배 4581234567")
    await expect(second.locator(".badge[data-status]")).to_have_text("배송중")
    changed = page.locator('#timeline li[data-action="invoice_changed"]')
    await expect(changed).to_have_count(1)
    await expect(changed).to_contain_text("송장 변경: 우체국택배 6071234567890 → 한진택배 4581234567")
    await no_raw_keys(page)
    await shot(page, "invoice-changed")

    after = await shop.order(oid)
    assert [(s["status"], sum(i["quantity"] for i in s["items"])) for s in after["sections"]] \
        == [("PREPARING", 3), ("SHIPPING", 2)]
    assert (after["sections"][1]["carrier"], after["sections"][1]["invoice_no"]) == (
        "한진택배", "4581234567")


async def test_bulk_job_on_a_whole_tab_shows_live_progress(
        shop: Shop, page: Page, shot: Shot, new_seller: tuple[str, str]) -> None:
    ids = await seed_orders(shop.stack.infra.mongo, 2000, SectionStatus.PREPARING)
    first = await shop.order(ids[0])
    day = datetime.fromisoformat(first["placed_at"]).astimezone(KST).date()
    seller = await shop.login(*new_seller, admin=True)
    menu = (await seller.get("/api/admin/order-menu")).json()
    menu["tabs"].append({"tab_id": "seeded", "name": "시드 상품준비", "filter": {
        "statuses": ["PREPARING"], "date_from": (day - timedelta(days=1)).isoformat(),
        "date_to": (day + timedelta(days=1)).isoformat()}})
    assert (await seller.put("/api/admin/order-menu", json=menu)).status_code == 200

    await seller_login(page, new_seller)
    await page.goto("/admin/orders?tab=seeded")
    count = page.locator('#tabs [data-tab="seeded"] .count')
    total = int((await count.inner_text()).replace(",", ""))
    assert total >= 2000
    await page.check("#pick-all")
    await expect(page.locator("#sel-count")).to_have_text("50")
    await page.click("#select-matching")
    await expect(page.locator("#sel-count")).to_have_text(f"{total:,}")
    await expect(page.locator("#sel-all-on")).to_be_visible()
    await shot(page, "select-all-matching")
    messages = accept_dialogs(page)
    await page.click('#bulk-bar [data-action="READY_TO_SHIP"]')
    await page.wait_for_url(re.compile(r"/admin/bulk-jobs/\w+$"))
    assert messages and f"{total:,}" in messages[0]

    seen: list[int] = []
    shots = 0
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if await page.locator("#results").count():
            break
        text = await page.locator("#job-processed").inner_text()
        value = int(text.replace(",", ""))
        if not seen or seen[-1] != value:
            seen.append(value)
            if 0 < value < total and shots < 1:
                shots += 1
                await shot(page, "progress")
        await asyncio.sleep(0.05)
    await expect(page.locator("#job-status")).to_have_attribute("data-status", "DONE")
    moving = [v for v in seen if 0 < v < total]
    assert moving, f"the page never showed progress between 0 and {total}: {seen}"
    print(f"progress seen: {seen}")
    await expect(page.locator("#job-processed")).to_have_text(f"{total:,}")
    await expect(page.locator("#job-done")).to_have_text(f"{total:,}")
    await expect(page.locator("#job-failed")).to_have_text("0")
    await expect(page.locator("#all-done")).to_have_count(0)
    await expect(page.locator("#show-done")).to_have_class(re.compile(r"\bon\b"))
    await expect(page.locator("#job-items tbody tr.item")).to_have_count(50)
    await expect(page.locator("#items-next")).to_be_visible()
    await no_raw_keys(page)
    await shot(page, "done")

    assert (await shop.order(ids[0]))["sections"][0]["status"] == "READY_TO_SHIP"
    assert (await shop.order(ids[-1]))["sections"][0]["status"] == "READY_TO_SHIP"
    job_id = page.url.rsplit("/", 1)[1]
    await page.click("#nav-jobs")
    await page.click("#only-finished")
    await expect(page.locator(f'#jobs tr[data-job="{job_id}"]')).to_contain_text("배송대기 처리")
    await shot(page, "jobs")
    print(f"events consumed {await settled(shop):.1f} s after the job")


async def test_older_bulk_jobs_stay_browsable(shop: Shop, page: Page, shot: Shot,
                                             new_seller: tuple[str, str]) -> None:
    ids = await seed_orders(shop.stack.infra.mongo, 52, SectionStatus.DELIVERED)
    jobs = []
    for order_id in ids:  # 52 small jobs: more than one page of the jobs list
        r = await shop.orders_svc.post("/bulk-jobs", json={
            "action": "DELIVER", "actor": {"kind": "seller", "id": "s", "name": "김판매"},
            "targets": [{"order_id": order_id}]})
        jobs.append(r.json()["job_id"])
    await seller_login(page, new_seller)
    await page.goto("/admin/bulk-jobs")
    await expect(page.locator("#jobs tr.row")).to_have_count(50)
    await expect(page.locator(f'#jobs tr[data-job="{jobs[-1]}"]')).to_be_visible()
    await expect(page.locator(f'#jobs tr[data-job="{jobs[0]}"]')).to_have_count(0)
    await page.click("#jobs-older")
    await expect(page.locator(f'#jobs tr[data-job="{jobs[0]}"]')).to_be_visible()
    await expect(page.locator(f'#jobs tr[data-job="{jobs[-1]}"]')).to_have_count(0)
    await expect(page.locator("#jobs-newest")).to_be_visible()
    await no_raw_keys(page)
    await shot(page, "older-jobs")


async def test_bulk_ship_with_invoices_typed_per_row(shop: Shop, page: Page, shot: Shot,
                                                     new_seller: tuple[str, str]) -> None:
    sku = (await shop.product(stock=10, price=9000))["skus"][0]["_id"]
    typed, registered, missing = [await paid_order(shop, sku, buyer=2) for _ in range(3)]
    seller = await shop.seller()
    sid = registered["sections"][0]["section_id"]
    r = await seller.post(f"/api/admin/orders/{registered['order_id']}/sections/{sid}/status",
                          json={"to_status": "READY_TO_SHIP", "carrier": "롯데택배",
                                "invoice_no": "230011112222"})
    assert r.status_code == 200, r.text

    await seller_login(page, new_seller)
    await page.goto("/admin/orders?tab=all&q=010-3333-4444")  # buyer2's phone
    # A row opens its order when clicked anywhere but its controls (pick box, invoice field).
    await page.locator(f'#orders tr[data-order="{typed["order_no"]}"] td.c-placed_at').click()
    await page.wait_for_url(re.compile(rf"/admin/orders/{typed['order_id']}$"))
    await page.go_back()
    await page.locator(f'#orders tr[data-order="{typed["order_no"]}"] td.pick').click(
        position={"x": 2, "y": 2})  # the pick cell's edge, beside its box
    assert "/admin/orders?" in page.url  # still the list (a click waits for what it started)
    for o in (typed, registered, missing):
        await page.locator(f'#orders tr[data-order="{o["order_no"]}"] input.pick').check()
    await expect(page.locator("#sel-count")).to_have_text("3")
    await page.click('#bulk-bar [data-action="SHIP"]')
    await expect(page.locator("#ship-panel")).to_be_visible()
    await page.select_option("#bulk-carrier", "CJ대한통운")
    await page.locator(f'#orders tr[data-order="{typed["order_no"]}"] td.inv-col').click(
        position={"x": 2, "y": 2})  # the invoice cell's edge, beside its field
    assert "/admin/orders?" in page.url
    await page.locator(f'#orders tr[data-order="{typed["order_no"]}"] input.inv').fill(
        "640012345678")
    await shot(page, "ship-panel")
    accept_dialogs(page)
    await page.click("#ship-run")
    await page.wait_for_url(re.compile(r"/admin/bulk-jobs/\w+$"))
    await expect(page.locator("#job-status")).to_have_attribute("data-status", "DONE")
    await expect(page.locator("#job-done")).to_have_text("2")
    await expect(page.locator("#job-failed")).to_have_text("1")
    failed = page.locator("#job-items tr.item")
    await expect(failed).to_have_count(1)  # failed items first
    await expect(failed.locator(".reason")).to_contain_text("송장번호")
    await expect(failed).to_have_attribute("data-order", missing["order_no"])
    await no_raw_keys(page)
    await shot(page, "ship-result")

    one = await shop.order(typed["order_id"])
    two = await shop.order(registered["order_id"])
    three = await shop.order(missing["order_id"])
    assert (one["sections"][0]["status"], one["sections"][0]["invoice_no"]) == \
        ("SHIPPING", "640012345678")
    assert (two["sections"][0]["status"], two["sections"][0]["carrier"]) == ("SHIPPING", "롯데택배")
    assert three["sections"][0]["status"] == "PREPARING"


def invoice_sheet(rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["주문번호", "섹션번호", "택배사", "송장번호", "처리"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


async def test_invoice_upload_reports_each_row(shop: Shop, page: Page, shot: Shot,
                                               new_seller: tuple[str, str]) -> None:
    sku = (await shop.product(stock=10, price=5000))["skus"][0]["_id"]
    ship, ready, untouched = [await paid_order(shop, sku, buyer=1) for _ in range(3)]
    unpaid = (await shop.place(await shop.buyer(1), sku, method="BANK_TRANSFER")).json()["order"]
    sheet = invoice_sheet([
        [ship["order_no"], "", "CJ대한통운", 510000000001, "배송중"],                   # 2 ok
        ["", ready["sections"][0]["section_id"], "한진택배", "520000000002", "배송대기"],  # 3 ok
        [untouched["order_no"], "", "없는택배", "530000000003", "배송중"],              # 4 bad
        [untouched["order_no"], "", "CJ대한통운", "", "배송대기"],                       # 5 bad
        [untouched["order_no"], "", "CJ대한통운", "530000000005", "보류"],              # 6 bad
        ["", "", "CJ대한통운", "530000000006", "배송중"],                              # 7 bad
        [None, None, None, None, None],                                                   # empty
        ["NOPE-0000001", "", "CJ대한통운", "540000000007", "배송중"],                   # 9 job
        [unpaid["order_no"], "", "CJ대한통운", "550000000008", "배송중"],              # 10 job
    ])

    await seller_login(page, new_seller)
    await page.click("#nav-uploads")
    template = await page.request.get("/admin/invoice-uploads/template.xlsx")
    assert template.ok
    ws = load_workbook(io.BytesIO(await template.body())).worksheets[0]
    assert [c.value for c in ws[1]] == ["주문번호", "섹션번호", "택배사", "송장번호", "처리"]
    # The browser's own (English) file button is out of sight; the page names the file.
    await expect(page.locator("#file-name")).to_have_text("선택한 파일 없음")
    assert (await page.locator("#file").bounding_box() or {}).get("width", 0) <= 1
    await page.set_input_files("#file", files=[{
        "name": "송장_0101.xlsx", "buffer": sheet,
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    await expect(page.locator("#file-name")).to_have_text("송장_0101.xlsx")
    await shot(page, "upload")
    await page.click("#upload")

    await page.wait_for_url(re.compile(r"/admin/invoice-uploads/\w+$"))
    await expect(page.locator("#upload-summary")).to_have_attribute("data-finished", "yes")
    await expect(page.locator("#invalid-banner")).to_contain_text("4개 행")
    await expect(page.locator("#sum-rows")).to_have_text("8")
    await expect(page.locator("#sum-done")).to_have_text("2")
    await expect(page.locator("#sum-invalid")).to_have_text("4")
    await expect(page.locator("#sum-failed")).to_have_text("2")

    def row(n: int):  # type: ignore[no-untyped-def]
        return page.locator(f'#report tr[data-row="{n}"]')

    for n in (2, 3):
        await expect(row(n)).to_have_attribute("data-state", "DONE")
    await expect(row(4).locator(".reason")).to_contain_text("알 수 없는 택배사입니다: 없는택배")
    await expect(row(5).locator(".reason")).to_contain_text("송장번호가 비어 있습니다")
    await expect(row(6).locator(".reason")).to_contain_text("배송대기' 또는 '배송중'")
    await expect(row(7).locator(".reason")).to_contain_text("주문번호나 섹션번호가 없습니다")
    await expect(row(9).locator(".reason")).to_contain_text("NOPE-0000001을(를) 찾을 수 없습니다")
    await expect(row(10)).to_have_attribute("data-state", "FAILED")
    await expect(row(10).locator(".reason")).to_contain_text("결제대기")
    await no_raw_keys(page)
    await shot(page, "report")
    await page.click("#show-failed")
    await expect(page.locator("#report tr.rep")).to_have_count(6)

    one, two = await shop.order(ship["order_id"]), await shop.order(ready["order_id"])
    assert (one["sections"][0]["status"], one["sections"][0]["invoice_no"]) == \
        ("SHIPPING", "510000000001")
    assert (two["sections"][0]["status"], two["sections"][0]["carrier"],
            two["sections"][0]["invoice_no"]) == ("READY_TO_SHIP", "한진택배", "520000000002")
    three = await shop.order(untouched["order_id"])
    assert three["sections"][0]["status"] == "PREPARING" and not three["sections"][0]["invoice_no"]
    assert (await shop.order(unpaid["order_id"]))["sections"][0]["status"] == "PAYMENT_PENDING"


async def test_seller_creates_an_order_and_the_buyer_pays_it_from_my_page(
        shop: Shop, page: Page, shot: Shot, new_seller: tuple[str, str],
        other_page: Callable[[], Awaitable[Page]]) -> None:
    product = await shop.product(stock=6, price=23000, skus=2)
    sku = product["skus"][1]["_id"]
    # An older request of the same buyer that will expire unpaid.
    seller_api = await shop.seller()
    r = await seller_api.post("/api/admin/orders", json={
        "member_id": "buyer2", "lines": [{"sku_id": product["skus"][0]["_id"], "quantity": 1}],
        "ship_to": SHIP_TO})
    assert r.status_code == 201, r.text
    stale = r.json()

    await seller_login(page, new_seller)
    await page.click("#nav-new-order")
    await page.wait_for_load_state("load")  # the page's script listens before we pick a member
    await page.select_option("#member_id", "buyer2")
    await expect(page.locator("#ship_name")).to_have_value("박고객")  # from the member
    await page.select_option("#lines select.sku", sku)
    await page.fill("#lines .qty", "2")
    await page.fill("#zipcode", "04524")
    await page.fill("#address1", "서울특별시 중구 세종대로 110")
    await page.fill("#shipping_fee", "3000")
    await page.fill("#discount", "1000")
    await page.fill("#memo", "전화 주문")
    await expect(page.locator("#request-total")).to_have_text("48,000원")  # 46,000 + 3,000 − 1,000
    await no_raw_keys(page)
    await shot(page, "new-order")
    await page.click("#create-order")

    await expect(page).to_have_url(re.compile(r"/admin/orders/\w+$"))
    await expect(page.locator(".flash.ok")).to_contain_text("박고객")
    await expect(page.locator("[data-section] .badge[data-status]")).to_have_text("결제대기")
    await expect(page.locator("#payment-request-state")).to_contain_text("KST")
    await expect(page.locator("#paid-amount")).to_have_text("48,000원")
    await shot(page, "created")
    oid = page.url.rsplit("/", 1)[1]
    order = await shop.order(oid)
    assert order["channel"] == "SELLER" and order["payment_method"] == "UNSELECTED"
    deadline = datetime.fromisoformat(order["deposit_deadline"]).astimezone(KST)

    buyer = await other_page()
    await login(buyer, "buyer2", "buyer1234")
    await buyer.goto("/my")
    box = buyer.locator(f'#payment-requests .pay-request[data-order-id="{oid}"]')
    await expect(box.locator(".pr-amount")).to_have_text("48,000원")
    await expect(box.locator(".deadline")).to_contain_text(f"{deadline:%Y-%m-%d}")
    await expect(box.locator(".deadline")).to_contain_text(f"{deadline:%H:%M} KST")
    await expect(buyer.locator(f'#notifications .notice.request[data-order="{order["order_no"]}"]')
                 ).to_be_visible()
    await no_raw_keys(buyer)
    await shot(buyer, "my-page-request")

    # Bank transfer first (a virtual account), then the buyer changes their mind: card.
    await box.locator(".pay-bank").click()
    await expect(buyer.locator("#virtual-account")).to_contain_text(re.compile(r"은행 \d{12}"))
    await expect(buyer.locator("#deposit-amount")).to_have_text("48,000원")
    await shot(buyer, "bank")
    await buyer.goto("/my")
    await expect(box.locator(".account")).to_contain_text("은행")
    await box.locator(".pay-card").click()
    await buyer.wait_for_url(re.compile(r"/pg/checkout/"))
    await expect(buyer.locator("#amount")).to_have_text("48,000원")
    await buyer.get_by_role("button", name="결제하기").click()
    await buyer.wait_for_url(re.compile(r"/orders/[^/]+/complete"))
    await expect(buyer.locator("#payment-status")).to_have_text("결제완료", timeout=20_000)
    await expect(buyer.locator("#sections .badge[data-status]")).to_have_text("상품준비")
    paid = await shop.order(oid)
    assert paid["payment_method"] == "CARD" and paid["payment_status"] == "PAID"

    # The stale request passes its deadline: cancelled, and my page says so.
    async with shop.stack.client("orders") as orders_svc:
        days = (await orders_svc.get("/settings")).json()["deposit_deadline_days"]
        await orders_svc.post("/_test/clock", json={"seconds": days * 86400 + 60})
    await shop.wait_status(stale["order_id"], "CANCELLED")
    await buyer.goto("/my")
    notice = buyer.locator(f'#notifications .notice.expired[data-order="{stale["order_no"]}"]')
    await expect(notice).to_contain_text("입금 기한이 지나")
    await expect(buyer.locator("#payment-requests")).to_have_count(0)
    await no_raw_keys(buyer)
    await shot(buyer, "my-page-expired")


async def test_the_complete_page_stops_waiting_after_20_seconds(shop: Shop, page: Page,
                                                                shot: Shot) -> None:
    sku = (await shop.product(stock=3, price=4000))["skus"][0]["_id"]
    await login(page, "buyer1", "buyer1234")
    r = await page.request.post("/api/orders", data={
        "lines": [{"sku_id": sku, "quantity": 1}], "payment_method": "CARD", "ship_to": SHIP_TO})
    assert r.ok, await r.text()
    oid = (await r.json())["order"]["order_id"]
    await page.goto(f"/orders/{oid}/complete?since={time.time() - 18:.0f}")
    await expect(page.locator("#payment-waiting")).to_be_visible()
    await expect(page.locator('meta[http-equiv="refresh"]')).to_have_count(1)
    # Still unpaid ~20 s after the first visit: no more refreshing, and a clear message.
    await expect(page.locator("#payment-not-confirmed")).to_be_visible(timeout=10_000)
    await expect(page.locator('meta[http-equiv="refresh"]')).to_have_count(0)
    await expect(page.locator("#payment-not-confirmed")).to_contain_text("아직 확인되지 않았습니다")
    await no_raw_keys(page)
    await shot(page, "not-confirmed")
    assert (await shop.order(oid))["payment_status"] == "PENDING"
