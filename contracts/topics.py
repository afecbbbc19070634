"""Every Kafka topic name, in one place. The Kafka key of every message is the order id."""

ORDERS_EVENTS = "orders.events.v1"
INVENTORY_EVENTS = "inventory.events.v1"
INTEGRATIONS_EVENTS = "integrations.events.v1"
CLAIMS_EVENTS = "claims.events.v1"
COUPONS_EVENTS = "coupons.events.v1"
DEAD_LETTER = "oms.deadletter.v1"

ALL = (
    ORDERS_EVENTS,
    INVENTORY_EVENTS,
    INTEGRATIONS_EVENTS,
    CLAIMS_EVENTS,
    COUPONS_EVENTS,
    DEAD_LETTER,
)
