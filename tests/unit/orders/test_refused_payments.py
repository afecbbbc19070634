"""Money an order refused (a deposit after the deadline cancelled it) is kept as a payment to
refund until the seller records the refund, with the account it went to."""

from __future__ import annotations

from datetime import timedelta

import pytest

from contracts.envelope import Actor
from contracts.orders.v1 import PaymentMethod, PaymentRefused, RefusedPaymentRefunded
from kit.errors import DomainError, InvalidInput, NotFound
from orders import refused_payments as rp
from orders.domain import Order
from orders.listing import row_of
from orders.repository import from_doc, to_doc
from tests.unit.orders.test_order_state_machine import DEPOSIT_DAYS, NOW, SELLER, place

PG = Actor(kind="partner", id="pg-sim", name="PG")
LATE = NOW + timedelta(days=DEPOSIT_DAYS, minutes=5)


def expired() -> Order:
    order = place(PaymentMethod.BANK_TRANSFER)
    order.deposit_expired(NOW + timedelta(days=DEPOSIT_DAYS))
    return order


def late_deposit(order: Order, tx: str = "tx-1") -> list:  # type: ignore[type-arg]
    try:
        order.confirm_payment(order.paid_amount, PG, LATE, PaymentMethod.BANK_TRANSFER)
    except DomainError as refused:
        return rp.refuse(order, PG, tx, "BANK_TRANSFER", order.paid_amount, refused.message, LATE)
    raise AssertionError("a cancelled order took a payment")


def test_a_deposit_after_the_deadline_is_kept_as_a_payment_to_refund() -> None:
    order = expired()

    [event] = late_deposit(order)

    [payment] = order.refused_payments
    assert (payment.payment_id, payment.amount, payment.status, payment.partner_tx_id) == (
        "RP1", order.paid_amount, rp.TO_REFUND, "tx-1")
    assert "CANCELLED" in payment.reason and payment.received_at == LATE
    assert isinstance(event, PaymentRefused)
    assert (event.payment_id, event.amount, event.order_id) == ("RP1", order.paid_amount,
                                                                 order.order_id)
    assert order.timeline[-1].action == "payment_refused"
    assert order.payment_status.value == "CANCELLED", "the order stays cancelled"
    assert row_of(order)["refund_due"] == order.paid_amount


def test_the_same_partner_transaction_is_kept_once() -> None:
    order = expired()
    late_deposit(order)
    entries = len(order.timeline)

    assert late_deposit(order) == []
    assert len(order.refused_payments) == 1 and len(order.timeline) == entries
    late_deposit(order, "tx-2")
    assert [p.payment_id for p in order.refused_payments] == ["RP1", "RP2"]


def test_a_refused_payment_of_nothing_is_only_on_the_timeline() -> None:
    order = expired()

    assert rp.refuse(order, PG, "tx-0", "BANK_TRANSFER", 0, "late", LATE) == []
    assert order.refused_payments == [] and order.timeline[-1].action == "payment_refused"


def test_the_seller_records_the_refund_by_hand_with_the_account() -> None:
    order = expired()
    late_deposit(order)

    [event] = rp.refunded_by_hand(order, "RP1", " 국민은행 ", "123-45-6789", "홍길동", "전화 확인",
                                  SELLER, LATE)

    [payment] = order.refused_payments
    assert (payment.status, payment.refunded_at) == (rp.REFUNDED, LATE)
    assert payment.refund == {"bank": "국민은행", "account": "123-45-6789", "holder": "홍길동",
                              "note": "전화 확인", "by": SELLER.id}
    assert isinstance(event, RefusedPaymentRefunded) and event.amount == payment.amount
    entry = order.timeline[-1]
    assert (entry.action, entry.actor, entry.after) == ("payment_refunded", SELLER, rp.REFUNDED)
    assert entry.note.startswith(f"{payment.amount} 국민은행 123-45-6789")
    assert row_of(order)["refund_due"] == 0
    assert from_doc(to_doc(order)).refused_payments == order.refused_payments


@pytest.mark.parametrize("payment_id, bank, account, error", [
    ("RP1", "", "123", InvalidInput),
    ("RP1", "국민은행", " ", InvalidInput),
    ("RP9", "국민은행", "123", NotFound),
])
def test_a_refund_without_an_account_or_of_an_unknown_payment_is_refused_and_changes_nothing(
        payment_id: str, bank: str, account: str, error: type[DomainError]) -> None:
    order = expired()
    late_deposit(order)
    before = to_doc(order)

    with pytest.raises(error):
        rp.refunded_by_hand(order, payment_id, bank, account, "", "", SELLER, LATE)
    assert to_doc(order) == before


def test_a_payment_is_refunded_once() -> None:
    order = expired()
    late_deposit(order)
    rp.refunded_by_hand(order, "RP1", "국민은행", "123", "", "", SELLER, LATE)
    before = to_doc(order)

    with pytest.raises(DomainError, match="already refunded") as refused:
        rp.refunded_by_hand(order, "RP1", "신한은행", "456", "", "", SELLER, LATE)
    assert refused.value.code == "already_refunded"
    assert to_doc(order) == before
