"""Which claim a section accepts in each status (SPEC §3, §5)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from claims.domain import REFUSAL
from contracts.claimability import CLAIMS_BY_STATUS, allowed_claims
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


def test_the_refusal_after_confirmation_tells_the_buyer_in_korean_why() -> None:
    assert REFUSAL[S.CONFIRMED] == "구매확정된 주문은 반품/교환을 접수할 수 없습니다."


def test_a_cancelled_section_accepts_no_claim_and_says_it_is_cancelled() -> None:
    assert allowed_claims(S.CANCELLED) == ()
    assert REFUSAL[S.CANCELLED] == "취소된 주문입니다."


@pytest.mark.parametrize("status", list(S))
def test_a_status_that_accepts_no_claim_always_comes_with_a_refusal_message(
        status: SectionStatus) -> None:
    if not allowed_claims(status):
        assert REFUSAL.get(status, "").strip()
    else:
        assert status not in REFUSAL


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
