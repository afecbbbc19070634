"""Every stock movement on the real stack, driven by events: reserve on placement (storefront or
seller-created), release on cancellation (buyer, seller, deposit deadline, cancel claim), sell on
shipping, restock on a completed return, reserve the replacement of an exchange. Each ledger
entry says who, why and before -> after, a redelivered event changes nothing, and the ledger
always replays to the counters."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer
from faststream.kafka import KafkaBroker

from contracts import topics
from contracts.claims.v1 import ClaimItem, ClaimKind, ClaimState, ClaimStateChanged
from contracts.envelope import Actor, Event
from tests.conftest import SHIP_TO, Shop, eventually, watch
from tests.deadletters import poisoned_on_purpose

SELLER = Actor(kind="seller", id="seller", name="김판매")


async def publish(broker: KafkaBroker, event: Event) -> None:
    await broker.publish(event.model_dump(mode="json"), event.TOPIC, key=event.key.encode())


CLAIM_ANSWERS = ("StockRestocked", "ExchangeStockReserved", "ExchangeStockRejected")


async def next_event(consumer: AIOKafkaConsumer, order_id: str, types: tuple[str, ...] = CLAIM_ANSWERS,
                     timeout: float = 20) -> dict[str, Any]:
    """The next answer of one of `types` for the order (earlier answers may still arrive)."""
    async with asyncio.timeout(timeout):
        async for record in consumer:
            event = json.loads(record.value)
            if event.get("order_id") == order_id and event["type"] in types:
                return event
    raise AssertionError("no event")


async def counters(shop: Shop, sku: str) -> tuple[int, int, int]:
    s = await shop.sku(sku)
    return s["available"], s["reserved"], s["sold"]


async def becomes(shop: Shop, sku: str, expected: tuple[int, int, int]) -> None:
    async def check() -> bool:
        return await counters(shop, sku) == expected

    await eventually(check, what=f"{sku} at {expected}")


async def ledger(shop: Shop, sku: str) -> list[dict[str, Any]]:
    return (await shop.inventory.get(f"/skus/{sku}/ledger")).json()["entries"]


async def consistent(shop: Shop, sku: str) -> dict[str, Any]:
    audit = (await shop.inventory.get(f"/skus/{sku}/audit")).json()
    assert audit["consistent"], audit
    assert audit["ledger_sums"] == audit["counters"]
    return audit


async def paid_order(shop: Shop, sku: str, qty: int) -> dict[str, Any]:
    buyer = await shop.buyer(1)
    r = await shop.place(buyer, sku, qty=qty)
    assert r.status_code == 201, r.text
    return await shop.pay_card(r.json())


async def ship(seller: httpx.AsyncClient, order: dict[str, Any]) -> None:
    base = f"/api/admin/orders/{order['order_id']}/sections/{order['sections'][0]['section_id']}"
    assert (await seller.post(f"{base}/status", json={"to_status": "READY_TO_SHIP"})).status_code == 200
    r = await seller.post(f"{base}/status", json={"to_status": "SHIPPING", "carrier": "CJ대한통운",
                                                  "invoice_no": "612345678901"})
    assert r.status_code == 200, r.text


def claim_event(order: dict[str, Any], kind: ClaimKind, to: ClaimState, sku: str, qty: int,
                new_sku: str = "", restock: bool = False, claim_id: str = "") -> ClaimStateChanged:
    line = order["lines"][0]
    return ClaimStateChanged(
        key=order["order_id"], order_id=order["order_id"], claim_id=claim_id or uuid.uuid4().hex,
        kind=kind, claim_section_id=f"{order['order_no']}-C1", from_state=ClaimState.APPROVED,
        to_state=to, restock=restock, actor=SELLER,
        items=[ClaimItem(section_id=order["sections"][0]["section_id"], line_id=line["line_id"],
                         sku_id=sku, quantity=qty, new_sku_id=new_sku)])


async def test_placing_an_order_reserves_and_the_ledger_names_the_buyer_and_the_order(
        shop: Shop) -> None:
    sku = (await shop.product(stock=5))["skus"][0]["_id"]
    buyer = await shop.buyer(1)

    order = (await shop.place(buyer, sku, qty=2)).json()["order"]

    assert await counters(shop, sku) == (3, 2, 0)
    entry = (await ledger(shop, sku))[-1]
    assert entry["kind"] == "reserve" and entry["order_id"] == order["order_id"]
    assert entry["ref"] == order["order_no"] and entry["actor"]["kind"] == "buyer"
    assert (entry["available_before"], entry["available_after"]) == (5, 3)
    assert (entry["reserved_before"], entry["reserved_after"]) == (0, 2)
    await consistent(shop, sku)


async def test_a_seller_created_order_reserves_stock_like_any_order(shop: Shop) -> None:
    sku = (await shop.product(stock=4))["skus"][0]["_id"]
    seller = await shop.seller()

    r = await seller.post("/api/admin/orders", json={
        "member_id": "buyer2", "lines": [{"sku_id": sku, "quantity": 3}], "ship_to": SHIP_TO})

    assert r.status_code == 201, r.text
    assert await counters(shop, sku) == (1, 3, 0)
    assert (await ledger(shop, sku))[-1]["actor"]["kind"] == "seller"
    r = await seller.post("/api/admin/orders", json={
        "member_id": "buyer2", "lines": [{"sku_id": sku, "quantity": 2}], "ship_to": SHIP_TO})
    assert r.status_code == 409 and r.json()["error"] == "out_of_stock"
    assert "남은 재고 1개" in r.json()["message"]


async def test_cancellation_by_the_buyer_or_the_seller_releases_the_units(shop: Shop) -> None:
    sku = (await shop.product(stock=5))["skus"][0]["_id"]
    buyer, seller = await shop.buyer(1), await shop.seller()
    mine = (await shop.place(buyer, sku, qty=2, method="BANK_TRANSFER")).json()["order"]
    theirs = (await shop.place(buyer, sku, qty=1, method="BANK_TRANSFER")).json()["order"]
    assert await counters(shop, sku) == (2, 3, 0)

    assert (await buyer.post(f"/api/me/orders/{mine['order_id']}/cancel")).status_code == 200
    assert (await seller.post(f"/api/admin/orders/{theirs['order_id']}/cancel")).status_code == 200

    await becomes(shop, sku, (5, 0, 0))
    releases = [e for e in await ledger(shop, sku) if e["kind"] == "release"]
    assert {(e["order_id"], e["actor"]["kind"], e["d_available"]) for e in releases} == {
        (mine["order_id"], "buyer", 2), (theirs["order_id"], "seller", 1)}
    await consistent(shop, sku)


async def test_the_deposit_deadline_releases_the_units_of_an_unpaid_order(shop: Shop) -> None:
    sku = (await shop.product(stock=3))["skus"][0]["_id"]
    buyer = await shop.buyer(2)
    order = (await shop.place(buyer, sku, qty=3, method="BANK_TRANSFER")).json()["order"]
    assert await counters(shop, sku) == (0, 3, 0)

    days = (await shop.orders_svc.get("/settings")).json()["deposit_deadline_days"]
    await shop.orders_svc.post("/_test/clock", json={"seconds": days * 86400 + 60})

    await becomes(shop, sku, (3, 0, 0))
    entry = (await ledger(shop, sku))[-1]
    assert (entry["kind"], entry["order_id"], entry["reason"]) == (
        "release", order["order_id"], "입금 기한 만료")
    assert entry["actor"]["kind"] == "system"


async def test_shipping_a_section_marks_its_units_sold(shop: Shop) -> None:
    sku = (await shop.product(stock=5))["skus"][0]["_id"]
    order = await paid_order(shop, sku, 2)

    await ship(await shop.seller(), order)

    await becomes(shop, sku, (3, 0, 2))
    entry = (await ledger(shop, sku))[-1]
    assert entry["kind"] == "sold" and entry["ref"] == order["sections"][0]["section_id"]
    await consistent(shop, sku)


async def test_a_completed_return_restocks_only_when_the_seller_chooses_so(
        shop: Shop, broker: KafkaBroker) -> None:
    sku = (await shop.product(stock=5))["skus"][0]["_id"]
    order = await paid_order(shop, sku, 3)
    await ship(await shop.seller(), order)
    await becomes(shop, sku, (2, 0, 3))
    out = await watch(shop, topics.INVENTORY_EVENTS)

    await publish(broker, claim_event(order, ClaimKind.RETURN, ClaimState.COMPLETED, sku, 1))
    keep = claim_event(order, ClaimKind.RETURN, ClaimState.COMPLETED, sku, 2, restock=True)
    await publish(broker, keep)

    reply = await next_event(out, order["order_id"])
    await out.stop()
    assert reply["type"] == "StockRestocked" and reply["claim_id"] == keep.claim_id
    assert reply["items"] == [{"sku_id": sku, "quantity": 2}]
    assert await counters(shop, sku) == (4, 0, 1)
    assert (await ledger(shop, sku))[-1]["kind"] == "restock"
    await consistent(shop, sku)


async def test_an_approved_exchange_reserves_the_replacement_or_is_rejected_naming_it(
        shop: Shop, broker: KafkaBroker) -> None:
    product = await shop.product(stock=1, skus=2)
    old, new = (s["_id"] for s in product["skus"])
    order = await paid_order(shop, old, 1)
    await ship(await shop.seller(), order)
    out = await watch(shop, topics.INVENTORY_EVENTS)

    first = claim_event(order, ClaimKind.EXCHANGE, ClaimState.APPROVED, old, 1, new_sku=new)
    await publish(broker, first)
    reserved = await next_event(out, order["order_id"])
    second = claim_event(order, ClaimKind.EXCHANGE, ClaimState.APPROVED, old, 1, new_sku=new)
    # A claim the claims service never opened: it parks the refusal meant for it.
    poisoned_on_purpose(second.claim_id)
    await publish(broker, second)
    rejected = await next_event(out, order["order_id"])
    await out.stop()

    assert reserved["type"] == "ExchangeStockReserved" and reserved["claim_id"] == first.claim_id
    assert reserved["items"] == [{"sku_id": new, "quantity": 1}]
    assert rejected["type"] == "ExchangeStockRejected" and rejected["sku_id"] == new
    assert new in rejected["reason"] and "품절" in rejected["reason"]
    assert await counters(shop, new) == (0, 1, 0)
    entry = (await ledger(shop, new))[-1]
    assert (entry["kind"], entry["ref"]) == ("reserve", first.claim_id)

    await publish(broker, claim_event(order, ClaimKind.EXCHANGE, ClaimState.RESHIPPED, old, 1,
                                      new_sku=new, claim_id=first.claim_id))
    await becomes(shop, new, (0, 0, 1))
    await consistent(shop, new)


async def test_a_completed_cancel_claim_releases_just_its_units(
        shop: Shop, broker: KafkaBroker) -> None:
    sku = (await shop.product(stock=5))["skus"][0]["_id"]
    order = await paid_order(shop, sku, 3)

    await publish(broker, claim_event(order, ClaimKind.CANCEL, ClaimState.COMPLETED, sku, 1))

    await becomes(shop, sku, (3, 2, 0))
    await consistent(shop, sku)


async def test_redelivered_events_move_no_stock(shop: Shop, broker: KafkaBroker) -> None:
    product = await shop.product(stock=6, skus=2)
    sku, marker = (s["_id"] for s in product["skus"])
    order = await paid_order(shop, sku, 2)
    await ship(await shop.seller(), order)
    await becomes(shop, sku, (4, 0, 2))
    out = await watch(shop, topics.INVENTORY_EVENTS)
    restock = claim_event(order, ClaimKind.RETURN, ClaimState.COMPLETED, sku, 1, restock=True)

    for _ in range(3):
        await publish(broker, restock)
    assert (await next_event(out, order["order_id"]))["type"] == "StockRestocked"
    # The same claim again under a new event id: the reservation remembers the claim too.
    await publish(broker, restock.model_copy(update={"event_id": uuid.uuid4().hex}))
    # An exchange after them on the same partition: once it is answered, all was read.
    await publish(broker, claim_event(order, ClaimKind.EXCHANGE, ClaimState.APPROVED, sku, 1,
                                      new_sku=marker))
    assert (await next_event(out, order["order_id"]))["type"] == "ExchangeStockReserved"
    await out.stop()

    assert await counters(shop, sku) == (5, 0, 1)
    kinds = [e["kind"] for e in await ledger(shop, sku)]
    assert kinds == ["initial", "reserve", "sold", "restock"]
    await consistent(shop, sku)
