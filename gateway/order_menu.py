"""The seller's order menu: tabs (filters with live counts), columns and sort, stored by the
orders service; shared by the order list, the tab editor, bulk jobs and the spreadsheet export."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Request

from gateway.auth import (
    User,
)
from gateway.clients import ServiceError, Services
from gateway.deps import seller_page
from gateway.web import (
    flash_error,
)

STATUSES = ["PAYMENT_PENDING", "PREPARING", "READY_TO_SHIP", "SHIPPING", "DELIVERED",
            "CONFIRMED", "CANCELLED", "RETURNED", "EXCHANGED"]


CLAIM_KINDS = ["CANCEL", "RETURN", "EXCHANGE"]


PAYMENT_METHODS = ["CARD", "BANK_TRANSFER", "PAYPAL", "UNSELECTED"]


CHANNELS = ["STOREFRONT", "SELLER", "NAVERPAY", "TALKCHECKOUT"]


SORTS = ["placed_at", "amount", "order_no"]


PAGE_SIZES = [50, 100, 200]


NUMERIC_COLUMNS = {"quantity", "amount"}


SEARCH_COUNT = "search:current"  # never a tab id (tab ids have no colon)


_catalogue: dict[str, Any] = {}


async def catalogue(s: Services) -> dict[str, Any]:
    """Column catalogue and default tabs of the orders service (static: fetched once)."""
    if not _catalogue:
        _catalogue.update(await s.orders.get("/views-catalogue"))
    return _catalogue


async def order_menu(s: Services, user: User) -> dict[str, Any]:
    menu: dict[str, Any] = await s.orders.get(f"/views/{user.user_id}")
    return menu


def find_tab(menu: dict[str, Any], tab_id: str | None) -> dict[str, Any]:
    tabs: list[dict[str, Any]] = menu["tabs"]
    for tab in tabs:
        if tab["tab_id"] == tab_id:
            return tab
    return tabs[0]


def tab_filter(tab: dict[str, Any], q: str = "") -> dict[str, Any]:
    """The tab's saved filter; a search typed in the box replaces the tab's own search text."""
    flt = {k: v for k, v in tab["filter"].items() if v not in (None, "", [])}
    if q.strip():
        flt["q"] = q.strip()
    return flt


def list_url(tab_id: str, q: str = "", sort: str = "placed_at", direction: str = "desc",
             size: int = 50, **extra: Any) -> str:
    params: dict[str, Any] = {"tab": tab_id}
    if q:
        params["q"] = q
    if sort != "placed_at" or direction != "desc":
        params.update(sort=sort, dir=direction)
    if size != PAGE_SIZES[0]:
        params["size"] = size
    params.update({k: v for k, v in extra.items() if v not in (None, "")})
    return "/admin/orders?" + urlencode(params)


def filter_from_form(form: Any) -> dict[str, Any]:
    def pick(name: str, allowed: list[str]) -> list[str]:
        return [v for v in form.getlist(name) if v in allowed]

    flt: dict[str, Any] = {
        "statuses": pick("statuses", STATUSES), "claim_kinds": pick("claim_kinds", CLAIM_KINDS),
        "payment_methods": pick("payment_methods", PAYMENT_METHODS),
        "channels": pick("channels", CHANNELS), "q": str(form.get("q", "")).strip()[:100],
        "date_from": None, "date_to": None}
    for key in ("date_from", "date_to"):
        raw = str(form.get(key, "")).strip()
        if raw:
            try:
                flt[key] = date.fromisoformat(raw).isoformat()
            except ValueError as exc:
                raise ServiceError(400, "bad_date", "{field}: not a date ({value})", field=key,
                                   value=raw) from exc
    return flt


async def save_menu(services: Services, request: Request, user: User, menu: dict[str, Any]) -> bool:
    try:
        await services.orders.put(f"/views/{user.user_id}",
                           {"tabs": menu["tabs"], "columns": menu["columns"]})
    except ServiceError as exc:
        flash_error(request, exc)
        return False
    return True


def _new_tab_id(menu: dict[str, Any]) -> str:
    taken = {tab["tab_id"] for tab in menu["tabs"]}
    n = 1
    while f"tab{n}" in taken:
        n += 1
    return f"tab{n}"


OrderListSeller = Annotated[User, Depends(seller_page("/admin/orders"))]


# Bulk actions in the order the action bar shows them; the second value: needs invoices.
BULK_ACTIONS = {"CONFIRM_DEPOSIT": False, "READY_TO_SHIP": False, "SHIP": True, "DELIVER": False,
                "CANCEL": False, "MERGE_AND_SHIP": True}
