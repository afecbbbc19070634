"""Integrations: what partners told us, schema version 1. Key = order id."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field

from contracts import topics
from contracts.envelope import Event


class _IntegrationsEvent(Event):
    TOPIC: ClassVar[str] = topics.INTEGRATIONS_EVENTS
    order_id: str


class PaymentConfirmed(_IntegrationsEvent):
    """The PG confirmed a card payment or a deposit (signed webhook, verified)."""

    type: Literal["PaymentConfirmed"] = "PaymentConfirmed"
    partner: str = Field(examples=["pg-sim"])
    partner_tx_id: str = Field(description="The partner's transaction id")
    method: Literal["CARD", "BANK_TRANSFER"]
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


IntegrationsEvent = Annotated[
    PaymentConfirmed | RefundSucceeded | RefundFailed, Field(discriminator="type")
]
