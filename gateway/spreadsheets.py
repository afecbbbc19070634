"""Spreadsheets (일괄처리 by file): export the current tab to XLSX/CSV with the seller's columns,
and upload invoices (XLSX/CSV) that land sections in 배송대기 or 배송중 through bulk jobs, with a
per-row report. Used by pages/spreadsheets.py and api/spreadsheets.py."""

from __future__ import annotations

import csv
import io
import re
import tempfile
import zipfile
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from fastapi.responses import Response, StreamingResponse
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from starlette.concurrency import run_in_threadpool

from contracts.orders.requests import CARRIERS
from gateway.auth import User
from gateway.clients import ServiceError, Services
from gateway.i18n import KST, Translator, translator
from gateway.order_menu import SORTS, catalogue, find_tab, order_menu, tab_filter
from gateway.orders import actor_of
from gateway.settings import GatewaySettings

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
LIMITS = GatewaySettings()  # upload_max_rows, upload_max_columns, upload_max_unpacked_bytes
# A text cell starting with one of these is a formula (or its start) to spreadsheet programs.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
LIST_PAGE = 500  # rows per /list call while exporting (the service's maximum)
REPORT_PAGE = 100
# Upload columns: the key, then the header names we accept (Korean first; case-insensitive).
HEADERS: dict[str, tuple[str, ...]] = {
    "order_no": ("주문번호", "order no", "order_no", "order no.", "order number"),
    "section_id": ("섹션번호", "묶음번호", "section", "section_id", "section id", "section no."),
    "carrier": ("택배사", "carrier"),
    "invoice_no": ("송장번호", "운송장번호", "invoice", "invoice_no", "invoice no", "invoice no.",
                   "tracking no", "tracking number"),
    "action": ("처리", "action"),
}
TEMPLATE_HEADERS = ["주문번호", "섹션번호", "택배사", "송장번호", "처리"]
CELL_MAX = 200  # characters of a cell sent on (the orders service flags a longer value)
WIDTHS = {"order_no": 18, "placed_at": 17, "buyer": 10, "recipient": 10, "phone": 15,
          "items": 30, "quantity": 7, "amount": 12, "payment_method": 12,
          "payment_status": 10, "status": 16, "invoice": 24, "channel": 10, "memo": 24,
          "address": 40}


# ---- export ----

def neutral(value: Any) -> Any:
    """Text a buyer or seller typed, never a live formula: `=HYPERLINK(...)` → `'=HYPERLINK(...)`
    (numbers and dates stay as they are)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def cell_value(key: str, row: dict[str, Any], t: Translator) -> Any:
    """One list cell as plain data (numbers stay numbers, dates are Korea time)."""
    match key:
        case "order_no":
            return row["order_no"]
        case "placed_at":
            placed = row["placed_at"]
            dt = datetime.fromisoformat(placed) if isinstance(placed, str) else placed
            if dt.tzinfo is None:
                dt = dt.replace(tzinfo=UTC)
            return dt.astimezone(KST).replace(tzinfo=None, microsecond=0)
        case "buyer":
            return row["buyer_name"]
        case "recipient":
            return row["recipient"]
        case "phone":
            return row["buyer_phone"]
        case "items":
            return row["items_summary"]
        case "quantity":
            return int(row["quantity"])
        case "amount":
            return int(row["amount"])
        case "payment_method" | "payment_status" | "channel":
            return t(row[key])
        case "status":
            return ", ".join(t(x) for x in row["statuses"])
        case "invoice":
            return ", ".join(row["invoices"])
        case "memo":
            return row.get("memo", "")
        case "address":
            return row.get("address", "")
    return ""


async def list_rows(s: Services, flt: dict[str, Any], sort: str = "placed_at",
                    direction: str = "desc") -> AsyncIterator[dict[str, Any]]:
    """Every row of the filter, page after page (keyset cursor; no row limit)."""
    cursor = None
    while True:
        data = await s.orders.post("/list", {"filter": flt, "page": {
            "sort": sort, "direction": direction, "cursor": cursor, "limit": LIST_PAGE}})
        for row in data["rows"]:
            yield row
        cursor = data["next_cursor"]
        if not cursor:
            return


def column_label(key: str, labels: dict[str, str], t: Translator) -> str:
    return labels.get(key, key) if t.lang == "ko" else t.column(key, labels.get(key, key))


def attachment(name: str, ext: str) -> dict[str, str]:
    stamp = datetime.now(KST).strftime("%Y%m%d-%H%M")
    ascii_name = f"orders-{stamp}.{ext}"
    nice = f"{name}_{stamp}.{ext}"
    return {"Content-Disposition":
            f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(nice)}"}


async def export(s: Services, user: User, fmt: str, tab_id: str | None, q: str, sort: str,
                 direction: str, lang: str) -> Response:
    if fmt not in ("csv", "xlsx"):
        raise ServiceError(400, "bad_format", "format must be csv or xlsx")
    t = translator(lang)
    menu, cat = await order_menu(s, user), await catalogue(s)
    tab = find_tab(menu, tab_id)
    flt = tab_filter(tab, q)
    sort = sort if sort in SORTS else "placed_at"
    direction = "asc" if direction == "asc" else "desc"
    columns = menu["columns"]
    header = [column_label(k, cat["columns"], t) for k in columns]
    title = f"{t('orders')}_{tab['name']}"
    rows = list_rows(s, flt, sort, direction)

    if fmt == "csv":
        async def lines() -> AsyncIterator[bytes]:
            buf = io.StringIO()
            out = csv.writer(buf)
            out.writerow(header)
            yield ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: Excel reads UTF-8
            async for row in rows:
                buf.seek(0)
                buf.truncate()
                values = [cell_value(k, row, t) for k in columns]
                out.writerow([v.strftime("%Y-%m-%d %H:%M") if isinstance(v, datetime)
                              else neutral(v) for v in values])
                yield buf.getvalue().encode("utf-8")

        return StreamingResponse(lines(), media_type="text/csv; charset=utf-8",
                                 headers=attachment(title, "csv"))

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(re.sub(r"[\[\]:*?/\\]", "", tab["name"])[:31] or "orders")
    ws.freeze_panes = "A2"
    for i, key in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = WIDTHS.get(key, 14)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="E8EDF7")
    head = []
    for label in header:
        c = WriteOnlyCell(ws, value=neutral(label))
        c.font, c.fill = bold, fill
        head.append(c)
    ws.append(head)
    async for row in rows:
        cells = []
        for key in columns:
            c = WriteOnlyCell(ws, value=neutral(cell_value(key, row, t)))
            if key == "amount":
                c.number_format = "#,##0"
            elif key == "placed_at":
                c.number_format = "yyyy-mm-dd hh:mm"
            cells.append(c)
        ws.append(cells)
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    wb.save(out)
    out.seek(0)

    def chunks() -> Any:
        with out:
            while chunk := out.read(256 * 1024):
                yield chunk

    return StreamingResponse(chunks(), media_type=XLSX_TYPE, headers=attachment(title, "xlsx"))


# ---- upload ----

def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value).strip()


def too_many_rows(max_rows: int) -> ServiceError:
    return ServiceError(413, "sheet_too_large", "the sheet has more than {max_rows} rows",
                        key="sheet_too_many_rows", max_rows=max_rows)


def check_unpacked_size(data: bytes, max_bytes: int) -> None:
    """An XLSX is a zip: refuse it before unpacking when its parts would unpack to more than
    `max_bytes` (a few KB can declare a sheet of gigabytes). The zip reader never unpacks more
    than a part declares."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            unpacked = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ServiceError(400, "bad_file", "the file is not a readable XLSX workbook",
                           key="bad_xlsx") from exc
    if unpacked > max_bytes:
        raise ServiceError(413, "sheet_too_large", "the workbook unpacks to more than {mb} MB",
                           key="sheet_unpacks_too_large", mb=max_bytes // (1024 * 1024))


def read_sheet(filename: str, data: bytes, max_rows: int | None = None,
               max_columns: int | None = None) -> list[list[str]]:
    """The first sheet's cells as text (XLSX), or a CSV's cells (UTF-8, with or without BOM, or
    the CP949 Korean Excel writes): at most `max_rows` rows (more is refused) of the first
    `max_columns` columns. Blocking: run it off the event loop."""
    max_rows = max_rows or LIMITS.upload_max_rows
    max_columns = max_columns or LIMITS.upload_max_columns
    name = filename.lower()
    if name.endswith(".xlsx") or data[:2] == b"PK":
        check_unpacked_size(data, LIMITS.upload_max_unpacked_bytes)
        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # a damaged or non-XLSX file: openpyxl raises many kinds
            raise ServiceError(400, "bad_file", "the file is not a readable XLSX workbook",
                               key="bad_xlsx") from exc
        try:
            ws = wb.worksheets[0]
            ws.reset_dimensions()  # the declared size (A1:XFD1048576) is not padded out
            rows: list[list[str]] = []
            try:
                for row in ws.iter_rows(max_col=max_columns, values_only=True):
                    if len(rows) == max_rows:
                        raise too_many_rows(max_rows)
                    rows.append([_text(v) for v in row])
            except ServiceError:
                raise
            except Exception as exc:  # a damaged sheet part
                raise ServiceError(400, "bad_file", "the file is not a readable XLSX workbook",
                                   key="bad_xlsx") from exc
            return rows
        finally:
            wb.close()
    if name.endswith((".csv", ".txt")):
        for encoding in ("utf-8-sig", "cp949"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ServiceError(400, "bad_file", "the CSV file is neither UTF-8 nor CP949 text",
                               key="csv_encoding")
        rows = []
        try:
            for fields in csv.reader(io.StringIO(text)):
                if len(rows) == max_rows:
                    raise too_many_rows(max_rows)
                rows.append([c.strip() for c in fields[:max_columns]])
        except csv.Error as exc:  # e.g. a field over the csv module's limit (128 KB)
            raise ServiceError(400, "bad_file", "the CSV file is not readable",
                               key="bad_csv") from exc
        return rows
    raise ServiceError(400, "bad_file", "upload an .xlsx or .csv file", key="bad_file_type")


def find_header(rows: list[list[str]]) -> tuple[int, dict[str, int]]:
    """The header row (among the first ten) and each known column's index."""
    names = {alias.lower(): key for key, aliases in HEADERS.items() for alias in aliases}
    for n, row in enumerate(rows[:10]):
        found: dict[str, int] = {}
        for i, cell in enumerate(row):
            key = names.get(cell.strip().lower().replace("*", "").strip())
            if key and key not in found:
                found[key] = i
        if len(found) >= 2:
            missing = [k for k in ("carrier", "invoice_no", "action") if k not in found]
            if "order_no" not in found and "section_id" not in found:
                missing.insert(0, "order_no")
            if missing:
                raise ServiceError(400, "sheet_columns", "the sheet lacks the columns: {columns}",
                                   columns=", ".join(missing))
            return n, found
    raise ServiceError(400, "sheet_columns", "no header row with 주문번호, 택배사, 송장번호, 처리",
                       key="no_header")


def sheet_rows(rows: list[list[str]]) -> list[dict[str, Any]]:
    """The data rows under the header as the orders service checks them (it owns the rules):
    row number (the sheet's, 1 = the first line), order no., section no., carrier, invoice no.
    and 처리 as typed; empty lines left out, every cell cut at CELL_MAX characters."""
    head, cols = find_header(rows)
    found: list[dict[str, Any]] = []
    for n, raw in enumerate(rows[head + 1:], start=head + 2):
        def get(key: str, r: list[str] = raw) -> str:
            i = cols.get(key)
            return r[i].strip()[:CELL_MAX] if i is not None and i < len(r) else ""

        entry = {"order_no": get("order_no"), "section_id": get("section_id"),
                 "carrier": get("carrier"), "invoice_no": get("invoice_no"),
                 "action_text": get("action")}
        if any(entry.values()):
            found.append({"row": n, **entry})
    return found


async def process_upload(s: Services, user: User, filename: str, data: bytes) -> dict[str, Any]:
    """Read the sheet into rows; the orders service checks them, starts one bulk job per target
    status for the good ones and keeps the upload's report."""
    if not data:
        raise ServiceError(400, "bad_file", "the file is empty", key="empty_file")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ServiceError(413, "file_too_large", "the file is larger than 20 MB")
    # Parsing a sheet takes CPU time and memory: in a worker thread, never on the event loop.
    rows = await run_in_threadpool(lambda: sheet_rows(read_sheet(filename, data)))
    return dict(await s.orders.post("/invoice-uploads", {
        "filename": filename[:200] or "upload", "rows": rows,
        "actor": actor_of(user).model_dump()}))


async def report(s: Services, upload_id: str) -> dict[str, Any]:
    """The upload's per-row result: validation errors, and each job item's outcome."""
    return dict(await s.orders.get(f"/invoice-uploads/{upload_id}"))


# ---- the upload template ----

async def template(s: Services, user: User, tab_id: str | None, lang: str) -> Response:
    """주문번호, 섹션번호, 택배사, 송장번호, 처리 with drop-downs; with `tab`, prefilled with the
    tab's sections waiting to ship (상품준비 / 배송대기)."""
    t = translator(lang)
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook starts with one worksheet, active
    ws.title = "송장"
    ws.append(TEMPLATE_HEADERS)
    for i, width in enumerate((18, 20, 14, 20, 10), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
        ws.cell(1, i).font = Font(bold=True)
        ws.cell(1, i).fill = PatternFill("solid", fgColor="E8EDF7")
    ws.freeze_panes = "A2"
    if tab_id:
        menu = await order_menu(s, user)
        async for row in list_rows(s, tab_filter(find_tab(menu, tab_id))):
            for sec in row["sections"]:
                if sec["status"] in ("PREPARING", "READY_TO_SHIP"):
                    ws.append([neutral(v) for v in (row["order_no"], sec["section_id"],
                                                    sec["carrier"] or "", sec["invoice_no"] or "",
                                                    "배송중")])
    last = max(ws.max_row, 1000)
    carriers = DataValidation(type="list", formula1=f"\"{','.join(CARRIERS)}\"", allow_blank=True)
    actions = DataValidation(type="list", formula1="\"배송대기,배송중\"", allow_blank=True)
    ws.add_data_validation(carriers)
    ws.add_data_validation(actions)
    carriers.add(f"C2:C{last}")
    actions.add(f"E2:E{last}")
    for col in ("A", "B", "D"):
        for (cell,) in ws.iter_rows(min_row=2, max_row=ws.max_row, min_col=1 + "ABCDE".index(col),
                                    max_col=1 + "ABCDE".index(col)):
            cell.number_format = "@"
    guide = wb.create_sheet("안내")
    for line in t("upload_guide_lines").split("\n"):
        guide.append([line])
    guide.append([])
    guide.append([t("carrier"), ", ".join(CARRIERS)])
    guide.column_dimensions["A"].width = 90
    guide.cell(1, 1).font = Font(bold=True, size=12)
    for row in guide.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=False)
    out = io.BytesIO()
    wb.save(out)
    return Response(out.getvalue(), media_type=XLSX_TYPE,
                    headers=attachment(t("invoice_template_name"), "xlsx"))
