"""Claims (cancel / return / exchange by quantity), schema version 1. Key = order id.

The claims service owns claims. Orders moves the claimed units into a claim section and
finishes it; inventory releases, restocks or reserves; integrations refunds through the PG.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from contracts import topics
from contracts.envelope import Actor, Event


class ClaimKind(StrEnum):
    CANCEL = "CANCEL"  # 취소: before shipping
    RETURN = "RETURN"  # 반품: in SHIPPING or DELIVERED, with a refund
    EXCHANGE = "EXCHANGE"  # 교환: same product, another (or the same) SKU, same quantity


class ClaimState(StrEnum):
    REQUESTED = "REQUESTED"  # waiting for the seller
    APPROVED = "APPROVED"  # accepted; a return/exchange waits for pick-up
    COLLECTED = "COLLECTED"  # the returned/exchanged units are back at the seller
    RESHIPPED = "RESHIPPED"  # exchange: the replacement left with a new invoice
    REFUNDING = "REFUNDING"  # refund sent to the payment partner
    REFUND_FAILED = "REFUND_FAILED"  # the partner refused; the seller retries or refunds by hand
    COMPLETED = "COMPLETED"  # terminal: done (refunded / cancelled / exchanged)
    REJECTED = "REJECTED"  # terminal: the seller refused; units go back to their section


class ReasonCode(StrEnum):
    CHANGE_OF_MIND = "CHANGE_OF_MIND"  # buyer at fault: return/exchange shipping is charged
    DEFECT = "DEFECT"
    WRONG_ITEM = "WRONG_ITEM"
    DELAYED = "DELAYED"
    OTHER = "OTHER"


class ClaimItem(BaseModel):
    """N units of one order line taken from one section (part of a line is fine)."""

    model_config = ConfigDict(frozen=True)

    section_id: str
    line_id: str
    sku_id: str
    quantity: int = Field(ge=1)
    new_sku_id: str = Field(default="", description="Exchange: the replacement SKU")
    new_option_label: str = Field(default="", description="Exchange: the replacement's option")
    new_unit_price: int | None = Field(
        default=None, ge=0, description="Exchange: the replacement's unit price (KRW, from "
                                        "inventory when the claim was opened)")


class SkuQty(BaseModel):
    model_config = ConfigDict(frozen=True)

    sku_id: str
    quantity: int = Field(ge=1)


class _ClaimsEvent(Event):
    TOPIC: ClassVar[str] = topics.CLAIMS_EVENTS
    order_id: str
    claim_id: str


class ClaimOpened(_ClaimsEvent):
    """A claim was opened; orders moves its units into claim section `claim_section_id`."""

    type: Literal["ClaimOpened"] = "ClaimOpened"
    order_no: str
    kind: ClaimKind
    state: ClaimState
    claim_section_id: str
    items: list[ClaimItem]
    reason_code: ReasonCode
    reason: str = ""
    partner_claim_id: str = Field(default="", description="The claim's id at the simple-pay "
                                                          "partner that opened it")
    actor: Actor


class ClaimStateChanged(_ClaimsEvent):
    """A claim moved on. On COMPLETED: a CANCEL releases stock, a RETURN restocks when
    `restock`, an EXCHANGE is done; on REJECTED the units go back to normal."""

    type: Literal["ClaimStateChanged"] = "ClaimStateChanged"
    kind: ClaimKind
    claim_section_id: str
    from_state: ClaimState
    to_state: ClaimState
    items: list[ClaimItem]
    restock: bool = False
    carrier: str = ""
    invoice_no: str = ""
    note: str = ""
    actor: Actor


class ClaimHoldChanged(_ClaimsEvent):
    """A claim was put on hold (nothing moves until it is released) or released. `hold_code`
    is the partner's hold reason class on a channel order (e.g. Naver's holdbackClassType)."""

    type: Literal["ClaimHoldChanged"] = "ClaimHoldChanged"
    kind: ClaimKind
    claim_section_id: str
    on_hold: bool
    reason: str = ""
    hold_code: str = ""
    partner_claim_id: str = Field(default="", description="The claim's id at its partner, if "
                                                          "the partner opened it")
    actor: Actor


class RefundRequested(_ClaimsEvent):
    """Integrations must refund `amount` KRW to the payment (points are refunded by coupons)."""

    type: Literal["RefundRequested"] = "RefundRequested"
    amount: int = Field(ge=0, description="To the original payment, KRW")
    points: int = Field(default=0, ge=0, description="Back to the buyer's points, KRW")
    attempt: int = Field(ge=1)


ClaimsEvent = Annotated[
    ClaimOpened | ClaimStateChanged | ClaimHoldChanged | RefundRequested,
    Field(discriminator="type"),
]

# Naver's holdbackClassType values (PARTNERS.md §1.7; the vendor spells EXTRAFEEE): a hold on a
# return or exchange of a Naver Pay order names one, and it reaches Naver with the hold.
RETURN_HOLD_CODES = ("RETURN_DELIVERYFEE", "EXTRAFEEE", "RETURN_DELIVERYFEE_AND_EXTRAFEEE",
                     "RETURN_PRODUCT_NOT_DELIVERED", "ETC")
EXCHANGE_HOLD_CODES = ("EXCHANGE_DELIVERYFEE", "EXCHANGE_EXTRAFEE", "EXCHANGE_PRODUCT_READY",
                       "EXCHANGE_PRODUCT_NOT_DELIVERED", "EXCHANGE_HOLDBACK", "ETC")
