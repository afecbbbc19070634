"""Killing the inventory service in the middle of a burst of orders loses nothing and duplicates
nothing: after a restart every order gets exactly one answer and the ledger still adds up."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

from tests.conftest import SHIP_TO, Shop, eventually

ORDERS, STOCK = 60, 50


async def test_inventory_killed_mid_burst_answers_every_order_once(shop: Shop) -> None:
    product = await shop.product(stock=STOCK, price=1000)
    sku = product["skus"][0]

    async def place() -> str:
        r = await shop.orders_svc.post("/orders", json={
            "buyer": {"member_id": "buyer1", "name": "이구매", "phone": "010-1111-2222"},
            "ship_to": SHIP_TO, "payment_method": "BANK_TRANSFER", "shipping_fee": 3000,
            "lines": [{"sku_id": sku["_id"], "product_id": product["_id"],
                       "name": product["name"], "option_label": sku["label"],
                       "unit_price": 1000, "quantity": 1}],
            "actor": {"kind": "system", "id": "test", "name": "test"}})
        assert r.status_code == 201, r.text
        return str(r.json()["order_id"])

    first = await asyncio.gather(*(place() for _ in range(ORDERS // 2)))
    shop.stack.stop("inventory", kill=True)
    second = await asyncio.gather(*(place() for _ in range(ORDERS - ORDERS // 2)))
    shop.stack.start("inventory")

    async def answered() -> dict[str, Any] | None:
        orders = [await shop.order(o) for o in (*first, *second)]
        pending = [o for o in orders if o["stock_status"] == "PENDING"]
        return None if pending else Counter(o["stock_status"] for o in orders)

    # A transaction the kill left open holds its SKU until the server drops it (up to ~60 s).
    statuses = await eventually(answered, timeout=150, what="every order answered")
    assert statuses == {"RESERVED": STOCK, "REJECTED": ORDERS - STOCK}
    stock = await shop.sku(sku["_id"])
    assert (stock["available"], stock["reserved"]) == (0, STOCK)
    entries = (await shop.inventory.get(f"/skus/{sku['_id']}/ledger",
                                        params={"limit": 1000})).json()["entries"]
    reserved_for = [e["order_id"] for e in entries if e["kind"] == "reserve"]
    assert len(reserved_for) == len(set(reserved_for)) == STOCK
    audit = (await shop.inventory.get(f"/skus/{sku['_id']}/audit")).json()
    assert audit["consistent"], audit
