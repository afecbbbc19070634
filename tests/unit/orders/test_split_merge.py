"""Partial shipment: splitting PREPARING sections by quantity and merging them back (SPEC §4)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contracts.envelope import Actor
from contracts.orders.v1 import (
    Buyer,
    Channel,
    ItemQty,
    LineData,
    PaymentMethod,
    SectionsMerged,
    SectionSplit,
    SectionStatus,
    ShipTo,
)
from kit.errors import DomainError, InvalidInput
from orders.domain import Order

S = SectionStatus
NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
SELLER = Actor(kind="seller", id="seller", name="판매자")


def paid_order(quantities: tuple[int, ...] = (5, 2), discount: int = 0) -> Order:
    lines = [LineData(line_id=f"L{n}", product_id="P", sku_id=f"SKU{n}", name=f"상품{n}",
                      unit_price=1000 * n + 500, quantity=q)
             for n, q in enumerate(quantities, start=1)]
    order, _ = Order.place(
        order_id="o-1", order_no="20261126-000001", channel=Channel.STOREFRONT,
        buyer=Buyer(member_id="m1", name="구매자", phone="010-1234-5678"),
        ship_to=ShipTo(name="구매자", phone="010-1234-5678", zipcode="06236", address1="서울"),
        payment_method=PaymentMethod.CARD, lines=lines, shipping_fee=3000, memo="",
        guest_password_hash="", actor=SELLER, now=NOW, deposit_days=3, discount=discount)
    order.stock_reserved(NOW)
    order.confirm_payment(order.paid_amount, SELLER, NOW)
    return order


def test_two_of_five_units_of_a_line_move_into_a_new_section() -> None:
    order = paid_order()
    [event] = order.split_section("20261126-000001-1", [ItemQty(line_id="L1", quantity=2)],
                                  SELLER, NOW)
    assert isinstance(event, SectionSplit)
    first, second = order.sections
    assert [(i.line_id, i.quantity) for i in first.items] == [("L1", 3), ("L2", 2)]
    assert (second.section_id, second.status) == ("20261126-000001-2", S.PREPARING)
    assert [(i.line_id, i.quantity) for i in second.items] == [("L1", 2)]
    assert order.quantities_by_line() == {"L1": 5, "L2": 2}


def test_each_section_then_moves_on_its_own() -> None:
    order = paid_order()
    order.split_section("20261126-000001-1", [ItemQty(line_id="L2", quantity=2)], SELLER, NOW)
    order.ship("20261126-000001-2", "CJ대한통운", "111", SELLER, NOW, 7)
    assert [s.status for s in order.sections] == [S.PREPARING, S.SHIPPING]


def test_split_is_refused_outside_preparing_and_for_impossible_quantities() -> None:
    order = paid_order()
    with pytest.raises(InvalidInput, match="nothing would stay"):
        order.split_section("20261126-000001-1", [ItemQty(line_id="L1", quantity=5),
                                                  ItemQty(line_id="L2", quantity=2)], SELLER, NOW)
    with pytest.raises(InvalidInput, match="holds 5 units, cannot move 6"):
        order.split_section("20261126-000001-1", [ItemQty(line_id="L1", quantity=6)], SELLER, NOW)
    with pytest.raises(InvalidInput, match="L9"):
        order.split_section("20261126-000001-1", [ItemQty(line_id="L9", quantity=1)], SELLER, NOW)
    order.change_section("20261126-000001-1", S.READY_TO_SHIP, SELLER, NOW, 7)
    with pytest.raises(DomainError, match="READY_TO_SHIP: only PREPARING"):
        order.split_section("20261126-000001-1", [ItemQty(line_id="L1", quantity=1)], SELLER, NOW)
    assert len(order.sections) == 1


def test_sections_in_the_same_status_merge_back_into_one() -> None:
    order = paid_order()
    order.split_section("20261126-000001-1", [ItemQty(line_id="L1", quantity=2)], SELLER, NOW)
    [event] = order.merge_sections(["20261126-000001-1", "20261126-000001-2"], SELLER, NOW)
    assert isinstance(event, SectionsMerged)
    assert event.merged_section_ids == ["20261126-000001-2"]
    [only] = order.sections
    assert sorted((i.line_id, i.quantity) for i in only.items) == [("L1", 5), ("L2", 2)]


def test_merge_is_refused_across_statuses_and_after_shipping() -> None:
    order = paid_order()
    order.split_section("20261126-000001-1", [ItemQty(line_id="L1", quantity=2)], SELLER, NOW)
    order.change_section("20261126-000001-2", S.READY_TO_SHIP, SELLER, NOW, 7)
    with pytest.raises(DomainError, match="same status"):
        order.merge_sections(["20261126-000001-1", "20261126-000001-2"], SELLER, NOW)
    order.change_section("20261126-000001-1", S.READY_TO_SHIP, SELLER, NOW, 7)
    order.ship("20261126-000001-1", "CJ대한통운", "1", SELLER, NOW, 7)
    order.ship("20261126-000001-2", "CJ대한통운", "2", SELLER, NOW, 7)
    with pytest.raises(DomainError, match="SHIPPING"):
        order.merge_sections(["20261126-000001-1", "20261126-000001-2"], SELLER, NOW)
    with pytest.raises(InvalidInput):
        order.merge_sections(["20261126-000001-1", "20261126-000001-1"], SELLER, NOW)


def test_a_seller_discount_is_allocated_to_lines_and_lowers_the_paid_amount() -> None:
    order = paid_order((2, 1), discount=1001)
    assert order.paid_amount == 2 * 1500 + 2500 + 3000 - 1001
    assert sum(order.allocations.values()) == 1001
    assert order.section_amount(order.sections[0]) == 2 * 1500 + 2500 - 1001


split_or_merge = st.lists(
    st.tuples(st.sampled_from(["split", "merge", "ready"]), st.integers(0, 10),
              st.integers(0, 10), st.integers(1, 6)),
    max_size=25)


@settings(max_examples=300, deadline=None)
@given(quantities=st.lists(st.integers(1, 6), min_size=1, max_size=4).map(tuple),
       commands=split_or_merge)
def test_whatever_splits_and_merges_happen_every_line_still_adds_up(
        quantities: tuple[int, ...], commands: list[tuple[str, int, int, int]]) -> None:
    order = paid_order(quantities)
    ordered = {line.line_id: line.quantity for line in order.lines}
    for kind, a, b, qty in commands:
        sections = order.sections
        first, second = sections[a % len(sections)], sections[b % len(sections)]
        try:
            if kind == "split":
                line = first.items[a % len(first.items)].line_id
                order.split_section(first.section_id, [ItemQty(line_id=line, quantity=qty)],
                                    SELLER, NOW)
            elif kind == "merge":
                order.merge_sections([first.section_id, second.section_id], SELLER, NOW)
            else:
                order.change_section(first.section_id, S.READY_TO_SHIP, SELLER, NOW, 7)
        except DomainError:
            pass
        assert order.quantities_by_line() == ordered
        assert all(i.quantity > 0 for s in order.sections for i in s.items)
        assert len({s.section_id for s in order.sections}) == len(order.sections)


def test_shipping_straight_from_preparing_is_all_or_nothing() -> None:
    order = paid_order()
    with pytest.raises(InvalidInput, match="invoice"):
        order.ship("20261126-000001-1", "", "", SELLER, NOW, 7)
    assert order.sections[0].status is S.PREPARING and len(order.timeline) == 4
    events = order.ship("20261126-000001-1", "CJ대한통운", "9", SELLER, NOW, 7)
    assert [e.to_status for e in events] == [S.READY_TO_SHIP, S.SHIPPING]


def test_checkout_discounts_shape_the_paid_amount_and_the_allocations() -> None:
    from orders.domain import CouponDiscounts

    lines = [LineData(line_id="L1", product_id="P", sku_id="A", name="a", unit_price=10000,
                      quantity=2),
             LineData(line_id="L2", product_id="P", sku_id="B", name="b", unit_price=3333,
                      quantity=3)]
    kwargs = dict(order_id="o", order_no="N", channel=Channel.STOREFRONT,
                  buyer=Buyer(member_id="m", name="b", phone="010-1234-5678"),
                  ship_to=ShipTo(name="b", phone="010-1234-5678", zipcode="06236", address1="x"),
                  payment_method=PaymentMethod.CARD, lines=lines, shipping_fee=3000, memo="",
                  guest_password_hash="", actor=SELLER, now=NOW, deposit_days=3)
    coupons = CouponDiscounts(product={"A": 5000}, order=1001, shipping=3000, points=500,
                              coupon_ids=("K1", "K2", "K3"))
    order, [placed] = Order.place(**kwargs, coupons=coupons)  # type: ignore[arg-type]
    assert order.paid_amount == 20000 + 9999 + 3000 - 5000 - 1001 - 3000 - 500
    assert sum(order.allocations.values()) == 5000 + 1001
    assert order.allocations["L1"] >= 5000
    assert placed.allocations == order.allocations and placed.points_used == 500
    assert placed.coupon_ids == ["K1", "K2", "K3"] and placed.shipping_discount == 3000
    for bad in (CouponDiscounts(product={"A": 20001}), CouponDiscounts(product={"Z": 1}),
                CouponDiscounts(shipping=3001), CouponDiscounts(order=30000),
                CouponDiscounts(points=999999)):
        with pytest.raises(InvalidInput):
            Order.place(**kwargs, coupons=bad)  # type: ignore[arg-type]
