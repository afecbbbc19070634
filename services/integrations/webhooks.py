"""Inbound partner webhooks: verified, idempotent (a replay changes nothing), answered fast."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from fastapi import APIRouter, Header, Request
from pydantic import BaseModel, Field, StrictInt, ValidationError
from pymongo.errors import DuplicateKeyError

from contracts.integrations.v1 import PaymentConfirmed
from integrations.signing import verify
from kit.errors import DomainError, InvalidInput
from kit.store import Store, Tx


class PgWebhook(BaseModel):
    """What the PG posts when a card payment is approved or a deposit arrives."""

    event: Literal["payment.approved", "deposit.received"]
    tx_id: str = Field(min_length=1, max_length=100)
    order_id: str = Field(min_length=1, max_length=100)
    amount: StrictInt = Field(ge=0, le=1_000_000_000)
    method: Literal["CARD", "BANK_TRANSFER"]


class BadSignature(DomainError):
    status_code = 401

    def __init__(self) -> None:
        super().__init__("bad_signature", "webhook signature is missing or invalid")


def router(store: Store, secret: str) -> APIRouter:
    r = APIRouter()

    @r.post("/webhooks/pg")
    async def pg_webhook(request: Request,
                         x_pg_signature: str = Header(default="")) -> dict[str, object]:
        body = await request.body()
        if not verify(secret, body, x_pg_signature):
            raise BadSignature()
        try:
            hook = PgWebhook.model_validate_json(body)
        except ValidationError as exc:
            raise InvalidInput("bad_payload", "webhook payload invalid: {problem}",
                               key="webhook_bad_payload", problem=exc.errors()[0]["msg"]) from exc

        async def work(tx: Tx) -> None:
            await tx.db.inbound_webhooks.insert_one(
                {"_id": f"pg:{hook.tx_id}", "payload": hook.model_dump(),
                 "received_at": datetime.now(UTC)}, session=tx.session)
            tx.emit(PaymentConfirmed(key=hook.order_id, order_id=hook.order_id, partner="pg-sim",
                                     partner_tx_id=hook.tx_id, method=hook.method,
                                     amount=hook.amount))

        try:
            await store.transaction(work)
        except DuplicateKeyError:
            return {"ok": True, "duplicate": True}
        return {"ok": True, "duplicate": False}

    return r
