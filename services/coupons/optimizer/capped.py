"""A cart coupon on every line whose min purchase caps the product discounts.

Then x = P (all product discounts) and the cart needs P <= b = amount - min_purchase: a
subset-sum flavoured problem that no linear surrogate captures (its optimum is far above b).
Relaxing "one coupon per line", the sums P that product coupons can reach are a subset-sum over
each coupon's possible discounts, computed exactly with bitsets; the best total over reachable
P <= b is a valid bound, tighter than any linear one. Reaching it only needs one choice of
discounts summing to that P that fits on distinct lines (a small bipartite matching), which is
usually found at once; when not, the exact enumeration runs as for any node.
"""

from __future__ import annotations

from math import gcd
from typing import TYPE_CHECKING

from coupons.optimizer.rules import NEG

if TYPE_CHECKING:
    from coupons.optimizer.node import Node

MAX_BITS = 1 << 22  # largest subset-sum table (in multiples of the discounts' gcd)
LEAVES = 200  # choices of discounts tried on the lines
SCAN = 1 << 16  # reachable sums examined for the bound


def reach(node: Node, ub: int, p_max: int) -> int:
    """A bound of the node no larger than `ub`, after offering a matching reaching it if one
    is found."""
    cart, pb, edges = node.cart, node.pb, node.pb.edges
    assert cart is not None
    coupons = [k for k in node.active if edges[k]]
    g = 0
    for k in coupons:
        for d in edges[k].values():
            g = gcd(g, d)
    b = min(cart.amount - cart.coupon.min_purchase, p_max) // max(g, 1)
    if not coupons or b >= MAX_BITS or b < 0:
        return ub
    values = [sorted({d // g for d in edges[k].values() if d // g <= b}) for k in coupons]
    mask = (1 << (b + 1)) - 1
    layers = [1]  # layers[j]: sums reachable with coupons[:j] (bit p = sum p)
    for vals in values:
        cur = layers[-1]
        nxt = cur
        for v in vals:
            nxt |= cur << v
        layers.append(nxt & mask)
    top = layers[-1]
    s_val = node.ship.value if node.ship is not None else 0
    best, goal = NEG, []
    p = b
    for _ in range(SCAN):
        if p < 0 or p * g + cart.max_value + s_val <= best:
            break
        if top >> p & 1:
            v = node.total(p * g, p * g)
            if v > best:
                best, goal = v, [p]
            elif v == best:
                goal.append(p)
        p -= 1
    else:
        return ub  # gave up: keep the linear bound
    if best == NEG:  # no reachable P keeps every threshold: nothing valid in this node
        return NEG
    best = min(best, ub)
    leaves = 0
    chosen: dict[int, int] = {}  # coupon -> discount (in units of g)

    def fits() -> dict[int, int] | None:
        """Distinct lines for the chosen discounts (augmenting paths), conflict-free."""
        if pb.broken(dict.fromkeys(chosen, 0)):
            return None
        line_of: dict[int, int] = {}
        owner: dict[int, int] = {}

        def augment(k: int, seen: set[int]) -> bool:
            for i, d in edges[k].items():
                if d == chosen[k] * g and i not in seen:
                    seen.add(i)
                    if i not in owner or augment(owner[i], seen):
                        owner[i], line_of[k] = k, i
                        return True
            return False

        return line_of if all(augment(k, set()) for k in chosen) else None

    def back(j: int, rest: int) -> bool:
        nonlocal leaves
        if j == 0:
            leaves += 1
            line_of = fits() if rest == 0 else None
            if line_of is not None:
                node.s.offer(node.value(line_of), line_of, cart, node.ship)
            return line_of is not None
        below = layers[j - 1]
        k = coupons[j - 1]
        for v in reversed(values[j - 1]):
            if leaves < LEAVES and v <= rest and below >> (rest - v) & 1:
                chosen[k] = v
                if back(j - 1, rest - v):
                    return True
                del chosen[k]
        return leaves < LEAVES and below >> rest & 1 == 1 and back(j - 1, rest)

    for p in goal:
        if back(len(coupons), p):
            break
    return best
