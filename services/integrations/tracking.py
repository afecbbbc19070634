"""Carrier tracking (배송조회, PARTNERS.md §5): "delivered" learnt from the carrier.

In: orders' `SectionStatusChanged` to SHIPPING with a carrier and an invoice records a tracked
parcel (collection `parcels`, one per order and section); `InvoiceChanged` (송장 변경) restarts it
with the new invoice, its old events dropped. Orders of a simple-pay channel (ids `np-`, `tc-`)
are not tracked here: their partner reports delivery. A section that leaves SHIPPING by other
means (delivered by hand, cancelled) stops its parcel's polling.

Polling: one replica at a time (lease `tracking-poll`) polls the due parcels through the GraphQL
`track` query. With TRACKING_CALLBACK_URL set, each shipped parcel is also registered for
tracker.delivery's Cloud webhook (`registerTrackWebhook`, a durable partner task `TRACKER/
webhook`); a callback carries only the carrier and the invoice and no signature (§5.3), so it
is a hint: it makes the parcel due now and the next poll reads the truth. Polling stays the
fallback for a lost callback. The first poll comes `first_poll_seconds` after shipping, the next
ones ever later (doubling while nothing new is scanned, at most `max_interval_seconds`; a new
scan brings the pace back). NOT_FOUND is "not scanned yet" (the API cannot tell it from a wrong
number) and, like a failing tracker, only delays the next poll. The parcel's events are stored
as the tracker gives them; a DELIVERED `lastEvent` (it wins over later scans) ends the polling
and emits `ParcelDelivered` in the same transaction, which the orders service applies. A parcel
not delivered `give_up_days` after shipping is flagged `stale` and no longer polled.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

import httpx
from fastapi import APIRouter
from faststream.kafka import KafkaBroker
from faststream.middlewares import AckPolicy
from pydantic import BaseModel, Field
from pymongo import ASCENDING

from contracts import topics
from contracts.integrations.v1 import ParcelDelivered
from contracts.orders.v1 import InvoiceChanged, SectionStatus, SectionStatusChanged
from integrations.outbound import PartnerUnavailable
from integrations.partner_tasks import PartnerTasks, runner_key
from integrations.settings import IntegrationsSettings
from kit.clock import Clock
from kit.inbox import by_type, handle_once, wanted_event
from kit.lease import Lease
from kit.store import Store, Tx

log = logging.getLogger("integrations.tracking")
CONSUMER = "integrations.tracking"
PARTNER_PREFIXES = ("np-", "tc-")  # simple-pay orders: their partner reports delivery
ORDERS_TYPES: dict[str, type[SectionStatusChanged | InvoiceChanged]] = by_type(
    SectionStatusChanged, InvoiceChanged)
ParcelState = Literal["TRACKING", "DELIVERED", "STALE", "CLOSED", "UNSUPPORTED"]
# TrackEventStatusCode (tracker.delivery's schema).
STATUS_CODES = ("UNKNOWN", "INFORMATION_RECEIVED", "AT_PICKUP", "IN_TRANSIT", "OUT_FOR_DELIVERY",
                "ATTEMPT_FAIL", "DELIVERED", "AVAILABLE_FOR_PICKUP", "EXCEPTION")
ALERTS = ("ATTEMPT_FAIL", "EXCEPTION")
TRACK_QUERY = """query Track($carrierId: ID!, $trackingNumber: String!) {
  track(carrierId: $carrierId, trackingNumber: $trackingNumber) {
    trackingNumber
    lastEvent { time status { code name } description }
    events(last: 50) { edges { node { time status { code name } location { name } description } } }
  }
}"""
REGISTER_MUTATION = """mutation Register($input: RegisterTrackWebhookInput!) {
  registerTrackWebhook(input: $input)
}"""
PARTNER = "TRACKER"


@dataclass(frozen=True)
class Carrier:
    """One row of the carrier table: our name ↔ tracker.delivery's id ↔ the carrier's own
    tracking page (`{invoice}` is replaced by the invoice number)."""

    name: str
    tracker_id: str
    page: str

    def page_url(self, invoice_no: str) -> str:
        return self.page.format(invoice=invoice_no)


CARRIER_TABLE: dict[str, Carrier] = {c.name: c for c in (
    Carrier("CJ대한통운", "kr.cjlogistics",
            "https://trace.cjlogistics.com/next/tracking.html?wblNo={invoice}"),
    Carrier("우체국택배", "kr.epost",
            "https://service.epost.go.kr/trace.RetrieveDomRigiTraceList.comm?sid1={invoice}"),
    Carrier("한진택배", "kr.hanjin",
            "https://www.hanjin.com/kor/CMS/DeliveryMgr/WaybillResult.do?mCode=MN038"
            "&schLang=KR&wblnumText2={invoice}"),
    Carrier("롯데택배", "kr.lotte",
            "https://www.lotteglogis.com/home/reservation/tracking/linkView?InvNo={invoice}"),
    Carrier("로젠택배", "kr.logen", "https://www.ilogen.com/web/personal/trace/{invoice}"),
)}


class TrackerUnavailable(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Schedule:
    first_seconds: float
    max_seconds: float
    give_up: timedelta

    def delay(self, quiet_polls: int) -> timedelta:
        """How long after a poll the next comes: `first_seconds` after shipping (0 polls),
        doubling with each poll that saw nothing new, at most `max_seconds`."""
        return timedelta(seconds=min(self.max_seconds,
                                     self.first_seconds * 2 ** min(quiet_polls, 32)))

    def stale(self, started_at: datetime, now: datetime) -> bool:
        return now - started_at >= self.give_up


def schedule_of(s: IntegrationsSettings) -> Schedule:
    return Schedule(s.tracking_first_poll_seconds, s.tracking_max_interval_seconds,
                    timedelta(days=s.tracking_give_up_days))


class TrackEvent(BaseModel):
    time: datetime
    code: str = Field(description="TrackEventStatusCode: AT_PICKUP, IN_TRANSIT, DELIVERED, ...")
    name: str = Field(default="", description="The tracker's own name of the status")
    location: str = ""
    description: str = ""


class Tracked(BaseModel):
    """What one `track` answer says: every event (oldest first) and the last one, where a
    DELIVERED event wins over later scans (tracker.delivery's rule)."""

    events: list[TrackEvent]
    last: TrackEvent | None

    @property
    def delivered(self) -> TrackEvent | None:
        return self.last if self.last is not None and self.last.code == "DELIVERED" else None


def _event(raw: dict[str, Any]) -> TrackEvent:
    status = raw.get("status") or {}
    code = str(status.get("code") or "UNKNOWN")
    return TrackEvent(time=datetime.fromisoformat(str(raw["time"])),
                      code=code if code in STATUS_CODES else "UNKNOWN",
                      name=str(status.get("name") or ""),
                      location=str((raw.get("location") or {}).get("name") or ""),
                      description=str(raw.get("description") or "")[:200])


def parse_track(answer: dict[str, Any]) -> Tracked | None:
    """A GraphQL answer → what it tracked; None for NOT_FOUND (not scanned yet, or a wrong
    number); TrackerUnavailable for any other error."""
    errors = answer.get("errors") or []
    track = (answer.get("data") or {}).get("track")
    if track is None:
        codes = {str((e.get("extensions") or {}).get("code")) for e in errors}
        if "NOT_FOUND" in codes or not errors:
            return None
        raise TrackerUnavailable("; ".join(f"{(e.get('extensions') or {}).get('code')}: "
                                           f"{e.get('message')}" for e in errors))
    edges = ((track.get("events") or {}).get("edges")) or []
    events = sorted((_event(e["node"]) for e in edges if e and e.get("node")),
                    key=lambda e: e.time)
    raw_last = track.get("lastEvent")
    last = _event(raw_last) if raw_last else (events[-1] if events else None)
    if last is not None and last.code != "DELIVERED":
        # lastEvent may omit the location: the full event from the list when it is there.
        last = next((e for e in reversed(events) if e.time == last.time and e.code == last.code),
                    last)
    return Tracked(events=events, last=last)


class TrackerApi:
    """The tracker's GraphQL endpoint, over one connection pool (a poll is many calls)."""

    def __init__(self, url: str, client_id: str, client_secret: str) -> None:
        self.url = url
        self.http = httpx.AsyncClient(timeout=10, headers={
            "Authorization": f"TRACKQL-API-KEY {client_id}:{client_secret}"})

    async def _post(self, body: dict[str, Any]) -> dict[str, Any]:
        try:
            resp = await self.http.post(self.url, json=body)
        except httpx.TransportError as exc:
            raise TrackerUnavailable(f"unreachable: {exc!r}") from exc
        if resp.status_code != 200:
            raise TrackerUnavailable(f"HTTP {resp.status_code}")
        try:
            answer = resp.json()
        except ValueError as exc:
            raise TrackerUnavailable("answer is not JSON") from exc
        return dict(answer)

    async def track(self, carrier_id: str, tracking_number: str) -> Tracked | None:
        return parse_track(await self._post({
            "query": TRACK_QUERY,
            "variables": {"carrierId": carrier_id, "trackingNumber": tracking_number}}))

    async def register_webhook(self, carrier_id: str, tracking_number: str, callback_url: str,
                               until: datetime) -> None:
        answer = await self._post({"query": REGISTER_MUTATION, "variables": {"input": {
            "carrierId": carrier_id, "trackingNumber": tracking_number,
            "callbackUrl": callback_url, "expirationTime": until.isoformat()}}})
        if (answer.get("data") or {}).get("registerTrackWebhook") is not True:
            errors = answer.get("errors") or [{}]
            raise TrackerUnavailable(f"webhook not registered: {errors[0].get('message')}")


class ParcelView(BaseModel):
    section_id: str
    carrier: str
    carrier_id: str
    invoice_no: str
    state: ParcelState
    last_status: str = ""
    delivered_at: datetime | None = None
    tracking_url: str = Field(default="", description="The carrier's own tracking page")
    polls: int = Field(default=0, description="Calls to the tracker for this invoice")
    failures: int = Field(default=0, description="Of which failed (the tracker unreachable)")
    webhook_until: datetime | None = Field(
        default=None, description="The tracker announces this parcel's scans until then")
    events: list[TrackEvent]


class OrderTracking(BaseModel):
    order_id: str
    parcels: list[ParcelView]


class TrackerCallback(BaseModel):
    carrierId: str = Field(min_length=1, max_length=64)  # noqa: N815 (the tracker's names)
    trackingNumber: str = Field(min_length=1, max_length=64)  # noqa: N815


def parcel_id(order_id: str, section_id: str) -> str:
    return f"{order_id}|{section_id}"


class Tracking:
    def __init__(self, store: Store, settings: IntegrationsSettings, clock: Clock,
                 tasks: PartnerTasks, api: TrackerApi | None = None) -> None:
        self.store = store
        self.clock = clock
        self.tasks = tasks
        self.callback_url = settings.tracking_callback_url
        self.webhook_for = timedelta(hours=settings.tracking_webhook_hours)
        tasks.runners[runner_key(PARTNER, "webhook")] = self._register_webhook
        self._wake = asyncio.Event()
        self.schedule = schedule_of(settings)
        self.tick = settings.tracking_tick_seconds
        self.batch = settings.tracking_batch
        self.api = api or TrackerApi(settings.tracking_api_url, settings.tracking_client_id,
                                     settings.tracking_client_secret)
        self.lease = Lease(store.db.leases, "tracking-poll", seconds=max(10.0, self.tick * 4))

    async def ensure_indexes(self) -> None:
        await self.store.db.parcels.create_index([("state", ASCENDING),
                                                  ("next_poll_at", ASCENDING)])
        await self.store.db.parcels.create_index([("order_id", ASCENDING)])

    # ---- in: our shipping ----

    def register(self, broker: KafkaBroker) -> None:
        @broker.subscriber(topics.ORDERS_EVENTS, group_id=CONSUMER, auto_offset_reset="earliest",
                           ack_policy=AckPolicy.NACK_ON_ERROR,
                           title=f"{topics.ORDERS_EVENTS}:{CONSUMER}",
                           description="Track the parcels of shipped sections at their carrier")
        async def on_orders(body: dict[str, Any]) -> None:
            order_id = str(body.get("order_id", "")) if isinstance(body, dict) else ""
            if not order_id or order_id.startswith(PARTNER_PREFIXES):
                return
            event = await wanted_event(broker, CONSUMER, self.store.producer, body, ORDERS_TYPES)
            if event is None:
                return
            if isinstance(event, InvoiceChanged) or event.to_status is SectionStatus.SHIPPING:
                await handle_once(self.store, broker, CONSUMER, event, self.start)
            elif event.from_status is SectionStatus.SHIPPING:
                await handle_once(self.store, broker, CONSUMER, event, self.close)

    async def start(self, tx: Tx, e: SectionStatusChanged | InvoiceChanged) -> None:
        """A parcel shipped (or its invoice corrected): tracking starts over with it."""
        if not (e.carrier.strip() and e.invoice_no.strip()):
            return
        now = self.clock.now()
        carrier = CARRIER_TABLE.get(e.carrier)
        await tx.db.parcels.replace_one({"_id": parcel_id(e.order_id, e.section_id)}, {
            "order_id": e.order_id, "section_id": e.section_id, "carrier": e.carrier,
            "carrier_id": carrier.tracker_id if carrier else "", "invoice_no": e.invoice_no,
            "state": "TRACKING" if carrier else "UNSUPPORTED", "events": [], "last_status": "",
            "quiet_polls": 0, "polls": 0, "failures": 0, "started_at": now, "updated_at": now,
            "next_poll_at": now + self.schedule.delay(0), "delivered_at": None,
            "webhook_until": None,
        }, upsert=True, session=tx.session)
        if carrier and self.callback_url:
            await self._ask_webhook(tx, e.order_id, e.section_id, carrier.tracker_id,
                                    e.invoice_no, e.event_id)

    async def _ask_webhook(self, tx: Tx, order_id: str, section_id: str, carrier_id: str,
                           invoice_no: str, cause: str) -> None:
        await self.tasks.add(tx, f"tracker-webhook.{cause}", PARTNER, "webhook", order_id, {
            "section_id": section_id, "carrier_id": carrier_id, "invoice_no": invoice_no})

    async def _register_webhook(self, task: dict[str, Any]) -> dict[str, Any]:
        body = task["body"]
        until = self.clock.now() + self.webhook_for
        try:
            await self.api.register_webhook(body["carrier_id"], body["invoice_no"],
                                            self.callback_url, until)
        except TrackerUnavailable as exc:
            raise PartnerUnavailable(PARTNER, exc.message) from exc
        await self.store.db.parcels.update_one(
            {"_id": parcel_id(task["order_id"], body["section_id"]),
             "invoice_no": body["invoice_no"], "state": "TRACKING"},
            {"$set": {"webhook_until": until}})
        return {"until": until.isoformat()}

    async def _renew_webhook(self, parcel: dict[str, Any], now: datetime) -> None:
        """Registered again before it lapses (re-registering moves the expiry)."""
        async def work(tx: Tx) -> None:
            moved = await tx.db.parcels.update_one(
                {"_id": parcel["_id"], "webhook_until": parcel["webhook_until"]},
                {"$set": {"webhook_until": None}}, session=tx.session)
            if moved.modified_count == 1:
                await self._ask_webhook(tx, parcel["order_id"], parcel["section_id"],
                                        parcel["carrier_id"], parcel["invoice_no"],
                                        f"renew-{parcel['section_id']}-{int(now.timestamp())}")

        await self.store.transaction(work)

    async def hint(self, carrier_id: str, invoice_no: str) -> int:
        """A callback said the parcel has news: due now (the poll reads what it is)."""
        moved = await self.store.db.parcels.update_many(
            {"state": "TRACKING", "carrier_id": carrier_id, "invoice_no": invoice_no},
            {"$set": {"next_poll_at": self.clock.now()}})
        if moved.modified_count:
            self._wake.set()
        return moved.modified_count

    async def close(self, tx: Tx, e: SectionStatusChanged) -> None:
        """The section left SHIPPING here (delivered by hand, cancelled, or by our own
        ParcelDelivered): nothing more to learn from the carrier."""
        await tx.db.parcels.update_one(
            {"_id": parcel_id(e.order_id, e.section_id), "state": "TRACKING"},
            {"$set": {"state": "CLOSED", "updated_at": self.clock.now()}}, session=tx.session)

    # ---- polling ----

    async def run(self) -> None:
        while True:
            try:
                if await self.lease.hold():
                    await self.poll_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("tracking poll failed; going on")
            self._wake.clear()
            try:  # a callback on this replica wakes the poll early
                await asyncio.wait_for(self._wake.wait(), self.tick)
            except TimeoutError:
                pass

    async def poll_once(self, limit: int | None = None) -> int:
        """Poll the due parcels (at most `tracking_batch`); returns how many were found
        delivered."""
        limit = limit or self.batch
        now = self.clock.now()
        due = [d async for d in self.store.db.parcels.find(
            {"state": "TRACKING", "next_poll_at": {"$lte": now}}).sort(
            "next_poll_at", ASCENDING).limit(limit)]
        delivered = 0
        for parcel in due:
            delivered += await self.poll_parcel(parcel, now)
        return delivered

    async def poll_parcel(self, parcel: dict[str, Any], now: datetime) -> int:
        if self.schedule.stale(parcel["started_at"], now):
            await self.store.db.parcels.update_one(
                {"_id": parcel["_id"], "invoice_no": parcel["invoice_no"], "state": "TRACKING"},
                {"$set": {"state": "STALE", "updated_at": now}})
            log.warning("parcel %s (%s %s) not delivered after %s: stale", parcel["_id"],
                        parcel["carrier"], parcel["invoice_no"], self.schedule.give_up)
            return 0
        until = parcel.get("webhook_until")
        if self.callback_url and until is not None and until - now < self.webhook_for / 4:
            await self._renew_webhook(parcel, now)
        try:
            tracked = await self.api.track(parcel["carrier_id"], parcel["invoice_no"])
        except TrackerUnavailable as exc:
            log.warning("tracking %s: %s", parcel["_id"], exc.message)
            await self.store.db.parcels.update_one(
                {"_id": parcel["_id"], "invoice_no": parcel["invoice_no"], "state": "TRACKING"},
                {"$set": {"next_poll_at": now + self.schedule.delay(parcel["quiet_polls"] + 1),
                          "quiet_polls": parcel["quiet_polls"] + 1, "updated_at": now,
                          "last_error": exc.message[:200]},
                 "$inc": {"failures": 1, "polls": 1}})
            return 0
        events = [e.model_dump() for e in tracked.events] if tracked else []
        news = len(events) > len(parcel.get("events") or [])
        quiet = 0 if news else parcel["quiet_polls"] + 1
        done = tracked.delivered if tracked else None
        if news and tracked and tracked.last and tracked.last.code in ALERTS:
            # PARTNERS.md §5.3: a failed attempt or an exception at the carrier wants a person.
            log.warning("parcel %s (%s %s): %s at the carrier: %s", parcel["_id"],
                        parcel["carrier"], parcel["invoice_no"], tracked.last.code,
                        tracked.last.description)
        fields: dict[str, Any] = {
            "events": events or parcel.get("events") or [],
            "last_status": tracked.last.code if tracked and tracked.last else "",
            "quiet_polls": quiet, "updated_at": now, "last_error": "",
            "next_poll_at": now + self.schedule.delay(quiet)}
        if done is None:
            await self.store.db.parcels.update_one(
                {"_id": parcel["_id"], "invoice_no": parcel["invoice_no"], "state": "TRACKING"},
                {"$set": fields, "$inc": {"polls": 1}})
            return 0

        async def deliver(tx: Tx) -> int:
            moved = await tx.db.parcels.update_one(
                {"_id": parcel["_id"], "invoice_no": parcel["invoice_no"], "state": "TRACKING"},
                {"$set": {**fields, "state": "DELIVERED", "delivered_at": done.time},
                 "$inc": {"polls": 1}},
                session=tx.session)
            if moved.modified_count != 1:
                return 0  # restarted with another invoice, or closed, meanwhile
            tx.emit(ParcelDelivered(key=parcel["order_id"], order_id=parcel["order_id"],
                                    section_id=parcel["section_id"], carrier=parcel["carrier"],
                                    invoice_no=parcel["invoice_no"], delivered_at=done.time))
            return 1

        return await self.store.transaction(deliver)

    # ---- out: the pages ----

    async def of_order(self, order_id: str) -> OrderTracking:
        docs = [d async for d in self.store.db.parcels.find({"order_id": order_id}).sort(
            "section_id", ASCENDING)]
        parcels = []
        for d in docs:
            carrier = CARRIER_TABLE.get(d["carrier"])
            parcels.append(ParcelView(
                section_id=d["section_id"], carrier=d["carrier"], carrier_id=d["carrier_id"],
                invoice_no=d["invoice_no"], state=d["state"], last_status=d.get("last_status", ""),
                delivered_at=d.get("delivered_at"),
                tracking_url=carrier.page_url(d["invoice_no"]) if carrier else "",
                polls=d.get("polls", 0), failures=d.get("failures", 0),
                webhook_until=d.get("webhook_until"),
                events=[TrackEvent(**e) for e in d.get("events") or []]))
        return OrderTracking(order_id=order_id, parcels=parcels)


def router(tracking: Tracking) -> APIRouter:
    r = APIRouter(tags=["carrier tracking"])

    @r.get("/tracking/{order_id}")
    async def of_order(order_id: str) -> OrderTracking:
        """The tracked parcels of an order (one per shipped section), with the carrier's
        events, oldest first; an order never shipped has none."""
        return await tracking.of_order(order_id)

    @r.post("/webhooks/tracker")
    async def callback(body: TrackerCallback) -> dict[str, int]:
        """tracker.delivery's webhook: unsigned, ids only, so only a hint — the parcel is
        polled now and what the tracker answers is what counts. A callback for a parcel not
        tracked here changes nothing."""
        return {"parcels": await tracking.hint(body.carrierId, body.trackingNumber)}

    @r.post("/tracking-sync", status_code=200)
    async def poll_now() -> dict[str, int]:
        """Poll the due parcels now (operators; the poller does it every
        TRACKING_TICK_SECONDS)."""
        return {"delivered": await tracking.poll_once()}

    return r
