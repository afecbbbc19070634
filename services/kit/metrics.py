"""Prometheus metrics every service exports on GET /metrics."""

from prometheus_client import Counter, Gauge

EVENTS_HANDLED = Counter(
    "oms_events_handled_total", "Events handled by consumers", ["service", "topic", "type"]
)
EVENTS_DUPLICATE = Counter(
    "oms_events_duplicate_total", "Redelivered events skipped by dedupe", ["service", "topic"]
)
EVENTS_FAILED = Counter(
    "oms_events_failed_total", "Event handling attempts that raised", ["service", "topic"]
)
EVENTS_DEAD_LETTERED = Counter(
    "oms_events_dead_lettered_total", "Events parked in the dead-letter topic", ["service", "topic"]
)
OUTBOX_BACKLOG = Gauge(
    "oms_outbox_backlog", "Outbox events not yet relayed to Kafka (at most one relay batch)",
    ["service"]
)
OUTBOX_RELAYED = Counter("oms_outbox_relayed_total", "Outbox events relayed to Kafka", ["service"])
