"""A quick valid combination, no proof: the search's first incumbent, and the answer when the
budget runs out before the search has found better."""

from __future__ import annotations

from coupons.optimizer.rules import NEG, Problem


def greedy(pb: Problem) -> tuple[int, dict[int, int], int | None, int | None]:
    """(total, line -> product coupon, cart, ship): product coupons by largest discount first
    on distinct lines without conflicts, then the best cart and shipping coupon on top (each
    also tried without the product coupons it conflicts with, or without any)."""
    assign: dict[int, int] = {}
    used: set[int] = set()
    edges = [(d, k, i) for k in pb.products for i, d in pb.edges[k].items()]
    for _d, k, i in sorted(edges, reverse=True):
        if i not in assign and k not in used and not pb.conflicts[k] & used:
            assign[i] = k
            used.add(k)
    best: tuple[int, dict[int, int], int | None, int | None] = (0, {}, None, None)

    def offer(a: dict[int, int], cart: int | None, ship: int | None) -> None:
        nonlocal best
        for option in (a, {i: k for i, k in a.items()
                           if not pb.conflicts[k] & {cart, ship}}, {}):
            total = pb.value(option, cart, ship)
            if total != NEG and total > best[0]:
                best = (total, dict(option), cart, ship)

    offer(assign, None, None)
    for cart in pb.carts:
        offer(assign, cart.index, None)
    top_cart = best[2]
    for ship in pb.ships:
        offer(assign, None, ship.index)
        if top_cart is not None and ship.index not in pb.conflicts[top_cart]:
            offer(assign, top_cart, ship.index)
    return best
