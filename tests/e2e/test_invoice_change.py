"""송장 변경: a seller corrects the carrier and invoice number of a SHIPPING section; the order,
its timeline and the order list follow; every refusal names its case and changes nothing."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.conftest import Shop, eventually


def invoice_no() -> str:
    return str(uuid.uuid4().int)[:12]


async def preparing_order(shop: Shop, qty: int = 1) -> tuple[httpx.AsyncClient, dict[str, Any]]:
    sku = (await shop.product(stock=5))["skus"][0]["_id"]
    buyer, seller = await shop.buyer(1), await shop.seller()
    return seller, await shop.pay_card((await shop.place(buyer, sku, qty=qty)).json())


async def listed(seller: httpx.AsyncClient, q: str) -> list[dict[str, Any]]:
    r = await seller.post("/api/admin/orders/list", json={"filter": {"q": q}})
    assert r.status_code == 200, r.text
    rows: list[dict[str, Any]] = r.json()["rows"]
    return rows


async def test_a_shipping_sections_invoice_is_changed_and_the_order_and_list_show_it(
        shop: Shop) -> None:
    seller, order = await preparing_order(shop)
    oid, sid = order["order_id"], order["sections"][0]["section_id"]
    old, new = invoice_no(), invoice_no()
    r = await seller.post(f"/api/admin/orders/{oid}/sections/{sid}/ship",
                          json={"carrier": "CJ대한통운", "invoice_no": old})
    assert r.status_code == 200, r.text
    version = r.json()["version"]

    r = await seller.post(f"/api/admin/orders/{oid}/sections/{sid}/invoice",
                          json={"carrier": "한진택배", "invoice_no": f" {new} ",
                                "expected_version": version})
    assert r.status_code == 200, r.text
    [section] = r.json()["sections"]
    assert (section["status"], section["carrier"], section["invoice_no"]) == (
        "SHIPPING", "한진택배", new)
    stored = await shop.order(oid)
    assert stored["version"] == version + 1
    assert [(s["carrier"], s["invoice_no"]) for s in stored["sections"]] == [("한진택배", new)]
    entry = stored["timeline"][-1]
    assert (entry["action"], entry["before"], entry["after"], entry["section_id"]) == (
        "invoice_changed", f"CJ대한통운 {old}", f"한진택배 {new}", sid)
    assert entry["actor"]["kind"] == "seller"

    # The order list (rebuilt from the order's events) finds it by the new number only.
    async def found_by_new() -> list[dict[str, Any]]:
        return await listed(seller, new)

    [row] = await eventually(found_by_new, 30, "the order listed under the new invoice")
    assert row["order_id"] == oid and row["invoices"] == [f"한진택배 {new}"]
    assert row["sections"][0]["carrier"] == "한진택배"
    assert await listed(seller, old) == []

    # The admin order page shows the new invoice and the change on the timeline, in Korean.
    page = (await seller.get(f"/admin/orders/{oid}")).text
    assert f"한진택배 <span class=\"num\">{new}</span>" in page
    assert "송장 변경:" in page and f"CJ대한통운 {old} → 한진택배 {new}" in page


async def test_invoice_changes_are_refused_with_their_case_and_change_nothing(shop: Shop) -> None:
    seller, order = await preparing_order(shop, qty=2)
    oid, first = order["order_id"], order["sections"][0]["section_id"]
    url = f"/api/admin/orders/{oid}/sections/{{}}/invoice"

    async def refused(section_id: str, body: dict[str, Any], status: int, key: str,
                      field: str = "") -> dict[str, Any]:
        before = await shop.order(oid)
        r = await seller.post(url.format(section_id), json=body)
        assert r.status_code == status, r.text
        error = r.json()
        assert error["key"] == key, error
        if field:
            assert error["params"]["field"] == field and field in error["message"]
        assert await shop.order(oid) == before
        return dict(error)

    error = await refused(first, {"carrier": "한진택배", "invoice_no": invoice_no()}, 409,
                          "invoice_change_not_shipping")
    assert error["params"] == {"section_id": first, "status": "PREPARING"}

    # Ship one unit (a split section), keep the other preparing.
    r = await seller.post(f"/api/admin/orders/{oid}/sections/{first}/split",
                          json={"items": [{"line_id": "L1", "quantity": 1}]})
    assert r.status_code == 200, r.text
    second = r.json()["sections"][1]["section_id"]
    current = invoice_no()
    r = await seller.post(f"/api/admin/orders/{oid}/sections/{second}/ship",
                          json={"carrier": "우체국택배", "invoice_no": current})
    assert r.status_code == 200, r.text

    await refused(second, {"carrier": "DHL", "invoice_no": invoice_no()}, 400,
                  "invoice_unknown_carrier", "carrier")
    await refused(second, {"carrier": "한진택배", "invoice_no": "12 34"}, 400,
                  "invoice_bad_number", "invoice_no")
    await refused(second, {"carrier": "", "invoice_no": invoice_no()}, 400, "field_required",
                  "carrier")
    await refused(second, {"carrier": "한진택배", "invoice_no": ""}, 400, "field_required",
                  "invoice_no")
    await refused(second, {"carrier": "우체국택배", "invoice_no": current}, 409,
                  "invoice_unchanged")
    await refused(second, {"carrier": "한진택배", "invoice_no": invoice_no(),
                           "expected_version": 0}, 409, "order_stale")
    await refused(f"{oid}-9", {"carrier": "한진택배", "invoice_no": invoice_no()}, 409,
                  "section_not_in_order")
    await refused(first, {"carrier": "한진택배", "invoice_no": invoice_no()}, 409,
                  "invoice_change_not_shipping")

    stored = await shop.order(oid)
    assert [(s["status"], s["carrier"], s["invoice_no"]) for s in stored["sections"]] == [
        ("PREPARING", "", ""), ("SHIPPING", "우체국택배", current)]
    assert all(e["action"] != "invoice_changed" for e in stored["timeline"])

    # A buyer cannot change an invoice.
    buyer = await shop.buyer(1)
    r = await buyer.post(url.format(second), json={"carrier": "한진택배", "invoice_no": "123456"})
    assert r.status_code in (401, 403), r.text
