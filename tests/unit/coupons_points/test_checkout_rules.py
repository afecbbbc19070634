"""Checkout rules (SPEC §8): the instance built from held coupons, a buyer's own choice checked
with the optimizer's rules, points limits."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from coupons.best import best_coupons
from coupons.checkout import CartLine, Choice, apply, instance
from coupons.rules import ShopRules, check_points, max_points
from kit.errors import InvalidInput

T0, T1 = datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)


def held(hid: str, kind: str, type_: str, value: int, **extra: Any) -> dict[str, Any]:
    coupon = {"_id": f"D{hid}", "name": hid, "kind": kind, "type": type_, "value": value,
              "max_discount": None, "min_purchase": 0, "eligible_product_ids": [],
              "eligible_category_ids": [], "exclusive": False, "conflicts_with": [],
              "valid_from": T0, "valid_until": T1, **extra}
    return {"_id": hid, "coupon_id": f"D{hid}", "coupon": coupon}


LINES = [CartLine(id="S1", product_id="P1", category_id="C1", unit_price=20_900, quantity=2),
         CartLine(id="S2", product_id="P2", category_id="C2", unit_price=10_000, quantity=1)]


def test_the_instance_maps_order_coupons_to_cart_and_conflicts_to_held_ids() -> None:
    coupons = [held("H1", "product", "percent", 25, max_discount=8000,
                    eligible_category_ids=["C1"]),
               held("H2", "order", "fixed", 5000, min_purchase=30_000),
               held("H3", "shipping", "fixed", 3000, conflicts_with=["DH2"])]

    inst = instance(LINES, 3000, coupons)

    assert [c.kind for c in inst.coupons] == ["product", "cart", "shipping"]
    assert inst.coupons[2].conflicts_with == ["H2"]
    assert inst.coupons[0].eligible_product_ids is None
    assert best_coupons(inst).total_discount == 8000 + 5000


def test_a_buyers_choice_gets_the_same_arithmetic_as_the_optimizer() -> None:
    inst = instance(LINES, 3000, [held("H1", "product", "percent", 25, max_discount=8000),
                                  held("H2", "order", "percent", 10),
                                  held("H3", "shipping", "percent", 100)])

    applied = apply(inst, Choice(product={"S2": "H1"}, cart="H2", shipping="H3"))

    assert applied["product_discounts"] == {"S2": 2500}
    assert applied["order_discount"] == (41_800 + 10_000 - 2500) // 10 // 10 * 10
    assert applied["shipping_discount"] == 3000
    assert applied["total"] == 2500 + applied["order_discount"] + 3000


@pytest.mark.parametrize("choice, code", [
    (Choice(cart="H9"), "coupon_unavailable"),
    (Choice(cart="H1"), "coupon_kind"),
    (Choice(product={"S9": "H1"}), "coupon_line"),
    (Choice(product={"S1": "H1"}, cart="H2"), "coupon_combination"),  # H1 is exclusive
    (Choice(product={"S2": "H4"}), "coupon_combination"),  # H4 only fits category C1
])
def test_a_choice_that_breaks_a_rule_is_refused(choice: Choice, code: str) -> None:
    inst = instance(LINES, 3000, [held("H1", "product", "fixed", 1000, exclusive=True),
                                  held("H2", "order", "fixed", 1000),
                                  held("H4", "product", "fixed", 1000,
                                       eligible_category_ids=["C1"])])

    with pytest.raises(InvalidInput) as refused:
        apply(inst, choice)
    assert refused.value.code == code


def test_one_coupon_cannot_go_on_two_lines() -> None:
    inst = instance(LINES, 0, [held("H1", "product", "fixed", 1000)])

    with pytest.raises(InvalidInput):
        apply(inst, Choice(product={"S1": "H1", "S2": "H1"}))


def test_an_order_coupon_below_its_minimum_after_product_coupons_is_refused() -> None:
    inst = instance(LINES, 0, [held("H1", "product", "fixed", 5000),
                               held("H2", "order", "fixed", 1000, min_purchase=50_000)])

    assert apply(inst, Choice(cart="H2"))["total"] == 1000
    with pytest.raises(InvalidInput):
        apply(inst, Choice(product={"S1": "H1"}, cart="H2"))


RULES = ShopRules(points_min_balance=1000, points_unit=100, points_max_share_percent=50)


@pytest.mark.parametrize("points, balance, to_pay, code, key, params, message", [
    (150, 5000, 10_000, "points_unit", "points_unit", {"unit": 100},
     "points are spent in multiples of 100"),
    (500, 900, 10_000, "points_min_balance", "points_min_balance", {"min_balance": 1000},
     "points can be spent from a balance of 1,000"),
    (6000, 5000, 100_000, "points_balance", "points_over_balance", {"balance": 5000},
     "only 5,000 points are available"),
    (5100, 50_000, 10_000, "points_share", "points_share", {"percent": 50},
     "points may cover at most 50% of the amount to pay"),
])
def test_points_spent_against_the_rules_are_refused(
        points: int, balance: int, to_pay: int, code: str, key: str, params: dict[str, int],
        message: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_points(points, balance, to_pay, RULES)
    assert refused.value.as_json() == {"error": code, "key": key, "params": params,
                                       "message": message}


def test_points_within_the_rules_pass_and_the_maximum_respects_unit_and_share() -> None:
    check_points(0, 0, 10_000, RULES)
    check_points(5000, 5000, 10_000, RULES)
    assert max_points(5000, 10_000, RULES) == 5000
    assert max_points(50_000, 10_990, RULES) == 5400
    assert max_points(999, 10_000, RULES) == 0
