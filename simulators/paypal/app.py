"""A local PayPal simulator, a process of its own (PARTNERS.md §3): OAuth2 client credentials,
Orders v2 (create, the buyer's approval page, capture, get, track), captures' refunds, and
webhooks signed as PayPal signs them (SHA256withRSA over
`<transmissionId>|<transmissionTime>|<webhookId>|<crc32 of the raw body>`, the certificate served
at PAYPAL-CERT-URL). It keeps its orders in its own database; real PayPal plugs in by
configuration.

Not PayPal's API (`/_sim`): the buyer's approval without a browser, what the shop pushed
(trackers, refunds), the webhooks sent (to replay one) and faults.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hmac
import html
import json
import logging
import re
import secrets
import uuid
import zlib
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID
from fastapi import APIRouter, Depends, FastAPI, Form, Header, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, StrictBool
from pymongo import AsyncMongoClient, ReturnDocument

from simulators.paypal.settings import PayPalSimSettings

log = logging.getLogger("simulators.paypal")
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
# Orders v2 carrier enum (a subset: the Korean ones and a few others, PARTNERS.md §3.1).
CARRIERS = {"KOR_CJ", "KOR_KOREA_POST", "KOR_ECARGO", "EPARCEL_KR", "SREKOREA", "ROCKETPARCEL",
            "CJ_KOREA_THAI", "RINCOS", "UPS", "USPS", "FEDEX", "DHL", "OTHER"}
CAPTURE_ID = re.compile(r"^[a-zA-Z0-9]{1,50}$")
CURRENCIES = {"USD", "EUR", "JPY", "GBP", "AUD", "CAD"}


class PayPalError(Exception):
    def __init__(self, status: int, name: str, message: str, issue: str = "",
                 field: str = "") -> None:
        super().__init__(message)
        self.status, self.name, self.message, self.issue, self.field = (
            status, name, message, issue, field)

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "message": self.message,
                               "debug_id": secrets.token_hex(7)}
        if self.issue:
            out["details"] = [{"issue": self.issue, "description": self.message,
                               **({"field": self.field} if self.field else {})}]
        return out


def unprocessable(issue: str, message: str, field: str = "") -> PayPalError:
    return PayPalError(422, "UNPROCESSABLE_ENTITY", message, issue, field)


def invalid(issue: str, message: str, field: str = "") -> PayPalError:
    return PayPalError(400, "INVALID_REQUEST", message, issue, field)


def pp_id(n: int = 17) -> str:
    return "".join(secrets.choice(ALNUM) for _ in range(n))


def now_text() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Signer:
    """The simulator's webhook signing key and its self-signed certificate (made at start)."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "messageverificationcerts.sim")])
        now = datetime.now(UTC)
        self.cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                     .public_key(self.key.public_key()).serial_number(x509.random_serial_number())
                     .not_valid_before(now - timedelta(days=1))
                     .not_valid_after(now + timedelta(days=365))
                     .sign(self.key, hashes.SHA256()))
        self.cert_id = f"CERT-360caa42-fca2a594-{self.cert.serial_number % 16**8:08x}"
        self.pem = self.cert.public_bytes(serialization.Encoding.PEM)

    def sign(self, message: str) -> str:
        sig = self.key.sign(message.encode(), padding.PKCS1v15(), hashes.SHA256())
        return base64.b64encode(sig).decode()


def signed_headers(signer: Signer, cert_url: str, webhook_id: str, body: bytes,
                   transmission_id: str | None = None) -> dict[str, str]:
    tid = transmission_id or str(uuid.uuid4())
    ttime = now_text()
    crc = zlib.crc32(body) & 0xFFFFFFFF
    return {"content-type": "application/json", "paypal-transmission-id": tid,
            "paypal-transmission-time": ttime, "paypal-cert-url": cert_url,
            "paypal-auth-algo": "SHA256withRSA",
            "paypal-transmission-sig": signer.sign(f"{tid}|{ttime}|{webhook_id}|{crc}")}


class SimControl(BaseModel):
    fail_refunds: StrictBool = False
    fail_next: int = 0  # answer the next N API calls 503


PAGE = """<!doctype html><html lang="ko"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>PayPal · 결제 승인</title>
<style>*{{box-sizing:border-box}}
body{{margin:0;font-family:'NanumGothic','Nanum Gothic',Helvetica,Arial,sans-serif;background:#f5f7fa;color:#001435;display:flex;justify-content:center;padding:48px 16px}}
.box{{background:#fff;border-radius:12px;box-shadow:0 4px 20px #00143520;width:100%;max-width:420px;padding:28px}}
.logo{{font-size:26px;font-weight:800;font-style:italic;margin:0 0 18px}}.logo b{{color:#003087}}.logo span{{color:#009cde}}
.amt{{font-size:32px;font-weight:800;margin:6px 0 4px;font-variant-numeric:tabular-nums}}
.sub{{color:#6c7378;font-size:14px;margin:0 0 22px}}
button{{width:100%;font:inherit;font-size:17px;font-weight:700;padding:14px;border:0;border-radius:24px;background:#0070ba;color:#fff;cursor:pointer;margin-bottom:10px}}
button.cancel{{background:#fff;color:#0070ba;border:1px solid #0070ba}}
.note{{font-size:12px;color:#6c7378;text-align:center;margin:14px 0 0}}
</style></head><body><div class="box">
<p class="logo"><b>Pay</b><span>Pal</span></p>
<p class="sub">{merchant} · 주문 {reference}</p>
<div class="amt" id="amount">{currency} {value}</div>
<p class="sub">결제를 승인하면 상점으로 돌아갑니다. / Approve to return to the shop.</p>
<form method="post" action="/checkoutnow/{order_id}/approve"><button id="approve">결제 승인 · Pay Now</button></form>
<form method="post" action="/checkoutnow/{order_id}/cancel"><button class="cancel" id="cancel">취소 · Cancel</button></form>
<p class="note">PayPal 시뮬레이터 · 실제로 결제되지 않습니다. Sandbox simulator.</p>
</div></body></html>"""


settings = PayPalSimSettings()
client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(settings.mongodb_url, tz_aware=True)
db = client[settings.database]
signer = Signer()
CERT_URL = f"{settings.public_url}/v1/notifications/certs/{signer.cert_id}"
_background: set[asyncio.Task[None]] = set()


async def bearer(authorization: str = Header(default="")) -> None:
    token = authorization.removeprefix("Bearer ").strip()
    if not token or await db.tokens.find_one(
            {"_id": token, "expires_at": {"$gt": datetime.now(UTC)}}) is None:
        raise PayPalError(401, "AUTHENTICATION_FAILURE",
                          "Authentication failed due to invalid authentication credentials "
                          "or a missing Authorization header.")
    control = await db.control.find_one_and_update(
        {"_id": "control", "fail_next": {"$gt": 0}}, {"$inc": {"fail_next": -1}})
    if control is not None:
        raise PayPalError(503, "SERVICE_UNAVAILABLE", "Service unavailable (simulated).")


async def replayed(request_id: str) -> dict[str, Any] | None:
    """PayPal-Request-Id: the same id gets the first call's answer again."""
    if not request_id:
        return None
    found = await db.requests.find_one({"_id": request_id})
    return None if found is None else dict(found["answer"])


async def remember(request_id: str, answer: dict[str, Any]) -> dict[str, Any]:
    if request_id:
        await db.requests.update_one({"_id": request_id}, {"$setOnInsert": {"answer": answer}},
                                     upsert=True)
    return answer


def order_view(doc: dict[str, Any]) -> dict[str, Any]:
    base = f"{settings.public_url}/v2/checkout/orders/{doc['_id']}"
    links = [{"href": base, "rel": "self", "method": "GET"}]
    if doc["status"] == "CREATED":
        links.append({"href": f"{settings.public_url}/checkoutnow?token={doc['_id']}",
                      "rel": "approve", "method": "GET"})
    if doc["status"] == "APPROVED":
        links.append({"href": f"{base}/capture", "rel": "capture", "method": "POST"})
    unit = dict(doc["purchase_units"][0])
    if doc.get("captures"):
        unit["payments"] = {"captures": [public_capture(c) for c in doc["captures"]]}
    if doc.get("trackers"):
        unit["shipping"] = {"trackers": doc["trackers"]}
    out: dict[str, Any] = {"id": doc["_id"], "intent": doc["intent"], "status": doc["status"],
                           "purchase_units": [unit], "create_time": doc["create_time"],
                           "links": links}
    if doc.get("payer"):
        out["payer"] = doc["payer"]
    return out


def money(raw: Any, field: str) -> tuple[str, str]:
    if not isinstance(raw, dict):
        raise invalid("MISSING_REQUIRED_PARAMETER", "amount is required", field)
    currency, value = str(raw.get("currency_code", "")), str(raw.get("value", ""))
    if currency not in CURRENCIES:
        raise unprocessable("CURRENCY_NOT_SUPPORTED", f"currency {currency!r} is not supported",
                            f"{field}/currency_code")
    if not re.fullmatch(r"\d{1,10}(\.\d{2})?", value) or Decimal(value) <= 0:
        raise invalid("INVALID_PARAMETER_VALUE", f"amount value {value!r} is not valid",
                      f"{field}/value")
    return currency, value


async def deliver(event_type: str, resource_type: str, resource: dict[str, Any],
                  order_id: str) -> None:
    """One webhook event: stored (to replay), delivered in the background, retried on non-2xx."""
    event = {"id": f"WH-{pp_id(17)}-{pp_id(17)}", "event_version": "1.0",
             "create_time": now_text(), "resource_type": resource_type,
             "resource_version": "2.0", "event_type": event_type,
             "summary": f"{event_type} ({resource['id']})", "resource": resource,
             "links": []}
    body = json.dumps(event).encode()
    await db.webhooks.insert_one({"_id": event["id"], "order_id": order_id, "body": body.decode(),
                                  "event_type": event_type, "deliveries": [],
                                  "at": datetime.now(UTC)})
    task = asyncio.create_task(_send(str(event["id"]), body))
    _background.add(task)
    task.add_done_callback(_background.discard)


async def _send(event_id: str, body: bytes) -> None:
    delay = settings.webhook_first_delay_seconds
    async with httpx.AsyncClient(timeout=10) as http:
        for _ in range(settings.webhook_tries):
            headers = signed_headers(signer, CERT_URL, settings.webhook_id, body)
            try:
                resp = await http.post(settings.webhook_url, content=body, headers=headers)
                status = resp.status_code
            except httpx.TransportError as exc:
                status = 0
                log.info("webhook %s not delivered: %s", event_id, exc)
            await db.webhooks.update_one({"_id": event_id}, {"$push": {"deliveries": {
                "status": status, "headers": headers, "at": datetime.now(UTC)}}})
            if 200 <= status < 300:
                return
            await asyncio.sleep(delay)
            delay = min(delay * 2, 30)


def router() -> APIRouter:
    r = APIRouter(tags=["paypal-simulator"])
    api = [Depends(bearer)]
    orders = db.orders

    @r.post("/v1/oauth2/token")
    async def token(grant_type: str = Form(""),
                    authorization: str = Header(default="")) -> dict[str, Any]:
        try:
            given = base64.b64decode(authorization.removeprefix("Basic ").strip(),
                                     validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            given = ""
        expected = f"{settings.client_id}:{settings.client_secret}"
        if not hmac.compare_digest(given.encode(), expected.encode()):
            raise PayPalError(401, "invalid_client", "Client Authentication failed")
        if grant_type != "client_credentials":
            raise PayPalError(400, "unsupported_grant_type", "Grant Type is NULL")
        access = f"A21AA{secrets.token_urlsafe(48)}"
        await db.tokens.insert_one({"_id": access, "expires_at": datetime.now(UTC)
                                    + timedelta(seconds=32400)})
        return {"scope": "https://uri.paypal.com/services/payments/payment "
                         "https://uri.paypal.com/services/shipping/trackers/readwrite",
                "access_token": access, "token_type": "Bearer", "app_id": "APP-80W284485P519543T",
                "expires_in": 32400, "nonce": f"{now_text()}{secrets.token_hex(8)}"}

    @r.post("/v2/checkout/orders", status_code=201, dependencies=api)
    async def create(request: Request,
                     paypal_request_id: str = Header(default="")) -> dict[str, Any]:
        if (old := await replayed(paypal_request_id)) is not None:
            return old
        body = await request.json()
        if body.get("intent") != "CAPTURE":
            raise invalid("INVALID_PARAMETER_VALUE", "intent must be CAPTURE", "/intent")
        units = body.get("purchase_units")
        if not isinstance(units, list) or len(units) != 1:
            raise invalid("INVALID_ARRAY_MAX_ITEMS", "exactly one purchase unit",
                          "/purchase_units")
        unit = units[0]
        currency, value = money(unit.get("amount"), "/purchase_units/@reference_id=default/amount")
        context = body.get("application_context") or (
            (body.get("payment_source") or {}).get("paypal", {}).get("experience_context", {}))
        doc = {"_id": pp_id(), "intent": "CAPTURE", "status": "CREATED",
               "purchase_units": [{"reference_id": str(unit.get("reference_id", "default")),
                                   "custom_id": str(unit.get("custom_id", "")),
                                   "amount": {"currency_code": currency, "value": value}}],
               "return_url": str(context.get("return_url", "")),
               "cancel_url": str(context.get("cancel_url", "")),
               "brand_name": str(context.get("brand_name", "")),
               "create_time": now_text(), "captures": [], "trackers": []}
        await orders.insert_one(doc)
        view = order_view(doc)
        return await remember(paypal_request_id, {k: view[k] for k in ("id", "status", "links")})

    @r.get("/v2/checkout/orders/{order_id}", dependencies=api)
    async def get(order_id: str) -> dict[str, Any]:
        doc = await orders.find_one({"_id": order_id})
        if doc is None:
            raise PayPalError(404, "RESOURCE_NOT_FOUND", "The specified resource does not exist.",
                              "INVALID_RESOURCE_ID")
        return order_view(doc)

    async def approve(order_id: str) -> dict[str, Any]:
        doc = await orders.find_one_and_update(
            {"_id": order_id, "status": "CREATED"},
            {"$set": {"status": "APPROVED", "payer": {
                "payer_id": pp_id(13), "email_address": "buyer@example.com",
                "name": {"given_name": "Sim", "surname": "Buyer"}}}},
            return_document=ReturnDocument.AFTER)
        if doc is None:
            doc = await orders.find_one({"_id": order_id})
            if doc is None:
                raise PayPalError(404, "RESOURCE_NOT_FOUND", "no such order",
                                  "INVALID_RESOURCE_ID")
        return doc

    @r.get("/checkoutnow", response_class=HTMLResponse)
    async def page(token: str) -> str:
        doc = await orders.find_one({"_id": token})
        if doc is None:
            raise PayPalError(404, "RESOURCE_NOT_FOUND", "no such order", "INVALID_RESOURCE_ID")
        amount = doc["purchase_units"][0]["amount"]
        return PAGE.format(merchant=html.escape(doc.get("brand_name") or "Shop"),
                           reference=html.escape(doc["purchase_units"][0]["custom_id"]
                                                 or doc["purchase_units"][0]["reference_id"]),
                           currency=amount["currency_code"], value=amount["value"],
                           order_id=doc["_id"])

    @r.post("/checkoutnow/{order_id}/approve")
    async def approve_form(order_id: str) -> Response:
        doc = await approve(order_id)
        query = urlencode({"token": doc["_id"], "PayerID": (doc.get("payer") or {}).get(
            "payer_id", "")})
        target = doc["return_url"] or "/"
        return RedirectResponse(f"{target}{'&' if '?' in target else '?'}{query}",
                                status_code=303)

    @r.post("/checkoutnow/{order_id}/cancel")
    async def cancel_form(order_id: str) -> Response:
        doc = await orders.find_one({"_id": order_id})
        if doc is None:
            raise PayPalError(404, "RESOURCE_NOT_FOUND", "no such order", "INVALID_RESOURCE_ID")
        target = doc["cancel_url"] or "/"
        return RedirectResponse(f"{target}{'&' if '?' in target else '?'}token={order_id}",
                                status_code=303)

    @r.post("/v2/checkout/orders/{order_id}/capture", status_code=201, dependencies=api)
    async def capture(order_id: str, paypal_request_id: str = Header(default="")) -> dict[str, Any]:
        if (old := await replayed(paypal_request_id)) is not None:
            return old
        doc = await orders.find_one({"_id": order_id})
        if doc is None:
            raise PayPalError(404, "RESOURCE_NOT_FOUND", "no such order", "INVALID_RESOURCE_ID")
        if doc["status"] == "COMPLETED":
            raise unprocessable("ORDER_ALREADY_CAPTURED", "Order already captured.")
        if doc["status"] != "APPROVED":
            raise unprocessable("ORDER_NOT_APPROVED", "Payer has not yet approved the Order "
                                "for payment.")
        amount = doc["purchase_units"][0]["amount"]
        cap = {"id": pp_id(), "status": "COMPLETED", "amount": dict(amount),
               "final_capture": True, "create_time": now_text(), "refunded": "0.00"}
        done = await orders.find_one_and_update(
            {"_id": order_id, "status": "APPROVED"},
            {"$set": {"status": "COMPLETED", "captures": [cap]}},
            return_document=ReturnDocument.AFTER)
        if done is None:
            raise unprocessable("ORDER_ALREADY_CAPTURED", "Order already captured.")
        await deliver("PAYMENT.CAPTURE.COMPLETED", "capture", {
            **public_capture(cap), "supplementary_data": {"related_ids": {"order_id": order_id}}},
            order_id)
        return await remember(paypal_request_id, order_view(done))

    @r.post("/v2/checkout/orders/{order_id}/track", status_code=201, dependencies=api)
    async def track(order_id: str, request: Request,
                    paypal_request_id: str = Header(default="")) -> dict[str, Any]:
        if (old := await replayed(paypal_request_id)) is not None:
            return old
        doc = await orders.find_one({"_id": order_id})
        if doc is None:
            raise PayPalError(404, "RESOURCE_NOT_FOUND", "no such order", "INVALID_RESOURCE_ID")
        body = await request.json()
        capture_id = body.get("capture_id")
        if not isinstance(capture_id, str) or not CAPTURE_ID.fullmatch(capture_id):
            raise invalid("INVALID_PARAMETER_SYNTAX", "capture_id does not match "
                          "^[a-zA-Z0-9]*$ (1-50)", "/capture_id")
        if doc["status"] != "COMPLETED":
            raise unprocessable("ORDER_NOT_CAPTURED", "Tracking can be added to a captured "
                                "order only.")
        if capture_id not in {c["id"] for c in doc["captures"]}:
            raise unprocessable("CAPTURE_ID_NOT_FOUND", "The capture id does not belong to "
                                "this order.", "/capture_id")
        number = body.get("tracking_number")
        if not isinstance(number, str) or not 1 <= len(number) <= 64:
            raise invalid("INVALID_STRING_LENGTH", "tracking_number is required (1-64)",
                          "/tracking_number")
        carrier = body.get("carrier")
        if carrier not in CARRIERS:
            raise invalid("INVALID_PARAMETER_VALUE", f"carrier {carrier!r} is not in the enum",
                          "/carrier")
        other = body.get("carrier_name_other") or ""
        if carrier == "OTHER" and not (isinstance(other, str) and 1 <= len(other) <= 64):
            raise unprocessable("CARRIER_NAME_OTHER_REQUIRED", "carrier_name_other is required "
                                "when carrier is OTHER", "/carrier_name_other")
        tracker = {"id": f"{capture_id}-{number}", "status": "SHIPPED", "capture_id": capture_id,
                   "tracking_number": number, "carrier": carrier, "carrier_name_other": other,
                   "notify_payer": bool(body.get("notify_payer", False)),
                   "items": body.get("items") or [], "create_time": now_text()}
        trackers = [t for t in doc["trackers"] if t["id"] != tracker["id"]] + [tracker]
        done = await orders.find_one_and_update({"_id": order_id},
                                                {"$set": {"trackers": trackers}},
                                                return_document=ReturnDocument.AFTER)
        await db.track_calls.insert_one({"order_id": order_id, "body": body,
                                         "request_id": paypal_request_id,
                                         "at": datetime.now(UTC)})
        assert done is not None
        return await remember(paypal_request_id, order_view(done))

    @r.post("/v2/payments/captures/{capture_id}/refund", status_code=201, dependencies=api)
    async def refund(capture_id: str, request: Request,
                     paypal_request_id: str = Header(default="")) -> dict[str, Any]:
        if (old := await replayed(paypal_request_id)) is not None:
            return old
        doc = await orders.find_one({"captures.id": capture_id})
        if doc is None:
            raise PayPalError(404, "RESOURCE_NOT_FOUND", "no such capture",
                              "INVALID_RESOURCE_ID")
        cap = next(c for c in doc["captures"] if c["id"] == capture_id)
        raw = await request.body()
        body = json.loads(raw) if raw else {}
        currency = cap["amount"]["currency_code"]
        left = Decimal(cap["amount"]["value"]) - Decimal(cap["refunded"])
        if body.get("amount") is None:
            value = left
        else:
            cur, text = money(body["amount"], "/amount")
            if cur != currency:
                raise unprocessable("REFUND_CURRENCY_MISMATCH", "refund currency differs "
                                    "from the capture's", "/amount/currency_code")
            value = Decimal(text)
        control = await db.control.find_one({"_id": "control"}) or {}
        if control.get("fail_refunds"):
            raise unprocessable("TRANSACTION_REFUSED", "The request was refused (simulated).")
        if cap["status"] == "REFUNDED" or value > left:
            raise unprocessable("REFUND_AMOUNT_EXCEEDED", "The refund amount must be less than "
                                "or equal to the capture amount that has not yet been "
                                "refunded.")
        refunded = Decimal(cap["refunded"]) + value
        status = "REFUNDED" if refunded == Decimal(cap["amount"]["value"]) else \
            "PARTIALLY_REFUNDED"
        moved = await orders.update_one(
            {"_id": doc["_id"], "captures": {"$elemMatch": {"id": capture_id,
                                                            "refunded": cap["refunded"]}}},
            {"$set": {"captures.$.refunded": f"{refunded:.2f}", "captures.$.status": status}})
        if moved.modified_count != 1:
            raise PayPalError(409, "CONCURRENT_REFUND", "another refund is under way; retry")
        out = {"id": pp_id(), "status": "COMPLETED",
               "amount": {"currency_code": currency, "value": f"{value:.2f}"},
               "create_time": now_text(),
               "links": [{"href": f"{settings.public_url}/v2/payments/captures/{capture_id}",
                          "rel": "up", "method": "GET"}]}
        await db.refunds.insert_one({**out, "_id": out["id"], "capture_id": capture_id,
                                     "order_id": doc["_id"], "note": body.get("note_to_payer")})
        await deliver("PAYMENT.CAPTURE.REFUNDED", "refund", out, doc["_id"])
        return await remember(paypal_request_id, out)

    @r.get("/v1/notifications/certs/{cert_id}")
    async def cert(cert_id: str) -> Response:
        if cert_id != signer.cert_id:
            raise PayPalError(404, "RESOURCE_NOT_FOUND", "no such certificate")
        return Response(signer.pem, media_type="application/x-pem-file")

    # ---- not PayPal's API: levers and reads for the tests ----

    @r.post("/_sim/orders/{order_id}/approve")
    async def sim_approve(order_id: str) -> dict[str, Any]:
        """The buyer approves on the approval page (without a browser)."""
        doc = await approve(order_id)
        return {"id": doc["_id"], "status": doc["status"], "return_url": doc["return_url"],
                "payer_id": (doc.get("payer") or {}).get("payer_id", "")}

    @r.get("/_sim/orders/{order_id}")
    async def sim_order(order_id: str) -> dict[str, Any]:
        """The order as PayPal holds it, with every tracking call the shop made."""
        doc = await orders.find_one({"_id": order_id})
        if doc is None:
            raise PayPalError(404, "RESOURCE_NOT_FOUND", "no such order")
        calls = await db.track_calls.find({"order_id": order_id}, {"_id": 0}).sort(
            "at", 1).to_list()
        refunds = await db.refunds.find({"order_id": order_id}, {"_id": 0}).to_list()
        return {**order_view(doc), "captures": doc["captures"], "trackers": doc["trackers"],
                "track_calls": calls, "refunds": refunds}

    @r.get("/_sim/webhooks")
    async def sim_webhooks(order_id: str) -> dict[str, Any]:
        """The events sent about an order: body and each delivery's headers and answer."""
        rows = await db.webhooks.find({"order_id": order_id}).sort("at", 1).to_list()
        return {"webhooks": [{"id": w["_id"], "event_type": w["event_type"], "body": w["body"],
                              "deliveries": w["deliveries"]} for w in rows]}

    @r.post("/_sim/webhooks/{event_id}/redeliver")
    async def sim_redeliver(event_id: str) -> dict[str, Any]:
        """Send an event again, freshly signed (PayPal's "resend" in the dashboard)."""
        row = await db.webhooks.find_one({"_id": event_id})
        if row is None:
            raise PayPalError(404, "RESOURCE_NOT_FOUND", "no such event")
        body = row["body"].encode()
        headers = signed_headers(signer, CERT_URL, settings.webhook_id, body)
        async with httpx.AsyncClient(timeout=10) as http:
            resp = await http.post(settings.webhook_url, content=body, headers=headers)
        return {"status": resp.status_code, "answer": resp.json()}

    @r.put("/_sim/control")
    async def sim_control(body: SimControl) -> dict[str, Any]:
        await db.control.replace_one({"_id": "control"}, body.model_dump(), upsert=True)
        return body.model_dump()

    return r


def public_capture(cap: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in cap.items() if k != "refunded"}


app = FastAPI(title="PayPal simulator", description="OAuth2, Orders v2 (create, approve, "
              "capture, track), refunds and RSA-signed webhooks, as PayPal's REST API")
app.include_router(router())


@app.exception_handler(PayPalError)
async def refused(_request: Request, exc: PayPalError) -> JSONResponse:
    if exc.name in ("invalid_client", "unsupported_grant_type"):
        return JSONResponse({"error": exc.name, "error_description": exc.message},
                            status_code=exc.status)
    return JSONResponse(exc.body(), status_code=exc.status)


@app.exception_handler(InvalidOperation)
async def bad_number(_request: Request, _exc: InvalidOperation) -> JSONResponse:
    return JSONResponse(invalid("INVALID_PARAMETER_VALUE", "not a number").body(),
                        status_code=400)


@app.get("/health")
async def health() -> dict[str, str]:
    await client.admin.command("ping")
    return {"service": "paypal-simulator", "status": "ok"}
