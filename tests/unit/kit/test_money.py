"""The largest-remainder allocation orders and claims share (SPEC §2): exact integer KRW."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kit.money import allocate


def test_allocations_add_up_and_follow_the_line_amounts() -> None:
    alloc = allocate(1000, {"L1": 10000, "L2": 20000, "L3": 3333})
    assert sum(alloc.values()) == 1000
    assert alloc == {"L1": 300, "L2": 600, "L3": 100}


def test_nothing_to_split_or_no_weight_gives_every_key_zero() -> None:
    assert allocate(0, {"L1": 5, "L2": 7}) == {"L1": 0, "L2": 0}
    assert allocate(1000, {"L1": 0, "L2": 0}) == {"L1": 0, "L2": 0}


def test_a_tie_on_the_remainder_goes_to_the_first_key() -> None:
    assert allocate(1, {"L2": 1, "L1": 1}) == {"L1": 1, "L2": 0}


@given(total=st.integers(0, 10_000_000),
       weights=st.lists(st.integers(0, 5_000_000), min_size=1, max_size=30))
def test_allocations_are_integers_that_add_up_exactly(total: int, weights: list[int]) -> None:
    keyed = {f"L{i}": w for i, w in enumerate(weights)}
    parts = allocate(total, keyed)
    assert all(isinstance(v, int) and v >= 0 for v in parts.values())
    assert sum(parts.values()) == (total if sum(weights) else 0)
    base = sum(weights)
    for key, w in keyed.items():  # each part is its exact share rounded down or up
        assert base == 0 or total * w // base <= parts[key] <= total * w // base + 1
