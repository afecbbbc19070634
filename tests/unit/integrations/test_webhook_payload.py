"""Inbound PG webhooks (SPEC §10): validated payloads, verified signatures, idempotent replays."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from contracts.integrations.v1 import PaymentConfirmed
from integrations.signing import sign
from integrations.webhooks import PgWebhook, router
from kit.errors import DomainError
from tests.unit.kit.fakes import FakeStore

SECRET = "pg-secret"
VALID: dict[str, Any] = {"event": "payment.approved", "tx_id": "T-1", "order_id": "o-1",
                         "amount": 43_500, "method": "CARD"}


# ---- PgWebhook payload validation ----


@pytest.mark.parametrize("event, method", [
    ("payment.approved", "CARD"), ("deposit.received", "BANK_TRANSFER"),
])
def test_a_well_formed_payment_or_deposit_webhook_is_accepted(event: str, method: str) -> None:
    hook = PgWebhook.model_validate({**VALID, "event": event, "method": method})

    assert (hook.event, hook.method, hook.amount) == (event, method, 43_500)


@pytest.mark.parametrize("event", ["payment.refunded", "PAYMENT.APPROVED", "", "payment"])
def test_an_unknown_event_name_is_refused(event: str) -> None:
    with pytest.raises(ValidationError) as refused:
        PgWebhook.model_validate({**VALID, "event": event})
    assert refused.value.errors()[0]["loc"] == ("event",)


@pytest.mark.parametrize("amount", [-1, -43_500])
def test_a_negative_amount_is_refused(amount: int) -> None:
    with pytest.raises(ValidationError) as refused:
        PgWebhook.model_validate({**VALID, "amount": amount})
    assert refused.value.errors()[0]["loc"] == ("amount",)


@pytest.mark.parametrize("field, value", [
    ("tx_id", ""), ("order_id", ""), ("tx_id", "x" * 101), ("method", "PAYPAL"),
    ("amount", 43_500.5), ("amount", "lots"),
])
def test_a_blank_oversized_or_mistyped_field_is_refused(field: str, value: object) -> None:
    with pytest.raises(ValidationError):
        PgWebhook.model_validate({**VALID, field: value})


@pytest.mark.parametrize("missing", sorted(VALID))
def test_a_webhook_missing_any_field_is_refused(missing: str) -> None:
    with pytest.raises(ValidationError):
        PgWebhook.model_validate({k: v for k, v in VALID.items() if k != missing})


# ---- the /webhooks/pg endpoint over an in-memory store ----


@pytest.fixture
async def pg() -> AsyncIterator[tuple[httpx.AsyncClient, FakeStore]]:
    store = FakeStore("integrations")
    app = FastAPI()

    @app.exception_handler(DomainError)
    async def refused(_request: Request, exc: DomainError) -> JSONResponse:  # as kit.web does
        return JSONResponse({"error": exc.code, "message": exc.message},
                            status_code=exc.status_code)

    app.include_router(router(store, SECRET))  # type: ignore[arg-type]
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://integrations") as client:
        yield client, store


async def post(client: httpx.AsyncClient, payload: dict[str, Any] | bytes,
               signature: str | bytes | None = None) -> httpx.Response:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    sig = sign(SECRET, body) if signature is None else signature
    return await client.post("/webhooks/pg", content=body,
                             headers={"content-type": "application/json", "x-pg-signature": sig})


async def test_a_signed_webhook_emits_payment_confirmed_keyed_by_the_order(
        pg: tuple[httpx.AsyncClient, FakeStore]) -> None:
    client, store = pg

    r = await post(client, VALID)

    assert r.status_code == 200, r.text
    assert r.json() == {"ok": True, "duplicate": False}
    [event] = store.committed
    assert isinstance(event, PaymentConfirmed)
    assert (event.key, event.order_id, event.amount, event.partner_tx_id, event.method) == (
        "o-1", "o-1", 43_500, "T-1", "CARD")


async def test_a_replayed_webhook_changes_nothing(pg: tuple[httpx.AsyncClient, FakeStore]) -> None:
    client, store = pg

    first, replay = await post(client, VALID), await post(client, VALID)

    assert first.json()["duplicate"] is False
    assert replay.status_code == 200
    assert replay.json() == {"ok": True, "duplicate": True}
    assert len(store.committed) == 1
    assert list(store.db.inbound_webhooks.docs) == ["pg:T-1"]


@pytest.mark.parametrize("signature", ["", "0" * 64, sign("other-secret", b"{}")])
async def test_a_webhook_with_a_missing_or_wrong_signature_is_refused_with_401(
        pg: tuple[httpx.AsyncClient, FakeStore], signature: str) -> None:
    client, store = pg

    r = await post(client, VALID, signature)

    assert r.status_code == 401
    assert r.json()["error"] == "bad_signature"
    assert store.committed == []


async def test_a_webhook_whose_body_was_tampered_after_signing_is_refused_with_401(
        pg: tuple[httpx.AsyncClient, FakeStore]) -> None:
    client, store = pg
    signature = sign(SECRET, json.dumps(VALID).encode())

    r = await post(client, {**VALID, "amount": 1}, signature)

    assert r.status_code == 401
    assert store.committed == []


async def test_a_forged_signature_with_non_ascii_bytes_is_refused_with_401_not_a_server_error(
        pg: tuple[httpx.AsyncClient, FakeStore]) -> None:
    client, store = pg

    r = await post(client, VALID, "é".encode("latin-1") * 64)

    assert r.status_code == 401
    assert store.committed == []


@pytest.mark.parametrize("payload", [
    {**VALID, "amount": -1}, {**VALID, "event": "payment.refunded"}, b"not json",
])
async def test_a_signed_but_invalid_payload_is_refused_with_400(
        pg: tuple[httpx.AsyncClient, FakeStore], payload: dict[str, Any] | bytes) -> None:
    client, store = pg

    r = await post(client, payload)

    assert r.status_code == 400
    assert r.json()["error"] == "bad_payload"
    assert store.committed == []
