"""The PG adapter: the merchant API of the payment gateway (opening payments, refunds).

Partner-facing and HTTP only, so the simulator and a real PG are one setting apart.
"""

from __future__ import annotations

from typing import Any, Literal

import httpx
from fastapi import APIRouter
from pydantic import BaseModel, Field

from integrations.settings import IntegrationsSettings
from kit.errors import DomainError


def pg_client(settings: IntegrationsSettings) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=settings.pg_api_url, timeout=10,
                             headers={"authorization": f"Bearer {settings.pg_api_key}"})


class PaymentOpening(BaseModel):
    order_id: str = Field(min_length=1, max_length=100)
    order_no: str = Field(min_length=1, max_length=40)
    amount: int = Field(ge=0, le=1_000_000_000)
    method: Literal["CARD", "BANK_TRANSFER"]
    return_url: str = Field(default="", max_length=500)


class PgUnavailable(DomainError):
    status_code = 503

    def __init__(self) -> None:
        super().__init__("pg_unavailable", "the payment gateway cannot be reached; try again",
                         retryable=True)


def router(settings: IntegrationsSettings) -> APIRouter:
    r = APIRouter(tags=["payments"])

    @r.post("/payments", status_code=201)
    async def open_payment(req: PaymentOpening) -> dict[str, Any]:
        """Open a payment at the PG: its id, the buyer's checkout page, a virtual account."""
        async with pg_client(settings) as client:
            try:
                resp = await client.post("/pg/payments", json=req.model_dump())
            except httpx.TransportError as exc:
                raise PgUnavailable() from exc
        if resp.status_code >= 400:
            raise PgUnavailable()
        answer = resp.json()
        return {"payment_id": answer["payment_id"], "checkout_url": answer["checkout_url"],
                "virtual_account": answer.get("virtual_account", "")}

    return r
