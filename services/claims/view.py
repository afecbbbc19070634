"""The claims service's own view of an order (fed by order events) and what a new claim may take.
Pure: the service loads the view, the sections and the order's claims, and asks here.

Units under an open claim are not claimable twice: once orders has moved them, they sit in the
claim section (refused as a whole); before that, they are subtracted from their source section.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from claims.claim import Claim
from claims.domain import refusal
from claims.money import Ledger, Line, OrderMoney
from contracts.claimability import allowed_claims
from contracts.claims.v1 import ClaimKind
from contracts.orders.v1 import SectionStatus
from kit.errors import DomainError, InvalidInput, NotFound
from kit.money import allocate

UNDER_CLAIM = ("line {line_id}: {under} of {total} units in section {section_id} are already "
               "under claim")


@dataclass(frozen=True)
class LineInfo:
    line_id: str
    product_id: str
    sku_id: str
    name: str
    option_label: str
    unit_price: int
    quantity: int


@dataclass
class OrderView:
    order_id: str
    order_no: str
    member_id: str
    channel: str
    payment_method: str
    payment_status: str  # PENDING | PAID | CANCELLED (as orders says)
    lines: dict[str, LineInfo]
    shipping_fee: int
    paid_amount: int
    points_used: int = 0
    discount: int = 0
    allocations: dict[str, int] = field(default_factory=dict)
    ledger: Ledger = field(default_factory=Ledger)
    claims_opened: int = 0
    version: int = 0

    @property
    def paid(self) -> bool:
        return self.payment_status == "PAID"

    def money(self) -> OrderMoney:
        alloc = self.allocations or allocate(
            self.discount, {k: x.unit_price * x.quantity for k, x in self.lines.items()})
        return OrderMoney(
            lines={k: Line(x.unit_price, x.quantity, alloc.get(k, 0)) for k, x in self.lines.items()},
            shipping_fee=self.shipping_fee, paid_amount=self.paid_amount,
            points_used=self.points_used)

    def next_claim_no(self) -> str:
        return f"{self.order_no}-C{self.claims_opened + 1}"


@dataclass(frozen=True)
class SectionView:
    section_id: str
    status: str
    items: dict[str, int]  # line id → units


@dataclass(frozen=True)
class Wanted:
    section_id: str
    line_id: str
    quantity: int


def claimable(sections: dict[str, SectionView], claims: list[Claim]) -> dict[str, dict[str, int]]:
    """Units per section and line that no open claim holds (claim sections hold none)."""
    held = {c.claim_no for c in claims if c.is_open}
    out = {sid: dict(s.items) for sid, s in sections.items() if sid not in held}
    for c in claims:
        if c.is_open and not c.moved:
            for i in c.items:
                if i.section_id in out and i.line_id in out[i.section_id]:
                    out[i.section_id][i.line_id] -= i.quantity
    return out


def check(kind: ClaimKind, wanted: list[Wanted], order: OrderView,
          sections: dict[str, SectionView], claims: list[Claim]) -> str:
    """Refuse a claim that cannot be; returns the status its units come from."""
    if not wanted:
        raise InvalidInput("no_items", "choose at least one item and a quantity",
                           key="claim_no_items")
    held = {c.claim_no for c in claims if c.is_open}
    free = claimable(sections, claims)
    asked: dict[tuple[str, str], int] = {}
    for w in wanted:
        if w.quantity < 1:
            raise InvalidInput("bad_quantity", "quantities must be at least 1",
                               key="claim_bad_quantity")
        if w.line_id not in order.lines:
            raise InvalidInput("unknown_item", "line {line_id} is not part of order {order_no}",
                               key="claim_line_not_in_order", line_id=w.line_id,
                               order_no=order.order_no)
        asked[w.section_id, w.line_id] = asked.get((w.section_id, w.line_id), 0) + w.quantity
    # Units open claims took out of each (section, line): moved, or still to be moved.
    taken: dict[tuple[str, str], int] = {}
    for c in claims:
        if c.is_open:
            for i in c.items:
                taken[i.section_id, i.line_id] = taken.get((i.section_id, i.line_id), 0) + i.quantity
    statuses: set[str] = set()
    for (section_id, line_id), n in asked.items():
        under = taken.get((section_id, line_id), 0)
        if section_id in held:
            raise DomainError("under_claim", "section {section_id} is already under claim",
                              key="claim_section_under_claim", section_id=section_id)
        section = sections.get(section_id)
        if section is None and under:
            raise DomainError("under_claim", UNDER_CLAIM, key="claim_units_under_claim",
                              line_id=line_id, under=under, total=under, section_id=section_id)
        if section is None:
            raise NotFound("section", section_id)
        known = SectionStatus(section.status) if section.status in SectionStatus.__members__ else None
        if known is None or kind not in allowed_claims(known):
            raise refusal(section.status, kind)
        statuses.add(section.status)
        have = section.items.get(line_id, 0)  # still in the section (unmoved claims included)
        left = free.get(section_id, {}).get(line_id, 0)
        before = have + under - (have - left)  # what the section held before the open claims
        if before == 0:
            raise InvalidInput("unknown_item", "line {line_id} is not in section {section_id}",
                               key="claim_line_not_in_section", line_id=line_id,
                               section_id=section_id)
        if n > left and under and n <= before:
            raise DomainError("under_claim", UNDER_CLAIM, key="claim_units_under_claim",
                              line_id=line_id, under=under, total=before, section_id=section_id)
        if n > left:
            raise InvalidInput("too_many_units", "line {line_id}: section {section_id} holds "
                                                 "{left} units, cannot claim {quantity}",
                               key="claim_more_than_claimable", line_id=line_id,
                               section_id=section_id, left=left, quantity=n)
    if len(statuses) > 1:
        raise InvalidInput("mixed_statuses", "claim units of sections in one status at a time "
                                             "(these are {statuses})",
                           key="claim_mixed_statuses", statuses=sorted(statuses))
    [status] = statuses
    if status == SectionStatus.PAYMENT_PENDING:
        every = {(sid, lid): n for sid, s in sections.items() if s.status == status
                 for lid, n in s.items.items()}
        if asked != every or any(c.is_open for c in claims):
            raise InvalidInput("whole_order_only",
                               "before payment only the whole order can be cancelled",
                               key="claim_whole_order_only")
    return status
