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
from pydantic import BaseModel, Field

from integrations.settings import IntegrationsSettings
from integrations.signing import sign
from kit.errors import DomainError, NotFound
from kit.store import Store


class PaymentRequest(BaseModel):
    order_id: str = Field(min_length=1, max_length=100)
    order_no: str = Field(min_length=1, max_length=40)
    amount: int = Field(ge=0, le=1_000_000_000)
    method: Literal["CARD", "BANK_TRANSFER"]
    return_url: str = Field(default="", max_length=500)


class Deposit(BaseModel):
    amount: int = Field(ge=0)


PAGE = """<!doctype html><html lang="ko"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>PG 결제 · 카드</title>
<style>*{{box-sizing:border-box}}
body{{margin:0;font-family:'NanumGothic','Nanum Gothic',sans-serif;background:#eef1f6;color:#1f2430;display:flex;justify-content:center;padding:64px 16px}}
.box{{background:#fff;border-radius:14px;box-shadow:0 6px 24px #1f243020;width:400px;overflow:hidden}}
.top{{background:#1b2130;color:#fff;padding:18px 28px;display:flex;justify-content:space-between;align-items:center}}
.top b{{font-size:16px}}.top span{{font-size:12px;color:#c5cad8;border:1px solid #3a4256;border-radius:10px;padding:1px 8px}}
.body{{padding:24px 28px 28px}}
dl{{display:grid;grid-template-columns:80px 1fr;gap:8px;margin:0 0 8px;font-size:14px}}dt{{color:#8a90a0}}dd{{margin:0;font-variant-numeric:tabular-nums}}
.amt{{font-size:30px;font-weight:800;margin:4px 0 20px;font-variant-numeric:tabular-nums}}
.card{{display:flex;align-items:center;gap:12px;border:1px solid #cfd4de;border-radius:10px;padding:12px 14px;margin-bottom:20px;font-size:14px}}
.chip{{width:36px;height:26px;border-radius:5px;background:linear-gradient(135deg,#f4d27a,#d9a93a)}}
button{{width:100%;font:inherit;font-size:17px;font-weight:800;padding:14px;border:0;border-radius:9px;background:#2f6fed;color:#fff;cursor:pointer}}
button:hover{{background:#2457c5}}.note{{font-size:12px;color:#8a90a0;text-align:center;margin:14px 0 0}}
</style></head><body><div class="box">
<div class="top"><b>카드 결제</b><span>PG 시뮬레이터</span></div>
<div class="body"><dl><dt>주문번호</dt><dd id="order-no">{order_no}</dd></dl>
<div class="amt" id="amount">{amount:,}원</div>
<div class="card"><span class="chip"></span><span>테스트 카드 **** **** **** 1234</span></div>
<form method="post" action="/pg/checkout/{payment_id}/approve"><button id="pay">결제하기</button></form>
<p class="note">테스트 환경입니다. 실제로 결제되지 않습니다.</p>
</div></div></body></html>"""


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
