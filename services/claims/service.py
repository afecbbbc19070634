"""Claims keeps its own view of order sections (fed by order events) to decide what is claimable."""

from __future__ import annotations

from typing import Any

from pymongo import DeleteMany, UpdateMany, UpdateOne

from claims.domain import REFUSAL, allowed_claims
from contracts.orders.v1 import (
    OrderCancelled,
    OrderPlaced,
    OrdersEvent,
    SectionsMerged,
    SectionSplit,
    SectionStatus,
    SectionStatusChanged,
)
from kit.store import Store


class ClaimsService:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def project(self, events: list[OrdersEvent]) -> None:
        """Apply a batch of order events to the section view, in partition order.

        Each write sets the state an event describes, so a redelivered batch (Kafka replays
        from the last committed offset, in order) converges to the same view: no dedupe needed.
        """
        ops: list[Any] = []
        for event in events:
            ops += _ops(event)
        if ops:
            await self.store.db.sections.bulk_write(ops, ordered=True)

    async def claimability(self, order_id: str) -> dict[str, Any]:
        rows = await self.store.db.sections.find({"order_id": order_id}).sort("_id").to_list()
        out = []
        for row in rows:
            status = SectionStatus(row["status"])
            out.append({"section_id": row["_id"], "status": status.value,
                        "allowed": list(allowed_claims(status)),
                        "refusal": REFUSAL.get(status, "")})
        return {"order_id": order_id, "sections": out}


def _set(section_id: str, order_id: str, status: SectionStatus, items: list[Any]) -> UpdateOne:
    return UpdateOne({"_id": section_id},
                     {"$set": {"order_id": order_id, "status": status.value,
                               "items": [i.model_dump() for i in items]}}, upsert=True)


def _ops(event: OrdersEvent) -> list[Any]:
    match event:
        case OrderPlaced():
            return [UpdateOne(
                {"_id": f"{event.order_no}-1"},
                {"$setOnInsert": {"order_id": event.order_id,
                                  "status": SectionStatus.PAYMENT_PENDING.value,
                                  "items": [{"line_id": x.line_id, "quantity": x.quantity}
                                            for x in event.lines]}}, upsert=True)]
        case SectionStatusChanged():
            return [_set(event.section_id, event.order_id, event.to_status, event.items)]
        case SectionSplit():
            return [_set(event.section_id, event.order_id, event.status, event.items),
                    _set(event.new_section_id, event.order_id, event.status, event.new_items)]
        case SectionsMerged():
            return [DeleteMany({"_id": {"$in": event.merged_section_ids}}),
                    _set(event.section_id, event.order_id, event.status, event.items)]
        case OrderCancelled():
            return [UpdateMany({"order_id": event.order_id},
                               {"$set": {"status": SectionStatus.CANCELLED.value}})]
    return []
