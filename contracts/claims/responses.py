"""Answers of the claims service's HTTP API, as the gateway passes them on (its OpenAPI).

Every model lets unknown fields through (`extra="allow"`): the gateway documents the fields
clients rely on and forwards the rest unchanged. Times are ISO 8601 strings, money integer KRW.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from contracts.claims.v1 import ClaimKind, ClaimState, ReasonCode
from contracts.envelope import Actor


class _Answer(BaseModel):
    model_config = ConfigDict(extra="allow")


class ClaimQuote(_Answer):
    """What a claim gives back (KRW); `refund` = `payment` + `points`."""

    items: int = Field(description="Unit prices of the claimed units")
    discount: int = Field(description="Their share of the order's discounts")
    shipping: int = Field(description="Original shipping given back")
    difference: int = Field(description="Exchange: (replacement − original price) × units")
    fee: int = Field(description="Return/exchange shipping charged")
    fee_deducted: int = Field(description="Part of the fee taken off the refund")
    refund: int
    payment: int
    points: int
    due: int = Field(description="What the buyer pays separately")


class ClaimLineOut(_Answer):
    section_id: str
    line_id: str
    sku_id: str
    quantity: int
    name: str
    option_label: str
    unit_price: int
    new_sku_id: str = Field(description="Exchange: the replacement SKU")
    new_option_label: str
    new_unit_price: int


class ClaimRefund(_Answer):
    attempt: int
    amount: int = Field(description="To the payment")
    points: int
    status: str = Field(description="'' | REQUESTED | SUCCEEDED | FAILED | MANUAL")
    partner_tx_id: str
    failure: str
    manual: dict[str, str] = Field(description="Refunded by hand: bank, account, holder, note")


class ClaimHistoryEntry(_Answer):
    at: str
    actor: Actor
    action: str
    before: str
    after: str
    note: str


class ClaimOut(_Answer):
    """One claim: a cancel, return or exchange of some units of one order."""

    claim_id: str
    claim_no: str = Field(description="Also the id of the claim's order section")
    order_id: str
    order_no: str
    member_id: str
    kind: ClaimKind
    state: ClaimState
    items: list[ClaimLineOut]
    units: int
    open: bool
    source_status: str = Field(description="Status of the sections the units came from")
    reason_code: ReasonCode
    reason: str
    opened_by: Actor
    opened_at: str
    deduct_fee: bool
    auto_approve: bool
    moved: bool
    on_hold: bool
    hold_reason: str
    restock: bool
    carrier: str
    invoice_no: str
    estimate: dict[str, Any] = Field(description="The quote when opened (ClaimQuote)")
    settled: dict[str, Any] = Field(description="The quote that was applied, once settled")
    due: int
    due_paid: bool
    due_note: str
    refund: ClaimRefund
    history: list[ClaimHistoryEntry]
    version: int
    partner_claim_id: str = Field(default="", description="Opened at a simple-pay partner: "
                                                          "the claim's id there")
    hold_code: str = Field(default="", description="On hold, on a simple-pay order: the "
                                                   "partner's hold reason class")


class ClaimList(_Answer):
    claims: list[ClaimOut]


class ClaimableItem(_Answer):
    line_id: str
    quantity: int
    claimable: int = Field(description="Units no open claim holds")


class ClaimableSection(_Answer):
    section_id: str
    status: str
    allowed: list[ClaimKind] = Field(description="Claims the section accepts now")
    refusal: str = Field(description="Why not, when it accepts none")
    claim_id: str = Field(description="The open claim holding the section, if one")
    items: list[ClaimableItem]


class OrderClaims(ClaimList):
    """An order's claims and what a new claim may take."""

    order_id: str
    sections: list[ClaimableSection]


class ClaimCounts(_Answer):
    """Claims per state, and those on hold."""

    REQUESTED: int
    APPROVED: int
    COLLECTED: int
    RESHIPPED: int
    REFUNDING: int
    REFUND_FAILED: int
    COMPLETED: int
    REJECTED: int
    ON_HOLD: int
