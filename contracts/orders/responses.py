"""Answers of the orders service's HTTP API, as the gateway passes them on (its OpenAPI).

Every model lets unknown fields through (`extra="allow"`): the gateway documents the fields
clients rely on and forwards the rest unchanged. Times are ISO 8601 strings, money integer KRW.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, RootModel

from contracts.envelope import Actor
from contracts.orders.v1 import Channel, PaymentMethod, PaymentStatus, SectionStatus


class _Answer(BaseModel):
    model_config = ConfigDict(extra="allow")


class OrderBuyer(_Answer):
    member_id: str = Field(description="Empty for a guest")
    name: str
    phone: str
    email: str


class OrderShipTo(_Answer):
    name: str
    phone: str
    zipcode: str
    address1: str
    address2: str


class OrderLine(_Answer):
    line_id: str
    product_id: str
    sku_id: str
    name: str
    option_label: str
    unit_price: int
    quantity: int


class SectionItemOut(_Answer):
    line_id: str
    quantity: int


class SectionClaimTag(_Answer):
    """The claim that holds (or held) a section's units."""

    claim_id: str
    kind: str
    state: str


class OrderSection(_Answer):
    """Some units of the order that move through the flow together."""

    section_id: str
    status: SectionStatus
    items: list[SectionItemOut]
    carrier: str
    invoice_no: str
    status_changed_at: str | None
    auto_confirm_at: str | None
    claim: SectionClaimTag | None


class OrderCoupons(_Answer):
    """The coupons and points the order was placed with (KRW)."""

    product: dict[str, int] = Field(description="SKU id → product coupon discount")
    order: int
    shipping: int
    points: int
    coupon_ids: list[str]


class RefusedPaymentOut(_Answer):
    """A payment the order refused (e.g. a deposit after the deadline), to give back."""

    payment_id: str
    partner: str
    partner_tx_id: str
    method: str
    amount: int
    reason: str
    received_at: str
    status: str
    refunded_at: str | None
    refund: dict[str, str]


class TimelineEntry(_Answer):
    at: str
    actor: Actor
    action: str
    before: str
    after: str
    note: str
    section_id: str


class OrderOut(_Answer):
    """One order with its sections, payment and timeline."""

    order_id: str
    order_no: str
    channel: Channel
    buyer: OrderBuyer
    ship_to: OrderShipTo
    guest: bool
    payment_method: PaymentMethod
    payment_status: PaymentStatus
    stock_status: str = Field(description="PENDING | RESERVED | REJECTED")
    lines: list[OrderLine]
    quantities_by_line: dict[str, int]
    sections: list[OrderSection]
    statuses: list[SectionStatus]
    items_total: int
    shipping_fee: int
    paid_amount: int
    discount: int
    coupons: OrderCoupons
    allocations: dict[str, int]
    placed_at: str
    deposit_deadline: str | None
    paid_at: str | None
    cancel_reason: str
    memo: str
    refused_payments: list[RefusedPaymentOut]
    timeline: list[TimelineEntry]
    version: int


class OrderPage(_Answer):
    orders: list[OrderOut]
    next_before: str | None = Field(description="`before` of the next page; none at the end")


class StatusCounts(RootModel[dict[str, int]]):
    """Orders with a section in each status (statuses without any are left out)."""


class ListCounts(RootModel[dict[str, int]]):
    """Rows matching each named filter."""


class ListSection(_Answer):
    section_id: str
    status: SectionStatus
    carrier: str
    invoice_no: str
    quantity: int
    claim: dict[str, Any] | None


class ListRow(_Answer):
    """One order in the seller's order list."""

    order_id: str
    version: int
    order_no: str
    placed_at: str
    channel: Channel
    payment_method: PaymentMethod
    payment_status: PaymentStatus
    member_id: str
    buyer_name: str
    recipient: str
    items_summary: str
    quantity: int
    amount: int
    statuses: list[SectionStatus]
    sections: list[ListSection]


class ListPageOut(_Answer):
    rows: list[ListRow]
    next_cursor: str | None = Field(description="`cursor` of the next page; none at the end")


class BulkJobOut(_Answer):
    """A bulk job as created: its items are changed one by one in the background."""

    job_id: str
    action: str
    status: str = Field(description="QUEUED | RUNNING | DONE")
    total: int = Field(description="Items; 0 until a tab's rows are read")
    created_at: str
    started_at: str | None
    finished_at: str | None
    actor: Actor
    source: str
    filter: dict[str, Any] | None = Field(description="The tab's filter, for a whole-list job")
    carrier: str
    resolved: bool = Field(description="Its items are known")


class BulkJobProgress(BulkJobOut):
    done: int
    failed: int


class BulkJobPage(_Answer):
    jobs: list[BulkJobProgress]
    next_before: str | None = Field(description="`before` of the next page; none at the end")


class BulkItem(_Answer):
    job_id: str
    seq: int
    order_id: str
    order_no: str
    section_id: str
    state: str = Field(description="PENDING | DONE | FAILED")
    reason: str


class BulkItemPage(_Answer):
    items: list[BulkItem]
    next_after: int | None = Field(description="`after` of the next page; none at the end")


class InvoiceUploadOut(_Answer):
    """An invoice upload: invalid rows are reported, valid ones became bulk jobs."""

    upload_id: str
    filename: str
    created_at: str
    actor: Actor
    good: int
    bad_rows: list[dict[str, Any]]
    jobs: dict[str, str] = Field(description="Target status → bulk job id")


class InvoiceUploadCreated(InvoiceUploadOut):
    rows: int


class UploadSummary(_Answer):
    rows: int
    invalid: int
    done: int
    failed: int


class InvoiceUploadReport(InvoiceUploadOut):
    """The upload's per-row result: validation errors, and each job item's outcome."""

    rows: list[dict[str, Any]]
    finished: bool
    job_states: dict[str, BulkJobProgress]
    summary: UploadSummary
