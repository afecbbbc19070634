"""Naver Pay orders, synced both ways (SPEC §10, PARTNERS.md §1.4, §1.9).

In: Naver has no webhooks. One replica at a time (lease `naverpay-poll`) polls the changed
product orders since a durable cursor, re-reading an overlap window each time (the feed can lag)
and deduping rows on (productOrderId, lastChangedDate, lastChangedType). A change is only a hint:
the adapter reads the product orders' details and acts on what they say now. A paid order new to
us becomes `ChannelOrderReceived` (orders records it, paid, with Naver's amounts); a line Naver
moved forward becomes `PartnerStatusReported`. Delivery completion writes no change row at Naver,
so the details of every line we know as shipping are read again on each poll. Each order's rows,
its lines' state and its events commit in one transaction: an adapter killed mid-poll re-reads
the window and doubles nothing.

Out: our section shipped (orders' `SectionStatusChanged` to SHIPPING, not reported by Naver)
→ a durable `dispatch` task (partner_tasks.py) with Naver's delivery company code; a second
shipping of the same lines with another invoice dispatches again (the invoice change).
Shipping info entered in Naver's own center is never copied here: the line moves to 배송중
without an invoice, flagged `shipped_outside`.

Checkout: `POST /channel-checkouts` registers the buyer's cart at Naver and answers the checkout
URL; the member who started it is kept, so their order shows in their my page (it still never
counts toward the cumulative purchase: SIMPLE_PAY).
"""

from __future__ import annotations

import asyncio
import logging
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import httpx
from fastapi import APIRouter
from faststream.kafka import KafkaBroker
from faststream.middlewares import AckPolicy
from pydantic import BaseModel, ConfigDict, Field, StrictInt
from pymongo import ASCENDING

from contracts import topics
from contracts.claims.v1 import ReasonCode
from contracts.envelope import Actor
from contracts.integrations.v1 import (
    ChannelOrderReceived,
    PartnerClaimClosed,
    PartnerClaimRequested,
    PartnerStatusReported,
)
from contracts.orders.v1 import (
    Buyer,
    Channel,
    InvoiceChanged,
    PaymentMethod,
    PlaceOrder,
    PlaceOrderLine,
    SectionStatus,
    SectionStatusChanged,
    ShipTo,
)
from integrations import naverpay
from integrations.naverpay import CARRIER_CODES, RANK, NaverPayApi, PartnerUnavailable
from integrations.partner_tasks import PartnerTasks, Refused, runner_key
from integrations.settings import IntegrationsSettings
from kit.errors import NotFound
from kit.inbox import by_type, handle_once, wanted_event
from kit.lease import Lease
from kit.store import Store, Tx

log = logging.getLogger("integrations.channel_sync")
SimplePay = Literal["NAVERPAY", "TALKCHECKOUT"]


@dataclass(frozen=True)
class SimplePayChannel:
    """One simple-pay partner behind the port: who it is, our ids and collections for it, and
    where and how often to reach it (settings)."""

    partner: SimplePay
    name: str  # as the admin shows it
    prefix: str  # of our order ids: np-<partner order id>
    ns: str  # of our collections: naver_product_orders, ...
    api_url: str
    client_id: str
    client_secret: str
    order_register_url: str
    poll_seconds: float
    overlap_seconds: float
    first_window_seconds: float

    def order_id_of(self, partner_order_id: str) -> str:
        """Our order id for the partner's: the same on every replica and every poll."""
        return f"{self.prefix}{partner_order_id}"

    @property
    def consumer(self) -> str:
        return f"integrations.{self.partner.lower()}"


def naverpay_channel(s: IntegrationsSettings) -> SimplePayChannel:
    return SimplePayChannel(
        "NAVERPAY", "네이버페이", "np-", "naver", s.naverpay_api_url, s.naverpay_client_id,
        s.naverpay_client_secret, s.naverpay_order_register_url, s.naverpay_poll_seconds,
        s.naverpay_overlap_seconds, s.naverpay_first_window_seconds)


def talkcheckout_channel(s: IntegrationsSettings) -> SimplePayChannel:
    """Talk Checkout has no public API (PARTNERS.md §2): the same order model as Naver's,
    served by our simulator, so a platform partner's adapter replaces this by configuration."""
    return SimplePayChannel(
        "TALKCHECKOUT", "톡체크아웃", "tc-", "talk", s.talkcheckout_api_url,
        s.talkcheckout_client_id, s.talkcheckout_client_secret,
        s.talkcheckout_order_register_url, s.talkcheckout_poll_seconds,
        s.naverpay_overlap_seconds, s.naverpay_first_window_seconds)
ORDERS_TYPES: dict[str, type[SectionStatusChanged | InvoiceChanged]] = by_type(
    SectionStatusChanged, InvoiceChanged)
CLOSED_NOTE = {"COMPLETED": "{name}에서 처리 완료", "REJECTED": "{name}에서 거부 또는 철회"}


class CheckoutLine(BaseModel):
    sku_id: str = Field(min_length=1, max_length=64)
    product_id: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=200)
    option_label: str = Field(default="", max_length=200)
    unit_price: StrictInt = Field(ge=0, le=100_000_000)
    quantity: StrictInt = Field(ge=1, le=999)


class ChannelCheckout(BaseModel):
    """A cart the buyer pays with Naver Pay (priced by the gateway from the catalogue)."""

    model_config = ConfigDict(extra="forbid")

    partner: SimplePay = "NAVERPAY"
    member_id: str = Field(default="", max_length=64)
    lines: list[CheckoutLine] = Field(min_length=1, max_length=100)
    shipping_fee: StrictInt = Field(ge=0, le=1_000_000)
    buyer: Buyer
    ship_to: ShipTo
    memo: str = Field(default="", max_length=500)
    return_url: str = Field(max_length=500)


class CheckoutStarted(BaseModel):
    partner_order_id: str
    checkout_url: str


class PartnerLine(BaseModel):
    product_order_id: str
    line_id: str
    reported: str = Field(description="The last status Naver reported for the line here")
    dispatched: dict[str, str] | None = Field(default=None, description="Our invoice as sent")
    shipped_outside: bool = False


class PartnerOrder(BaseModel):
    partner: str
    partner_order_id: str
    lines: list[PartnerLine]
    one_way: str = Field(description="What does not sync: shipping info entered in Naver's "
                                      "own center")


class ChannelSync:
    def __init__(self, store: Store, channel: SimplePayChannel, tasks: PartnerTasks,
                 api: NaverPayApi | None = None) -> None:
        self.store = store
        self.channel = channel
        self.tasks = tasks
        self.api = api or NaverPayApi(channel.api_url, channel.client_id, channel.client_secret,
                                      partner=channel.partner)
        self.lease = Lease(store.db.leases, f"{channel.partner.lower()}-poll", seconds=max(
            10.0, channel.poll_seconds * 4))
        self.system = Actor(kind="system", id="integrations", name=f"{channel.name} 연동")
        tasks.runners[runner_key(channel.partner, "dispatch")] = self.run_dispatch
        tasks.runners[runner_key(channel.partner, "confirm")] = self.run_confirm
        tasks.on_done[runner_key(channel.partner, "dispatch")] = self.dispatched

    def col(self, db: Any, name: str) -> Any:
        """This partner's collection `name` (naver_product_orders, talk_product_orders, ...)."""
        return db[f"{self.channel.ns}_{name}"]

    async def ensure_indexes(self) -> None:
        db = self.store.db
        await self.col(db, "changes_seen").create_index([("at", ASCENDING)], expireAfterSeconds=7 * 86400)
        await self.col(db, "product_orders").create_index([("order_id", ASCENDING)])
        await self.col(db, "product_orders").create_index([("reported", ASCENDING)])

    # ---- in: polling ----

    async def run(self) -> None:
        while True:
            try:
                if await self.lease.hold():
                    await self.poll_once()
            except asyncio.CancelledError:
                raise
            except PartnerUnavailable as exc:
                log.warning("%s poll: %s", self.channel.partner, exc.message)
            except Exception:
                log.exception("%s poll failed; going on", self.channel.partner)
            await asyncio.sleep(self.channel.poll_seconds)

    async def poll_once(self) -> int:
        """One poll: returns how many events it emitted."""
        db = self.store.db
        now = datetime.now(UTC)
        cursor = await self.col(db, "cursor").find_one({"_id": self.channel.partner})
        rows: list[dict[str, Any]] = []
        for since, until in windows((cursor or {}).get("since"), now, self.channel):
            rows += await self.api.changes(since, until)
        keys = {row_key(r): r for r in rows}
        seen = {d["_id"] async for d in self.col(db, "changes_seen").find(
            {"_id": {"$in": list(keys)}}, {"_id": 1})}
        fresh = [r for k, r in keys.items() if k not in seen]
        shipping = [d["_id"] async for d in self.col(db, "product_orders").find(
            {"$or": [{"reported": SectionStatus.SHIPPING.value}, {"claim_wait": True}]},
            {"_id": 1}).limit(3000)]
        wanted = list(dict.fromkeys([str(r["productOrderId"]) for r in fresh] + shipping))
        details = await self.api.details(wanted) if wanted else []
        by_order: dict[str, list[dict[str, Any]]] = {}
        for d in details:
            by_order.setdefault(str(d["order"]["orderId"]), []).append(d)
        fresh_by_order: dict[str, list[str]] = {}
        for k, r in keys.items():
            if k not in seen:
                fresh_by_order.setdefault(str(r["orderId"]), []).append(k)
        emitted = 0
        for partner_order_id in dict.fromkeys([*by_order, *fresh_by_order]):
            async def work(tx: Tx, p: str = partner_order_id) -> int:
                return await self._apply(tx, p, by_order.get(p, []), fresh_by_order.get(p, []),
                                         now)

            emitted += await self.store.transaction(work)
        await self.col(db, "cursor").update_one({"_id": self.channel.partner}, {"$set": {"since": now}},
                                         upsert=True)
        return emitted

    async def _apply(self, tx: Tx, partner_order_id: str, details: list[dict[str, Any]],
                     row_keys: list[str], now: datetime) -> int:
        """One Naver order, in one transaction: its change rows seen, its lines' state, its
        events."""
        db, s = tx.db, tx.session
        for k in row_keys:
            await self.col(db, "changes_seen").update_one({"_id": k}, {"$setOnInsert": {"at": now}},
                                                   upsert=True, session=s)
        if not details:
            return 0
        order_id = self.channel.order_id_of(partner_order_id)
        known = {d["_id"]: d async for d in self.col(db, "product_orders").find(
            {"order_id": order_id}, session=s)}
        if not known:
            paid = [d for d in details if naverpay.ours(d["productOrder"]) is not None]
            if not paid:
                return 0  # not paid yet: an order here only once Naver holds the money
            return await self._create(tx, partner_order_id, order_id, details)
        emitted = 0
        reported: set[str] = set()
        for d in details:
            po = d["productOrder"]
            mine = known.get(str(po["productOrderId"]))
            to = naverpay.ours(po)
            if mine is None or to not in RANK:
                continue  # claims: below
            before = SectionStatus(mine["reported"])
            if RANK.get(before, 0) >= RANK[to]:
                continue
            outside = to is SectionStatus.SHIPPING and not mine.get("dispatched")
            moved = await self.col(db, "product_orders").update_one(
                {"_id": mine["_id"], "reported": before.value},
                {"$set": {"reported": to.value, "updated_at": now,
                          **({"shipped_outside": True} if outside else {})}}, session=s)
            if moved.modified_count != 1:
                continue  # another poll reported it meanwhile
            tx.emit(PartnerStatusReported(key=order_id, order_id=order_id, partner=self.channel.partner,
                                          line_ids=[mine["line_id"]], to_status=to,
                                          shipped_outside=outside))
            reported.add(mine["_id"])
            emitted += 1
        for d in details:
            mine = known.get(str(d["productOrder"]["productOrderId"]))
            if mine is not None:
                emitted += await self._claim(tx, order_id, mine, d, wait=mine["_id"] in reported)
        return emitted

    async def _claim(self, tx: Tx, order_id: str, mine: dict[str, Any], detail: dict[str, Any],
                     wait: bool) -> int:
        """A claim on one product order, as Naver has it now: a buyer's new request opens one
        here; one Naver closed by itself closes ours."""
        status = str(detail["productOrder"].get("claimStatus") or "")
        claim = detail.get("currentClaim") or {}
        claim_id = str(claim.get("claimId") or "")
        if not claim_id:
            return 0
        db, s = tx.db, tx.session
        if claim_id != mine.get("claim_id"):
            if mine.get("claim_ours"):  # the seller's claim, asked at Naver: Naver's id for it
                await self.col(db, "product_orders").update_one(
                    {"_id": mine["_id"]}, {"$set": {"claim_id": claim_id, "claim_closed": claim_id},
                                           "$unset": {"claim_ours": ""}}, session=s)
                return 0
            kind = naverpay.REQUESTS.get(status)
            if kind is None:
                log.warning("%s %s: claim %s first seen as %s; not opened here",
                            mine["_id"], claim_id, status)
                return 0
            if wait:  # its status report goes first: the claim follows on the next poll
                await self.col(db, "product_orders").update_one(
                    {"_id": mine["_id"]}, {"$set": {"claim_wait": True}}, session=s)
                return 0
            await self.col(db, "product_orders").update_one(
                {"_id": mine["_id"]}, {"$set": {"claim_id": claim_id, "claim_wait": False}},
                session=s)
            tx.emit(PartnerClaimRequested(
                key=order_id, order_id=order_id, partner=self.channel.partner, partner_claim_id=claim_id,
                kind=kind, line_ids=[mine["line_id"]],
                reason_code=naverpay.REASONS.get(str(claim.get("claimReason")),
                                                 ReasonCode.OTHER),
                reason=str(claim.get("claimDetailedReason") or "")[:500]))
            return 1
        outcome: Literal["COMPLETED", "REJECTED"] | None = (
            "COMPLETED" if status in naverpay.CLAIM_DONE
            else "REJECTED" if status in naverpay.CLAIM_REJECTED else None)
        if outcome is None or mine.get("claim_closed") == claim_id:
            return 0
        await self.col(db, "product_orders").update_one(
            {"_id": mine["_id"]}, {"$set": {"claim_closed": claim_id}}, session=s)
        tx.emit(PartnerClaimClosed(key=order_id, order_id=order_id, partner=self.channel.partner,
                                   partner_claim_id=claim_id, outcome=outcome,
                                   note=CLOSED_NOTE[outcome].format(name=self.channel.name)))
        return 1

    async def _create(self, tx: Tx, partner_order_id: str, order_id: str,
                      details: list[dict[str, Any]]) -> int:
        details = sorted(details, key=lambda d: str(d["productOrder"]["productOrderId"]))
        order = details[0]["order"]
        first = details[0]["productOrder"]
        address = first.get("shippingAddress") or {}
        checkout = await self.col(tx.db, "checkouts").find_one({"_id": partner_order_id},
                                                        session=tx.session) or {}
        lines = [PlaceOrderLine(
            sku_id=str(d["productOrder"]["sellerProductCode"]),
            product_id=str(d["productOrder"].get("productId") or
                           d["productOrder"]["sellerProductCode"]),
            name=str(d["productOrder"]["productName"])[:200],
            option_label=str(d["productOrder"].get("productOption") or "")[:200],
            unit_price=int(d["productOrder"]["unitPrice"]),
            quantity=int(d["productOrder"]["quantity"])) for d in details]
        items = sum(x.unit_price * x.quantity for x in lines)
        fee = sum(int(d["productOrder"].get("deliveryFeeAmount") or 0) for d in details)
        paid = int(order.get("generalPaymentAmount") or sum(
            int(d["productOrder"].get("totalPaymentAmount") or 0) for d in details) + fee)
        phone = _phone(str(order.get("ordererTel") or address.get("tel1") or ""))
        cmd = PlaceOrder(
            order_id=order_id, channel=Channel(self.channel.partner),
            payment_method=PaymentMethod(self.channel.partner),
            buyer=Buyer(member_id=str(checkout.get("member_id", "")),
                        name=str(order.get("ordererName") or address.get("name") or "-")[:50],
                        phone=phone),
            ship_to=ShipTo(name=str(address.get("name") or "-")[:50],
                           phone=_phone(str(address.get("tel1") or phone)),
                           zipcode=str(address.get("zipCode") or "00000"),
                           address1=str(address.get("baseAddress") or "-")[:200],
                           address2=str(address.get("detailedAddress") or "")[:200]),
            lines=lines, shipping_fee=fee, discount=max(0, items + fee - paid),
            memo=str(first.get("shippingMemo") or "")[:500], actor=self.system,
            idempotency_key=f"{self.channel.partner.lower()}:{partner_order_id}")
        now = datetime.now(UTC)
        for n, d in enumerate(details, start=1):
            po = d["productOrder"]
            await self.col(tx.db, "product_orders").insert_one(
                {"_id": str(po["productOrderId"]), "order_id": order_id,
                 "partner_order_id": partner_order_id, "line_id": f"L{n}",
                 "reported": SectionStatus.PREPARING.value, "dispatched": None,
                 "created_at": now}, session=tx.session)
        tx.emit(ChannelOrderReceived(
            key=order_id, order_id=order_id, partner=self.channel.partner, partner_order_id=partner_order_id,
            order=cmd, paid_amount=paid,
            partner_line_ids=[str(d["productOrder"]["productOrderId"]) for d in details]))
        # A line Naver already moved on (a late first poll) follows at once.
        emitted = 1
        for n, d in enumerate(details, start=1):
            to = naverpay.ours(d["productOrder"])
            if to in RANK and RANK[to] > RANK[SectionStatus.PREPARING]:
                await self.col(tx.db, "product_orders").update_one(
                    {"_id": str(d["productOrder"]["productOrderId"])},
                    {"$set": {"reported": to.value, "shipped_outside": to is SectionStatus.SHIPPING}},
                    session=tx.session)
                tx.emit(PartnerStatusReported(
                    key=order_id, order_id=order_id, partner=self.channel.partner, line_ids=[f"L{n}"],
                    to_status=to, shipped_outside=to is SectionStatus.SHIPPING))
                emitted += 1
        return emitted

    # ---- out: our shipping ----

    def register(self, broker: KafkaBroker) -> None:
        @broker.subscriber(topics.ORDERS_EVENTS, group_id=self.channel.consumer,
                           auto_offset_reset="earliest", ack_policy=AckPolicy.NACK_ON_ERROR,
                           title=f"{topics.ORDERS_EVENTS}:{self.channel.consumer}",
                           description=f"Confirm and ship {self.channel.partner} lines at the "
                                       "partner when the seller does it here")
        async def on_orders(body: dict[str, Any]) -> None:
            if not (isinstance(body, dict) and str(body.get("order_id", "")).startswith(self.channel.prefix)):
                return  # only Naver Pay orders (our ids for them start with np-)
            event = await wanted_event(broker, self.channel.consumer, self.store.producer, body,
                                       ORDERS_TYPES)
            if event is None or event.actor.kind == "partner":
                return
            if isinstance(event, InvoiceChanged) or event.to_status is SectionStatus.SHIPPING:
                await handle_once(self.store, broker, self.channel.consumer, event, self.ship)
            elif event.to_status is SectionStatus.READY_TO_SHIP:
                await handle_once(self.store, broker, self.channel.consumer, event, self.confirm)

    async def _targets(self, tx: Tx, e: SectionStatusChanged | InvoiceChanged) -> list[str]:
        lines = {i.line_id for i in e.items}
        return [d["_id"] async for d in self.col(tx.db, "product_orders").find(
            {"order_id": e.order_id, "line_id": {"$in": list(lines)}}, {"_id": 1},
            session=tx.session)]

    async def confirm(self, tx: Tx, e: SectionStatusChanged) -> None:
        """배송대기 here = 발주 확인 at Naver (the seller took the order on)."""
        targets = await self._targets(tx, e)
        if targets:
            await self.tasks.add(tx, f"confirm.{e.event_id}", self.channel.partner, "confirm", e.order_id,
                                 {"productOrderIds": targets})

    async def run_confirm(self, task: dict[str, Any]) -> dict[str, Any]:
        answer = await self.api.confirm(task["body"]["productOrderIds"])
        failed = answer.get("failProductOrderInfos") or []
        if failed:
            # Already shipped or claimed there meanwhile: a confirmation is moot, not a failure
            # that needs an operator; it is kept on the task's answer.
            log.info("%s confirm: %s", self.channel.partner, failed)
        return answer

    async def ship(self, tx: Tx, e: SectionStatusChanged | InvoiceChanged) -> None:
        """Our shipping (or its corrected invoice: 송장 변경 = dispatch again) → Naver's 발송 처리."""
        targets = await self._targets(tx, e)
        if not targets:
            return
        body = {"dispatchProductOrders": [{
            "productOrderId": po, "deliveryMethod": "DELIVERY",
            "deliveryCompanyCode": CARRIER_CODES.get(e.carrier, "CH1"),
            "trackingNumber": e.invoice_no, "dispatchDate": naverpay.kst_text(e.occurred_at)}
            for po in targets]}
        await self.tasks.add(tx, f"dispatch.{e.event_id}", self.channel.partner, "dispatch", e.order_id, body)

    async def run_dispatch(self, task: dict[str, Any]) -> dict[str, Any]:
        answer = await self.api.dispatch(task["body"]["dispatchProductOrders"])
        failed = answer.get("failProductOrderInfos") or []
        if failed:
            raise Refused("; ".join(f"{f.get('productOrderId')}: {f.get('code')} "
                                    f"{f.get('message', '')}" for f in failed))
        return answer

    async def dispatched(self, tx: Tx, task: dict[str, Any], _answer: dict[str, Any]) -> None:
        for item in task["body"]["dispatchProductOrders"]:
            await self.col(tx.db, "product_orders").update_one(
                {"_id": item["productOrderId"]},
                {"$set": {"dispatched": {"company": item["deliveryCompanyCode"],
                                         "tracking": item["trackingNumber"]},
                          "reported": SectionStatus.SHIPPING.value}}, session=tx.session)

    # ---- checkout ----

    async def start_checkout(self, req: ChannelCheckout) -> CheckoutStarted:
        body = {
            "items": [{"productId": x.product_id, "sellerProductCode": x.sku_id,
                       "productName": x.name, "productOption": x.option_label,
                       "unitPrice": x.unit_price, "quantity": x.quantity} for x in req.lines],
            "deliveryFeeAmount": req.shipping_fee, "returnUrl": req.return_url,
            "orderer": {"name": req.buyer.name, "tel": req.buyer.phone,
                        "ordererId": req.member_id or uuid.uuid4().hex[:12]},
            "shippingAddress": {"name": req.ship_to.name, "tel1": req.ship_to.phone,
                                "zipCode": req.ship_to.zipcode, "baseAddress": req.ship_to.address1,
                                "detailedAddress": req.ship_to.address2},
            "shippingMemo": req.memo}
        try:
            async with httpx.AsyncClient(timeout=10) as http:
                resp = await http.post(self.channel.order_register_url, json=body)
        except httpx.TransportError as exc:
            raise PartnerUnavailable(self.channel.partner, "unreachable") from exc
        if resp.status_code >= 300:
            raise PartnerUnavailable(self.channel.partner, f"registration refused ({resp.status_code})")
        answer = resp.json()
        await self.col(self.store.db, "checkouts").update_one(
            {"_id": str(answer["orderId"])},
            {"$set": {"member_id": req.member_id, "at": datetime.now(UTC)}}, upsert=True)
        return CheckoutStarted(partner_order_id=str(answer["orderId"]),
                               checkout_url=str(answer["checkoutUrl"]))

    async def partner_order(self, order_id: str) -> PartnerOrder:
        docs = [d async for d in self.col(self.store.db, "product_orders").find(
            {"order_id": order_id}).sort("line_id", ASCENDING)]
        if not docs:
            raise NotFound("partner order", order_id)
        return PartnerOrder(
            partner=self.channel.partner, partner_order_id=docs[0]["partner_order_id"],
            lines=[PartnerLine(product_order_id=d["_id"], line_id=d["line_id"],
                               reported=d["reported"], dispatched=d.get("dispatched"),
                               shipped_outside=bool(d.get("shipped_outside"))) for d in docs],
            one_way=f"{self.channel.partner.lower()}_center_shipping")


def windows(cursor: datetime | None, now: datetime,
            channel: SimplePayChannel) -> list[tuple[datetime, datetime]]:
    """What one poll reads: from the cursor (the first poll: `first_window_seconds` back) minus
    the overlap (the feed can show a change late), up to now, cut in the 24 h the feed answers
    per call."""
    since = cursor or now - timedelta(seconds=channel.first_window_seconds)
    since = since.replace(tzinfo=UTC) if since.tzinfo is None else since
    start = since - timedelta(seconds=channel.overlap_seconds)
    out = []
    while start < now:
        until = min(now, start + timedelta(hours=24))
        out.append((start, until))
        start = until
    return out


def row_key(row: dict[str, Any]) -> str:
    """A change row's identity: the overlap re-reads rows, each is applied once."""
    return f"{row['productOrderId']}|{row['lastChangedDate']}|{row['lastChangedType']}"


def _phone(text: str) -> str:
    digits = re.sub(r"\D", "", text)
    if re.fullmatch(r"0\d{9,10}", digits):
        return f"{digits[:3]}-{digits[3:-4]}-{digits[-4:]}"
    return "010-0000-0000"


def router(syncs: list[ChannelSync]) -> APIRouter:
    r = APIRouter(tags=["simple pay"])
    by_partner = {x.channel.partner: x for x in syncs}

    def of_order(order_id: str) -> ChannelSync:
        for x in syncs:
            if order_id.startswith(x.channel.prefix):
                return x
        raise NotFound("partner order", order_id)

    @r.post("/channel-checkouts", status_code=201)
    async def start(req: ChannelCheckout) -> CheckoutStarted:
        """Register the cart at the partner; the buyer pays on the answered checkout URL."""
        return await by_partner[req.partner].start_checkout(req)

    @r.get("/partner-orders/{order_id}")
    async def partner_order(order_id: str) -> PartnerOrder:
        """How a channel order stands with its partner: each line's last reported status and
        our invoice as sent."""
        return await of_order(order_id).partner_order(order_id)

    @r.post("/partner-sync/{partner}", status_code=200)
    async def poll_now(partner: str) -> dict[str, int]:
        """Poll the partner now (`naverpay` or `talkcheckout`; operators — the poller does it
        every *_POLL_SECONDS)."""
        sync = by_partner.get(partner.upper())  # type: ignore[call-overload]
        if sync is None:
            raise NotFound("partner", partner)
        return {"emitted": await sync.poll_once()}

    return r
