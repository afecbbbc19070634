"""Which claim a section accepts in each status (SPEC §3, §5)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from claims.domain import NO_CLAIM, reasons, refusal
from contracts.claimability import CLAIMS_BY_STATUS, allowed_claims
from contracts.claims.v1 import ClaimKind
from contracts.envelope import Actor
from contracts.orders.v1 import (
    Buyer,
    Channel,
    LineData,
    PaymentMethod,
    SectionStatus,
    ShipTo,
)
from orders.domain import Order

S = SectionStatus
BEFORE_SHIPPING = [S.PAYMENT_PENDING, S.PREPARING, S.READY_TO_SHIP]


def test_every_section_status_has_a_rule() -> None:
    assert set(CLAIMS_BY_STATUS) == set(S)
    for status in S:
        assert isinstance(allowed_claims(status), tuple)


@pytest.mark.parametrize("status", BEFORE_SHIPPING)
def test_before_shipping_a_section_can_only_be_cancelled(status: SectionStatus) -> None:
    assert allowed_claims(status) == ("CANCEL",)


@pytest.mark.parametrize("status", [S.SHIPPING, S.DELIVERED])
def test_once_shipped_a_section_can_be_returned_or_exchanged_but_not_cancelled(
        status: SectionStatus) -> None:
    assert set(allowed_claims(status)) == {"RETURN", "EXCHANGE"}
    assert "CANCEL" not in allowed_claims(status)


def test_after_purchase_confirmation_no_return_or_exchange_is_accepted() -> None:
    assert allowed_claims(S.CONFIRMED) == ()


def test_the_refusal_after_confirmation_names_its_reason_code_not_a_text() -> None:
    assert reasons("CONFIRMED", held=False) == (
        "confirmed", {"CANCEL": "confirmed", "RETURN": "confirmed", "EXCHANGE": "confirmed"})


def test_a_cancelled_section_accepts_no_claim_and_says_it_is_cancelled() -> None:
    assert allowed_claims(S.CANCELLED) == ()
    assert reasons("CANCELLED", held=False)[0] == "cancelled"


@pytest.mark.parametrize("status", list(S))
def test_a_status_that_accepts_no_claim_always_comes_with_a_reason_code(
        status: SectionStatus) -> None:
    why, refused = reasons(status, held=False)
    if not allowed_claims(status):
        assert why == NO_CLAIM[status]
        assert set(refused) == {"CANCEL", "RETURN", "EXCHANGE"}
    else:
        assert why == ""
        assert status not in NO_CLAIM
        assert not set(refused) & set(allowed_claims(status))


def test_each_refused_kind_names_why_a_shipped_section_is_not_cancelled_and_back() -> None:
    assert reasons("SHIPPING", held=False) == ("", {"CANCEL": "shipped"})
    assert reasons("PREPARING", held=False) == (
        "", {"RETURN": "not_shipped", "EXCHANGE": "not_shipped"})


def test_a_section_held_by_an_open_claim_refuses_every_kind_as_in_claim() -> None:
    assert reasons("DELIVERED", held=True) == (
        "in_claim", {"CANCEL": "in_claim", "RETURN": "in_claim", "EXCHANGE": "in_claim"})


@pytest.mark.parametrize(("status", "kind", "key", "message"), [
    ("CONFIRMED", ClaimKind.RETURN, "not_claimable_confirmed",
     "the purchase is confirmed: returns and exchanges are no longer accepted"),
    ("CANCELLED", ClaimKind.CANCEL, "not_claimable_cancelled",
     "the section is cancelled: nothing to claim"),
    ("RETURNED", ClaimKind.EXCHANGE, "not_claimable_returned",
     "the units were already returned: nothing to claim"),
    ("EXCHANGED", ClaimKind.RETURN, "not_claimable_exchanged",
     "the units were already exchanged: nothing to claim"),
    ("SHIPPING", ClaimKind.CANCEL, "not_claimable_shipped",
     "the section is SHIPPING: it has shipped, request a return instead"),
    ("PREPARING", ClaimKind.RETURN, "not_claimable_not_shipped",
     "the section is PREPARING: it has not shipped yet, cancel it instead"),
])
def test_a_refused_claim_is_an_english_error_with_a_key_and_the_status(
        status: str, kind: ClaimKind, key: str, message: str) -> None:
    err = refusal(status, kind)

    assert err.as_json() == {"error": "not_claimable", "message": message, "key": key,
                             "params": {"status": status}}


def test_only_the_three_claim_kinds_are_ever_offered() -> None:
    offered = {kind for kinds in CLAIMS_BY_STATUS.values() for kind in kinds}

    assert offered == {"CANCEL", "RETURN", "EXCHANGE"}


def test_the_first_section_id_claims_assumes_matches_the_one_orders_creates() -> None:
    # claims.service keys the first section of an OrderPlaced as f"{order_no}-1".
    order, _ = Order.place(
        order_id="o-1", order_no="20261126-000007", channel=Channel.STOREFRONT,
        buyer=Buyer(member_id="m1", name="홍길동", phone="010-1234-5678"),
        ship_to=ShipTo(name="홍길동", phone="010-1234-5678", zipcode="06236", address1="서울"),
        payment_method=PaymentMethod.CARD,
        lines=[LineData(line_id="L1", product_id="P1", sku_id="P1-0", name="티셔츠",
                        unit_price=1000, quantity=1)],
        shipping_fee=0, memo="", guest_password_hash="", actor=Actor(kind="buyer"),
        now=datetime(2026, 11, 26, tzinfo=UTC), deposit_days=3,
    )

    assert [s.section_id for s in order.sections] == ["20261126-000007-1"]
