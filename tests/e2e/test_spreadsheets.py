"""Spreadsheets: the order list exported to CSV / XLSX (the tab's filter and search, the user's
columns, every row, Korean intact) and invoice uploads (valid rows land in 배송대기 / 배송중 through
bulk jobs, invalid rows are reported with their row number and change nothing)."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from openpyxl import Workbook, load_workbook
from pymongo import AsyncMongoClient

from contracts.orders.v1 import SectionStatus
from gateway.auth import Accounts, User
from tests.conftest import Shop, eventually
from tests.seeding import seed_orders

KST = ZoneInfo("Asia/Seoul")
COLUMNS = ["order_no", "placed_at", "buyer", "items", "amount", "status", "address"]
LABELS = ["주문번호", "주문일시", "구매자", "상품", "결제금액", "주문상태", "배송지"]


async def own_seller(shop: Shop) -> httpx.AsyncClient:
    """A seller account of its own: its menu (tabs, columns) is this test's alone."""
    user_id = f"sheet-{uuid.uuid4().hex[:8]}"
    client: AsyncMongoClient[Any] = AsyncMongoClient(shop.stack.infra.mongo)
    try:
        await Accounts(client["gateway"]).create(
            User(user_id=user_id, role="seller", name="엑셀담당"), "sheet1234")
    finally:
        await client.close()
    return await shop.login(user_id, "sheet1234", admin=True)


async def list_all(seller: httpx.AsyncClient, flt: dict[str, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = (await seller.post("/api/admin/orders/list", json={
            "filter": flt, "page": {"limit": 500, "cursor": cursor}})).json()
        rows += page["rows"]
        cursor = page["next_cursor"]
        if not cursor:
            return rows


def kst(placed_at: str) -> datetime:
    return datetime.fromisoformat(placed_at).astimezone(KST).replace(tzinfo=None, microsecond=0)


async def test_export_matches_the_list_and_the_chosen_columns(shop: Shop) -> None:
    ids = await seed_orders(shop.stack.infra.mongo, 1100, SectionStatus.DELIVERED)
    seller = await own_seller(shop)
    first = await shop.order(ids[0])
    day = datetime.fromisoformat(first["placed_at"]).astimezone(KST).date()
    flt = {"statuses": ["DELIVERED"], "date_from": (day - timedelta(days=1)).isoformat(),
           "date_to": (day + timedelta(days=1)).isoformat()}
    menu = (await seller.get("/api/admin/order-menu")).json()
    menu["tabs"].append({"tab_id": "delivered-seed", "name": "배송완료 시드", "filter": flt})
    menu["columns"] = COLUMNS
    assert (await seller.put("/api/admin/order-menu", json=menu)).status_code == 200
    expected = await list_all(seller, flt)
    assert len(expected) >= 1100, "more rows than one /list page: the export pages through"

    r = await seller.get("/api/admin/orders/list/export",
                         params={"format": "csv", "tab": "delivered-seed"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    assert r.content.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM, so Excel reads Korean"
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0] == LABELS
    assert len(rows) - 1 == len(expected)
    for got, want in zip(rows[1:], expected, strict=True):
        assert got[0] == want["order_no"]
        assert got[1] == kst(want["placed_at"]).strftime("%Y-%m-%d %H:%M")
        assert got[2] == want["buyer_name"] and got[3] == want["items_summary"]
        assert got[4] == str(want["amount"])
        assert got[5] == "배송완료"
        assert got[6] == want["address"]
    assert rows[1][3] == "시드 상품" and "서울특별시" in rows[1][6]

    r = await seller.get("/api/admin/orders/list/export",
                         params={"format": "xlsx", "tab": "delivered-seed"})
    assert r.status_code == 200, r.text
    ws = load_workbook(io.BytesIO(r.content), read_only=True).worksheets[0]
    sheet = [list(row) for row in ws.iter_rows(values_only=True)]
    assert sheet[0] == LABELS
    assert [row[0] for row in sheet[1:]] == [w["order_no"] for w in expected]
    top, want = sheet[1], expected[0]
    assert top[1] == kst(want["placed_at"]) and top[4] == want["amount"]
    assert isinstance(top[4], int) and top[2] == want["buyer_name"] and top[5] == "배송완료"

    # The search box narrows the export like the list; the page route serves the same file.
    one = expected[5]["order_no"]
    r = await seller.get("/admin/orders/export.csv", params={"tab": "delivered-seed", "q": one})
    assert r.status_code == 200
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert [x[0] for x in rows[1:]] == [one]


async def test_export_of_a_real_order_keeps_korean_text(shop: Shop) -> None:
    sku = (await shop.product(stock=3, price=15000))["skus"][0]["_id"]
    buyer, seller = await shop.buyer(1), await own_seller(shop)
    placed = (await shop.place(buyer, sku, qty=2, memo="문 앞에 놓아주세요")).json()
    no = placed["order"]["order_no"]
    menu = (await seller.get("/api/admin/order-menu")).json()
    menu["columns"] = ["order_no", "buyer", "recipient", "memo", "payment_method", "amount"]
    assert (await seller.put("/api/admin/order-menu", json=menu)).status_code == 200

    async def exported() -> list[list[str]] | None:
        r = await seller.get("/api/admin/orders/list/export",
                             params={"format": "csv", "tab": "all", "q": no})
        rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
        return rows if len(rows) == 2 else None

    rows = await eventually(exported, 10, "the order in the list")
    assert rows == [["주문번호", "구매자", "수령인", "배송메모", "결제수단", "결제금액"],
                    [no, "이구매", "홍길동", "문 앞에 놓아주세요", "신용카드", "33000"]]


def xlsx(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header or ["주문번호", "섹션번호", "택배사", "송장번호", "처리"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


async def paid(shop: Shop, sku: str) -> dict[str, Any]:
    placed = (await shop.place(await shop.buyer(2), sku)).json()
    return await shop.pay_card(placed)


async def test_upload_lands_good_rows_and_reports_bad_ones(shop: Shop) -> None:
    sku = (await shop.product(stock=10, price=6000))["skus"][0]["_id"]
    a, b, c, d = [await paid(shop, sku) for _ in range(4)]
    seller = await own_seller(shop)
    sheet = [
        ["주문번호", "섹션번호", "택배사", "송장번호", "처리"],
        [a["order_no"], "", "CJ대한통운", "610000000001", "배송중"],
        ["", b["sections"][0]["section_id"], "롯데택배", "620000000002", "배송대기"],
        [c["order_no"], "", "대한통운", "630000000003", "배송중"],
        [c["order_no"], "", "한진택배", "", "배송중"],
        [c["order_no"], "", "한진택배", "630000000005", "출고"],
        ["", "", "한진택배", "630000000006", "배송중"],
        [d["order_no"], "", "우체국택배", "640000000007", "배송대기"],
        [d["order_no"], "", "우체국택배", "640000000008", "배송중"],  # the same order again
        ["NOPE-1", "", "로젠택배", "650000000009", "배송중"],
    ]
    buf = io.StringIO()
    csv.writer(buf).writerows(sheet)
    data = buf.getvalue().encode("cp949")  # as Korean Excel saves a CSV
    r = await seller.post("/api/admin/invoice-uploads",
                          files={"file": ("송장.csv", data, "text/csv")})
    assert r.status_code == 201, r.text
    up = r.json()
    assert up["rows"] == 9 and up["good"] == 4
    bad = {x["row"]: [e["code"] for e in x["errors"]] for x in up["bad_rows"]}
    assert bad == {4: ["row_unknown_carrier"], 5: ["row_no_invoice"],
                   6: ["row_unknown_action"], 7: ["row_no_order"], 9: ["row_duplicate"]}
    assert set(up["jobs"]) == {"READY_TO_SHIP", "SHIP"}

    async def report() -> dict[str, Any] | None:
        rep = (await seller.get(f"/api/admin/invoice-uploads/{up['upload_id']}")).json()
        return rep if rep["finished"] else None

    rep = await eventually(report, 30, "upload jobs finished")
    states = {x["row"]: (x["state"], x.get("reason", "")) for x in rep["rows"]}
    assert [states[n][0] for n in (2, 3, 8)] == ["DONE"] * 3
    assert states[10] == ("FAILED", "order NOPE-1 not found")
    assert [states[n][0] for n in (4, 5, 6, 7, 9)] == ["INVALID"] * 5
    assert rep["summary"] == {"rows": 9, "invalid": 5, "done": 3, "failed": 1}

    def section(o: dict[str, Any]) -> tuple[str, str, str]:
        s = o["sections"][0]
        return s["status"], s["carrier"], s["invoice_no"]

    assert section(await shop.order(a["order_id"])) == ("SHIPPING", "CJ대한통운", "610000000001")
    assert section(await shop.order(b["order_id"])) == ("READY_TO_SHIP", "롯데택배",
                                                        "620000000002")
    assert section(await shop.order(c["order_id"])) == ("PREPARING", "", "")
    assert section(await shop.order(d["order_id"])) == ("READY_TO_SHIP", "우체국택배",
                                                        "640000000007")


async def test_upload_a_wrong_file_is_refused_and_changes_nothing(shop: Shop) -> None:
    seller = await own_seller(shop)
    no_action = xlsx([["X-1", "", "CJ대한통운", "1234567890"]],
                     header=["주문번호", "섹션번호", "택배사", "송장번호"])
    r = await seller.post("/api/admin/invoice-uploads", files={"file": ("a.xlsx", no_action)})
    assert r.status_code == 400 and "action" in r.json()["message"]
    r = await seller.post("/api/admin/invoice-uploads", files={"file": ("a.pdf", b"%PDF-1.4")})
    assert r.status_code == 400 and r.json()["error"] == "bad_file"
    r = await seller.post("/api/admin/invoice-uploads", files={"file": ("a.xlsx", b"PK\x03\x04x")})
    assert r.status_code == 400 and r.json()["error"] == "bad_file"
    r = await shop.client().post("/api/admin/invoice-uploads", files={"file": ("a.csv", b"x")})
    assert r.status_code == 401
