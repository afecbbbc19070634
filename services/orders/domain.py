"""The order aggregate: order (payment status) -> sections (fulfilment status) -> section items.

Pure: no I/O. Every change appends to the timeline and returns the events to publish.
Invariant: for every line, the quantities of its section items add up to the ordered quantity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypedDict

from contracts.envelope import Actor, Event
from contracts.orders.requests import CARRIERS
from contracts.orders.v1 import (
    SIMPLE_PAY,
    Buyer,
    Channel,
    InvoiceChanged,
    ItemQty,
    LineData,
    OrderCancelled,
    OrderPaid,
    OrderPlaced,
    PaymentMethod,
    PaymentStatus,
    PurchaseConfirmed,
    SectionsMerged,
    SectionSplit,
    SectionStatus,
    SectionStatusChanged,
    ShipTo,
)
from kit.errors import DomainError, InvalidInput
from kit.money import allocate
from kit.timeline import Entry

S = SectionStatus

# Forward moves a seller (or a partner) may make on one section.
SELLER_MOVES: dict[SectionStatus, SectionStatus] = {
    S.PREPARING: S.READY_TO_SHIP,
    S.READY_TO_SHIP: S.SHIPPING,
    S.SHIPPING: S.DELIVERED,
}


class _EventBase(TypedDict):
    """The fields every order event built here starts with."""

    key: str
    order_id: str
    order_no: str


# An invoice number's shape, whichever carrier (an invoice spreadsheet's rows are held to it too).
INVOICE = re.compile(r"^[0-9A-Za-z-]{4,40}$")

# Sections that may be merged: they have not left the warehouse yet.
MERGEABLE = (S.PREPARING, S.READY_TO_SHIP)


@dataclass(frozen=True)
class CouponDiscounts:
    """What the checkout applied (the coupons service chose and locked the coupons)."""

    product: dict[str, int] = field(default_factory=dict)  # sku_id -> product coupon discount
    order: int = 0  # the order (cart) coupon
    shipping: int = 0  # the shipping coupon, never more than the shipping fee
    points: int = 0  # points spent
    coupon_ids: tuple[str, ...] = ()
    lock: str = ""  # the coupons service's checkout lock (order_ref) that took them


class StockStatus:
    PENDING = "PENDING"  # waiting for inventory's answer
    RESERVED = "RESERVED"  # every SKU reserved
    REJECTED = "REJECTED"  # refused: some SKU lacked stock
    RELEASED = "RELEASED"  # given back after cancellation


def is_replacement(line_id: str) -> bool:
    """Placement makes lines L1, L2, ...; a completed exchange adds `{line}-{claim}` (L1-C1)."""
    return "-" in line_id


@dataclass
class SectionItem:
    line_id: str
    quantity: int


@dataclass
class Section:
    section_id: str
    status: SectionStatus
    items: list[SectionItem]
    carrier: str = ""
    invoice_no: str = ""
    status_changed_at: datetime | None = None
    auto_confirm_at: datetime | None = None
    claim: Any = None  # orders.claims.ClaimTag while (and after) a claim holds these units
    replaces: str = ""  # a completed exchange's replacement: the claim section it replaces


@dataclass
class Order:
    order_id: str
    order_no: str
    channel: Channel
    buyer: Buyer
    ship_to: ShipTo
    payment_method: PaymentMethod
    lines: list[LineData]
    sections: list[Section]
    items_total: int
    shipping_fee: int
    paid_amount: int
    placed_at: datetime
    payment_status: PaymentStatus = PaymentStatus.PENDING
    stock_status: str = StockStatus.PENDING
    deposit_deadline: datetime | None = None
    paid_at: datetime | None = None
    cancel_reason: str = ""
    memo: str = ""
    guest_password_hash: str = ""
    discount: int = 0  # the seller's discount (seller-created orders)
    coupons: CouponDiscounts = field(default_factory=lambda: CouponDiscounts())
    # Discounts per line: its product coupon plus its largest-remainder share of the order coupon
    # and the seller's discount. Refunds use it; points are refunded pro rata on their own.
    allocations: dict[str, int] = field(default_factory=dict)
    next_section_no: int = 2
    # Payments the order refused, to give back (orders.refused_payments.RefusedPayment).
    refused_payments: list[Any] = field(default_factory=list)
    timeline: list[Entry] = field(default_factory=list)
    version: int = 0

    # ---- queries ----

    def section(self, section_id: str) -> Section:
        for s in self.sections:
            if s.section_id == section_id:
                return s
        raise DomainError("not_found", "section {section_id} is not part of order {order_no}",
                          key="section_not_in_order", section_id=section_id,
                          order_no=self.order_no)

    def line(self, line_id: str) -> LineData:
        return next(line for line in self.lines if line.line_id == line_id)

    @property
    def statuses(self) -> list[str]:
        return sorted({s.status.value for s in self.sections})

    def section_amount(self, section: Section) -> int:
        """Paid amount of a section's items: unit prices less their share of the discount."""
        total = 0
        for i in section.items:
            line = self.line(i.line_id)
            share = self.allocations.get(i.line_id, 0) * i.quantity // line.quantity
            total += line.unit_price * i.quantity - share
        return total

    def quantities_by_line(self) -> dict[str, int]:
        totals = {line.line_id: 0 for line in self.lines}
        for s in self.sections:
            for item in s.items:
                totals[item.line_id] += item.quantity
        return totals

    def _event_base(self) -> _EventBase:
        return {"key": self.order_id, "order_id": self.order_id, "order_no": self.order_no}

    def _log(self, at: datetime, actor: Actor, action: str, before: str = "", after: str = "",
             note: str = "", section_id: str = "", why: dict[str, Any] | None = None) -> None:
        self.timeline.append(Entry(at, actor, action, before, after, note, section_id, why))

    def _items(self, section: Section) -> list[ItemQty]:
        return [ItemQty(line_id=i.line_id, quantity=i.quantity) for i in section.items]

    def _all_items(self) -> list[ItemQty]:
        return [ItemQty(line_id=x.line_id, quantity=x.quantity) for x in self.lines]

    # ---- placement ----

    @classmethod
    def place(
        cls, *, order_id: str, order_no: str, channel: Channel, buyer: Buyer, ship_to: ShipTo,
        payment_method: PaymentMethod, lines: list[LineData], shipping_fee: int, memo: str,
        guest_password_hash: str, actor: Actor, now: datetime, deposit_days: int,
        discount: int = 0, coupons: CouponDiscounts | None = None,
    ) -> tuple[Order, list[Event]]:
        if not lines:
            raise InvalidInput("no_lines", "an order needs at least one line")
        if len({line.sku_id for line in lines}) != len(lines):
            raise InvalidInput("duplicate_sku", "each SKU may appear once; add to its quantity")
        if not buyer.member_id and not guest_password_hash and channel not in SIMPLE_PAY:
            raise InvalidInput("guest_password", "a guest order needs a lookup password")
        if payment_method is PaymentMethod.UNSELECTED and channel is not Channel.SELLER:
            raise InvalidInput("payment_method", "choose a payment method")
        items_total = sum(line.unit_price * line.quantity for line in lines)
        c = coupons or CouponDiscounts()
        amounts = {x.line_id: x.unit_price * x.quantity for x in lines}
        by_sku = {x.sku_id: x.line_id for x in lines}
        product = {by_sku[sku]: v for sku, v in c.product.items() if sku in by_sku}
        if len(product) != len(c.product) or any(
                v < 0 or v > amounts[k] for k, v in product.items()):
            raise InvalidInput("product_discount", "a product discount names an SKU not in the "
                                                   "order or exceeds its line")
        after_product = {k: amounts[k] - product.get(k, 0) for k in amounts}
        if discount + c.order > sum(after_product.values()):
            raise InvalidInput("discount", "discount {discount} exceeds the items total {items_total}",
                               discount=discount + c.order,
                               items_total=sum(after_product.values()))
        if c.shipping > shipping_fee:
            raise InvalidInput("shipping_discount", "a shipping discount exceeds the shipping fee")
        shares = allocate(discount + c.order, after_product)
        allocations = {k: product.get(k, 0) + shares[k] for k in amounts}
        if c.points > items_total - sum(allocations.values()) + shipping_fee - c.shipping:
            raise InvalidInput("points", "points exceed what is left to pay")
        deadline = (
            now + timedelta(days=deposit_days)
            if payment_method in (PaymentMethod.BANK_TRANSFER, PaymentMethod.UNSELECTED)
            else None
        )
        order = cls(
            order_id=order_id, order_no=order_no, channel=channel, buyer=buyer, ship_to=ship_to,
            payment_method=payment_method, lines=lines,
            sections=[Section(f"{order_no}-1", S.PAYMENT_PENDING,
                              [SectionItem(x.line_id, x.quantity) for x in lines], "", "", now)],
            items_total=items_total, shipping_fee=shipping_fee,
            paid_amount=(items_total + shipping_fee - c.shipping - sum(allocations.values())
                         - c.points),
            placed_at=now, deposit_deadline=deadline, memo=memo,
            guest_password_hash=guest_password_hash, discount=discount, coupons=c,
            allocations=allocations,
        )
        order._log(now, actor, "placed", after=S.PAYMENT_PENDING.value,
                   note=f"{payment_method.value} {order.paid_amount}")
        placed = OrderPlaced(
            **order._event_base(), channel=channel, payment_method=payment_method, buyer=buyer,
            lines=lines, items_total=items_total, shipping_fee=shipping_fee,
            paid_amount=order.paid_amount, deposit_deadline=deadline, discount=discount,
            allocations=allocations, points_used=c.points, coupon_ids=list(c.coupon_ids),
            shipping_discount=c.shipping, coupon_lock=c.lock,
        )
        return order, [placed]

    # ---- stock and payment ----

    def _refuse_if_claimed(self, section: Section) -> None:
        if section.claim is not None:
            raise DomainError("under_claim",
                              "section {section_id} belongs to {kind} claim {claim_id} ({state})",
                              key="section_in_claim", section_id=section.section_id,
                              kind=section.claim.kind, claim_id=section.claim.claim_id,
                              state=section.claim.state)

    def _refuse_if_cancelled(self, what: str) -> None:
        if self.payment_status is PaymentStatus.CANCELLED:
            raise DomainError("order_cancelled",
                              "order {order_no} is CANCELLED ({reason}): cannot {what}",
                              order_no=self.order_no, reason=self.cancel_reason, what=what)

    def stock_reserved(self, now: datetime) -> list[Event]:
        # Cancelled meanwhile: inventory sees OrderCancelled after this on the same partition
        # and releases the units, so there is nothing to do here.
        if self.stock_status != StockStatus.PENDING or self.payment_status is PaymentStatus.CANCELLED:
            return []
        self.stock_status = StockStatus.RESERVED
        self._log(now, Actor(kind="system", id="inventory", name="재고"), "stock_reserved")
        return self._start_preparing(now, Actor(kind="system", id="inventory", name="재고"))

    def stock_rejected(self, reason: str, now: datetime, code: str = "out_of_stock") -> list[Event]:
        """Inventory reserved nothing: a SKU lacks stock, or a price is not the catalogue's."""
        if self.stock_status != StockStatus.PENDING or self.payment_status is PaymentStatus.CANCELLED:
            return []
        self.stock_status = StockStatus.REJECTED
        actor = Actor(kind="system", id="inventory", name="재고")
        return self._cancel(reason if code == "price_mismatch" else f"재고 부족: {reason}",
                            actor, now)

    def confirm_payment(self, amount: int, actor: Actor, now: datetime,
                        method: PaymentMethod | None = None) -> list[Event]:
        self._refuse_if_cancelled("confirm its payment")
        if self.payment_status is PaymentStatus.PAID:
            raise DomainError("already_paid", "order {order_no} is already paid",
                              order_no=self.order_no)
        if amount != self.paid_amount:
            raise InvalidInput(
                "amount_mismatch",
                "payment of {amount} KRW does not match the order amount {order_amount} KRW",
                amount=amount, order_amount=self.paid_amount,
            )
        if self.payment_method is PaymentMethod.UNSELECTED:
            self.payment_method = method or PaymentMethod.BANK_TRANSFER
        self.payment_status = PaymentStatus.PAID
        self.paid_at = now
        self._log(now, actor, "paid", before=PaymentStatus.PENDING.value,
                  after=PaymentStatus.PAID.value, note=f"{self.payment_method.value} {amount}")
        paid = OrderPaid(**self._event_base(), payment_method=self.payment_method, amount=amount,
                         actor=actor)
        return [paid, *self._start_preparing(now, actor)]

    def confirm_deposit(self, actor: Actor, now: datetime) -> list[Event]:
        """입금확인 by hand: only for a bank transfer (or a seller-created order not yet paid
        by any method); a card payment is confirmed by the PG alone."""
        if self.payment_method in (PaymentMethod.CARD, PaymentMethod.PAYPAL):
            raise DomainError("not_bank_transfer",
                              "order {order_no} is paid by card: only the PG confirms it",
                              order_no=self.order_no)
        return self.confirm_payment(self.paid_amount, actor, now)

    def _start_preparing(self, now: datetime, actor: Actor) -> list[Event]:
        if self.payment_status is not PaymentStatus.PAID or self.stock_status != StockStatus.RESERVED:
            return []
        return [
            self._move(s, S.PREPARING, actor, now)
            for s in self.sections
            if s.status is S.PAYMENT_PENDING
        ]

    # ---- fulfilment ----

    def change_section(self, section_id: str, to: SectionStatus, actor: Actor, now: datetime,
                       auto_confirm_days: int, carrier: str = "",
                       invoice_no: str = "") -> list[Event]:
        self._refuse_if_cancelled(f"move section {section_id}")
        section = self.section(section_id)
        self._refuse_if_claimed(section)
        if SELLER_MOVES.get(section.status) is not to:
            raise DomainError("invalid_transition",
                              "section {section_id} is {status}: cannot move to {to}",
                              key="section_cannot_move", section_id=section_id,
                              status=section.status, to=to)
        if to is S.SHIPPING and not (carrier.strip() and invoice_no.strip()):
            if not (section.carrier and section.invoice_no):
                raise InvalidInput("invoice_required",
                                   "shipping needs a carrier and an invoice number")
            carrier, invoice_no = section.carrier, section.invoice_no
        if to in (S.READY_TO_SHIP, S.SHIPPING) and (carrier.strip() or invoice_no.strip()):
            if not (carrier.strip() and invoice_no.strip()):
                raise InvalidInput("invoice_required", "give both the carrier and the invoice number",
                                   key="invoice_both")
            section.carrier, section.invoice_no = carrier.strip(), invoice_no.strip()
        if to is S.DELIVERED:
            section.auto_confirm_at = now + timedelta(days=auto_confirm_days)
        return [self._move(section, to, actor, now)]

    def ship(self, section_id: str, carrier: str, invoice_no: str, actor: Actor, now: datetime,
             auto_confirm_days: int) -> list[Event]:
        """Ship a PREPARING or READY_TO_SHIP section (a PREPARING one passes READY_TO_SHIP).
        All or nothing: checked before the first step."""
        section = self.section(section_id)
        if not (carrier.strip() and invoice_no.strip()) and not (section.carrier
                                                                  and section.invoice_no):
            raise InvalidInput("invoice_required", "shipping needs a carrier and an invoice number")
        if section.status not in (S.PREPARING, S.READY_TO_SHIP):
            raise DomainError("invalid_transition",
                              "section {section_id} is {status}: cannot move to {to}",
                              key="section_cannot_move", section_id=section_id,
                              status=section.status, to=S.SHIPPING)
        events: list[Event] = []
        if section.status is S.PREPARING:
            events += self.change_section(section_id, S.READY_TO_SHIP, actor, now,
                                          auto_confirm_days, carrier, invoice_no)
        return events + self.change_section(section_id, S.SHIPPING, actor, now,
                                            auto_confirm_days, carrier, invoice_no)

    def change_invoice(self, section_id: str, carrier: str, invoice_no: str, actor: Actor,
                       now: datetime) -> list[Event]:
        """송장 변경: correct the carrier and invoice number of a SHIPPING section (a wrong number
        typed, or the parcel went with another carrier). The status stays SHIPPING."""
        self._refuse_if_cancelled(f"change the invoice of section {section_id}")
        section = self.section(section_id)
        self._refuse_if_claimed(section)
        if section.status is not S.SHIPPING:
            raise DomainError("invalid_transition",
                              "section {section_id} is {status}: only a SHIPPING section's "
                              "invoice can be changed", key="invoice_change_not_shipping",
                              section_id=section_id, status=section.status)
        carrier, invoice_no = carrier.strip(), invoice_no.strip()
        for name, value in (("carrier", carrier), ("invoice_no", invoice_no)):
            if not value:
                raise InvalidInput("invalid_input", "{field}: give the new carrier and invoice "
                                   "number", key="field_required", field=name)
        if carrier not in CARRIERS:
            raise InvalidInput("invalid_input", "{field}: {carrier} is not a carrier we ship with",
                               key="invoice_unknown_carrier", field="carrier", carrier=carrier)
        if not INVOICE.match(invoice_no):
            raise InvalidInput("invalid_input", "{field}: {invoice_no} is not an invoice number "
                               "(4-40 letters, digits or -)", key="invoice_bad_number",
                               field="invoice_no", invoice_no=invoice_no)
        if (carrier, invoice_no) == (section.carrier, section.invoice_no):
            raise DomainError("invoice_unchanged",
                              "section {section_id} already ships with {carrier} {invoice_no}",
                              section_id=section_id, carrier=carrier, invoice_no=invoice_no)
        previous_carrier, previous_invoice_no = section.carrier, section.invoice_no
        section.carrier, section.invoice_no = carrier, invoice_no
        self._log(now, actor, "invoice_changed", f"{previous_carrier} {previous_invoice_no}".strip(),
                  f"{carrier} {invoice_no}", section_id=section_id)
        return [InvoiceChanged(**self._event_base(), section_id=section_id,
                               items=self._items(section), carrier=carrier,
                               invoice_no=invoice_no, previous_carrier=previous_carrier,
                               previous_invoice_no=previous_invoice_no, actor=actor)]

    # ---- partial shipment ----

    def split_section(self, section_id: str, items: list[ItemQty], actor: Actor,
                      now: datetime) -> list[Event]:
        self._refuse_if_cancelled(f"split section {section_id}")
        section = self.section(section_id)
        self._refuse_if_claimed(section)
        if section.status is not S.PREPARING:
            raise DomainError("invalid_transition",
                              "section {section_id} is {status}: only PREPARING sections can be "
                              "split", key="split_needs_preparing", section_id=section_id,
                              status=section.status)
        have = {i.line_id: i.quantity for i in section.items}
        move: dict[str, int] = {}
        for item in items:
            move[item.line_id] = move.get(item.line_id, 0) + item.quantity
        for line_id, qty in move.items():
            if line_id not in have:
                raise InvalidInput("unknown_item", "line {line_id} is not in section {section_id}",
                                   line_id=line_id, section_id=section_id)
            if qty > have[line_id]:
                raise InvalidInput("too_many_units",
                                   "line {line_id}: section {section_id} holds {have} units, "
                                   "cannot move {quantity}", key="split_too_many_units",
                                   line_id=line_id, section_id=section_id, have=have[line_id],
                                   quantity=qty)
        if self.channel in SIMPLE_PAY and any(qty != have[k] for k, qty in move.items()):
            raise InvalidInput("partner_ships_whole_lines",
                               "a {channel} order ships each line whole: move all its units, or "
                               "none", channel=self.channel)
        if sum(move.values()) == sum(have.values()):
            raise InvalidInput("split_everything",
                               "choose fewer units than the whole section; nothing would stay")
        new = Section(f"{self.order_no}-{self.next_section_no}", S.PREPARING,
                      [SectionItem(line_id, qty) for line_id, qty in move.items()],
                      status_changed_at=now)
        self.next_section_no += 1
        section.items = [SectionItem(i.line_id, i.quantity - move.get(i.line_id, 0))
                         for i in section.items if i.quantity > move.get(i.line_id, 0)]
        self.sections.insert(self.sections.index(section) + 1, new)
        self._log(now, actor, "section_split", section_id, new.section_id,
                  ", ".join(f"{self.line(k).name} ×{v}" for k, v in move.items()))
        return [SectionSplit(**self._event_base(), section_id=section_id,
                             new_section_id=new.section_id, status=S.PREPARING,
                             items=self._items(section), new_items=self._items(new), actor=actor)]

    def merge_sections(self, section_ids: list[str], actor: Actor, now: datetime) -> list[Event]:
        self._refuse_if_cancelled("merge sections")
        if len(set(section_ids)) < 2:
            raise InvalidInput("merge_needs_two", "choose at least two different sections")
        chosen = [s for s in self.sections if s.section_id in set(section_ids)]
        if len(chosen) != len(set(section_ids)):
            missing = set(section_ids) - {s.section_id for s in chosen}
            raise DomainError("not_found", "sections {section_ids} are not part of order {order_no}",
                              key="sections_not_in_order", section_ids=sorted(missing),
                              order_no=self.order_no)
        for s in chosen:
            self._refuse_if_claimed(s)
        statuses = {s.status for s in chosen}
        if len(statuses) != 1 or next(iter(statuses)) not in MERGEABLE:
            raise DomainError("invalid_transition",
                              "only sections in the same status, PREPARING or READY_TO_SHIP, can "
                              "be merged (these are {statuses})", key="merge_same_status",
                              statuses=sorted(x.value for x in statuses))
        into, rest = chosen[0], chosen[1:]
        totals: dict[str, int] = {}
        for s in chosen:
            for i in s.items:
                totals[i.line_id] = totals.get(i.line_id, 0) + i.quantity
        into.items = [SectionItem(k, v) for k, v in totals.items()]
        into.carrier = into.carrier or next((s.carrier for s in rest if s.carrier), "")
        into.invoice_no = into.invoice_no or next((s.invoice_no for s in rest if s.invoice_no), "")
        self.sections = [s for s in self.sections if s not in rest]
        merged = [s.section_id for s in rest]
        self._log(now, actor, "sections_merged", ", ".join(merged), into.section_id)
        return [SectionsMerged(**self._event_base(), section_id=into.section_id,
                               merged_section_ids=merged, status=into.status,
                               items=self._items(into), actor=actor)]

    def confirm_purchase(self, actor: Actor, now: datetime, automatic: bool,
                         section_ids: list[str] | None = None) -> list[Event]:
        self._refuse_if_cancelled("confirm the purchase")
        targets = [
            s for s in self.sections
            if s.status is S.DELIVERED and not s.claim
            and (section_ids is None or s.section_id in section_ids)
        ]
        if not targets:
            raise DomainError("invalid_transition",
                              "order {order_no} has no DELIVERED section to confirm "
                              "(statuses: {statuses})", key="nothing_to_confirm",
                              order_no=self.order_no, statuses=self.statuses)
        events: list[Event] = []
        for s in targets:
            s.auto_confirm_at = None
            events.append(self._move(s, S.CONFIRMED, actor, now,
                                     note="자동 구매확정" if automatic else ""))
            events.append(PurchaseConfirmed(
                **self._event_base(), section_id=s.section_id, member_id=self.buyer.member_id,
                channel=self.channel, confirmed_amount=self.section_amount(s),
                automatic=automatic, actor=actor,
            ))
        return events

    # ---- what a simple-pay partner reports ----

    def partner_moved(self, line_ids: list[str], to: SectionStatus, actor: Actor, now: datetime,
                      auto_confirm_days: int, shipped_outside: bool = False) -> list[Event]:
        """The partner says these lines shipped, were delivered or purchase-decided: the
        sections holding them follow, when they are not there yet (a report seen twice, or
        about lines that moved on here, changes nothing). Shipping done in the partner's own
        center carries no invoice we know: the section ships without one, and says so."""
        wanted = set(line_ids)
        sections = [x for x in self.sections if not x.claim
                    and wanted & {i.line_id for i in x.items}]
        events: list[Event] = []
        for section in sections:
            if to is S.SHIPPING and section.status in (S.PREPARING, S.READY_TO_SHIP):
                events.append(self._move(section, S.SHIPPING, actor, now,
                                         note="partner_center" if shipped_outside else ""))
            elif to is S.DELIVERED and section.status is S.SHIPPING:
                section.auto_confirm_at = now + timedelta(days=auto_confirm_days)
                events.append(self._move(section, S.DELIVERED, actor, now))
            elif to is S.CONFIRMED and section.status in (S.SHIPPING, S.DELIVERED):
                if section.status is S.SHIPPING:
                    events.append(self._move(section, S.DELIVERED, actor, now))
                events += self.confirm_purchase(actor, now, automatic=False,
                                                section_ids=[section.section_id])
        return events

    def carrier_delivered(self, section_id: str, invoice_no: str, actor: Actor, now: datetime,
                          auto_confirm_days: int) -> list[Event]:
        """The carrier scanned the section's parcel delivered (carrier tracking): a SHIPPING
        section with that invoice moves to DELIVERED, its auto-confirm days starting as when
        the seller moves it. A section delivered by hand, claimed, cancelled or re-invoiced
        meanwhile changes nothing (and a report seen twice neither)."""
        section = next((x for x in self.sections if x.section_id == section_id), None)
        if (section is None or section.claim or section.status is not S.SHIPPING
                or section.invoice_no != invoice_no):
            return []
        section.auto_confirm_at = now + timedelta(days=auto_confirm_days)
        return [self._move(section, S.DELIVERED, actor, now, note=f"{section.carrier} "
                                                                  f"{section.invoice_no}")]

    def _move(self, section: Section, to: SectionStatus, actor: Actor, now: datetime,
              note: str = "") -> SectionStatusChanged:
        before = section.status
        section.status = to
        section.status_changed_at = now
        self._log(now, actor, "section_status", before.value, to.value,
                  note or (f"{section.carrier} {section.invoice_no}" if to is S.SHIPPING else ""),
                  section.section_id)
        return SectionStatusChanged(
            **self._event_base(), section_id=section.section_id, from_status=before,
            to_status=to, items=self._items(section),
            lines=[self.line(i.line_id) for i in section.items],
            carrier=section.carrier, invoice_no=section.invoice_no, actor=actor,
        )

    # ---- cancellation and notes ----

    def cancel(self, reason: str, actor: Actor, now: datetime) -> list[Event]:
        self._refuse_if_cancelled("cancel it again")
        if self.payment_status is not PaymentStatus.PENDING:
            raise DomainError("invalid_transition",
                              "order {order_no} is paid ({statuses}): cancel it through a claim",
                              key="paid_cancel_by_claim", order_no=self.order_no,
                              statuses=self.statuses)
        return self._cancel(reason, actor, now)

    def _cancel(self, reason: str, actor: Actor, now: datetime) -> list[Event]:
        for s in self.sections:
            before = s.status
            s.status, s.status_changed_at = S.CANCELLED, now
            self._log(now, actor, "section_status", before.value, S.CANCELLED.value, reason,
                      s.section_id)
        self.payment_status = PaymentStatus.CANCELLED
        self.cancel_reason = reason
        return [OrderCancelled(**self._event_base(), reason=reason, items=self._all_items(),
                               lines=self.lines, actor=actor)]

    def deposit_expired(self, now: datetime) -> list[Event]:
        if (self.payment_status is not PaymentStatus.PENDING or self.deposit_deadline is None
                or self.deposit_deadline > now):
            return []
        return self._cancel("입금 기한 만료", Actor(kind="system", id="scheduler", name="시스템"), now)

    def add_note(self, text: str, actor: Actor, now: datetime) -> None:
        self._log(now, actor, "note", note=text)

    def record(self, actor: Actor, action: str, note: str, now: datetime,
               why: dict[str, Any] | None = None) -> None:
        self._log(now, actor, action, note=note, why=why)
