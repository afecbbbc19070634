"""The order aggregate as a state machine (SPEC §2-3): pure, no I/O.

Every allowed transition is walked; every other (from -> to) pair of section statuses is refused
with a DomainError naming the current status and leaves the order exactly as it was.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contracts.envelope import Actor, Event
from contracts.orders.v1 import (
    Buyer,
    Channel,
    LineData,
    OrderCancelled,
    OrderPaid,
    OrderPlaced,
    PaymentMethod,
    PaymentStatus,
    PurchaseConfirmed,
    SectionStatus,
    SectionStatusChanged,
    ShipTo,
)
from kit.errors import DomainError, InvalidInput
from orders.domain import Order, StockStatus
from orders.repository import from_doc, to_doc

S = SectionStatus
# The six-step flow plus CANCELLED; RETURNED / EXCHANGED are claim outcomes (test_claims.py).
FLOW = [s for s in S if s not in (S.RETURNED, S.EXCHANGED)]
NOW = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)
AUTO_CONFIRM_DAYS = 7
DEPOSIT_DAYS = 3

BUYER_ACTOR = Actor(kind="buyer", id="m1", name="홍길동")
SELLER = Actor(kind="seller", id="seller", name="판매자")
PG = Actor(kind="partner", id="pg-sim", name="PG")
SCHEDULER = Actor(kind="system", id="scheduler", name="시스템")

BUYER = Buyer(member_id="m1", name="홍길동", phone="010-1234-5678", email="hong@example.com")
SHIP_TO = ShipTo(name="홍길동", phone="010-1234-5678", zipcode="06236",
                 address1="서울특별시 강남구 테헤란로 1", address2="2층")
LINES = [
    LineData(line_id="L1", product_id="P1", sku_id="P1-BK-M", name="티셔츠",
             option_label="블랙 / M", unit_price=12_000, quantity=2),
    LineData(line_id="L2", product_id="P2", sku_id="P2-0", name="양말", unit_price=5_500,
             quantity=3),
]
ORDERED = {"L1": 2, "L2": 3}
ITEMS_TOTAL = 12_000 * 2 + 5_500 * 3  # 40,500
SHIPPING_FEE = 3_000
PAID_AMOUNT = ITEMS_TOTAL + SHIPPING_FEE

# The six moves SPEC §3 allows, each through its own command.
ALLOWED = {
    (S.PAYMENT_PENDING, S.PREPARING),  # payment confirmed + stock reserved
    (S.PAYMENT_PENDING, S.CANCELLED),  # cancel / stock rejected / deposit deadline
    (S.PREPARING, S.READY_TO_SHIP),  # seller
    (S.READY_TO_SHIP, S.SHIPPING),  # seller, with carrier + invoice
    (S.SHIPPING, S.DELIVERED),  # carrier tracking or seller
    (S.DELIVERED, S.CONFIRMED),  # confirm_purchase (buyer or automatic)
}
REFUSED = sorted(
    (a, b) for a, b in itertools.product(FLOW, FLOW) if (a, b) not in ALLOWED
)
SELLER_PATH = [S.PREPARING, S.READY_TO_SHIP, S.SHIPPING, S.DELIVERED]


# ---- builders ----


def place(method: PaymentMethod = PaymentMethod.CARD, channel: Channel = Channel.STOREFRONT,
          buyer: Buyer = BUYER, guest_password_hash: str = "") -> Order:
    order, _ = place_with_events(method, channel, buyer, guest_password_hash)
    return order


def place_with_events(method: PaymentMethod = PaymentMethod.CARD,
                      channel: Channel = Channel.STOREFRONT, buyer: Buyer = BUYER,
                      guest_password_hash: str = "") -> tuple[Order, list[Event]]:
    return Order.place(
        order_id="o-1", order_no="20261126-000001", channel=channel, buyer=buyer,
        ship_to=SHIP_TO, payment_method=method, lines=list(LINES), shipping_fee=SHIPPING_FEE,
        memo="문 앞에 놓아 주세요", guest_password_hash=guest_password_hash, actor=BUYER_ACTOR,
        now=NOW, deposit_days=DEPOSIT_DAYS,
    )


def section_id(order: Order) -> str:
    return order.sections[0].section_id


def move(order: Order, to: SectionStatus, now: datetime = LATER) -> list[Event]:
    invoice = {"carrier": "CJ대한통운", "invoice_no": "123456789012"} if to is S.SHIPPING else {}
    return order.change_section(section_id(order), to, SELLER, now, AUTO_CONFIRM_DAYS, **invoice)


def order_in(status: SectionStatus, method: PaymentMethod = PaymentMethod.CARD) -> Order:
    """An order whose single section is in `status`, reached through the real commands."""
    order = place(method)
    if status is S.PAYMENT_PENDING:
        return order
    if status is S.CANCELLED:
        order.cancel("단순 변심", BUYER_ACTOR, LATER)
        return order
    order.stock_reserved(LATER)
    order.confirm_payment(PAID_AMOUNT, PG, LATER)
    for step in SELLER_PATH[1:]:
        if order.sections[0].status is status:
            return order
        move(order, step)
    if status is S.CONFIRMED:
        order.confirm_purchase(BUYER_ACTOR, LATER, automatic=False)
    assert order.sections[0].status is status
    return order


def cancelled_by(how: str) -> Order:
    if how == "buyer":
        order = place()
        order.cancel("단순 변심", BUYER_ACTOR, LATER)
    elif how == "stock rejection":
        order = place()
        order.stock_rejected("P1-BK-M 품절", LATER)
    else:
        order = place(PaymentMethod.BANK_TRANSFER)
        order.stock_reserved(LATER)
        order.deposit_expired(NOW + timedelta(days=DEPOSIT_DAYS))
    assert order.payment_status is PaymentStatus.CANCELLED
    return order


def snapshot(order: Order) -> dict[str, Any]:
    return copy.deepcopy(to_doc(order))


def assert_refused_and_unchanged(order: Order, action: Callable[[], object],
                                 *message_parts: str, error: type[DomainError] = DomainError
                                 ) -> DomainError:
    before, clone = snapshot(order), copy.deepcopy(order)
    with pytest.raises(error) as refused:
        action()
    for part in message_parts:
        assert part in refused.value.message
    assert to_doc(order) == before
    assert order == clone
    return refused.value


def only(events: list[Event], kind: type[Event]) -> list[Any]:
    return [e for e in events if isinstance(e, kind)]


# ---- placement ----


def test_a_placed_order_waits_for_payment_in_one_section_holding_every_ordered_unit() -> None:
    order, events = place_with_events()

    assert [s.status for s in order.sections] == [S.PAYMENT_PENDING]
    assert order.quantities_by_line() == ORDERED
    assert order.payment_status is PaymentStatus.PENDING
    assert order.stock_status == StockStatus.PENDING
    assert (order.items_total, order.shipping_fee, order.paid_amount) == (
        ITEMS_TOTAL, SHIPPING_FEE, PAID_AMOUNT)
    assert order.deposit_deadline is None
    [placed] = events
    assert isinstance(placed, OrderPlaced)
    assert placed.paid_amount == PAID_AMOUNT
    assert placed.key == placed.order_id == "o-1"


def test_a_bank_transfer_order_gets_a_deposit_deadline_days_after_placement() -> None:
    order, [placed] = place_with_events(PaymentMethod.BANK_TRANSFER)

    assert order.deposit_deadline == NOW + timedelta(days=DEPOSIT_DAYS)
    assert isinstance(placed, OrderPlaced)
    assert placed.deposit_deadline == order.deposit_deadline


@pytest.mark.parametrize("lines, code", [
    ([], "no_lines"),
    ([LINES[0], LINES[0].model_copy(update={"line_id": "L9"})], "duplicate_sku"),
])
def test_placing_an_order_without_lines_or_with_a_repeated_sku_is_refused(
        lines: list[LineData], code: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        Order.place(order_id="o-1", order_no="n", channel=Channel.STOREFRONT, buyer=BUYER,
                    ship_to=SHIP_TO, payment_method=PaymentMethod.CARD, lines=lines,
                    shipping_fee=0, memo="", guest_password_hash="", actor=BUYER_ACTOR,
                    now=NOW, deposit_days=DEPOSIT_DAYS)
    assert refused.value.code == code


def test_a_guest_order_without_a_lookup_password_is_refused() -> None:
    guest = Buyer(name="손님", phone="010-9999-8888")
    with pytest.raises(InvalidInput) as refused:
        place(buyer=guest)
    assert refused.value.code == "guest_password"
    assert place(buyer=guest, guest_password_hash="argon2$hash").buyer.member_id == ""


# ---- PAYMENT_PENDING -> PREPARING: payment and stock, in either order ----


def test_payment_then_stock_moves_the_order_to_preparing_only_when_both_arrived() -> None:
    order = place()

    paid_events = order.confirm_payment(PAID_AMOUNT, PG, LATER)
    assert [type(e) for e in paid_events] == [OrderPaid]
    assert order.payment_status is PaymentStatus.PAID
    assert order.paid_at == LATER
    assert order.sections[0].status is S.PAYMENT_PENDING

    stock_events = order.stock_reserved(LATER)
    [changed] = stock_events
    assert isinstance(changed, SectionStatusChanged)
    assert (changed.from_status, changed.to_status) == (S.PAYMENT_PENDING, S.PREPARING)
    assert order.sections[0].status is S.PREPARING
    assert order.stock_status == StockStatus.RESERVED


def test_stock_then_payment_moves_the_order_to_preparing_only_when_both_arrived() -> None:
    order = place()

    assert order.stock_reserved(LATER) == []
    assert order.sections[0].status is S.PAYMENT_PENDING

    events = order.confirm_payment(PAID_AMOUNT, PG, LATER)
    assert [type(e) for e in events] == [OrderPaid, SectionStatusChanged]
    paid, changed = events
    assert isinstance(paid, OrderPaid) and paid.amount == PAID_AMOUNT and paid.actor == PG
    assert isinstance(changed, SectionStatusChanged)
    assert (changed.from_status, changed.to_status) == (S.PAYMENT_PENDING, S.PREPARING)
    assert changed.actor == PG
    assert order.sections[0].status is S.PREPARING


def test_a_second_stock_reserved_event_changes_nothing() -> None:
    order = order_in(S.PREPARING)
    before = snapshot(order)

    assert order.stock_reserved(LATER) == []
    assert order.stock_rejected("late", LATER) == []
    assert to_doc(order) == before


@pytest.mark.parametrize("amount", [0, PAID_AMOUNT - 1, PAID_AMOUNT + 1, ITEMS_TOTAL])
def test_a_payment_whose_amount_differs_from_the_order_amount_is_refused(amount: int) -> None:
    order = place()
    order.stock_reserved(LATER)

    error = assert_refused_and_unchanged(
        order, lambda: order.confirm_payment(amount, PG, LATER),
        f"{amount} KRW", f"{PAID_AMOUNT} KRW", error=InvalidInput)
    assert error.code == "amount_mismatch"
    assert order.payment_status is PaymentStatus.PENDING


@pytest.mark.parametrize("stock_first", [True, False])
def test_paying_an_order_twice_is_refused(stock_first: bool) -> None:
    order = place()
    if stock_first:
        order.stock_reserved(LATER)
    order.confirm_payment(PAID_AMOUNT, PG, LATER)

    error = assert_refused_and_unchanged(
        order, lambda: order.confirm_payment(PAID_AMOUNT, PG, LATER), "already paid")
    assert error.code == "already_paid"


# ---- the seller's forward moves ----


def test_a_preparing_section_becomes_ready_to_ship() -> None:
    order = order_in(S.PREPARING)

    [changed] = move(order, S.READY_TO_SHIP)

    assert isinstance(changed, SectionStatusChanged)
    assert (changed.from_status, changed.to_status) == (S.PREPARING, S.READY_TO_SHIP)
    assert changed.actor == SELLER
    assert order.sections[0].status is S.READY_TO_SHIP
    assert order.sections[0].status_changed_at == LATER


def test_a_ready_section_ships_with_its_carrier_and_invoice_trimmed() -> None:
    order = order_in(S.READY_TO_SHIP)

    [changed] = order.change_section(section_id(order), S.SHIPPING, SELLER, LATER,
                                     AUTO_CONFIRM_DAYS, carrier="  CJ대한통운 ",
                                     invoice_no=" 123456789012 ")

    section = order.sections[0]
    assert section.status is S.SHIPPING
    assert (section.carrier, section.invoice_no) == ("CJ대한통운", "123456789012")
    assert isinstance(changed, SectionStatusChanged)
    assert (changed.carrier, changed.invoice_no) == ("CJ대한통운", "123456789012")
    assert {(i.line_id, i.quantity) for i in changed.items} == set(ORDERED.items())
    assert [x.sku_id for x in changed.lines] == [x.sku_id for x in LINES]
    assert order.timeline[-1].note == "CJ대한통운 123456789012"


@pytest.mark.parametrize("carrier, invoice_no", [
    ("", "123456789012"), ("CJ대한통운", ""), ("   ", "123456789012"), ("CJ대한통운", "  "),
    ("", ""),
])
def test_shipping_without_a_carrier_or_an_invoice_number_is_refused(
        carrier: str, invoice_no: str) -> None:
    order = order_in(S.READY_TO_SHIP)

    error = assert_refused_and_unchanged(
        order, lambda: order.change_section(section_id(order), S.SHIPPING, SELLER, LATER,
                                            AUTO_CONFIRM_DAYS, carrier, invoice_no),
        "carrier", "invoice", error=InvalidInput)
    assert error.code == "invoice_required"


@pytest.mark.parametrize("days", [0, 1, 7, 14])
def test_a_delivered_section_is_due_for_automatic_confirmation_n_days_after_delivery(
        days: int) -> None:
    order = order_in(S.SHIPPING)
    delivered_at = LATER + timedelta(days=2, minutes=5)

    [changed] = order.change_section(section_id(order), S.DELIVERED, SELLER, delivered_at, days)

    assert isinstance(changed, SectionStatusChanged)
    assert changed.to_status is S.DELIVERED
    assert order.sections[0].status is S.DELIVERED
    assert order.sections[0].auto_confirm_at == delivered_at + timedelta(days=days)


@pytest.mark.parametrize("automatic, actor, note", [
    (False, BUYER_ACTOR, ""),
    (True, SCHEDULER, "자동 구매확정"),
])
def test_confirming_a_delivered_section_emits_the_status_change_and_purchase_confirmed(
        automatic: bool, actor: Actor, note: str) -> None:
    order = order_in(S.DELIVERED)

    events = order.confirm_purchase(actor, LATER, automatic=automatic)

    assert [type(e) for e in events] == [SectionStatusChanged, PurchaseConfirmed]
    changed, confirmed = events
    assert isinstance(changed, SectionStatusChanged)
    assert (changed.from_status, changed.to_status) == (S.DELIVERED, S.CONFIRMED)
    assert isinstance(confirmed, PurchaseConfirmed)
    assert confirmed.confirmed_amount == 12_000 * 2 + 5_500 * 3  # items only, no shipping fee
    assert confirmed.automatic is automatic
    assert confirmed.actor == actor
    assert confirmed.member_id == "m1"
    assert confirmed.channel is Channel.STOREFRONT
    assert confirmed.section_id == section_id(order)
    assert order.sections[0].status is S.CONFIRMED
    assert order.sections[0].auto_confirm_at is None
    assert order.timeline[-1].note == note
    assert order.timeline[-1].actor == actor


def test_confirming_only_other_sections_than_the_delivered_one_is_refused() -> None:
    order = order_in(S.DELIVERED)

    assert_refused_and_unchanged(
        order, lambda: order.confirm_purchase(BUYER_ACTOR, LATER, False, ["nope"]),
        "no DELIVERED section", "DELIVERED")


def test_moving_an_unknown_section_is_refused() -> None:
    order = order_in(S.PREPARING)

    error = assert_refused_and_unchanged(
        order, lambda: order.change_section("nope", S.READY_TO_SHIP, SELLER, LATER, 7),
        "nope")
    assert error.code == "not_found"


# ---- every refused (from -> to) pair ----


@pytest.mark.parametrize("current, target", REFUSED, ids=[f"{a}->{b}" for a, b in REFUSED])
def test_a_move_the_spec_does_not_allow_is_refused_naming_the_current_status_and_changes_nothing(
        current: SectionStatus, target: SectionStatus) -> None:
    order = order_in(current)

    assert_refused_and_unchanged(order, lambda: move(order, target), current.value)


@pytest.mark.parametrize("current, target", [
    (S.PAYMENT_PENDING, S.PREPARING), (S.PAYMENT_PENDING, S.CANCELLED), (S.DELIVERED, S.CONFIRMED),
])
def test_a_plain_section_move_cannot_replace_payment_cancellation_or_purchase_confirmation(
        current: SectionStatus, target: SectionStatus) -> None:
    order = order_in(current)

    assert_refused_and_unchanged(order, lambda: move(order, target), current.value)


@pytest.mark.parametrize("current", [s for s in FLOW if s is not S.DELIVERED])
def test_confirming_the_purchase_of_an_undelivered_order_is_refused(current: SectionStatus) -> None:
    order = order_in(current)

    assert_refused_and_unchanged(
        order, lambda: order.confirm_purchase(BUYER_ACTOR, LATER, automatic=False),
        current.value)


@pytest.mark.parametrize("current", [s for s in FLOW if s not in (S.PAYMENT_PENDING, S.CANCELLED)])
def test_cancelling_a_paid_order_is_refused_with_a_hint_to_open_a_claim(
        current: SectionStatus) -> None:
    order = order_in(current)

    assert_refused_and_unchanged(
        order, lambda: order.cancel("단순 변심", BUYER_ACTOR, LATER), "paid", "claim",
        current.value)


def test_cancelling_a_paid_order_still_waiting_for_stock_is_refused() -> None:
    order = place()
    order.confirm_payment(PAID_AMOUNT, PG, LATER)

    assert_refused_and_unchanged(
        order, lambda: order.cancel("단순 변심", BUYER_ACTOR, LATER), "paid", "claim")


# ---- cancellation ----


@pytest.mark.parametrize("stock_reserved", [False, True])
def test_an_unpaid_order_is_cancelled_with_its_reason_and_every_unit_to_release(
        stock_reserved: bool) -> None:
    order = place()
    if stock_reserved:
        order.stock_reserved(LATER)

    [cancelled] = order.cancel("단순 변심", BUYER_ACTOR, LATER)

    assert isinstance(cancelled, OrderCancelled)
    assert cancelled.reason == "단순 변심"
    assert cancelled.actor == BUYER_ACTOR
    assert {(i.line_id, i.quantity) for i in cancelled.items} == set(ORDERED.items())
    assert cancelled.lines == LINES
    assert order.payment_status is PaymentStatus.CANCELLED
    assert order.cancel_reason == "단순 변심"
    assert [s.status for s in order.sections] == [S.CANCELLED]


def test_a_stock_rejection_cancels_the_order_with_the_shortage_as_reason() -> None:
    order = place()

    [cancelled] = order.stock_rejected("티셔츠 (P1-BK-M) 품절", LATER)

    assert isinstance(cancelled, OrderCancelled)
    assert "P1-BK-M" in cancelled.reason and "품절" in cancelled.reason
    assert cancelled.actor.kind == "system"
    assert order.cancel_reason == cancelled.reason
    assert order.stock_status == StockStatus.REJECTED
    assert [s.status for s in order.sections] == [S.CANCELLED]


def test_the_deposit_deadline_cancels_an_unpaid_bank_transfer_order_on_the_dot() -> None:
    order = place(PaymentMethod.BANK_TRANSFER)
    deadline = NOW + timedelta(days=DEPOSIT_DAYS)

    [cancelled] = order.deposit_expired(deadline)

    assert isinstance(cancelled, OrderCancelled)
    assert cancelled.reason == "입금 기한 만료"
    assert cancelled.actor.kind == "system"
    assert order.payment_status is PaymentStatus.CANCELLED
    assert [s.status for s in order.sections] == [S.CANCELLED]
    assert order.timeline[-1].actor.kind == "system"


@pytest.mark.parametrize("order_factory, when", [
    (lambda: place(PaymentMethod.BANK_TRANSFER), NOW + timedelta(days=DEPOSIT_DAYS, seconds=-1)),
    (lambda: place(PaymentMethod.BANK_TRANSFER), NOW),
    (lambda: place(PaymentMethod.CARD), NOW + timedelta(days=365)),
    (lambda: order_in(S.PREPARING, PaymentMethod.BANK_TRANSFER), NOW + timedelta(days=30)),
    (lambda: cancelled_by("buyer"), NOW + timedelta(days=30)),
], ids=["bank-transfer-before-deadline", "bank-transfer-at-placement", "card-order",
        "bank-transfer-already-paid", "already-cancelled"])
def test_the_deposit_deadline_does_nothing_before_it_passes_for_card_orders_or_paid_orders(
        order_factory: Callable[[], Order], when: datetime) -> None:
    order = order_factory()
    before = snapshot(order)

    assert order.deposit_expired(when) == []
    assert to_doc(order) == before


HOW = ["buyer", "stock rejection", "deposit deadline"]
ACTIONS: dict[str, Callable[[Order], object]] = {
    "pay": lambda o: o.confirm_payment(PAID_AMOUNT, PG, LATER),
    "cancel again": lambda o: o.cancel("again", SELLER, LATER),
    "confirm purchase": lambda o: o.confirm_purchase(BUYER_ACTOR, LATER, automatic=False),
    "auto confirm": lambda o: o.confirm_purchase(SCHEDULER, LATER, automatic=True),
    **{f"move to {s.value}": (lambda o, s=s: move(o, s)) for s in FLOW},
}


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("how", HOW)
def test_a_cancelled_order_refuses_every_action_naming_cancelled(how: str, action: str) -> None:
    order = cancelled_by(how)

    assert_refused_and_unchanged(order, lambda: ACTIONS[action](order), "CANCELLED")


@pytest.mark.parametrize("how", HOW)
def test_late_events_on_a_cancelled_order_move_nothing(how: str) -> None:
    order = cancelled_by(how)

    assert order.stock_reserved(LATER) == []
    assert order.deposit_expired(NOW + timedelta(days=60)) == []
    assert order.payment_status is PaymentStatus.CANCELLED
    assert [s.status for s in order.sections] == [S.CANCELLED]


@pytest.mark.parametrize("how", ["buyer", "deposit deadline before stock"])
def test_a_stock_rejection_arriving_after_the_order_was_cancelled_changes_nothing(
        how: str) -> None:
    # The buyer (or the deposit deadline) can cancel before inventory answers the placement:
    # the late rejection must not cancel the order a second time.
    if how == "buyer":
        order = place()
        order.cancel("단순 변심", BUYER_ACTOR, LATER)
    else:
        order = place(PaymentMethod.BANK_TRANSFER)
        order.deposit_expired(NOW + timedelta(days=DEPOSIT_DAYS))
    reason, sections, entries = order.cancel_reason, copy.deepcopy(order.sections), len(
        order.timeline)

    events = order.stock_rejected("P1-BK-M 품절", LATER)

    assert events == [], "a second OrderCancelled was emitted for an already cancelled order"
    assert order.cancel_reason == reason
    assert order.sections == sections
    assert [t for t in order.timeline[entries:] if t.action == "section_status"] == []


# ---- events, timeline, invariant ----


def full_journey() -> tuple[Order, list[Event]]:
    order, events = place_with_events()
    events += order.confirm_payment(PAID_AMOUNT, PG, LATER)
    events += order.stock_reserved(LATER)
    for to in SELLER_PATH[1:]:
        events += move(order, to)
    events += order.confirm_purchase(BUYER_ACTOR, LATER, automatic=False)
    return order, events


def test_every_event_of_an_order_is_keyed_by_its_order_id() -> None:
    order, events = full_journey()
    cancelled = cancelled_by("buyer")
    events += [*order_in(S.PAYMENT_PENDING).cancel("x", BUYER_ACTOR, LATER),
               *place().stock_rejected("x", LATER)]

    assert len(events) >= 8
    assert all(e.key == e.order_id == order.order_id == cancelled.order_id for e in events)
    assert all(e.order_no == order.order_no for e in events)


def test_the_timeline_records_each_change_with_its_actor_and_before_after() -> None:
    order = place()
    assert [(t.action, t.actor, t.after) for t in order.timeline] == [
        ("placed", BUYER_ACTOR, S.PAYMENT_PENDING.value)]

    def step(change: Callable[[], object], *expected: tuple[str, Actor, str, str]) -> None:
        start = len(order.timeline)
        change()
        assert [(t.action, t.actor, t.before, t.after) for t in order.timeline[start:]] == list(
            expected)
        assert all(t.at == LATER for t in order.timeline[start:])

    step(lambda: order.confirm_payment(PAID_AMOUNT, PG, LATER),
         ("paid", PG, "PENDING", "PAID"))
    inventory = Actor(kind="system", id="inventory", name="재고")
    step(lambda: order.stock_reserved(LATER),
         ("stock_reserved", inventory, "", ""),
         ("section_status", inventory, "PAYMENT_PENDING", "PREPARING"))
    step(lambda: move(order, S.READY_TO_SHIP),
         ("section_status", SELLER, "PREPARING", "READY_TO_SHIP"))
    step(lambda: move(order, S.SHIPPING),
         ("section_status", SELLER, "READY_TO_SHIP", "SHIPPING"))
    step(lambda: move(order, S.DELIVERED),
         ("section_status", SELLER, "SHIPPING", "DELIVERED"))
    step(lambda: order.confirm_purchase(BUYER_ACTOR, LATER, automatic=False),
         ("section_status", BUYER_ACTOR, "DELIVERED", "CONFIRMED"))
    step(lambda: order.add_note("포장 꼼꼼히", SELLER, LATER), ("note", SELLER, "", ""))
    assert order.timeline[-1].note == "포장 꼼꼼히"


def test_a_cancellation_is_on_the_timeline_with_its_actor_and_reason() -> None:
    order = place()
    order.cancel("단순 변심", BUYER_ACTOR, LATER)

    last = order.timeline[-1]
    assert (last.actor, last.before, last.after, last.note) == (
        BUYER_ACTOR, "PAYMENT_PENDING", "CANCELLED", "단순 변심")


def test_the_ordered_quantities_stay_in_the_sections_after_every_step() -> None:
    order = place()
    steps: list[Callable[[], object]] = [
        lambda: order.stock_reserved(LATER),
        lambda: order.confirm_payment(PAID_AMOUNT, PG, LATER),
        *[(lambda to=to: move(order, to)) for to in SELLER_PATH[1:]],
        lambda: order.confirm_purchase(BUYER_ACTOR, LATER, automatic=True),
    ]
    assert order.quantities_by_line() == ORDERED
    for change in steps:
        change()
        assert order.quantities_by_line() == ORDERED
    for how in HOW:
        assert cancelled_by(how).quantities_by_line() == ORDERED


COMMANDS: dict[str, Callable[[Order], object]] = {
    "stock reserved": lambda o: o.stock_reserved(LATER),
    "stock rejected": lambda o: o.stock_rejected("품절", LATER),
    "pay": lambda o: o.confirm_payment(PAID_AMOUNT, PG, LATER),
    "pay wrong amount": lambda o: o.confirm_payment(PAID_AMOUNT - 100, PG, LATER),
    "cancel": lambda o: o.cancel("변심", BUYER_ACTOR, LATER),
    "deposit deadline": lambda o: o.deposit_expired(NOW + timedelta(days=DEPOSIT_DAYS)),
    "confirm": lambda o: o.confirm_purchase(BUYER_ACTOR, LATER, automatic=False),
    **{f"move {s.value}": (lambda o, s=s: move(o, s)) for s in FLOW},
}


@settings(max_examples=100, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(method=st.sampled_from([PaymentMethod.CARD, PaymentMethod.BANK_TRANSFER]),
       commands=st.lists(st.sampled_from(sorted(COMMANDS)), max_size=12))
def test_any_sequence_of_commands_keeps_the_invariant_and_refusals_change_nothing(
        method: PaymentMethod, commands: list[str]) -> None:
    order = place(method)
    for name in commands:
        before = snapshot(order)
        was = order.sections[0].status
        try:
            events = COMMANDS[name](order)
        except DomainError:
            assert to_doc(order) == before, name
        else:
            now = order.sections[0].status
            assert was == now or (was, now) in ALLOWED, (name, was, now)
            assert all(e.key == order.order_id for e in events or [])
        assert order.quantities_by_line() == ORDERED
        assert from_doc(to_doc(order)) == order
        if was is S.CANCELLED:
            assert order.sections[0].status is S.CANCELLED


# ---- repository: to_doc / from_doc ----


@pytest.mark.parametrize("status", FLOW)
def test_an_order_survives_a_round_trip_through_its_document_in_every_status(
        status: SectionStatus) -> None:
    order = order_in(status, PaymentMethod.BANK_TRANSFER)
    order.add_note("메모", SELLER, LATER)
    order.version = 4

    doc = to_doc(order)
    back = from_doc(copy.deepcopy(doc))

    assert back == order
    assert to_doc(back) == doc
    assert doc["_id"] == order.order_id
    assert doc["statuses"] == [status.value]


def test_a_guest_order_survives_a_round_trip_with_its_password_hash_and_memo() -> None:
    guest = Buyer(name="손님", phone="010-9999-8888")
    order = place(channel=Channel.SELLER, buyer=guest, guest_password_hash="argon2$hash")

    back = from_doc(to_doc(order))

    assert back == order
    assert back.buyer.member_id == ""
    assert back.guest_password_hash == "argon2$hash"
    assert back.memo == "문 앞에 놓아 주세요"
    assert back.channel is Channel.SELLER


def test_a_shipped_order_document_keeps_carrier_invoice_and_auto_confirm_time() -> None:
    order = order_in(S.DELIVERED)

    [section] = to_doc(order)["sections"]

    assert section["carrier"] == "CJ대한통운"
    assert section["invoice_no"] == "123456789012"
    assert section["auto_confirm_at"] == LATER + timedelta(days=AUTO_CONFIRM_DAYS)
    assert from_doc(to_doc(order)).sections == order.sections


def test_an_order_document_holds_only_plain_bson_types() -> None:
    plain = (str, int, bool, float, datetime, type(None))

    def walk(value: object, path: str) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                assert type(k) is str, path
                walk(v, f"{path}.{k}")
        elif isinstance(value, list):
            for n, v in enumerate(value):
                walk(v, f"{path}[{n}]")
        else:
            assert type(value) in plain, f"{path} is a {type(value).__name__}"

    order, _ = full_journey()
    walk(to_doc(order), "order")


def test_confirming_a_deposit_by_hand_on_a_card_order_is_refused() -> None:
    order = place(PaymentMethod.CARD)
    order.stock_reserved(LATER)

    error = assert_refused_and_unchanged(
        order, lambda: order.confirm_deposit(SELLER, LATER), "paid by card")
    assert error.code == "not_bank_transfer"


def test_a_seller_confirms_the_deposit_of_a_bank_transfer_order_by_hand() -> None:
    order = place(PaymentMethod.BANK_TRANSFER)
    order.stock_reserved(LATER)

    order.confirm_deposit(SELLER, LATER)

    assert order.payment_status is PaymentStatus.PAID
    assert order.statuses == [S.PREPARING]
