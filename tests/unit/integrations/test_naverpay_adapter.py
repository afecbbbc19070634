"""The Naver Pay adapter on its own: the signed secret, the mapping tables, and how the client
behaves when Naver answers 401 / 429 / 5xx (a mock transport plays Naver)."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from typing import Any

import bcrypt
import httpx
import pytest

from contracts.claims.v1 import ReasonCode
from contracts.orders.requests import CARRIERS
from contracts.orders.v1 import SectionStatus
from integrations import channel_sync, naverpay
from integrations.naverpay import NaverPayApi, PartnerUnavailable
from integrations.settings import IntegrationsSettings

SECRET = "$2a$10$abcdefghijklmnopqrstuu"
# productOrderStatus values of PARTNERS.md §1.6
PARTNER_STATUSES = ["PAYMENT_WAITING", "PAYED", "DELIVERING", "DELIVERED", "PURCHASE_DECIDED",
                    "EXCHANGED", "CANCELED", "RETURNED", "CANCELED_BY_NOPAYMENT"]


def test_the_secret_sign_is_bcrypt_of_id_and_timestamp_salted_with_the_secret() -> None:
    sign = naverpay.client_secret_sign("app1", SECRET, 1700000000000)
    hashed = base64.standard_b64decode(sign)
    assert hashed.startswith(SECRET[:29].encode())  # the salt is the secret
    assert bcrypt.hashpw(b"app1_1700000000000", SECRET.encode()) == hashed
    assert naverpay.client_secret_sign("app1", SECRET, 1700000000001) != sign


def test_every_partner_status_has_a_meaning_here() -> None:
    assert sorted(naverpay.STATUS) == sorted(PARTNER_STATUSES)
    assert naverpay.ours({"productOrderStatus": "PAYED"}) is SectionStatus.PREPARING
    assert naverpay.ours({"productOrderStatus": "DELIVERING"}) is SectionStatus.SHIPPING
    assert naverpay.ours({"productOrderStatus": "PURCHASE_DECIDED"}) is SectionStatus.CONFIRMED
    assert naverpay.ours({"productOrderStatus": "PAYMENT_WAITING"}) is None
    assert naverpay.ours({"productOrderStatus": "SOMETHING_NEW"}) is None


def test_every_carrier_of_ours_has_a_naver_delivery_company_code() -> None:
    assert set(naverpay.CARRIER_CODES) == set(CARRIERS)
    assert naverpay.CARRIER_CODES["CJ대한통운"] == "CJGLS"
    assert naverpay.CARRIER_CODES["롯데택배"] == "HYUNDAI"  # Naver's historic code


def test_times_are_written_as_naver_writes_them() -> None:
    at = datetime(2026, 12, 3, 6, 21, 44, 123456, tzinfo=UTC)
    assert naverpay.kst_text(at) == "2026-12-03T15:21:44.123+09:00"


class FakeNaver:
    """Answers from a script of (status, body, headers) per path; records what was asked."""

    def __init__(self, script: dict[str, list[tuple[int, dict[str, Any], dict[str, str]]]]):
        self.script = script
        self.calls: list[httpx.Request] = []
        self.tokens = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request)
        if request.url.path.endswith("/oauth2/token"):
            self.tokens += 1
            return httpx.Response(200, json={"access_token": f"t{self.tokens}",
                                             "expires_in": 10800, "token_type": "Bearer"})
        status, body, headers = self.script[request.url.path].pop(0)
        return httpx.Response(status, json=body, headers=headers)


def api(fake: FakeNaver, slept: list[float]) -> NaverPayApi:
    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    return NaverPayApi("http://naver.test/external", "app1", SECRET,
                       transport=httpx.MockTransport(fake), sleep=sleep)


QUERY = "/external/v1/pay-order/seller/product-orders/query"


async def test_an_expired_token_is_issued_again_once() -> None:
    fake = FakeNaver({QUERY: [(401, {"code": "GW.AUTHN"}, {}), (200, {"data": [{"x": 1}]}, {})]})
    client = api(fake, [])
    assert await client.details(["1"]) == [{"x": 1}]
    assert fake.tokens == 2
    assert [c.headers["authorization"] for c in fake.calls if c.url.path == QUERY] == [
        "Bearer t1", "Bearer t2"]
    form = dict(x.split("=", 1) for x in fake.calls[0].content.decode().split("&"))
    assert (form["grant_type"], form["type"], form["client_id"]) == (
        "client_credentials", "SELF", "app1")


async def test_rate_limited_calls_wait_for_the_bucket_and_go_on() -> None:
    limited = (429, {"code": "GW.RATE_LIMIT"}, {"GNCP-GW-RateLimit-Replenish-Rate": "4",
                                                "GNCP-GW-RateLimit-Remaining": "0"})
    fake = FakeNaver({QUERY: [limited, limited, (200, {"data": []}, {})]})
    slept: list[float] = []
    assert await api(fake, slept).details(["1"]) == []
    assert len(slept) == 2 and all(s >= 0.25 for s in slept)


async def test_a_failing_partner_is_tried_a_few_times_then_reported_unavailable() -> None:
    fake = FakeNaver({QUERY: [(500, {"code": "GW.INTERNAL_SERVER_ERROR"}, {})] * 10})
    slept: list[float] = []
    with pytest.raises(PartnerUnavailable) as refused:
        await api(fake, slept).details(["1"])
    assert refused.value.retryable and len(slept) == NaverPayApi.TRIES
    assert slept == sorted(slept)  # backing off


async def test_changes_follow_more_to_the_last_page() -> None:
    path = "/external/v1/pay-order/seller/product-orders/last-changed-statuses"
    rows = [{"productOrderId": str(n)} for n in range(5)]
    fake = FakeNaver({path: [
        (200, {"data": {"lastChangeStatuses": rows[:3], "count": 3,
                        "more": {"moreFrom": "2026-12-03T10:00:00.000+09:00",
                                 "moreSequence": "s3"}}}, {}),
        (200, {"data": {"lastChangeStatuses": rows[3:], "count": 2}}, {})]})
    since = datetime(2026, 12, 3, tzinfo=UTC)
    got = await api(fake, []).changes(since, since + timedelta(hours=1))
    assert got == rows
    second = [c for c in fake.calls if c.url.path == path][1]
    assert second.url.params["moreSequence"] == "s3"
    assert second.url.params["lastChangedFrom"] == "2026-12-03T10:00:00.000+09:00"


# ---- the poll's windows, claims mapping ----

CHANNEL = channel_sync.naverpay_channel(IntegrationsSettings())
NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


def test_a_poll_reads_from_its_cursor_minus_the_overlap_up_to_now() -> None:
    cursor = NOW - timedelta(seconds=10)
    [(since, until)] = channel_sync.windows(cursor, NOW, CHANNEL)
    assert since == cursor - timedelta(seconds=CHANNEL.overlap_seconds) and until == NOW


def test_the_first_poll_looks_back_its_first_window() -> None:
    [(since, _)] = channel_sync.windows(None, NOW, CHANNEL)
    assert NOW - since == timedelta(seconds=CHANNEL.first_window_seconds
                                    + CHANNEL.overlap_seconds)


def test_a_cursor_days_old_is_read_in_the_24_hours_the_feed_answers_per_call() -> None:
    got = channel_sync.windows(NOW - timedelta(days=2, hours=3), NOW, CHANNEL)
    assert len(got) == 3 and got[-1][1] == NOW
    assert all(b - a <= timedelta(hours=24) for a, b in got)
    assert all(got[n][1] == got[n + 1][0] for n in range(len(got) - 1))  # no gap, no overlap


def test_a_change_row_seen_again_in_the_overlap_is_the_same_row() -> None:
    row = {"productOrderId": "2026120312345678", "lastChangedDate": "2026-12-03T21:00:00.000+09:00",
           "lastChangedType": "PAYED", "orderId": "1"}
    assert channel_sync.row_key(row) == channel_sync.row_key(dict(row, orderId="1"))
    assert channel_sync.row_key(row) != channel_sync.row_key(dict(row, lastChangedType="DISPATCHED"))


def test_every_buyer_claim_reason_of_naver_means_one_of_ours() -> None:
    buyer_reasons = {"INTENT_CHANGED", "COLOR_AND_SIZE", "WRONG_ORDER", "PRODUCT_UNSATISFIED",
                     "DELAYED_DELIVERY", "SOLD_OUT", "DROPPED_DELIVERY", "NOT_YET_DELIVERY",
                     "BROKEN", "INCORRECT_INFO", "WRONG_DELIVERY", "WRONG_OPTION",
                     "SIMPLE_INTENT_CHANGED", "MISTAKE_ORDER"}
    mapped = {r: naverpay.REASONS.get(r, ReasonCode.OTHER) for r in buyer_reasons}
    assert mapped["BROKEN"] is ReasonCode.DEFECT and mapped["WRONG_OPTION"] is ReasonCode.WRONG_ITEM
    assert mapped["SOLD_OUT"] is ReasonCode.OTHER  # a reason the seller has to read
    # what the seller opens here reaches Naver with a reason Naver accepts from a seller
    seller_cancel = {"INTENT_CHANGED", "COLOR_AND_SIZE", "WRONG_ORDER", "PRODUCT_UNSATISFIED",
                     "DELAYED_DELIVERY", "SOLD_OUT", "INCORRECT_INFO"}
    assert set(naverpay.SELLER_REASONS) == set(ReasonCode)
    assert set(naverpay.SELLER_REASONS.values()) <= seller_cancel


def test_claim_statuses_open_close_or_wait() -> None:
    assert {k: v.value for k, v in naverpay.REQUESTS.items()} == {
        "CANCEL_REQUEST": "CANCEL", "RETURN_REQUEST": "RETURN", "EXCHANGE_REQUEST": "EXCHANGE"}
    assert not naverpay.CLAIM_DONE & naverpay.CLAIM_REJECTED
    assert not (naverpay.CLAIM_DONE | naverpay.CLAIM_REJECTED) & set(naverpay.REQUESTS)


async def test_a_retry_after_is_waited_and_carried_to_the_task_when_the_tries_run_out() -> None:
    busy = (503, {"code": "GW.INTERNAL_SERVER_ERROR"}, {"Retry-After": "3"})
    fake = FakeNaver({QUERY: [busy, (200, {"data": []}, {})]})
    slept: list[float] = []
    assert await api(fake, slept).details(["1"]) == []
    assert slept == [3.0]
    fake = FakeNaver({QUERY: [(503, {"code": "GW.INTERNAL_SERVER_ERROR"},
                               {"Retry-After": "40"})] * NaverPayApi.TRIES})
    with pytest.raises(PartnerUnavailable) as refused:
        await api(fake, []).details(["1"])
    assert refused.value.retry_after == 40.0  # the task worker waits that long, not 5 s
