"""What a new claim may take (SPEC §5): each refusal is a clear 4xx and changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from claims.claim import Claim, ClaimLine
from claims.view import LineInfo, OrderView, SectionView, Wanted, check, claimable
from contracts.claims.v1 import ClaimKind, ClaimState, ReasonCode
from contracts.envelope import Actor
from kit.errors import DomainError, InvalidInput, NotFound

K = ClaimKind
NOW = datetime(2026, 11, 26, tzinfo=UTC)
ORDER = OrderView(order_id="o1", order_no="N1", member_id="m1", channel="STOREFRONT",
                  payment_method="CARD", payment_status="PAID",
                  lines={"L1": LineInfo("L1", "P1", "P1-0", "티셔츠", "M", 10000, 5),
                         "L2": LineInfo("L2", "P2", "P2-0", "양말", "", 3000, 2)},
                  shipping_fee=3000, paid_amount=59000)


def sections(status: str = "DELIVERED", **more: SectionView) -> dict[str, SectionView]:
    return {"N1-1": SectionView("N1-1", status, {"L1": 5, "L2": 2}), **more}


def claim(n: int, section_id: str = "N1-1", qty: int = 2, moved: bool = False,
          state: ClaimState = ClaimState.REQUESTED) -> Claim:
    return Claim(claim_id=f"c{n}", claim_no=f"N1-C{n}", order_id="o1", order_no="N1",
                 member_id="m1", kind=K.RETURN, state=state,
                 items=[ClaimLine(section_id, "L1", "P1-0", qty)], source_status="DELIVERED",
                 reason_code=ReasonCode.DEFECT, reason="", opened_by=Actor(kind="buyer"),
                 opened_at=NOW, moved=moved)


def test_part_of_a_line_may_be_returned() -> None:
    assert check(K.RETURN, [Wanted("N1-1", "L1", 2)], ORDER, sections(), []) == "DELIVERED"


def test_claiming_more_units_than_the_section_holds_is_refused_as_bad_input() -> None:
    with pytest.raises(InvalidInput, match="holds 5 units, cannot claim 6") as e:
        check(K.RETURN, [Wanted("N1-1", "L1", 6)], ORDER, sections(), [])
    assert e.value.status_code == 400


def test_the_same_line_named_twice_counts_once_in_total() -> None:
    with pytest.raises(InvalidInput, match="cannot claim 6"):
        check(K.RETURN, [Wanted("N1-1", "L1", 3), Wanted("N1-1", "L1", 3)], ORDER, sections(), [])


def test_units_under_an_open_claim_cannot_be_claimed_again_before_orders_moved_them() -> None:
    with pytest.raises(DomainError, match="2 of 5 units in section N1-1 are already under claim") as e:
        check(K.RETURN, [Wanted("N1-1", "L1", 4)], ORDER, sections(), [claim(1)])
    assert e.value.status_code == 409 and e.value.code == "under_claim"
    check(K.RETURN, [Wanted("N1-1", "L1", 3)], ORDER, sections(), [claim(1)])


def test_a_claim_section_cannot_be_claimed_while_its_claim_is_open() -> None:
    moved = {"N1-1": SectionView("N1-1", "DELIVERED", {"L1": 3, "L2": 2}),
             "N1-C1": SectionView("N1-C1", "DELIVERED", {"L1": 2})}
    with pytest.raises(DomainError, match="already under claim"):
        check(K.EXCHANGE, [Wanted("N1-C1", "L1", 1)], ORDER, moved, [claim(1, moved=True)])
    assert claimable(moved, [claim(1, moved=True)]) == {"N1-1": {"L1": 3, "L2": 2}}


def test_units_of_a_rejected_claim_are_claimable_again() -> None:
    back = {"N1-1": SectionView("N1-1", "DELIVERED", {"L1": 3, "L2": 2}),
            "N1-C1": SectionView("N1-C1", "DELIVERED", {"L1": 2})}
    rejected = claim(1, moved=True, state=ClaimState.REJECTED)
    assert check(K.RETURN, [Wanted("N1-C1", "L1", 2)], ORDER, back, [rejected]) == "DELIVERED"


@pytest.mark.parametrize("status", ["SHIPPING", "DELIVERED"])
def test_a_shipped_section_cannot_be_cancelled_and_the_buyer_is_told_to_return_it(
        status: str) -> None:
    with pytest.raises(DomainError, match="request a return instead") as e:
        check(K.CANCEL, [Wanted("N1-1", "L1", 1)], ORDER, sections(status), [])
    assert e.value.status_code == 409


@pytest.mark.parametrize("kind", [K.RETURN, K.EXCHANGE])
def test_after_confirmation_returns_and_exchanges_are_refused_with_a_clear_message(
        kind: ClaimKind) -> None:
    with pytest.raises(DomainError, match="purchase is confirmed"):
        check(kind, [Wanted("N1-1", "L1", 1)], ORDER, sections("CONFIRMED"), [])


@pytest.mark.parametrize("kind", list(K))
def test_a_cancelled_section_accepts_no_claim(kind: ClaimKind) -> None:
    with pytest.raises(DomainError, match="cancelled"):
        check(kind, [Wanted("N1-1", "L1", 1)], ORDER, sections("CANCELLED"), [])


def test_a_return_before_shipping_is_refused_with_a_hint_to_cancel() -> None:
    with pytest.raises(DomainError, match="cancel it instead"):
        check(K.RETURN, [Wanted("N1-1", "L1", 1)], ORDER, sections("PREPARING"), [])


def test_an_unknown_section_is_not_found() -> None:
    with pytest.raises(NotFound):
        check(K.RETURN, [Wanted("N1-9", "L1", 1)], ORDER, sections(), [])


def test_units_from_sections_in_two_statuses_are_refused() -> None:
    two = sections("SHIPPING", **{"N1-2": SectionView("N1-2", "DELIVERED", {"L1": 1})})
    with pytest.raises(InvalidInput, match="one status at a time"):
        check(K.RETURN, [Wanted("N1-1", "L2", 1), Wanted("N1-2", "L1", 1)], ORDER, two, [])


def test_before_payment_only_the_whole_order_can_be_cancelled() -> None:
    with pytest.raises(InvalidInput, match="whole order"):
        check(K.CANCEL, [Wanted("N1-1", "L1", 1)], ORDER, sections("PAYMENT_PENDING"), [])
    every = [Wanted("N1-1", "L1", 5), Wanted("N1-1", "L2", 2)]
    assert check(K.CANCEL, every, ORDER, sections("PAYMENT_PENDING"), []) == "PAYMENT_PENDING"


def test_a_line_that_is_not_in_the_order_is_bad_input() -> None:
    with pytest.raises(InvalidInput, match="not part of order"):
        check(K.RETURN, [Wanted("N1-1", "L9", 1)], ORDER, sections(), [])


def test_asking_again_for_units_orders_already_moved_into_a_claim_is_under_claim() -> None:
    moved = {"N1-1": SectionView("N1-1", "DELIVERED", {"L1": 3, "L2": 2}),
             "N1-C1": SectionView("N1-C1", "DELIVERED", {"L1": 2})}
    with pytest.raises(DomainError, match="2 of 5 units in section N1-1 are already under claim"):
        check(K.RETURN, [Wanted("N1-1", "L1", 4)], ORDER, moved, [claim(1, moved=True)])
    with pytest.raises(InvalidInput, match="holds 3 units, cannot claim 6"):
        check(K.RETURN, [Wanted("N1-1", "L1", 6)], ORDER, moved, [claim(1, moved=True)])
    whole = {"N1-C1": SectionView("N1-C1", "DELIVERED", {"L1": 5})}
    with pytest.raises(DomainError, match="5 of 5 units in section N1-1"):
        check(K.RETURN, [Wanted("N1-1", "L1", 1)], ORDER, whole, [claim(1, qty=5, moved=True)])
