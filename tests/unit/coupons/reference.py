"""Independent reference for the optimizer: rules re-implemented on the raw JSON dict.

`evaluate` recomputes the total of one combination (None when it breaks a rule) and
`brute_force` enumerates every combination. Only meant for tiny instances.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

Inst = dict[str, Any]


def _off(c: dict[str, Any], base: int, unit: int) -> int:
    if base <= 0:
        return 0
    if c["type"] == "fixed":
        d = c["value"]
    else:
        d = (base * c["value"] // 100) // unit * unit
    if c.get("max_discount") is not None:
        d = min(d, c["max_discount"])
    return min(d, base)


def _eligible(c: dict[str, Any], line: dict[str, Any]) -> bool:
    prods, cats = c.get("eligible_product_ids"), c.get("eligible_category_ids")
    if not prods and not cats:
        return True
    return line.get("product_id", "") in (prods or []) or line.get("category_id", "") in (cats or [])


def evaluate(inst: Inst, product: dict[str, str], cart: str | None, shipping: str | None) -> int | None:
    unit = inst.get("rounding_unit", 10)
    discounted = inst.get("threshold_base", "discounted") == "discounted"
    per_unit = inst.get("product_coupon_base", "line") == "unit"
    coupons = {c["id"]: c for c in inst["coupons"]}
    lines = {ln["id"]: ln for ln in inst["lines"]}
    chosen = list(product.values()) + [x for x in (cart, shipping) if x is not None]
    if len(set(chosen)) != len(chosen) or any(x not in coupons for x in chosen):
        return None
    if any(coupons[x].get("exclusive") for x in chosen) and len(chosen) > 1:
        return None
    for a, b in combinations(chosen, 2):
        if b in coupons[a].get("conflicts_with", []) or a in coupons[b].get("conflicts_with", []):
            return None
    amount = {lid: ln["unit_price"] * ln["quantity"] for lid, ln in lines.items()}
    line_off: dict[str, int] = {}
    for lid, cid in product.items():
        c, ln = coupons[cid], lines.get(lid)
        if ln is None or c["kind"] != "product" or not _eligible(c, ln):
            return None
        if amount[lid] < c.get("min_purchase", 0):
            return None
        line_off[lid] = _off(c, ln["unit_price"] if per_unit else amount[lid], unit)
    total = sum(line_off.values())
    if cart is not None:
        c = coupons[cart]
        if c["kind"] != "cart":
            return None
        elig = [lid for lid, ln in lines.items() if _eligible(c, ln)]
        before = sum(amount[lid] for lid in elig)
        base = before - sum(line_off.get(lid, 0) for lid in elig)
        if (base if discounted else before) < c.get("min_purchase", 0):
            return None
        total += _off(c, base, unit)
    if shipping is not None:
        c = coupons[shipping]
        if c["kind"] != "shipping":
            return None
        merch = sum(amount.values())
        if (merch - total if discounted else merch) < c.get("min_purchase", 0):
            return None
        total += _off(c, inst.get("shipping_fee", 0), unit)
    return total


def brute_force(inst: Inst) -> int:
    """Largest total over every combination (the empty one gives 0)."""
    kinds: dict[str, list[str | None]] = {"product": [], "cart": [None], "shipping": [None]}
    for c in inst["coupons"]:
        kinds[c["kind"]].append(c["id"])
    line_ids = [ln["id"] for ln in inst["lines"]]
    best = 0

    def assign(j: int, used: frozenset[str], product: dict[str, str]) -> None:
        nonlocal best
        if j == len(line_ids):
            for cart in kinds["cart"]:
                for ship in kinds["shipping"]:
                    v = evaluate(inst, product, cart, ship)
                    if v is not None and v > best:
                        best = v
            return
        assign(j + 1, used, product)
        for cid in kinds["product"]:
            if cid not in used:
                product[line_ids[j]] = cid  # type: ignore[index]
                assign(j + 1, used | {cid}, product)  # type: ignore[operator]
                del product[line_ids[j]]

    assign(0, frozenset(), {})
    return best


def exhaustive(inst: Inst) -> int:
    """The same optimum as brute_force, for somewhat larger instances: dynamic programming over
    the lines, keeping for each set of used product coupons every distinct (P, x per cart)."""
    unit = inst.get("rounding_unit", 10)
    discounted = inst.get("threshold_base", "discounted") == "discounted"
    per_unit = inst.get("product_coupon_base", "line") == "unit"
    fee = inst.get("shipping_fee", 0)
    lines, coupons = inst["lines"], inst["coupons"]
    amount = [ln["unit_price"] * ln["quantity"] for ln in lines]
    merch = sum(amount)

    def clash(a: dict[str, Any], b: dict[str, Any]) -> bool:
        return b["id"] in a.get("conflicts_with", []) or a["id"] in b.get("conflicts_with", [])

    best = 0
    for c in coupons:  # exclusive coupons alone
        if c.get("exclusive"):
            for single in ([{"product": {ln["id"]: c["id"]}} for ln in lines]
                           if c["kind"] == "product" else
                           [{"product": {}, c["kind"]: c["id"]}]):
                v = evaluate(inst, single["product"], single.get("cart"), single.get("shipping"))
                best = max(best, v or 0)
    prods = [c for c in coupons if c["kind"] == "product" and not c.get("exclusive")]
    carts = [c for c in coupons if c["kind"] == "cart" and not c.get("exclusive")]
    ships = [c for c in coupons if c["kind"] == "shipping" and not c.get("exclusive")]
    elig = [[_eligible(c, ln) for ln in lines] for c in carts]
    off = [[_off(c, ln["unit_price"] if per_unit else amount[i], unit)
            if _eligible(c, ln) and amount[i] >= c.get("min_purchase", 0) else None
            for i, ln in enumerate(lines)] for c in prods]
    zero = (0, (0,) * len(carts))
    states: dict[int, set[tuple[int, tuple[int, ...]]]] = {0: {zero}}
    for i in range(len(lines)):
        nxt: dict[int, set[tuple[int, tuple[int, ...]]]] = {}
        for mask, outcomes in states.items():
            nxt.setdefault(mask, set()).update(outcomes)
            for k in range(len(prods)):
                d = off[k][i]
                if d is None or mask >> k & 1:
                    continue
                bucket = nxt.setdefault(mask | 1 << k, set())
                for p, xs in outcomes:
                    bucket.add((p + d, tuple(x + d * elig[c][i] for c, x in enumerate(xs))))
        states = nxt
    for mask, outcomes in states.items():
        used = [prods[k] for k in range(len(prods)) if mask >> k & 1]
        if any(clash(a, b) for a, b in combinations(used, 2)):
            continue
        for ci, cart in enumerate([None] + carts):
            if cart is not None and any(clash(cart, u) for u in used):
                continue
            for ship in [None] + ships:
                if ship is not None and (any(clash(ship, u) for u in used)
                                         or cart is not None and clash(cart, ship)):
                    continue
                for p, xs in outcomes:
                    total = p
                    if cart is not None:
                        before = sum(a for a, e in zip(amount, elig[ci - 1], strict=True) if e)
                        base = before - xs[ci - 1]
                        if (base if discounted else before) < cart.get("min_purchase", 0):
                            continue
                        total += _off(cart, base, unit)
                    if ship is not None:
                        if (merch - total if discounted else merch) < ship.get("min_purchase", 0):
                            continue
                        total += _off(ship, fee, unit)
                    best = max(best, total)
    return best
