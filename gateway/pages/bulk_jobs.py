"""Bulk job pages: starting one from the order list's action bar, the job list and a job's
progress."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from contracts.orders.requests import CARRIERS
from gateway.clients import ServiceError
from gateway.deps import SellerPage, ServicesDep
from gateway.ids import PathId
from gateway.order_menu import BULK_ACTIONS, OrderListSeller, find_tab, order_menu, tab_filter
from gateway.orders import actor_of
from gateway.web import (
    back,
    flash,
    flash_error,
    render,
)

JOBS_PER_PAGE = 50


router = APIRouter(include_in_schema=False)


@router.post("/admin/bulk-jobs")
async def create_job(services: ServicesDep, request: Request, user: OrderListSeller) -> Response:
    form = await request.form()
    action = str(form.get("action", ""))
    return_to = str(form.get("return_to") or "/admin/orders")
    if not return_to.startswith("/admin/"):
        return_to = "/admin/orders"
    if action not in BULK_ACTIONS:
        flash(request, "error", "msg_pick_action")
        return back(return_to)
    carrier = str(form.get("carrier", ""))
    if BULK_ACTIONS[action] and carrier not in CARRIERS:
        flash(request, "error", "msg_unknown_carrier", carrier=carrier)
        return back(return_to)
    menu = await order_menu(services, user)
    tab = find_tab(menu, str(form.get("tab", "")))
    q = str(form.get("q", ""))
    body: dict[str, Any] = {"action": action, "actor": actor_of(user).model_dump()}
    source = [tab["name"]] + ([f"“{q.strip()}”"] if q.strip() else [])
    if form.get("scope") == "filter":
        body["filter"] = tab_filter(tab, q)
        source.append("all")
    else:
        targets = []
        for oid in dict.fromkeys(str(v) for v in form.getlist("order_id")):
            target: dict[str, Any] = {"order_id": oid}
            invoice = str(form.get(f"invoice_{oid}", "")).strip()
            if BULK_ACTIONS[action] and invoice:
                target.update(carrier=carrier, invoice_no=invoice)
            targets.append(target)
        if not targets:
            flash(request, "error", "msg_select_orders")
            return back(return_to)
        body["targets"] = targets
        source.append(f"selected {len(targets)}")
    body["source"] = " · ".join(source)[:200]
    try:
        job = await services.orders.post("/bulk-jobs", body)
    except ServiceError as exc:
        flash_error(request, exc)
        return back(return_to)
    return back(f"/admin/bulk-jobs/{job['job_id']}")


@router.get("/admin/bulk-jobs")
async def jobs_page(services: ServicesDep, request: Request, _: SellerPage, show: str = "all",
                    before: str = "") -> Response:
    params = {"limit": JOBS_PER_PAGE, **({"before": before} if before else {}),
              **({"status": "DONE"} if show == "finished" else {})}
    page = await services.orders.get("/bulk-jobs", params=params)
    return render(request, "admin/jobs.html", jobs=page["jobs"], show=show,
                  next_before=page["next_before"], first_page=not before)


@router.get("/admin/bulk-jobs/{job_id}")
async def job_page(services: ServicesDep, request: Request, _: SellerPage, job_id: PathId, state: str | None = None,
                   after: int = -1) -> Response:
    job = await services.orders.get(f"/bulk-jobs/{job_id}")
    items: dict[str, Any] = {"items": [], "next_after": None}
    if job["status"] == "DONE":
        if state not in ("FAILED", "DONE"):
            state = "FAILED" if job["failed"] else "DONE"
        items = await services.orders.get(f"/bulk-jobs/{job_id}/items", params={
            "state": state, "after": after, "limit": ITEMS_PER_PAGE})
    return render(request, "admin/job.html", job=job, items=items["items"],
                  next_after=items["next_after"], state=state, after=after,
                  with_rows=any(i.get("row") is not None for i in items["items"]))


ITEMS_PER_PAGE = 50
