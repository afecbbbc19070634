"""What every outbound partner call shares: the "try later" error, backoff with jitter, and the
partner's own `Retry-After` (SPEC §10).

Backoff is exponential with "equal jitter": half the step is fixed, half random, so replicas
that failed together do not come back together. A partner that says when to come back
(`Retry-After` on 429 or 503, in seconds or as an HTTP date) is believed, within a cap.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

from kit.errors import DomainError

MAX_RETRY_AFTER = 600.0  # a partner asking for more than 10 min is asked again after 10 min


class PartnerUnavailable(DomainError):
    """The partner did not answer usefully after the retries; the caller tries again later,
    not before `retry_after` seconds when the partner said so."""

    status_code = 503

    def __init__(self, partner: str, why: str, retry_after: float | None = None) -> None:
        super().__init__("partner_unavailable", "{partner} cannot be reached: {why}",
                         retryable=True, partner=partner, why=why)
        self.retry_after = retry_after


def backoff(attempt: int, base: float, cap: float, rand: random.Random | None = None) -> float:
    """Seconds to wait after failed attempt `attempt` (1, 2, ...): base·2^(attempt-1), capped,
    of which a random half."""
    step = min(cap, base * 2.0 ** max(0, attempt - 1))
    return step / 2 + (rand or random).uniform(0, step / 2)


def retry_after(resp: httpx.Response, now: datetime | None = None) -> float | None:
    """The partner's `Retry-After` in seconds (delta-seconds or an HTTP date), None if absent
    or unreadable."""
    raw = resp.headers.get("retry-after", "").strip()
    if not raw:
        return None
    try:
        seconds = float(raw)
    except ValueError:
        try:
            when = parsedate_to_datetime(raw)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return min(MAX_RETRY_AFTER, max(0.0, seconds))
