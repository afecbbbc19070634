"""Backoff with jitter and the partner's Retry-After, shared by every outbound partner call."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import httpx

from integrations.outbound import MAX_RETRY_AFTER, backoff, retry_after


def test_backoff_doubles_keeps_half_and_randomises_half() -> None:
    rand = random.Random(7)
    for attempt in range(1, 12):
        step = min(300.0, 2.0 ** (attempt - 1))
        waits = [backoff(attempt, 1.0, 300.0, rand) for _ in range(200)]
        assert all(step / 2 <= w <= step for w in waits)
        assert max(waits) - min(waits) > step / 4  # spread, not in step


def test_retry_after_in_seconds_or_as_an_http_date() -> None:
    now = datetime(2026, 12, 3, 5, 0, 0, tzinfo=UTC)
    assert retry_after(httpx.Response(429, headers={"Retry-After": "7"})) == 7.0
    dated = httpx.Response(503, headers={"Retry-After": "Thu, 03 Dec 2026 05:01:30 GMT"})
    assert retry_after(dated, now) == 90.0
    past = httpx.Response(503, headers={"Retry-After": "Thu, 03 Dec 2026 04:00:00 GMT"})
    assert retry_after(past, now) == 0.0
    assert retry_after(httpx.Response(429, headers={"Retry-After": "86400"})) == MAX_RETRY_AFTER
    assert retry_after(httpx.Response(429)) is None
    assert retry_after(httpx.Response(429, headers={"Retry-After": "soon"})) is None
