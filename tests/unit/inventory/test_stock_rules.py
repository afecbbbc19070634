"""Stock rules (SPEC §9): an order reserves every SKU or none; a shortage names the SKU; every
movement keeps the counters and the ledger in step."""

from __future__ import annotations

import random

import pytest

from inventory.domain import (
    STOCK_IN_OUT,
    Hold,
    Kind,
    Reservation,
    Shortage,
    SkuStock,
    StockError,
    first_shortage,
    merge_quantities,
    release_units,
    reserve_all,
    restock_units,
    sell_units,
)
from kit.errors import DomainError


def sku(sku_id: str, available: int, sold_out: bool = False, label: str = "",
        active: bool = True) -> SkuStock:
    return SkuStock(sku_id, label or sku_id, available=available, sold_out=sold_out,
                    active=active)


# ---- merge_quantities ----


def test_merging_adds_up_the_quantities_of_the_same_sku() -> None:
    assert merge_quantities([("B", 2), ("A", 1), ("B", 3)]) == {"A": 1, "B": 5}


def test_merged_skus_come_out_in_sorted_order_whatever_the_input_order() -> None:
    merged = merge_quantities([("Z-1", 1), ("A-9", 1), ("M-5", 2), ("A-1", 4)])

    assert list(merged) == ["A-1", "A-9", "M-5", "Z-1"]


def test_merging_keeps_the_total_number_of_units() -> None:
    pairs = [(f"S{n % 4}", n) for n in range(1, 20)]

    assert sum(merge_quantities(pairs).values()) == sum(q for _, q in pairs)


# ---- first_shortage ----


def test_no_shortage_when_every_sku_has_enough_stock_including_the_last_unit() -> None:
    assert first_shortage({"A": 2, "B": 1}, {"A": sku("A", 2), "B": sku("B", 10)}) is None


def test_a_sku_with_too_few_units_is_the_shortage_with_the_count_left() -> None:
    shortage = first_shortage({"A": 3}, {"A": sku("A", 2, label="블랙 / M")})

    assert shortage == Shortage("A", "블랙 / M", requested=3, available=2)
    assert shortage.message == "블랙 / M (A) 재고 부족: 요청 3개, 남은 재고 2개"


def test_a_sku_with_nothing_left_says_sold_out_and_names_the_product() -> None:
    stock = SkuStock("TEE-BK-M", "블랙 / M", available=0, product_name="티셔츠")

    shortage = first_shortage({"TEE-BK-M": 1}, {"TEE-BK-M": stock})

    assert shortage is not None
    assert shortage.message == "티셔츠 블랙 / M (TEE-BK-M) 품절: 요청 1개, 남은 재고 0개"


def test_a_sku_marked_sold_out_or_discontinued_is_short_even_with_units_on_the_books() -> None:
    assert first_shortage({"A": 1}, {"A": sku("A", 5, sold_out=True)}) == Shortage("A", "A", 1, 0)
    assert first_shortage({"A": 1}, {"A": sku("A", 5, active=False)}) == Shortage("A", "A", 1, 0)


def test_an_unknown_sku_is_a_shortage_named_by_its_id() -> None:
    assert first_shortage({"GHOST": 1}, {"GHOST": None}) == Shortage("GHOST", "GHOST", 1, 0)


def test_the_first_short_sku_in_the_wanted_order_is_reported() -> None:
    wanted = merge_quantities([("C", 5), ("A", 1), ("B", 9)])

    shortage = first_shortage(wanted, {"A": sku("A", 1), "B": sku("B", 2), "C": sku("C", 0)})

    assert shortage is not None and shortage.sku_id == "B"


# ---- movements ----


def test_a_reservation_moves_units_from_available_to_reserved_and_numbers_the_movement() -> None:
    s = sku("A", 5)

    move = s.move(Kind.RESERVE, 2)

    assert s.counters == (3, 2, 0)
    assert (move.seq, move.before, move.after) == (1, (5, 0, 0), (3, 2, 0))
    assert (move.d_available, move.d_reserved, move.d_sold) == (-2, 2, 0)


def test_release_sell_and_restock_move_units_between_counters_without_creating_any() -> None:
    s = sku("A", 10)
    s.move(Kind.RESERVE, 4)
    s.move(Kind.RELEASE, 1)
    s.move(Kind.SOLD, 3)
    s.move(Kind.RESTOCK, 2)

    assert s.counters == (9, 0, 1)
    assert sum(s.counters) == 10
    assert s.seq == 4


def test_no_movement_takes_a_counter_below_zero_and_a_refused_one_changes_nothing() -> None:
    s = sku("A", 1)
    for kind, units in ((Kind.RESERVE, 2), (Kind.RELEASE, 1), (Kind.SOLD, 1), (Kind.RESTOCK, 1),
                        (Kind.ADJUST, -2)):
        with pytest.raises(StockError):
            s.move(kind, units)
    assert (s.counters, s.seq) == ((1, 0, 0), 0)


def test_a_refused_movement_is_kits_domain_error_answered_409() -> None:
    with pytest.raises(DomainError) as refused:
        sku("A", 1).move(Kind.RELEASE, 1)

    assert (refused.value.status_code, refused.value.code) == (409, "negative_stock")
    assert refused.value.message == "SKU A has 0 reserved: cannot release 1"
    assert (refused.value.key, refused.value.params) == (
        "stock_negative", {"sku_id": "A", "count": 0, "counter": "reserved", "kind": "release",
                           "quantity": 1})


def test_reserving_more_than_is_orderable_is_refused_with_the_shortage_message() -> None:
    with pytest.raises(StockError, match=r"품절: 요청 1개") as sold_out:
        sku("A", 3, sold_out=True).reserve(1)
    with pytest.raises(StockError) as short:
        sku("A", 3, label="블랙 / M").reserve(5)

    assert (sold_out.value.key, sold_out.value.params) == (
        "stock_sold_out", {"name": "A", "sku_id": "A", "requested": 1, "available": 0})
    assert (short.value.key, short.value.params) == (
        "stock_short", {"name": "블랙 / M", "sku_id": "A", "requested": 5, "available": 3})
    assert short.value.message == Shortage("A", "블랙 / M", 5, 3).message


def test_a_random_walk_of_movements_always_replays_from_its_ledger() -> None:
    rng = random.Random(4)
    s = sku("A", 0)
    moves = [s.move(Kind.INITIAL, 20)]
    for _ in range(500):
        kind = rng.choice(list(Kind))
        units = rng.randint(-3, 5) if kind in STOCK_IN_OUT else rng.randint(1, 4)
        try:
            moves.append(s.move(kind, units))
        except StockError:
            pass
    replay = [0, 0, 0]
    for n, m in enumerate(moves, start=1):
        assert m.seq == n and tuple(replay) == m.before
        replay = [replay[0] + m.d_available, replay[1] + m.d_reserved, replay[2] + m.d_sold]
        assert tuple(replay) == m.after
    assert tuple(replay) == s.counters
    assert sum(m.d_available for m in moves if m.kind in STOCK_IN_OUT) == sum(s.counters)


# ---- reservations ----


def test_an_order_reserves_every_sku_or_none() -> None:
    skus: dict[str, SkuStock | None] = {"A": sku("A", 5), "B": sku("B", 1)}

    moves, shortage = reserve_all(skus, {"A": 2, "B": 2})

    assert moves == [] and shortage is not None and shortage.sku_id == "B"
    assert skus["A"].counters == (5, 0, 0)  # type: ignore[union-attr]
    moves, shortage = reserve_all(skus, {"A": 2, "B": 1})
    assert shortage is None and [m.sku_id for m in moves] == ["A", "B"]


def test_release_gives_back_what_is_still_held_once() -> None:
    skus: dict[str, SkuStock | None] = {"A": sku("A", 5)}
    skus["A"].move(Kind.RESERVE, 3)  # type: ignore[union-attr]
    res = Reservation("o1", "o1", "RESERVED", [Hold("A", 3)])
    sell_units(res, skus, {"A": 1})

    first = release_units(res, skus)
    again = release_units(res, skus)

    assert [m.d_available for m in first] == [2] and again == []
    assert skus["A"].counters == (4, 0, 1)  # type: ignore[union-attr]
    assert res.status == "RELEASED"


def test_a_partial_release_leaves_the_rest_reserved() -> None:
    skus: dict[str, SkuStock | None] = {"A": sku("A", 5)}
    skus["A"].move(Kind.RESERVE, 3)  # type: ignore[union-attr]
    res = Reservation("o1", "o1", "RESERVED", [Hold("A", 3)])

    release_units(res, skus, {"A": 1})

    assert res.status == "RESERVED" and res.holds[0].held == 2


def test_shipping_never_sells_more_than_is_held() -> None:
    skus: dict[str, SkuStock | None] = {"A": sku("A", 5)}
    skus["A"].move(Kind.RESERVE, 2)  # type: ignore[union-attr]
    res = Reservation("o1", "o1", "RESERVED", [Hold("A", 2)])

    moves = sell_units(res, skus, {"A": 5})

    assert [m.d_sold for m in moves] == [2]
    assert skus["A"].counters == (3, 0, 2)  # type: ignore[union-attr]


def test_restock_puts_back_at_most_what_the_order_shipped_and_not_twice() -> None:
    skus: dict[str, SkuStock | None] = {"A": sku("A", 5)}
    skus["A"].move(Kind.RESERVE, 2)  # type: ignore[union-attr]
    res = Reservation("o1", "o1", "RESERVED", [Hold("A", 2)])
    sell_units(res, skus, {"A": 2})

    first = restock_units([res], skus, {"A": 5})
    again = restock_units([res], skus, {"A": 1})

    assert [m.d_available for m in first] == [2] and again == []
    assert skus["A"].counters == (5, 0, 0)  # type: ignore[union-attr]


def test_restock_counts_the_units_shipped_by_the_orders_exchanges_too() -> None:
    skus: dict[str, SkuStock | None] = {"A": sku("A", 5)}
    skus["A"].move(Kind.RESERVE, 2)  # type: ignore[union-attr]
    skus["A"].move(Kind.SOLD, 2)  # type: ignore[union-attr]
    order = Reservation("o1", "o1", "RESERVED", [Hold("A", 1, sold=1)])
    exchange = Reservation("exchange:c1", "o1", "RESERVED", [Hold("A", 1, sold=1)])

    moves = restock_units([order, exchange], skus, {"A": 2})

    assert [m.d_available for m in moves] == [2]
    assert order.holds[0].restocked == 1 and exchange.holds[0].restocked == 1
