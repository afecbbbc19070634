"""One hand-made case per rule of coupon-instance.md."""

from __future__ import annotations

from typing import Any

import pytest

from coupons.best import Answer, Instance, best_coupons
from tests.unit.coupons.reference import brute_force, evaluate


def line(lid: str, price: int, qty: int = 1, product: str = "", category: str = "C1") -> dict[str, Any]:
    return {"id": lid, "product_id": product or f"P{lid}", "category_id": category,
            "unit_price": price, "quantity": qty}


def coupon(cid: str, kind: str, type_: str, value: int, **extra: Any) -> dict[str, Any]:
    return {"id": cid, "kind": kind, "type": type_, "value": value, **extra}


def solve(lines: list[dict[str, Any]], coupons: list[dict[str, Any]], **settings: Any) -> Answer:
    inst = {"lines": lines, "coupons": coupons, **settings}
    answer = best_coupons(Instance.model_validate(inst))
    a = answer.assignment
    assert evaluate(inst, a.product, a.cart, a.shipping) == answer.total_discount
    assert brute_force(inst) == answer.total_discount
    return answer


def test_documented_example() -> None:
    answer = solve(
        [line("L1", 20900, 2, "P1", "C1")],
        [coupon("K1", "product", "percent", 25, max_discount=8000, min_purchase=24000,
                eligible_category_ids=["C1"]),
         coupon("K2", "cart", "fixed", 5000, min_purchase=30000),
         coupon("K3", "shipping", "fixed", 3000, exclusive=False, conflicts_with=["K2"])],
        rounding_unit=10, threshold_base="discounted", product_coupon_base="line",
        shipping_fee=3000)
    assert answer.total_discount == 13000
    assert answer.assignment.product == {"L1": "K1"}
    assert answer.assignment.cart == "K2" and answer.assignment.shipping is None


def test_empty_order() -> None:
    answer = solve([], [])
    assert answer.total_discount == 0
    assert answer.assignment.model_dump() == {"product": {}, "cart": None, "shipping": None}


def test_fixed_product_coupon_applies_once_per_line() -> None:
    answer = solve([line("L1", 10000, 3)], [coupon("K1", "product", "fixed", 2000)])
    assert answer.total_discount == 2000


def test_unit_base_takes_one_unit_price() -> None:
    lines = [line("L1", 10000, 3)]
    assert solve(lines, [coupon("K1", "product", "percent", 10)],
                 product_coupon_base="unit").total_discount == 1000
    assert solve(lines, [coupon("K1", "product", "percent", 10)]).total_discount == 3000
    # a fixed coupon larger than one unit stops at the unit price
    assert solve(lines, [coupon("K1", "product", "fixed", 15000)],
                 product_coupon_base="unit").total_discount == 10000


@pytest.mark.parametrize(("unit", "expected"), [(1, 1851), (10, 1850), (100, 1800)])
def test_percent_is_floored_to_the_rounding_unit(unit: int, expected: int) -> None:
    answer = solve([line("L1", 12345)], [coupon("K1", "product", "percent", 15)], rounding_unit=unit)
    assert answer.total_discount == expected


def test_cap_and_never_more_than_the_base() -> None:
    assert solve([line("L1", 100000)], [coupon("K1", "product", "percent", 50, max_discount=8000)]
                 ).total_discount == 8000
    assert solve([line("L1", 30000)], [coupon("K1", "product", "fixed", 50000)]).total_discount == 30000
    assert solve([line("L1", 30000)], [coupon("K1", "cart", "fixed", 50000)]).total_discount == 30000
    # the cart base is what product coupons left: 30,000 - 10,000
    answer = solve([line("L1", 30000)], [coupon("K1", "product", "fixed", 10000),
                                         coupon("K2", "cart", "fixed", 50000)])
    assert answer.total_discount == 30000


def test_product_min_purchase_on_the_line_amount() -> None:
    lines = [line("L1", 10000, 2), line("L2", 19999)]
    answer = solve(lines, [coupon("K1", "product", "fixed", 3000, min_purchase=20000)])
    assert answer.assignment.product == {"L1": "K1"}
    assert solve([line("L2", 19999)], [coupon("K1", "product", "fixed", 3000, min_purchase=20000)]
                 ).total_discount == 0


def test_cart_threshold_discounted_versus_original() -> None:
    lines = [line("L1", 52000)]
    coupons = [coupon("K1", "product", "fixed", 4000), coupon("K2", "cart", "fixed", 3000,
                                                               min_purchase=50000)]
    # after the product coupon only 48,000 is left: one or the other
    answer = solve(lines, coupons)
    assert answer.total_discount == 4000 and answer.assignment.cart is None
    answer = solve(lines, coupons, threshold_base="original")
    assert answer.total_discount == 7000 and answer.assignment.cart == "K2"


def test_cart_percent_on_its_eligible_lines_only() -> None:
    lines = [line("L1", 40000, category="A"), line("L2", 60000, category="B")]
    coupons = [coupon("K1", "cart", "percent", 10, eligible_category_ids=["A"]),
               coupon("K2", "product", "fixed", 5000)]
    answer = solve(lines, coupons)
    # K2 on L2 keeps the cart base at 40,000: 4,000 + 5,000
    assert answer.total_discount == 9000 and answer.assignment.product == {"L2": "K2"}


def test_shipping_threshold_and_fee() -> None:
    lines = [line("L1", 31000)]
    coupons = [coupon("K1", "product", "fixed", 2000), coupon("K2", "shipping", "fixed", 5000,
                                                              min_purchase=30000)]
    # never more than the fee; 31,000 - 2,000 < 30,000 so shipping or the product coupon
    answer = solve(lines, coupons, shipping_fee=3000)
    assert answer.total_discount == 3000 and answer.assignment.shipping == "K2"
    answer = solve(lines, coupons, shipping_fee=3000, threshold_base="original")
    assert answer.total_discount == 5000
    answer = solve(lines, [coupon("K3", "shipping", "percent", 100)], shipping_fee=2500)
    assert answer.total_discount == 2500


def test_exclusive_coupon_is_used_alone() -> None:
    lines = [line("L1", 100000), line("L2", 50000)]
    coupons = [coupon("K1", "product", "fixed", 9000, exclusive=True),
               coupon("K2", "product", "fixed", 5000), coupon("K3", "cart", "fixed", 3000)]
    answer = solve(lines, coupons)
    assert answer.total_discount == 9000 and answer.assignment.product == {"L1": "K1"}
    coupons[0]["value"] = 7000
    assert solve(lines, coupons).total_discount == 8000


def test_conflicts_are_symmetric_and_span_kinds() -> None:
    lines = [line("L1", 100000), line("L2", 80000)]
    coupons = [coupon("K1", "product", "fixed", 6000), coupon("K2", "product", "fixed", 5000,
                                                              conflicts_with=["K1"]),
               coupon("K3", "cart", "fixed", 4000, conflicts_with=["K4"]),
               coupon("K4", "shipping", "fixed", 3000)]
    answer = solve(lines, coupons, shipping_fee=3000)
    assert answer.total_discount == 10000
    assert list(answer.assignment.product.values()) == ["K1"] and answer.assignment.cart == "K3"


def test_eligibility_by_product_or_category() -> None:
    lines = [line("L1", 10000, product="P1", category="A"), line("L2", 90000, product="P2",
                                                                 category="B")]
    by_product = coupon("K1", "product", "percent", 10, eligible_product_ids=["P1"])
    assert solve(lines, [by_product]).assignment.product == {"L1": "K1"}
    either = coupon("K1", "product", "percent", 10, eligible_product_ids=["P1"],
                    eligible_category_ids=["B"])
    assert solve(lines, [either]).assignment.product == {"L2": "K1"}


def test_percent_cart_trades_against_product_discounts() -> None:
    # 50% cart, uncapped: a product discount d on its lines costs d/2 of cart discount, floored
    lines = [line("L1", 10010), line("L2", 10000)]
    coupons = [coupon("K1", "cart", "percent", 50), coupon("K2", "product", "fixed", 10)]
    answer = solve(lines, coupons, rounding_unit=100)
    assert answer.total_discount == 10010  # K2 on a line: 10 + 10,000 = 10,010 > 10,000


def test_equal_product_totals_differ_on_the_cart_lines() -> None:
    # both placements give 900 of product discounts; only one leaves the cart its full 900
    lines = [line("L1", 1300, product="P4"), line("L2", 19240)]
    coupons = [coupon("K0", "product", "fixed", 600), coupon("K4", "product", "fixed", 300),
               coupon("K2", "cart", "fixed", 900, eligible_product_ids=["P4"])]
    answer = solve(lines, coupons)
    assert answer.total_discount == 1800
    assert answer.assignment.product == {"L1": "K4", "L2": "K0"}
