"""The catalogue through the seller's JSON API (gateway): combination options make the SKU grid,
independent options never carry stock, stock changes through adjustments with a reason and a
ledger, legacy products with stock on independent options show in a report until converted."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.conftest import Shop


def pid() -> str:
    return f"C{uuid.uuid4().hex[:8].upper()}"


def tee(product_id: str, **extra: Any) -> dict[str, Any]:
    body = {"product_id": product_id, "name": "오가닉 티셔츠", "base_price": 19000,
            "combination_options": [
                {"name": "색상", "values": [{"value": "블랙", "code": "BK"}, {"value": "화이트",
                                                                             "code": "WH"}]},
                {"name": "사이즈", "values": [{"value": "M"}, {"value": "L"}, {"value": "XL"}]}],
            "independent_options": [{"name": "선물포장", "values": ["안 함", "포장"]},
                                    {"name": "각인 문구", "kind": "TEXT"}],
            "skus": [{"options": {"색상": c, "사이즈": s}, "stock": 10,
                      "price_delta": 2000 if s == "XL" else 0}
                     for c in ("블랙", "화이트") for s in ("M", "L", "XL")]}
    return {**body, **extra}


async def save(seller: httpx.AsyncClient, body: dict[str, Any]) -> dict[str, Any]:
    r = await seller.put(f"/api/admin/products/{body['product_id']}", json=body)
    assert r.status_code == 200, r.text
    return r.json()


def by_label(product: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["label"]: s for s in product["skus"]}


async def test_combination_options_make_one_sku_per_combination_for_the_storefront(
        shop: Shop) -> None:
    seller = await shop.seller()
    product_id = pid()

    saved = await save(seller, tee(product_id))

    skus = by_label(saved)
    assert list(skus) == ["블랙 / M", "블랙 / L", "블랙 / XL", "화이트 / M", "화이트 / L",
                          "화이트 / XL"]
    assert skus["화이트 / XL"]["_id"] == f"{product_id}-WH-XL"
    assert skus["화이트 / XL"]["price"] == 21000
    assert skus["블랙 / M"]["options"] == {"색상": "블랙", "사이즈": "M"}
    shown = (await shop.client().get(f"/api/products/{product_id}")).json()
    assert shown["low_stock_threshold"] == 5
    assert {(s["available"], s["sold_out"]) for s in shown["skus"]} == {(10, False)}
    assert [o["name"] for o in shown["independent_options"]] == ["선물포장", "각인 문구"]


async def test_stock_on_an_independent_option_is_refused_with_a_clear_message(shop: Shop) -> None:
    seller = await shop.seller()
    body = tee(pid(), independent_options=[
        {"name": "선물포장", "values": [{"value": "포장", "stock": 30}]}])

    r = await seller.put(f"/api/admin/products/{body['product_id']}", json=body)

    assert r.status_code == 400
    assert r.json()["error"] == "stock_on_independent_option"
    assert "선물포장 is an independent option" in r.json()["message"]
    assert (await seller.get(f"/api/admin/products/{body['product_id']}")).status_code == 404


async def test_editing_options_keeps_skus_their_stock_and_retires_removed_combinations(
        shop: Shop) -> None:
    seller = await shop.seller()
    product_id = pid()
    first = by_label(await save(seller, tee(product_id)))
    body = tee(product_id)
    body["combination_options"][1]["values"] = [{"value": "M"}, {"value": "L"}, {"value": "2XL"}]
    body["skus"] = [{"options": {"색상": "블랙", "사이즈": "M"}, "stock": 15, "stock_seen": 10},
                    {"options": {"색상": "블랙", "사이즈": "2XL"}, "stock": 4}]

    again = await save(seller, body)

    skus = by_label(again)
    assert skus["블랙 / M"]["_id"] == first["블랙 / M"]["_id"]
    assert skus["블랙 / M"]["available"] == 15, "the editor's new stock applied as +5"
    assert skus["화이트 / L"]["available"] == 10, "stock is never reset by a save"
    assert skus["블랙 / 2XL"]["available"] == 4 and skus["화이트 / 2XL"]["available"] == 0
    assert skus["블랙 / XL"]["active"] is False, "a removed combination is kept, inactive"
    shown = (await shop.client().get(f"/api/products/{product_id}")).json()
    assert "블랙 / XL" not in {s["label"] for s in shown["skus"]}
    entry = (await seller.get(f"/api/admin/skus/{skus['블랙 / M']['_id']}/ledger")).json()
    assert [(e["kind"], e["available_before"], e["available_after"]) for e in entry["entries"]] \
        == [("adjust", 10, 15), ("initial", 0, 10)]
    assert entry["entries"][0]["actor"]["kind"] == "seller"


async def test_an_adjustment_keeps_who_why_and_before_after_and_never_goes_below_zero(
        shop: Shop) -> None:
    seller = await shop.seller()
    sku = (await shop.product(stock=3))["skus"][0]["_id"]

    r = await seller.post(f"/api/admin/skus/{sku}/adjust", json={
        "delta": 7, "reason": "입고 · 2차 입고분", "reason_code": "RECEIVED",
        "expected_available": 3})
    assert r.status_code == 200, r.text
    assert r.json()["available"] == 10
    r = await seller.post(f"/api/admin/skus/{sku}/adjust", json={"delta": -11, "reason": "파손"})
    assert r.status_code == 409 and "cannot adjust 11" in r.json()["message"]
    r = await seller.post(f"/api/admin/skus/{sku}/adjust", json={
        "delta": 1, "reason": "입고", "expected_available": 3})
    assert r.status_code == 409 and r.json()["error"] == "stock_moved"

    [entry, _] = (await seller.get(f"/api/admin/skus/{sku}/ledger")).json()["entries"]
    assert (entry["kind"], entry["reason"], entry["reason_code"]) == (
        "adjust", "입고 · 2차 입고분", "RECEIVED")
    assert (entry["available_before"], entry["available_after"]) == (3, 10)
    assert entry["actor"] == {"kind": "seller", "id": "seller", "name": "김판매"}
    assert (await seller.get(f"/api/admin/skus/{sku}/audit")).json()["consistent"]


async def test_a_sku_marked_sold_out_cannot_be_ordered(shop: Shop) -> None:
    seller, buyer = await shop.seller(), await shop.buyer(1)
    sku = (await shop.product(stock=5))["skus"][0]["_id"]

    r = await seller.put(f"/api/admin/skus/{sku}/sold-out", json={"sold_out": True})
    assert r.status_code == 200 and r.json()["sold_out"] is True

    r = await shop.place(buyer, sku)
    assert r.status_code == 409 and r.json()["error"] == "out_of_stock"
    assert f"({sku}) 품절" in r.json()["message"]


async def test_legacy_stock_on_independent_options_is_reported_until_converted_or_dropped(
        shop: Shop) -> None:
    seller = await shop.seller()
    candle, tumbler = pid(), pid()
    r = await seller.post("/api/admin/products/import", json={"products": [
        {"product_id": candle, "name": "소이 캔들", "base_price": 15000, "independent_options": [
            {"name": "향", "values": [{"value": "라벤더", "stock": 12}, {"value": "우디",
                                                                        "stock": 4}]}]},
        {"product_id": tumbler, "name": "텀블러", "base_price": 22000,
         "combination_options": [{"name": "용량", "values": [{"value": "350ml"}]}],
         "skus": [{"options": {"용량": "350ml"}, "stock": 5}],
         "independent_options": [{"name": "각인", "values": ["없음", "이니셜"], "stock": 40}]}]})
    assert r.status_code == 200 and r.json()["imported"] == 2, r.text

    report = (await seller.get("/api/admin/products/legacy-stock")).json()["rows"]
    mine = {(x["product_id"], x["option"], x["value"], x["stock"]) for x in report
            if x["product_id"] in (candle, tumbler)}
    assert mine == {(candle, "향", "라벤더", 12), (candle, "향", "우디", 4),
                    (tumbler, "각인", "", 40)}
    listed = {p["_id"] for p in (await shop.client().get("/api/products")).json()["products"]}
    assert candle not in listed, "not in the store until converted"

    r = await seller.post(f"/api/admin/products/{candle}/convert-option", json={"option": "향"})
    assert r.status_code == 200, r.text
    skus = by_label(r.json())
    assert {k: v["available"] for k, v in skus.items() if v["active"]} == {"라벤더": 12, "우디": 4}
    assert r.json()["combination_options"][0]["name"] == "향"
    r = await seller.post(f"/api/admin/products/{tumbler}/drop-legacy-stock",
                          json={"option": "각인"})
    assert r.status_code == 200 and r.json()["independent_options"][0]["name"] == "각인"

    report = (await seller.get("/api/admin/products/legacy-stock")).json()["rows"]
    assert not [x for x in report if x["product_id"] in (candle, tumbler)]
    listed = {p["_id"] for p in (await shop.client().get("/api/products")).json()["products"]}
    assert {candle, tumbler} <= listed
    lavender = skus["라벤더"]["_id"]
    assert (await seller.get(f"/api/admin/skus/{lavender}/audit")).json()["consistent"]


async def test_the_catalogue_api_needs_a_seller_session(shop: Shop) -> None:
    buyer = await shop.buyer(1)
    assert (await buyer.get("/api/admin/products")).status_code in (401, 403)
    assert (await buyer.put("/api/admin/products/X", json={})).status_code in (401, 403)
    assert (await shop.client().post("/api/admin/skus/X/adjust", json={})).status_code in (
        401, 403)
