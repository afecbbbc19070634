"""A local carrier tracking simulator in tracker.delivery's shape (PARTNERS.md §5.1), a process
of its own.

- `POST /graphql` answers `track(carrierId, trackingNumber)` with `TrackInfo {trackingNumber,
  lastEvent, events(last) {edges {node}}}`; `TrackEvent {time, status {code name}, location
  {name}, description}`. `lastEvent` prefers a DELIVERED event even when a later one exists.
  The body is `{"query", "variables"}`; the query must select `track` (this is no general
  GraphQL engine: the selection is always answered whole). Errors are GraphQL errors, HTTP 200:
  `{"data": {"track": null}, "errors": [{"message", "extensions": {"code"}}]}` with NOT_FOUND
  (an invoice never scanned, like the real one: it cannot tell a wrong number from a parcel not
  scanned yet) or BAD_REQUEST (an unknown carrier, no variables); INTERNAL for a set fault.
- Auth: `Authorization: TRACKQL-API-KEY {clientId}:{clientSecret}`, else 401. A token bucket
  per credential, else 429 `RATE_LIMITED`.

- `mutation { registerTrackWebhook(input: {carrierId, trackingNumber, callbackUrl,
  expirationTime}) }` → `{"data": {"registerTrackWebhook": true}}` (tracker.delivery's Cloud
  API): every later scan of that parcel is announced by `POST {callbackUrl}` with only
  `{"carrierId", "trackingNumber"}` (unsigned, as there: the listener must call `track`), tried
  a few times on failure; registering again moves the expiry, an expiry in the past deletes it.

Not tracker.delivery's API (what the courier does): `POST /_sim/parcels` registers a parcel;
`POST /_sim/parcels/{carrierId}/{trackingNumber}/events` scans it (AT_PICKUP, IN_TRANSIT,
OUT_FOR_DELIVERY, DELIVERED, ...); `PUT /_sim/control` fails the next N calls (HTTP 500) or
sets the bucket; `GET /_sim/control` tells how many `track` calls came.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from datetime import UTC, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

import httpx
from fastapi import APIRouter, BackgroundTasks, FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, StrictInt
from pymongo import AsyncMongoClient

from simulators.tracker.settings import TrackerSimSettings

KST = ZoneInfo("Asia/Seoul")
settings = TrackerSimSettings()
client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(settings.mongodb_url, tz_aware=True)
db = client[settings.database]

# TrackEventStatusCode, with the names tracker.delivery gives in Korean.
STATUS_NAMES = {"UNKNOWN": "알 수 없음", "INFORMATION_RECEIVED": "상품 준비중", "AT_PICKUP": "상품 인수",
                "IN_TRANSIT": "상품 이동중", "OUT_FOR_DELIVERY": "배송 출발", "ATTEMPT_FAIL": "배송 실패",
                "DELIVERED": "배송 완료", "AVAILABLE_FOR_PICKUP": "픽업 가능", "EXCEPTION": "배송 이상"}
CARRIERS = {"kr.cjlogistics", "kr.epost", "kr.hanjin", "kr.lotte", "kr.logen", "kr.lotte.global",
            "kr.epost.ems", "kr.ilyanglogis", "kr.kdexp", "kr.daesin", "kr.chunilps", "kr.cvsnet"}
StatusCode = Literal["UNKNOWN", "INFORMATION_RECEIVED", "AT_PICKUP", "IN_TRANSIT",
                     "OUT_FOR_DELIVERY", "ATTEMPT_FAIL", "DELIVERED", "AVAILABLE_FOR_PICKUP",
                     "EXCEPTION"]


class Bucket:
    def __init__(self) -> None:
        self.tokens = state["burst"]
        self.at = time.monotonic()

    def take(self) -> bool:
        t = time.monotonic()
        self.tokens = min(state["burst"], self.tokens + (t - self.at) * state["rate"])
        self.at = t
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


log = logging.getLogger("simulators.tracker")
state: dict[str, Any] = {"rate": settings.rate, "burst": settings.burst, "fail_next": 0,
                         "track_calls": 0, "callbacks_sent": 0, "callbacks_failed": 0}
buckets: dict[str, Bucket] = {}


def gql_error(code: str, message: str) -> dict[str, Any]:
    return {"data": {"track": None},
            "errors": [{"message": message, "path": ["track"], "extensions": {"code": code}}]}


def kst_text(at: datetime) -> str:
    return at.astimezone(KST).isoformat(timespec="seconds")


def node(e: dict[str, Any]) -> dict[str, Any]:
    return {"time": kst_text(e["time"]),
            "status": {"code": e["code"], "name": STATUS_NAMES[e["code"]]},
            "location": {"countryCode": "KR", "postalCode": None, "name": e["location"]},
            "contact": None, "description": e["description"]}


def last_event(events: list[dict[str, Any]]) -> dict[str, Any] | None:
    """tracker.delivery's rule: a DELIVERED event wins over anything scanned after it."""
    delivered = [e for e in events if e["code"] == "DELIVERED"]
    pick = delivered[-1] if delivered else (events[-1] if events else None)
    return node(pick) if pick else None


TRACK = re.compile(r"^\s*(query\b[^{]*)?\{\s*track\s*\(([^)]*)\)", re.S)
REGISTER = re.compile(r"^\s*mutation\b[^{]*\{\s*registerTrackWebhook\s*\(", re.S)
# An argument given inline (`carrierId: "kr.epost"`) rather than as `$carrierId`.
LITERAL = re.compile(r'(carrierId|trackingNumber)\s*:\s*"([^"]*)"')


api = APIRouter()


@api.post("/graphql")
async def graphql(request: Request) -> JSONResponse:
    key = request.headers.get("authorization", "")
    if key != f"TRACKQL-API-KEY {settings.client_id}:{settings.client_secret}":
        return JSONResponse({"errors": [{"message": "Unauthorized",
                                         "extensions": {"code": "UNAUTHENTICATED"}}]},
                            status_code=401)
    if not buckets.setdefault(key, Bucket()).take():
        return JSONResponse({"errors": [{"message": "Too many requests",
                                         "extensions": {"code": "RATE_LIMITED"}}]},
                            status_code=429)
    state["track_calls"] += 1
    if state["fail_next"] > 0:
        state["fail_next"] -= 1
        return JSONResponse(gql_error("INTERNAL", "Internal error"), status_code=500)
    try:
        body = await request.json()
    except ValueError:
        return JSONResponse(gql_error("BAD_REQUEST", "body is not JSON"), status_code=400)
    query = body.get("query") if isinstance(body, dict) else None
    variables = (body.get("variables") or {}) if isinstance(body, dict) else {}
    if isinstance(query, str) and REGISTER.search(query) and isinstance(variables, dict):
        return JSONResponse(await register_webhook(variables.get("input")))
    found = TRACK.search(query) if isinstance(query, str) else None
    if found is None:
        return JSONResponse(gql_error("BAD_REQUEST", "only Query.track is served here"))
    if not isinstance(variables, dict):
        return JSONResponse(gql_error("BAD_REQUEST", "variables must be an object"))
    variables = {**dict(LITERAL.findall(found.group(2))), **variables}
    carrier, number = variables.get("carrierId"), variables.get("trackingNumber")
    if not isinstance(carrier, str) or not isinstance(number, str) or not number:
        return JSONResponse(gql_error("BAD_REQUEST", "carrierId and trackingNumber are required"))
    if carrier not in CARRIERS:
        return JSONResponse(gql_error("BAD_REQUEST", f"Unknown carrier: {carrier}"))
    parcel = await db.parcels.find_one({"_id": f"{carrier}|{number}"})
    events = (parcel or {}).get("events") or []
    if not events:
        return JSONResponse(gql_error("NOT_FOUND", "Tracking information not found"))
    return JSONResponse({"data": {"track": {
        "trackingNumber": number, "lastEvent": last_event(events),
        "events": {"edges": [{"node": node(e)} for e in events[-50:]]}}}})


def mutation_error(code: str, message: str) -> dict[str, Any]:
    return {"data": {"registerTrackWebhook": None},
            "errors": [{"message": message, "path": ["registerTrackWebhook"],
                        "extensions": {"code": code}}]}


async def register_webhook(given: Any) -> dict[str, Any]:
    if not isinstance(given, dict):
        return mutation_error("BAD_REQUEST", "input is required")
    carrier, number = given.get("carrierId"), given.get("trackingNumber")
    url, expires = given.get("callbackUrl"), given.get("expirationTime")
    if carrier not in CARRIERS or not isinstance(number, str) or not number:
        return mutation_error("BAD_REQUEST", "a known carrierId and a trackingNumber are required")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        return mutation_error("BAD_REQUEST", "callbackUrl must be an http(s) URL")
    try:
        until = datetime.fromisoformat(str(expires))
    except ValueError:
        return mutation_error("BAD_REQUEST", "expirationTime must be an ISO 8601 date-time")
    if until.tzinfo is None:
        return mutation_error("BAD_REQUEST", "expirationTime needs a time zone")
    _id = f"{carrier}|{number}"
    if until <= datetime.now(UTC):
        await db.webhooks.delete_one({"_id": _id})
    else:
        await db.webhooks.replace_one({"_id": _id}, {"callback_url": url, "expires_at": until},
                                      upsert=True)
    return {"data": {"registerTrackWebhook": True}}


async def announce(carrier_id: str, tracking_number: str) -> None:
    """The Cloud API's callback: ids only, a few tries with a pause."""
    hook = await db.webhooks.find_one({"_id": f"{carrier_id}|{tracking_number}"})
    if hook is None or hook["expires_at"] <= datetime.now(UTC):
        return
    body = {"carrierId": carrier_id, "trackingNumber": tracking_number}
    async with httpx.AsyncClient(timeout=5) as http:
        for attempt in range(5):
            try:
                resp = await http.post(hook["callback_url"], json=body)
                if resp.status_code < 300:
                    state["callbacks_sent"] += 1
                    return
            except httpx.TransportError as exc:
                log.warning("callback %s: %s", hook["callback_url"], exc)
            await asyncio.sleep(0.2 * 2**attempt)
    state["callbacks_failed"] += 1


class Parcel(BaseModel):
    carrierId: str = Field(min_length=1, max_length=64)  # noqa: N815 (tracker.delivery's names)
    trackingNumber: str = Field(min_length=1, max_length=64)  # noqa: N815


class Scan(BaseModel):
    code: StatusCode
    description: str = Field(default="", max_length=200)
    location: str = Field(default="", max_length=100)
    time: datetime | None = None


class Control(BaseModel):
    fail_next: StrictInt | None = Field(default=None, ge=0, le=10_000)
    rate: float | None = Field(default=None, gt=0, le=10_000)
    burst: float | None = Field(default=None, ge=1, le=20_000)


sim = APIRouter(prefix="/_sim")


@sim.post("/parcels", status_code=201)
async def register(body: Parcel) -> dict[str, Any]:
    """The courier took the parcel in (no scan yet: `track` still answers NOT_FOUND)."""
    _id = f"{body.carrierId}|{body.trackingNumber}"
    await db.parcels.update_one({"_id": _id}, {"$setOnInsert": {"events": []}}, upsert=True)
    return {"id": _id}


@sim.post("/parcels/{carrier_id}/{tracking_number}/events", status_code=201)
async def scan(carrier_id: str, tracking_number: str, body: Scan,
               background: BackgroundTasks) -> dict[str, Any]:
    event = {"code": body.code, "description": body.description or STATUS_NAMES[body.code],
             "location": body.location, "time": body.time or datetime.now(UTC)}
    await db.parcels.update_one({"_id": f"{carrier_id}|{tracking_number}"},
                                {"$push": {"events": event}}, upsert=True)
    background.add_task(announce, carrier_id, tracking_number)
    return {"scanned": body.code}


@sim.get("/control")
async def control_state() -> dict[str, Any]:
    return dict(state)


@sim.put("/control")
async def control(body: Control) -> dict[str, Any]:
    for k in ("fail_next", "rate", "burst"):
        value = getattr(body, k)
        if value is not None:
            state[k] = value
    if body.rate is not None or body.burst is not None:
        buckets.clear()
    return dict(state)


app = FastAPI(title="Carrier tracking simulator",
              description="tracker.delivery's GraphQL `track` as a local partner")
app.include_router(api)
app.include_router(sim)


@app.get("/health")
async def health() -> dict[str, str]:
    await client.admin.command("ping")
    return {"service": "tracker-simulator", "status": "ok"}
