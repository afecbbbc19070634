"""The one order menu: list rows from the read model, tabs, search, keyset pages, split/merge."""

from __future__ import annotations

from tests.conftest import Shop, eventually


async def test_a_new_order_shows_in_the_list_and_its_tab_counts(shop: Shop) -> None:
    sku = (await shop.product(stock=5))["skus"][0]["_id"]
    buyer, seller = await shop.buyer(1), await shop.seller()
    placed = (await shop.place(buyer, sku)).json()
    order = await shop.pay_card(placed)

    async def listed() -> list:
        r = await seller.post("/api/admin/orders/list", json={
            "filter": {"statuses": ["PREPARING"], "q": order["order_no"]}})
        return r.json()["rows"]

    # Within a second on a quiet system; the suite may have just queued thousands of bulk events.
    [row] = await eventually(listed, 30, "row in the 상품준비 tab")
    assert row["order_id"] == order["order_id"] and row["statuses"] == ["PREPARING"]
    by_phone = (await seller.post("/api/admin/orders/list", json={
        "filter": {"q": "010-1111-2222"}, "page": {"limit": 500}})).json()["rows"]
    assert order["order_id"] in {r["order_id"] for r in by_phone}
    counts = (await seller.post("/api/admin/orders/list/counts", json={
        "preparing": {"statuses": ["PREPARING"]}, "mine": {"q": order["order_no"]}})).json()
    assert counts["mine"] == 1 and counts["preparing"] >= 1


async def test_keyset_pages_cover_every_row_once(shop: Shop) -> None:
    seller = await shop.seller()
    seen: list[str] = []
    cursor = None
    for _ in range(10000):
        page = (await seller.post("/api/admin/orders/list", json={
            "page": {"limit": 97, "cursor": cursor, "sort": "amount"}})).json()
        seen += [r["order_id"] for r in page["rows"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    total = (await seller.post("/api/admin/orders/list/counts", json={"all": {}})).json()["all"]
    assert len(seen) == len(set(seen)) == total


async def test_bad_list_input_is_refused(shop: Shop) -> None:
    seller = await shop.seller()
    r = await seller.post("/api/admin/orders/list", json={"filter": {"statuses": ["NOPE"]}})
    assert r.status_code == 422 and "statuses" in r.json()["message"]
    r = await seller.post("/api/admin/orders/list", json={"page": {"cursor": "garbage"}})
    assert r.status_code == 400 and "cursor" in r.json()["message"]
    r = await seller.put("/api/admin/order-menu", json={"tabs": [{"name": "x"}],
                                                        "columns": ["nope"]})
    assert r.status_code == 422 and "nope" in r.json()["message"]


async def test_tabs_and_columns_are_saved_per_seller_user(shop: Shop) -> None:
    seller = await shop.seller()
    menu = (await seller.get("/api/admin/order-menu")).json()
    assert [t["name"] for t in menu["tabs"]][:3] == ["전체", "결제대기", "상품준비"]
    menu["tabs"].append({"tab_id": "bank", "name": "무통장 대기",
                         "filter": {"statuses": ["PAYMENT_PENDING"],
                                    "payment_methods": ["BANK_TRANSFER"]}})
    menu["columns"] = ["order_no", "buyer", "amount", "status"]
    assert (await seller.put("/api/admin/order-menu", json=menu)).status_code == 200
    again = (await seller.get("/api/admin/order-menu")).json()
    assert again["columns"] == ["order_no", "buyer", "amount", "status"]
    assert again["tabs"][-1]["name"] == "무통장 대기"


async def test_split_two_units_ship_them_and_merge_is_refused_after(shop: Shop) -> None:
    sku = (await shop.product(stock=10))["skus"][0]["_id"]
    buyer, seller = await shop.buyer(1), await shop.seller()
    order = await shop.pay_card((await shop.place(buyer, sku, qty=5)).json())
    oid, first = order["order_id"], order["sections"][0]["section_id"]
    r = await seller.post(f"/api/admin/orders/{oid}/sections/{first}/split",
                          json={"items": [{"line_id": "L1", "quantity": 2}]})
    assert r.status_code == 200, r.text
    second = r.json()["sections"][1]["section_id"]
    r = await seller.post(f"/api/admin/orders/{oid}/sections/{second}/status",
                          json={"to_status": "READY_TO_SHIP"})
    r = await seller.post(f"/api/admin/orders/{oid}/sections/{second}/status",
                          json={"to_status": "SHIPPING", "carrier": "CJ대한통운",
                                "invoice_no": "700000000001"})
    assert r.status_code == 200, r.text

    async def sold_two() -> bool:
        return (await shop.sku(sku))["sold"] == 2

    await eventually(sold_two, what="2 units sold")
    stock = await shop.sku(sku)
    assert (stock["available"], stock["reserved"]) == (5, 3)
    r = await seller.post(f"/api/admin/orders/{oid}/merge", json={"section_ids": [first, second]})
    assert r.status_code == 409 and "same status" in r.json()["message"]
    r = await seller.post(f"/api/admin/orders/{oid}/sections/{first}/split",
                          json={"items": [{"line_id": "L1", "quantity": 4}]})
    assert r.status_code == 400 and "holds 3 units" in r.json()["message"]
