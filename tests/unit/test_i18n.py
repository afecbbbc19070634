"""The catalogs cover what the pages show: every message id the gateway uses, and every refusal
a service or the gateway raises, has a Korean text (and an English one with the same
placeholders)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from gateway.i18n import LOCALE_DIR, translator

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "t": None, "N_": None, "flash": (3,)}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
# Raising these names a refusal: (code, message, ..., key=...) or NotFound(what, id).
ERRORS = {"DomainError", "InvalidInput", "ServiceError", "StockError", "CatalogueError"}


def catalog(lang: str) -> dict[str, str]:
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return {m.id: m.string for m in read_po(f, locale=lang) if m.id and isinstance(m.id, str)}


def used_ids() -> set[str]:
    found = extract_from_dir(str(ROOT / "gateway"), method_map=[
        ("**.py", "python"), ("templates/**.html", "jinja2")], keywords=KEYWORDS)
    return {msg for _file, _line, msg, _comments, _ctx in found if isinstance(msg, str)}


def refusal_keys() -> set[str]:
    """The key of every refusal raised in services/ and gateway/ (the `key=` given, else the
    code; `NotFound("sku", ...)` is `sku_not_found`)."""
    keys: set[str] = set()
    for path in [*ROOT.glob("services/**/*.py"), *ROOT.glob("gateway/**/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            given = {k.arg: k.value for k in node.keywords}
            key = given.get("key")
            if isinstance(key, ast.Constant) and isinstance(key.value, str) and key.value:
                if name in ERRORS | {"NotFound", "flash_refusal"}:
                    keys.add(key.value)
                continue
            literal = [a.value for a in node.args if isinstance(a, ast.Constant)]
            if name == "NotFound" and literal and isinstance(literal[0], str):
                keys.add(f"{literal[0].lower().replace(' ', '_')}_not_found")
            elif name in ERRORS | {"flash_refusal"}:
                codes = [v for v in literal if isinstance(v, str) and re.fullmatch(r"[a-z_]+", v)]
                if codes:
                    keys.add(codes[0])
    return keys


def test_every_message_id_the_gateway_uses_has_a_korean_text() -> None:
    ko = catalog("ko")
    used = used_ids()
    assert len(used) > 500  # the extraction found the templates and the code
    assert sorted(m for m in used if not ko.get(m)) == []


def test_every_refusal_has_a_korean_text() -> None:
    ko = catalog("ko")
    keys = refusal_keys()
    assert {"section_cannot_move", "order_not_found", "bad_xlsx"} <= keys
    assert sorted(k for k in keys if not ko.get(f"err_{k}")) == []


def test_both_catalogs_hold_the_same_ids_and_korean_names_no_unknown_value() -> None:
    ko, en = catalog("ko"), catalog("en")
    assert set(ko) == set(en)
    assert [m for m in ko if not en[m]] == []
    # Korean may leave a value out; it never names one the English (the refusal) lacks.
    differ = [m for m in ko if not set(PLACEHOLDER.findall(ko[m])) <= set(PLACEHOLDER.findall(en[m]))]
    assert differ == []


def test_a_refusal_is_shown_by_its_key_with_its_values_translated() -> None:
    ko = translator("ko")
    text = ko.error("invalid_transition", "section_cannot_move",
                    {"section_id": "A-1", "status": "SHIPPING", "to": "READY_TO_SHIP"})
    assert text == "A-1 묶음은 배송중 상태라서 배송대기(으)로 변경할 수 없습니다."
    # an unknown key falls back to its code's text, then to a generic one: never English
    assert ko.error("not_found", "no_such_case", {}) == ko("err_not_found")
    assert ko.error("no_such_code", None, {}) == ko("err_error")
    assert translator("en").error("bad_file", "bad_xlsx", {}).startswith("The file is not")


def test_money_and_dates_are_formatted_per_language_in_korea_time() -> None:
    ko, en = translator("ko"), translator("en")
    assert (ko.money(1234500), en.money(1234500)) == ("1,234,500원", "₩1,234,500")
    assert ko.date("2026-12-03T15:30:00+00:00") == "2026-12-04 00:30"
    assert ko.deadline("2026-12-03T15:30:00") == "2026-12-04 (금) 00:30 KST"
    assert en.deadline("2026-12-03T15:30:00") == "Fri 2026-12-04 00:30 KST"
