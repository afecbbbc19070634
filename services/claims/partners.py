"""Claims of simple-pay orders (Naver Pay, Talk Checkout; SPEC §10, PARTNERS.md §1.7, §2). Pure.

The partner holds the money and its own claim: every decision taken here must reach it, so a
seller may only take the decisions the partner has a call for. No partner has a call to reject
a buyer's cancel request (the seller refuses it by shipping, in the partner's center) or to hold
a cancel; a hold of a return or exchange names one of the partner's hold reason classes; an
exchange is only ever requested by the buyer, at the partner.
"""

from __future__ import annotations

from contracts.claims.v1 import EXCHANGE_HOLD_CODES, RETURN_HOLD_CODES, ClaimKind
from kit.errors import DomainError, InvalidInput

PARTNERS = {"NAVERPAY": "네이버페이", "TALKCHECKOUT": "톡체크아웃"}

def partner_of(channel: str) -> str:
    """The simple-pay partner an order's channel names ("" for the shop's own orders)."""
    return channel if channel in PARTNERS else ""


def hold_codes(kind: ClaimKind) -> tuple[str, ...]:
    return RETURN_HOLD_CODES if kind is ClaimKind.RETURN else EXCHANGE_HOLD_CODES


def check_open(partner: str, kind: ClaimKind, by_partner: bool) -> None:
    if partner and kind is ClaimKind.EXCHANGE and not by_partner:
        raise DomainError("partner_cannot", "{partner} orders are exchanged only at the "
                          "buyer's request, made at {partner}", key="claim_partner_no_exchange",
                          partner=partner)


def check_decision(partner: str, kind: ClaimKind, action: str, hold_code: str) -> None:
    """Refuse what the partner has no call for, before anything changes here."""
    if not partner:
        return
    if kind is ClaimKind.CANCEL and action == "reject":
        raise DomainError("partner_cannot", "{partner} has no call to reject a cancel request: "
                          "approve it, or ship the order in the {partner} center",
                          key="claim_partner_no_cancel_reject", partner=partner)
    if kind is ClaimKind.CANCEL and action == "hold":
        raise DomainError("partner_cannot", "{partner} has no call to hold a cancel request",
                          key="claim_partner_no_cancel_hold", partner=partner)
    if action == "hold" and hold_code not in hold_codes(kind):
        raise InvalidInput("hold_code_required", "a hold of a {partner} {kind} names one of the "
                           "partner's hold reasons: {codes}", key="claim_partner_hold_code",
                           partner=partner, kind=kind.value, codes=", ".join(hold_codes(kind)))
