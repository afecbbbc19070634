"""The seller's order tabs and columns editor (/admin/orders/tabs, /admin/orders/columns)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from gateway.auth import (
    User,
)
from gateway.clients import ServiceError
from gateway.deps import SellerPage, ServicesDep, seller_page
from gateway.ids import PathId
from gateway.order_menu import (
    CHANNELS,
    CLAIM_KINDS,
    PAYMENT_METHODS,
    STATUSES,
    _new_tab_id,
    catalogue,
    filter_from_form,
    order_menu,
    save_menu,
    tab_filter,
)
from gateway.web import (
    back,
    flash,
    flash_error,
    render,
)

# Form posts that bring a seller who must log in first back to the page they were posted from.
TabsSeller = Annotated[User, Depends(seller_page("/admin/orders/tabs"))]


router = APIRouter(include_in_schema=False)


@router.get("/admin/orders/tabs")
async def tabs_page(services: ServicesDep, request: Request, user: SellerPage) -> Response:
    menu = await order_menu(services, user)
    counts = await services.orders.post("/list/counts",
                                 {tab["tab_id"]: tab_filter(tab) for tab in menu["tabs"]})
    return render(request, "admin/tabs.html", tabs=menu["tabs"], counts=counts)


def tab_form(request: Request, tab: dict[str, Any] | None) -> HTMLResponse:
    return render(request, "admin/tab_form.html", tab=tab, statuses=STATUSES,
                  claim_kinds=CLAIM_KINDS, payment_methods=PAYMENT_METHODS, channels=CHANNELS)


@router.get("/admin/orders/tabs/new")
async def new_tab_page(request: Request, _: SellerPage) -> Response:
    return tab_form(request, None)


@router.get("/admin/orders/tabs/{tab_id}")
async def edit_tab_page(services: ServicesDep, request: Request, user: SellerPage, tab_id: PathId) -> Response:
    menu = await order_menu(services, user)
    tab = next((tab for tab in menu["tabs"] if tab["tab_id"] == tab_id), None)
    if tab is None:
        raise ServiceError(404, "not_found", "tab {id} not found", key="tab_not_found",
                           id=tab_id)
    return tab_form(request, tab)


@router.post("/admin/orders/tabs")
async def save_tab(services: ServicesDep, request: Request, user: SellerPage) -> Response:
    form = await request.form()
    tab_id = str(form.get("tab_id", ""))
    name = str(form.get("name", "")).strip()
    try:
        flt = filter_from_form(form)
    except ServiceError as exc:
        flash_error(request, exc)
        return tab_form(request, {"tab_id": tab_id, "name": name, "filter": {}})
    if not 1 <= len(name) <= 20:
        flash(request, "error", "msg_tab_name")
        return tab_form(request, {"tab_id": tab_id, "name": name, "filter": flt})
    menu = await order_menu(services, user)
    existing = next((tab for tab in menu["tabs"] if tab["tab_id"] == tab_id), None)
    if existing is not None:
        existing.update(name=name, filter=flt)
    else:
        tab_id = _new_tab_id(menu)
        menu["tabs"].append({"tab_id": tab_id, "name": name, "filter": flt})
    if not await save_menu(services, request, user, menu):
        return tab_form(request, {"tab_id": tab_id, "name": name, "filter": flt})
    flash(request, "ok", "msg_tab_saved", name=name)
    return back(f"/admin/orders?tab={tab_id}")


@router.post("/admin/orders/tabs/{tab_id}/rename")
async def rename_tab(services: ServicesDep, request: Request, user: TabsSeller, tab_id: PathId,
                     name: str = Form("")) -> Response:
    name = name.strip()
    if not 1 <= len(name) <= 20:
        flash(request, "error", "msg_tab_name")
        return back("/admin/orders/tabs")
    menu = await order_menu(services, user)
    for tab in menu["tabs"]:
        if tab["tab_id"] == tab_id:
            tab["name"] = name
    if await save_menu(services, request, user, menu):
        flash(request, "ok", "msg_tab_saved", name=name)
    return back("/admin/orders/tabs")


@router.post("/admin/orders/tabs/{tab_id}/move")
async def move_tab(services: ServicesDep, request: Request, user: TabsSeller, tab_id: PathId,
                   to: str = Form("up")) -> Response:
    menu = await order_menu(services, user)
    tabs = menu["tabs"]
    i = next((n for n, tab in enumerate(tabs) if tab["tab_id"] == tab_id), None)
    j = None if i is None else i - 1 if to == "up" else i + 1
    if i is not None and j is not None and 0 <= j < len(tabs):
        tabs[i], tabs[j] = tabs[j], tabs[i]
        await save_menu(services, request, user, menu)
    return back("/admin/orders/tabs")


@router.post("/admin/orders/tabs/{tab_id}/delete")
async def delete_tab(services: ServicesDep, request: Request, user: TabsSeller, tab_id: PathId) -> Response:
    menu = await order_menu(services, user)
    gone = [tab for tab in menu["tabs"] if tab["tab_id"] == tab_id]
    if gone and len(menu["tabs"]) == 1:
        flash(request, "error", "msg_last_tab")
        return back("/admin/orders/tabs")
    menu["tabs"] = [tab for tab in menu["tabs"] if tab["tab_id"] != tab_id]
    if gone and await save_menu(services, request, user, menu):
        flash(request, "ok", "msg_tab_deleted", name=gone[0]["name"])
    return back("/admin/orders/tabs")


@router.post("/admin/orders/tabs-reset")
async def reset_tabs(services: ServicesDep, request: Request, user: TabsSeller) -> Response:
    menu, cat = await order_menu(services, user), await catalogue(services)
    menu["tabs"] = cat["default_tabs"]
    if await save_menu(services, request, user, menu):
        flash(request, "ok", "msg_tabs_reset")
    return back("/admin/orders/tabs")


@router.get("/admin/orders/columns")
async def columns_page(services: ServicesDep, request: Request, user: SellerPage) -> Response:
    menu, cat = await order_menu(services, user), await catalogue(services)
    chosen = menu["columns"]
    rest = [k for k in cat["columns"] if k not in chosen]
    return render(request, "admin/columns.html", chosen=chosen, rest=rest,
                  labels=cat["columns"], defaults=cat["default_columns"])


@router.post("/admin/orders/columns")
async def save_columns(services: ServicesDep, request: Request, user: SellerPage) -> Response:
    form = await request.form()
    menu, cat = await order_menu(services, user), await catalogue(services)
    if form.get("reset"):
        columns = list(cat["default_columns"])
    else:
        columns = list(dict.fromkeys(str(c) for c in form.getlist("columns")
                                     if c in cat["columns"]))
    if not columns:
        flash(request, "error", "msg_pick_column")
        return back("/admin/orders/columns")
    menu["columns"] = columns
    if not await save_menu(services, request, user, menu):
        return back("/admin/orders/columns")
    flash(request, "ok", "msg_columns_saved")
    return_to = str(form.get("return_to") or "")
    return back(return_to if return_to.startswith("/admin/") else "/admin/orders")
