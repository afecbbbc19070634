"""Bounded types for what clients send: every value fits the database and the date arithmetic.

A moment without an offset is taken as UTC (everything is stored in UTC); moments and days
outside 2000..2099 are refused (422), so adding a day or a time zone can never overflow.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from pydantic import AfterValidator

FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)


def moment(value: datetime) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    if not FIRST_DAY <= value.astimezone(UTC).date() <= LAST_DAY:
        raise ValueError(f"date out of range ({FIRST_DAY} to {LAST_DAY})")
    return value


def day(value: date) -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError(f"date out of range ({FIRST_DAY} to {LAST_DAY})")
    return value


Moment = Annotated[datetime, AfterValidator(moment)]
Day = Annotated[date, AfterValidator(day)]
