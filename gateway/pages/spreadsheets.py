"""Spreadsheet pages: order list export, the invoice template, invoice uploads and their reports."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, UploadFile
from fastapi.responses import Response

from gateway.auth import User
from gateway.clients import ServiceError
from gateway.deps import SellerPage, ServicesDep, seller_page
from gateway.ids import PathId
from gateway.spreadsheets import (
    MAX_UPLOAD_BYTES,
    REPORT_PAGE,
    export,
    process_upload,
    report,
    template,
)
from gateway.web import back, flash_error, render

# The upload template, asked for without a log-in, sends the seller to the upload page after it.
UploadsSeller = Annotated[User, Depends(seller_page("/admin/invoice-uploads"))]


router = APIRouter(include_in_schema=False)


@router.get("/admin/orders/export.{fmt}")
async def export_page(services: ServicesDep, request: Request, user: SellerPage, fmt: PathId, tab: str | None = None,
                      q: str = "", sort: str = "placed_at", dir: str = "desc") -> Response:
    return await export(services, user, fmt, tab, q, sort, dir, request.cookies.get("lang", "ko"))


@router.get("/admin/invoice-uploads/template.xlsx")
async def template_page(services: ServicesDep, request: Request, user: UploadsSeller,
                        tab: str | None = None) -> Response:
    return await template(services, user, tab, request.cookies.get("lang", "ko"))


@router.get("/admin/invoice-uploads")
async def uploads_page(services: ServicesDep, request: Request, _: SellerPage,
                       tab: str | None = None) -> Response:
    recent = (await services.orders.get("/invoice-uploads", params={"limit": 20}))["uploads"]
    return render(request, "admin/uploads.html", recent=recent, tab=tab)


@router.post("/admin/invoice-uploads")
async def upload(services: ServicesDep, request: Request, user: SellerPage, file: UploadFile) -> Response:
    data = await file.read(MAX_UPLOAD_BYTES + 1)
    try:
        done = await process_upload(services, user, file.filename or "upload", data)
    except ServiceError as exc:
        if exc.status_code >= 500:
            raise
        flash_error(request, exc)
        return back("/admin/invoice-uploads")
    return back(f"/admin/invoice-uploads/{done['upload_id']}")


@router.get("/admin/invoice-uploads/{upload_id}")
async def report_page(services: ServicesDep, request: Request, _: SellerPage, upload_id: PathId, show: str = "all",
                      page: int = 1) -> Response:
    rep = await report(services, upload_id)
    rows = rep["rows"]
    if show == "failed":
        rows = [x for x in rows if x["state"] != "DONE"]
    pages = max(1, -(-len(rows) // REPORT_PAGE))
    page = min(max(page, 1), pages)
    return render(request, "admin/upload_report.html", rep=rep, show=show, page=page,
                  pages=pages, rows=rows[(page - 1) * REPORT_PAGE: page * REPORT_PAGE],
                  total_shown=len(rows))
