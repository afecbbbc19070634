"""Orders: events (past tense) and commands (imperative), schema version 1."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from contracts import topics
from contracts.envelope import Actor, Event


class SectionStatus(StrEnum):
    PAYMENT_PENDING = "PAYMENT_PENDING"  # 결제대기: waiting for payment
    PREPARING = "PREPARING"  # 상품준비: paid, seller prepares the goods
    READY_TO_SHIP = "READY_TO_SHIP"  # 배송대기: packed, waiting for the carrier
    SHIPPING = "SHIPPING"  # 배송중: handed to the carrier with an invoice number
    DELIVERED = "DELIVERED"  # 배송완료: delivered; auto-confirm clock runs
    CONFIRMED = "CONFIRMED"  # 구매확정: terminal; no return or exchange any more
    CANCELLED = "CANCELLED"  # 취소: terminal; never processed again
    RETURNED = "RETURNED"  # 반품완료: terminal claim section; the units went back to the seller
    EXCHANGED = "EXCHANGED"  # 교환완료: terminal claim section; the replacement was delivered


class PaymentStatus(StrEnum):
    PENDING = "PENDING"  # not paid yet (card not approved, deposit not received)
    PAID = "PAID"  # payment confirmed by the partner or the seller
    CANCELLED = "CANCELLED"  # order cancelled before payment
    REFUNDED = "REFUNDED"  # every unit cancelled after payment, and refunded


class PaymentMethod(StrEnum):
    CARD = "CARD"
    BANK_TRANSFER = "BANK_TRANSFER"
    UNSELECTED = "UNSELECTED"  # seller-created order: the buyer picks a method when paying
    NAVERPAY = "NAVERPAY"  # paid at Naver Pay: the partner holds the money and refunds it
    TALKCHECKOUT = "TALKCHECKOUT"  # paid at Kakao Talk Checkout, likewise
    PAYPAL = "PAYPAL"  # our order, paid at PayPal in USD (integrations keeps PayPal's amount)


class Channel(StrEnum):
    STOREFRONT = "STOREFRONT"
    SELLER = "SELLER"
    NAVERPAY = "NAVERPAY"
    TALKCHECKOUT = "TALKCHECKOUT"


# Simple-pay channels: the partner took the order and the money. Their orders never count toward
# the cumulative purchase nor earn site points (the partner gives its own), and ship line by line.
SIMPLE_PAY = frozenset({Channel.NAVERPAY, Channel.TALKCHECKOUT})


class Buyer(BaseModel):
    """A member (member_id set) or a guest (name + phone, member_id empty)."""

    model_config = ConfigDict(frozen=True)

    member_id: str = Field(default="", description="Member id; empty for a guest")
    name: str = Field(min_length=1, max_length=50)
    phone: str = Field(pattern=r"^0\d{1,2}-?\d{3,4}-?\d{4}$", examples=["010-1234-5678"])
    email: str = Field(default="", max_length=200)


class ShipTo(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str = Field(min_length=1, max_length=50)
    phone: str = Field(pattern=r"^0\d{1,2}-?\d{3,4}-?\d{4}$")
    zipcode: str = Field(pattern=r"^\d{5}$", examples=["06236"])
    address1: str = Field(min_length=1, max_length=200)
    address2: str = Field(default="", max_length=200)


class LineData(BaseModel):
    """An order line as events carry it: product + SKU + integer KRW unit price + quantity."""

    model_config = ConfigDict(frozen=True)

    line_id: str
    product_id: str
    sku_id: str
    name: str
    option_label: str = ""
    unit_price: int = Field(ge=0, description="KRW")
    quantity: int = Field(ge=1)


class ItemQty(BaseModel):
    """N units of one order line (a section item)."""

    model_config = ConfigDict(frozen=True)

    line_id: str
    quantity: StrictInt = Field(ge=1, le=100_000)


class _OrdersEvent(Event):
    TOPIC: ClassVar[str] = topics.ORDERS_EVENTS
    order_id: str
    order_no: str


class OrderPlaced(_OrdersEvent):
    """An order was placed; inventory must reserve its SKUs."""

    type: Literal["OrderPlaced"] = "OrderPlaced"
    channel: Channel
    payment_method: PaymentMethod
    buyer: Buyer
    lines: list[LineData]
    items_total: int
    shipping_fee: int
    paid_amount: int = Field(description="Amount the buyer has to pay, KRW")
    deposit_deadline: datetime | None = None
    discount: int = Field(default=0, description="Seller's order discount, KRW")
    allocations: dict[str, int] = Field(
        default_factory=dict, description="Order-level discounts per line (largest remainder)")
    points_used: int = Field(default=0, description="Points spent on the order, KRW")
    shipping_discount: int = Field(default=0, description="Shipping coupon, KRW")
    coupon_ids: list[str] = Field(default_factory=list, description="Coupons used on the order")
    coupon_lock: str = Field(default="", description="The coupons service's checkout lock that "
                                                     "took the coupons and points (order_ref)")


class OrderPaid(_OrdersEvent):
    """Payment was confirmed; the order's sections moved to PREPARING."""

    type: Literal["OrderPaid"] = "OrderPaid"
    payment_method: PaymentMethod
    amount: int
    actor: Actor


class SectionStatusChanged(_OrdersEvent):
    """A section moved forward in the flow (READY_TO_SHIP, SHIPPING, DELIVERED, ...)."""

    type: Literal["SectionStatusChanged"] = "SectionStatusChanged"
    section_id: str
    from_status: SectionStatus
    to_status: SectionStatus
    items: list[ItemQty]
    lines: list[LineData] = Field(default_factory=list, description="Lines the items refer to")
    carrier: str = ""
    invoice_no: str = ""
    order_cancelled: bool = Field(
        default=False, description="This change cancelled the last open section of the order")
    actor: Actor


class InvoiceChanged(_OrdersEvent):
    """송장 변경: a shipping section's carrier and invoice number were corrected (the seller
    typed a wrong one, or the parcel went with another carrier). The status does not change."""

    type: Literal["InvoiceChanged"] = "InvoiceChanged"
    section_id: str
    items: list[ItemQty]
    carrier: str
    invoice_no: str
    previous_carrier: str = ""
    previous_invoice_no: str = ""
    actor: Actor


class SectionSplit(_OrdersEvent):
    """Some units of a PREPARING section moved into a new section (partial shipment)."""

    type: Literal["SectionSplit"] = "SectionSplit"
    section_id: str = Field(description="The section that was split")
    new_section_id: str
    status: SectionStatus
    items: list[ItemQty] = Field(description="What stays in section_id")
    new_items: list[ItemQty] = Field(description="What moved to new_section_id")
    actor: Actor


class SectionsMerged(_OrdersEvent):
    """Sections of one order in the same status became one section."""

    type: Literal["SectionsMerged"] = "SectionsMerged"
    section_id: str = Field(description="The section that remains")
    merged_section_ids: list[str] = Field(description="Sections that no longer exist")
    status: SectionStatus
    items: list[ItemQty]
    actor: Actor


class PurchaseConfirmed(_OrdersEvent):
    """A section was confirmed (by the buyer or automatically): rewards are due now."""

    type: Literal["PurchaseConfirmed"] = "PurchaseConfirmed"
    section_id: str
    member_id: str = Field(description="Empty for guests")
    channel: Channel
    confirmed_amount: int = Field(description="Paid amount of the confirmed items, KRW")
    automatic: bool
    actor: Actor


class OrderCancelled(_OrdersEvent):
    """The whole order was cancelled; reserved stock must be released."""

    type: Literal["OrderCancelled"] = "OrderCancelled"
    reason: str
    items: list[ItemQty]
    lines: list[LineData] = Field(default_factory=list)
    actor: Actor


class SectionItems(BaseModel):
    model_config = ConfigDict(frozen=True)

    section_id: str
    items: list[ItemQty] = Field(description="What the section holds now (empty: it is gone)")


class ClaimSectionOpened(_OrdersEvent):
    """A claim's units moved out of their sections into claim section `section_id`."""

    type: Literal["ClaimSectionOpened"] = "ClaimSectionOpened"
    claim_id: str
    kind: str
    section_id: str
    status: SectionStatus
    items: list[ItemQty]
    sources: list[SectionItems]
    actor: Actor


class ReplacementShipped(_OrdersEvent):
    """A completed exchange: its replacement units live on as a normal section `section_id`
    (SHIPPING with the reshipment's carrier + invoice, then delivered, confirmed or claimed like
    any section), on new lines for the replacement SKUs. The claim section keeps the returned
    units, EXCHANGED."""

    type: Literal["ReplacementShipped"] = "ReplacementShipped"
    claim_id: str
    section_id: str
    replaces_section_id: str = Field(description="The exchange's claim section")
    status: SectionStatus
    items: list[ItemQty]
    lines: list[LineData] = Field(description="The new lines: replacement SKU, unit price")
    allocations: dict[str, int] = Field(
        default_factory=dict, description="Discount carried over to each new line, KRW: the "
                                          "share of the units it replaces")
    carrier: str = ""
    invoice_no: str = ""
    actor: Actor


class PaymentRefused(_OrdersEvent):
    """The PG confirmed a payment the order cannot take (e.g. a deposit after the deadline
    cancelled the order): the money is to be refunded to the payer."""

    type: Literal["PaymentRefused"] = "PaymentRefused"
    payment_id: str = Field(description="The payment to refund, within the order (RP1, ...)")
    partner: str
    partner_tx_id: str
    method: str
    amount: int = Field(ge=0, description="KRW received")
    reason: str


class RefusedPaymentRefunded(_OrdersEvent):
    """A refused payment was given back (by hand: the seller recorded bank and account)."""

    type: Literal["RefusedPaymentRefunded"] = "RefusedPaymentRefunded"
    payment_id: str
    amount: int = Field(ge=0)
    by_hand: bool = True
    actor: Actor


class ClaimUnitsRefused(_OrdersEvent):
    """Orders could not move a claim's units (their section moved on or they are taken)."""

    type: Literal["ClaimUnitsRefused"] = "ClaimUnitsRefused"
    claim_id: str
    reason: str


OrdersEvent = Annotated[
    OrderPlaced | OrderPaid | SectionStatusChanged | SectionSplit | SectionsMerged
    | PurchaseConfirmed | OrderCancelled | ClaimSectionOpened | ClaimUnitsRefused
    | ReplacementShipped | PaymentRefused | RefusedPaymentRefunded | InvoiceChanged,
    Field(discriminator="type"),
]


# ---- commands (gateway -> orders service HTTP API) ----


class PlaceOrderLine(BaseModel):
    """A priced line: the gateway fills product, name and price from the catalogue."""

    sku_id: str = Field(min_length=1, max_length=64)
    product_id: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=200)
    option_label: str = Field(default="", max_length=200)
    unit_price: StrictInt = Field(ge=0, le=100_000_000)
    quantity: StrictInt = Field(ge=1, le=999)


class PlaceOrder(BaseModel):
    """Place an order. Prices come from the catalogue, never from the buyer."""

    model_config = ConfigDict(extra="forbid")

    buyer: Buyer
    ship_to: ShipTo
    lines: list[PlaceOrderLine] = Field(min_length=1, max_length=100)
    payment_method: PaymentMethod
    channel: Channel = Channel.STOREFRONT
    memo: str = Field(default="", max_length=500)
    guest_password_hash: str = Field(default="", description="Hashed lookup password of a guest")
    shipping_fee: StrictInt = Field(default=0, ge=0, le=1_000_000)
    discount: StrictInt = Field(default=0, ge=0, le=100_000_000, description="Order discount, KRW")
    product_discounts: dict[str, Annotated[StrictInt, Field(ge=0, le=100_000_000)]] = Field(
        default_factory=dict, description="Product coupon discount per SKU of the order, KRW")
    order_coupon_discount: StrictInt = Field(default=0, ge=0, le=100_000_000)
    shipping_discount: StrictInt = Field(default=0, ge=0, le=1_000_000)
    points_used: StrictInt = Field(default=0, ge=0, le=100_000_000)
    coupon_ids: list[str] = Field(default_factory=list, max_length=100)
    coupon_lock: str = Field(default="", max_length=100,
                             description="The coupons service's lock (order_ref) of these coupons "
                                         "and points; the coupons service commits it on OrderPlaced")
    order_id: str = Field(default="", max_length=64, pattern=r"^[A-Za-z0-9_-]*$",
                          description="Our id for the order, when the caller names it (an order "
                                      "a partner channel took); else a new one")
    idempotency_key: str = Field(default="", max_length=200,
                                 description="A retried placement with the same key returns the "
                                             "first order instead of placing another")
    actor: Actor


class ChangeSectionStatus(BaseModel):
    """Move one section forward: READY_TO_SHIP, SHIPPING (carrier + invoice), DELIVERED."""

    model_config = ConfigDict(extra="forbid")

    to_status: SectionStatus
    carrier: str = Field(default="", max_length=40)
    invoice_no: str = Field(default="", max_length=40)
    expected_version: StrictInt | None = Field(default=None, ge=0, le=1_000_000_000)
    actor: Actor


class RefundByHand(BaseModel):
    """The seller gave a refused payment back by hand, to this account."""

    bank: str = Field(max_length=40)
    account: str = Field(max_length=40)
    holder: str = Field(default="", max_length=50)
    note: str = Field(default="", max_length=200)
    actor: Actor


class ActorCommand(BaseModel):
    """A command whose only argument is who gives it (confirm deposit, confirm purchase, ...)."""

    model_config = ConfigDict(extra="forbid")

    actor: Actor
    reason: str = Field(default="", max_length=500)


class AddNote(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=1000)
    actor: Actor


class ShipSection(BaseModel):
    """Ship a PREPARING or READY_TO_SHIP section in one step (carrier + invoice)."""

    model_config = ConfigDict(extra="forbid")

    carrier: str = Field(default="", max_length=40)
    invoice_no: str = Field(default="", max_length=40)
    actor: Actor


class SplitSection(BaseModel):
    """Move some units (any quantity of a line) of a PREPARING section into a new section."""

    model_config = ConfigDict(extra="forbid")

    items: list[ItemQty] = Field(min_length=1, max_length=200)
    actor: Actor


class MergeSections(BaseModel):
    """Merge sections of one order that share a status (PREPARING or READY_TO_SHIP)."""

    model_config = ConfigDict(extra="forbid")

    section_ids: list[str] = Field(min_length=2, max_length=200)
    actor: Actor
