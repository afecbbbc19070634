"""The sellers' spreadsheet API: an order list as XLSX, invoice uploads and their per-row
reports."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request, UploadFile
from fastapi.responses import Response

from contracts.orders.responses import InvoiceUploadCreated, InvoiceUploadReport
from gateway import spreadsheets
from gateway.deps import SellerDep, ServicesDep
from gateway.ids import PathId

router = APIRouter(prefix="/api")


@router.get("/admin/orders/list/export", tags=["admin spreadsheets"])
async def export_list(services: ServicesDep, request: Request, user: SellerDep,
                      format: Literal["xlsx", "csv"] = "xlsx", tab: str | None = None,
                      q: str = "", sort: str = "placed_at", dir: str = "desc") -> Response:
    """The tab (its filter, plus `q`) as XLSX or CSV (UTF-8 with BOM), with the user's
    columns; every matching row."""
    return await spreadsheets.export(services, user, format, tab, q, sort, dir,
                                     request.cookies.get("lang", "ko"))


@router.post("/admin/invoice-uploads", status_code=201, tags=["admin spreadsheets"],
             response_model=InvoiceUploadCreated)
async def upload_invoices(services: ServicesDep, file: UploadFile, user: SellerDep) -> Any:
    """Columns 주문번호 or 섹션번호, 택배사, 송장번호, 처리 (배송대기 | 배송중): invalid rows
    are reported and change nothing; valid rows become one bulk job per target status."""
    data = await file.read(spreadsheets.MAX_UPLOAD_BYTES + 1)
    return await spreadsheets.process_upload(services, user, file.filename or "upload",
                                             data)


@router.get("/admin/invoice-uploads/{upload_id}", tags=["admin spreadsheets"],
            response_model=InvoiceUploadReport)
async def upload_report(services: ServicesDep, upload_id: PathId, _: SellerDep) -> Any:
    return await spreadsheets.report(services, upload_id)
