"""Properties over random orders and random sequences of partial claims (hypothesis): total
refunded ≤ paid, never negative, allocations add up, per-line quantities always add up."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.claim import Claim, ClaimLine
from claims.money import Ledger, Line, OrderMoney, apply, quote
from claims.view import LineInfo, OrderView, SectionView, Wanted, check, claimable
from contracts.claims.v1 import ClaimKind, ClaimState, ReasonCode
from contracts.envelope import Actor
from kit.errors import DomainError
from kit.money import allocate

K = ClaimKind
NOW = datetime(2026, 11, 26, tzinfo=UTC)


@st.composite
def orders(draw: st.DrawFn) -> OrderMoney:
    n = draw(st.integers(1, 4))
    lines = {f"L{i}": (draw(st.integers(0, 200) .map(lambda x: x * 100)), draw(st.integers(1, 6)))
             for i in range(1, n + 1)}
    items = sum(p * q for p, q in lines.values())
    discount = draw(st.integers(0, items))
    alloc = allocate(discount, {k: p * q for k, (p, q) in lines.items()})
    assert sum(alloc.values()) == discount and all(v >= 0 for v in alloc.values())
    shipping = draw(st.sampled_from([0, 2500, 3000]))
    spent = items - discount + shipping - draw(st.sampled_from([0, shipping]))
    points = draw(st.integers(0, spent))
    return OrderMoney(lines={k: Line(p, q, alloc[k]) for k, (p, q) in lines.items()},
                      shipping_fee=shipping, paid_amount=spent - points, points_used=points)


steps = st.lists(st.tuples(st.sampled_from(list(K)), st.integers(0, 3), st.integers(1, 6),
                           st.sampled_from([0, 3000, 6000]), st.booleans(),
                           st.integers(0, 300).map(lambda x: x * 100)), max_size=12)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(money=orders(), claims=steps)
def test_no_sequence_of_partial_claims_refunds_more_than_was_paid(
        money: OrderMoney, claims: list[tuple[ClaimKind, int, int, int, bool, int]]) -> None:
    ledger = Ledger()
    line_ids = sorted(money.lines)
    only_plain = True
    for kind, pick, n, fee, deduct, new_price in claims:
        line_id = line_ids[pick % len(line_ids)]
        line = money.lines[line_id]
        left = line.quantity - ledger.units.get(line_id, 0)
        if kind is K.CANCEL:
            left = min(left, line.quantity - ledger.cancelled.get(line_id, 0))
        n = min(n, left)
        if n == 0:
            continue
        q = quote(money, ledger, kind, {line_id: n}, paid=True, fee=0 if kind is K.CANCEL else fee,
                  deduct_fee=deduct, new_prices={line_id: new_price})
        for value in (q.refund, q.payment, q.points, q.due, q.discount, q.fee_deducted):
            assert value >= 0
        assert q.refund == q.payment + q.points
        only_plain &= kind is not K.EXCHANGE and (kind is K.CANCEL or fee == 0)
        ledger = apply(ledger, kind, {line_id: n}, q)
        assert ledger.refunded <= money.spent
        assert ledger.payment <= money.paid_amount and ledger.points <= money.points_used
        for lid, x in money.lines.items():
            assert ledger.discount.get(lid, 0) == x.allocation * ledger.units.get(lid, 0) // x.quantity
    if only_plain and all(ledger.units.get(k, 0) == x.quantity for k, x in money.lines.items()):
        # Every unit came back without fees: exactly the lines' net amounts (+ shipping if all
        # of them were cancelled before shipping).
        nets = sum(x.unit_price * x.quantity - x.allocation for x in money.lines.values())
        shipping = money.shipping_paid if ledger.shipping_refunded else 0
        assert ledger.refunded == min(money.spent, nets + shipping)


def view(lines: dict[str, int]) -> OrderView:
    return OrderView(order_id="o", order_no="N", member_id="m", channel="STOREFRONT",
                     payment_method="CARD", payment_status="PAID",
                     lines={k: LineInfo(k, "P", f"S-{k}", k, "", 1000, q) for k, q in lines.items()},
                     shipping_fee=0, paid_amount=sum(lines.values()) * 1000)


def new_claim(no: int, section_id: str, line_id: str, n: int) -> Claim:
    return Claim(claim_id=f"c{no}", claim_no=f"N-C{no}", order_id="o", order_no="N",
                 member_id="m", kind=K.RETURN, state=ClaimState.REQUESTED,
                 items=[ClaimLine(section_id, line_id, f"S-{line_id}", n)],
                 source_status="DELIVERED", reason_code=ReasonCode.DEFECT, reason="",
                 opened_by=Actor(kind="buyer"), opened_at=NOW)


# Each step: open a claim on (section pick, line pick, n), or move / reject / complete claim pick.
ops = st.lists(st.tuples(st.sampled_from(["open", "move", "reject", "complete"]),
                         st.integers(0, 5), st.integers(0, 3), st.integers(1, 5)), max_size=25)


@settings(max_examples=300, deadline=None)
@given(lines=st.dictionaries(st.sampled_from(["L1", "L2", "L3"]), st.integers(1, 6), min_size=1),
       steps=ops)
def test_claims_never_take_units_twice_and_every_line_always_adds_up(
        lines: dict[str, int], steps: list[tuple[str, int, int, int]]) -> None:
    order = view(lines)
    sections = {"N-1": SectionView("N-1", "DELIVERED", dict(lines))}
    claims: list[Claim] = []
    for op, pick, line_pick, n in steps:
        if op == "open":
            sid = sorted(sections)[pick % len(sections)]
            line_id = sorted(lines)[line_pick % len(lines)]
            free = claimable(sections, claims).get(sid, {}).get(line_id, 0)
            try:
                check(K.RETURN, [Wanted(sid, line_id, n)], order, sections, claims)
            except DomainError:
                assert n > free or sections[sid].status != "DELIVERED"
                continue
            assert n <= free
            claims.append(new_claim(len(claims) + 1, sid, line_id, n))
            continue
        if not claims:
            continue
        c = claims[pick % len(claims)]
        if op == "move" and c.is_open and not c.moved:  # what orders does on ClaimOpened
            src = sections[c.items[0].section_id]
            left = {k: v - (c.units.get(k, 0)) for k, v in src.items.items()}
            sections[src.section_id] = SectionView(src.section_id, src.status,
                                                   {k: v for k, v in left.items() if v})
            sections[c.claim_no] = SectionView(c.claim_no, src.status, c.units)
            c.moved = True
        elif op == "reject" and c.is_open:
            c.state = ClaimState.REJECTED  # the claim section goes back to normal
        elif op == "complete" and c.is_open and c.moved:
            c.state = ClaimState.COMPLETED
            sections[c.claim_no] = SectionView(c.claim_no, "RETURNED", c.units)
        free = claimable(sections, claims)
        for line_id, ordered in lines.items():
            held = sum(i.quantity for x in claims if x.is_open and not x.moved
                       for i in x.items if i.line_id == line_id)
            in_sections = sum(s.items.get(line_id, 0) for s in sections.values())
            assert in_sections == ordered
            free_units = sum(f.get(line_id, 0) for f in free.values())
            under_moved = sum(s.items.get(line_id, 0) for s in sections.values()
                              if any(x.claim_no == s.section_id and x.is_open for x in claims))
            assert free_units == ordered - held - under_moved
            assert all(v >= 0 for f in free.values() for v in f.values())
