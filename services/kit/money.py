"""Money arithmetic every service shares. Pure, integer KRW."""

from __future__ import annotations


def allocate(total: int, weights: dict[str, int]) -> dict[str, int]:
    """Split `total` KRW over keys in proportion to `weights` (largest remainder): the parts
    are integers, never negative, and add up to `total` exactly. Orders allocates an order's
    discounts to its lines by it at placement; claims by the same rule for an order placed
    without allocations, so both arrive at the same shares."""
    base = sum(weights.values())
    if total == 0 or base == 0:
        return {k: 0 for k in weights}
    floors = {k: total * w // base for k, w in weights.items()}
    left = total - sum(floors.values())
    by_remainder = sorted(weights, key=lambda k: (-(total * weights[k] % base), k))
    for k in by_remainder[:left]:
        floors[k] += 1
    return floors
