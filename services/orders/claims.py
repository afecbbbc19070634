"""The order side of claims (SPEC §5): claimed units move into a claim section, which follows
the claim to its end (CANCELLED, RETURNED, EXCHANGED) or goes back to normal when rejected.
A completed exchange's replacement units then live on in a new, normal section (SHIPPING with
the reshipment's invoice) on new lines naming the replacement SKU and its price.
The claims service decides; this module keeps the order's sections and quantities right. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from contracts.claimability import allowed_claims
from contracts.claims.v1 import ClaimItem, ClaimKind, ClaimState, ClaimStateChanged
from contracts.envelope import Actor, Event
from contracts.orders.v1 import (
    ClaimSectionOpened,
    ClaimUnitsRefused,
    ItemQty,
    LineData,
    PaymentStatus,
    ReplacementShipped,
    SectionItems,
    SectionStatus,
)
from kit.errors import DomainError
from orders.domain import Order, Section, SectionItem

S = SectionStatus
FINAL_STATUS = {ClaimKind.CANCEL: S.CANCELLED, ClaimKind.RETURN: S.RETURNED,
                ClaimKind.EXCHANGE: S.EXCHANGED}


@dataclass
class ClaimTag:
    claim_id: str
    kind: str
    state: str
    saved_auto_confirm_at: datetime | None = None

    @property
    def open(self) -> bool:
        return self.state not in (ClaimState.COMPLETED, ClaimState.REJECTED)


def open_claim(order: Order, claim_id: str, kind: ClaimKind, claim_section_id: str,
               items: list[ClaimItem], actor: Actor, now: datetime) -> list[Event]:
    """Move the claimed units; refuse (as an event, changing nothing) if they are not there."""
    if any(s.claim and s.claim.claim_id == claim_id for s in order.sections):
        return []  # already applied
    try:
        sources, status = _check(order, kind, items)
    except DomainError as refused:
        order.record(actor, "claim_refused", f"{claim_id}: {refused.message}", now,
                     why=refused.why())
        return [ClaimUnitsRefused(key=order.order_id, order_id=order.order_id,
                                  order_no=order.order_no, claim_id=claim_id,
                                  reason=refused.message)]
    moved: dict[str, int] = {}
    for item in items:
        section = sources[item.section_id]
        for si in section.items:
            if si.line_id == item.line_id:
                si.quantity -= item.quantity
        section.items = [si for si in section.items if si.quantity > 0]
        moved[item.line_id] = moved.get(item.line_id, 0) + item.quantity
    first = sources[items[0].section_id]
    claim_section = Section(claim_section_id, status, [SectionItem(k, v) for k, v in moved.items()],
                            first.carrier, first.invoice_no, now, None)
    claim_section.claim = ClaimTag(claim_id, kind, ClaimState.REQUESTED, first.auto_confirm_at)
    order.sections.insert(order.sections.index(first) + 1, claim_section)
    order.sections = [s for s in order.sections if s.items]
    order._log(now, actor, "claim_opened", status.value, kind.value,
               ", ".join(f"{order.line(k).name} ×{v}" for k, v in moved.items()),
               claim_section_id)
    return [ClaimSectionOpened(
        key=order.order_id, order_id=order.order_id, order_no=order.order_no, claim_id=claim_id,
        kind=kind.value, section_id=claim_section_id, status=status,
        items=[ItemQty(line_id=k, quantity=v) for k, v in moved.items()],
        sources=[SectionItems(section_id=sid, items=[ItemQty(line_id=i.line_id, quantity=i.quantity)
                                                      for i in sec.items])
                 for sid, sec in sources.items()],
        actor=actor)]


def _check(order: Order, kind: ClaimKind,
           items: list[ClaimItem]) -> tuple[dict[str, Section], SectionStatus]:
    if order.payment_status is PaymentStatus.CANCELLED:
        raise DomainError("order_cancelled", "order {order_no} is CANCELLED",
                          key="claim_order_cancelled", order_no=order.order_no)
    sources: dict[str, Section] = {}
    wanted: dict[tuple[str, str], int] = {}
    for item in items:
        section = order.section(item.section_id)
        if section.claim and section.claim.open:
            raise DomainError("under_claim", "section {section_id} is already under a {kind} claim",
                              key="section_under_claim", section_id=section.section_id,
                              kind=section.claim.kind)
        if kind not in allowed_claims(section.status):
            raise DomainError("invalid_transition", "section {section_id} is {status}: a {kind} is "
                              "not possible", key="claim_not_possible",
                              section_id=section.section_id, status=section.status, kind=kind)
        sources[section.section_id] = section
        key = (section.section_id, item.line_id)
        wanted[key] = wanted.get(key, 0) + item.quantity
    statuses = {s.status for s in sources.values()}
    if len(statuses) != 1:
        raise DomainError("mixed_status", "claim units from sections in one status at a time")
    for (sid, line_id), qty in wanted.items():
        have = sum(i.quantity for i in sources[sid].items if i.line_id == line_id)
        if qty > have:
            raise DomainError("too_many_units", "section {section_id} holds {have} units of line "
                              "{line_id}, cannot claim {quantity}", key="claim_too_many_units",
                              section_id=sid, have=have, line_id=line_id, quantity=qty)
    return sources, statuses.pop()


def claim_state(order: Order, e: ClaimStateChanged, now: datetime) -> list[Event]:
    section = next((s for s in order.sections if s.claim and s.claim.claim_id == e.claim_id), None)
    if section is None or section.claim is None or not section.claim.open:
        return []  # refused earlier, or already finished: nothing to move
    tag = section.claim
    before, tag.state = tag.state, e.to_state.value
    order._log(now, e.actor, "claim_state", before, e.to_state.value,
               " ".join(x for x in (e.kind.value, e.carrier, e.invoice_no, e.note) if x),
               section.section_id)
    if e.to_state is ClaimState.RESHIPPED:
        section.carrier, section.invoice_no = e.carrier, e.invoice_no
    if e.to_state is ClaimState.REJECTED:
        section.auto_confirm_at = tag.saved_auto_confirm_at
        section.claim = None
        return []
    if e.to_state is not ClaimState.COMPLETED:
        return []
    moved = order._move(section, FINAL_STATUS[ClaimKind(tag.kind)], e.actor, now)
    if all(s.status is S.CANCELLED for s in order.sections):
        order.payment_status = (PaymentStatus.CANCELLED if order.payment_status
                                is PaymentStatus.PENDING else PaymentStatus.REFUNDED)
        order.cancel_reason = order.cancel_reason or "전체 취소"
        moved = moved.model_copy(update={"order_cancelled": True})  # coupons come back
    if tag.kind == ClaimKind.EXCHANGE:
        return [moved, replacement(order, section, e, now)]
    return [moved]


def replacement(order: Order, claim_section: Section, e: ClaimStateChanged,
                now: datetime) -> ReplacementShipped:
    """The replacement units of a completed exchange as a new SHIPPING section, one new line
    per (replaced line, replacement SKU): `{line}-{claim}` (e.g. L1-C1), at the replacement's
    unit price, carrying over the discount share of the units it replaces, so confirming or
    refunding it counts what the buyer paid for it (the price difference was settled by the
    claim)."""
    tag = claim_section.section_id.rsplit("-", 1)[-1]
    groups: dict[tuple[str, str], list[ClaimItem]] = {}
    for item in e.items:
        groups.setdefault((item.line_id, item.new_sku_id or item.sku_id), []).append(item)
    per_line: dict[str, int] = {}
    lines: list[LineData] = []
    allocations: dict[str, int] = {}
    for (line_id, sku_id), items in groups.items():
        old = order.line(line_id)
        per_line[line_id] = per_line.get(line_id, 0) + 1
        suffix = "" if per_line[line_id] == 1 else f"-{per_line[line_id]}"
        first = items[0]
        same = sku_id == old.sku_id
        qty = sum(i.quantity for i in items)
        line = LineData(
            line_id=f"{line_id}-{tag}{suffix}", product_id=old.product_id, sku_id=sku_id,
            name=old.name,
            option_label=first.new_option_label or (old.option_label if same else ""),
            unit_price=(first.new_unit_price if first.new_unit_price is not None
                        else old.unit_price),
            quantity=qty)
        lines.append(line)
        allocations[line.line_id] = order.allocations.get(line_id, 0) * qty // old.quantity
    new = Section(f"{order.order_no}-{order.next_section_no}", S.SHIPPING,
                  [SectionItem(x.line_id, x.quantity) for x in lines], claim_section.carrier,
                  claim_section.invoice_no, now, None, None, claim_section.section_id)
    order.next_section_no += 1
    order.lines = [*order.lines, *lines]
    order.allocations = {**order.allocations, **allocations}
    order.sections.insert(order.sections.index(claim_section) + 1, new)
    order._log(now, e.actor, "replacement_shipped", claim_section.section_id, S.SHIPPING.value,
               ", ".join(f"{x.name} {x.option_label} ×{x.quantity}".replace("  ", " ")
                         for x in lines), new.section_id)
    return ReplacementShipped(
        key=order.order_id, order_id=order.order_id, order_no=order.order_no,
        claim_id=e.claim_id, section_id=new.section_id,
        replaces_section_id=claim_section.section_id, status=S.SHIPPING,
        items=[ItemQty(line_id=x.line_id, quantity=x.quantity) for x in lines], lines=lines,
        allocations=allocations, carrier=new.carrier, invoice_no=new.invoice_no, actor=e.actor)
