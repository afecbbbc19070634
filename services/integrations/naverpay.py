"""The Naver Pay adapter: the Naver Commerce API as the partner serves it (PARTNERS.md §1).

HTTP only, base URL and credentials from settings, so the simulator (simulators/naverpay) and
the real partner are one setting apart. This module holds the client (OAuth2 client
credentials with the bcrypt-signed secret, re-issued on 401 `GW.AUTHN`; backoff on 429
`GW.RATE_LIMIT`, 5xx and timeouts) and the pure mapping tables; the polling and the outbound
calls are channel_sync.py and partner_tasks.py.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import bcrypt
import httpx

from contracts.claims.v1 import ClaimKind, ReasonCode
from contracts.orders.v1 import SectionStatus
from integrations.outbound import PartnerUnavailable, backoff, retry_after

log = logging.getLogger("integrations.naverpay")
KST = ZoneInfo("Asia/Seoul")
S = SectionStatus

# productOrderStatus → the section status it means here (None: not an order of ours yet).
STATUS: dict[str, SectionStatus | None] = {
    "PAYMENT_WAITING": None,
    "PAYED": S.PREPARING,
    "DELIVERING": S.SHIPPING,
    "DELIVERED": S.DELIVERED,
    "PURCHASE_DECIDED": S.CONFIRMED,
    "EXCHANGED": S.EXCHANGED,
    "CANCELED": S.CANCELLED,
    "RETURNED": S.RETURNED,
    "CANCELED_BY_NOPAYMENT": None,  # never paid: never an order here
}
# How far along the flow a status is: a report moves a line forward only.
RANK = {S.PREPARING: 1, S.SHIPPING: 2, S.DELIVERED: 3, S.CONFIRMED: 4}
# A buyer's claim request at Naver (claimStatus) → the kind of claim it opens here.
REQUESTS = {"CANCEL_REQUEST": ClaimKind.CANCEL, "RETURN_REQUEST": ClaimKind.RETURN,
            "EXCHANGE_REQUEST": ClaimKind.EXCHANGE}
# claimStatus values that close a claim at Naver: completed (Naver refunded) or refused.
CLAIM_DONE = {"CANCEL_DONE", "RETURN_DONE", "EXCHANGE_DONE", "ADMIN_CANCEL_DONE"}
CLAIM_REJECTED = {"CANCEL_REJECT", "RETURN_REJECT", "EXCHANGE_REJECT", "ADMIN_CANCEL_REJECT"}
# Naver's claimReason (§1.6) as our reason code.
REASONS: dict[str, ReasonCode] = {
    "INTENT_CHANGED": ReasonCode.CHANGE_OF_MIND, "SIMPLE_INTENT_CHANGED": ReasonCode.CHANGE_OF_MIND,
    "COLOR_AND_SIZE": ReasonCode.CHANGE_OF_MIND, "WRONG_ORDER": ReasonCode.CHANGE_OF_MIND,
    "MISTAKE_ORDER": ReasonCode.CHANGE_OF_MIND,
    "PRODUCT_UNSATISFIED": ReasonCode.DEFECT, "BROKEN": ReasonCode.DEFECT,
    "WRONG_DELIVERY": ReasonCode.WRONG_ITEM, "WRONG_OPTION": ReasonCode.WRONG_ITEM,
    "INCORRECT_INFO": ReasonCode.WRONG_ITEM,
    "DELAYED_DELIVERY": ReasonCode.DELAYED, "NOT_YET_DELIVERY": ReasonCode.DELAYED,
    "DROPPED_DELIVERY": ReasonCode.DELAYED,
}
# Our reason code as the cancelReason / returnReason of a claim the seller opens here.
SELLER_REASONS = {ReasonCode.CHANGE_OF_MIND: "INTENT_CHANGED",
                  ReasonCode.DEFECT: "PRODUCT_UNSATISFIED", ReasonCode.WRONG_ITEM: "WRONG_ORDER",
                  ReasonCode.DELAYED: "DELAYED_DELIVERY", ReasonCode.OTHER: "SOLD_OUT"}
# Our carriers (contracts.orders.requests.CARRIERS) as Naver's deliveryCompanyCode (§1.8).
CARRIER_CODES = {"CJ대한통운": "CJGLS", "우체국택배": "EPOST", "한진택배": "HANJIN",
                 "롯데택배": "HYUNDAI", "로젠택배": "KGB"}


def ours(product_order: dict[str, Any]) -> SectionStatus | None:
    return STATUS.get(str(product_order.get("productOrderStatus", "")))


def kst_text(at: datetime) -> str:
    """A time as Naver writes it: `2026-12-03T15:21:44.000+09:00`."""
    local = at.astimezone(KST)
    return local.strftime("%Y-%m-%dT%H:%M:%S.") + f"{local.microsecond // 1000:03d}+09:00"


def client_secret_sign(client_id: str, client_secret: str, timestamp_ms: int) -> str:
    """Base64 of bcrypt(client_id + "_" + timestamp) salted with the client secret (§1.2)."""
    hashed = bcrypt.hashpw(f"{client_id}_{timestamp_ms}".encode(), client_secret.encode())
    return base64.standard_b64encode(hashed).decode()


class NaverPayApi:
    """One application's client: a token shared by its calls, retries inside each call."""

    TRIES = 6

    def __init__(self, base_url: str, client_id: str, client_secret: str,
                 transport: httpx.AsyncBaseTransport | None = None,
                 sleep: Callable[[float], Any] = asyncio.sleep,
                 clock: Callable[[], float] = time.time, partner: str = "NAVERPAY") -> None:
        self.partner = partner
        self.http = httpx.AsyncClient(base_url=base_url.rstrip("/"), timeout=10,
                                      transport=transport)
        self.client_id, self.client_secret = client_id, client_secret
        self._token = ""
        self._token_until = 0.0
        self._sleep, self._clock = sleep, clock
        self._lock = asyncio.Lock()

    async def aclose(self) -> None:
        await self.http.aclose()

    async def token(self, renew: bool = False) -> str:
        async with self._lock:
            if renew or not self._token or self._clock() > self._token_until - 60:
                self._token, self._token_until = await self._issue()
            return self._token

    async def _issue(self) -> tuple[str, float]:
        ts = int(self._clock() * 1000)
        form = {"client_id": self.client_id, "timestamp": str(ts),
                "grant_type": "client_credentials", "type": "SELF",
                "client_secret_sign": client_secret_sign(self.client_id, self.client_secret, ts)}
        resp = await self._send("POST", "/v1/oauth2/token", data=form)
        if resp.status_code != 200:
            raise PartnerUnavailable(self.partner, f"token refused ({resp.status_code} "
                                                 f"{_code(resp)})")
        body = resp.json()
        return str(body["access_token"]), self._clock() + float(body.get("expires_in", 10800))

    async def call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        """One API call, retried: a new token once on 401 GW.AUTHN; on 429 after the bucket's
        refill time; on 5xx and network errors with exponential backoff."""
        renewed = False
        hint: float | None = None  # the partner's last Retry-After
        for attempt in range(1, self.TRIES + 1):
            headers = {"authorization": f"Bearer {await self.token()}"}
            resp = await self._send(method, path, headers=headers, **kwargs)
            if resp.status_code == 401 and _code(resp) == "GW.AUTHN" and not renewed:
                renewed = True
                await self.token(renew=True)
                continue
            hint = retry_after(resp) if resp.status_code in (429, 503) else None
            if resp.status_code == 429:
                rate = _float(resp.headers.get("GNCP-GW-RateLimit-Replenish-Rate")) or 1.0
                await self._sleep(min(5.0, hint or max(1.0 / rate, backoff(attempt, 0.05, 5.0))))
                continue
            if resp.status_code >= 500:
                await self._sleep(min(5.0, hint or backoff(attempt, 0.1, 5.0)))
                continue
            if resp.status_code >= 400:
                raise PartnerUnavailable(self.partner, f"{resp.status_code} {_code(resp)}")
            return dict(resp.json())
        raise PartnerUnavailable(self.partner, f"no answer after {self.TRIES} tries",
                                 retry_after=hint)

    async def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        for attempt in range(1, self.TRIES + 1):
            try:
                return await self.http.request(method, path, **kwargs)
            except httpx.TransportError as exc:  # timeouts, refused connections
                log.warning("naverpay %s %s: %s (try %d)", method, path, exc, attempt)
                await self._sleep(backoff(attempt, 0.1, 5.0))
        raise PartnerUnavailable(self.partner, "unreachable")

    # ---- the calls ----

    async def changes(self, since: datetime, until: datetime) -> list[dict[str, Any]]:
        """Every change row in [since, until], following `more` to the end (§1.4)."""
        rows: list[dict[str, Any]] = []
        params: dict[str, Any] = {"lastChangedFrom": kst_text(since),
                                  "lastChangedTo": kst_text(min(until, since + timedelta(hours=24))),
                                  "limitCount": 300}
        while True:
            data = (await self.call("GET", "/v1/pay-order/seller/product-orders/"
                                    "last-changed-statuses", params=params)).get("data") or {}
            rows += data.get("lastChangeStatuses") or []
            more = data.get("more")
            if not more:
                return rows
            params = {**params, "lastChangedFrom": more["moreFrom"],
                      "moreSequence": more["moreSequence"]}

    async def details(self, product_order_ids: list[str]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for first in range(0, len(product_order_ids), 300):
            body = {"productOrderIds": product_order_ids[first:first + 300],
                    "quantityClaimCompatibility": True}
            out += (await self.call("POST", "/v1/pay-order/seller/product-orders/query",
                                    json=body)).get("data") or []
        return out

    async def confirm(self, product_order_ids: list[str]) -> dict[str, Any]:
        """발주 확인 of ≤30 product orders at a time."""
        out: dict[str, list[Any]] = {"successProductOrderIds": [], "failProductOrderInfos": []}
        for first in range(0, len(product_order_ids), 30):
            answer = await self.call("POST", "/v1/pay-order/seller/product-orders/confirm",
                                     json={"productOrderIds": product_order_ids[first:first + 30]})
            for k in out:
                out[k] += (answer.get("data") or {}).get(k) or []
        return out

    async def dispatch(self, items: list[dict[str, Any]]) -> dict[str, Any]:
        """발송 처리 of ≤30 product orders: {successProductOrderIds, failProductOrderInfos}."""
        answer = await self.call("POST", "/v1/pay-order/seller/product-orders/dispatch",
                                 json={"dispatchProductOrders": items})
        return dict(answer.get("data") or {})


def _code(resp: httpx.Response) -> str:
    try:
        return str(resp.json().get("code", ""))
    except ValueError:
        return ""


def _float(text: str | None) -> float:
    try:
        return float(text or 0)
    except ValueError:
        return 0.0
