"""The claim aggregate: one cancel, return or exchange of some units of one order. Pure.

Every change appends to the claim's history and returns the events to publish. Money is decided
by the caller (money.quote) and handed to `settle`; the claim only records it.

    CANCEL    REQUESTED → APPROVED → (REFUNDING →) COMPLETED
    RETURN    REQUESTED → APPROVED → COLLECTED → (REFUNDING →) COMPLETED
    EXCHANGE  REQUESTED → APPROVED → COLLECTED → RESHIPPED → (REFUNDING →) COMPLETED
    REQUESTED | APPROVED → REJECTED;  REFUNDING → REFUND_FAILED → REFUNDING (retry) | COMPLETED
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TypedDict

from contracts.claims.v1 import (
    ClaimHoldChanged,
    ClaimItem,
    ClaimKind,
    ClaimOpened,
    ClaimState,
    ClaimStateChanged,
    ReasonCode,
    RefundRequested,
)
from contracts.envelope import Actor, Event
from kit.errors import DomainError, InvalidInput
from kit.timeline import Entry

C = ClaimState
K = ClaimKind
SYSTEM = Actor(kind="system", id="claims", name="시스템")
PG = Actor(kind="partner", id="pg", name="PG")
OPEN_STATES = (C.REQUESTED, C.APPROVED, C.COLLECTED, C.RESHIPPED, C.REFUNDING, C.REFUND_FAILED)
# States in which the seller may put a claim on hold (nothing moves until it is released).
HOLDABLE = (C.REQUESTED, C.APPROVED, C.COLLECTED, C.RESHIPPED)


class _EventBase(TypedDict):
    """The fields every claim event built here starts with."""

    key: str
    order_id: str
    claim_id: str


@dataclass
class ClaimLine:
    section_id: str
    line_id: str
    sku_id: str
    quantity: int
    name: str = ""
    option_label: str = ""
    unit_price: int = 0
    new_sku_id: str = ""  # exchange: the replacement
    new_option_label: str = ""
    new_unit_price: int = 0


@dataclass
class Refund:
    attempt: int = 0
    amount: int = 0  # to the payment
    points: int = 0
    status: str = ""  # REQUESTED | SUCCEEDED | FAILED | MANUAL
    partner_tx_id: str = ""
    failure: str = ""
    manual: dict[str, str] = field(default_factory=dict)  # bank, account, holder, note, by


@dataclass
class Claim:
    claim_id: str
    claim_no: str  # also the id of the claim section orders creates: {order_no}-C{n}
    order_id: str
    order_no: str
    member_id: str
    kind: ClaimKind
    state: ClaimState
    items: list[ClaimLine]
    source_status: str  # status of the sections the units came from
    reason_code: ReasonCode
    reason: str
    opened_by: Actor
    opened_at: datetime
    deduct_fee: bool = True  # fee taken from the refund (else paid separately)
    auto_approve: bool = False  # approve as soon as orders has moved the units
    moved: bool = False  # orders moved the units into the claim section
    on_hold: bool = False
    hold_reason: str = ""
    restock: bool = False
    carrier: str = ""
    invoice_no: str = ""
    estimate: dict[str, object] = field(default_factory=dict)  # the quote when opened
    settled: dict[str, object] = field(default_factory=dict)  # the quote that was applied
    due: int = 0  # what the buyer owes separately (known when opened, fixed when settled)
    due_paid: bool = False
    due_note: str = ""
    refund: Refund = field(default_factory=Refund)
    history: list[Entry] = field(default_factory=list)
    version: int = 0
    partner_claim_id: str = ""  # opened by a simple-pay partner (its claim id there)
    hold_code: str = ""  # the partner's hold reason class, on a channel order

    # ---- queries ----

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def units(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for i in self.items:
            out[i.line_id] = out.get(i.line_id, 0) + i.quantity
        return out

    def _items(self) -> list[ClaimItem]:
        exchange = self.kind is K.EXCHANGE
        return [ClaimItem(section_id=i.section_id, line_id=i.line_id, sku_id=i.sku_id,
                          quantity=i.quantity, new_sku_id=i.new_sku_id,
                          new_option_label=i.new_option_label,
                          new_unit_price=i.new_unit_price if exchange else None)
                for i in self.items]

    def _base(self) -> _EventBase:
        return {"key": self.order_id, "order_id": self.order_id, "claim_id": self.claim_id}

    def _log(self, at: datetime, actor: Actor, action: str, before: str = "", after: str = "",
             note: str = "") -> None:
        self.history.append(Entry(at, actor, action, before, after, note))

    def _refuse(self, action: str) -> DomainError:
        return DomainError("invalid_transition", "claim {claim_no} is {state}: cannot {action}",
                           key="claim_cannot", claim_no=self.claim_no, state=self.state,
                           action=action)

    def _require(self, action: str, *states: ClaimState, kinds: tuple[ClaimKind, ...] = ()) -> None:
        if kinds and self.kind not in kinds:
            raise DomainError("invalid_transition", "claim {claim_no} is a {kind}: cannot {action}",
                              key="claim_kind_cannot", claim_no=self.claim_no, kind=self.kind,
                              action=action)
        if self.state not in states:
            raise self._refuse(action)
        if self.on_hold:
            raise DomainError("on_hold", "claim {claim_no} is on hold ({hold_reason}): "
                                         "release it first", key="claim_on_hold",
                              claim_no=self.claim_no, hold_reason=self.hold_reason)
        if not self.moved:
            raise DomainError("units_pending", "claim {claim_no}: the order has not taken "
                                               "the units yet; try again in a moment",
                              key="claim_units_pending", retryable=True, claim_no=self.claim_no)

    def _move(self, to: ClaimState, actor: Actor, now: datetime, note: str = "") -> Event:
        before = self.state
        self.state = to
        self._log(now, actor, "state", before.value, to.value, note)
        return ClaimStateChanged(
            **self._base(), kind=self.kind, claim_section_id=self.claim_no, from_state=before,
            to_state=to, items=self._items(), restock=self.restock, carrier=self.carrier,
            invoice_no=self.invoice_no, note=note, actor=actor)

    # ---- opening ----

    def opened(self, now: datetime) -> list[Event]:
        self._log(now, self.opened_by, "opened", after=self.state.value,
                  note=f"{self.reason_code.value} {self.reason}".strip())
        return [ClaimOpened(
            **self._base(), order_no=self.order_no, kind=self.kind, state=self.state,
            claim_section_id=self.claim_no, items=self._items(), reason_code=self.reason_code,
            reason=self.reason, partner_claim_id=self.partner_claim_id, actor=self.opened_by)]

    def units_moved(self, now: datetime) -> list[Event]:
        """Orders took the units into the claim section: the claim may go on."""
        if self.moved or self.state is not C.REQUESTED:
            return []
        self.moved = True
        self._log(now, SYSTEM, "units_moved")
        if self.auto_approve:
            return self.approve(SYSTEM, now)
        return []

    def units_refused(self, reason: str, now: datetime) -> list[Event]:
        """Orders could not take the units (they moved on meanwhile): rejected automatically."""
        if self.state is not C.REQUESTED or self.moved:
            return []
        self.on_hold = False
        return [self._move(C.REJECTED, SYSTEM, now, reason)]

    def replacement_short(self, reason: str, now: datetime) -> list[Event]:
        """Inventory could not reserve the replacement: held so the seller decides (reject, or
        release once the stock is back)."""
        if self.state not in HOLDABLE or self.on_hold:
            return []
        self.on_hold, self.hold_reason = True, reason
        self._log(now, SYSTEM, "hold", note=reason)
        return []

    # ---- seller decisions ----

    def approve(self, actor: Actor, now: datetime) -> list[Event]:
        self._require("approve it", C.REQUESTED)
        return [self._move(C.APPROVED, actor, now)]

    def reject(self, reason: str, actor: Actor, now: datetime) -> list[Event]:
        if self.state not in (C.REQUESTED, C.APPROVED):
            raise self._refuse("reject it")
        if not reason.strip():
            raise InvalidInput("reason_required", "give a reason for rejecting the claim",
                               key="claim_reject_reason_required")
        self.on_hold, self.hold_reason = False, ""
        return [self._move(C.REJECTED, actor, now, reason.strip())]

    def collect(self, actor: Actor, now: datetime) -> list[Event]:
        self._require("mark it collected", C.APPROVED, kinds=(K.RETURN, K.EXCHANGE))
        return [self._move(C.COLLECTED, actor, now)]

    def reship(self, carrier: str, invoice_no: str, actor: Actor, now: datetime) -> list[Event]:
        self._require("reship it", C.COLLECTED, kinds=(K.EXCHANGE,))
        if not (carrier.strip() and invoice_no.strip()):
            raise InvalidInput("invoice_required", "reshipping needs a carrier and an invoice number",
                               key="claim_invoice_required")
        self.carrier, self.invoice_no = carrier.strip(), invoice_no.strip()
        return [self._move(C.RESHIPPED, actor, now, f"{self.carrier} {self.invoice_no}")]

    def ready_to_settle(self, actor: Actor, now: datetime, restock: bool) -> None:
        """Check that the claim may be completed now (the caller then quotes and settles)."""
        del actor, now
        if self.kind is K.CANCEL:
            self._require("complete it", C.APPROVED)
        elif self.kind is K.RETURN:
            self._require("complete it", C.COLLECTED)
        else:
            self._require("complete it", C.RESHIPPED)
        self.restock = restock and self.kind is not K.CANCEL

    def settle(self, q: dict[str, int], actor: Actor, now: datetime) -> list[Event]:
        """Apply a quote: refund it (REFUNDING) or, with nothing to refund, complete."""
        due = int(q.get("due", 0))
        if due > 0 and not self.due_paid:
            raise DomainError("payment_due",
                              "claim {claim_no}: the buyer owes {due} KRW; record the "
                              "payment first (or hold the claim)", key="claim_payment_due",
                              claim_no=self.claim_no, due=due)
        self.settled = dict(q)
        self.due = due
        amount, points = int(q.get("payment", 0)), int(q.get("points", 0))
        if amount == 0 and points == 0:
            return [self._move(C.COMPLETED, actor, now)]
        self.refund = Refund(attempt=1, amount=amount, points=points, status="REQUESTED")
        return [self._move(C.REFUNDING, actor, now, f"{amount + points}"),
                RefundRequested(**self._base(), amount=amount, points=points, attempt=1)]

    def _hold_changed(self, actor: Actor) -> Event:
        return ClaimHoldChanged(**self._base(), kind=self.kind, claim_section_id=self.claim_no,
                                on_hold=self.on_hold, reason=self.hold_reason,
                                hold_code=self.hold_code, partner_claim_id=self.partner_claim_id,
                                actor=actor)

    def hold(self, reason: str, actor: Actor, now: datetime, code: str = "") -> list[Event]:
        if self.state not in HOLDABLE:
            raise self._refuse("hold it")
        if self.on_hold:
            raise DomainError("on_hold", "claim {claim_no} is already on hold",
                              key="claim_already_on_hold", claim_no=self.claim_no)
        if not reason.strip():
            raise InvalidInput("reason_required", "give a reason for the hold",
                               key="claim_hold_reason_required")
        self.on_hold, self.hold_reason, self.hold_code = True, reason.strip(), code
        self._log(now, actor, "hold", note=self.hold_reason)
        return [self._hold_changed(actor)]

    def release(self, actor: Actor, now: datetime) -> list[Event]:
        if not self.on_hold:
            raise DomainError("not_on_hold", "claim {claim_no} is not on hold",
                              key="claim_not_on_hold", claim_no=self.claim_no)
        self._log(now, actor, "release", note=self.hold_reason)
        self.on_hold, self.hold_reason = False, ""
        return [self._hold_changed(actor)]

    def record_due_paid(self, note: str, actor: Actor, now: datetime) -> list[Event]:
        if not self.is_open or self.state in (C.REFUNDING, C.REFUND_FAILED):
            raise self._refuse("record a payment")
        if self.due_paid:
            raise DomainError("already_paid", "claim {claim_no}: payment already recorded",
                              key="claim_already_paid", claim_no=self.claim_no)
        self.due_paid, self.due_note = True, note.strip()
        self._log(now, actor, "due_paid", note=self.due_note)
        return []

    # ---- refunds ----

    def refund_succeeded(self, attempt: int, partner_tx_id: str, now: datetime,
                         by: Actor = PG) -> list[Event]:
        if self.state is not C.REFUNDING or attempt != self.refund.attempt:
            return []  # a late answer to an earlier attempt
        self.refund.status, self.refund.partner_tx_id = "SUCCEEDED", partner_tx_id
        return [self._move(C.COMPLETED, by, now, partner_tx_id)]

    def refund_failed(self, attempt: int, reason: str, now: datetime,
                      by: Actor = PG) -> list[Event]:
        if self.state is not C.REFUNDING or attempt != self.refund.attempt:
            return []
        self.refund.status, self.refund.failure = "FAILED", reason
        return [self._move(C.REFUND_FAILED, by, now, reason)]

    def retry_refund(self, actor: Actor, now: datetime) -> list[Event]:
        if self.state is not C.REFUND_FAILED:
            raise self._refuse("retry the refund")
        self.refund.attempt += 1
        self.refund.status, self.refund.failure = "REQUESTED", ""
        # Points went back with the first attempt (they never fail): retries carry none.
        return [self._move(C.REFUNDING, actor, now, f"retry {self.refund.attempt}"),
                RefundRequested(**self._base(), amount=self.refund.amount, points=0,
                                attempt=self.refund.attempt)]

    def refunded_by_hand(self, manual: dict[str, str], actor: Actor, now: datetime) -> list[Event]:
        if self.state is not C.REFUND_FAILED:
            raise self._refuse("mark it refunded by hand")
        if not (manual.get("bank", "").strip() and manual.get("account", "").strip()):
            raise InvalidInput("account_required", "give the bank and the account refunded to",
                               key="claim_account_required")
        self.refund.status = "MANUAL"
        self.refund.manual = {**manual, "by": actor.id}
        note = f"{manual.get('bank', '')} {manual.get('account', '')} {manual.get('note', '')}"
        return [self._move(C.COMPLETED, actor, now, note.strip())]
