"""Order events → the claims service's view (sections and order money).

Each write sets the state an event describes, so a redelivered batch (Kafka replays from the last
committed offset, in order) converges to the same view: no dedupe needed here. Reactions that
change claims (units moved or refused) go through the inbox in service.py instead.
"""

from __future__ import annotations

from typing import Any

from pymongo import DeleteOne, UpdateMany, UpdateOne

from contracts.orders.v1 import (
    ClaimSectionOpened,
    ClaimUnitsRefused,
    OrderCancelled,
    OrderPaid,
    OrderPlaced,
    OrdersEvent,
    ReplacementShipped,
    SectionsMerged,
    SectionSplit,
    SectionStatus,
    SectionStatusChanged,
)


def reacts(event: OrdersEvent) -> bool:
    """Orders took a claim's units (or could not): the claim goes on (or is rejected)."""
    return isinstance(event, ClaimSectionOpened | ClaimUnitsRefused)


def _set(section_id: str, order_id: str, status: SectionStatus, items: list[Any]) -> UpdateOne:
    return UpdateOne({"_id": section_id},
                     {"$set": {"order_id": order_id, "status": status.value,
                               "items": [{"line_id": i.line_id, "quantity": i.quantity}
                                         for i in items]}}, upsert=True)


def _placed(event: OrderPlaced) -> UpdateOne:
    return UpdateOne({"_id": event.order_id}, {"$setOnInsert": {
        "order_no": event.order_no, "member_id": event.buyer.member_id,
        "channel": event.channel.value, "payment_method": event.payment_method.value,
        "payment_status": "PENDING",
        "lines": [{"line_id": x.line_id, "product_id": x.product_id, "sku_id": x.sku_id,
                   "name": x.name, "option_label": x.option_label, "unit_price": x.unit_price,
                   "quantity": x.quantity} for x in event.lines],
        "shipping_fee": event.shipping_fee, "paid_amount": event.paid_amount,
        "points_used": event.points_used, "discount": event.discount,
        "allocations": event.allocations, "claims_opened": 0, "version": 0,
    }}, upsert=True)


def ops(event: OrdersEvent) -> list[tuple[str, Any]]:
    """(collection, write) pairs: `orders` holds the order view, `sections` the sections."""
    match event:
        case OrderPlaced():
            return [("orders", _placed(event)), ("sections", UpdateOne(
                {"_id": f"{event.order_no}-1"},
                {"$setOnInsert": {"order_id": event.order_id,
                                  "status": SectionStatus.PAYMENT_PENDING.value,
                                  "items": [{"line_id": x.line_id, "quantity": x.quantity}
                                            for x in event.lines]}}, upsert=True))]
        case OrderPaid():
            return [("orders", UpdateOne({"_id": event.order_id, "payment_status": "PENDING"},
                                         {"$set": {"payment_status": "PAID",
                                                   "payment_method": event.payment_method.value}}))]
        case SectionStatusChanged():
            return [("sections", _set(event.section_id, event.order_id, event.to_status,
                                      event.items))]
        case SectionSplit():
            return [("sections", _set(event.section_id, event.order_id, event.status, event.items)),
                    ("sections", _set(event.new_section_id, event.order_id, event.status,
                                      event.new_items))]
        case SectionsMerged():
            return [*(("sections", DeleteOne({"_id": x})) for x in event.merged_section_ids),
                    ("sections", _set(event.section_id, event.order_id, event.status, event.items))]
        case ClaimSectionOpened():
            # The claim section takes the units; each source keeps what is left (or is gone).
            return [("sections", _set(event.section_id, event.order_id, event.status, event.items)),
                    *(("sections", UpdateOne({"_id": x.section_id}, {"$set": {"items": [
                        {"line_id": i.line_id, "quantity": i.quantity} for i in x.items]}}))
                      if x.items else ("sections", DeleteOne({"_id": x.section_id}))
                      for x in event.sources)]
        case ReplacementShipped():
            # The replacement is a section like any other (returnable, exchangeable) on new
            # lines; each line is added once, whatever is redelivered.
            return [("sections", _set(event.section_id, event.order_id, event.status, event.items)),
                    *(("orders", UpdateOne(
                        {"_id": event.order_id, "lines.line_id": {"$ne": x.line_id}},
                        {"$push": {"lines": {
                            "line_id": x.line_id, "product_id": x.product_id,
                            "sku_id": x.sku_id, "name": x.name, "option_label": x.option_label,
                            "unit_price": x.unit_price, "quantity": x.quantity}},
                         "$set": {f"allocations.{x.line_id}": event.allocations.get(x.line_id, 0)}}))
                      for x in event.lines)]
        case OrderCancelled():
            return [("sections", UpdateMany({"order_id": event.order_id},
                                            {"$set": {"status": SectionStatus.CANCELLED.value}})),
                    ("orders", UpdateOne({"_id": event.order_id, "payment_status": "PENDING"},
                                         {"$set": {"payment_status": "CANCELLED"}}))]
    return []
