"""A local Naver Pay (Naver Commerce API) simulator, a process of its own (PARTNERS.md §1).

It plays the partner closely enough that the shop's adapter would work against the real one:
- `POST /external/v1/oauth2/token`: client credentials with `client_secret_sign` =
  base64(bcrypt(client_id + "_" + timestamp, salt = client secret)); the timestamp (ms) must be
  within 5 minutes; tokens live 3 h and the same token comes back while ≥30 min remain.
- Every other `/external` call needs the Bearer token (else 401 `GW.AUTHN`) and passes a token
  bucket per API group (else 429 `GW.RATE_LIMIT` with the `GNCP-GW-RateLimit-*` headers).
  Errors are `{code, message, timestamp, traceId}`; every answer has `GNCP-GW-Trace-ID`.
- The change feed (`last-changed-statuses`) is an append-only log, one row per change, paged by
  300 with `more = {moreFrom, moreSequence}`; delivery completion writes no row (as at Naver:
  only the detail query shows it).
- The detail query, 발주 확인, 발송 처리 (no quantity: a product order ships whole), and the
  claim decisions (cancel approve; return approve / reject / holdback / release). There is no
  cancel-reject call, as at Naver. A write in the wrong state is a `failProductOrderInfos` row
  (HTTP 200), code 104442; an unknown id 100001.

Not Naver's API (what the shop's button, the buyer, the courier and the seller's Naver center
do): `/_sim/orders` registers a cart and answers the buyer's checkout URL; the buyer pays on
`/naverpay/checkout/{orderId}` (the partner's own page: it needs no CSRF token of the shop);
`/_sim/product-orders/{id}/...` deliver, decide, center-dispatch, claim, collect-done; and
`PUT /_sim/control` sets the bucket, the next N calls failing with 500, a delay, or expires the
tokens.
"""

from __future__ import annotations

import asyncio
import base64
import html
import re
import secrets
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

import bcrypt
from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field, StrictInt
from pymongo import ASCENDING, AsyncMongoClient, ReturnDocument

from simulators.naverpay.settings import sim_settings

KST = ZoneInfo("Asia/Seoul")
TOKEN_SECONDS = 10800
SAME_TOKEN_WHILE = 1800
CARRIERS = {"CJGLS", "HYUNDAI", "HANJIN", "KGB", "EPOST", "ILYANG", "KDEXP", "DAESIN", "CHUNIL",
            "KUNYOUNG", "HDEXP", "HONAM", "CVSNET", "CUPARCEL", "SLX", "HOMEPICK", "NONGHYUP",
            "REGISTPOST", "GENERALPOST", "KURLY", "TODAYPICKUP", "VROONG", "CH1"}

settings = sim_settings()
TALK = settings.partner == "TALKCHECKOUT"  # Talk Checkout's rules and branding
client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(settings.mongodb_url, tz_aware=True)
db = client[settings.database]


class GatewayError(Exception):
    def __init__(self, status: int, code: str, message: str,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


def now() -> datetime:
    at = datetime.now(UTC)
    return at.replace(microsecond=at.microsecond // 1000 * 1000)


def kst(at: datetime | None) -> str | None:
    if at is None:
        return None
    local = at.astimezone(KST)
    return local.strftime("%Y-%m-%dT%H:%M:%S.") + f"{local.microsecond // 1000:03d}+09:00"


def parse_time(text: str) -> datetime:
    try:
        at = datetime.fromisoformat(text)
    except ValueError as exc:
        raise GatewayError(400, "000400", f"요청이 올바르지 않습니다. (bad time {text!r})") from exc
    return at if at.tzinfo else at.replace(tzinfo=KST)


# ---- gateway: tokens, buckets, faults ----

class Bucket:
    def __init__(self) -> None:
        self.tokens = settings.burst
        self.at = time.monotonic()

    def take(self, rate: float, burst: float) -> tuple[bool, int]:
        t = time.monotonic()
        self.tokens = min(burst, self.tokens + (t - self.at) * rate)
        self.at = t
        if self.tokens < 1:
            return False, 0
        self.tokens -= 1
        return True, int(self.tokens)


class Control(BaseModel):
    rate: float | None = Field(default=None, gt=0, le=10_000)
    burst: float | None = Field(default=None, ge=1, le=20_000)
    fail_next: StrictInt | None = Field(default=None, ge=0, le=10_000)
    delay_ms: StrictInt | None = Field(default=None, ge=0, le=30_000)
    expire_tokens: bool = False
    refuse_writes: StrictInt | None = Field(default=None, ge=0, le=10_000, description="The "
                                            "next N product orders written are refused (104442)")
    advance_days: float | None = Field(default=None, ge=0, le=365, description="Talk Checkout: "
                                       "move the rules' clock forward (days, cumulative)")


state: dict[str, Any] = {"rate": settings.rate, "burst": settings.burst, "fail_next": 0,
                         "delay_ms": 0, "offset_days": 0.0, "refuse_writes": 0}
calls: dict[str, int] = {}  # API group → calls received (counted before any delay or fault)
buckets: dict[str, Bucket] = {}


def group_of(path: str) -> str:
    return re.sub(r"/\d+(?=/|$)", "/{id}", path)


async def gateway(request: Request) -> dict[str, str]:
    """What Naver's API gateway checks before any API: faults, the token, the bucket."""
    calls[group_of(request.url.path)] = calls.get(group_of(request.url.path), 0) + 1
    await apply_rules()
    if state["delay_ms"]:
        await asyncio.sleep(state["delay_ms"] / 1000)
    if state["fail_next"] > 0:
        state["fail_next"] -= 1
        raise GatewayError(500, "GW.INTERNAL_SERVER_ERROR", "일시적인 오류가 발생했습니다.")
    token = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
    found = await db.tokens.find_one({"_id": token}) if token else None
    if found is None or found["expires_at"] <= now():
        raise GatewayError(401, "GW.AUTHN", "인증에 실패했습니다.")
    bucket = buckets.setdefault(group_of(request.url.path), Bucket())
    ok, remaining = bucket.take(state["rate"], state["burst"])
    limits = {"GNCP-GW-RateLimit-Replenish-Rate": f"{state['rate']:g}",
              "GNCP-GW-RateLimit-Burst-Capacity": f"{state['burst']:g}",
              "GNCP-GW-RateLimit-Remaining": str(remaining)}
    if not ok:
        raise GatewayError(429, "GW.RATE_LIMIT", "요청이 너무 많습니다.", limits)
    return limits


def answer(data: Any, limits: dict[str, str]) -> JSONResponse:
    return JSONResponse({"timestamp": kst(now()), "traceId": uuid.uuid4().hex, "data": data},
                        headers=limits)


# ---- the data: orders, product orders, the change log ----

async def next_seq() -> int:
    doc = await db.counters.find_one_and_update({"_id": "changes"}, {"$inc": {"n": 1}},
                                                upsert=True, return_document=ReturnDocument.AFTER)
    assert doc is not None  # upserted
    return int(doc["n"])


async def change(po: dict[str, Any], kind: str) -> None:
    """Append one change row: the product order as it is now."""
    await db.changes.insert_one({
        "_id": await next_seq(), "productOrderId": po["_id"], "orderId": po["orderId"],
        "lastChangedType": kind, "lastChangedDate": now(), "paymentDate": po.get("paymentDate"),
        "productOrderStatus": po["productOrderStatus"], "claimType": po.get("claimType"),
        "claimStatus": po.get("claimStatus"), "receiverAddressChanged": False})


async def move(po_id: str, when: dict[str, Any], to: dict[str, Any],
               kind: str | None) -> dict[str, Any] | None:
    """Change a product order if it is in the state `when` names (atomic); log the change."""
    po = await db.product_orders.find_one_and_update(
        {"_id": po_id, **when}, {"$set": to}, return_document=ReturnDocument.AFTER)
    if po is not None and kind:
        await change(po, kind)
    return po


def digits16() -> str:
    return datetime.now(KST).strftime("%Y%m%d") + f"{secrets.randbelow(10**8):08d}"


# ---- Talk Checkout's own rules (PARTNERS.md §2), applied before every call ----

def rules_now() -> datetime:
    """The rules' clock: now, moved forward by `PUT /_sim/control {"advance_days"}`; what the
    rules age (requests, pick-ups, bank-transfer orders) is stamped by it. Change rows keep the
    real time (the shop polls by it)."""
    return now() + timedelta(days=state["offset_days"])


def deposit_deadline(ordered: datetime) -> datetime:
    """무통장입금: by 23:59:59 of the day after the order (Korean time)."""
    day = ordered.astimezone(KST).date() + timedelta(days=1)
    return datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=KST)


async def apply_rules() -> None:
    """A cancel request left 6 days is approved and refunded on day 7; a return not decided
    within 7 days of its pick-up is approved on day 8 (unless on hold); an unpaid bank transfer
    is cancelled after its deadline."""
    if not TALK:
        return
    at = rules_now()
    for po in await db.product_orders.find({
            "claimStatus": "CANCEL_REQUEST",
            "requested_at": {"$lte": at - timedelta(days=6)}}).to_list():
        await move(po["_id"], {"claimStatus": "CANCEL_REQUEST"}, {
            "productOrderStatus": "CANCELED", "claimStatus": "CANCEL_DONE",
            "claim.claimStatus": "CANCEL_DONE", "claim.autoApproved": True}, "CLAIM_COMPLETED")
    for po in await db.product_orders.find({
            "claimType": "RETURN", "claimStatus": "COLLECT_DONE",
            "claim.holdbackStatus": {"$ne": "HOLDBACK"},
            "collected_at": {"$lte": at - timedelta(days=7)}}).to_list():
        await move(po["_id"], {"claimStatus": "COLLECT_DONE"}, {
            "productOrderStatus": "RETURNED", "claimStatus": "RETURN_DONE",
            "claim.claimStatus": "RETURN_DONE", "claim.autoApproved": True}, "CLAIM_COMPLETED")
    for order in await db.orders.find({"paymentDate": None, "bankTransfer": True}).to_list():
        if at > deposit_deadline(order.get("rules_ordered_at") or order["orderDate"]):
            for po in await db.product_orders.find({"orderId": order["_id"]}).to_list():
                await move(po["_id"], {"productOrderStatus": "PAYMENT_WAITING"},
                           {"productOrderStatus": "CANCELED_BY_NOPAYMENT"}, "CLAIM_COMPLETED")
            await db.orders.update_one({"_id": order["_id"]}, {"$set": {"bankTransfer": False,
                                                                        "expired": True}})


# ---- the partner API ----

api = APIRouter(prefix="/external")


@api.post("/v1/oauth2/token")
async def token(client_id: str = Form(""), timestamp: str = Form(""),
                grant_type: str = Form(""), client_secret_sign: str = Form(""),
                type: str = Form("SELF")) -> JSONResponse:  # noqa: A002 (Naver's field name)
    if grant_type != "client_credentials" or client_id != settings.client_id or type != "SELF":
        raise GatewayError(401, "GW.AUTHN", "client_id 또는 grant_type이 올바르지 않습니다.")
    if not timestamp.isdigit() or abs(time.time() * 1000 - int(timestamp)) > 300_000:
        raise GatewayError(401, "GW.AUTHN", "timestamp가 유효하지 않습니다 (5분).")
    expected = bcrypt.hashpw(f"{client_id}_{timestamp}".encode(), settings.client_secret.encode())
    try:
        given = base64.standard_b64decode(client_secret_sign)
    except ValueError:
        given = b""
    if not secrets.compare_digest(given, expected):
        raise GatewayError(401, "GW.AUTHN", "client_secret_sign이 올바르지 않습니다.")
    at = now()
    current = await db.tokens.find_one({"client_id": client_id, "expires_at": {
        "$gt": at + timedelta(seconds=SAME_TOKEN_WHILE)}}, sort=[("expires_at", -1)])
    if current is None:
        current = {"_id": secrets.token_urlsafe(24), "client_id": client_id,
                   "expires_at": at + timedelta(seconds=TOKEN_SECONDS)}
        await db.tokens.insert_one(current)
    left = int((current["expires_at"] - at).total_seconds())
    return JSONResponse({"access_token": current["_id"], "expires_in": left,
                         "token_type": "Bearer"})


PREFIX = "/v1/pay-order/seller/product-orders"


@api.get(f"{PREFIX}/last-changed-statuses")
async def last_changed(request: Request, lastChangedFrom: str,  # noqa: N803 (Naver's names)
                       lastChangedTo: str | None = None, lastChangedType: str | None = None,
                       moreSequence: str | None = None, limitCount: int = 300) -> JSONResponse:
    limits = await gateway(request)
    since = parse_time(lastChangedFrom)
    until = parse_time(lastChangedTo) if lastChangedTo else since + timedelta(hours=24)
    if until - since > timedelta(hours=24) or until < since:
        raise GatewayError(400, "104139", "조회 가능한 날짜 범위를 초과했습니다.")
    limit = max(1, min(limitCount, 300))
    query: dict[str, Any] = {"lastChangedDate": {"$gte": since, "$lte": until}}
    if lastChangedType:
        query["lastChangedType"] = lastChangedType
    if moreSequence:
        if not moreSequence.isdigit():
            raise GatewayError(400, "000400", "요청이 올바르지 않습니다. (moreSequence)")
        query["_id"] = {"$gte": int(moreSequence)}
    rows = await db.changes.find(query).sort([("lastChangedDate", ASCENDING),
                                              ("_id", ASCENDING)]).limit(limit + 1).to_list()
    data: dict[str, Any] = {"lastChangeStatuses": [
        {"orderId": r["orderId"], "productOrderId": r["productOrderId"],
         "lastChangedType": r["lastChangedType"], "paymentDate": kst(r.get("paymentDate")),
         "lastChangedDate": kst(r["lastChangedDate"]),
         "productOrderStatus": r["productOrderStatus"], "claimType": r.get("claimType"),
         "claimStatus": r.get("claimStatus"), "receiverAddressChanged": False}
        for r in rows[:limit]], "count": min(len(rows), limit)}
    if len(rows) > limit:
        data["more"] = {"moreFrom": kst(rows[limit]["lastChangedDate"]),
                        "moreSequence": str(rows[limit]["_id"])}
    return answer(data, limits)


class Query(BaseModel):
    productOrderIds: list[str] = Field(min_length=1, max_length=300)  # noqa: N815
    quantityClaimCompatibility: bool = False  # noqa: N815


def detail(po: dict[str, Any], order: dict[str, Any]) -> dict[str, Any]:
    claim = po.get("claim")
    return {
        "order": {"orderId": order["_id"], "orderDate": kst(order["orderDate"]),
                  "ordererId": order["orderer"].get("ordererId", ""),
                  "ordererName": order["orderer"]["name"], "ordererTel": order["orderer"]["tel"],
                  "paymentDate": kst(order.get("paymentDate")), "paymentMeans": "신용카드 간편결제",
                  "generalPaymentAmount": order["amount"], "orderDiscountAmount": 0},
        "productOrder": {
            "productOrderId": po["_id"], "productOrderStatus": po["productOrderStatus"],
            "claimType": po.get("claimType"), "claimStatus": po.get("claimStatus"),
            "placeOrderStatus": po.get("placeOrderStatus", "NOT_YET"),
            "productId": po["productId"], "productName": po["productName"],
            "productOption": po.get("productOption", ""), "optionCode": po["sellerProductCode"],
            "sellerProductCode": po["sellerProductCode"], "unitPrice": po["unitPrice"],
            "quantity": po["quantity"], "initialQuantity": po["quantity"],
            "remainQuantity": po["quantity"], "totalProductAmount": po["unitPrice"] * po["quantity"],
            "productDiscountAmount": 0, "totalPaymentAmount": po["unitPrice"] * po["quantity"],
            "deliveryFeeAmount": po.get("deliveryFeeAmount", 0),
            "shippingAddress": order["shippingAddress"], "shippingMemo": order.get("shippingMemo", ""),
            "decisionDate": kst(po.get("decisionDate"))},
        "delivery": po.get("delivery"),
        "currentClaim": claim,
    }


@api.post(f"{PREFIX}/query")
async def query(request: Request, body: Query) -> JSONResponse:
    limits = await gateway(request)
    pos = await db.product_orders.find({"_id": {"$in": body.productOrderIds}}).to_list()
    orders = {o["_id"]: o for o in await db.orders.find(
        {"_id": {"$in": list({p["orderId"] for p in pos})}}).to_list()}
    return answer([detail(p, orders[p["orderId"]]) for p in pos], limits)


def outcome(ok: list[str], failed: list[tuple[str, str, str]]) -> dict[str, Any]:
    return {"successProductOrderIds": ok, "failProductOrderInfos": [
        {"productOrderId": i, "code": c, "message": m} for i, c, m in failed]}


def refused_now() -> bool:
    """A write the control says to refuse (as Naver does when the order changed meanwhile)."""
    if state["refuse_writes"] > 0:
        state["refuse_writes"] -= 1
        return True
    return False


async def write_each(ids: list[str], when: dict[str, Any], to: dict[str, Any],
                     kind: str | None) -> dict[str, Any]:
    ok, failed = [], []
    for po_id in ids:
        if refused_now():
            failed.append((po_id, "104442", "상품 주문 상태를 확인해 주세요."))
            continue
        if await move(po_id, when, to, kind) is not None:
            ok.append(po_id)
        elif await db.product_orders.find_one({"_id": po_id}) is None:
            failed.append((po_id, "100001", "상품 주문이 없습니다."))
        else:
            failed.append((po_id, "104442", "상품 주문 상태를 확인해 주세요."))
    return outcome(ok, failed)


class Ids(BaseModel):
    productOrderIds: list[str] = Field(min_length=1, max_length=30)  # noqa: N815


@api.post(f"{PREFIX}/confirm")
async def confirm(request: Request, body: Ids) -> JSONResponse:
    limits = await gateway(request)
    return answer(await write_each(body.productOrderIds, {"productOrderStatus": "PAYED"},
                                   {"placeOrderStatus": "OK"}, None), limits)


class DispatchItem(BaseModel):
    productOrderId: str  # noqa: N815
    deliveryMethod: str = "DELIVERY"  # noqa: N815
    deliveryCompanyCode: str = ""  # noqa: N815
    trackingNumber: str = ""  # noqa: N815
    dispatchDate: str = ""  # noqa: N815


class Dispatch(BaseModel):
    dispatchProductOrders: list[DispatchItem] = Field(min_length=1, max_length=30)  # noqa: N815


@api.post(f"{PREFIX}/dispatch")
async def dispatch(request: Request, body: Dispatch) -> JSONResponse:
    """발송 처리: PAYED → DELIVERING; a DELIVERING one again = its invoice changed."""
    limits = await gateway(request)
    ok: list[str] = []
    failed: list[tuple[str, str, str]] = []
    for item in body.dispatchProductOrders:
        if refused_now():
            failed.append((item.productOrderId, "104442", "상품 주문 상태를 확인해 주세요."))
            continue
        if not item.deliveryCompanyCode:
            failed.append((item.productOrderId, "104118", "택배사를 입력해 주세요."))
            continue
        if item.deliveryCompanyCode not in CARRIERS:
            failed.append((item.productOrderId, "104119", "택배사 코드를 확인해 주세요."))
            continue
        if not item.trackingNumber:
            failed.append((item.productOrderId, "104120", "송장 번호를 입력해 주세요."))
            continue
        delivery = {"deliveryCompany": item.deliveryCompanyCode,
                    "deliveryMethod": item.deliveryMethod, "trackingNumber": item.trackingNumber,
                    "sendDate": kst(now()), "deliveredDate": None, "deliveryStatus": "DELIVERING"}
        moved = await move(item.productOrderId, {"productOrderStatus": {
            "$in": ["PAYED", "DELIVERING"]}, "claimStatus": None},
            {"productOrderStatus": "DELIVERING", "delivery": delivery,
             "placeOrderStatus": "OK"}, "DISPATCHED")
        if moved is not None:
            ok.append(item.productOrderId)
        elif await db.product_orders.find_one({"_id": item.productOrderId}) is None:
            failed.append((item.productOrderId, "100001", "상품 주문이 없습니다."))
        else:
            failed.append((item.productOrderId, "104442", "상품 주문 상태를 확인해 주세요."))
    return answer(outcome(ok, failed), limits)


def claim_path(kind: str, action: str) -> str:
    return f"{PREFIX}/{{product_order_id}}/claim/{kind}/{action}"


async def decide(product_order_id: str, when: dict[str, Any], to: dict[str, Any],
                 kind: str | None) -> dict[str, Any]:
    return await write_each([product_order_id], when, to, kind)


@api.post(claim_path("cancel", "approve"))
async def cancel_approve(request: Request, product_order_id: str) -> JSONResponse:
    limits = await gateway(request)
    return answer(await decide(product_order_id, {"claimStatus": "CANCEL_REQUEST"}, {
        "productOrderStatus": "CANCELED", "claimStatus": "CANCEL_DONE",
        "claim.claimStatus": "CANCEL_DONE"}, "CLAIM_COMPLETED"), limits)


@api.post(claim_path("return", "approve"))
async def return_approve(request: Request, product_order_id: str) -> JSONResponse:
    limits = await gateway(request)
    return answer(await decide(product_order_id, {
        "claimStatus": {"$in": ["RETURN_REQUEST", "COLLECTING", "COLLECT_DONE"]},
        "claim.holdbackStatus": {"$ne": "HOLDBACK"}}, {
        "productOrderStatus": "RETURNED", "claimStatus": "RETURN_DONE",
        "claim.claimStatus": "RETURN_DONE"}, "CLAIM_COMPLETED"), limits)


class Reject(BaseModel):
    rejectReturnReason: str = Field(min_length=1, max_length=300)  # noqa: N815


@api.post(claim_path("return", "reject"))
async def return_reject(request: Request, product_order_id: str, body: Reject) -> JSONResponse:
    limits = await gateway(request)
    return answer(await decide(product_order_id, {
        "claimStatus": {"$in": ["RETURN_REQUEST", "COLLECTING", "COLLECT_DONE"]}}, {
        "productOrderStatus": "DELIVERED", "claimStatus": "RETURN_REJECT",
        "claim.claimStatus": "RETURN_REJECT",
        "claim.rejectReason": body.rejectReturnReason}, "CLAIM_REJECTED"), limits)


RETURN_HOLDS = {"RETURN_DELIVERYFEE", "EXTRAFEEE", "RETURN_DELIVERYFEE_AND_EXTRAFEEE",
                "RETURN_PRODUCT_NOT_DELIVERED", "ETC", "SELLER_CONFIRM_NEED",
                "PURCHASER_CONFIRM_NEED", "SELLER_REMIT", "ETC2"}
EXCHANGE_HOLDS = {"EXCHANGE_DELIVERYFEE", "EXCHANGE_EXTRAFEE", "EXCHANGE_PRODUCT_READY",
                  "EXCHANGE_PRODUCT_NOT_DELIVERED", "EXCHANGE_HOLDBACK", "ETC",
                  "SELLER_CONFIRM_NEED", "PURCHASER_CONFIRM_NEED", "SELLER_REMIT", "ETC2"}
RETURN_OPEN = ["RETURN_REQUEST", "COLLECTING", "COLLECT_DONE"]
EXCHANGE_OPEN = ["EXCHANGE_REQUEST", "COLLECTING", "COLLECT_DONE"]


class ReturnHoldback(BaseModel):
    holdbackClassType: str = Field(min_length=1, max_length=60)  # noqa: N815
    holdbackReturnDetailReason: str = Field(min_length=1, max_length=300)  # noqa: N815
    extraReturnFeeAmount: int = 0  # noqa: N815


class ExchangeHoldback(BaseModel):
    holdbackClassType: str = Field(min_length=1, max_length=60)  # noqa: N815
    holdbackExchangeDetailReason: str = Field(min_length=1, max_length=300)  # noqa: N815
    extraExchangeFeeAmount: int = 0  # noqa: N815


async def holdback(product_order_id: str, kind: str, code: str, detail: str) -> dict[str, Any]:
    if code not in (RETURN_HOLDS if kind == "RETURN" else EXCHANGE_HOLDS):
        raise GatewayError(400, "000400", f"요청이 올바르지 않습니다. (holdbackClassType {code})")
    return await decide(product_order_id, {
        "claimType": kind, "claimStatus": {"$in": RETURN_OPEN if kind == "RETURN"
                                           else EXCHANGE_OPEN},
        "claim.holdbackStatus": {"$ne": "HOLDBACK"}}, {
        "claim.holdbackStatus": "HOLDBACK", "claim.holdbackReason": code,
        "claim.holdbackDetailedReason": detail}, None)  # Naver's feed has no type for it


async def release(product_order_id: str, kind: str) -> dict[str, Any]:
    return await decide(product_order_id, {"claimType": kind,
                                           "claim.holdbackStatus": "HOLDBACK"},
                        {"claim.holdbackStatus": "RELEASED"}, "CLAIM_HOLDBACK_RELEASED")


@api.post(claim_path("return", "holdback"))
async def return_holdback(request: Request, product_order_id: str,
                          body: ReturnHoldback) -> JSONResponse:
    limits = await gateway(request)
    return answer(await holdback(product_order_id, "RETURN", body.holdbackClassType,
                                 body.holdbackReturnDetailReason), limits)


@api.post(f"{PREFIX}/{{product_order_id}}/claim/return/holdback/release")
async def return_release(request: Request, product_order_id: str) -> JSONResponse:
    limits = await gateway(request)
    return answer(await release(product_order_id, "RETURN"), limits)


@api.post(claim_path("exchange", "holdback"))
async def exchange_holdback(request: Request, product_order_id: str,
                            body: ExchangeHoldback) -> JSONResponse:
    limits = await gateway(request)
    return answer(await holdback(product_order_id, "EXCHANGE", body.holdbackClassType,
                                 body.holdbackExchangeDetailReason), limits)


@api.post(f"{PREFIX}/{{product_order_id}}/claim/exchange/holdback/release")
async def exchange_release(request: Request, product_order_id: str) -> JSONResponse:
    limits = await gateway(request)
    return answer(await release(product_order_id, "EXCHANGE"), limits)


class ExchangeReject(BaseModel):
    rejectExchangeReason: str = Field(min_length=1, max_length=300)  # noqa: N815


@api.post(claim_path("exchange", "reject"))
async def exchange_reject(request: Request, product_order_id: str,
                          body: ExchangeReject) -> JSONResponse:
    limits = await gateway(request)
    return answer(await decide(product_order_id, {"claimStatus": {"$in": EXCHANGE_OPEN},
                                                  "claimType": "EXCHANGE"}, {
        "claimStatus": "EXCHANGE_REJECT", "claim.claimStatus": "EXCHANGE_REJECT",
        "claim.rejectReason": body.rejectExchangeReason}, "CLAIM_REJECTED"), limits)


@api.post(f"{PREFIX}/{{product_order_id}}/claim/exchange/collect/approve")
async def exchange_collect_approve(request: Request, product_order_id: str) -> JSONResponse:
    """교환 수거 완료: the seller has the returned units."""
    limits = await gateway(request)
    return answer(await decide(product_order_id, {
        "claimType": "EXCHANGE", "claimStatus": {"$in": EXCHANGE_OPEN},
        "claim.holdbackStatus": {"$ne": "HOLDBACK"}}, {
        "claimStatus": "COLLECT_DONE", "claim.claimStatus": "COLLECT_DONE",
        "claim.collectStatus": "DELIVERED"}, "COLLECT_DONE"), limits)


class ExchangeDispatch(BaseModel):
    reDeliveryMethod: str = Field(min_length=1, max_length=40)  # noqa: N815
    reDeliveryCompany: str = Field(default="", max_length=20)  # noqa: N815
    reDeliveryTrackingNumber: str = Field(default="", max_length=40)  # noqa: N815


@api.post(f"{PREFIX}/{{product_order_id}}/claim/exchange/dispatch")
async def exchange_dispatch(request: Request, product_order_id: str,
                            body: ExchangeDispatch) -> JSONResponse:
    """교환 재배송: the replacement leaves (after the collection was approved)."""
    limits = await gateway(request)
    if body.reDeliveryMethod == "DELIVERY" and (body.reDeliveryCompany not in CARRIERS
                                                or not body.reDeliveryTrackingNumber):
        return answer(outcome([], [(product_order_id, "104119" if body.reDeliveryCompany
                                    not in CARRIERS else "104120",
                                    "택배사 코드 또는 송장 번호를 확인해 주세요.")]), limits)
    return answer(await decide(product_order_id, {
        "claimType": "EXCHANGE", "claimStatus": "COLLECT_DONE",
        "claim.holdbackStatus": {"$ne": "HOLDBACK"}}, {
        "claimStatus": "EXCHANGE_REDELIVERING", "claim.claimStatus": "EXCHANGE_REDELIVERING",
        "claim.reDeliveryCompany": body.reDeliveryCompany,
        "claim.reDeliveryTrackingNumber": body.reDeliveryTrackingNumber},
        "CLAIM_REDELIVERING"), limits)


class SellerCancel(BaseModel):
    cancelReason: Literal["INTENT_CHANGED", "COLOR_AND_SIZE", "WRONG_ORDER",  # noqa: N815
                          "PRODUCT_UNSATISFIED", "DELAYED_DELIVERY", "SOLD_OUT",
                          "INCORRECT_INFO"]
    cancelDetailedReason: str = Field(default="", max_length=500)  # noqa: N815
    cancelQuantity: StrictInt | None = Field(default=None, ge=1)  # noqa: N815


@api.post(claim_path("cancel", "request"))
async def cancel_request(request: Request, product_order_id: str,
                         body: SellerCancel) -> JSONResponse:
    """취소 요청 by the seller: a CANCEL_REQUEST the seller then approves."""
    limits = await gateway(request)
    claim = new_claim("CANCEL", body.cancelReason, body.cancelDetailedReason, "판매자")
    return answer(await decide(product_order_id, {"productOrderStatus": "PAYED",
                                                  "claimStatus": None}, {
        "claimType": "CANCEL", "claimStatus": "CANCEL_REQUEST", "claim": claim,
        "requested_at": rules_now()},
        "CLAIM_REQUESTED"), limits)


class SellerReturn(BaseModel):
    returnReason: str = Field(min_length=1, max_length=40)  # noqa: N815
    collectDeliveryMethod: str = Field(min_length=1, max_length=40)  # noqa: N815
    collectDeliveryCompany: str = Field(default="", max_length=20)  # noqa: N815
    collectTrackingNumber: str = Field(default="", max_length=40)  # noqa: N815
    returnQuantity: StrictInt | None = Field(default=None, ge=1)  # noqa: N815


@api.post(claim_path("return", "request"))
async def return_request(request: Request, product_order_id: str,
                         body: SellerReturn) -> JSONResponse:
    """반품 요청 by the seller (e.g. the buyer asked by phone)."""
    limits = await gateway(request)
    claim = new_claim("RETURN", body.returnReason, "", "판매자")
    return answer(await decide(product_order_id, {
        "productOrderStatus": {"$in": ["DELIVERING", "DELIVERED"]}, "claimStatus": None}, {
        "claimType": "RETURN", "claimStatus": "RETURN_REQUEST", "claim": claim,
        "requested_at": rules_now()},
        "CLAIM_REQUESTED"), limits)


def new_claim(kind: str, reason: str, detail: str, channel: str) -> dict[str, Any]:
    return {"claimType": kind, "claimId": uuid.uuid4().hex[:16],
            "claimStatus": f"{kind}_REQUEST", "claimRequestDate": kst(now()),
            "requestChannel": channel, "claimReason": reason, "claimDetailedReason": detail,
            "collectStatus": "NOT_REQUESTED", "holdbackStatus": None}


# ---- the shop's button, the buyer, the courier, the seller's Naver center ----

sim = APIRouter(prefix="/_sim", tags=["not Naver's API"])


class Item(BaseModel):
    productId: str = Field(min_length=1, max_length=64)  # noqa: N815
    sellerProductCode: str = Field(min_length=1, max_length=64)  # noqa: N815
    productName: str = Field(min_length=1, max_length=200)  # noqa: N815
    productOption: str = Field(default="", max_length=200)  # noqa: N815
    unitPrice: StrictInt = Field(ge=0, le=100_000_000)  # noqa: N815
    quantity: StrictInt = Field(ge=1, le=999)


class Registration(BaseModel):
    items: list[Item] = Field(min_length=1, max_length=100)
    deliveryFeeAmount: StrictInt = Field(default=0, ge=0, le=1_000_000)  # noqa: N815
    returnUrl: str = Field(max_length=500)  # noqa: N815
    orderer: dict[str, str]
    shippingAddress: dict[str, str]  # noqa: N815
    shippingMemo: str = Field(default="", max_length=500)  # noqa: N815


@sim.post("/orders", status_code=201)
async def register(body: Registration) -> dict[str, str]:
    """A cart registered through the shop's Naver Pay button: PAYMENT_WAITING until paid."""
    order_id = digits16()
    at = now()
    amount = sum(i.unitPrice * i.quantity for i in body.items) + body.deliveryFeeAmount
    await db.orders.insert_one({"_id": order_id, "orderDate": at, "orderer": body.orderer,
                                "shippingAddress": body.shippingAddress,
                                "shippingMemo": body.shippingMemo, "amount": amount,
                                "returnUrl": body.returnUrl, "paymentDate": None,
                                "rules_ordered_at": rules_now()})
    for n, item in enumerate(body.items):
        po = {"_id": f"{order_id[:8]}{secrets.randbelow(10**8):08d}", "orderId": order_id,
              **item.model_dump(), "deliveryFeeAmount": body.deliveryFeeAmount if n == 0 else 0,
              "productOrderStatus": "PAYMENT_WAITING", "placeOrderStatus": "NOT_YET",
              "claimType": None, "claimStatus": None, "claim": None, "delivery": None}
        await db.product_orders.insert_one(po)
        await change(po, "PAY_WAITING")
    return {"orderId": order_id, "checkoutUrl": f"{settings.public_url}/{SLUG}/checkout/{order_id}"}


PAGE = """<!doctype html><html lang="ko"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>{brand} 결제</title>
<style>body{{margin:0;font-family:'NanumGothic','Nanum Gothic',sans-serif;background:#f2f4f3;color:#1e2320;display:flex;justify-content:center;padding:48px 16px}}
.box{{background:#fff;border-radius:14px;box-shadow:0 6px 24px #1e232020;width:420px;max-width:100%;overflow:hidden}}
.top{{background:{color};color:{ink};padding:18px 24px;font-weight:800;font-size:18px}}
.body{{padding:20px 24px 24px}}table{{width:100%;border-collapse:collapse;font-size:14px}}
td{{padding:8px 0;border-bottom:1px solid #eceeed}}td.n{{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}}
.sub{{color:#7b837f;font-size:12px}}.total{{display:flex;justify-content:space-between;font-size:20px;font-weight:800;margin:18px 0}}
button{{width:100%;font:inherit;font-size:17px;font-weight:800;padding:14px;border:0;border-radius:9px;background:{color};color:{ink};cursor:pointer}}
button.alt{{background:#fff;color:#1e2320;border:1px solid #d5d9d7;margin-top:8px}}
.note{{font-size:12px;color:#7b837f;text-align:center;margin:14px 0 0}}</style></head><body><div class="box">
<div class="top">{logo} 결제</div><div class="body"><table>{rows}
<tr><td>배송비</td><td class="n">{fee:,}원</td></tr></table>
<div class="total"><span>결제금액</span><span id="{slug}-amount">{amount:,}원</span></div>
{action}<p class="note">{brand} 시뮬레이터입니다. 실제로 결제되지 않습니다.</p></div></div></body></html>"""


SLUG = "talkcheckout" if TALK else "naverpay"
BRAND = {"brand": "톡체크아웃", "logo": "TALK 체크아웃", "color": "#fee500", "ink": "#191919",
         "slug": "talk"} if TALK else {"brand": "네이버페이", "logo": "N Pay", "color": "#03c75a",
                                       "ink": "#fff", "slug": "naverpay"}
pages = APIRouter(prefix=f"/{SLUG}", tags=["the buyer's page"])


@pages.get("/checkout/{order_id}", response_class=HTMLResponse)
async def checkout_page(order_id: str) -> str:
    order = await db.orders.find_one({"_id": order_id})
    if order is None:
        raise GatewayError(404, "GW.NOT_FOUND", "주문이 없습니다.")
    items = await db.product_orders.find({"orderId": order_id}).sort("_id").to_list()
    rows = "".join(
        f"<tr><td>{html.escape(p['productName'])}<div class=\"sub\">"
        f"{html.escape(p.get('productOption') or '')} × {p['quantity']}</div></td>"
        f"<td class=\"n\">{p['unitPrice'] * p['quantity']:,}원</td></tr>" for p in items)
    waiting = all(p["productOrderStatus"] == "PAYMENT_WAITING" for p in items)
    slug, base = BRAND["slug"], f"/{SLUG}/checkout/{html.escape(order_id)}"
    if order.get("expired"):
        action = f"<p id=\"{slug}-expired\">입금 기한이 지나 취소된 주문입니다.</p>"
    elif order.get("bankTransfer") and waiting:
        action = (f"<p id=\"{slug}-deposit\">입금 대기 중: {html.escape(order['virtualAccount'])}"
                  f" (기한 {deposit_deadline(order['rules_ordered_at']).strftime('%m/%d %H:%M')})</p>")
    elif waiting:
        bank = (f"<form method=\"post\" action=\"{base}/bank\"><button class=\"alt\" "
                f"id=\"{slug}-bank\">무통장입금</button></form>" if TALK else "")
        action = (f"<form method=\"post\" action=\"{base}/pay\"><button id=\"{slug}-pay\">"
                  f"결제하기</button></form>{bank}")
    else:
        action = f"<p id=\"{slug}-done\">결제가 완료된 주문입니다.</p>"
    return PAGE.format(rows=rows, fee=sum(p.get("deliveryFeeAmount", 0) for p in items),
                       amount=order["amount"], action=action, **BRAND)


@pages.post("/checkout/{order_id}/bank")
async def bank_transfer(order_id: str) -> RedirectResponse:
    """Talk Checkout's 무통장입금: a virtual account, paid by the deadline or cancelled."""
    if not TALK:
        raise GatewayError(404, "GW.NOT_FOUND", "지원하지 않는 결제수단입니다.")
    account = f"카카오뱅크 3333-{secrets.randbelow(10**4):04d}-{secrets.randbelow(10**6):06d}"
    order = await db.orders.find_one_and_update(
        {"_id": order_id, "paymentDate": None, "expired": {"$ne": True}},
        {"$set": {"bankTransfer": True, "virtualAccount": account}},
        return_document=ReturnDocument.AFTER)
    if order is None:
        raise GatewayError(409, "104442", "결제할 수 없는 주문입니다.")
    return RedirectResponse(order["returnUrl"], status_code=303)


@pages.post("/checkout/{order_id}/pay")
async def pay(order_id: str) -> RedirectResponse:
    await apply_rules()
    order = await db.orders.find_one_and_update(
        {"_id": order_id, "paymentDate": None, "expired": {"$ne": True}},
        {"$set": {"paymentDate": now(), "bankTransfer": False}},
        return_document=ReturnDocument.AFTER)
    if order is None:
        order = await db.orders.find_one({"_id": order_id})
        if order is None:
            raise GatewayError(404, "GW.NOT_FOUND", "주문이 없습니다.")
        return RedirectResponse(order["returnUrl"], status_code=303)
    for p in await db.product_orders.find({"orderId": order_id}).sort("_id").to_list():
        await move(p["_id"], {"productOrderStatus": "PAYMENT_WAITING"},
                   {"productOrderStatus": "PAYED", "paymentDate": order["paymentDate"]}, "PAYED")
    return RedirectResponse(order["returnUrl"], status_code=303)


async def sim_move(po_id: str, when: dict[str, Any], to: dict[str, Any],
                   kind: str | None) -> dict[str, Any]:
    po = await move(po_id, when, to, kind)
    if po is None:
        found = await db.product_orders.find_one({"_id": po_id})
        raise GatewayError(404 if found is None else 409, "104442",
                           "상품 주문 상태를 확인해 주세요." if found else "상품 주문이 없습니다.")
    return po


@sim.post("/orders/{order_id}/deposit")
async def deposit(order_id: str) -> dict[str, Any]:
    """The buyer paid into the virtual account (Talk Checkout's bank transfer)."""
    await apply_rules()
    order = await db.orders.find_one({"_id": order_id, "bankTransfer": True,
                                      "paymentDate": None})
    if order is None:
        raise GatewayError(409, "104442", "입금 대기 중인 주문이 아닙니다.")
    await pay(order_id)
    return {"orderId": order_id, "paid": True}


@sim.post("/product-orders/{po_id}/deliver")
async def deliver(po_id: str) -> dict[str, Any]:
    """The courier delivered: no change row (Naver's feed has no type for it)."""
    return await sim_move(po_id, {"productOrderStatus": "DELIVERING"}, {
        "productOrderStatus": "DELIVERED", "delivery.deliveredDate": kst(now()),
        "delivery.deliveryStatus": "DELIVERY_COMPLETION"}, None)


@sim.post("/product-orders/{po_id}/decide")
async def purchase_decided(po_id: str) -> dict[str, Any]:
    return await sim_move(po_id, {"productOrderStatus": {"$in": ["DELIVERING", "DELIVERED"]},
                                  "claimStatus": None},
                          {"productOrderStatus": "PURCHASE_DECIDED", "decisionDate": now()},
                          "PURCHASE_DECIDED")


class CenterDispatch(BaseModel):
    deliveryCompanyCode: str = Field(min_length=1, max_length=20)  # noqa: N815
    trackingNumber: str = Field(min_length=1, max_length=40)  # noqa: N815


@sim.post("/product-orders/{po_id}/center-dispatch")
async def center_dispatch(po_id: str, body: CenterDispatch) -> dict[str, Any]:
    """The seller shipped in Naver's own center (its invoice never reaches the shop)."""
    delivery = {"deliveryCompany": body.deliveryCompanyCode, "deliveryMethod": "DELIVERY",
                "trackingNumber": body.trackingNumber, "sendDate": kst(now()),
                "deliveredDate": None, "deliveryStatus": "DELIVERING"}
    return await sim_move(po_id, {"productOrderStatus": "PAYED", "claimStatus": None},
                          {"productOrderStatus": "DELIVERING", "delivery": delivery},
                          "DISPATCHED")


class BuyerClaim(BaseModel):
    claimType: Literal["CANCEL", "RETURN", "EXCHANGE"]  # noqa: N815
    claimReason: str = Field(default="INTENT_CHANGED", max_length=40)  # noqa: N815
    claimDetailedReason: str = Field(default="", max_length=500)  # noqa: N815


@sim.post("/product-orders/{po_id}/claim")
async def buyer_claim(po_id: str, body: BuyerClaim) -> dict[str, Any]:
    allowed = {"CANCEL": ["PAYED"], "RETURN": ["DELIVERING", "DELIVERED"],
               "EXCHANGE": ["DELIVERING", "DELIVERED"]}[body.claimType]
    status = f"{body.claimType}_REQUEST"
    claim = new_claim(body.claimType, body.claimReason, body.claimDetailedReason, "구매자")
    return await sim_move(po_id, {"productOrderStatus": {"$in": allowed}, "claimStatus": None},
                          {"claimType": body.claimType, "claimStatus": status, "claim": claim,
                           "requested_at": rules_now()}, "CLAIM_REQUESTED")


@sim.post("/product-orders/{po_id}/collect-done")
async def collect_done(po_id: str) -> dict[str, Any]:
    return await sim_move(po_id, {"claimStatus": {"$in": ["RETURN_REQUEST", "EXCHANGE_REQUEST",
                                                          "COLLECTING"]}},
                          {"claimStatus": "COLLECT_DONE", "claim.claimStatus": "COLLECT_DONE",
                           "claim.collectStatus": "DELIVERED", "collected_at": rules_now()},
                          "COLLECT_DONE")


@sim.get("/product-orders/{po_id}")
async def product_order(po_id: str) -> dict[str, Any]:
    po = await db.product_orders.find_one({"_id": po_id})
    if po is None:
        raise GatewayError(404, "GW.NOT_FOUND", "상품 주문이 없습니다.")
    return po


@sim.get("/orders/{order_id}")
async def order_of(order_id: str) -> dict[str, Any]:
    order = await db.orders.find_one({"_id": order_id})
    if order is None:
        raise GatewayError(404, "GW.NOT_FOUND", "주문이 없습니다.")
    pos = await db.product_orders.find({"orderId": order_id}).sort("_id").to_list()
    return {**order, "productOrders": pos}


@sim.get("/control")
async def control_state() -> dict[str, Any]:
    """The faults set, and how many calls each API group received."""
    return {**state, "calls": dict(calls)}


@sim.put("/control")
async def control(body: Control) -> dict[str, Any]:
    for key in ("rate", "burst", "fail_next", "delay_ms", "refuse_writes"):
        value = getattr(body, key)
        if value is not None:
            state[key] = value
    if body.rate is not None or body.burst is not None:
        buckets.clear()
    if body.expire_tokens:
        await db.tokens.update_many({}, {"$set": {"expires_at": now()}})
    if body.advance_days is not None:
        state["offset_days"] += body.advance_days
        await apply_rules()
    return dict(state)


app = FastAPI(title=f"{BRAND['brand']} simulator", description="The Naver Commerce API as a "
              "local partner (and, with Talk Checkout's rules, Talk Checkout): signed-secret "
              "tokens, the change feed, details, dispatch, claims")
app.include_router(api)
app.include_router(pages)
app.include_router(sim)


@app.exception_handler(GatewayError)
async def refused(_request: Request, exc: GatewayError) -> JSONResponse:
    return JSONResponse({"code": exc.code, "message": exc.message, "timestamp": kst(now()),
                         "traceId": uuid.uuid4().hex}, status_code=exc.status,
                        headers=exc.headers)


@app.middleware("http")
async def trace_id(request: Request, call_next: Any) -> Response:
    response: Response = await call_next(request)
    response.headers.setdefault("GNCP-GW-Trace-ID", uuid.uuid4().hex)
    return response


@app.get("/health")
async def health() -> dict[str, str]:
    await client.admin.command("ping")
    return {"service": f"{SLUG}-simulator", "status": "ok"}
