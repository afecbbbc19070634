"""`python -m coupons.best INSTANCE.json`: answer on stdout, bad input on stderr with exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = {
    "version": 1, "rounding_unit": 10, "threshold_base": "discounted",
    "product_coupon_base": "line", "shipping_fee": 3000,
    "lines": [{"id": "L1", "product_id": "P1", "category_id": "C1", "unit_price": 20900,
               "quantity": 2}],
    "coupons": [
        {"id": "K1", "kind": "product", "type": "percent", "value": 25, "max_discount": 8000,
         "min_purchase": 24000, "eligible_category_ids": ["C1"]},
        {"id": "K2", "kind": "cart", "type": "fixed", "value": 5000, "min_purchase": 30000},
        {"id": "K3", "kind": "shipping", "type": "fixed", "value": 3000, "exclusive": False,
         "conflicts_with": ["K2"]},
    ],
}


def run(tmp_path: Path, text: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "instance.json"
    path.write_text(text, encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "coupons.best", str(path)],
                          capture_output=True, text=True, timeout=60)


def test_prints_the_answer(tmp_path: Path) -> None:
    done = run(tmp_path, json.dumps(EXAMPLE))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "total_discount": 13000,
        "assignment": {"product": {"L1": "K1"}, "cart": "K2", "shipping": None}}


def broken(**change: object) -> str:
    inst = json.loads(json.dumps(EXAMPLE))
    for path, value in change.items():
        *head, last = path.split("__")
        node = inst
        for key in head:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if value is None:
            del node[int(last) if isinstance(node, list) else last]
        else:
            node[int(last) if isinstance(node, list) else last] = value
    return json.dumps(inst)


@pytest.mark.parametrize(("text", "needle"), [
    ('{"lines": [', "Invalid JSON"),
    (broken(coupons__0__kind="voucher"), "kind"),
    (broken(coupons__1__type="bogo"), "type"),
    (broken(coupons__0__value=None), "value"),
    (broken(lines__0__unit_price=None), "unit_price"),
    (broken(lines__0__quantity=1.5), "quantity"),
    (broken(coupons__0__value=150), "1..100"),
    (broken(lines=None), "lines"),
    ("[]", "(document)"),
])
def test_bad_input_exits_2(tmp_path: Path, text: str, needle: str) -> None:
    done = run(tmp_path, text)
    assert done.returncode == 2
    assert needle in done.stderr and done.stdout == ""


def test_missing_file_exits_2(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "coupons.best", str(tmp_path / "none.json")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "cannot read" in done.stderr
