"""Every consumer handles only the event types it knows: the other types on its topic (a refund
result on the integrations topic, a payment on it for claims, a type added later) are skipped by
their `type` field, never parsed as something else, retried and dead-lettered.

The orders, claims, coupons and integrations subscribers run on one in-memory TestKafkaBroker
with recording stand-ins for their use-cases; each case publishes one event and checks who
handled it, and that nothing reached the dead-letter topic.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from faststream.kafka import KafkaBroker, TestKafkaBroker

from claims import handlers as claims_handlers
from contracts import topics
from contracts.claims.v1 import (
    ClaimItem,
    ClaimKind,
    ClaimOpened,
    ClaimState,
    ClaimStateChanged,
    ReasonCode,
    RefundRequested,
)
from contracts.coupons.v1 import PointsEarned
from contracts.envelope import Actor, Event
from contracts.integrations.v1 import PaymentConfirmed, RefundFailed, RefundSucceeded
from contracts.inventory.v1 import (
    ExchangeStockRejected,
    ExchangeStockReserved,
    SkuQty,
    StockReleased,
    StockReservationRejected,
    StockReserved,
    StockRestocked,
    StockSold,
)
from coupons import handlers as coupons_handlers
from integrations import refunds
from integrations.settings import IntegrationsSettings
from orders import handlers as orders_handlers
from tests.unit.kit.fakes import FakeStore

Calls = list[tuple[str, str]]
ACTOR = Actor(kind="buyer", id="m1")
UNITS = [SkuQty(sku_id="S1", quantity=1)]
ITEMS = [ClaimItem(section_id="N-1", line_id="L1", sku_id="S1", quantity=1)]


class Recorder:
    """Each stand-in method records (what was called, the order id) and does nothing else."""

    def __init__(self, calls: Calls, name: str, store: FakeStore | None = None) -> None:
        self.calls, self.name, self.store = calls, name, store

    def __getattr__(self, method: str) -> Any:
        async def record(*args: Any) -> None:
            order_ids = [a.order_id for a in args if isinstance(a, Event)] or \
                [e.order_id for a in args if isinstance(a, list) for e in a] or \
                [a for a in args if isinstance(a, str)][:1]
            self.calls.extend((f"{self.name}.{method}", o) for o in order_ids)
        return record


class OrdersStandIn(Recorder):
    async def mutate(self, tx: Any, order_id: str, change: Any) -> None:
        self.calls.append(("orders.mutate", order_id))


class System:
    def __init__(self) -> None:
        self.broker = KafkaBroker()
        self.calls: Calls = []
        self.parked: list[dict[str, Any]] = []
        self.integrations = FakeStore("integrations")


@pytest.fixture
async def system(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[System]:
    s = System()
    broker, calls = s.broker, s.calls

    async def list_refresh(store: Any, order_ids: list[str]) -> int:
        calls.extend(("orders.list", o) for o in order_ids)
        return 0

    monkeypatch.setattr(orders_handlers.listing, "refresh", list_refresh)
    orders_handlers.register(broker, OrdersStandIn(calls, "orders", FakeStore("orders")))  # type: ignore[arg-type]
    claims_handlers.register(broker, Recorder(calls, "claims", FakeStore("claims")))  # type: ignore[arg-type]
    coupons_handlers.register(broker, Recorder(calls, "points", FakeStore("coupons")),  # type: ignore[arg-type]
                              Recorder(calls, "usage"))  # type: ignore[arg-type]
    refunds.register(broker, s.integrations,  # type: ignore[arg-type]
                     IntegrationsSettings(pg_api_url="http://127.0.0.1:9"))

    @broker.subscriber(topics.DEAD_LETTER)
    async def dead_letter(body: dict[str, Any]) -> None:
        s.parked.append(body)

    async with TestKafkaBroker(broker) as test_broker:
        s.broker = test_broker
        yield s


def oid(name: str) -> str:
    return f"o-{name}"


CASES: list[tuple[Event | dict[str, Any], Calls]] = [
    # integrations.events.v1: payments for orders, refund results for claims
    (PaymentConfirmed(key=oid("pay"), order_id=oid("pay"), partner="pg-sim", partner_tx_id="t",
                      method="CARD", amount=1000), [("orders.mutate", oid("pay"))]),
    (RefundSucceeded(key=oid("rs"), order_id=oid("rs"), claim_id="C1", attempt=1, amount=1000,
                     partner_tx_id="t"), [("claims.on_refund", oid("rs"))]),
    (RefundFailed(key=oid("rf"), order_id=oid("rf"), claim_id="C1", attempt=1, reason="no"),
     [("claims.on_refund", oid("rf"))]),
    # inventory.events.v1: reservation answers for orders, a refused replacement for claims
    (StockReserved(key=oid("sr"), order_id=oid("sr"), items=UNITS), [("orders.mutate", oid("sr"))]),
    (StockReservationRejected(key=oid("srr"), order_id=oid("srr"), sku_id="S1", requested=1,
                              available=0, reason="품절"), [("orders.mutate", oid("srr"))]),
    (StockReleased(key=oid("rel"), order_id=oid("rel"), items=UNITS), []),
    (StockSold(key=oid("sold"), order_id=oid("sold"), section_id="N-1", items=UNITS), []),
    (StockRestocked(key=oid("rst"), order_id=oid("rst"), claim_id="C1", items=UNITS), []),
    (ExchangeStockReserved(key=oid("xr"), order_id=oid("xr"), claim_id="C1", items=UNITS), []),
    (ExchangeStockRejected(key=oid("xj"), order_id=oid("xj"), claim_id="C1", sku_id="S1",
                           requested=1, available=0, reason="품절"),
     [("claims.on_stock", oid("xj"))]),
    # claims.events.v1: claim sections for orders, points back for coupons
    (ClaimOpened(key=oid("co"), order_id=oid("co"), claim_id="C1", order_no="N", kind=ClaimKind.CANCEL,
                 state=ClaimState.REQUESTED, claim_section_id="N-2", items=ITEMS,
                 reason_code=ReasonCode.CHANGE_OF_MIND, actor=ACTOR), [("orders.mutate", oid("co"))]),
    (ClaimStateChanged(key=oid("cs"), order_id=oid("cs"), claim_id="C1", kind=ClaimKind.CANCEL,
                       claim_section_id="N-2", from_state=ClaimState.REQUESTED,
                       to_state=ClaimState.REJECTED, items=ITEMS, actor=ACTOR),
     [("orders.mutate", oid("cs"))]),
    # coupons.events.v1
    (PointsEarned(key=oid("pe"), order_id=oid("pe"), member_id="m1", section_id="N-1", points=10,
                  balance=10), [("orders.mutate", oid("pe"))]),
]
# A type a later release adds, on every topic: each consumer of the topic skips it.
NEW_TYPES: list[tuple[Event | dict[str, Any], Calls]] = [
    ({"type": "SomethingNew", "event_id": f"new-{topic}", "key": oid("new"), "order_id": oid("new"),
      "claim_id": "C1", "_topic": topic},
     [("orders.list", oid("new"))] if topic == topics.ORDERS_EVENTS else [])
    for topic in (topics.INTEGRATIONS_EVENTS, topics.INVENTORY_EVENTS, topics.CLAIMS_EVENTS,
                  topics.COUPONS_EVENTS, topics.ORDERS_EVENTS)
]


def case_id(case: tuple[Event | dict[str, Any], Calls]) -> str:
    event = case[0]
    return event.type if isinstance(event, Event) else f"{event['type']}@{event['_topic']}"


@pytest.mark.parametrize("case", CASES + NEW_TYPES, ids=case_id)
async def test_each_consumer_handles_only_the_event_types_it_knows(
        system: System, case: tuple[Event | dict[str, Any], Calls]) -> None:
    event, handled_by = case
    if isinstance(event, Event):
        topic, body = event.TOPIC, event.model_dump(mode="json")
    else:
        body = {k: v for k, v in event.items() if k != "_topic"}
        topic = event["_topic"]

    await system.broker.publish(body, topic=topic, key=body["key"].encode())

    assert system.parked == [], "nothing is dead-lettered"
    assert system.calls == handled_by
    assert system.integrations.db.refunds.docs == {}


async def test_a_refund_request_reaches_integrations_and_coupons_but_not_orders(
        system: System) -> None:
    # Zero KRW needs no PG call; its points go back through coupons.
    event = RefundRequested(key=oid("rr"), order_id=oid("rr"), claim_id="C1", amount=0,
                            points=500, attempt=1)

    await system.broker.publish(event.model_dump(mode="json"), topic=topics.CLAIMS_EVENTS,
                                key=event.key.encode())

    assert system.parked == []
    assert system.calls == [("usage.on_refund", oid("rr"))]
    [refund] = system.integrations.db.refunds.docs.values()
    assert (refund["claim_id"], refund["ok"]) == ("C1", True)
    assert [e.type for e in system.integrations.committed] == ["RefundSucceeded"]
