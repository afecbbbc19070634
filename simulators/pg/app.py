"""A local PG (payment gateway) simulator, a process of its own: merchant API (payments,
refunds) behind the merchant's API key, the buyer's card checkout page, virtual accounts, signed
webhooks, refunds that can be told to fail.

It plays the partner: it keeps its own payments in its own database and calls the shop's webhook
over HTTP with an HMAC signature, exactly as a real PG would. Real PGs plug in by configuration.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import json
import uuid
from datetime import UTC, datetime
from typing import Any, Literal

import httpx
from fastapi import APIRouter, Depends, FastAPI, Header, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from pydantic import BaseModel, Field, StrictBool, StrictInt
from pymongo import AsyncMongoClient
from pymongo.errors import DuplicateKeyError

from simulators.pg.settings import PgSimSettings


class PgError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def not_found(what: str, ident: str) -> PgError:
    return PgError(404, "not_found", f"{what} {ident} not found")


def sign(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class PaymentRequest(BaseModel):
    order_id: str = Field(min_length=1, max_length=100)
    order_no: str = Field(min_length=1, max_length=40)
    amount: StrictInt = Field(ge=0, le=1_000_000_000)
    method: Literal["CARD", "BANK_TRANSFER"]
    return_url: str = Field(default="", max_length=500)


class Deposit(BaseModel):
    amount: StrictInt = Field(ge=0, le=1_000_000_000)


class RefundCall(BaseModel):
    """A refund (cancel) call, as a real PG's API takes it; `refund_id` makes it idempotent."""

    refund_id: str = Field(min_length=1, max_length=120)
    order_id: str = Field(min_length=1, max_length=100)
    claim_id: str = Field(default="", max_length=100)
    amount: StrictInt = Field(ge=1, le=1_000_000_000)


class RefundControl(BaseModel):
    """Test switch: make the simulator decline refunds (all, or one order's)."""

    fail_refunds: StrictBool
    reason: str = Field(default="카드사 환불 승인 거절 (시뮬레이터)", max_length=200)


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


settings = PgSimSettings()
client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(settings.mongodb_url, tz_aware=True)
db = client[settings.database]


async def merchant(authorization: str = Header(default="")) -> None:
    """The merchant API needs `Authorization: Bearer <api key>`, as a real PG's does."""
    given = authorization.removeprefix("Bearer ").encode()
    if not hmac.compare_digest(given, settings.api_key.encode()):
        raise PgError(401, "unauthorized", "merchant API key missing or wrong")


def router() -> APIRouter:
    r = APIRouter(prefix="/pg", tags=["pg-simulator"])
    payments = db.payments
    api = [Depends(merchant)]

    async def deliver(payment: dict[str, Any], event: str, amount: int) -> None:
        body = json.dumps({
            "event": event, "tx_id": f"{payment['_id']}:{event}", "order_id": payment["order_id"],
            "amount": amount, "method": payment["method"],
        }).encode()
        async with httpx.AsyncClient(timeout=10) as client:
            for attempt in range(5):
                try:
                    resp = await client.post(
                        settings.webhook_url, content=body,
                        headers={"content-type": "application/json",
                                 "x-pg-signature": sign(settings.webhook_secret, body)})
                    if resp.status_code < 500:
                        resp.raise_for_status()
                        return
                except httpx.TransportError:
                    if attempt == 4:
                        raise

    @r.post("/payments", status_code=201, dependencies=api)
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
                raise not_found("payment", payment_id)
            if existing["status"] != "APPROVED":
                raise PgError(409, "not_payable", f"payment {payment_id} is {existing['status']}")
            payment = existing
        await deliver(payment, "payment.approved", payment["amount"])
        return payment

    @r.get("/checkout/{payment_id}", response_class=HTMLResponse)
    async def checkout(payment_id: str) -> str:
        payment = await payments.find_one({"_id": payment_id})
        if payment is None:
            raise not_found("payment", payment_id)
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
            raise not_found("virtual account payment", payment_id)
        await payments.update_one({"_id": payment_id}, {"$set": {"status": "DEPOSITED"}})
        await deliver(payment, "deposit.received", dep.amount)
        return {"payment_id": payment_id, "status": "DEPOSITED"}

    # ---- refunds (cancel API) ----

    refunds, control = db.refunds, db.control

    async def declined(order_id: str) -> str:
        for key in (f"order:{order_id}", "all"):
            switch = await control.find_one({"_id": key})
            if switch and switch["fail_refunds"]:
                return str(switch["reason"])
        return ""

    @r.post("/refunds", dependencies=api)
    async def refund(req: RefundCall) -> dict[str, Any]:
        """SUCCEEDED or FAILED (a decline is an answer, not an error); the same `refund_id`
        always gets the same answer. Never more than the order's payments in total."""
        done = await refunds.find_one({"_id": req.refund_id})
        if done is not None:
            return done
        reason = await declined(req.order_id)
        paid = [p async for p in payments.find({"order_id": req.order_id})
                if p["status"] in ("APPROVED", "DEPOSITED")]
        if not reason and not paid:
            reason = "환불할 결제 내역이 없습니다"
        if not reason:
            total = sum(p["amount"] for p in paid)
            key = f"balance:{req.order_id}"
            await control.update_one({"_id": key}, {"$setOnInsert": {"refunded": 0}}, upsert=True)
            if await control.find_one_and_update(
                    {"_id": key, "refunded": {"$lte": total - req.amount}},
                    {"$inc": {"refunded": req.amount}}) is None:
                reason = f"환불 금액이 결제 금액({total:,}원)을 넘습니다"
        doc = {"_id": req.refund_id, **req.model_dump(), "status": "FAILED" if reason else
               "SUCCEEDED", "reason": reason, "partner_tx_id": "" if reason else
               f"pgr-{uuid.uuid4().hex[:16]}", "at": datetime.now(UTC)}
        try:
            await refunds.insert_one(doc)
        except DuplicateKeyError:  # the same refund_id raced in: its first answer stands
            found = await refunds.find_one({"_id": req.refund_id})
            assert found is not None
            return found
        return doc

    @r.get("/refunds", dependencies=api)
    async def refunds_of(order_id: str) -> dict[str, Any]:
        return {"refunds": await refunds.find({"order_id": order_id}).to_list()}

    @r.put("/_control")
    async def control_all(body: RefundControl) -> dict[str, Any]:
        await control.replace_one({"_id": "all"}, body.model_dump(), upsert=True)
        return body.model_dump()

    @r.put("/_control/orders/{order_id}")
    async def control_order(order_id: str, body: RefundControl) -> dict[str, Any]:
        await control.replace_one({"_id": f"order:{order_id}"}, body.model_dump(), upsert=True)
        return body.model_dump()

    @r.get("/payments", dependencies=api)
    async def by_order(order_id: str) -> dict[str, Any]:
        rows = await payments.find({"order_id": order_id}).sort("created_at", -1).to_list()
        return {"payments": rows}

    return r


app = FastAPI(title="PG simulator", description="A faithful local PG: merchant API, checkout "
              "page, virtual accounts, signed webhooks, refunds")
app.include_router(router())


@app.exception_handler(PgError)
async def refused(_request: Request, exc: PgError) -> JSONResponse:
    return JSONResponse({"error": exc.code, "message": exc.message}, status_code=exc.status)


@app.get("/health")
async def health() -> dict[str, str]:
    await client.admin.command("ping")
    return {"service": "pg-simulator", "status": "ok"}
