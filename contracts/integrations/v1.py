"""Integrations: what partners told us, schema version 1. Key = order id."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, ClassVar, Literal

from pydantic import Field, field_validator

from contracts import topics
from contracts.claims.v1 import ClaimKind, ReasonCode
from contracts.envelope import Event
from contracts.orders.v1 import PlaceOrder, SectionStatus


class _IntegrationsEvent(Event):
    TOPIC: ClassVar[str] = topics.INTEGRATIONS_EVENTS
    order_id: str


class PaymentConfirmed(_IntegrationsEvent):
    """The PG confirmed a card payment or a deposit (signed webhook, verified), or PayPal a
    capture (read back from PayPal; `amount` is our KRW figure, PayPal's USD stays in
    integrations)."""

    type: Literal["PaymentConfirmed"] = "PaymentConfirmed"
    partner: str = Field(examples=["pg-sim", "paypal"])
    partner_tx_id: str = Field(description="The partner's transaction id (PayPal: capture id)")
    method: Literal["CARD", "BANK_TRANSFER", "PAYPAL"]
    amount: int = Field(ge=0, description="KRW")


class RefundSucceeded(_IntegrationsEvent):
    """The PG refunded a claim."""

    type: Literal["RefundSucceeded"] = "RefundSucceeded"
    claim_id: str
    attempt: int
    amount: int = Field(ge=0)
    partner_tx_id: str


class RefundFailed(_IntegrationsEvent):
    """The PG refused or failed a claim's refund."""

    type: Literal["RefundFailed"] = "RefundFailed"
    claim_id: str
    attempt: int
    reason: str


SimplePay = Literal["NAVERPAY", "TALKCHECKOUT"]


class ChannelOrderReceived(_IntegrationsEvent):
    """A simple-pay partner (Naver Pay, Talk Checkout) took and was paid for an order: the
    orders service records it as paid, with the amounts the partner gives. `order_id` is ours,
    derived from the partner's order id; line n of `order.lines` is our line `L<n>`."""

    type: Literal["ChannelOrderReceived"] = "ChannelOrderReceived"
    partner: SimplePay
    partner_order_id: str
    order: PlaceOrder = Field(description="The order as the partner sold it (channel, payment "
                                          "method and our order id set)")
    paid_amount: int = Field(ge=0, description="What the buyer paid the partner, KRW")
    partner_line_ids: list[str] = Field(description="The partner's id of each line, in order")


class PartnerStatusReported(_IntegrationsEvent):
    """The partner says some lines of a channel order moved: shipped (in the partner's own
    center, so without an invoice we know), delivered, or purchase-decided."""

    type: Literal["PartnerStatusReported"] = "PartnerStatusReported"
    partner: SimplePay
    line_ids: list[str] = Field(min_length=1, description="Our line ids (L1, L2, ...)")
    to_status: SectionStatus = Field(description="SHIPPING, DELIVERED or CONFIRMED")
    shipped_outside: bool = Field(default=False, description="Shipped in the partner's center: "
                                                             "its invoice does not flow back")

    @field_validator("to_status")
    @classmethod
    def _forward(cls, v: SectionStatus) -> SectionStatus:
        if v not in (SectionStatus.SHIPPING, SectionStatus.DELIVERED, SectionStatus.CONFIRMED):
            raise ValueError("a partner reports SHIPPING, DELIVERED or CONFIRMED")
        return v


class PartnerClaimRequested(_IntegrationsEvent):
    """The buyer asked the simple-pay partner to cancel, return or exchange some lines (the
    partner's claims take whole lines): the claims service opens the claim here, where the
    seller decides it."""

    type: Literal["PartnerClaimRequested"] = "PartnerClaimRequested"
    partner: SimplePay
    partner_claim_id: str
    kind: ClaimKind
    line_ids: list[str] = Field(min_length=1, description="Our line ids (L1, L2, ...)")
    reason_code: ReasonCode
    reason: str = Field(default="", max_length=500, description="The buyer's words and the "
                                                               "partner's reason code")


class PartnerClaimClosed(_IntegrationsEvent):
    """The partner closed a claim by its own rules (an auto-approval, or a decision in its
    center), not at our request: COMPLETED (the partner refunded the buyer itself) or REJECTED
    (refused or withdrawn there). The claim here follows."""

    type: Literal["PartnerClaimClosed"] = "PartnerClaimClosed"
    partner: SimplePay
    partner_claim_id: str
    outcome: Literal["COMPLETED", "REJECTED"]
    note: str = Field(default="", max_length=200)


class ParcelDelivered(_IntegrationsEvent):
    """The carrier scanned a shipped section's parcel as delivered (배송완료, learnt by
    polling the tracker): the orders service moves the section SHIPPING → DELIVERED."""

    type: Literal["ParcelDelivered"] = "ParcelDelivered"
    section_id: str
    carrier: str = Field(description="Our carrier name (CJ대한통운, ...)")
    invoice_no: str
    delivered_at: datetime = Field(description="When the carrier scanned it delivered")


IntegrationsEvent = Annotated[
    PaymentConfirmed | RefundSucceeded | RefundFailed | ChannelOrderReceived
    | PartnerStatusReported | PartnerClaimRequested | PartnerClaimClosed | ParcelDelivered,
    Field(discriminator="type"),
]
