"""Claimed units move into a claim section that follows the claim (SPEC §5), order side."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from contracts.claimability import allowed_claims
from contracts.claims.v1 import ClaimItem, ClaimKind, ClaimState, ClaimStateChanged
from contracts.envelope import Actor
from contracts.orders.v1 import (
    ClaimSectionOpened,
    ClaimUnitsRefused,
    PaymentStatus,
    SectionStatus,
    SectionStatusChanged,
)
from kit.errors import DomainError
from orders.claims import claim_state, open_claim
from orders.repository import from_doc, to_doc
from tests.unit.orders.test_split_merge import paid_order

S = SectionStatus
NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
BUYER = Actor(kind="buyer", id="m1", name="구매자")
SELLER = Actor(kind="seller", id="seller", name="판매자")
FIRST = "20261126-000001-1"


def delivered(quantities: tuple[int, ...] = (5, 2)):  # type: ignore[no-untyped-def]
    order = paid_order(quantities)
    order.ship(FIRST, "CJ대한통운", "1", SELLER, NOW, 7)
    order.change_section(FIRST, S.DELIVERED, SELLER, NOW, 7)
    return order


def item(qty: int, line: str = "L1", section: str = FIRST) -> ClaimItem:
    return ClaimItem(section_id=section, line_id=line, sku_id="SKU1", quantity=qty)


def change(order, to: ClaimState, kind: ClaimKind = ClaimKind.RETURN,  # type: ignore[no-untyped-def]
           claim_id: str = "C1") -> list:
    return claim_state(order, ClaimStateChanged(
        key=order.order_id, order_id=order.order_id, claim_id=claim_id, kind=kind,
        claim_section_id="X", from_state=ClaimState.REQUESTED, to_state=to, items=[],
        actor=SELLER), NOW)


def test_returning_two_of_five_leaves_three_delivered_and_two_returning() -> None:
    order = delivered()
    [event] = open_claim(order, "C1", ClaimKind.RETURN, "20261126-000001-C1", [item(2)],
                         BUYER, NOW)
    assert isinstance(event, ClaimSectionOpened)
    kept, claim = order.sections
    assert [(i.line_id, i.quantity) for i in kept.items] == [("L1", 3), ("L2", 2)]
    assert [(i.line_id, i.quantity) for i in claim.items] == [("L1", 2)]
    assert claim.status is S.DELIVERED and claim.claim.kind == "RETURN"
    assert claim.auto_confirm_at is None, "a returning section is never auto-confirmed"
    assert order.quantities_by_line() == {"L1": 5, "L2": 2}
    assert from_doc(to_doc(order)).sections[1].claim == claim.claim


def test_units_that_are_not_there_are_refused_by_an_event_and_nothing_moves() -> None:
    order = delivered()
    before = to_doc(order)["sections"]
    [refused] = open_claim(order, "C1", ClaimKind.RETURN, "S-C1", [item(6)], BUYER, NOW)
    assert isinstance(refused, ClaimUnitsRefused) and "cannot claim 6" in refused.reason
    assert to_doc(order)["sections"] == before
    [refused] = open_claim(order, "C2", ClaimKind.CANCEL, "S-C2", [item(1)], BUYER, NOW)
    assert "DELIVERED: a CANCEL is not possible" in refused.reason


def test_units_under_claim_cannot_be_claimed_or_moved_again() -> None:
    order = delivered((5,))
    open_claim(order, "C1", ClaimKind.RETURN, "S-C1", [item(5)], BUYER, NOW)
    [refused] = open_claim(order, "C2", ClaimKind.EXCHANGE, "S-C2",
                           [item(1, section="S-C1")], BUYER, NOW)
    assert "already under a RETURN claim" in refused.reason
    with pytest.raises(DomainError, match="RETURN claim C1"):
        order.change_section("S-C1", S.DELIVERED, SELLER, NOW, 7)
    assert open_claim(order, "C1", ClaimKind.RETURN, "S-C1", [item(5)], BUYER, NOW) == []


def test_a_rejected_claim_gives_the_units_back_their_auto_confirmation() -> None:
    order = delivered()
    auto = order.sections[0].auto_confirm_at
    open_claim(order, "C1", ClaimKind.RETURN, "S-C1", [item(2)], BUYER, NOW)
    assert change(order, ClaimState.REJECTED) == []
    claim = order.sections[1]
    assert claim.claim is None and claim.auto_confirm_at == auto
    order.confirm_purchase(BUYER, NOW, automatic=False)
    assert [s.status for s in order.sections] == [S.CONFIRMED, S.CONFIRMED]


def test_a_completed_return_ends_in_returned_and_the_rest_can_still_be_confirmed() -> None:
    order = delivered()
    open_claim(order, "C1", ClaimKind.RETURN, "S-C1", [item(2)], BUYER, NOW)
    change(order, ClaimState.APPROVED)
    change(order, ClaimState.COLLECTED)
    [moved] = change(order, ClaimState.COMPLETED)
    assert isinstance(moved, SectionStatusChanged) and moved.to_status is S.RETURNED
    events = order.confirm_purchase(BUYER, NOW, automatic=False)
    assert [s.status for s in order.sections] == [S.CONFIRMED, S.RETURNED]
    assert events[1].confirmed_amount == 3 * 1500 + 2 * 2500
    assert change(order, ClaimState.COMPLETED) == [], "a finished claim changes nothing more"


def test_cancelling_every_unit_of_an_unpaid_order_cancels_its_payment() -> None:
    order = paid_order((2,))
    order.payment_status = PaymentStatus.PENDING
    open_claim(order, "C1", ClaimKind.CANCEL, "S-C1", [item(2)], BUYER, NOW)
    [moved] = change(order, ClaimState.COMPLETED, ClaimKind.CANCEL)
    assert moved.to_status is S.CANCELLED
    assert [s.status for s in order.sections] == [S.CANCELLED]
    assert order.payment_status is PaymentStatus.CANCELLED


def test_cancelling_every_unit_after_payment_marks_the_order_refunded() -> None:
    order = paid_order((2,))
    open_claim(order, "C1", ClaimKind.CANCEL, "S-C1", [item(2)], BUYER, NOW)
    change(order, ClaimState.COMPLETED, ClaimKind.CANCEL)
    assert order.payment_status is PaymentStatus.REFUNDED


def test_the_change_that_cancels_the_last_section_says_so_for_coupons() -> None:
    order = paid_order((2, 1))
    open_claim(order, "C1", ClaimKind.CANCEL, "S-C1", [item(2)], BUYER, NOW)
    [first] = change(order, ClaimState.COMPLETED, ClaimKind.CANCEL)
    assert first.order_cancelled is False
    open_claim(order, "C2", ClaimKind.CANCEL, "S-C2", [item(1, line="L2")], BUYER, NOW)
    [last] = change(order, ClaimState.COMPLETED, ClaimKind.CANCEL, claim_id="C2")
    assert last.order_cancelled is True


@pytest.mark.parametrize("kind", list(ClaimKind))
@pytest.mark.parametrize("status", list(S))
def test_the_order_moves_units_for_exactly_the_claims_the_shared_rule_accepts(
        status: SectionStatus, kind: ClaimKind) -> None:
    # The claims service offers and checks claims by the same `allowed_claims`.
    order = paid_order()
    order.sections[0].status = status
    [event] = open_claim(order, "C1", kind, "20261126-000001-C1", [item(1)], BUYER, NOW)

    if kind in allowed_claims(status):
        assert isinstance(event, ClaimSectionOpened)
        assert order.quantities_by_line() == {"L1": 5, "L2": 2}
    else:
        assert isinstance(event, ClaimUnitsRefused)
        assert [s.status for s in order.sections] == [status]
