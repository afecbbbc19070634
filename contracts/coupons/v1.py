"""Coupons and points: events, schema version 1. Key = order id."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field

from contracts import topics
from contracts.envelope import Event


class _CouponsEvent(Event):
    TOPIC: ClassVar[str] = topics.COUPONS_EVENTS
    order_id: str


class PointsEarned(_CouponsEvent):
    """Purchase points were granted for a confirmed section (never earlier)."""

    type: Literal["PointsEarned"] = "PointsEarned"
    member_id: str
    section_id: str
    points: int = Field(ge=0, description="KRW of store credit")
    balance: int = Field(description="Member's balance after the grant")


CouponsEvent = Annotated[PointsEarned, Field(discriminator="type")]
