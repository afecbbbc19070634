"""The order list's inputs: dates at the edges are refused, saved menus always load."""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from contracts.inputs import Moment
from contracts.orders.requests import ListFilter, ListPage
from kit.errors import InvalidInput
from orders import listing, views


@pytest.mark.parametrize("flt", [{"date_to": "9999-12-31"}, {"date_from": "0001-01-01"},
                                 {"date_from": "1999-12-31"}, {"date_to": "2100-01-01"}])
def test_a_filter_with_a_date_at_the_edges_is_refused(flt: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        ListFilter.model_validate(flt)


def test_a_filter_within_the_range_builds_its_query() -> None:
    flt = ListFilter(date_from=date(2000, 1, 1), date_to=date(2099, 12, 31))

    span = listing.mongo(flt)["placed_at"]
    assert span["$gte"] < span["$lt"]


def cursor(raw: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([raw, "x"]).encode()).decode()


def test_a_cursor_without_an_offset_is_a_utc_moment() -> None:
    value, ident = listing._decode(cursor("2026-01-01T00:00:00"), "placed_at")

    assert value == datetime(2026, 1, 1, tzinfo=UTC) and ident == "x"


def test_a_cursor_at_the_edges_is_refused() -> None:
    with pytest.raises(InvalidInput):
        listing._decode(cursor("9999-12-31T23:59:59+00:00"), "placed_at")


def test_numbers_of_a_page_are_strict() -> None:
    with pytest.raises(ValidationError):
        ListPage.model_validate({"limit": True})


class OneDoc:
    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc

    async def find_one(self, _query: dict[str, Any]) -> dict[str, Any]:
        return self.doc


class FakeDb:
    def __init__(self, doc: dict[str, Any]) -> None:
        self.views = OneDoc(doc)


async def test_a_menu_saved_with_a_date_now_refused_still_loads() -> None:
    doc = {"_id": "seller", "columns": ["order_no"], "tabs": [
        {"tab_id": "all", "name": "전체", "filter": {}},
        {"tab_id": "far", "name": "먼 미래", "filter": {"date_to": "9999-12-31",
                                                        "statuses": ["SHIPPING"]}}]}

    menu = await views.menu(FakeDb(doc), "seller")

    far = menu.tabs[1]
    assert far.tab_id == "far" and far.filter.date_to is None
    assert [s.value for s in far.filter.statuses] == ["SHIPPING"]


@pytest.mark.parametrize("raw", ["9999-12-31T23:59:59", "0001-01-01T00:00:00+09:00",
                                 "9999-12-31T23:59:59-05:00", "1999-12-31T00:00:00Z"])
def test_a_moment_at_the_edges_is_refused_without_overflowing(raw: str) -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(Moment).validate_python(raw)
