"""Refunds through the payment partner: RefundRequested (claims) → the PG's refund API →
RefundSucceeded or RefundFailed.

The PG call is idempotent (`refund_id` = claim id + attempt), so a redelivered request asks the
PG again and gets the same answer; the answer's event commits once, with the inbox row. A refund
of 0 KRW (points only) needs no PG call. A PG that cannot be reached after a few tries is a
failure the seller sees (REFUND_FAILED: retry, or refund by hand).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import Any, TypedDict

import httpx
from faststream.kafka import KafkaBroker
from faststream.middlewares import AckPolicy

from contracts import topics
from contracts.claims.v1 import RefundRequested
from contracts.integrations.v1 import RefundFailed, RefundSucceeded
from integrations.pg import pg_client
from integrations.settings import IntegrationsSettings
from kit.inbox import by_type, handle_once, wanted_event
from kit.store import Store, Tx

log = logging.getLogger("integrations.refunds")
CONSUMER = "integrations.refunds"
TRIES = 4
# Our ids of simple-pay orders (channel_sync.order_id_of): never refunded through our PG.
SIMPLE_PAY_PREFIXES = ("np-", "tc-")


class _RefundBase(TypedDict):
    """The fields the refund's answer copies from the request."""

    key: str
    order_id: str
    claim_id: str
    attempt: int


async def call_pg(settings: IntegrationsSettings, event: RefundRequested) -> dict[str, Any]:
    """The PG's answer: {"status": "SUCCEEDED" | "FAILED", "partner_tx_id", "reason"}."""
    if event.amount == 0:
        return {"status": "SUCCEEDED", "partner_tx_id": "points-only", "reason": ""}
    body = {"refund_id": f"{event.claim_id}:{event.attempt}", "order_id": event.order_id,
            "claim_id": event.claim_id, "amount": event.amount}
    async with pg_client(settings) as client:
        for attempt in range(1, TRIES + 1):
            try:
                resp = await client.post("/pg/refunds", json=body)
            except httpx.TransportError as exc:
                log.warning("PG unreachable for refund %s (try %d): %s", body["refund_id"],
                            attempt, exc)
            else:
                if resp.status_code < 500:
                    answer = resp.json()
                    if resp.status_code >= 400:
                        return {"status": "FAILED", "partner_tx_id": "",
                                "reason": str(answer.get("message") or answer)}
                    return dict(answer)
            await asyncio.sleep(0.2 * 2**attempt)
    return {"status": "FAILED", "partner_tx_id": "", "reason": "PG에 연결할 수 없습니다"}


def register(broker: KafkaBroker, store: Store, settings: IntegrationsSettings) -> None:

    @broker.subscriber(topics.CLAIMS_EVENTS, group_id="integrations", auto_offset_reset="earliest",
                       ack_policy=AckPolicy.NACK_ON_ERROR,
                       description="Refund claims through the payment partner")
    async def on_claims(body: dict[str, Any]) -> None:
        # Only refund requests: the claims topic's other types are skipped unparsed.
        event = await wanted_event(broker, CONSUMER, store.producer, body,
                                   by_type(RefundRequested))
        if event is None or event.order_id.startswith(SIMPLE_PAY_PREFIXES):
            return  # a simple-pay order is refunded by its partner (channel_claims.py)
        if await store.db.paypal_orders.find_one({"order_id": event.order_id, "confirmed": True},
                                                 {"_id": 1}):
            return  # paid with PayPal: refunded on its capture (paypal.py)
        if await store.db.processed_events.find_one({"_id": f"{CONSUMER}:{event.event_id}"}):
            return
        answer = await call_pg(settings, event)

        async def record(tx: Tx, e: RefundRequested) -> None:
            ok = answer.get("status") == "SUCCEEDED"
            await tx.db.refunds.replace_one(
                {"_id": f"{e.claim_id}:{e.attempt}"},
                {"order_id": e.order_id, "claim_id": e.claim_id, "attempt": e.attempt,
                 "amount": e.amount, "points": e.points, "ok": ok,
                 "partner_tx_id": answer.get("partner_tx_id", ""),
                 "reason": answer.get("reason", ""), "at": datetime.now(UTC)},
                upsert=True, session=tx.session)
            base = _RefundBase(key=e.order_id, order_id=e.order_id, claim_id=e.claim_id,
                               attempt=e.attempt)
            tx.emit(RefundSucceeded(**base, amount=e.amount,
                                    partner_tx_id=str(answer.get("partner_tx_id", "")))
                    if ok else RefundFailed(**base, reason=str(answer.get("reason") or "declined")))

        await handle_once(store, broker, CONSUMER, event, record)
