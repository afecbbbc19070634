"""Claims keeps its own view of order sections (fed by order events) to decide what is claimable."""

from __future__ import annotations

from typing import Any

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
from kit.store import Store, Tx


class ClaimsService:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def apply(self, tx: Tx, event: OrdersEvent) -> None:
        sections = tx.db.sections
        match event:
            case OrderPlaced():
                await sections.update_one(
                    {"_id": f"{event.order_no}-1"},
                    {"$setOnInsert": {"order_id": event.order_id,
                                      "status": SectionStatus.PAYMENT_PENDING.value,
                                      "items": [{"line_id": x.line_id, "quantity": x.quantity}
                                                for x in event.lines]}},
                    upsert=True, session=tx.session)
            case SectionStatusChanged():
                await sections.update_one(
                    {"_id": event.section_id},
                    {"$set": {"order_id": event.order_id, "status": event.to_status.value,
                              "items": [i.model_dump() for i in event.items]}},
                    upsert=True, session=tx.session)
            case SectionSplit():
                for sid, items in ((event.section_id, event.items),
                                   (event.new_section_id, event.new_items)):
                    await sections.update_one(
                        {"_id": sid},
                        {"$set": {"order_id": event.order_id, "status": event.status.value,
                                  "items": [i.model_dump() for i in items]}},
                        upsert=True, session=tx.session)
            case SectionsMerged():
                await sections.delete_many({"_id": {"$in": event.merged_section_ids}},
                                           session=tx.session)
                await sections.update_one(
                    {"_id": event.section_id},
                    {"$set": {"order_id": event.order_id, "status": event.status.value,
                              "items": [i.model_dump() for i in event.items]}},
                    upsert=True, session=tx.session)
            case OrderCancelled():
                await sections.update_many(
                    {"order_id": event.order_id},
                    {"$set": {"status": SectionStatus.CANCELLED.value}}, session=tx.session)
            case _:
                pass

    async def claimability(self, order_id: str) -> dict[str, Any]:
        rows = await self.store.db.sections.find({"order_id": order_id}).sort("_id").to_list()
        out = []
        for row in rows:
            status = SectionStatus(row["status"])
            out.append({"section_id": row["_id"], "status": status.value,
                        "allowed": list(allowed_claims(status)),
                        "refusal": REFUSAL.get(status, "")})
        return {"order_id": order_id, "sections": out}
