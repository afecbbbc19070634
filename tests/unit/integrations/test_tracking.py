"""Carrier tracking on its own: the carrier table, the polling schedule, reading tracker.delivery's
`track` answers (lastEvent prefers DELIVERED; NOT_FOUND is "not yet"), and the client against a
mock transport playing the tracker."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from contracts.orders.requests import CARRIERS
from integrations import tracking
from integrations.settings import IntegrationsSettings
from integrations.tracking import (
    CARRIER_TABLE,
    Schedule,
    TrackerApi,
    TrackerUnavailable,
    parse_track,
)

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def node(code: str, minutes: int, location: str = "") -> dict[str, Any]:
    at = (T0 + timedelta(minutes=minutes)).astimezone(tracking_kst()).isoformat()
    return {"time": at, "status": {"code": code, "name": code.lower()},
            "location": {"name": location}, "description": f"{code} scan"}


def tracking_kst() -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo("Asia/Seoul")


def answer(*nodes: dict[str, Any], last: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"data": {"track": {"trackingNumber": "1", "lastEvent": last,
                               "events": {"edges": [{"node": n} for n in nodes]}}}}


def test_every_carrier_we_offer_has_a_tracker_id_and_a_tracking_page() -> None:
    assert set(CARRIER_TABLE) == set(CARRIERS)
    assert {c: CARRIER_TABLE[c].tracker_id for c in CARRIERS} == {
        "CJ대한통운": "kr.cjlogistics", "우체국택배": "kr.epost", "한진택배": "kr.hanjin",
        "롯데택배": "kr.lotte", "로젠택배": "kr.logen"}
    for c in CARRIERS:
        url = CARRIER_TABLE[c].page_url("612345678901")
        assert url.startswith("https://") and url.endswith("612345678901"), url


def test_the_first_poll_comes_after_first_seconds_then_doubles_up_to_the_maximum() -> None:
    s = Schedule(first_seconds=3600, max_seconds=4 * 3600, give_up=timedelta(days=14))
    assert [s.delay(n).total_seconds() / 3600 for n in range(6)] == [1, 2, 4, 4, 4, 4]
    assert s.delay(10_000) == timedelta(hours=4)  # no overflow after many quiet polls
    assert not s.stale(T0, T0 + timedelta(days=13, hours=23))
    assert s.stale(T0, T0 + timedelta(days=14))


def test_the_schedule_comes_from_the_settings() -> None:
    s = tracking.schedule_of(IntegrationsSettings(
        tracking_first_poll_seconds=0.3, tracking_max_interval_seconds=1.0,
        tracking_give_up_days=2))
    assert (s.delay(0), s.delay(1), s.delay(5)) == (
        timedelta(seconds=0.3), timedelta(seconds=0.6), timedelta(seconds=1))
    assert s.give_up == timedelta(days=2)


def test_events_are_read_oldest_first_with_their_status_location_and_utc_time() -> None:
    got = parse_track(answer(node("IN_TRANSIT", 60, "대전HUB"), node("AT_PICKUP", 0, "서울"),
                             last=node("IN_TRANSIT", 60)))
    assert got is not None
    assert [(e.code, e.location) for e in got.events] == [("AT_PICKUP", "서울"),
                                                          ("IN_TRANSIT", "대전HUB")]
    assert got.events[0].time == T0
    assert got.last is not None and got.last.location == "대전HUB"  # the full event from the list
    assert got.delivered is None


def test_a_delivered_last_event_is_delivery_even_with_a_later_scan() -> None:
    delivered = node("DELIVERED", 120, "서울")
    got = parse_track(answer(node("AT_PICKUP", 0), delivered, node("OUT_FOR_DELIVERY", 180),
                             last=delivered))
    assert got is not None and got.delivered is not None
    assert got.delivered.time == T0 + timedelta(minutes=120)
    # Without lastEvent, the latest event decides: here not a delivery.
    got = parse_track(answer(node("AT_PICKUP", 0), node("OUT_FOR_DELIVERY", 180)))
    assert got is not None and got.delivered is None and got.last is not None
    assert got.last.code == "OUT_FOR_DELIVERY"


def test_an_unknown_status_code_is_read_as_unknown() -> None:
    got = parse_track(answer(node("TELEPORTED", 0)))
    assert got is not None and [e.code for e in got.events] == ["UNKNOWN"]


def test_not_found_is_not_yet_and_other_errors_are_the_tracker_failing() -> None:
    not_found = {"data": {"track": None},
                 "errors": [{"message": "no", "extensions": {"code": "NOT_FOUND"}}]}
    assert parse_track(not_found) is None
    bad = {"data": {"track": None},
           "errors": [{"message": "Unknown carrier", "extensions": {"code": "BAD_REQUEST"}}]}
    with pytest.raises(TrackerUnavailable, match="BAD_REQUEST"):
        parse_track(bad)


async def test_the_client_sends_the_query_variables_and_key_and_fails_on_http_errors(
        monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[httpx.Request] = []
    status = {"code": 200}

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if status["code"] != 200:
            return httpx.Response(status["code"], json={"errors": []})
        return httpx.Response(200, json=answer(node("DELIVERED", 0), last=node("DELIVERED", 0)))

    real = httpx.AsyncClient

    def client(**kw: Any) -> httpx.AsyncClient:
        return real(transport=httpx.MockTransport(handle), **kw)

    monkeypatch.setattr(tracking.httpx, "AsyncClient", client)
    api = TrackerApi("http://tracker.test/graphql", "id", "secret")
    got = await api.track("kr.cjlogistics", "612345678901")
    assert got is not None and got.delivered is not None
    import json

    body = json.loads(seen[0].content)
    assert body["variables"] == {"carrierId": "kr.cjlogistics", "trackingNumber": "612345678901"}
    assert "track(carrierId: $carrierId, trackingNumber: $trackingNumber)" in body["query"]
    assert seen[0].headers["authorization"] == "TRACKQL-API-KEY id:secret"
    for code in (401, 429, 500):
        status["code"] = code
        with pytest.raises(TrackerUnavailable, match=str(code)):
            await api.track("kr.cjlogistics", "612345678901")
