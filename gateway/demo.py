"""Demo data for `make up`: products with SKUs and stock, a seller, two buyers, orders in every status.

Everything goes through the public APIs (the services' and the gateway's), as a shop would.
Run: python -m gateway.demo [--gateway URL]
"""

from __future__ import annotations

import argparse
import asyncio
import os
from typing import Any

import httpx
from pymongo import AsyncMongoClient

from gateway.auth import Accounts, User
from gateway.settings import GatewaySettings

SELLER = ("seller", "seller1234", "김판매")
BUYERS = [("buyer1", "buyer1234", "이구매", "010-1111-2222"),
          ("buyer2", "buyer1234", "박고객", "010-3333-4444")]
PRODUCTS = [
    {"product_id": "TSHIRT", "name": "오가닉 코튼 티셔츠", "category_id": "TOPS", "base_price": 19000,
     "description": "부드러운 오가닉 코튼 반팔 티셔츠",
     "skus": [{"sku_id": f"TSHIRT-{c}-{s}", "label": f"{cl} / {s}", "price_delta": 0 if s != "XL" else 2000,
               "stock": 40} for c, cl in (("BK", "블랙"), ("WH", "화이트")) for s in ("M", "L", "XL")]},
    {"product_id": "MUG", "name": "세라믹 머그컵", "category_id": "KITCHEN", "base_price": 12000,
     "description": "350ml 세라믹 머그",
     "skus": [{"sku_id": "MUG-IVORY", "label": "아이보리", "stock": 30},
              {"sku_id": "MUG-NAVY", "label": "네이비", "stock": 3},
              {"sku_id": "MUG-RED", "label": "레드", "stock": 0}]},
    {"product_id": "SNEAKERS", "name": "데일리 스니커즈", "category_id": "SHOES", "base_price": 59000,
     "description": "가벼운 데일리 스니커즈",
     "skus": [{"sku_id": f"SNEAKERS-{s}", "label": str(s), "stock": 15} for s in (240, 250, 260, 270)]},
    {"product_id": "HOODIE", "name": "기모 후드 집업", "category_id": "TOPS", "base_price": 49000,
     "combination_options": [
         {"name": "색상", "values": [{"value": "차콜", "code": "CH"}, {"value": "멜란지", "code": "ML"},
                                    {"value": "네이비", "code": "NV"}]},
         {"name": "사이즈", "values": [{"value": "S"}, {"value": "M"}, {"value": "L"}, {"value": "XL"}]}],
     "independent_options": [{"name": "선물포장", "values": ["선택 안 함", "선물포장"]},
                             {"name": "각인 문구", "kind": "TEXT"}],
     "skus": [{"options": {"색상": c, "사이즈": s}, "price_delta": 2000 if s == "XL" else 0,
               "stock": 0 if (c, s) == ("네이비", "S") else 3 if s == "XL" else 20}
              for c in ("차콜", "멜란지", "네이비") for s in ("S", "M", "L", "XL")]},
]
# An older system's product with stock on an independent option: the legacy-stock report shows
# it until the seller converts the option into a combination option.
LEGACY = {"products": [{"product_id": "OLD-CANDLE", "name": "소이 캔들", "base_price": 15000,
                        "independent_options": [{"name": "향", "values": [
                            {"value": "라벤더", "stock": 12}, {"value": "우디", "stock": 4}]}]}]}
SHIP_TO = {"name": "이구매", "phone": "010-1111-2222", "zipcode": "06236",
           "address1": "서울특별시 강남구 테헤란로 123", "address2": "4층"}


async def accounts(mongodb_url: str) -> None:
    client: AsyncMongoClient[Any] = AsyncMongoClient(mongodb_url)
    acc = Accounts(client["gateway"])
    await acc.create(User(user_id=SELLER[0], role="seller", name=SELLER[2]), SELLER[1])
    for uid, pw, name, phone in BUYERS:
        await acc.create(User(user_id=uid, role="buyer", name=name, phone=phone), pw)
    await client.close()


async def wait(http: httpx.AsyncClient, order_id: str, pred: Any) -> dict[str, Any]:
    for _ in range(300):
        order: dict[str, Any] = (await http.get(f"/api/admin/orders/{order_id}")).json()
        if pred(order):
            return order
        await asyncio.sleep(0.1)
    raise RuntimeError(f"order {order_id} did not reach the expected state")


async def orders(gateway: str, pg_url: str) -> None:
    buyer = httpx.AsyncClient(base_url=gateway, timeout=30)
    seller = httpx.AsyncClient(base_url=gateway, timeout=30)
    pg = httpx.AsyncClient(base_url=pg_url, timeout=30)  # the PG simulator: the buyer's card
    (await buyer.post("/api/auth/login", json={"user_id": "buyer1", "password": "buyer1234"})).raise_for_status()
    (await seller.post("/api/auth/admin-login", json={"user_id": "seller", "password": "seller1234"})).raise_for_status()

    async def place(sku: str, qty: int, method: str = "CARD") -> dict[str, Any]:
        r = await buyer.post("/api/orders", json={"lines": [{"sku_id": sku, "quantity": qty}],
                                                  "payment_method": method, "ship_to": SHIP_TO})
        r.raise_for_status()
        placed = r.json()
        if method == "CARD":
            (await pg.post(f"/pg/payments/{placed['payment']['payment_id']}/approve")).raise_for_status()
            await wait(seller, placed["order"]["order_id"],
                       lambda o: o["sections"][0]["status"] == "PREPARING")
        order: dict[str, Any] = placed["order"]
        return order

    async def move(order: dict[str, Any], *steps: str) -> None:
        section = order["sections"][0]["section_id"]
        for step in steps:
            body: dict[str, Any] = {"to_status": step}
            if step == "SHIPPING":
                body |= {"carrier": "CJ대한통운", "invoice_no": f"5{order['order_no'][-6:]}0001"}
            r = await seller.post(f"/api/admin/orders/{order['order_id']}/sections/{section}/status", json=body)
            r.raise_for_status()

    await place("MUG-IVORY", 1, "BANK_TRANSFER")                                # 결제대기
    await place("TSHIRT-BK-M", 2)                                               # 상품준비
    await move(await place("TSHIRT-WH-L", 1), "READY_TO_SHIP")                  # 배송대기
    await move(await place("SNEAKERS-250", 1), "READY_TO_SHIP", "SHIPPING")     # 배송중
    await move(await place("SNEAKERS-260", 1), "READY_TO_SHIP", "SHIPPING", "DELIVERED")  # 배송완료
    done = await place("TSHIRT-BK-L", 3)
    await move(done, "READY_TO_SHIP", "SHIPPING", "DELIVERED")
    (await buyer.post(f"/api/me/orders/{done['order_id']}/confirm-purchase")).raise_for_status()  # 구매확정
    cancelled = await place("MUG-NAVY", 1, "BANK_TRANSFER")
    (await buyer.post(f"/api/me/orders/{cancelled['order_id']}/cancel")).raise_for_status()  # 취소
    for c in (buyer, seller, pg):
        await c.aclose()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gateway", default="http://127.0.0.1:8000")
    parser.add_argument("--inventory", default=os.environ.get("INVENTORY_URL", "http://127.0.0.1:8102"))
    parser.add_argument("--pg", default=os.environ.get("PG_API_URL", "http://127.0.0.1:8190"))
    parser.add_argument("--with-orders", action=argparse.BooleanOptionalAction, default=True)
    args = parser.parse_args()
    await accounts(os.environ.get("MONGODB_URL", "mongodb://127.0.0.1:27017/?directConnection=true"))
    token = {"x-service-token": os.environ.get("SERVICE_TOKEN", GatewaySettings().service_token)}
    async with httpx.AsyncClient(base_url=args.inventory, timeout=30, headers=token) as inv:
        existing = {p["_id"] for p in (await inv.get("/products")).json()["products"]}
        for p in PRODUCTS:
            if p["product_id"] not in existing:
                (await inv.put(f"/products/{p['product_id']}", json=p)).raise_for_status()
        fresh = not existing
        if fresh:
            (await inv.post("/products/import", json=LEGACY)).raise_for_status()
    if args.with_orders and fresh:
        await orders(args.gateway, args.pg)
    print("demo data ready")


if __name__ == "__main__":
    asyncio.run(main())
