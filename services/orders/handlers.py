"""What the orders service does when other services speak: thin subscribers -> use-cases."""

from __future__ import annotations

import logging
from typing import Any

from faststream.kafka import KafkaBroker
from faststream.middlewares import AckPolicy

from contracts import topics
from contracts.claims.v1 import ClaimOpened, ClaimStateChanged
from contracts.coupons.v1 import PointsEarned
from contracts.envelope import Actor
from contracts.integrations.v1 import (
    ChannelOrderReceived,
    ParcelDelivered,
    PartnerStatusReported,
    PaymentConfirmed,
)
from contracts.inventory.v1 import StockReservationRejected, StockReserved
from contracts.orders.v1 import PaymentMethod
from kit.errors import DomainError
from kit.inbox import by_type, handle_once, wanted_event
from kit.store import Tx
from orders import claims, listing, refused_payments
from orders.list_barrier import LIST_GROUP
from orders.service import OrderService

log = logging.getLogger("orders.handlers")
GROUP = "orders"
# Each consumer parses only the types it handles; every other type on its topic (refund results
# on integrations' topic, stock sold on inventory's, ...) is skipped by its `type` field.
INVENTORY_TYPES: dict[str, type[StockReserved | StockReservationRejected]] = by_type(
    StockReserved, StockReservationRejected)
INTEGRATIONS_TYPES: dict[str, type[PaymentConfirmed | ChannelOrderReceived
                                   | PartnerStatusReported | ParcelDelivered]] = by_type(
    PaymentConfirmed, ChannelOrderReceived, PartnerStatusReported, ParcelDelivered)
CARRIER_ACTOR = Actor(kind="system", id="carrier-tracking", name="택배사 배송조회")
PARTNER_NAMES = {"NAVERPAY": "네이버페이", "TALKCHECKOUT": "톡체크아웃"}
CLAIMS_TYPES: dict[str, type[ClaimOpened | ClaimStateChanged]] = by_type(
    ClaimOpened, ClaimStateChanged)
COUPONS_TYPES = by_type(PointsEarned)


def register(broker: KafkaBroker, service: OrderService) -> None:
    store = service.store

    @broker.subscriber(topics.INVENTORY_EVENTS, group_id=GROUP, auto_offset_reset="earliest",
                       ack_policy=AckPolicy.NACK_ON_ERROR,
                       description="Stock reserved or refused for an order")
    async def on_inventory(body: dict[str, Any]) -> None:
        # Releases, sales and restocks are informational for the order: inventory's ledger
        # has the detail.
        event = await wanted_event(broker, "orders.inventory", store.producer, body,
                                   INVENTORY_TYPES)
        if event is not None:
            await handle_once(store, broker, "orders.inventory", event, apply_inventory)

    async def apply_inventory(tx: Tx, event: StockReserved | StockReservationRejected) -> None:
        if isinstance(event, StockReserved):
            await service.mutate(tx, event.order_id, lambda o, now: o.stock_reserved(now))
        else:
            await service.mutate(tx, event.order_id,
                                 lambda o, now: o.stock_rejected(event.reason, now, event.code))

    @broker.subscriber(topics.INTEGRATIONS_EVENTS, group_id=GROUP, auto_offset_reset="earliest",
                       ack_policy=AckPolicy.NACK_ON_ERROR,
                       description="Payments confirmed by the PG (card, deposit); simple-pay "
                                   "orders and their partner's reports; parcels delivered")
    async def on_integrations(body: dict[str, Any]) -> None:
        # Refund results belong to the claims service.
        event = await wanted_event(broker, "orders.integrations", store.producer, body,
                                   INTEGRATIONS_TYPES)
        if event is not None:
            await handle_once(store, broker, "orders.integrations", event, apply_partner)

    async def apply_partner(tx: Tx, event: PaymentConfirmed | ChannelOrderReceived
                            | PartnerStatusReported | ParcelDelivered) -> None:
        if isinstance(event, ParcelDelivered):
            days = (await service.shop_settings()).auto_confirm_days
            await service.mutate(tx, event.order_id, lambda o, now: o.carrier_delivered(
                event.section_id, event.invoice_no, CARRIER_ACTOR, now, days))
        elif isinstance(event, ChannelOrderReceived):
            actor = Actor(kind="partner", id=event.partner.lower(),
                          name=PARTNER_NAMES[event.partner])
            await service.place_paid_by_partner(tx, event.order, event.paid_amount, actor)
        elif isinstance(event, PartnerStatusReported):
            actor = Actor(kind="partner", id=event.partner.lower(),
                          name=PARTNER_NAMES[event.partner])
            days = (await service.shop_settings()).auto_confirm_days
            await service.mutate(tx, event.order_id, lambda o, now: o.partner_moved(
                event.line_ids, event.to_status, actor, now, days, event.shipped_outside))
        else:
            await apply_payment(tx, event)

    async def apply_payment(tx: Tx, event: PaymentConfirmed) -> None:
        partner = Actor(kind="partner", id=event.partner,
                        name="PayPal" if event.method == "PAYPAL" else "PG")

        def change(o, now):  # type: ignore[no-untyped-def]
            try:
                return o.confirm_payment(event.amount, partner, now, PaymentMethod(event.method))
            except DomainError as refused:
                # Money came that the order cannot take (e.g. a deposit after the deadline):
                # it is kept as a payment to refund, which the seller sees and gives back.
                log.warning("payment for %s refused: %s", o.order_no, refused.message)
                return refused_payments.refuse(o, partner, event.partner_tx_id, event.method,
                                               event.amount, refused.message, now,
                                               why=refused.why())

        await service.mutate(tx, event.order_id, change)

    @broker.subscriber(topics.ORDERS_EVENTS, group_id=LIST_GROUP, batch=True, max_records=500,
                       auto_offset_reset="earliest", ack_policy=AckPolicy.NACK_ON_ERROR,
                       description="Keep the order list (read model) up to date")
    async def on_own_events(bodies: list[dict[str, Any]]) -> None:
        # Rows are rebuilt from the aggregate: the events only say which orders changed, so
        # they are not parsed (a bulk job sends hundreds of thousands).
        await listing.refresh(store, [b["order_id"] for b in bodies
                                      if isinstance(b, dict) and isinstance(b.get("order_id"), str)])

    @broker.subscriber(topics.CLAIMS_EVENTS, group_id=GROUP, auto_offset_reset="earliest",
                       ack_policy=AckPolicy.NACK_ON_ERROR,
                       description="Move claimed units into claim sections and follow the claim")
    async def on_claims(body: dict[str, Any]) -> None:
        event = await wanted_event(broker, "orders.claims", store.producer, body, CLAIMS_TYPES)
        if event is not None:
            await handle_once(store, broker, "orders.claims", event, apply_claim)

    async def apply_claim(tx: Tx, event: ClaimOpened | ClaimStateChanged) -> None:
        if isinstance(event, ClaimOpened):
            await service.mutate(tx, event.order_id, lambda o, now: claims.open_claim(
                o, event.claim_id, event.kind, event.claim_section_id, event.items, event.actor,
                now))
        else:
            await service.mutate(tx, event.order_id,
                                 lambda o, now: claims.claim_state(o, event, now))

    @broker.subscriber(topics.COUPONS_EVENTS, group_id=GROUP, auto_offset_reset="earliest",
                       ack_policy=AckPolicy.NACK_ON_ERROR,
                       description="Points granted at purchase confirmation")
    async def on_coupons(body: dict[str, Any]) -> None:
        event = await wanted_event(broker, "orders.coupons", store.producer, body, COUPONS_TYPES)
        if event is not None:
            await handle_once(store, broker, "orders.coupons", event, apply_points)

    async def apply_points(tx: Tx, event: PointsEarned) -> None:
        actor = Actor(kind="system", id="coupons", name="적립금")
        await service.mutate(
            tx, event.order_id,
            lambda o, now: o.record(actor, "points_earned", f"{event.section_id}: {event.points}", now),
        )
