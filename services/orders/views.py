"""Each seller user's order menu: tabs (saved filters) and the columns the list shows."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel, Field, ValidationError, field_validator

from contracts.orders.v1 import SectionStatus
from orders.listing import ListFilter

# The column catalogue: key -> Korean label (the web app translates).
COLUMNS: dict[str, str] = {
    "order_no": "주문번호", "placed_at": "주문일시", "buyer": "구매자", "recipient": "수령인",
    "phone": "연락처", "items": "상품", "quantity": "수량", "amount": "결제금액",
    "payment_method": "결제수단", "payment_status": "결제상태", "status": "주문상태",
    "invoice": "택배사/송장", "channel": "판매채널", "memo": "배송메모", "address": "배송지",
}
DEFAULT_COLUMNS = ["order_no", "placed_at", "buyer", "items", "quantity", "amount",
                   "payment_method", "status", "invoice"]
S = SectionStatus


class Tab(BaseModel):
    tab_id: str = Field(default_factory=lambda: uuid.uuid4().hex[:8], pattern=r"^[a-z0-9_-]{1,32}$")
    name: str = Field(min_length=1, max_length=20)
    filter: ListFilter = Field(default_factory=ListFilter)


def default_tabs() -> list[Tab]:
    def tab(tab_id: str, name: str, **flt: Any) -> Tab:
        return Tab(tab_id=tab_id, name=name, filter=ListFilter(**flt))

    return [
        tab("all", "전체"),
        tab("payment_pending", "결제대기", statuses=[S.PAYMENT_PENDING]),
        tab("preparing", "상품준비", statuses=[S.PREPARING]),
        tab("ready_to_ship", "배송대기", statuses=[S.READY_TO_SHIP]),
        tab("shipping", "배송중", statuses=[S.SHIPPING]),
        tab("delivered", "배송완료", statuses=[S.DELIVERED]),
        tab("confirmed", "구매확정", statuses=[S.CONFIRMED]),
        tab("cancel", "취소", statuses=[S.CANCELLED], claim_kinds=["CANCEL"]),
        tab("return", "반품", claim_kinds=["RETURN"]),
        tab("exchange", "교환", claim_kinds=["EXCHANGE"]),
    ]


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


async def menu(db: Any, user_id: str) -> OrderMenu:
    doc = await db.views.find_one({"_id": user_id})
    if doc is None:
        return OrderMenu(tabs=default_tabs(), columns=DEFAULT_COLUMNS)
    tabs = [t for t in (_loaded(t) for t in doc["tabs"]) if t is not None]
    return OrderMenu(tabs=tabs or default_tabs(), columns=doc["columns"])


def _loaded(doc: dict[str, Any]) -> Tab | None:
    """A saved tab; one saved before today's rules (e.g. a date out of range) keeps its name
    and loses the bounds it can no longer have, so the menu always opens."""
    try:
        return Tab.model_validate(doc)
    except ValidationError:
        flt = {k: v for k, v in (doc.get("filter") or {}).items()
               if k not in ("date_from", "date_to")}
        try:
            return Tab.model_validate({**doc, "filter": flt})
        except ValidationError:
            return None


async def save(db: Any, user_id: str, m: OrderMenu) -> OrderMenu:
    await db.views.replace_one({"_id": user_id}, {"_id": user_id, **m.model_dump(mode="json")},
                               upsert=True)
    return m
