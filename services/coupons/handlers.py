from faststream.kafka import KafkaBroker
from faststream.middlewares import AckPolicy

from contracts import topics
from contracts.orders.v1 import OrdersEvent, PurchaseConfirmed
from coupons.points import PointsService
from kit.inbox import handle_once
from kit.store import Tx


def register(broker: KafkaBroker, points: PointsService) -> None:
    @broker.subscriber(topics.ORDERS_EVENTS, group_id="coupons", auto_offset_reset="earliest",
                       ack_policy=AckPolicy.NACK_ON_ERROR,
                       description="Grant points when a purchase is confirmed")
    async def on_order_event(event: OrdersEvent) -> None:
        if isinstance(event, PurchaseConfirmed):  # the only order event that moves points
            await handle_once(points.store, broker, "coupons.orders", event, apply)

    async def apply(tx: Tx, event: OrdersEvent) -> None:
        if isinstance(event, PurchaseConfirmed):
            await points.on_confirmed(tx, event)
