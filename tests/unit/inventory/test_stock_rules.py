"""Stock rules (SPEC §9): an order reserves every SKU or none; a shortage names the SKU."""

from __future__ import annotations

import pytest

from inventory.domain import Shortage, first_shortage, merge_quantities


def sku(label: str, available: int, sold_out: bool = False) -> dict[str, object]:
    return {"label": label, "available": available, "reserved": 0, "sold": 0,
            "sold_out": sold_out}


# ---- merge_quantities ----


def test_merging_adds_up_the_quantities_of_the_same_sku() -> None:
    merged = merge_quantities([("B", 2), ("A", 1), ("B", 3)])

    assert merged == {"A": 1, "B": 5}


def test_merged_skus_come_out_in_sorted_order_whatever_the_input_order() -> None:
    merged = merge_quantities([("Z-1", 1), ("A-9", 1), ("M-5", 2), ("A-1", 4)])

    assert list(merged) == ["A-1", "A-9", "M-5", "Z-1"]
    assert list(merge_quantities(list(reversed([("Z-1", 1), ("A-9", 1)])))) == ["A-9", "Z-1"]


def test_merging_nothing_gives_nothing() -> None:
    assert merge_quantities([]) == {}


def test_merging_keeps_the_total_number_of_units() -> None:
    pairs = [(f"S{n % 4}", n) for n in range(1, 20)]

    assert sum(merge_quantities(pairs).values()) == sum(q for _, q in pairs)


# ---- first_shortage ----


def test_no_shortage_when_every_sku_has_enough_stock_including_the_last_unit() -> None:
    wanted = {"A": 2, "B": 1}
    skus = {"A": sku("블랙 / M", 2), "B": sku("화이트 / L", 10)}

    assert first_shortage(wanted, skus) is None


def test_a_sku_with_too_few_units_is_the_shortage_with_the_count_left() -> None:
    shortage = first_shortage({"A": 3}, {"A": sku("블랙 / M", 2)})

    assert shortage == Shortage("A", "블랙 / M", requested=3, available=2)


def test_a_sku_with_nothing_left_is_a_shortage_of_zero() -> None:
    shortage = first_shortage({"A": 1}, {"A": sku("블랙 / M", 0)})

    assert shortage == Shortage("A", "블랙 / M", requested=1, available=0)


def test_a_sold_out_sku_is_a_shortage_even_with_units_on_the_books() -> None:
    shortage = first_shortage({"A": 1}, {"A": sku("블랙 / M", 5, sold_out=True)})

    assert shortage == Shortage("A", "블랙 / M", requested=1, available=0)


def test_an_unknown_sku_is_a_shortage_named_by_its_id() -> None:
    shortage = first_shortage({"GHOST": 1}, {})

    assert shortage == Shortage("GHOST", "GHOST", requested=1, available=0)


def test_the_first_short_sku_in_the_wanted_order_is_reported() -> None:
    wanted = merge_quantities([("C", 5), ("A", 1), ("B", 9)])
    skus = {"A": sku("a", 1), "B": sku("b", 2), "C": sku("c", 0)}

    shortage = first_shortage(wanted, skus)

    assert shortage is not None and shortage.sku_id == "B"


def test_checking_for_a_shortage_changes_no_stock() -> None:
    skus = {"A": sku("a", 1)}

    first_shortage({"A": 5}, skus)

    assert skus == {"A": sku("a", 1)}


# ---- Shortage.message ----


def test_the_shortage_message_names_the_sku_its_label_and_the_count_left() -> None:
    message = Shortage("P1-BK-M", "블랙 / M", requested=3, available=2).message

    assert "P1-BK-M" in message
    assert "블랙 / M" in message
    assert "재고 부족" in message
    assert "요청 3개" in message
    assert "남은 재고 2개" in message


@pytest.mark.parametrize("available", [0, -1])
def test_the_message_of_a_sku_with_nothing_left_says_sold_out(available: int) -> None:
    message = Shortage("P1-BK-M", "블랙 / M", requested=1, available=available).message

    assert "P1-BK-M" in message
    assert "품절" in message
    assert "남은 재고 0개" in message
    assert "재고 부족" not in message


def test_the_message_of_an_unknown_sku_names_it_and_says_sold_out() -> None:
    shortage = first_shortage({"GHOST": 2}, {})

    assert shortage is not None
    assert shortage.message == "GHOST (GHOST) 품절: 요청 2개, 남은 재고 0개"
