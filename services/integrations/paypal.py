"""PayPal (PARTNERS.md §3, §9): checkout with Orders v2, verified webhooks, the tracking push and
refunds of captures.

Checkout: our order (KRW) is opened at PayPal in USD at PAYPAL_KRW_PER_USD (KRW is not a PayPal
currency); the buyer approves on PayPal's page and comes back with `token`; the capture is ours,
server side, and the amount is read back from PayPal (`GET` the order), never from the redirect.
`PaymentConfirmed` (our KRW figure; PayPal's amount and currency stay on `paypal_orders`) is
emitted once per PayPal order, whichever comes first: the buyer's return or the webhook.

Webhooks: signed by PayPal with SHA256withRSA over
`<transmission id>|<transmission time>|<webhook id>|<crc32 of the raw body>`; the certificate is
fetched from PAYPAL-CERT-URL only when its host is one of PAYPAL_CERT_HOSTS (`.paypal.com`), and
cached. A bad signature is 401. The event is a hint: the order is read again from PayPal before
anything changes. A replayed event id changes nothing.

Tracking push (배송정보 연동): a PayPal order's section shipped (or its invoice changed) → a durable
`track` task (partner_tasks.py) with PayPal's carrier enum. It runs with the REST credentials the
seller entered in the admin (`paypal_settings`); without them the task is WAITING, and entering
them releases it.

Refunds: claims' `RefundRequested` of a PayPal order → a durable `refund` task on the capture
(the KRW refund converted at the order's rate; the last one refunds what is left in USD) →
`RefundSucceeded`, or `RefundFailed` from its dead letter.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import logging
import time
import zlib
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Literal, TypedDict
from urllib.parse import urlsplit

import httpx
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from fastapi import APIRouter, Request
from faststream.kafka import KafkaBroker
from faststream.middlewares import AckPolicy
from pydantic import BaseModel, ConfigDict, Field, StrictInt
from pymongo import ASCENDING

from contracts import topics
from contracts.claims.v1 import RefundRequested
from contracts.integrations.v1 import PaymentConfirmed, RefundFailed, RefundSucceeded
from contracts.orders.v1 import InvoiceChanged, SectionStatus, SectionStatusChanged
from integrations.naverpay import PartnerUnavailable
from integrations.partner_tasks import PartnerTasks, Refused, Wait, runner_key
from integrations.settings import IntegrationsSettings
from kit.errors import DomainError, InvalidInput, NotFound
from kit.inbox import by_type, handle_once, wanted_event
from kit.store import Store, Tx

log = logging.getLogger("integrations.paypal")
PARTNER = "PAYPAL"
CONSUMER = "integrations.paypal"
REFUND_CONSUMER = "integrations.paypal.refunds"
TRIES = 4
ORDERS_TYPES: dict[str, type[SectionStatusChanged | InvoiceChanged]] = by_type(
    SectionStatusChanged, InvoiceChanged)
CAPTURED = ("COMPLETED", "PARTIALLY_REFUNDED", "REFUNDED")
# Our carriers (contracts.orders.requests.CARRIERS) → PayPal's carrier enum. Hanjin, Lotte and
# Logen have none (PARTNERS.md §3.1): OTHER with the carrier's Korean name.
CARRIER_ENUM = {"CJ대한통운": "KOR_CJ", "우체국택배": "KOR_KOREA_POST"}
NO_TRACKING_SETTINGS = "배송정보 연동 설정(PayPal client id / secret)이 없어 대기 중입니다"
TRACKING_REJECTED = "PayPal이 배송정보 연동 인증 정보를 거부했습니다: 설정을 확인해 주세요"


class _RefundBase(TypedDict):
    key: str
    order_id: str
    claim_id: str
    attempt: int


# ---- pure rules: money, carriers, signatures ----

def usd_cents(krw: int, krw_per_usd: Decimal) -> int:
    """Our KRW amount in US cents at the rate, half up (₩13,500 at 1350 → 1000)."""
    return int((Decimal(krw) * 100 / krw_per_usd).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def cents_text(cents: int) -> str:
    """PayPal's amount value: "12.34"."""
    return f"{cents // 100}.{cents % 100:02d}"


def cents_of(value: str) -> int:
    try:
        cents = Decimal(value) * 100
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"not an amount: {value!r}") from exc
    if not cents.is_finite() or cents != cents.to_integral_value():
        raise ValueError(f"not an amount in cents: {value!r}")
    return int(cents)


def krw_of(cents: int, krw_per_usd: Decimal) -> int:
    return int((Decimal(cents) * krw_per_usd / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def tracking_carrier(carrier: str) -> tuple[str, str]:
    """PayPal's (carrier, carrier_name_other) for one of ours."""
    enum = CARRIER_ENUM.get(carrier)
    return (enum, "") if enum else ("OTHER", carrier[:64] or "기타 택배")


def cert_url_allowed(url: str, hosts: list[str]) -> bool:
    """The certificate URL's host is PayPal's (`.paypal.com`: the domain or a subdomain); https
    unless the allowed host is a loopback simulator."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if not host or parts.username or parts.password:
        return False
    for allowed in hosts:
        allowed = allowed.strip().lower()
        if not allowed:
            continue
        ok = host == allowed.lstrip(".") or (allowed.startswith(".") and host.endswith(allowed))
        if ok and (parts.scheme == "https" or (parts.scheme == "http" and host in (
                "127.0.0.1", "localhost"))):
            return True
    return False


def signed_string(transmission_id: str, transmission_time: str, webhook_id: str,
                  body: bytes) -> str:
    return f"{transmission_id}|{transmission_time}|{webhook_id}|{zlib.crc32(body) & 0xFFFFFFFF}"


def signature_valid(cert_pem: bytes, signature_b64: str, message: str, algo: str) -> bool:
    """SHA256withRSA over `message` with the certificate's public key, in date."""
    if algo != "SHA256withRSA":
        return False
    try:
        cert = x509.load_pem_x509_certificate(cert_pem)
        signature = base64.b64decode(signature_b64, validate=True)
    except (ValueError, binascii.Error):
        return False
    now = datetime.now(UTC)
    if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
        return False
    key = cert.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        return False
    try:
        key.verify(signature, message.encode(), padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        return False
    return True


class CertCache:
    """Certificates fetched from allowed hosts, kept for an hour."""

    def __init__(self, hosts: list[str], seconds: float = 3600.0) -> None:
        self.hosts = hosts
        self.seconds = seconds
        self._certs: dict[str, tuple[float, bytes]] = {}

    async def get(self, url: str) -> bytes | None:
        if not cert_url_allowed(url, self.hosts):
            return None
        hit = self._certs.get(url)
        if hit is not None and time.monotonic() - hit[0] < self.seconds:
            return hit[1]
        try:
            async with httpx.AsyncClient(timeout=5, follow_redirects=False) as http:
                resp = await http.get(url)
        except httpx.TransportError as exc:
            raise PartnerUnavailable(PARTNER, f"certificate unreachable: {exc}") from exc
        if resp.status_code != 200 or len(resp.content) > 20_000:
            return None
        self._certs[url] = (time.monotonic(), resp.content)
        return resp.content

    async def verify(self, headers: dict[str, str], body: bytes, webhook_id: str) -> bool:
        tid = headers.get("paypal-transmission-id", "")
        ttime = headers.get("paypal-transmission-time", "")
        sig = headers.get("paypal-transmission-sig", "")
        url = headers.get("paypal-cert-url", "")
        if not (tid and ttime and sig and url):
            return False
        pem = await self.get(url)
        if pem is None:
            return False
        return signature_valid(pem, sig, signed_string(tid, ttime, webhook_id, body),
                               headers.get("paypal-auth-algo", ""))


# ---- the REST client ----

class BadCredentials(Exception):
    """PayPal refused the client id / secret."""


class PayPalApi:
    """One REST app's client: a bearer token reused until a minute before it expires."""

    def __init__(self, base_url: str, client_id: str, client_secret: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.client_id = client_id
        self.client_secret = client_secret
        self._token = ""
        self._expires = 0.0

    async def _get_token(self, http: httpx.AsyncClient) -> str:
        if self._token and time.monotonic() < self._expires:
            return self._token
        basic = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        resp = await http.post(f"{self.base_url}/v1/oauth2/token",
                               data={"grant_type": "client_credentials"},
                               headers={"authorization": f"Basic {basic}"})
        if resp.status_code in (400, 401):
            raise BadCredentials(resp.text[:200])
        if resp.status_code >= 300:
            raise httpx.HTTPStatusError("token", request=resp.request, response=resp)
        answer = resp.json()
        self._token = str(answer["access_token"])
        self._expires = time.monotonic() + float(answer.get("expires_in", 3600)) - 60
        return self._token

    async def call(self, method: str, path: str, body: dict[str, Any] | None = None,
                   request_id: str = "") -> httpx.Response:
        """The answer of PayPal (2xx or a 4xx refusal); network errors, 5xx and 429 are tried
        again (TRIES), then PartnerUnavailable. A 401 re-issues the token once."""
        why = ""
        renewed = False
        async with httpx.AsyncClient(timeout=10) as http:
            for attempt in range(1, TRIES + 1):
                try:
                    token = await self._get_token(http)
                    headers = {"authorization": f"Bearer {token}",
                               "content-type": "application/json"}
                    if request_id:
                        headers["paypal-request-id"] = request_id
                    resp = await http.request(method, f"{self.base_url}{path}", headers=headers,
                                              content=json.dumps(body) if body is not None
                                              else None)
                except httpx.TransportError as exc:
                    why = f"unreachable ({exc.__class__.__name__})"
                except httpx.HTTPStatusError as exc:
                    why = f"token answered {exc.response.status_code}"
                else:
                    if resp.status_code == 401 and not renewed:
                        self._token, renewed = "", True
                        continue
                    if resp.status_code < 500 and resp.status_code != 429:
                        return resp
                    why = f"answered {resp.status_code}"
                await asyncio.sleep(0.1 * 2**attempt)
        raise PartnerUnavailable(PARTNER, why)

    async def order(self, paypal_order_id: str) -> dict[str, Any]:
        resp = await self.call("GET", f"/v2/checkout/orders/{paypal_order_id}")
        if resp.status_code != 200:
            raise PartnerUnavailable(PARTNER, f"order {paypal_order_id}: {resp.status_code}")
        return dict(resp.json())


def refusal(resp: httpx.Response) -> str:
    try:
        body = resp.json()
    except ValueError:
        return f"{resp.status_code} {resp.text[:200]}"
    issues = ", ".join(f"{d.get('issue')}{' ' + d['field'] if d.get('field') else ''}"
                       for d in body.get("details") or [])
    return f"{resp.status_code} {body.get('name', '')}: {issues or body.get('message', '')}"


def issue_of(resp: httpx.Response) -> str:
    try:
        details = resp.json().get("details") or [{}]
    except ValueError:
        return ""
    return str(details[0].get("issue", ""))


# ---- HTTP models ----

class PayPalOpening(BaseModel):
    model_config = ConfigDict(extra="forbid")

    order_id: str = Field(min_length=1, max_length=100)
    order_no: str = Field(min_length=1, max_length=40)
    amount: StrictInt = Field(ge=1, le=1_000_000_000, description="Our total, KRW")
    return_url: str = Field(min_length=1, max_length=500)
    cancel_url: str = Field(min_length=1, max_length=500)


class PayPalStarted(BaseModel):
    payment_id: str = Field(description="PayPal's order id (the `token` of the return URL)")
    checkout_url: str = Field(description="PayPal's approval page")
    virtual_account: str = ""
    currency: str
    value: str


class PayPalPayment(BaseModel):
    """A PayPal payment of one of our orders: our KRW beside PayPal's amount and currency."""

    order_id: str
    paypal_order_id: str
    status: str = Field(description="CREATED | APPROVED | COMPLETED (captured) | ...")
    confirmed: bool
    amount_krw: int
    currency: str
    value: str
    krw_per_usd: str
    capture_id: str = ""
    captured_value: str = ""
    refunded_value: str = "0.00"
    refunded_krw: int = 0


class TrackingSettingsIn(BaseModel):
    """배송정보 연동: the shop's PayPal REST app (live or sandbox). An empty secret keeps the
    one stored."""

    model_config = ConfigDict(extra="forbid")

    client_id: str = Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_.-]+$")
    client_secret: str = Field(default="", max_length=200)
    env: Literal["live", "sandbox"] = "live"


class TrackingSettingsView(BaseModel):
    """The stored settings; the secret is never answered back."""

    configured: bool
    client_id: str = ""
    env: str = "live"
    secret_set: bool = False
    updated_at: datetime | None = None
    waiting: int = Field(default=0, description="Tracking pushes waiting for these settings")


class BadSignature(DomainError):
    status_code = 401

    def __init__(self) -> None:
        super().__init__("bad_signature", "webhook signature is missing or invalid")


class PayPal:
    def __init__(self, store: Store, settings: IntegrationsSettings, tasks: PartnerTasks,
                 certs: CertCache | None = None) -> None:
        self.store = store
        self.settings = settings
        self.tasks = tasks
        self.rate = Decimal(settings.paypal_krw_per_usd)
        self.api = PayPalApi(settings.paypal_api_url, settings.paypal_client_id,
                             settings.paypal_client_secret)
        self.certs = certs or CertCache([h for h in settings.paypal_cert_hosts.split(",") if h])
        self._tracking_api: PayPalApi | None = None
        tasks.runners[runner_key(PARTNER, "track")] = self.run_track
        tasks.runners[runner_key(PARTNER, "refund")] = self.run_refund
        tasks.on_done[runner_key(PARTNER, "refund")] = self.refunded
        tasks.on_dead[runner_key(PARTNER, "refund")] = self.refund_failed

    async def ensure_indexes(self) -> None:
        await self.store.db.paypal_orders.create_index([("order_id", ASCENDING)])

    async def run(self) -> None:
        """Release waiting pushes once the settings are there (also done when they are saved;
        this covers a task that went WAITING while they were being saved)."""
        while True:
            try:
                if await self.store.db.paypal_settings.find_one({"_id": "tracking"}) and \
                        await self.store.db.partner_tasks.find_one(
                            {"partner": PARTNER, "state": "WAITING"}, {"_id": 1}):
                    await self.tasks.release(PARTNER)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("PayPal release loop failed; going on")
            await asyncio.sleep(self.settings.paypal_release_seconds)

    # ---- checkout ----

    async def open(self, req: PayPalOpening) -> PayPalStarted:
        cents = usd_cents(req.amount, self.rate)
        if cents < 1:
            raise InvalidInput("amount", "amount too small for PayPal",
                               key="paypal_amount_too_small")
        value = cents_text(cents)
        resp = await self.api.call("POST", "/v2/checkout/orders", {
            "intent": "CAPTURE",
            "purchase_units": [{"reference_id": req.order_id, "custom_id": req.order_no,
                                "description": f"Order {req.order_no}",
                                "amount": {"currency_code": "USD", "value": value}}],
            "application_context": {"return_url": req.return_url, "cancel_url": req.cancel_url,
                                    "user_action": "PAY_NOW", "shipping_preference": "NO_SHIPPING",
                                    "locale": "ko-KR"}})
        if resp.status_code != 201:
            raise PartnerUnavailable(PARTNER, f"order refused: {refusal(resp)}")
        answer = resp.json()
        approve = next((x["href"] for x in answer.get("links", []) if x.get("rel") in (
            "approve", "payer-action")), "")
        await self.store.db.paypal_orders.insert_one({
            "_id": str(answer["id"]), "order_id": req.order_id, "order_no": req.order_no,
            "amount_krw": req.amount, "currency": "USD", "value": value,
            "krw_per_usd": str(self.rate), "status": str(answer.get("status", "CREATED")),
            "confirmed": False, "refunded_cents": 0, "refunded_krw": 0,
            "created_at": datetime.now(UTC)})
        return PayPalStarted(payment_id=str(answer["id"]), checkout_url=approve, currency="USD",
                             value=value)

    async def settle(self, paypal_order_id: str) -> PayPalPayment:
        """Capture an approved order (server side) and confirm what PayPal says it captured;
        the same answer however often it is asked (return page, webhook, replay)."""
        rec = await self.store.db.paypal_orders.find_one({"_id": paypal_order_id})
        if rec is None:
            raise NotFound("PayPal order", paypal_order_id)
        if rec["confirmed"]:
            return view(rec)
        order = await self.api.order(paypal_order_id)
        if order.get("status") == "APPROVED":
            resp = await self.api.call("POST", f"/v2/checkout/orders/{paypal_order_id}/capture",
                                       {}, request_id=f"capture-{paypal_order_id}")
            if resp.status_code >= 400 and issue_of(resp) != "ORDER_ALREADY_CAPTURED":
                log.warning("PayPal capture of %s refused: %s", paypal_order_id, refusal(resp))
            order = await self.api.order(paypal_order_id)  # the amount as PayPal holds it
        unit = (order.get("purchase_units") or [{}])[0]
        captures = (unit.get("payments") or {}).get("captures") or []
        cap = next((c for c in captures if c.get("status") in CAPTURED), None)
        if order.get("status") != "COMPLETED" or cap is None \
                or unit.get("reference_id") != rec["order_id"]:
            await self.store.db.paypal_orders.update_one(
                {"_id": paypal_order_id, "confirmed": False},
                {"$set": {"status": str(order.get("status", ""))}})
            return view({**rec, "status": str(order.get("status", ""))})
        amount = cap.get("amount") or {}
        captured = cents_of(str(amount.get("value", "0")))
        same = amount.get("currency_code") == rec["currency"] and captured == cents_of(rec["value"])
        # A different capture (never expected) is confirmed at its KRW worth: the orders service
        # refuses the mismatch and keeps it as a payment to give back.
        krw = rec["amount_krw"] if same else krw_of(captured, Decimal(rec["krw_per_usd"]))

        async def work(tx: Tx) -> None:
            moved = await tx.db.paypal_orders.update_one(
                {"_id": paypal_order_id, "confirmed": False},
                {"$set": {"confirmed": True, "status": "COMPLETED", "capture_id": str(cap["id"]),
                          "captured_value": str(amount.get("value", "")),
                          "captured_at": datetime.now(UTC)}}, session=tx.session)
            if moved.modified_count == 1:
                tx.emit(PaymentConfirmed(key=rec["order_id"], order_id=rec["order_id"],
                                         partner="paypal", partner_tx_id=str(cap["id"]),
                                         method="PAYPAL", amount=krw))

        await self.store.transaction(work)
        done = await self.store.db.paypal_orders.find_one({"_id": paypal_order_id})
        assert done is not None
        return view(done)

    async def payment(self, order_id: str) -> PayPalPayment:
        docs = await self.store.db.paypal_orders.find({"order_id": order_id}).sort(
            [("confirmed", -1), ("created_at", -1)]).limit(1).to_list()
        if not docs:
            raise NotFound("PayPal payment", order_id)
        return view(docs[0])

    # ---- webhooks ----

    async def webhook(self, request: Request) -> dict[str, Any]:
        body = await request.body()
        headers = {k.lower(): v for k, v in request.headers.items()}
        if not await self.certs.verify(headers, body, self.settings.paypal_webhook_id):
            raise BadSignature()
        try:
            event = json.loads(body)
            event_id, kind = str(event["id"]), str(event["event_type"])
            resource = dict(event.get("resource") or {})
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidInput("bad_payload", "webhook payload invalid",
                               key="webhook_bad_payload", problem=str(exc)) from exc
        key = f"paypal:{event_id}"
        if await self.store.db.inbound_webhooks.find_one({"_id": key}, {"_id": 1}):
            return {"ok": True, "duplicate": True}
        order_id = ""
        if kind == "PAYMENT.CAPTURE.COMPLETED":
            order_id = str(((resource.get("supplementary_data") or {}).get("related_ids") or {})
                           .get("order_id", ""))
        elif kind == "CHECKOUT.ORDER.APPROVED":
            order_id = str(resource.get("id", ""))
        if order_id and await self.store.db.paypal_orders.find_one({"_id": order_id}, {"_id": 1}):
            await self.settle(order_id)  # the payload is a hint: settle reads PayPal again
        elif kind == "PAYMENT.CAPTURE.REFUNDED":
            log.info("PayPal refund %s reported (our refunds follow their tasks)",
                     resource.get("id"))
        await self.store.db.inbound_webhooks.update_one(
            {"_id": key}, {"$setOnInsert": {
                "event_type": kind, "transmission_id": headers.get("paypal-transmission-id", ""),
                "paypal_order_id": order_id, "received_at": datetime.now(UTC)}}, upsert=True)
        return {"ok": True, "duplicate": False}

    # ---- tracking push ----

    def register(self, broker: KafkaBroker) -> None:
        @broker.subscriber(topics.ORDERS_EVENTS, group_id=CONSUMER, auto_offset_reset="earliest",
                           ack_policy=AckPolicy.NACK_ON_ERROR,
                           title=f"{topics.ORDERS_EVENTS}:{CONSUMER}",
                           description="Push carrier and tracking number of shipped PayPal "
                                       "orders to PayPal")
        async def on_orders(body: dict[str, Any]) -> None:
            if not isinstance(body, dict):
                return
            shipped = body.get("type") == "InvoiceChanged" or (
                body.get("type") == "SectionStatusChanged"
                and body.get("to_status") == SectionStatus.SHIPPING.value)
            if not shipped or not await self.store.db.paypal_orders.find_one(
                    {"order_id": body.get("order_id"), "confirmed": True}, {"_id": 1}):
                return  # only shipped PayPal orders (one indexed read, skipped unparsed)
            event = await wanted_event(broker, CONSUMER, self.store.producer, body, ORDERS_TYPES)
            if event is not None and event.invoice_no:
                await handle_once(self.store, broker, CONSUMER, event, self.push)

        @broker.subscriber(topics.CLAIMS_EVENTS, group_id=REFUND_CONSUMER,
                           auto_offset_reset="earliest", ack_policy=AckPolicy.NACK_ON_ERROR,
                           title=f"{topics.CLAIMS_EVENTS}:{REFUND_CONSUMER}",
                           description="Refund PayPal orders' claims on their capture")
        async def on_claims(body: dict[str, Any]) -> None:
            if not (isinstance(body, dict) and body.get("type") == "RefundRequested"):
                return
            if not await self.store.db.paypal_orders.find_one(
                    {"order_id": body.get("order_id"), "confirmed": True}, {"_id": 1}):
                return
            event = await wanted_event(broker, REFUND_CONSUMER, self.store.producer, body,
                                       by_type(RefundRequested))
            if event is not None:
                await handle_once(self.store, broker, REFUND_CONSUMER, event, self.refund)

    async def push(self, tx: Tx, e: SectionStatusChanged | InvoiceChanged) -> None:
        rec = await tx.db.paypal_orders.find_one({"order_id": e.order_id, "confirmed": True},
                                                 session=tx.session)
        if rec is None:
            return
        carrier, other = tracking_carrier(e.carrier)
        body = {"paypal_order_id": rec["_id"], "capture_id": rec["capture_id"],
                "tracking_number": e.invoice_no, "carrier": carrier,
                "carrier_name_other": other, "section_id": e.section_id}
        await self.tasks.add(tx, f"track.{e.event_id}", PARTNER, "track", e.order_id, body)

    async def tracking_api(self) -> PayPalApi:
        creds = await self.store.db.paypal_settings.find_one({"_id": "tracking"})
        if creds is None:
            raise Wait(NO_TRACKING_SETTINGS)
        url = (self.settings.paypal_sandbox_api_url if creds.get("env") == "sandbox" else
               "") or self.settings.paypal_api_url
        api = self._tracking_api
        if api is None or (api.base_url, api.client_id, api.client_secret) != (
                url.rstrip("/"), creds["client_id"], creds["client_secret"]):
            api = self._tracking_api = PayPalApi(url, creds["client_id"], creds["client_secret"])
        return api

    async def run_track(self, task: dict[str, Any]) -> dict[str, Any]:
        api = await self.tracking_api()
        b = task["body"]
        payload: dict[str, Any] = {"capture_id": b["capture_id"],
                                   "tracking_number": b["tracking_number"],
                                   "carrier": b["carrier"], "notify_payer": False}
        if b["carrier"] == "OTHER":
            payload["carrier_name_other"] = b["carrier_name_other"]
        try:
            resp = await api.call("POST", f"/v2/checkout/orders/{b['paypal_order_id']}/track",
                                  payload, request_id=task["_id"])
        except BadCredentials as exc:
            raise Wait(TRACKING_REJECTED) from exc
        if resp.status_code >= 400:
            raise Refused(refusal(resp))
        return {"tracker": f"{b['capture_id']}-{b['tracking_number']}"}

    # ---- refunds ----

    async def refund(self, tx: Tx, e: RefundRequested) -> None:
        base = _RefundBase(key=e.order_id, order_id=e.order_id, claim_id=e.claim_id,
                           attempt=e.attempt)
        if e.amount == 0:
            tx.emit(RefundSucceeded(**base, amount=0, partner_tx_id="points-only"))
            return
        rec = await tx.db.paypal_orders.find_one({"order_id": e.order_id, "confirmed": True},
                                                 session=tx.session)
        if rec is None:
            tx.emit(RefundFailed(**base, reason="PayPal 결제 내역이 없습니다"))
            return
        captured = cents_of(rec["captured_value"])
        left = captured - rec["refunded_cents"]
        rate = Decimal(rec["krw_per_usd"])
        # The refund that brings our KRW refunds to the whole payment gives back what is left.
        cents = left if rec["refunded_krw"] + e.amount >= rec["amount_krw"] else min(
            left, usd_cents(e.amount, rate))
        await tx.db.paypal_orders.update_one(
            {"_id": rec["_id"]}, {"$inc": {"refunded_cents": cents, "refunded_krw": e.amount}},
            session=tx.session)
        await self.tasks.add(tx, f"refund.{e.claim_id}.{e.attempt}", PARTNER, "refund",
                             e.order_id, {"paypal_order_id": rec["_id"],
                                          "capture_id": rec["capture_id"], "cents": cents,
                                          "currency": rec["currency"], "value": cents_text(cents),
                                          "krw": e.amount, "claim_id": e.claim_id,
                                          "attempt": e.attempt})

    async def run_refund(self, task: dict[str, Any]) -> dict[str, Any]:
        b = task["body"]
        resp = await self.api.call("POST", f"/v2/payments/captures/{b['capture_id']}/refund", {
            "amount": {"currency_code": b["currency"], "value": b["value"]},
            "note_to_payer": "Refund"}, request_id=task["_id"])
        if resp.status_code >= 400:
            raise Refused(refusal(resp))
        answer = resp.json()
        return {"refund_id": str(answer.get("id", "")), "status": str(answer.get("status", ""))}

    async def refunded(self, tx: Tx, task: dict[str, Any], answer: dict[str, Any]) -> None:
        b = task["body"]
        tx.emit(RefundSucceeded(key=task["order_id"], order_id=task["order_id"],
                                claim_id=b["claim_id"], attempt=b["attempt"], amount=b["krw"],
                                partner_tx_id=answer.get("refund_id", "")))

    async def refund_failed(self, tx: Tx, task: dict[str, Any], error: str) -> None:
        b = task["body"]
        await tx.db.paypal_orders.update_one(
            {"_id": b["paypal_order_id"]},
            {"$inc": {"refunded_cents": -b["cents"], "refunded_krw": -b["krw"]}},
            session=tx.session)
        tx.emit(RefundFailed(key=task["order_id"], order_id=task["order_id"],
                             claim_id=b["claim_id"], attempt=b["attempt"],
                             reason=f"PayPal: {error}"[:300]))

    # ---- settings ----

    async def tracking_settings(self) -> TrackingSettingsView:
        doc = await self.store.db.paypal_settings.find_one({"_id": "tracking"})
        waiting = await self.store.db.partner_tasks.count_documents(
            {"partner": PARTNER, "kind": "track", "state": "WAITING"})
        if doc is None:
            return TrackingSettingsView(configured=False, waiting=waiting)
        return TrackingSettingsView(configured=True, client_id=doc["client_id"], env=doc["env"],
                                    secret_set=bool(doc["client_secret"]),
                                    updated_at=doc.get("updated_at"), waiting=waiting)

    async def save_tracking_settings(self, req: TrackingSettingsIn) -> TrackingSettingsView:
        old = await self.store.db.paypal_settings.find_one({"_id": "tracking"})
        secret = req.client_secret.strip() or (old or {}).get("client_secret", "")
        if not secret:
            raise InvalidInput("client_secret", "enter the PayPal client secret",
                               key="paypal_secret_required")
        await self.store.db.paypal_settings.replace_one(
            {"_id": "tracking"}, {"client_id": req.client_id, "client_secret": secret,
                                  "env": req.env, "updated_at": datetime.now(UTC)}, upsert=True)
        await self.tasks.release(PARTNER)
        return await self.tracking_settings()


def view(doc: dict[str, Any]) -> PayPalPayment:
    return PayPalPayment(order_id=doc["order_id"], paypal_order_id=doc["_id"],
                         status=doc["status"], confirmed=doc["confirmed"],
                         amount_krw=doc["amount_krw"], currency=doc["currency"],
                         value=doc["value"], krw_per_usd=doc["krw_per_usd"],
                         capture_id=doc.get("capture_id", ""),
                         captured_value=doc.get("captured_value", ""),
                         refunded_value=cents_text(max(0, doc.get("refunded_cents", 0))),
                         refunded_krw=doc.get("refunded_krw", 0))


def router(paypal: PayPal | None) -> APIRouter:
    r = APIRouter(tags=["paypal"])

    def on() -> PayPal:
        if paypal is None:
            raise NotFound("partner", PARTNER)
        return paypal

    @r.post("/paypal/orders", status_code=201)
    async def open_order(req: PayPalOpening) -> PayPalStarted:
        """Open our order at PayPal in USD; the buyer approves on `checkout_url`."""
        return await on().open(req)

    @r.post("/paypal/orders/{paypal_order_id}/capture")
    async def capture(paypal_order_id: str) -> PayPalPayment:
        """The buyer came back: capture and confirm (the amount read back from PayPal)."""
        return await on().settle(paypal_order_id)

    @r.get("/paypal/payments/{order_id}")
    async def payment(order_id: str) -> PayPalPayment:
        """Our order's PayPal payment: PayPal's amount and currency beside our KRW."""
        return await on().payment(order_id)

    @r.get("/paypal/tracking-settings")
    async def get_settings() -> TrackingSettingsView:
        """배송정보 연동 (never the secret)."""
        return await on().tracking_settings()

    @r.put("/paypal/tracking-settings")
    async def put_settings(req: TrackingSettingsIn) -> TrackingSettingsView:
        """Store the shop's PayPal REST credentials; the pushes waiting for them go."""
        return await on().save_tracking_settings(req)

    @r.delete("/paypal/tracking-settings", status_code=204)
    async def delete_settings() -> None:
        """Forget the credentials (the shop left PayPal, or they leaked): pushes wait again."""
        await on().store.db.paypal_settings.delete_one({"_id": "tracking"})

    @r.post("/webhooks/paypal")
    async def webhook(request: Request) -> dict[str, Any]:
        """PayPal's webhooks (signature verified; a hint: PayPal is read again)."""
        return await on().webhook(request)

    return r
