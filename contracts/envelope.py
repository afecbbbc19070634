"""The envelope every event carries, whatever its topic."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field


def new_id() -> str:
    return uuid.uuid4().hex


def utcnow() -> datetime:
    return datetime.now(UTC)


class Event(BaseModel):
    """Base of every event: envelope fields first, payload fields in subclasses.

    Within one schema version only additive, optional fields may be added;
    a breaking change is a new version (a new module and topic).
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    TOPIC: ClassVar[str]

    event_id: str = Field(default_factory=new_id, description="Unique id; consumers dedupe on it")
    type: str = Field(description="Event type name, e.g. OrderPlaced")
    schema_version: int = Field(default=1, description="Version of this event's schema")
    occurred_at: datetime = Field(default_factory=utcnow, description="UTC time of the change")
    correlation_id: str = Field(default="", description="Id of the request that started it all")
    causation_id: str = Field(default="", description="Event id (or request id) that caused this")
    producer: str = Field(default="", description="Service that produced the event")
    key: str = Field(description="Kafka key: the order id")


class Actor(BaseModel):
    """Who did something: a buyer, a seller user, the system or a partner."""

    model_config = ConfigDict(frozen=True)

    kind: str = Field(description="buyer | seller | system | partner", examples=["seller"])
    id: str = Field(default="", description="User id, partner name or job name")
    name: str = Field(default="", description="Display name")


SYSTEM = Actor(kind="system", id="orders", name="시스템")
