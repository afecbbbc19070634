"""Claims of simple-pay orders: only decisions the partner has a call for (claims/partners.py)."""

from __future__ import annotations

import pytest

from claims import partners
from contracts.claims.v1 import EXCHANGE_HOLD_CODES, RETURN_HOLD_CODES, ClaimKind
from kit.errors import DomainError

K = ClaimKind


@pytest.mark.parametrize("partner", ["NAVERPAY", "TALKCHECKOUT"])
def test_a_cancel_request_of_a_partner_order_cannot_be_rejected_or_held(partner: str) -> None:
    for action, key in (("reject", "claim_partner_no_cancel_reject"),
                        ("hold", "claim_partner_no_cancel_hold")):
        with pytest.raises(DomainError) as refused:
            partners.check_decision(partner, K.CANCEL, action, "")
        assert refused.value.key == key and refused.value.params["partner"] == partner
    partners.check_decision(partner, K.CANCEL, "approve", "")  # approving is fine


def test_a_hold_of_a_partner_return_or_exchange_names_one_of_its_codes() -> None:
    for kind, codes in ((K.RETURN, RETURN_HOLD_CODES), (K.EXCHANGE, EXCHANGE_HOLD_CODES)):
        for code in codes:
            partners.check_decision("NAVERPAY", kind, "hold", code)
        with pytest.raises(DomainError) as refused:
            partners.check_decision("NAVERPAY", kind, "hold", "")
        assert (refused.value.status_code, refused.value.key) == (400,
                                                                  "claim_partner_hold_code")
    with pytest.raises(DomainError):  # an exchange code does not hold a return
        partners.check_decision("NAVERPAY", K.RETURN, "hold", "EXCHANGE_DELIVERYFEE")


def test_the_shops_own_orders_keep_every_decision() -> None:
    assert partners.partner_of("STOREFRONT") == "" and partners.partner_of("SELLER") == ""
    for action in ("reject", "hold"):
        partners.check_decision("", K.CANCEL, action, "")
    partners.check_open("", K.EXCHANGE, by_partner=False)


def test_an_exchange_of_a_partner_order_is_the_buyers_at_the_partner() -> None:
    partners.check_open("NAVERPAY", K.EXCHANGE, by_partner=True)
    partners.check_open("NAVERPAY", K.RETURN, by_partner=False)  # the seller may ask a return
    with pytest.raises(DomainError) as refused:
        partners.check_open("NAVERPAY", K.EXCHANGE, by_partner=False)
    assert refused.value.key == "claim_partner_no_exchange"
