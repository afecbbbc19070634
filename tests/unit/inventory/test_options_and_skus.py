"""Option and SKU rules (SPEC §9): combination options make one SKU per combination;
independent options never carry stock."""

from __future__ import annotations

import pytest

from contracts.inventory.requests import ProductIn
from inventory.catalogue import (
    MAX_SKU_ID,
    CatalogueError,
    CombinationOption,
    ExistingSku,
    IndependentOption,
    OptionValue,
    SkuOverride,
    StockSetting,
    check_options,
    coded_values,
    convert_option,
    grid,
    match,
    value_code,
)
from inventory.products import normalize
from kit.errors import InvalidInput, NotFound


def option(name: str, *values: str) -> CombinationOption:
    return CombinationOption(name, coded_values([(v, "") for v in values]))


COLOR = option("색상", "블랙", "화이트")
SIZE = option("사이즈", "S", "M", "L")


def test_every_combination_of_the_values_is_one_sku_in_option_order() -> None:
    specs = grid("TEE", [COLOR, SIZE], {})

    assert [s.label for s in specs] == ["블랙 / S", "블랙 / M", "블랙 / L",
                                        "화이트 / S", "화이트 / M", "화이트 / L"]
    assert specs[1].options_map == {"색상": "블랙", "사이즈": "M"}
    assert len({s.sku_id for s in specs}) == 6


def test_generated_sku_ids_use_plain_codes_and_stable_hashes_for_other_values() -> None:
    assert value_code("xl") == "XL" and value_code("240") == "240"
    assert value_code("블랙") == value_code("블랙 ") != value_code("화이트")
    assert grid("TEE", [option("사이즈", "M")], {})[0].sku_id == "TEE-M"


def test_a_sku_id_never_exceeds_what_an_order_line_accepts() -> None:
    long = option("o", "A" * 12)
    sku_id = grid("P" * 40, [long, option("p", "B" * 12), option("q", "C" * 12)], {})[0].sku_id

    assert len(sku_id) <= MAX_SKU_ID


def test_a_product_without_combination_options_is_one_sku_named_after_the_product() -> None:
    [spec] = grid("MUG", [], {(): SkuOverride(stock=7)})

    assert (spec.sku_id, spec.options, spec.override.stock) == ("MUG", (), 7)


def test_the_sellers_settings_follow_their_combination() -> None:
    specs = grid("TEE", [COLOR, SIZE], {("화이트", "L"): SkuOverride(price_delta=2000, stock=3,
                                                                    sold_out=True)})

    white_l = next(s for s in specs if s.label == "화이트 / L")
    assert (white_l.override.price_delta, white_l.override.stock, white_l.override.sold_out) == (
        2000, 3, True)


def test_stock_on_an_independent_option_is_refused_with_a_clear_message() -> None:
    with pytest.raises(CatalogueError) as refused:
        check_options([COLOR], [IndependentOption("선물포장", values=("안 함", "포장"))],
                      [StockSetting("선물포장", "포장", 10)])

    assert refused.value.code == "stock_on_independent_option"
    assert "선물포장 is an independent option" in refused.value.message
    assert "never carry stock" in refused.value.message


def test_a_product_sent_with_stock_on_an_independent_option_is_read_as_a_stock_setting() -> None:
    p = ProductIn.model_validate({
        "product_id": "CANDLE", "name": "캔들", "base_price": 15000,
        "independent_options": [{"name": "향", "values": [{"value": "라벤더", "stock": 3}, "우디"]},
                                {"name": "포장", "values": ["안 함"], "stock": 5}]})

    _, independent, stock, _ = normalize(p)

    assert stock == [StockSetting("향", "라벤더", 3), StockSetting("포장", "", 5)]
    assert independent[0].values == ("라벤더", "우디")


@pytest.mark.parametrize(("combination", "independent", "code"), [
    ([COLOR, SIZE, option("소재", "면"), option("핏", "슬림")], [], "too_many_options"),
    ([COLOR, option("색상", "레드")], [], "duplicate_option"),
    ([COLOR], [IndependentOption("색상", values=("x",))], "duplicate_option"),
    ([option("색상", "블랙", "블랙")], [], "duplicate_option_value"),
    ([CombinationOption("색상", ())], [], "option_values_required"),
    ([CombinationOption(" ", (OptionValue("a", "A"),))], [], "option_name_required"),
    ([CombinationOption("a", (OptionValue("x", "Q"), OptionValue("y", "Q")))], [],
     "duplicate_option_code"),
    ([CombinationOption("a", (OptionValue("x", "q-1"),))], [], "invalid_option_code"),
    ([], [IndependentOption("선물포장", "SELECT", ())], "option_values_required"),
    ([option("a", *map(str, range(30))), option("b", *map(str, range(20)))], [], "too_many_skus"),
])
def test_broken_option_sets_are_refused_with_their_reason(
        combination: list[CombinationOption], independent: list[IndependentOption],
        code: str) -> None:
    with pytest.raises(CatalogueError) as refused:
        check_options(combination, independent, [])

    assert refused.value.code == code


def test_a_text_option_needs_no_values() -> None:
    check_options([COLOR], [IndependentOption("각인 문구", "TEXT")], [])


def test_existing_skus_keep_their_id_when_their_combination_stays() -> None:
    specs = grid("TEE", [COLOR], {})
    existing = [ExistingSku("OLD-BLACK", (("색상", "블랙"),)), ExistingSku("OLD-RED", (("색상", "레드"),))]

    pairs, gone = match(specs, existing)

    assert [(s.sku_id, e.sku_id if e else None) for s, e in pairs] == [
        ("OLD-BLACK", "OLD-BLACK"), (specs[1].sku_id, None)]
    assert [g.sku_id for g in gone] == ["OLD-RED"]


def test_a_sku_saved_before_options_existed_is_found_by_its_id() -> None:
    specs = grid("MUG", [CombinationOption("옵션", (OptionValue("네이비", "NAVY"),))], {})

    pairs, gone = match(specs, [ExistingSku("MUG-NAVY", ())])

    assert pairs[0][1] is not None and gone == []


def test_a_plain_list_of_skus_becomes_one_combination_option_with_their_ids() -> None:
    p = ProductIn.model_validate({"product_id": "MUG", "name": "머그", "base_price": 12000,
                                  "skus": [{"sku_id": "MUG-IVORY", "label": "아이보리", "stock": 3},
                                           {"sku_id": "MUG-NAVY", "label": "네이비"}]})

    combination, _, _, overrides = normalize(p)
    specs = grid("MUG", combination, overrides)

    assert [o.name for o in combination] == ["옵션"]
    assert [(s.sku_id, s.label, s.override.stock) for s in specs] == [
        ("MUG-IVORY", "아이보리", 3), ("MUG-NAVY", "네이비", None)]


def test_grid_settings_must_name_every_combination_option() -> None:
    p = ProductIn.model_validate({
        "product_id": "TEE", "name": "티", "base_price": 1000,
        "combination_options": [{"name": "색상", "values": [{"value": "블랙"}]},
                                {"name": "사이즈", "values": [{"value": "M"}]}],
        "skus": [{"options": {"색상": "블랙"}, "stock": 1}]})

    with pytest.raises(CatalogueError, match="every combination option"):
        normalize(p)


def test_converting_an_independent_option_makes_it_a_combination_option() -> None:
    combination, independent = convert_option(
        [COLOR], [IndependentOption("향", values=("라벤더", "우디")), IndependentOption("포장",
                                                                               values=("a",))], "향")

    assert [o.name for o in combination] == ["색상", "향"]
    assert [v.value for v in combination[1].values] == ["라벤더", "우디"]
    assert [o.name for o in independent] == ["포장"]
    assert len(grid("P", combination, {})) == 4


def test_a_text_option_cannot_become_a_combination_option() -> None:
    with pytest.raises(CatalogueError) as refused:
        convert_option([], [IndependentOption("각인", "TEXT")], "각인")

    assert refused.value.code == "not_convertible"


def test_an_option_rule_refusal_is_kits_invalid_input_answered_400() -> None:
    with pytest.raises(InvalidInput) as refused:
        check_options([COLOR, COLOR], [], [])

    assert (refused.value.status_code, refused.value.code) == (400, "duplicate_option")
    assert refused.value.as_json() == {"error": "duplicate_option", "key": "duplicate_option",
                                       "message": "option name 색상 is used twice",
                                       "params": {"name": "색상"}}


def test_converting_an_option_the_product_does_not_have_is_not_found_404() -> None:
    with pytest.raises(NotFound) as refused:
        convert_option([], [IndependentOption("포장", values=("안 함", "포장"))], "각인")

    assert (refused.value.status_code, refused.value.code) == (404, "not_found")
    assert refused.value.message == "independent option 각인 not found"
    assert (refused.value.key, refused.value.params) == ("independent_option_not_found",
                                                         {"id": "각인"})
