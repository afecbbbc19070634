"""Bounded types for what clients send: every value fits the database and the date arithmetic.

Moments and days outside 2000..2099 are refused (422), so adding a day or a time zone can never
overflow (a moment without an offset is left so: each use says which zone it means).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator

FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)
INT64_MAX = 2**63 - 1  # MongoDB's largest integer


def moment(value: datetime) -> datetime:
    if not FIRST_DAY <= value.date() <= LAST_DAY:  # its own zone's day: converting may overflow
        raise ValueError(f"date out of range ({FIRST_DAY} to {LAST_DAY})")
    return value


def day(value: date) -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError(f"date out of range ({FIRST_DAY} to {LAST_DAY})")
    return value


Moment = Annotated[datetime, AfterValidator(moment)]
Day = Annotated[date, AfterValidator(day)]
