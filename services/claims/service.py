"""Claim use-cases: load → domain → save + outbox, in one transaction."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from claims import partners, projection
from claims import repository as repo
from claims.claim import PG, SYSTEM, Claim, ClaimLine
from claims.commands import ClaimCommand, OpenClaim, WantedItem
from claims.domain import reasons
from claims.money import Fees, TooManyUnits, apply, claim_fee, quote
from claims.view import OrderView, SectionView, Wanted, check, claimable
from contracts.claimability import allowed_claims
from contracts.claims.requests import ClaimSettings
from contracts.claims.v1 import ClaimKind, ClaimState, ReasonCode
from contracts.envelope import Actor, Event
from contracts.integrations.v1 import (
    PartnerClaimClosed,
    PartnerClaimRequested,
    RefundFailed,
    RefundSucceeded,
)
from contracts.inventory.v1 import ExchangeStockRejected
from contracts.orders.v1 import (
    ClaimSectionOpened,
    ClaimUnitsRefused,
    OrdersEvent,
    SectionStatus,
)
from kit.clock import Clock
from kit.errors import DomainError, InvalidInput, NotFound
from kit.store import Store, Tx

T = TypeVar("T")
ATTEMPTS = 4
# Decisions on one claim (POST /claims/{id}/{action}).
ACTIONS = ("approve", "reject", "collect", "reship", "complete", "hold", "release",
           "retry-refund", "refunded-by-hand", "due-paid")


class ClaimsService:
    def __init__(self, store: Store, clock: Clock, defaults: ClaimSettings) -> None:
        self.store = store
        self.clock = clock
        self.defaults = defaults

    @property
    def db(self) -> Any:
        return self.store.db

    async def settings(self) -> ClaimSettings:
        doc = await self.db.settings.find_one({"_id": "claims"})
        return ClaimSettings(**{**self.defaults.model_dump(), **(doc or {}).get("values", {})})

    async def update_settings(self, values: ClaimSettings) -> ClaimSettings:
        await self.db.settings.update_one({"_id": "claims"}, {"$set": {"values": values.model_dump()}},
                                          upsert=True)
        return values

    async def _run(self, work: Callable[[Tx], Awaitable[T]]) -> T:
        """A transaction, tried again when a concurrent writer won the race (the retry reloads
        and then refuses clearly, e.g. "already APPROVED")."""
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return await self.store.transaction(work)
            except DomainError as exc:
                if not exc.retryable or attempt == ATTEMPTS:
                    raise
                await asyncio.sleep(0.05 * attempt)
        raise AssertionError("unreachable")

    # ---- the view ----

    async def project(self, events: list[OrdersEvent], tx: Tx | None = None) -> None:
        writes: dict[str, list[Any]] = {"orders": [], "sections": []}
        for event in events:
            for coll, op in projection.ops(event):
                writes[coll].append(op)
        for coll, ops in writes.items():
            if ops:
                await self.db[coll].bulk_write(ops, ordered=True,
                                               session=tx.session if tx else None)

    async def project_and_react(self, tx: Tx, event: OrdersEvent) -> None:
        """The view and the claim change together: a claim request never sees units moved in
        the view while their claim still waits for them (it would count them twice)."""
        await self.project([event], tx)
        await self.on_order_event(tx, event)

    async def claimability(self, order_id: str) -> dict[str, Any]:
        sections = await repo.sections_of(None, self.db, order_id)
        claims = await repo.claims_of(None, self.db, order_id)
        free = claimable(sections, claims)
        held = {c.claim_no: c for c in claims if c.is_open}
        out = []
        for sid in sorted(sections):
            s = sections[sid]
            status = SectionStatus(s.status) if s.status in SectionStatus.__members__ else None
            allowed = list(allowed_claims(status)) if status and sid not in held else []
            why, refused = reasons(s.status, sid in held)
            out.append({"section_id": sid, "status": s.status, "allowed": allowed,
                        "why": why, "refused": refused,
                        "claim_id": held[sid].claim_id if sid in held else "",
                        "items": [{"line_id": k, "quantity": v,
                                   "claimable": max(0, free.get(sid, {}).get(k, 0))}
                                  for k, v in s.items.items()]})
        return {"order_id": order_id, "sections": out}

    # ---- opening ----

    async def open(self, order_id: str, cmd: OpenClaim) -> Claim:
        settings = await self.settings()

        async def work(tx: Tx) -> Claim:
            order = await repo.load_order(tx, order_id)
            sections = await repo.sections_of(tx, self.db, order_id)
            claims = await repo.claims_of(tx, self.db, order_id)
            claim = self._new_claim(order, sections, claims, cmd, settings)
            order.claims_opened += 1
            events = claim.opened(claim.opened_at)
            await repo.save_order(tx, order)
            await repo.insert_claim(tx, claim)
            for e in events:
                tx.emit(e)
            return claim

        return await self._run(work)

    async def estimate(self, order_id: str, cmd: OpenClaim) -> dict[str, Any]:
        """What the claim would give back if it were settled now (nothing is written)."""
        settings = await self.settings()

        async def work(tx: Tx) -> dict[str, Any]:
            order = await repo.load_order(tx, order_id)
            sections = await repo.sections_of(tx, self.db, order_id)
            claims = await repo.claims_of(tx, self.db, order_id)
            claim = self._new_claim(order, sections, claims, cmd, settings)
            return claim.estimate

        return await self.store.transaction(work)

    def _new_claim(self, order: OrderView, sections: dict[str, SectionView], claims: list[Claim],
                   cmd: OpenClaim, settings: ClaimSettings) -> Claim:
        if cmd.kind is not ClaimKind.CANCEL and cmd.reason_code is ReasonCode.OTHER \
                and not cmd.reason.strip():
            raise InvalidInput("reason_required", "tell us the reason of the return or exchange",
                               key="claim_reason_required")
        partners.check_open(partners.partner_of(order.channel), cmd.kind,
                            by_partner=cmd.actor.kind == "partner")
        wanted = [Wanted(i.section_id, i.line_id, i.quantity) for i in cmd.items]
        status = check(cmd.kind, wanted, order, sections, claims)
        lines = []
        for i in cmd.items:
            line = order.lines[i.line_id]
            new_sku, new_label, new_price = "", "", 0
            if cmd.kind is ClaimKind.EXCHANGE:
                new_sku = i.new_sku_id or line.sku_id
                if new_sku == line.sku_id:
                    new_label, new_price = line.option_label, line.unit_price
                elif i.new_product_id != line.product_id or i.new_unit_price is None:
                    raise InvalidInput("other_product", "SKU {sku_id} is not an option of "
                                                        "{name}: exchange within the product",
                                       key="claim_other_product", sku_id=new_sku,
                                       name=line.name)
                else:
                    new_label, new_price = i.new_option_label, i.new_unit_price
            lines.append(ClaimLine(i.section_id, i.line_id, line.sku_id, i.quantity, line.name,
                                   line.option_label, line.unit_price, new_sku, new_label,
                                   new_price))
        now = self.clock.now()
        seller = cmd.actor.kind == "seller"
        immediate = status == SectionStatus.PAYMENT_PENDING or (
            status == SectionStatus.PREPARING and not settings.cancel_preparing_requires_approval)
        claim = Claim(
            claim_id=uuid.uuid4().hex, claim_no=order.next_claim_no(), order_id=order.order_id,
            order_no=order.order_no, member_id=order.member_id, kind=cmd.kind,
            state=ClaimState.REQUESTED, items=lines, source_status=status,
            reason_code=cmd.reason_code, reason=cmd.reason.strip(), opened_by=cmd.actor,
            opened_at=now, deduct_fee=cmd.deduct_fee,
            auto_approve=seller or (cmd.kind is ClaimKind.CANCEL and immediate))
        q = self._quote(order, claim, settings)
        claim.estimate, claim.due = q.as_dict(), q.due
        return claim

    def _quote(self, order: OrderView, claim: Claim, settings: ClaimSettings) -> Any:
        money = order.money()
        fees = Fees(settings.return_fee_one_way, settings.return_fee_round_trip)
        new_prices = {i.line_id: i.new_unit_price for i in claim.items}
        try:
            return quote(money, order.ledger, claim.kind, claim.units, paid=order.paid,
                         fee=claim_fee(claim.kind, claim.reason_code, money, fees),
                         deduct_fee=claim.deduct_fee, new_prices=new_prices)
        except TooManyUnits as exc:
            raise DomainError("over_refund", TooManyUnits.TEMPLATE, key="claim_over_refund",
                              line_id=exc.line_id, quantity=exc.quantity) from exc

    async def _settle(self, tx: Tx, claim: Claim, actor: Actor) -> list[Event]:
        order = await repo.load_order(tx, claim.order_id)
        q = self._quote(order, claim, await self.settings())
        events = claim.settle(q.as_dict(), actor, self.clock.now())
        order.ledger = apply(order.ledger, claim.kind, claim.units, q)
        await repo.save_order(tx, order)
        return events

    # ---- decisions ----

    async def act(self, claim_id: str, action: str, cmd: ClaimCommand) -> Claim:
        if action not in ACTIONS:
            raise InvalidInput("unknown_action", "unknown claim action {action}",
                               key="claim_unknown_action", action=action)

        async def work(tx: Tx) -> Claim:
            claim = await repo.load_claim(tx, claim_id)
            if cmd.expected_version is not None and cmd.expected_version != claim.version:
                raise DomainError("stale", "claim {claim_no} changed since you loaded it",
                                  key="claim_stale", claim_no=claim.claim_no)
            if action in ("reject", "hold"):
                order = await repo.load_order(tx, claim.order_id)
                partners.check_decision(partners.partner_of(order.channel), claim.kind, action,
                                        cmd.hold_code)
            events = await self._decide(tx, claim, action, cmd)
            await repo.save_claim(tx, claim)
            for e in events:
                tx.emit(e)
            return claim

        return await self._run(work)

    async def _decide(self, tx: Tx, claim: Claim, action: str, cmd: ClaimCommand) -> list[Event]:
        now, actor = self.clock.now(), cmd.actor
        match action:
            case "approve":
                events = claim.approve(actor, now)
                if claim.kind is ClaimKind.CANCEL:
                    events += await self._settle(tx, claim, actor)
                return events
            case "reject":
                return claim.reject(cmd.reason, actor, now)
            case "collect":
                return claim.collect(actor, now)
            case "reship":
                return claim.reship(cmd.carrier, cmd.invoice_no, actor, now)
            case "complete":
                claim.ready_to_settle(actor, now, cmd.restock)
                return await self._settle(tx, claim, actor)
            case "hold":
                return claim.hold(cmd.reason, actor, now, cmd.hold_code)
            case "release":
                return claim.release(actor, now)
            case "retry-refund":
                return claim.retry_refund(actor, now)
            case "refunded-by-hand":
                return claim.refunded_by_hand({"bank": cmd.bank, "account": cmd.account,
                                               "holder": cmd.holder, "note": cmd.note}, actor, now)
            case _:
                return claim.record_due_paid(cmd.note, actor, now)

    # ---- reactions to other services (called inside the inbox transaction) ----

    async def on_order_event(self, tx: Tx, event: OrdersEvent) -> None:
        now = self.clock.now()
        if isinstance(event, ClaimUnitsRefused):
            claim = await repo.load_claim(tx, event.claim_id)
            before = repo.claim_doc(claim)
            await self._save(tx, claim, before, claim.units_refused(event.reason, now))
        elif isinstance(event, ClaimSectionOpened):
            claim = await repo.load_claim(tx, event.claim_id)
            before = repo.claim_doc(claim)
            events = claim.units_moved(now)
            if events and claim.kind is ClaimKind.CANCEL and claim.state is ClaimState.APPROVED:
                events += await self._settle(tx, claim, SYSTEM)
            await self._save(tx, claim, before, events)

    async def on_refund(self, tx: Tx, event: RefundSucceeded | RefundFailed) -> None:
        claim = await repo.load_claim(tx, event.claim_id)
        before = repo.claim_doc(claim)
        now = self.clock.now()
        order = await repo.load_order(tx, claim.order_id)
        partner = partners.partner_of(order.channel)  # a simple-pay partner refunds itself
        by = Actor(kind="partner", id=partner, name=partners.PARTNERS[partner]) if partner \
            else PG
        if isinstance(event, RefundSucceeded):
            events = claim.refund_succeeded(event.attempt, event.partner_tx_id, now, by)
        else:
            events = claim.refund_failed(event.attempt, event.reason, now, by)
        await self._save(tx, claim, before, events)

    async def on_partner_claim(self, tx: Tx,
                               event: PartnerClaimRequested | PartnerClaimClosed) -> None:
        """A simple-pay partner opened a claim (the buyer asked there) or closed one by its own
        rules: the claim here follows."""
        found = await tx.db.claims.find_one({"order_id": event.order_id,
                                             "partner_claim_id": event.partner_claim_id},
                                            session=tx.session)
        if isinstance(event, PartnerClaimRequested):
            if found is None:
                await self._open_for_partner(tx, event)
            return
        if found is None:
            raise NotFound("partner claim", event.partner_claim_id)
        claim = repo.claim_of(found)
        before = repo.claim_doc(claim)
        actor = Actor(kind="partner", id=event.partner, name=partners.PARTNERS[event.partner])
        now = self.clock.now()
        events: list[Event] = []
        if claim.is_open and claim.on_hold:
            events += claim.release(actor, now)
        if event.outcome == "REJECTED":
            if claim.state in (ClaimState.REQUESTED, ClaimState.APPROVED):
                events += claim.reject(event.note or event.outcome, actor, now)
        else:
            events += await self._complete_for_partner(tx, claim, actor, now)
        await self._save(tx, claim, before, events)

    async def _open_for_partner(self, tx: Tx, event: PartnerClaimRequested) -> None:
        order = await repo.load_order(tx, event.order_id)
        sections = await repo.sections_of(tx, self.db, event.order_id)
        claims = await repo.claims_of(tx, self.db, event.order_id)
        free = claimable(sections, claims)
        items = [WantedItem(section_id=sid, line_id=line, quantity=units.get(line, 0))
                 for line in event.line_ids for sid, units in sorted(free.items())
                 if units.get(line, 0) > 0 and sid not in {c.claim_no for c in claims}
                 and event.kind in _allowed(sections[sid].status)]
        if not order.paid or any(sections[i.section_id].status == SectionStatus.PAYMENT_PENDING
                                 for i in items):
            items = []  # paid at the partner: an unpaid order or section is the view lagging
        if not items:
            # The view has not caught up with the partner yet (the status report is on
            # another topic): tried again, then parked where an operator sees it.
            raise DomainError("partner_claim_early", "order {order_id}: no section of lines "
                              "{lines} accepts a {kind} yet", retryable=True,
                              order_id=event.order_id, lines=event.line_ids, kind=event.kind)
        actor = Actor(kind="partner", id=event.partner,
                      name=f"{partners.PARTNERS[event.partner]} 구매자")
        cmd = OpenClaim(kind=event.kind, items=items, reason_code=event.reason_code,
                        reason=event.reason or f"{partners.PARTNERS[event.partner]}에서 접수",
                        actor=actor)
        claim = self._new_claim(order, sections, claims, cmd, await self.settings())
        claim.partner_claim_id = event.partner_claim_id
        order.claims_opened += 1
        await repo.save_order(tx, order)
        await repo.insert_claim(tx, claim)
        for e in claim.opened(claim.opened_at):
            tx.emit(e)

    async def _complete_for_partner(self, tx: Tx, claim: Claim, actor: Actor,
                                    now: Any) -> list[Event]:
        """Every step the partner took on its own, up to the refund it made (the refund
        request that follows is answered by integrations without a call)."""
        if not claim.moved:
            raise DomainError("units_pending", "claim {claim_no}: the order has not taken the "
                              "units yet; try again in a moment", key="claim_units_pending",
                              retryable=True, claim_no=claim.claim_no)
        events: list[Event] = []
        if claim.state is ClaimState.REQUESTED:
            events += claim.approve(actor, now)
        if claim.kind is not ClaimKind.CANCEL and claim.state is ClaimState.APPROVED:
            events += claim.collect(actor, now)
        if claim.kind is ClaimKind.EXCHANGE or claim.state not in (ClaimState.APPROVED,
                                                                   ClaimState.COLLECTED):
            return events  # an exchange completes when its replacement is delivered here
        claim.ready_to_settle(actor, now, restock=False)
        return events + await self._settle(tx, claim, actor)

    async def on_stock(self, tx: Tx, event: ExchangeStockRejected) -> None:
        claim = await repo.load_claim(tx, event.claim_id)
        before = repo.claim_doc(claim)
        await self._save(tx, claim, before, claim.replacement_short(event.reason, self.clock.now()))

    async def _save(self, tx: Tx, claim: Claim, before: dict[str, Any],
                    events: list[Event]) -> None:
        """Write the claim only if the event changed it (a redelivery changes nothing)."""
        if repo.claim_doc(claim) == before:
            return
        await repo.save_claim(tx, claim)
        for e in events:
            tx.emit(e)

    # ---- queries ----

    async def get(self, claim_id: str) -> Claim:
        return await self.store.transaction(lambda tx: repo.load_claim(tx, claim_id))

    async def of_order(self, order_id: str) -> list[Claim]:
        return await repo.claims_of(None, self.db, order_id)

    async def list(self, state: ClaimState | None, on_hold: bool, limit: int) -> list[Claim]:
        query: dict[str, Any] = {"state": state.value} if state else {}
        if on_hold:
            query = {"on_hold": True}
        rows = await self.db.claims.find(query).sort("opened_at", -1).limit(limit).to_list()
        return [repo.claim_of(d) for d in rows]

    async def counts(self) -> dict[str, int]:
        out = {s.value: await self.db.claims.count_documents({"state": s.value}) for s in ClaimState}
        out["ON_HOLD"] = await self.db.claims.count_documents({"on_hold": True})
        return out


def _allowed(status: str) -> tuple[ClaimKind, ...]:
    return tuple(allowed_claims(SectionStatus(status))) if status in SectionStatus.__members__ \
        else ()
