from faststream.kafka import KafkaBroker
from faststream.middlewares import AckPolicy

from claims.service import ClaimsService
from contracts import topics
from contracts.orders.v1 import OrdersEvent


def register(broker: KafkaBroker, service: ClaimsService) -> None:
    @broker.subscriber(topics.ORDERS_EVENTS, group_id="claims", auto_offset_reset="earliest",
                       batch=True, max_records=500, ack_policy=AckPolicy.NACK_ON_ERROR,
                       description="Track section statuses to decide what may be claimed")
    async def on_order_events(events: list[OrdersEvent]) -> None:
        await service.project(events)
