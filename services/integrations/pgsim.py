"""A local PG (payment gateway) simulator: checkout page, virtual accounts, signed webhooks.

It plays the partner: it keeps its own payments and calls our webhook over HTTP with an HMAC
signature, exactly as a real PG would. Real PGs plug in by configuration instead.
"""

from __future__ import annotations

import html
import json
import uuid
from datetime import UTC, datetime
from typing import Any, Literal

import httpx
from fastapi import APIRouter
from fastapi.responses import HTMLResponse, RedirectResponse
from kit.errors import DomainError, NotFound
from kit.store import Store
from pydantic import BaseModel, Field

from integrations.settings import IntegrationsSettings
from integrations.signing import sign


class PaymentRequest(BaseModel):
    order_id: str = Field(min_length=1, max_length=100)
    order_no: str = Field(min_length=1, max_length=40)
    amount: int = Field(ge=0, le=1_000_000_000)
    method: Literal["CARD", "BANK_TRANSFER"]
    return_url: str = Field(default="", max_length=500)


class Deposit(BaseModel):
    amount: int = Field(ge=0)


PAGE = """<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>PG 결제</title>
<style>body{{font-family:'NanumGothic',sans-serif;background:#f4f6fa;display:flex;justify-content:center;padding-top:60px}}
.box{{background:#fff;border-radius:12px;padding:32px 40px;box-shadow:0 2px 12px #0002;min-width:360px}}
h1{{font-size:20px;margin:0 0 16px}}.amt{{font-size:28px;font-weight:bold;margin:12px 0 24px}}
button{{font-size:16px;padding:12px 24px;border:0;border-radius:8px;background:#2f6fed;color:#fff;cursor:pointer}}
</style></head><body><div class="box"><h1>PG 시뮬레이터 · 카드 결제</h1>
<div>주문번호 {order_no}</div><div class="amt">{amount:,}원</div>
<form method="post" action="/pg/checkout/{payment_id}/approve"><button id="pay">결제하기</button></form>
</div></body></html>"""


def router(store: Store, settings: IntegrationsSettings) -> APIRouter:
    r = APIRouter(prefix="/pg", tags=["pg-simulator"])
    payments = store.db.pgsim_payments

    async def deliver(payment: dict[str, Any], event: str, amount: int) -> None:
        body = json.dumps({
            "event": event, "tx_id": f"{payment['_id']}:{event}", "order_id": payment["order_id"],
            "amount": amount, "method": payment["method"],
        }).encode()
        async with httpx.AsyncClient(timeout=10) as client:
            for attempt in range(5):
                try:
                    resp = await client.post(
                        settings.pg_webhook_url, content=body,
                        headers={"content-type": "application/json",
                                 "x-pg-signature": sign(settings.pg_webhook_secret, body)})
                    if resp.status_code < 500:
                        resp.raise_for_status()
                        return
                except httpx.TransportError:
                    if attempt == 4:
                        raise

    @r.post("/payments", status_code=201)
    async def create(req: PaymentRequest) -> dict[str, Any]:
        payment_id = uuid.uuid4().hex
        doc = {"_id": payment_id, **req.model_dump(), "status": "READY",
               "created_at": datetime.now(UTC)}
        if req.method == "BANK_TRANSFER":
            doc["virtual_account"] = f"국민은행 {int(payment_id[:12], 16) % 10**12:012d}"
        await payments.insert_one(doc)
        return {"payment_id": payment_id,
                "checkout_url": f"{settings.public_url}/pg/checkout/{payment_id}",
                "virtual_account": doc.get("virtual_account", "")}

    async def approve_payment(payment_id: str) -> dict[str, Any]:
        payment = await payments.find_one_and_update(
            {"_id": payment_id, "status": "READY", "method": "CARD"},
            {"$set": {"status": "APPROVED", "approved_at": datetime.now(UTC)}})
        if payment is None:
            existing = await payments.find_one({"_id": payment_id})
            if existing is None:
                raise NotFound("payment", payment_id)
            if existing["status"] != "APPROVED":
                raise DomainError("not_payable", f"payment {payment_id} is {existing['status']}")
            payment = existing
        await deliver(payment, "payment.approved", payment["amount"])
        return payment

    @r.get("/checkout/{payment_id}", response_class=HTMLResponse)
    async def checkout(payment_id: str) -> str:
        payment = await payments.find_one({"_id": payment_id})
        if payment is None:
            raise NotFound("payment", payment_id)
        return PAGE.format(order_no=html.escape(payment["order_no"]), amount=payment["amount"],
                           payment_id=payment_id)

    @r.post("/checkout/{payment_id}/approve")
    async def approve_form(payment_id: str) -> RedirectResponse:
        payment = await approve_payment(payment_id)
        return RedirectResponse(payment["return_url"] or "/", status_code=303)

    @r.post("/payments/{payment_id}/approve")
    async def approve_api(payment_id: str) -> dict[str, str]:
        await approve_payment(payment_id)
        return {"payment_id": payment_id, "status": "APPROVED"}

    @r.post("/payments/{payment_id}/deposit")
    async def deposit(payment_id: str, dep: Deposit) -> dict[str, str]:
        payment = await payments.find_one({"_id": payment_id, "method": "BANK_TRANSFER"})
        if payment is None:
            raise NotFound("virtual account payment", payment_id)
        await payments.update_one({"_id": payment_id}, {"$set": {"status": "DEPOSITED"}})
        await deliver(payment, "deposit.received", dep.amount)
        return {"payment_id": payment_id, "status": "DEPOSITED"}

    @r.get("/payments")
    async def by_order(order_id: str) -> dict[str, Any]:
        rows = await payments.find({"order_id": order_id}).sort("created_at", -1).to_list()
        return {"payments": rows}

    return r
