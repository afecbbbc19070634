"""The claim as a state machine (SPEC §5): pure, no I/O. Each refused step changes nothing."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from claims.claim import Claim, ClaimLine
from contracts.claims.v1 import (
    ClaimKind,
    ClaimOpened,
    ClaimState,
    ClaimStateChanged,
    ReasonCode,
    RefundRequested,
)
from contracts.envelope import Actor, Event
from kit.errors import DomainError, InvalidInput

C, K = ClaimState, ClaimKind
NOW = datetime(2026, 11, 26, tzinfo=UTC)
BUYER = Actor(kind="buyer", id="m1", name="홍길동")
SELLER = Actor(kind="seller", id="seller", name="판매자")
REFUND = {"payment": 18000, "points": 2000, "due": 0}


def new(kind: ClaimKind = K.RETURN, auto: bool = False, moved: bool = True) -> Claim:
    c = Claim(claim_id="c1", claim_no="N1-C1", order_id="o1", order_no="N1", member_id="m1",
              kind=kind, state=C.REQUESTED,
              items=[ClaimLine("N1-1", "L1", "P1-0", 2, new_sku_id="P1-1" if kind is K.EXCHANGE
                               else "")],
              source_status="DELIVERED", reason_code=ReasonCode.DEFECT, reason="",
              opened_by=BUYER, opened_at=NOW, auto_approve=auto)
    c.opened(NOW)
    if moved:
        c.units_moved(NOW)
    return c


def states(events: list[Event]) -> list[tuple[str, str]]:
    return [(e.from_state.value, e.to_state.value) for e in events
            if isinstance(e, ClaimStateChanged)]


def refused(claim: Claim, step: Callable[[], object], *words: str) -> DomainError:
    before = copy.deepcopy(claim)
    with pytest.raises(DomainError) as e:
        step()
    for w in words:
        assert w in e.value.message
    assert claim == before, "a refused step must change nothing"
    return e.value


def test_opening_a_claim_names_its_claim_section_and_units() -> None:
    c = new(moved=False)
    [opened] = Claim.opened(copy.deepcopy(c), NOW)
    assert isinstance(opened, ClaimOpened)
    assert opened.claim_section_id == "N1-C1" and opened.key == "o1"
    assert [(i.section_id, i.line_id, i.quantity) for i in opened.items] == [("N1-1", "L1", 2)]


def test_a_return_goes_requested_approved_collected_refunding_completed() -> None:
    c = new()
    events = c.approve(SELLER, NOW) + c.collect(SELLER, NOW)
    c.ready_to_settle(SELLER, NOW, restock=True)
    events += c.settle(REFUND, SELLER, NOW)
    refund = events[-1]
    assert isinstance(refund, RefundRequested)
    assert (refund.amount, refund.points, refund.attempt) == (18000, 2000, 1)
    events += c.refund_succeeded(1, "pg-tx-1", NOW)
    assert states(events) == [("REQUESTED", "APPROVED"), ("APPROVED", "COLLECTED"),
                              ("COLLECTED", "REFUNDING"), ("REFUNDING", "COMPLETED")]
    assert isinstance(events[-1], ClaimStateChanged) and events[-1].restock


def test_an_exchange_is_reshipped_with_carrier_and_invoice_then_completed() -> None:
    c = new(K.EXCHANGE)
    c.approve(SELLER, NOW)
    c.collect(SELLER, NOW)
    with pytest.raises(InvalidInput, match="carrier and an invoice"):
        c.reship("CJ대한통운", " ", SELLER, NOW)
    [reshipped] = c.reship("CJ대한통운", "612345678901", SELLER, NOW)
    assert isinstance(reshipped, ClaimStateChanged)
    assert (reshipped.carrier, reshipped.invoice_no) == ("CJ대한통운", "612345678901")
    assert reshipped.items[0].new_sku_id == "P1-1"
    c.ready_to_settle(SELLER, NOW, restock=False)
    assert states(c.settle({"payment": 0, "points": 0}, SELLER, NOW)) == [("RESHIPPED", "COMPLETED")]


def test_a_cancel_with_nothing_to_refund_completes_at_once() -> None:
    c = new(K.CANCEL, auto=False)
    c.approve(SELLER, NOW)
    assert states(c.settle({}, SELLER, NOW)) == [("APPROVED", "COMPLETED")]


def test_an_immediate_cancel_is_approved_as_soon_as_orders_moved_the_units() -> None:
    c = new(K.CANCEL, auto=True, moved=False)
    assert c.state is C.REQUESTED
    assert states(c.units_moved(NOW)) == [("REQUESTED", "APPROVED")]
    assert c.units_moved(NOW) == []  # a redelivery changes nothing


def test_nothing_moves_before_orders_has_taken_the_units() -> None:
    c = new(moved=False)
    e = refused(c, lambda: c.approve(SELLER, NOW), "has not taken the units")
    assert e.retryable


def test_approving_twice_is_refused() -> None:
    c = new()
    c.approve(SELLER, NOW)
    e = refused(c, lambda: c.approve(SELLER, NOW), "is APPROVED", "cannot approve")
    assert e.status_code == 409
    assert (e.key, e.params) == ("claim_cannot", {"claim_no": "N1-C1", "state": "APPROVED",
                                                  "action": "approve it"})


def test_orders_refusing_the_units_rejects_the_claim_with_its_reason() -> None:
    c = new(moved=False)
    assert states(c.units_refused("section N1-1 is CONFIRMED", NOW)) == [("REQUESTED", "REJECTED")]
    assert c.history[-1].note == "section N1-1 is CONFIRMED"
    assert c.units_refused("again", NOW) == []


def test_a_rejection_needs_a_reason_and_is_impossible_once_the_units_are_collected() -> None:
    c = new()
    with pytest.raises(InvalidInput):
        c.reject(" ", SELLER, NOW)
    c.approve(SELLER, NOW)
    c.collect(SELLER, NOW)
    refused(c, lambda: c.reject("늦었음", SELLER, NOW), "is COLLECTED")


def test_a_held_claim_does_not_move_until_released_but_may_be_rejected() -> None:
    c = new()
    c.hold("반품비 미입금", SELLER, NOW)
    e = refused(c, lambda: c.approve(SELLER, NOW), "on hold", "반품비 미입금")
    assert (e.key, e.params) == ("claim_on_hold", {"claim_no": "N1-C1",
                                                   "hold_reason": "반품비 미입금"})
    assert refused(c, lambda: c.hold("again", SELLER, NOW), "already on hold").key == \
        "claim_already_on_hold"
    c.release(SELLER, NOW)
    assert states(c.approve(SELLER, NOW)) == [("REQUESTED", "APPROVED")]
    c.hold("확인 중", SELLER, NOW)
    assert states(c.reject("고객 요청 철회", SELLER, NOW)) == [("APPROVED", "REJECTED")]
    assert not c.on_hold


def test_a_failed_refund_is_retried_without_giving_points_back_twice() -> None:
    c = new(K.CANCEL)
    c.approve(SELLER, NOW)
    c.settle(REFUND, SELLER, NOW)
    assert states(c.refund_failed(1, "카드사 승인 거절", NOW)) == [("REFUNDING", "REFUND_FAILED")]
    events = c.retry_refund(SELLER, NOW)
    retry = events[-1]
    assert isinstance(retry, RefundRequested)
    assert (retry.amount, retry.points, retry.attempt) == (18000, 0, 2)
    assert c.refund_succeeded(1, "late", NOW) == []  # an answer to the first attempt
    assert states(c.refund_succeeded(2, "pg-2", NOW)) == [("REFUNDING", "COMPLETED")]


def test_a_failed_refund_can_be_marked_refunded_by_hand_with_the_account_used() -> None:
    c = new(K.CANCEL)
    c.approve(SELLER, NOW)
    c.settle(REFUND, SELLER, NOW)
    c.refund_failed(1, "declined", NOW)
    with pytest.raises(InvalidInput, match="bank and the account"):
        c.refunded_by_hand({"bank": "국민은행", "account": ""}, SELLER, NOW)
    events = c.refunded_by_hand({"bank": "국민은행", "account": "123-45-6789", "holder": "홍길동",
                                 "note": "계좌 환불"}, SELLER, NOW)
    assert states(events) == [("REFUND_FAILED", "COMPLETED")]
    assert c.refund.status == "MANUAL" and c.refund.manual["by"] == "seller"


def test_a_claim_with_money_due_waits_for_the_payment_to_be_recorded() -> None:
    c = new(K.EXCHANGE)
    c.approve(SELLER, NOW)
    c.collect(SELLER, NOW)
    c.reship("CJ대한통운", "6100", SELLER, NOW)
    c.ready_to_settle(SELLER, NOW, restock=True)
    refused(c, lambda: c.settle({"due": 8000}, SELLER, NOW), "owes 8000 KRW")
    c.record_due_paid("계좌 입금 확인", SELLER, NOW)
    assert states(c.settle({"due": 8000}, SELLER, NOW)) == [("RESHIPPED", "COMPLETED")]


@pytest.mark.parametrize("kind", [K.CANCEL, K.RETURN])
def test_only_exchanges_are_reshipped(kind: ClaimKind) -> None:
    c = new(kind)
    c.approve(SELLER, NOW)
    refused(c, lambda: c.reship("CJ대한통운", "1", SELLER, NOW), f"is a {kind.value}")


def test_completed_and_rejected_claims_are_final() -> None:
    done = new(K.CANCEL)
    done.approve(SELLER, NOW)
    done.settle({}, SELLER, NOW)
    for step in (lambda: done.approve(SELLER, NOW), lambda: done.reject("x", SELLER, NOW),
                 lambda: done.hold("x", SELLER, NOW), lambda: done.retry_refund(SELLER, NOW)):
        refused(done, step, "is COMPLETED")


def test_an_exchange_whose_replacement_is_out_of_stock_is_held_for_the_seller() -> None:
    c = new(K.EXCHANGE)
    c.approve(SELLER, NOW)
    assert c.replacement_short("P1-1 재고 부족 (남은 재고 0개)", NOW) == []
    assert c.on_hold and c.hold_reason.startswith("P1-1")
    refused(c, lambda: c.collect(SELLER, NOW), "on hold")
    assert c.replacement_short("again", NOW) == [] and c.hold_reason.startswith("P1-1")
    assert states(c.reject("재고 없음", SELLER, NOW)) == [("APPROVED", "REJECTED")]
