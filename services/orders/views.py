"""Each seller user's order menu: tabs (saved filters) and the columns the list shows."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from contracts.orders.requests import ListFilter, OrderMenu, Tab
from contracts.orders.v1 import SectionStatus

DEFAULT_COLUMNS = ["order_no", "placed_at", "buyer", "items", "quantity", "amount",
                   "payment_method", "status", "invoice"]
S = SectionStatus


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
