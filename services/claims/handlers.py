from faststream.kafka import KafkaBroker
from faststream.middlewares import AckPolicy

from claims.service import ClaimsService
from contracts import topics
from contracts.orders.v1 import OrdersEvent
from kit.inbox import handle_once


def register(broker: KafkaBroker, service: ClaimsService) -> None:
    @broker.subscriber(topics.ORDERS_EVENTS, group_id="claims", auto_offset_reset="earliest",
                       ack_policy=AckPolicy.NACK_ON_ERROR,
                       description="Track section statuses to decide what may be claimed")
    async def on_order_event(event: OrdersEvent) -> None:
        await handle_once(service.store, broker, "claims.orders", event, service.apply)
