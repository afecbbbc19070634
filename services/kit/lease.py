"""A lease in MongoDB: among the replicas of a service, one at a time does a job (a poller)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo.errors import DuplicateKeyError


class Lease:
    """`await lease.hold()` is True while this replica holds lease `name` in `collection`; the
    holder renews it at half-time, and another replica takes it over once it ran out."""

    def __init__(self, collection: Any, name: str, seconds: float = 10.0) -> None:
        self.collection = collection
        self.name = name
        self.seconds = seconds
        self.owner = uuid.uuid4().hex
        self._until = datetime.min.replace(tzinfo=UTC)

    async def hold(self) -> bool:
        now = datetime.now(UTC)
        if self._until - now > timedelta(seconds=self.seconds / 2):
            return True
        until = now + timedelta(seconds=self.seconds)
        try:
            await self.collection.find_one_and_update(
                {"_id": self.name, "$or": [{"owner": self.owner}, {"until": {"$lt": now}}]},
                {"$set": {"owner": self.owner, "until": until}}, upsert=True)
        except DuplicateKeyError:  # another replica holds it
            return False
        self._until = until
        return True
