"""A cart coupon on every line, when linear surrogates cannot close the gap.

Then x = P (all product discounts), and the total is a function of P alone. When the cart's min
purchase caps P at b = amount - min_purchase, this is a subset-sum flavoured problem that no
linear surrogate captures (its optimum is far above b); the same holds when the cart takes all
that is left (fixed, or 100% without cap), where the surrogate ignores P.
Relaxing "one coupon per line", the sums P that product coupons can reach are a subset-sum over
each coupon's possible discounts, computed exactly with bitsets; the best total over reachable
P <= b is a valid bound, tighter than any linear one. Reaching it only needs one choice of
discounts summing to that P that fits on distinct lines, usually found at once by a short
search guided by the same tables; when not, the exact enumeration runs as for any node.
"""

from __future__ import annotations

from math import gcd
from typing import TYPE_CHECKING

from coupons.optimizer import budget
from coupons.optimizer.bounds import Q

if TYPE_CHECKING:
    from coupons.optimizer.node import Node

MAX_BITS = 1 << 22  # largest subset-sum table (in multiples of the discounts' gcd)
STEPS = 20000  # search steps spent realising the bound
SCAN = 1 << 16  # reachable sums examined for the bound


def reach(node: Node, ub: int, p_max: int) -> int:
    """A bound of the node no larger than `ub`; the incumbent itself when the node is solved.

    Candidate sums P are tried best total first; for each, a search guided by the tables
    looks for coupons on distinct lines, conflict-free, summing to P. It is complete, so the
    first one found is optimal and a failed one proves the next candidates are the bound."""
    cart, pb, edges = node.cart, node.pb, node.pb.edges
    assert cart is not None
    coupons = [k for k in node.active if edges[k]]
    g = 0
    for k in coupons:
        for d in edges[k].values():
            g = gcd(g, d)
    b = min(cart.amount - cart.coupon.min_purchase, p_max) if cart.discounted else p_max
    b //= max(g, 1)
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
    c = cart.coupon
    slope = c.value if c.type == "percent" else Q
    incumbent = node.s.best.total
    targets: list[tuple[int, int]] = []  # (total, P in units of g) worth trying
    p = b
    for _ in range(SCAN):
        lin = min(p * g + cart.max_value, ((Q - slope) * p * g + slope * cart.amount) // Q)
        if p < 0 or lin + s_val <= incumbent:
            break
        if top >> p & 1:
            v = node.total(p * g, p * g)
            if v > incumbent:
                targets.append((v, p))
        p -= 1
    else:
        return ub  # gave up: keep the linear bound
    targets.sort(key=lambda t: (-t[0], -t[1]))
    steps = 0
    line_of: dict[int, int] = {}  # coupon -> line, for the coupons given a discount so far
    owner: dict[int, int] = {}  # line -> coupon
    want: dict[int, int] = {}  # coupon -> its discount

    def place(k: int, seen: set[int], log: list[tuple[int, int | None]]) -> bool:
        """Put k on a free line worth its discount, moving placed coupons along an
        augmenting path if needed; changes are logged as (line, old owner)."""
        for i, d in edges[k].items():
            if d == want[k] and i not in seen:
                seen.add(i)
                other = owner.get(i)
                if other is None or place(other, seen, log):
                    log.append((i, owner.get(i)))
                    owner[i], line_of[k] = k, i
                    return True
        return False

    def undo(k: int, log: list[tuple[int, int | None]]) -> None:
        for i, old_owner in reversed(log):
            if old_owner is None:
                del owner[i]
            else:
                owner[i] = old_owner
        line_of.clear()
        line_of.update({cp: i for i, cp in owner.items()})
        del want[k]

    def back(j: int, rest: int) -> bool:
        """Give coupons[:j] discounts summing to `rest`, on distinct lines, conflict-free:
        complete, unless the step budget runs out."""
        nonlocal steps
        steps += 1
        budget.check()
        if j == 0 or steps > STEPS:
            if rest == 0 and j == 0:
                node.s.offer(node.value(line_of), dict(line_of), cart, node.ship)
            return rest == 0 and j == 0
        below, k = layers[j - 1], coupons[j - 1]
        if not pb.conflicts[k] & want.keys():
            for v in reversed(values[j - 1]):
                if v > rest or not below >> (rest - v) & 1:
                    continue
                want[k] = v * g
                log: list[tuple[int, int | None]] = []
                if place(k, set(), log):
                    if back(j - 1, rest - v):
                        return True
                    undo(k, log)
                else:
                    del want[k]
        return below >> rest & 1 == 1 and back(j - 1, rest)

    for total, p in targets:  # best first: the first one realised is the node's optimum
        if total <= node.s.best.total or back(len(coupons), p):
            return min(ub, node.s.best.total)
        if steps > STEPS:
            return min(ub, total)  # the targets before this one cannot be realised
    return min(ub, node.s.best.total)  # no target can be realised
