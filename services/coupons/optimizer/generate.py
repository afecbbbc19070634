"""Random instances following coupon-instance.md, for tests and the benchmark."""

from __future__ import annotations

import random
from typing import Any


def random_instance(seed: int, n_lines: int, n_coupons: int, *, small: bool = False) -> dict[str, Any]:
    """A random checkout: prices 1,000-300,000 KRW, quantities 1-5, coupons mostly product.

    `small` draws smaller amounts and tighter minimums so that thresholds, caps and the
    line/unit bases bite more often in tiny instances.
    """
    r = random.Random(seed)
    n_cat = max(2, n_lines // 4)
    lines: list[dict[str, Any]] = []
    for i in range(n_lines):
        price = r.randint(1, 300) * 1000 - r.choice([0, 0, 100, 10, 1]) if not small \
            else r.randint(10, 600) * 100 + r.choice([0, 0, 10, 1])
        lines.append({"id": f"L{i}", "product_id": f"P{r.randrange(n_lines + 2)}",
                      "category_id": f"C{r.randrange(n_cat)}", "unit_price": max(price, 1000),
                      "quantity": r.randint(1, 5)})
    merch = sum(ln["unit_price"] * ln["quantity"] for ln in lines)
    top = max((ln["unit_price"] * ln["quantity"] for ln in lines), default=0)
    money = 100 if small else 1000  # granularity of fixed values and caps
    coupons: list[dict[str, Any]] = []
    for k in range(n_coupons):
        roll = r.random()
        kind = "product" if roll < 0.7 else "cart" if roll < 0.85 else "shipping"
        c: dict[str, Any] = {"id": f"K{k}", "kind": kind}
        if kind == "shipping":
            if r.random() < 0.5:
                c |= {"type": "fixed", "value": r.choice([1000, 2000, 2500, 3000, 5000])}
            else:
                c |= {"type": "percent", "value": r.choice([50, 100])}
        elif r.random() < 0.5:
            c |= {"type": "fixed", "value": r.randint(1, 60 if kind == "cart" else 30) * money // 2}
        else:
            c |= {"type": "percent", "value": r.choice([3, 5, 7, 10, 12, 15, 20, 25, 30, 50])}
            if r.random() < 0.75:
                c["max_discount"] = r.randint(1, 50) * money + r.choice([0, 0, 0, 500, 10])
        if r.random() < 0.6:
            if small:
                c["min_purchase"] = r.randint(0, top if kind == "product" else merch)
            else:
                hi = {"product": 100, "cart": 400, "shipping": 100}[kind]
                c["min_purchase"] = r.randint(1, hi) * 1000
        if kind != "shipping" and r.random() < 1 / 3:
            if r.random() < 0.5:
                c["eligible_category_ids"] = r.sample([f"C{j}" for j in range(n_cat)],
                                                      r.randint(1, min(2, n_cat)))
            else:
                c["eligible_product_ids"] = [f"P{r.randrange(n_lines + 2)}"
                                             for _ in range(r.randint(1, 5))]
        if r.random() < 0.05:
            c["exclusive"] = True
        coupons.append(c)
    for _ in range(max(1, n_coupons // 8)):  # some conflicting pairs
        a, b = r.sample(range(n_coupons), 2) if n_coupons > 1 else (0, 0)
        if a != b:
            coupons[a].setdefault("conflicts_with", []).append(f"K{b}")
    return {
        "version": 1,
        "rounding_unit": r.choice([10, 10, 10, 1, 100]),
        "threshold_base": "discounted" if r.random() < 0.8 else "original",
        "product_coupon_base": "line" if r.random() < 0.8 else "unit",
        "shipping_fee": 3000,
        "lines": lines,
        "coupons": coupons,
    }


def uncapped_cart_instance(seed: int, n_lines: int = 30, n_eligible: int = 21,
                           n_coupons: int = 30) -> dict[str, Any]:
    """A hard family (issue 16): a 100% uncapped order coupon on part of the lines, capped
    percent product coupons on every line; the cart's value then turns on the product discounts
    modulo the rounding unit, and the exact search takes minutes."""
    r = random.Random(seed)
    lines = [{"id": f"L{i}", "product_id": f"P{i}", "category_id": "A" if i < n_eligible else "B",
              "unit_price": r.randint(100, 1000) * 100 + r.choice([0, 1, 3, 7]), "quantity": 1}
             for i in range(n_lines)]
    coupons: list[dict[str, Any]] = [
        {"id": f"K{k}", "kind": "product", "type": "percent", "value": r.choice([5, 7, 10, 15, 20]),
         "max_discount": r.randint(1, 30) * 100 + r.choice([0, 3, 7])} for k in range(n_coupons)]
    coupons.append({"id": "CART", "kind": "cart", "type": "percent", "value": 100,
                    "eligible_category_ids": ["A"]})
    return {"version": 1, "shipping_fee": 3000, "lines": lines, "coupons": coupons}
