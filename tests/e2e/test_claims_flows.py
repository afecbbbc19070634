"""Claims end to end (SPEC §5): buyers and sellers over the gateway; claims, orders, inventory
and integrations (the PG simulator's refunds) talking over Kafka. The helpers at the top are shared
by the other test_claims_*.py modules."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from pymongo import AsyncMongoClient

from gateway.auth import Accounts, User
from tests.conftest import Shop, eventually

PASSWORD = "buyer1234"


async def make_buyer(shop: Shop) -> str:
    """A buyer account of its own, so these tests never crowd another test's order list."""
    user_id = f"cb-{uuid.uuid4().hex[:8]}"
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(shop.stack.infra.mongo)
    try:
        await Accounts(client["gateway"]).create(
            User(user_id=user_id, role="buyer", name="김클레임", phone="010-2345-6789"), PASSWORD)
    finally:
        await client.close()
    return user_id


async def new_buyer(shop: Shop) -> httpx.AsyncClient:
    return await shop.login(await make_buyer(shop), PASSWORD)


async def paid_order(shop: Shop, sku: str, qty: int, buyer: httpx.AsyncClient,
                     method: str = "CARD") -> dict[str, Any]:
    r = await shop.place(buyer, sku, qty=qty, method=method)
    assert r.status_code == 201, r.text
    placed = r.json()
    if method == "BANK_TRANSFER":
        return placed["order"]
    return await shop.pay_card(placed)


async def move(seller: httpx.AsyncClient, order: dict[str, Any], to: str, section: str = "",
               **extra: str) -> dict[str, Any]:
    section = section or order["sections"][0]["section_id"]
    r = await seller.post(f"/api/admin/orders/{order['order_id']}/sections/{section}/status",
                          json={"to_status": to, **extra})
    assert r.status_code == 200, r.text
    return r.json()


async def delivered(shop: Shop, seller: httpx.AsyncClient, order: dict[str, Any]) -> dict[str, Any]:
    await move(seller, order, "READY_TO_SHIP")
    await move(seller, order, "SHIPPING", carrier="CJ대한통운", invoice_no="612345678901")
    await move(seller, order, "DELIVERED")
    return await shop.wait_status(order["order_id"], "DELIVERED")


async def claim_view(shop: Shop, order_id: str) -> dict[str, Any]:
    async with shop.stack.client("claims") as c:
        return (await c.get(f"/orders/{order_id}/claimability")).json()


async def claims_know(shop: Shop, order_id: str, status: str) -> dict[str, Any]:
    """Wait until the claims service's view shows every section of the order in `status`."""
    async def check() -> dict[str, Any] | None:
        view = await claim_view(shop, order_id)
        ok = view["sections"] and all(s["status"] == status for s in view["sections"])
        return view if ok else None

    return await eventually(check, what=f"claims sees {order_id} in {status}")


async def claim(shop: Shop, claim_id: str) -> dict[str, Any]:
    async with shop.stack.client("claims") as c:
        r = await c.get(f"/claims/{claim_id}")
        assert r.status_code == 200, r.text
        return r.json()


async def wait_claim(shop: Shop, claim_id: str, state: str, moved: bool = True,
                     timeout: float = 30) -> dict[str, Any]:
    async def check() -> dict[str, Any] | None:
        c = await claim(shop, claim_id)
        return c if c["state"] == state and (c["moved"] or not moved) else None

    return await eventually(check, timeout, f"claim {claim_id} in {state}")


async def wait_order(shop: Shop, order_id: str, ok: Any, what: str) -> dict[str, Any]:
    async def check() -> dict[str, Any] | None:
        o = await shop.order(order_id)
        return o if ok(o) else None

    return await eventually(check, what=what)


def units(order: dict[str, Any]) -> dict[str, int]:
    """Units per section status (a claim section counts under `status+claim kind`)."""
    out: dict[str, int] = {}
    for s in order["sections"]:
        key = s["status"] + (f"+{s['claim']['kind']}" if s.get("claim") else "")
        out[key] = out.get(key, 0) + sum(i["quantity"] for i in s["items"])
    return out


def item(order: dict[str, Any], qty: int, section: int = 0, line: str = "L1",
         **extra: str) -> dict[str, Any]:
    return {"section_id": order["sections"][section]["section_id"], "line_id": line,
            "quantity": qty, **extra}


async def refunds(shop: Shop, order_id: str) -> list[dict[str, Any]]:
    return (await shop.pg.get("/pg/refunds", params={"order_id": order_id})).json()["refunds"]


async def open_claim(client: httpx.AsyncClient, order_id: str, kind: str,
                     items: list[dict[str, Any]], reason_code: str = "DEFECT",
                     admin: bool = False, **extra: Any) -> httpx.Response:
    path = f"/api/admin/orders/{order_id}/claims" if admin else f"/api/me/orders/{order_id}/claims"
    return await client.post(path, json={"kind": kind, "items": items,
                                         "reason_code": reason_code, **extra})


async def decide(seller: httpx.AsyncClient, claim_id: str, action: str,
                 **body: Any) -> httpx.Response:
    return await seller.post(f"/api/admin/claims/{claim_id}/{action}", json=body)


async def test_a_partial_return_is_refunded_exactly_and_restocked(shop: Shop) -> None:
    sku = (await shop.product(stock=10, price=10000))["skus"][0]["_id"]
    buyer, seller = await new_buyer(shop), await shop.seller()
    order = await delivered(shop, seller, await paid_order(shop, sku, 5, buyer))
    assert order["paid_amount"] == 50000  # free shipping from 50,000
    await claims_know(shop, order["order_id"], "DELIVERED")

    r = await open_claim(buyer, order["order_id"], "RETURN", [item(order, 2)],
                         reason="박음질이 뜯어져 있어요")
    assert r.status_code == 201, r.text
    opened = r.json()
    assert (opened["state"], opened["claim_no"]) == ("REQUESTED", f"{order['order_no']}-C1")
    assert opened["estimate"]["refund"] == 20000 and opened["estimate"]["fee"] == 0
    await wait_claim(shop, opened["claim_id"], "REQUESTED")
    order = await wait_order(shop, order["order_id"], lambda o: len(o["sections"]) == 2,
                             "the claim section")
    assert units(order) == {"DELIVERED": 3, "DELIVERED+RETURN": 2}  # 3 delivered, 2 returning

    for action in ("approve", "collect"):
        r = await decide(seller, opened["claim_id"], action)
        assert r.status_code == 200, r.text
    r = await decide(seller, opened["claim_id"], "complete", restock=True)
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "REFUNDING"
    done = await wait_claim(shop, opened["claim_id"], "COMPLETED")
    assert done["refund"]["status"] == "SUCCEEDED" and done["settled"]["payment"] == 20000

    assert [x["amount"] for x in await refunds(shop, order["order_id"])] == [20000]
    order = await wait_order(shop, order["order_id"],
                             lambda o: any(s["status"] == "RETURNED" for s in o["sections"]),
                             "the section RETURNED")
    assert units(order) == {"DELIVERED": 3, "RETURNED+RETURN": 2}
    stock = await eventually(lambda: _stock_back(shop, sku, 7), what="2 units restocked")
    assert stock["available"] == 7


async def _stock_back(shop: Shop, sku: str, available: int) -> dict[str, Any] | None:
    s = await shop.sku(sku)
    return s if s["available"] == available else None


async def test_an_exchange_reserves_the_replacement_and_is_reshipped(shop: Shop) -> None:
    product = await shop.product(stock=5, price=20000, skus=2)
    sku, other = product["skus"][0]["_id"], product["skus"][1]["_id"]
    buyer, seller = await new_buyer(shop), await shop.seller()
    order = await delivered(shop, seller, await paid_order(shop, sku, 1, buyer))
    await claims_know(shop, order["order_id"], "DELIVERED")

    r = await open_claim(buyer, order["order_id"], "EXCHANGE", [item(order, 1, new_sku_id=other)],
                         reason_code="WRONG_ITEM")
    assert r.status_code == 201, r.text
    claim_id = r.json()["claim_id"]
    assert r.json()["items"][0]["new_sku_id"] == other
    await wait_claim(shop, claim_id, "REQUESTED")
    assert (await decide(seller, claim_id, "approve")).status_code == 200
    reserved = await eventually(lambda: _reserved(shop, other), what="replacement reserved")
    assert reserved["available"] == 4

    assert (await decide(seller, claim_id, "collect")).status_code == 200
    r = await decide(seller, claim_id, "reship", carrier="한진택배", invoice_no="")
    assert r.status_code == 400 and r.json()["error"] == "invoice_required"
    r = await decide(seller, claim_id, "reship", carrier="한진택배", invoice_no="555566667777")
    assert r.status_code == 200, r.text
    r = await decide(seller, claim_id, "complete", restock=True)
    assert r.status_code == 200 and r.json()["state"] == "COMPLETED", r.text

    order = await wait_order(shop, order["order_id"],
                             lambda o: any(s["status"] == "EXCHANGED" for s in o["sections"]),
                             "EXCHANGED")
    returned, replacement = order["sections"]
    assert returned["status"] == "EXCHANGED"
    for section in (returned, replacement):
        assert (section["carrier"], section["invoice_no"]) == ("한진택배", "555566667777")
    assert (replacement["status"], replacement["replaces"]) == ("SHIPPING", returned["section_id"])
    assert await refunds(shop, order["order_id"]) == []


async def test_after_an_exchange_the_replacement_is_delivered_confirmed_and_returnable(
        shop: Shop) -> None:
    product = await shop.product(stock=5, price=20000, skus=2)
    sku, other = product["skus"][0]["_id"], product["skus"][1]["_id"]
    buyer, seller = await new_buyer(shop), await shop.seller()
    order = await delivered(shop, seller, await paid_order(shop, sku, 3, buyer))
    await claims_know(shop, order["order_id"], "DELIVERED")
    r = await open_claim(buyer, order["order_id"], "EXCHANGE",
                         [item(order, 2, new_sku_id=other)], reason_code="DEFECT")
    assert r.status_code == 201, r.text
    claim_id = r.json()["claim_id"]
    await wait_claim(shop, claim_id, "REQUESTED")
    for action, body in (("approve", {}), ("collect", {}),
                         ("reship", {"carrier": "한진택배", "invoice_no": "555566668888"}),
                         ("complete", {"restock": True})):
        r = await decide(seller, claim_id, action, **body)
        assert r.status_code == 200, r.text

    order = await wait_order(shop, order["order_id"], lambda o: len(o["sections"]) == 3,
                             "the replacement section")
    kept, returned, replacement = order["sections"]
    assert (kept["status"], returned["status"], replacement["status"]) == (
        "DELIVERED", "EXCHANGED", "SHIPPING")
    [new_line] = [x for x in order["lines"] if x["line_id"] == replacement["items"][0]["line_id"]]
    assert (new_line["sku_id"], new_line["unit_price"], new_line["quantity"]) == (other, 20000, 2)
    page = await seller.get(f"/admin/orders/{order['order_id']}", headers={"accept": "text/html"})
    card = page.text.split(f'data-section="{replacement["section_id"]}"', 1)[1].split(
        "</section>", 1)[0]
    assert other in card and "교환 상품" in card and "20,000원" in card

    # Delivered like any section, then one unit is returned and the other confirmed.
    await move(seller, order, "DELIVERED", section=replacement["section_id"])
    await claims_know_section(shop, order["order_id"], replacement["section_id"], "DELIVERED")
    r = await open_claim(buyer, order["order_id"], "RETURN",
                         [{"section_id": replacement["section_id"],
                           "line_id": new_line["line_id"], "quantity": 1}], reason="또 불량")
    assert r.status_code == 201, r.text
    back = r.json()
    assert back["estimate"]["refund"] == 20000
    await wait_claim(shop, back["claim_id"], "REQUESTED")
    for action in ("approve", "collect"):
        assert (await decide(seller, back["claim_id"], action)).status_code == 200
    assert (await decide(seller, back["claim_id"], "complete", restock=True)).status_code == 200
    await wait_claim(shop, back["claim_id"], "COMPLETED")
    assert [x["amount"] for x in await refunds(shop, order["order_id"])] == [20000]

    r = await buyer.post(f"/api/me/orders/{order['order_id']}/confirm-purchase")
    assert r.status_code == 200, r.text
    order = await wait_order(shop, order["order_id"], lambda o: units(o).get("CONFIRMED") == 2,
                             "the kept unit and the replacement confirmed")
    assert units(order) == {"CONFIRMED": 2, "EXCHANGED+EXCHANGE": 2, "RETURNED+RETURN": 1}


async def claims_know_section(shop: Shop, order_id: str, section_id: str,
                              status: str) -> dict[str, Any]:
    async def check() -> dict[str, Any] | None:
        view = await claim_view(shop, order_id)
        return view if any(s["section_id"] == section_id and s["status"] == status
                           for s in view["sections"]) else None

    return await eventually(check, what=f"claims sees {section_id} in {status}")


async def _reserved(shop: Shop, sku: str) -> dict[str, Any] | None:
    s = await shop.sku(sku)
    return s if s["reserved"] >= 1 else None


async def test_a_bank_transfer_order_is_cancelled_before_the_deposit(shop: Shop) -> None:
    sku = (await shop.product(stock=4, price=12000))["skus"][0]["_id"]
    buyer = await new_buyer(shop)
    order = await paid_order(shop, sku, 2, buyer, method="BANK_TRANSFER")
    await claims_know(shop, order["order_id"], "PAYMENT_PENDING")
    assert (await shop.sku(sku))["available"] == 2

    r = await open_claim(buyer, order["order_id"], "CANCEL", [item(order, 1)], "CHANGE_OF_MIND")
    assert r.status_code == 400 and r.json()["error"] == "whole_order_only"
    r = await open_claim(buyer, order["order_id"], "CANCEL", [item(order, 2)], "CHANGE_OF_MIND")
    assert r.status_code == 201, r.text
    done = await wait_claim(shop, r.json()["claim_id"], "COMPLETED")
    assert done["settled"]["refund"] == 0 and done["refund"]["attempt"] == 0

    order = await wait_order(shop, order["order_id"],
                             lambda o: o["payment_status"] == "CANCELLED", "payment cancelled")
    assert {s["status"] for s in order["sections"]} == {"CANCELLED"}
    await eventually(lambda: _stock_back(shop, sku, 4), what="stock released")
    assert await refunds(shop, order["order_id"]) == []


async def test_cancelling_while_preparing_refunds_at_once_and_the_last_cancel_adds_shipping(
        shop: Shop) -> None:
    sku = (await shop.product(stock=5, price=9000))["skus"][0]["_id"]
    buyer = await new_buyer(shop)
    order = await paid_order(shop, sku, 3, buyer)
    assert order["paid_amount"] == 27000 + 3000
    await claims_know(shop, order["order_id"], "PREPARING")

    r = await open_claim(buyer, order["order_id"], "CANCEL", [item(order, 1)], "CHANGE_OF_MIND")
    assert r.status_code == 201, r.text
    first = await wait_claim(shop, r.json()["claim_id"], "COMPLETED")
    assert first["settled"]["refund"] == 9000 and first["settled"]["shipping"] == 0

    order = await wait_order(shop, order["order_id"], lambda o: units(o).get("PREPARING") == 2,
                             "2 units left")
    await eventually(lambda: _claimable(shop, order["order_id"], 2), what="claims view updated")
    preparing = next(s for s in order["sections"] if s["status"] == "PREPARING")
    r = await open_claim(buyer, order["order_id"], "CANCEL",
                         [{"section_id": preparing["section_id"], "line_id": "L1", "quantity": 2}],
                         "CHANGE_OF_MIND")
    assert r.status_code == 201, r.text
    last = await wait_claim(shop, r.json()["claim_id"], "COMPLETED")
    assert (last["settled"]["refund"], last["settled"]["shipping"]) == (21000, 3000)

    assert sum(x["amount"] for x in await refunds(shop, order["order_id"])) == 30000
    order = await wait_order(shop, order["order_id"], lambda o: o["payment_status"] == "REFUNDED",
                             "payment refunded")
    await eventually(lambda: _stock_back(shop, sku, 5), what="stock released")


async def _claimable(shop: Shop, order_id: str, n: int) -> bool:
    view = await claim_view(shop, order_id)
    return sum(i["claimable"] for s in view["sections"] if "CANCEL" in s["allowed"]
               for i in s["items"]) == n


async def test_a_cancel_ready_to_ship_waits_for_the_seller_and_a_rejection_gives_units_back(
        shop: Shop) -> None:
    sku = (await shop.product(stock=5, price=15000))["skus"][0]["_id"]
    buyer, seller = await new_buyer(shop), await shop.seller()
    order = await paid_order(shop, sku, 2, buyer)
    await move(seller, order, "READY_TO_SHIP")
    await claims_know(shop, order["order_id"], "READY_TO_SHIP")

    r = await open_claim(buyer, order["order_id"], "CANCEL", [item(order, 1)], "DELAYED")
    assert r.status_code == 201, r.text
    claim_id = r.json()["claim_id"]
    await wait_claim(shop, claim_id, "REQUESTED")
    r = await decide(seller, claim_id, "reject", reason="")
    assert r.status_code == 400
    r = await decide(seller, claim_id, "reject", reason="이미 출고 준비가 끝났습니다")
    assert r.status_code == 200 and r.json()["state"] == "REJECTED", r.text
    order = await wait_order(shop, order["order_id"],
                             lambda o: not any(s.get("claim") for s in o["sections"]),
                             "units back to normal")
    assert {s["status"] for s in order["sections"]} == {"READY_TO_SHIP"}
    assert sum(i["quantity"] for s in order["sections"] for i in s["items"]) == 2

    await eventually(lambda: _claimable(shop, order["order_id"], 2), what="units claimable again")
    section = order["sections"][-1]
    r = await open_claim(buyer, order["order_id"], "CANCEL",
                         [{"section_id": section["section_id"], "line_id": "L1", "quantity": 1}],
                         "DELAYED")
    assert r.status_code == 201, r.text
    claim_id = r.json()["claim_id"]
    await wait_claim(shop, claim_id, "REQUESTED")
    r = await decide(seller, claim_id, "approve")
    assert r.status_code == 200 and r.json()["state"] == "REFUNDING", r.text
    done = await wait_claim(shop, claim_id, "COMPLETED")
    assert done["settled"]["refund"] == 15000


async def test_a_failed_refund_is_retried_then_refunded_by_hand(shop: Shop) -> None:
    sku = (await shop.product(stock=5, price=30000))["skus"][0]["_id"]
    buyer, seller = await new_buyer(shop), await shop.seller()
    order = await delivered(shop, seller, await paid_order(shop, sku, 1, buyer))
    await claims_know(shop, order["order_id"], "DELIVERED")
    r = await shop.pg.put(f"/pg/_control/orders/{order['order_id']}", json={"fail_refunds": True})
    assert r.status_code == 200

    r = await open_claim(buyer, order["order_id"], "RETURN", [item(order, 1)], "CHANGE_OF_MIND")
    assert r.status_code == 201, r.text
    claim_id = r.json()["claim_id"]
    assert r.json()["estimate"]["fee_deducted"] == 3000  # one way: the buyer paid shipping
    await wait_claim(shop, claim_id, "REQUESTED")
    for action in ("approve", "collect"):
        assert (await decide(seller, claim_id, action)).status_code == 200
    assert (await decide(seller, claim_id, "complete", restock=False)).status_code == 200
    failed = await wait_claim(shop, claim_id, "REFUND_FAILED")
    assert "거절" in failed["refund"]["failure"]

    assert (await decide(seller, claim_id, "retry-refund")).status_code == 200
    failed = await wait_claim(shop, claim_id, "REFUND_FAILED")
    assert failed["refund"]["attempt"] == 2
    r = await decide(seller, claim_id, "refunded-by-hand", bank="국민은행", account="")
    assert r.status_code == 400
    r = await decide(seller, claim_id, "refunded-by-hand", bank="국민은행", account="123-45-678",
                     holder="이구매", note="계좌로 환불")
    assert r.status_code == 200 and r.json()["state"] == "COMPLETED", r.text
    assert r.json()["settled"]["refund"] == 30000 - 3000
    assert [x["status"] for x in await refunds(shop, order["order_id"])] == ["FAILED", "FAILED"]
    order = await wait_order(shop, order["order_id"],
                             lambda o: o["sections"][-1]["status"] == "RETURNED", "RETURNED")
