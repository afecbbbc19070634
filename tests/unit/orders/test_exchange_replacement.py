"""A completed exchange does not end the order's life (SPEC §5): the returned units stay in the
EXCHANGED claim section, and the replacement lives on as a normal SHIPPING section on a new line
that names the replacement SKU and its price, which is delivered, confirmed (counting what the
buyer paid for it) or claimed again like any section."""

from __future__ import annotations

from datetime import UTC, datetime

from contracts.claims.v1 import ClaimItem, ClaimKind, ClaimState, ClaimStateChanged
from contracts.envelope import Actor
from contracts.orders.v1 import (
    PurchaseConfirmed,
    ReplacementShipped,
    SectionStatus,
    SectionStatusChanged,
)
from orders.claims import claim_state, open_claim
from orders.domain import Order
from orders.repository import from_doc, to_doc
from tests.unit.orders.test_split_merge import paid_order

S = SectionStatus
C = ClaimState
NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
BUYER = Actor(kind="buyer", id="m1", name="구매자")
SELLER = Actor(kind="seller", id="seller", name="판매자")
FIRST = "20261126-000001-1"
CLAIM = "20261126-000001-C1"


def delivered(discount: int = 0) -> Order:
    order = paid_order((5, 2), discount=discount)  # L1: 5 × 1,500, L2: 2 × 2,500
    order.ship(FIRST, "CJ대한통운", "1", SELLER, NOW, 7)
    order.change_section(FIRST, S.DELIVERED, SELLER, NOW, 7)
    return order


def exchange_item(qty: int, new_sku: str = "SKU1-B", price: int | None = 1800) -> ClaimItem:
    return ClaimItem(section_id=FIRST, line_id="L1", sku_id="SKU1", quantity=qty,
                     new_sku_id=new_sku, new_option_label="블루 / L", new_unit_price=price)


def exchanged(order: Order, items: list[ClaimItem]) -> list:  # type: ignore[type-arg]
    open_claim(order, "C1", ClaimKind.EXCHANGE, CLAIM, items, BUYER, NOW)
    events: list = []  # type: ignore[type-arg]
    for before, to, extra in ((C.REQUESTED, C.APPROVED, {}), (C.APPROVED, C.COLLECTED, {}),
                              (C.COLLECTED, C.RESHIPPED,
                               {"carrier": "한진택배", "invoice_no": "555566667777"}),
                              (C.RESHIPPED, C.COMPLETED, {})):
        events = claim_state(order, ClaimStateChanged(
            key=order.order_id, order_id=order.order_id, claim_id="C1", kind=ClaimKind.EXCHANGE,
            claim_section_id=CLAIM, from_state=before, to_state=to, items=items, actor=SELLER,
            **extra), NOW)
    return events


def test_the_replacement_ships_as_a_normal_section_on_a_line_naming_its_sku_and_price() -> None:
    order = delivered()

    moved, shipped = exchanged(order, [exchange_item(2)])

    assert isinstance(moved, SectionStatusChanged) and moved.to_status is S.EXCHANGED
    assert isinstance(shipped, ReplacementShipped)
    kept, returned, replacement = order.sections
    assert (returned.section_id, returned.status) == (CLAIM, S.EXCHANGED)
    assert [(i.line_id, i.quantity) for i in returned.items] == [("L1", 2)]
    assert (replacement.section_id, replacement.status, replacement.claim) == (
        "20261126-000001-2", S.SHIPPING, None)
    assert (replacement.carrier, replacement.invoice_no) == ("한진택배", "555566667777")
    assert replacement.replaces == CLAIM
    line = order.line("L1-C1")
    assert (line.sku_id, line.option_label, line.unit_price, line.quantity) == (
        "SKU1-B", "블루 / L", 1800, 2)
    assert (line.product_id, line.name) == (order.line("L1").product_id, order.line("L1").name)
    assert [(i.line_id, i.quantity) for i in replacement.items] == [("L1-C1", 2)]
    assert order.quantities_by_line() == {"L1": 5, "L2": 2, "L1-C1": 2}
    assert (shipped.section_id, shipped.replaces_section_id, shipped.status) == (
        replacement.section_id, CLAIM, S.SHIPPING)
    assert shipped.lines == [line] and shipped.allocations == {"L1-C1": 0}
    entry = order.timeline[-1]
    assert (entry.action, entry.section_id) == ("replacement_shipped", replacement.section_id)
    assert from_doc(to_doc(order)).sections[2] == replacement


def test_the_replacement_is_delivered_then_confirmed_for_what_the_buyer_paid() -> None:
    order = delivered(discount=1000)  # the discount is allocated over L1 and L2
    share = order.allocations["L1"] * 2 // 5
    exchanged(order, [exchange_item(2)])
    replacement = order.sections[-1].section_id
    order.confirm_purchase(BUYER, NOW, automatic=False, section_ids=[FIRST])

    order.change_section(replacement, S.DELIVERED, SELLER, NOW, 7)
    assert order.sections[-1].auto_confirm_at is not None
    events = order.confirm_purchase(BUYER, NOW, automatic=False)

    [confirmed] = [e for e in events if isinstance(e, PurchaseConfirmed)]
    assert confirmed.section_id == replacement
    assert confirmed.confirmed_amount == 2 * 1800 - share
    assert order.allocations["L1-C1"] == share
    assert {s.status for s in order.sections} == {S.CONFIRMED, S.EXCHANGED}


def test_the_replacement_can_be_returned_by_the_usual_rules() -> None:
    order = delivered()
    exchanged(order, [exchange_item(2)])
    replacement = order.sections[-1].section_id

    [opened] = open_claim(order, "C2", ClaimKind.RETURN, "20261126-000001-C2",
                          [ClaimItem(section_id=replacement, line_id="L1-C1", sku_id="SKU1-B",
                                     quantity=1)], BUYER, NOW)

    assert opened.type == "ClaimSectionOpened"
    assert [(s.section_id, s.status, [(i.line_id, i.quantity) for i in s.items])
            for s in order.sections[-2:]] == [
        (replacement, S.SHIPPING, [("L1-C1", 1)]),
        ("20261126-000001-C2", S.SHIPPING, [("L1-C1", 1)])]


def test_an_exchange_for_the_same_sku_keeps_its_option_and_price() -> None:
    order = delivered()

    exchanged(order, [exchange_item(1, new_sku="SKU1", price=None)])

    line = order.line("L1-C1")
    assert (line.sku_id, line.unit_price, line.quantity) == ("SKU1", 1500, 1)


def test_a_redelivered_completion_adds_no_second_replacement() -> None:
    order = delivered()
    items = [exchange_item(2)]
    exchanged(order, items)
    before = to_doc(order)

    again = claim_state(order, ClaimStateChanged(
        key=order.order_id, order_id=order.order_id, claim_id="C1", kind=ClaimKind.EXCHANGE,
        claim_section_id=CLAIM, from_state=C.RESHIPPED, to_state=C.COMPLETED, items=items,
        actor=SELLER), NOW)

    assert again == [] and to_doc(order) == before
