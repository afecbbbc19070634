"""Claims over Kafka: redelivered events change nothing, refunds reach the PG once per attempt,
money due blocks completion until the seller records it."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

from aiokafka import AIOKafkaConsumer
from faststream.kafka import KafkaBroker

from contracts import topics
from contracts.claims.v1 import RefundRequested
from contracts.integrations.v1 import RefundFailed
from tests.conftest import Shop, watch
from tests.e2e.test_claims_flows import (
    claim,
    claims_know,
    decide,
    delivered,
    item,
    new_buyer,
    open_claim,
    paid_order,
    refunds,
    wait_claim,
)


async def events_of(consumer: AIOKafkaConsumer, order_id: str, seconds: float) -> list[dict]:
    found: list[dict[str, Any]] = []
    try:
        async with asyncio.timeout(seconds):
            async for record in consumer:
                event = json.loads(record.value)
                if event.get("order_id") == order_id:
                    assert record.key == order_id.encode()
                    found.append(event)
    except TimeoutError:
        pass
    return found


async def test_a_redelivered_refund_request_refunds_once_and_answers_once(
        shop: Shop, broker: KafkaBroker) -> None:
    sku = (await shop.product(stock=5, price=8000))["skus"][0]["_id"]
    buyer = await new_buyer(shop)
    order = await paid_order(shop, sku, 2, buyer)
    await claims_know(shop, order["order_id"], "PREPARING")
    out = await watch(shop, topics.INTEGRATIONS_EVENTS)
    r = await open_claim(buyer, order["order_id"], "CANCEL", [item(order, 1)], "CHANGE_OF_MIND")
    done = await wait_claim(shop, r.json()["claim_id"], "COMPLETED")

    again = RefundRequested(key=order["order_id"], order_id=order["order_id"],
                            claim_id=done["claim_id"], amount=8000, points=0, attempt=1)
    for _ in range(2):  # the relay may publish twice: same attempt, new event ids
        await broker.publish(again.model_copy(update={"event_id": uuid.uuid4().hex})
                             .model_dump(mode="json"), topics.CLAIMS_EVENTS,
                             key=order["order_id"].encode())
    answers = await events_of(out, order["order_id"], 4)
    await out.stop()
    assert [e["type"] for e in answers] == ["RefundSucceeded"] * 3
    assert len({e["partner_tx_id"] for e in answers}) == 1, "the PG refunded once"
    assert [x["amount"] for x in await refunds(shop, order["order_id"])] == [8000]
    after = await claim(shop, done["claim_id"])
    assert (after["state"], after["version"]) == ("COMPLETED", done["version"])


async def test_a_late_refund_failure_for_a_completed_claim_changes_nothing(
        shop: Shop, broker: KafkaBroker) -> None:
    sku = (await shop.product(stock=5, price=8000))["skus"][0]["_id"]
    buyer = await new_buyer(shop)
    order = await paid_order(shop, sku, 1, buyer)
    await claims_know(shop, order["order_id"], "PREPARING")
    r = await open_claim(buyer, order["order_id"], "CANCEL", [item(order, 1)], "DELAYED")
    done = await wait_claim(shop, r.json()["claim_id"], "COMPLETED")
    late = RefundFailed(key=order["order_id"], order_id=order["order_id"],
                        claim_id=done["claim_id"], attempt=1, reason="late")
    for _ in range(2):
        await broker.publish(late.model_dump(mode="json"), topics.INTEGRATIONS_EVENTS,
                             key=order["order_id"].encode())
    await asyncio.sleep(2)
    after = await claim(shop, done["claim_id"])
    assert after["state"] == "COMPLETED" and after["refund"]["status"] == "SUCCEEDED"


async def test_an_exchange_for_change_of_mind_waits_for_the_fee_then_completes(
        shop: Shop) -> None:
    product = await shop.product(stock=5, price=20000, skus=2)
    buyer, seller = await new_buyer(shop), await shop.seller()
    order = await delivered(shop, seller, await paid_order(shop, product["skus"][0]["_id"], 1,
                                                           buyer))
    await claims_know(shop, order["order_id"], "DELIVERED")
    r = await open_claim(buyer, order["order_id"], "EXCHANGE",
                         [item(order, 1, new_sku_id=product["skus"][1]["_id"])], "CHANGE_OF_MIND")
    assert r.status_code == 201, r.text
    opened = r.json()
    assert (opened["estimate"]["fee"], opened["due"]) == (6000, 6000)  # round trip, paid apart
    claim_id = opened["claim_id"]
    await wait_claim(shop, claim_id, "REQUESTED")
    for action, body in (("approve", {}), ("collect", {}),
                         ("reship", {"carrier": "CJ대한통운", "invoice_no": "699988887777"})):
        assert (await decide(seller, claim_id, action, **body)).status_code == 200
    r = await decide(seller, claim_id, "complete")
    assert r.status_code == 409 and r.json()["error"] == "payment_due", r.text
    assert (await claim(shop, claim_id))["state"] == "RESHIPPED"
    r = await decide(seller, claim_id, "due-paid", note="왕복 배송비 6,000원 입금 확인")
    assert r.status_code == 200, r.text
    r = await decide(seller, claim_id, "complete")
    assert r.status_code == 200 and r.json()["state"] == "COMPLETED", r.text
    assert await refunds(shop, order["order_id"]) == []


async def test_an_exchange_whose_replacement_is_out_of_stock_is_put_on_hold(shop: Shop) -> None:
    product = await shop.product(stock=1, price=20000, skus=2)
    first, second = product["skus"][0]["_id"], product["skus"][1]["_id"]
    buyer, seller = await new_buyer(shop), await shop.seller()
    other = await paid_order(shop, second, 1, await new_buyer(shop))  # takes the last `second`
    assert other["payment_status"] == "PAID"
    order = await delivered(shop, seller, await paid_order(shop, first, 1, buyer))
    await claims_know(shop, order["order_id"], "DELIVERED")
    r = await open_claim(buyer, order["order_id"], "EXCHANGE",
                         [item(order, 1, new_sku_id=second)], "DEFECT")
    claim_id = r.json()["claim_id"]
    await wait_claim(shop, claim_id, "REQUESTED")
    assert (await decide(seller, claim_id, "approve")).status_code == 200

    async def held() -> dict[str, Any] | None:
        c = await claim(shop, claim_id)
        return c if c["on_hold"] else None

    from tests.conftest import eventually
    c = await eventually(held, what="the claim held for lack of stock")
    assert second in c["hold_reason"] or "재고" in c["hold_reason"]
    r = await decide(seller, claim_id, "collect")
    assert r.status_code == 409 and r.json()["error"] == "on_hold"
    r = await decide(seller, claim_id, "reject", reason="교환 상품 품절")
    assert r.status_code == 200 and r.json()["state"] == "REJECTED"
