"""Each service against the real broker and MongoDB: events in, state and events out."""

from __future__ import annotations

import asyncio
import json
import uuid

import pytest
from aiokafka import AIOKafkaConsumer
from faststream.kafka import KafkaBroker

from contracts import topics
from contracts.envelope import Actor
from contracts.orders.v1 import (
    Buyer,
    Channel,
    LineData,
    OrderCancelled,
    OrderPlaced,
    PaymentMethod,
    PurchaseConfirmed,
)
from integrations.signing import sign
from tests.conftest import Shop, eventually, watch
from tests.deadletters import poisoned_on_purpose
from tests.stack import PG_SECRET

SYSTEM = Actor(kind="system", id="test", name="test")


async def next_event(consumer: AIOKafkaConsumer, order_id: str, timeout: float = 20) -> dict:
    async with asyncio.timeout(timeout):
        async for record in consumer:
            event = json.loads(record.value)
            if event.get("order_id") == order_id:
                assert record.key == order_id.encode(), "the Kafka key is the order id"
                return event
    raise AssertionError("no event")


def unknown_order() -> str:
    """An order id the orders service never saw: these tests drive one service with made-up
    events, so what other services answer for it reaches orders, which parks it (on purpose)."""
    order_id = uuid.uuid4().hex
    poisoned_on_purpose(order_id)
    return order_id


def placed(order_id: str, sku: str, qty: int, price: int = 1000) -> OrderPlaced:
    return OrderPlaced(
        key=order_id, order_id=order_id, order_no=f"IT-{order_id[:8]}", channel=Channel.STOREFRONT,
        payment_method=PaymentMethod.CARD, buyer=Buyer(member_id="it", name="통합", phone="010-0000-0000"),
        lines=[LineData(line_id="L1", product_id="P", sku_id=sku, name="x", unit_price=price,
                        quantity=qty)],
        items_total=price * qty, shipping_fee=0, paid_amount=price * qty)


async def test_inventory_reserves_on_order_placed_and_a_redelivery_changes_nothing(
        shop: Shop, broker: KafkaBroker) -> None:
    sku = (await shop.product(stock=5, price=1000))["skus"][0]["_id"]
    out = await watch(shop, topics.INVENTORY_EVENTS)
    order_id = unknown_order()
    event = placed(order_id, sku, 2)
    await broker.publish(event.model_dump(mode="json"), topics.ORDERS_EVENTS, key=order_id.encode())
    reply = await next_event(out, order_id)
    assert reply["type"] == "StockReserved" and reply["causation_id"] == event.event_id
    await broker.publish(event.model_dump(mode="json"), topics.ORDERS_EVENTS, key=order_id.encode())
    cancel = OrderCancelled(key=order_id, order_id=order_id, order_no=event.order_no, reason="t",
                            items=[], lines=event.lines, actor=SYSTEM)
    await broker.publish(cancel.model_dump(mode="json"), topics.ORDERS_EVENTS,
                         key=order_id.encode())
    assert (await next_event(out, order_id))["type"] == "StockReleased"
    await out.stop()
    stock = await shop.sku(sku)
    assert (stock["available"], stock["reserved"]) == (5, 0)
    ledger = (await shop.inventory.get(f"/skus/{sku}/ledger")).json()["entries"]
    assert [e["kind"] for e in ledger] == ["initial", "reserve", "release"]


async def test_coupons_grant_points_once_and_never_for_simple_pay(
        shop: Shop, broker: KafkaBroker) -> None:
    member = f"it-{uuid.uuid4().hex[:6]}"
    out = await watch(shop, topics.COUPONS_EVENTS)
    order_id = unknown_order()
    event = PurchaseConfirmed(key=order_id, order_id=order_id, order_no="IT-1", section_id="IT-1-1",
                              member_id=member, channel=Channel.STOREFRONT,
                              confirmed_amount=45678, automatic=False, actor=SYSTEM)
    for _ in range(2):
        await broker.publish(event.model_dump(mode="json"), topics.ORDERS_EVENTS,
                             key=order_id.encode())
    earned = await next_event(out, order_id)
    assert (earned["type"], earned["points"]) == ("PointsEarned", 456)
    naver = event.model_copy(update={"event_id": uuid.uuid4().hex, "channel": Channel.NAVERPAY,
                                     "order_id": "np-" + order_id, "key": "np-" + order_id})
    await broker.publish(naver.model_dump(mode="json"), topics.ORDERS_EVENTS,
                         key=naver.key.encode())
    await asyncio.sleep(2)
    await out.stop()
    async with shop.stack.client("coupons") as c:
        member_doc = (await c.get(f"/members/{member}/points")).json()
    assert member_doc["points"] == 456 and member_doc["cumulative_purchase"] == 45678
    assert len(member_doc["ledger"]) == 1


async def test_claims_tracks_sections_and_refuses_returns_after_confirmation(
        shop: Shop, broker: KafkaBroker) -> None:
    order_id = unknown_order()
    event = placed(order_id, "ANY", 1)
    await broker.publish(event.model_dump(mode="json"), topics.ORDERS_EVENTS, key=order_id.encode())
    async with shop.stack.client("claims") as c:
        async def tracked() -> dict | None:
            body = (await c.get(f"/orders/{order_id}/claimability")).json()
            return body if body["sections"] else None

        body = await eventually(tracked, what="claims saw the order")
    [section] = body["sections"]
    assert section["status"] == "PAYMENT_PENDING" and section["allowed"] == ["CANCEL"]


async def test_integrations_turns_a_signed_webhook_into_one_payment_event(shop: Shop) -> None:
    out = await watch(shop, topics.INTEGRATIONS_EVENTS)
    order_id = unknown_order()
    body = json.dumps({"event": "payment.approved", "tx_id": f"it-{order_id}",
                       "order_id": order_id, "amount": 1000, "method": "CARD"}).encode()
    headers = {"content-type": "application/json", "x-pg-signature": sign(PG_SECRET, body),
               "x-correlation-id": "corr-" + order_id}
    for _ in range(3):
        assert (await shop.webhooks.post("/webhooks/pg", content=body, headers=headers)).status_code == 200
    event = await next_event(out, order_id)
    assert event["type"] == "PaymentConfirmed" and event["correlation_id"] == "corr-" + order_id
    with pytest.raises(TimeoutError):
        await next_event(out, order_id, timeout=2)
    await out.stop()


async def test_an_unreadable_event_is_parked_and_the_consumer_goes_on(
        shop: Shop, broker: KafkaBroker) -> None:
    sku = (await shop.product(stock=5))["skus"][0]["_id"]
    buyer = await shop.buyer(1)
    placed = (await shop.place(buyer, sku, method="CARD")).json()
    order = placed["order"]
    poisoned_on_purpose(order["order_id"])
    parked = await watch(shop, topics.DEAD_LETTER)
    bad = {"type": "PaymentConfirmed", "event_id": uuid.uuid4().hex, "key": order["order_id"],
           "order_id": order["order_id"], "partner": "pg-sim", "partner_tx_id": "t",
           "method": "CARD", "amount": -1}
    await broker.publish(bad, topics.INTEGRATIONS_EVENTS, key=order["order_id"].encode())
    async with asyncio.timeout(20):
        async for record in parked:
            dead = json.loads(record.value)
            if dead["event"].get("event_id") == bad["event_id"]:
                break
    await parked.stop()
    assert dead["consumer"] == "orders.integrations" and dead["event"]["event_id"] == bad["event_id"]
    assert "amount" in dead["error"]
    # The next payment for the same order is handled as usual.
    assert (await shop.pay_card(placed))["payment_status"] == "PAID"
