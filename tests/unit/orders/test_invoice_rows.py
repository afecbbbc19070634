"""The orders service's rules on invoice-upload rows: each refused row names why."""

from __future__ import annotations

from orders.invoice_uploads import UploadRow, check_rows


def row(n: int, **values: str) -> UploadRow:
    base = {"order_no": "20261202-000001", "carrier": "CJ대한통운", "invoice_no": "123456789012",
            "action_text": "배송중"}
    return UploadRow(row=n, **{**base, **values})


def codes(bad: list[dict[str, object]]) -> dict[int, list[object]]:
    return {int(str(b["row"])): [e["code"] for e in b["errors"]]  # type: ignore[attr-defined]
            for b in bad}


def test_good_rows_become_targets_with_their_action() -> None:
    good, bad = check_rows([row(2), row(3, order_no="20261202-000002", action_text="배송대기"),
                            row(4, order_no="", section_id="20261202-000003-2")])
    assert bad == []
    assert [(g["row"], g["action"], g["order_no"], g["section_id"]) for g in good] == [
        (2, "SHIP", "20261202-000001", ""), (3, "READY_TO_SHIP", "20261202-000002", ""),
        (4, "SHIP", "20261202-000003", "20261202-000003-2")]


def test_every_rule_names_the_row_and_the_reason() -> None:
    good, bad = check_rows([
        row(2, order_no="", section_id=""),
        row(3, section_id="20261202-000009-1"),
        row(4, carrier=""), row(5, carrier="DHL"),
        row(6, invoice_no=""), row(7, invoice_no="12 34"), row(8, invoice_no="1" * 41),
        row(9, action_text="반품"),
        row(10, order_no="2" * 41),
        row(11, order_no="20261202-000005"), row(12, order_no="20261202-000005"),
    ])
    assert codes(bad) == {
        2: ["row_no_order"], 3: ["row_section_mismatch"], 4: ["row_no_carrier"],
        5: ["row_unknown_carrier"], 6: ["row_no_invoice"], 7: ["row_bad_invoice"],
        8: ["row_bad_invoice"], 9: ["row_unknown_action"], 10: ["row_bad_order"],
        12: ["row_duplicate"]}
    assert [g["row"] for g in good] == [11]
    duplicate = next(b for b in bad if b["row"] == 12)
    assert duplicate["errors"] == [{"code": "row_duplicate", "value": "11"}]
