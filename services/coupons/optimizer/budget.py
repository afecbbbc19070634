"""The time budget of one search: inner loops call `check()`, which raises OutOfTime past the
deadline (checked on every 256th call, so the clock costs nothing in hot loops)."""

from __future__ import annotations

import math
import time


class OutOfTime(Exception):
    pass


_deadline = math.inf
_calls = 0


def start(seconds: float | None) -> None:
    """Give the search of this process `seconds` from now (None: no limit)."""
    global _deadline
    _deadline = math.inf if seconds is None else time.monotonic() + seconds


def check() -> None:
    global _calls
    _calls += 1
    if _calls & 255 == 0 and time.monotonic() > _deadline:
        raise OutOfTime


def over() -> bool:
    return time.monotonic() > _deadline
