"""Purchase points (SPEC §8): integer KRW, granted at purchase confirmation, never for simple pay."""

from __future__ import annotations

from collections.abc import AsyncIterator
from fractions import Fraction

import pytest
from faststream.kafka import KafkaBroker, TestKafkaBroker
from hypothesis import given
from hypothesis import strategies as st

from contracts import topics
from contracts.coupons.v1 import PointsEarned
from contracts.envelope import Actor
from contracts.orders.v1 import Channel, PurchaseConfirmed
from coupons import handlers
from coupons.catalog import Catalog
from coupons.points import SIMPLE_PAY, PointsService, points_for
from coupons.rules import RulesStore, ShopRules
from coupons.usage import Usage
from kit.clock import Clock
from tests.unit.kit.fakes import FakeStore

RATE = 1


def points_service(store: FakeStore) -> PointsService:
    rules = RulesStore(store, ShopRules(points_rate_percent=RATE))  # type: ignore[arg-type]
    return PointsService(store, rules, Catalog(store, Clock()))  # type: ignore[arg-type]


def confirmed(amount: int = 40_500, member_id: str = "m1",
              channel: Channel = Channel.STOREFRONT, section_id: str = "20261126-000001-1",
              ) -> PurchaseConfirmed:
    return PurchaseConfirmed(
        key="o-1", order_id="o-1", order_no="20261126-000001", section_id=section_id,
        member_id=member_id, channel=channel, confirmed_amount=amount, automatic=False,
        actor=Actor(kind="buyer", id=member_id),
    )


# ---- points_for ----


@pytest.mark.parametrize("amount, rate, points", [
    (40_500, 1, 405),
    (10_999, 1, 109),
    (99, 1, 0),
    (0, 5, 0),
    (12_345, 0, 0),
    (12_345, 3, 370),
    (100, 100, 100),
])
def test_points_are_the_rate_percent_of_the_amount_rounded_down(
        amount: int, rate: int, points: int) -> None:
    assert points_for(amount, rate) == points


def test_points_are_an_integer_never_a_float() -> None:
    assert type(points_for(10_999, 1)) is int
    assert type(points_for(0, 1)) is int


def test_points_stay_exact_for_amounts_a_float_would_round() -> None:
    amount = 10**17 + 99  # above 2**53: amount * 0.01 as a float loses the last units

    assert points_for(amount, 1) == 10**15
    assert points_for(amount, 3) == (amount * 3) // 100


@given(amount=st.integers(min_value=0, max_value=10**12),
       rate=st.integers(min_value=0, max_value=100))
def test_points_never_exceed_the_exact_share_and_lose_less_than_one_point(
        amount: int, rate: int) -> None:
    exact = Fraction(amount * rate, 100)
    points = points_for(amount, rate)

    assert type(points) is int
    assert points <= exact < points + 1


# ---- simple pay exclusion ----


def test_simple_pay_means_naver_pay_and_talk_checkout_only() -> None:
    assert SIMPLE_PAY == {Channel.NAVERPAY, Channel.TALKCHECKOUT}
    assert Channel.STOREFRONT not in SIMPLE_PAY
    assert Channel.SELLER not in SIMPLE_PAY


# ---- PointsService.on_confirmed over an in-memory store ----


async def grant(store: FakeStore, event: PurchaseConfirmed) -> None:
    service = points_service(store)
    await store.transaction(lambda tx: service.on_confirmed(tx, event))


async def test_a_member_confirmation_grants_points_and_counts_the_purchase() -> None:
    store = FakeStore("coupons")

    await grant(store, confirmed(40_500))
    await grant(store, confirmed(10_000, section_id="20261126-000001-2"))

    member = store.db.members.docs["m1"]
    assert member["points"] == 405 + 100
    assert member["cumulative_purchase"] == 50_500
    earned = store.committed
    assert [type(e) for e in earned] == [PointsEarned, PointsEarned]
    first, second = earned
    assert isinstance(first, PointsEarned) and isinstance(second, PointsEarned)
    assert (first.points, first.balance, second.points, second.balance) == (405, 405, 100, 505)
    assert all(e.key == e.order_id == "o-1" for e in earned)
    ledger = list(store.db.points_ledger.docs.values())
    assert [(x["delta"], x["balance"], x["reason"]) for x in ledger] == [
        (405, 405, "purchase_confirmed"), (100, 505, "purchase_confirmed")]


@pytest.mark.parametrize("channel", sorted(SIMPLE_PAY))
async def test_a_simple_pay_confirmation_grants_nothing_even_for_a_logged_in_member(
        channel: Channel) -> None:
    store = FakeStore("coupons")

    await grant(store, confirmed(40_500, member_id="m1", channel=channel))

    assert store.db.members.docs == {}
    assert store.db.points_ledger.docs == {}
    assert store.committed == []


async def test_a_guest_confirmation_grants_nothing() -> None:
    store = FakeStore("coupons")

    await grant(store, confirmed(40_500, member_id=""))

    assert store.db.members.docs == {}
    assert store.committed == []


# ---- the FastStream handler, with the in-memory TestKafkaBroker ----


@pytest.fixture
async def coupons_service() -> AsyncIterator[tuple[KafkaBroker, FakeStore]]:
    store = FakeStore("coupons")
    broker = KafkaBroker()
    points = points_service(store)
    handlers.register(broker, points, Usage(points.catalog, Clock()))
    async with TestKafkaBroker(broker) as test_broker:
        yield test_broker, store


async def test_a_purchase_confirmed_event_on_kafka_grants_points_once_even_when_redelivered(
        coupons_service: tuple[KafkaBroker, FakeStore]) -> None:
    broker, store = coupons_service
    event = confirmed(40_500)

    for _ in range(2):
        await broker.publish(event.model_dump(mode="json"), topic=topics.ORDERS_EVENTS,
                             key=event.key.encode())

    assert store.db.members.docs["m1"]["points"] == 405
    assert store.db.members.docs["m1"]["cumulative_purchase"] == 40_500
    assert [type(e) for e in store.committed] == [PointsEarned]
    assert store.committed[0].causation_id == event.event_id
    assert list(store.db.processed_events.docs) == [f"coupons.orders:{event.event_id}"]


async def test_other_order_events_on_kafka_grant_nothing(
        coupons_service: tuple[KafkaBroker, FakeStore]) -> None:
    broker, store = coupons_service
    simple_pay = confirmed(40_500, channel=Channel.NAVERPAY)

    await broker.publish(simple_pay.model_dump(mode="json"), topic=topics.ORDERS_EVENTS,
                         key=b"o-1")

    assert store.db.members.docs == {}
    assert store.committed == []
    assert len(store.db.processed_events.docs) == 1
