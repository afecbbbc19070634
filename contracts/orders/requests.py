"""Request bodies of the orders service's HTTP API: its public contract. The gateway validates
what it forwards with the same models; what the service does with them stays in the service."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, Field, StrictInt, field_validator, model_validator

from contracts.envelope import Actor
from contracts.inputs import Day
from contracts.orders.v1 import Channel, PaymentMethod, SectionStatus

# The carriers a section may ship with (a seller's form or invoice spreadsheet names one).
CARRIERS = ["CJ대한통운", "우체국택배", "한진택배", "롯데택배", "로젠택배"]


class ListFilter(BaseModel):
    """A saved tab is one of these; the list applies it, plus the search box."""

    statuses: list[SectionStatus] = Field(default_factory=list)
    claim_kinds: list[Literal["CANCEL", "RETURN", "EXCHANGE"]] = Field(default_factory=list)
    payment_methods: list[PaymentMethod] = Field(default_factory=list)
    channels: list[Channel] = Field(default_factory=list)
    date_from: Day | None = Field(default=None, description="First day (Asia/Seoul)")
    date_to: Day | None = Field(default=None, description="Last day (Asia/Seoul), inclusive")
    q: str = Field(default="", max_length=100, description="Order no., name, phone, invoice no.")


class ListPage(BaseModel):
    sort: Literal["placed_at", "amount", "order_no"] = "placed_at"
    direction: Literal["desc", "asc"] = "desc"
    cursor: str | None = Field(default=None, max_length=400)
    limit: StrictInt = Field(default=50, ge=1, le=500)


class ListRequest(BaseModel):
    filter: ListFilter = Field(default_factory=ListFilter)
    page: ListPage = Field(default_factory=ListPage)


# The column catalogue: key -> Korean label (the web app translates).
COLUMNS: dict[str, str] = {
    "order_no": "주문번호", "placed_at": "주문일시", "buyer": "구매자", "recipient": "수령인",
    "phone": "연락처", "items": "상품", "quantity": "수량", "amount": "결제금액",
    "payment_method": "결제수단", "payment_status": "결제상태", "status": "주문상태",
    "invoice": "택배사/송장", "channel": "판매채널", "memo": "배송메모", "address": "배송지",
}


class Tab(BaseModel):
    tab_id: str = Field(default_factory=lambda: uuid.uuid4().hex[:8], pattern=r"^[a-z0-9_-]{1,32}$")
    name: str = Field(min_length=1, max_length=20)
    filter: ListFilter = Field(default_factory=ListFilter)


class OrderMenu(BaseModel):
    tabs: list[Tab] = Field(min_length=1, max_length=30)
    columns: list[str] = Field(min_length=1, max_length=len(COLUMNS))

    @field_validator("columns")
    @classmethod
    def known_columns(cls, columns: list[str]) -> list[str]:
        unknown = [c for c in columns if c not in COLUMNS]
        if unknown:
            raise ValueError(f"unknown columns: {', '.join(unknown)}")
        if len(set(columns)) != len(columns):
            raise ValueError("a column appears twice")
        return columns

    @field_validator("tabs")
    @classmethod
    def unique_tabs(cls, tabs: list[Tab]) -> list[Tab]:
        if len({t.tab_id for t in tabs}) != len(tabs):
            raise ValueError("two tabs share an id")
        return tabs


Action = Literal["CONFIRM_DEPOSIT", "READY_TO_SHIP", "SHIP", "DELIVER", "CANCEL", "MERGE_AND_SHIP"]


class Target(BaseModel):
    """One row of a selection or of a spreadsheet."""

    order_id: str = Field(default="", max_length=64)
    order_no: str = Field(default="", max_length=40)
    section_id: str = Field(default="", max_length=60)
    carrier: str = Field(default="", max_length=40)
    invoice_no: str = Field(default="", max_length=40)
    row: StrictInt | None = Field(default=None, ge=0, le=10_000_000, description="Spreadsheet row, for the report")


class JobRequest(BaseModel):
    """A bulk job as a seller asks for it (the gateway adds who asked)."""

    action: Action
    targets: list[Target] = Field(default_factory=list, description="Selected rows")
    filter: ListFilter | None = Field(default=None, description="Or: every order matching a tab")
    carrier: str = Field(default="", max_length=40, description="Default carrier for SHIP")
    source: str = Field(default="", max_length=200, description="e.g. the uploaded file name")

    @model_validator(mode="after")
    def one_selection(self) -> JobRequest:
        if bool(self.targets) == (self.filter is not None):
            raise ValueError("give either targets or filter")
        return self


class CreateJob(JobRequest):
    actor: Actor


class ShopSettings(BaseModel):
    """The seller's shop rules. A PUT may leave out the shipping fields: they keep their values."""

    auto_confirm_days: StrictInt = Field(ge=0, le=60)
    deposit_deadline_days: StrictInt = Field(ge=1, le=30)
    shipping_fee: StrictInt = Field(default=3000, ge=0, le=1_000_000)
    free_shipping_over: StrictInt = Field(default=50000, ge=0, le=1_000_000_000)

    def shipping_fee_for(self, items_total: int) -> int:
        """A storefront order's shipping fee: free from `free_shipping_over` on."""
        return 0 if items_total >= self.free_shipping_over else self.shipping_fee
