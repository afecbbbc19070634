"""Spreadsheets in and out: typed text never becomes a formula, and an upload cannot make the
gateway unpack or pad out more than it holds."""

from __future__ import annotations

import io
import re
import threading
import zipfile
from typing import Any

import pytest
from openpyxl import Workbook

from gateway import spreadsheets
from gateway.clients import ServiceError
from gateway.spreadsheets import neutral, read_sheet


def xlsx(rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def rewritten(data: bytes, change: dict[str, bytes]) -> bytes:
    """The workbook with some parts replaced or added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item.filename, change.pop(item.filename, src.read(item.filename)))
        for name, part in change.items():
            dst.writestr(name, part)
    return out.getvalue()


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://evil\",\"x\")", "+1+2", "-2+3", "@SUM(A1)",
                                  "\tx", "\rx"])
def test_text_starting_a_formula_is_neutralised(text: str) -> None:
    assert neutral(text) == "'" + text


@pytest.mark.parametrize("value", ["홍길동", "010-1234-5678", "a=b", -5, 12000, None])
def test_other_values_stay_as_they_are(value: Any) -> None:
    assert neutral(value) == value


def test_a_declared_huge_sheet_is_read_as_the_cells_it_holds() -> None:
    data = xlsx([["주문번호", "택배사", "송장번호", "처리"], ["1", "CJ대한통운", "1234", "배송중"]])
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    huge = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD600"', sheet)
    assert huge != sheet

    rows = read_sheet("a.xlsx", rewritten(data, {"xl/worksheets/sheet1.xml": huge}))

    assert len(rows) == 2
    assert all(len(r) <= spreadsheets.LIMITS.upload_max_columns for r in rows)
    assert rows[1][:4] == ["1", "CJ대한통운", "1234", "배송중"]


def test_a_workbook_unpacking_past_the_limit_is_refused_before_it_is_opened(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spreadsheets.LIMITS, "upload_max_unpacked_bytes", 1024 * 1024)
    data = xlsx([["주문번호"]])
    bomb = rewritten(data, {"xl/sharedStrings.xml": b"<sst>" + b" " * 5_000_000 + b"</sst>"})
    assert len(bomb) < 100_000

    with pytest.raises(ServiceError) as refused:
        read_sheet("bomb.xlsx", bomb)
    assert refused.value.status_code == 413 and refused.value.code == "sheet_too_large"


@pytest.mark.parametrize("name, data", [
    ("many.xlsx", xlsx([[str(i)] for i in range(60)])),
    ("many.csv", "".join(f"{i},x\n" for i in range(60)).encode()),
])
def test_a_sheet_over_the_row_limit_is_refused(name: str, data: bytes) -> None:
    assert len(read_sheet(name, data, max_rows=60)) == 60
    with pytest.raises(ServiceError) as refused:
        read_sheet(name, data, max_rows=59)
    assert refused.value.status_code == 413


def test_only_the_first_columns_are_read() -> None:
    data = ("a," * 5000 + "b\n").encode()

    assert read_sheet("wide.csv", data, max_columns=30) == [["a"] * 30]


async def test_an_upload_is_parsed_off_the_event_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[threading.Thread] = []

    def spy(_filename: str, _data: bytes) -> list[list[str]]:
        threads.append(threading.current_thread())
        raise ServiceError(400, "bad_file", "stop here")

    monkeypatch.setattr(spreadsheets, "read_sheet", spy)
    with pytest.raises(ServiceError):
        await spreadsheets.process_upload(None, None, "a.csv", b"x")  # type: ignore[arg-type]
    assert threads and threads[0] is not threading.main_thread()
