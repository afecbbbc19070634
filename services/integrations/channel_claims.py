"""Claims of Naver Pay orders, synced both ways (SPEC §10, PARTNERS.md §1.7).

In (from the poll, channel_sync.py): a buyer's cancel / return / exchange request at Naver opens
the claim here (`PartnerClaimRequested`); a claim Naver closes by itself (its center, the
buyer's withdrawal) closes it here (`PartnerClaimClosed`).

Out (claims' events on Naver Pay orders → durable partner tasks, partner_tasks.py):

    ours                                  Naver
    claim opened by the seller            cancel/request, return/request (no seller exchange)
    refund requested (the money goes)     cancel/approve, return/approve: Naver refunds
    exchange collected / reshipped        exchange/collect/approve, exchange/dispatch
    rejected                              return/reject, exchange/reject (no cancel reject)
    hold / release                        {return|exchange}/holdback(/release) with the code

Naver refunds the buyer itself: a refund request never reaches our PG. The approval call is the
refund; its success answers `RefundSucceeded`, its dead letter `RefundFailed` (the seller
retries it or settles by hand). A write Naver refuses as "state changed" (104442) is checked by
reading the product order again: already in the state asked for (e.g. approved in Naver's
center meanwhile) is a success, anything else a refusal.
"""

from __future__ import annotations

import logging
from typing import Any

from faststream.kafka import KafkaBroker
from faststream.middlewares import AckPolicy

from contracts import topics
from contracts.claims.v1 import (
    ClaimHoldChanged,
    ClaimKind,
    ClaimOpened,
    ClaimState,
    ClaimStateChanged,
    RefundRequested,
)
from contracts.integrations.v1 import RefundFailed, RefundSucceeded
from integrations.channel_sync import ChannelSync
from integrations.naverpay import CARRIER_CODES, SELLER_REASONS
from integrations.partner_tasks import Refused, runner_key
from kit.inbox import by_type, handle_once, wanted_event
from kit.store import Tx

log = logging.getLogger("integrations.channel_claims")
ClaimsEvent = ClaimOpened | ClaimStateChanged | ClaimHoldChanged | RefundRequested
CLAIMS_TYPES: dict[str, type[ClaimsEvent]] = by_type(ClaimOpened, ClaimStateChanged,
                                                     ClaimHoldChanged, RefundRequested)
PATH = "/v1/pay-order/seller/product-orders/{po}/claim/{call}"
# The claimStatus a call leaves a product order in: Naver refusing a call whose effect is
# already there (approved in its center meanwhile) is no failure.
DONE_WHEN = {"cancel/approve": {"CANCEL_DONE"}, "return/approve": {"RETURN_DONE"},
             "cancel/request": {"CANCEL_REQUEST", "CANCEL_DONE"},
             "return/request": {"RETURN_REQUEST", "COLLECTING", "COLLECT_DONE"},
             "return/reject": {"RETURN_REJECT"}, "exchange/reject": {"EXCHANGE_REJECT"},
             "exchange/collect/approve": {"COLLECT_DONE", "EXCHANGE_REDELIVERING"},
             "exchange/dispatch": {"EXCHANGE_REDELIVERING", "EXCHANGE_DONE"}}


class ChannelClaims:
    def __init__(self, sync: ChannelSync) -> None:
        self.store, self.tasks, self.api, self.sync = sync.store, sync.tasks, sync.api, sync
        self.channel = sync.channel
        self.consumer = f"{self.channel.consumer}.claims"
        partner = self.channel.partner
        for kind in ("claim", "claim-refund"):
            self.tasks.runners[runner_key(partner, kind)] = self.run_call
        self.tasks.on_done[runner_key(partner, "claim-refund")] = self.refunded
        self.tasks.on_dead[runner_key(partner, "claim-refund")] = self.refund_failed

    def col(self, db: Any, name: str) -> Any:
        return self.sync.col(db, name)

    def register(self, broker: KafkaBroker) -> None:
        @broker.subscriber(topics.CLAIMS_EVENTS, group_id=self.consumer, auto_offset_reset="earliest",
                           ack_policy=AckPolicy.NACK_ON_ERROR,
                           title=f"{topics.CLAIMS_EVENTS}:{self.consumer}",
                           description=f"Take the seller's claim decisions on "
                                       f"{self.channel.partner} orders to the partner; refund "
                                       "them through it")
        async def on_claims(body: dict[str, Any]) -> None:
            if not (isinstance(body, dict) and str(body.get("order_id", "")).startswith(self.channel.prefix)):
                return
            event = await wanted_event(broker, self.consumer, self.store.producer, body,
                                       CLAIMS_TYPES)
            if event is not None:
                await handle_once(self.store, broker, self.consumer, event, self.on_event)

    async def on_event(self, tx: Tx, e: ClaimsEvent) -> None:
        if isinstance(e, ClaimOpened):
            await self._opened(tx, e)
            return
        claim = await self.col(tx.db, "claims").find_one({"_id": e.claim_id}, session=tx.session)
        if claim is None:
            return  # opened before the order was a Naver one we know: nothing to sync
        if isinstance(e, RefundRequested):
            await self._refund(tx, e, claim)
        elif isinstance(e, ClaimHoldChanged):
            if e.actor.kind != "partner" and e.kind is not ClaimKind.CANCEL:
                kind = e.kind.value.lower()
                body = ({"holdbackClassType": e.hold_code,
                         f"holdback{e.kind.value.title()}DetailReason": e.reason[:300] or "-",
                         f"extra{e.kind.value.title()}FeeAmount": 0} if e.on_hold else {})
                await self._calls(tx, e.event_id, claim,
                                  f"{kind}/holdback" + ("" if e.on_hold else "/release"), body)
        elif e.actor.kind != "partner":
            await self._moved(tx, e, claim)

    async def _opened(self, tx: Tx, e: ClaimOpened) -> None:
        lines: dict[str, int] = {}
        for i in e.items:
            lines[i.line_id] = lines.get(i.line_id, 0) + i.quantity
        pos = {d["line_id"]: d["_id"] async for d in self.col(tx.db, "product_orders").find(
            {"order_id": e.order_id, "line_id": {"$in": list(lines)}}, session=tx.session)}
        if not pos:
            return
        await self.col(tx.db, "claims").update_one(
            {"_id": e.claim_id},
            {"$setOnInsert": {"order_id": e.order_id, "kind": e.kind.value,
                              "product_orders": {pos[k]: q for k, q in lines.items() if k in pos},
                              "partner_claim_id": e.partner_claim_id}},
            upsert=True, session=tx.session)
        if e.partner_claim_id:
            return  # the buyer asked at Naver: Naver has the claim already
        # The seller opened it here: ask Naver (the poll then adopts Naver's claim id for it).
        await self.col(tx.db, "product_orders").update_many(
            {"_id": {"$in": list(pos.values())}}, {"$set": {"claim_ours": e.claim_id}},
            session=tx.session)
        reason = SELLER_REASONS[e.reason_code]
        for line, po in pos.items():
            if e.kind is ClaimKind.CANCEL:
                body: dict[str, Any] = {"cancelReason": reason,
                                        "cancelDetailedReason": e.reason[:500],
                                        "cancelQuantity": lines[line]}
                call = "cancel/request"
            else:  # the claims service refuses a seller's exchange of a Naver order
                body = {"returnReason": reason, "collectDeliveryMethod": "RETURN_INDIVIDUAL",
                        "returnQuantity": lines[line]}
                call = "return/request"
            await self._task(tx, f"{e.event_id}.{po}", "claim", e.order_id, po, call, body)

    async def _moved(self, tx: Tx, e: ClaimStateChanged, claim: dict[str, Any]) -> None:
        kind = e.kind.value.lower()
        if e.to_state is ClaimState.REJECTED and e.kind is not ClaimKind.CANCEL:
            why = (e.note or "-")[:300]
            field = "rejectReturnReason" if e.kind is ClaimKind.RETURN else "rejectExchangeReason"
            await self._calls(tx, e.event_id, claim, f"{kind}/reject", {field: why})
        elif e.kind is ClaimKind.EXCHANGE and e.to_state is ClaimState.COLLECTED:
            await self._calls(tx, e.event_id, claim, "exchange/collect/approve", {})
        elif e.kind is ClaimKind.EXCHANGE and e.to_state is ClaimState.RESHIPPED:
            await self._calls(tx, e.event_id, claim, "exchange/dispatch", {
                "reDeliveryMethod": "DELIVERY",
                "reDeliveryCompany": CARRIER_CODES.get(e.carrier, "CH1"),
                "reDeliveryTrackingNumber": e.invoice_no})

    async def _refund(self, tx: Tx, e: RefundRequested, claim: dict[str, Any]) -> None:
        if claim["kind"] == ClaimKind.EXCHANGE.value:
            # Naver has no call to pay back an exchange's price difference.
            tx.emit(RefundFailed(key=e.order_id, order_id=e.order_id, claim_id=e.claim_id,
                                 attempt=e.attempt, reason=f"{self.channel.name}는 교환 차액을 환불하지 "
                                        "않습니다: 직접 환불해 주세요"))
            return
        call = f"{claim['kind'].lower()}/approve"
        for po in claim["product_orders"]:
            await self._task(tx, f"refund.{e.claim_id}.{e.attempt}.{po}", "claim-refund",
                             e.order_id, po, call, {},
                             refund={"claim_id": e.claim_id, "attempt": e.attempt,
                                     "amount": e.amount, "all": sorted(claim["product_orders"])})

    async def _calls(self, tx: Tx, event_id: str, claim: dict[str, Any], call: str,
                     body: dict[str, Any]) -> None:
        for po in claim["product_orders"]:
            await self._task(tx, f"{event_id}.{po}", "claim", claim["order_id"], po, call, body)

    async def _task(self, tx: Tx, task_id: str, kind: str, order_id: str, po: str, call: str,
                    body: dict[str, Any], **extra: Any) -> None:
        await self.tasks.add(tx, task_id, self.channel.partner, kind, order_id,
                             {"product_order_id": po, "call": call, "json": body, **extra})

    # ---- running the calls ----

    async def run_call(self, task: dict[str, Any]) -> dict[str, Any]:
        body = task["body"]
        po, call = body["product_order_id"], body["call"]
        answer = dict((await self.api.call("POST", PATH.format(po=po, call=call),
                                           json=body["json"])).get("data") or {})
        failed = answer.get("failProductOrderInfos") or []
        if not failed:
            return answer
        # A hint, not a fact: read the product order again before calling it a refusal.
        now = await self.api.details([po])
        status = str((now[0]["productOrder"] if now else {}).get("claimStatus") or "")
        if status in DONE_WHEN.get(call, set()):
            return {**answer, "already": status}
        raise Refused("; ".join(f"{f.get('productOrderId')}: {f.get('code')} "
                                f"{f.get('message', '')}" for f in failed))

    async def refunded(self, tx: Tx, task: dict[str, Any], _answer: dict[str, Any]) -> None:
        """Naver approved (refunded) one product order of the claim; when every one of them
        is, the claim's refund succeeded."""
        r = task["body"]["refund"]
        ids = [f"refund.{r['claim_id']}.{r['attempt']}.{po}" for po in r["all"]]
        done = await tx.db.partner_tasks.count_documents(
            {"_id": {"$in": ids}, "state": "DONE"}, session=tx.session)
        if done == len(ids):
            tx.emit(RefundSucceeded(key=task["order_id"], order_id=task["order_id"],
                                    claim_id=r["claim_id"], attempt=r["attempt"],
                                    amount=r["amount"],
                                    partner_tx_id=f"{self.channel.partner.lower()}:"
                                    + ",".join(r["all"])))

    async def refund_failed(self, tx: Tx, task: dict[str, Any], error: str) -> None:
        r = task["body"]["refund"]
        tx.emit(RefundFailed(key=task["order_id"], order_id=task["order_id"],
                             claim_id=r["claim_id"], attempt=r["attempt"],
                             reason=f"{self.channel.partner.lower()}: {error}"[:500]))
