"""What a hostile client or a fuzzer sends gets a 4xx {error, message} and changes nothing:
values no database holds, loose types, dates at the edges, ids that would rewrite the internal
request, oversized bodies and spreadsheets."""

from __future__ import annotations

import asyncio
import base64
import csv
import io
import json
import re
import time
import zipfile
from typing import Any

import httpx
from openpyxl import Workbook, load_workbook
from pymongo import AsyncMongoClient

from integrations.signing import sign
from tests.conftest import SHIP_TO, Shop, eventually
from tests.e2e.test_spreadsheets import own_seller
from tests.stack import PG_SECRET

JSON = {"content-type": "application/json"}
HTML = {"accept": "text/html"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def refused(r: httpx.Response, status: int | None = None) -> dict[str, Any]:
    """A clean refusal: 4xx (or `status`), a JSON body with error and message."""
    assert 400 <= r.status_code < 500 if status is None else r.status_code == status, (
        r.status_code, r.text[:300])
    body = r.json()
    assert body.get("error") and body.get("message"), body
    return body


def order_body(**line: Any) -> dict[str, Any]:
    return {"lines": [{"sku_id": "X", "quantity": 1, **line}], "payment_method": "CARD",
            "ship_to": SHIP_TO}


# ---- values no database can hold, loose types ----


async def test_unstorable_json_values_are_refused_by_the_gateway_and_every_service(
        shop: Shop) -> None:
    seller = await shop.seller()
    buyer = await shop.buyer(1)
    raws = [b'{"memo": "\\ud800", "lines": [], "payment_method": "CARD"}',
            b'{"lines": [{"sku_id": "X", "quantity": NaN}], "payment_method": "CARD"}',
            b'{"lines": [{"sku_id": "X", "quantity": 1e400}], "payment_method": "CARD"}',
            b'{"lines": [{"sku_id": "X", "quantity": -Infinity}], "payment_method": "CARD"}',
            b'{"lines": [{"sku_id": "X", "quantity": 1000000000000000000000000000000}]}']
    for raw in raws:
        refused(await buyer.post("/api/orders", content=raw, headers=JSON), 422)
        # Bodies the gateway passes on as they are, and the services' own APIs.
        refused(await seller.put("/api/admin/order-menu", content=raw, headers=JSON), 422)
        refused(await seller.post("/api/admin/orders/list", content=raw, headers=JSON), 422)
        refused(await shop.orders_svc.post("/orders", content=raw, headers=JSON), 422)
        refused(await shop.inventory.post("/skus/X/adjust", content=raw, headers=JSON), 422)
    refused(await seller.put("/api/admin/order-menu", content=b'{"\\udfff": 1}', headers=JSON),
            422)


async def test_a_validation_error_does_not_echo_the_input(shop: Shop) -> None:
    buyer = await shop.buyer(1)
    r = await buyer.post("/api/orders", json={**order_body(), "memo": "M" * 5000})

    body = refused(r, 422)
    assert "M" * 100 not in r.text
    assert all("input" not in e for e in body.get("errors", []))


async def test_numbers_and_flags_are_strict(shop: Shop) -> None:
    sku = (await shop.product(stock=5))["skus"][0]["_id"]
    buyer = await shop.buyer(1)
    for line in ({"quantity": True}, {"quantity": "1"}, {"quantity": 1.0}):
        refused(await buyer.post("/api/orders", json=order_body(sku_id=sku, **line)), 422)
        refused(await buyer.post("/api/checkout/quote", json={
            "lines": [{"sku_id": sku, **line}]}), 422)
    refused(await shop.inventory.post(f"/skus/{sku}/adjust", json={
        "delta": True, "reason": "x"}), 422)
    refused(await shop.inventory.put(f"/skus/{sku}/sold-out", json={"sold_out": 1}), 422)
    assert (await shop.sku(sku))["available"] == 5


async def test_huge_numbers_in_bulk_jobs_and_signed_webhooks_are_refused(shop: Shop) -> None:
    seller = await shop.seller()
    for row in (10**30, 10**15):
        refused(await seller.post("/api/admin/bulk-jobs", json={
            "action": "READY_TO_SHIP", "targets": [{"order_no": "NOPE-1", "row": row}]}), 422)
    huge = str(10**30)
    refused(await seller.get("/api/admin/bulk-jobs/nope/items", params={"after": huge}), 422)
    refused(await seller.get("/api/admin/skus/nope/ledger", params={"before": huge}), 422)
    refused(await seller.get("/api/admin/products", params={"offset": huge}), 422)
    sku = (await shop.product(stock=5))["skus"][0]["_id"]
    buyer = await shop.buyer(1)
    order = (await shop.place(buyer, sku, method="BANK_TRANSFER")).json()["order"]
    for amount, ctype in ((10**30, "application/json"), (2**62, "text/plain")):
        body = json.dumps({"event": "deposit.received", "tx_id": f"huge-{amount}",
                           "order_id": order["order_id"], "amount": amount,
                           "method": "BANK_TRANSFER"}).encode()
        r = await shop.webhooks.post("/webhooks/pg", content=body, headers={
            "content-type": ctype, "x-pg-signature": sign(PG_SECRET, body)})
        refused(r)
    assert (await shop.order(order["order_id"]))["payment_status"] == "PENDING"


# ---- dates at the edges ----


async def test_dates_at_the_edges_are_refused_and_cursors_without_an_offset_work(
        shop: Shop) -> None:
    seller = await shop.seller()
    for flt in ({"date_to": "9999-12-31"}, {"date_from": "0001-01-01"},
                {"date_from": "9999-12-31", "date_to": "9999-12-31"}):
        refused(await seller.post("/api/admin/orders/list", json={"filter": flt}), 422)
        refused(await seller.post("/api/admin/orders/list/counts", json={"t": flt}), 422)
        refused(await seller.post("/api/admin/bulk-jobs", json={
            "action": "DELIVER", "filter": flt}), 422)
    for before in ("9999-12-31T23:59:59", "0001-01-01T00:00:00+09:00"):
        refused(await seller.get("/api/admin/orders", params={"before": before}), 422)
        refused(await seller.get("/api/admin/bulk-jobs", params={"before": before}), 422)
    for before in ("2026-01-01T00:00:00", "2026-01-01T00:00:00+09:00"):
        assert (await seller.get("/api/admin/orders", params={"before": before})).status_code == 200
        assert (await seller.get("/api/admin/bulk-jobs",
                                 params={"before": before})).status_code == 200
    naive = base64.urlsafe_b64encode(json.dumps(["2026-01-01T00:00:00", "x"]).encode()).decode()
    far = base64.urlsafe_b64encode(json.dumps(["9999-12-31T23:59:59+00:00", "x"]).encode()).decode()
    r = await seller.post("/api/admin/orders/list", json={"page": {"cursor": naive}})
    assert r.status_code == 200, r.text
    refused(await seller.post("/api/admin/orders/list", json={"page": {"cursor": far}}), 400)


async def test_a_tab_with_an_edge_date_is_refused_and_an_old_one_keeps_the_menu_working(
        shop: Shop) -> None:
    seller = await shop.seller()
    menu = (await seller.get("/api/admin/order-menu")).json()
    bad = {"tab_id": "far", "name": "far", "filter": {"date_to": "9999-12-31"}}
    refused(await seller.put("/api/admin/order-menu",
                             json={**menu, "tabs": [*menu["tabs"], bad]}), 422)
    # A tab saved before dates were checked.
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(shop.stack.infra.mongo)
    views = client["orders"]["views"]
    await views.replace_one({"_id": "seller"}, {"_id": "seller", "tabs": [*menu["tabs"], bad],
                                                "columns": menu["columns"]}, upsert=True)
    try:
        r = await seller.get("/api/admin/order-menu")
        assert r.status_code == 200, r.text
        far = next(t for t in r.json()["tabs"] if t["tab_id"] == "far")
        assert far["filter"]["date_to"] is None
        assert (await seller.get("/admin/orders", headers=HTML)).status_code == 200
        assert (await seller.get("/admin/orders?tab=far", headers=HTML)).status_code == 200
    finally:
        await views.delete_one({"_id": "seller"})
        await client.close()


# ---- {error, message} for every refusal ----


async def test_unknown_routes_wrong_methods_and_broken_json_answer_error_and_message(
        shop: Shop) -> None:
    buyer = await shop.buyer(1)
    integrations = shop.stack.client("integrations")
    for c in (buyer, shop.orders_svc, shop.inventory, integrations):
        assert refused(await c.get("/no/such/route"), 404)["error"] == "not_found"
        assert refused(await c.delete("/health"), 405)["error"] == "method_not_allowed"
    await integrations.aclose()
    assert refused(await buyer.post("/api/orders", content=b'{"lines": [',
                                    headers=JSON), 422)["error"] == "invalid_json"
    refused(await shop.orders_svc.post("/orders", content=b"{", headers=JSON), 422)


async def test_a_csv_field_over_the_csv_limit_is_a_bad_file(shop: Shop) -> None:
    seller = await shop.seller()
    sheet = ("주문번호,택배사,송장번호,처리\n" + "A" * 200_000 + ",CJ대한통운,1234,배송중\n")
    r = await seller.post("/api/admin/invoice-uploads",
                          files={"file": ("big.csv", sheet.encode(), "text/csv")})

    refused(r, 400)


async def test_an_oversized_body_is_refused_with_413_before_it_is_read(shop: Shop) -> None:
    c = shop.client()
    r = await c.post("/api/auth/login", content=b'{"user_id": "' + b"x" * 3_000_000 + b'"}',
                     headers=JSON)
    assert refused(r, 413)["error"] == "too_large"

    async def endless() -> Any:
        for _ in range(3000):  # 3 MB without a Content-Length
            yield b"x" * 1000

    r = await c.post("/api/auth/login", content=endless(), headers=JSON)
    assert refused(r, 413)["error"] == "too_large"


# ---- ids in paths ----


async def test_ids_that_would_rewrite_the_internal_request_are_refused(shop: Shop) -> None:
    pid = (await shop.product(stock=3))["skus"][0]["_id"].rsplit("-", 1)[0]
    buyer = await shop.buyer(1)
    seller = await shop.seller()
    assert (await buyer.get(f"/api/products/{pid}")).status_code == 200
    refused(await buyer.get(f"/api/products/{pid}%3Fall=true"), 422)
    refused(await buyer.get(f"/api/products/{pid}%23x"), 422)
    refused(await buyer.get("/api/me/orders/lookup%3Forder_no=20260101-000001"), 422)
    for bad in ("a%01b", "a%0Ab", "a%20b", "..", "%2E%2E", ".hidden", "x" * 101):
        refused(await seller.get(f"/api/admin/orders/{bad}"))
        refused(await seller.get(f"/api/admin/bulk-jobs/{bad}/items"))
        refused(await seller.get(f"/api/admin/skus/{bad}"))
    # Seller pages answer an escaped error page.
    r = await seller.get("/admin/orders/a%01b", headers=HTML)
    assert r.status_code == 422 and '<html lang="ko">' in r.text


async def test_ids_from_forms_and_queries_never_rewrite_the_internal_request(shop: Shop) -> None:
    seller = await shop.seller()
    for member in ("buyer1/points#", "buyer1/points?", "../members/buyer1"):
        r = await seller.get("/admin/points", params={"member": member}, headers=HTML)
        assert r.status_code == 400, (member, r.status_code)
    assert (await seller.get("/admin/points", params={"member": "buyer1"},
                             headers=HTML)).status_code == 200


# ---- spreadsheets ----


async def test_typed_text_is_exported_as_text_never_as_a_formula(shop: Shop) -> None:
    sku = (await shop.product(stock=3))["skus"][0]["_id"]
    buyer, seller = await shop.buyer(1), await own_seller(shop)
    evil = '=HYPERLINK("http://evil.example","x")'
    ship_to = {**SHIP_TO, "name": "@SUM(1+1)", "address2": "-1+2"}
    placed = (await shop.place(buyer, sku, memo=evil, ship_to=ship_to)).json()
    no = placed["order"]["order_no"]
    menu = (await seller.get("/api/admin/order-menu")).json()
    menu["columns"] = ["order_no", "recipient", "memo", "amount"]
    assert (await seller.put("/api/admin/order-menu", json=menu)).status_code == 200

    async def export(fmt: str) -> httpx.Response:
        r = await seller.get("/api/admin/orders/list/export",
                             params={"format": fmt, "tab": "all", "q": no})
        assert r.status_code == 200, r.text
        return r

    async def listed() -> httpx.Response | None:
        r = await export("csv")
        return r if no.encode() in r.content else None

    r = await eventually(listed, 10, "the order in the list")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[1][:3] == [no, "'@SUM(1+1)", "'" + evil]
    r = await export("xlsx")
    ws = load_workbook(io.BytesIO(r.content)).worksheets[0]
    cells = list(ws.iter_rows(min_row=2, max_row=2))[0]
    assert [c.value for c in cells[:3]] == [no, "'@SUM(1+1)", "'" + evil]
    assert all(c.data_type != "f" for c in cells)
    assert cells[3].value == placed["order"]["paid_amount"]  # numbers stay numbers


def declared_huge_xlsx() -> bytes:
    """1.5 KB that declares A1:XFD6000 (16384 columns) and holds no invoice header."""
    wb = Workbook()
    wb.active.append(["x"])
    out = io.BytesIO()
    wb.save(out)
    parts = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        for item in parts.infolist():
            data = parts.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD6000"', data)
                data = data.replace(b"</sheetData>", b"".join(
                    b'<row r="%d"/>' % n for n in range(2, 6001)) + b"</sheetData>")
            z.writestr(item.filename, data)
    return bomb.getvalue()


def shared_string_bomb() -> bytes:
    """A small upload whose shared strings unpack to 100 MB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", b"<Types/>")
        z.writestr("xl/sharedStrings.xml", b"<sst><si><t>" + b"A" * 100_000_000 + b"</t></si></sst>")
    return out.getvalue()


async def test_spreadsheet_bombs_are_refused_quickly_and_the_gateway_keeps_answering(
        shop: Shop) -> None:
    seller = await shop.seller()
    for name, data, status in (("huge.xlsx", declared_huge_xlsx(), 400),
                               ("bomb.xlsx", shared_string_bomb(), 413)):
        assert len(data) < 300_000
        upload = asyncio.create_task(seller.post(
            "/api/admin/invoice-uploads", files={"file": (name, data, XLSX)}))
        started = time.monotonic()
        health = await shop.client().get("/health")
        assert health.status_code == 200 and time.monotonic() - started < 2, "the loop is free"
        refused(await upload, status)
