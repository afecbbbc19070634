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


IntegrationsEvent = Annotated[PaymentConfirmed, Field(discriminator="type")]
