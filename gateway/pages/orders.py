"""Seller admin pages: the order menu (tabs with live counts, columns, search, sort, keyset
pages), bulk actions and their jobs, the order detail (split, merge, ship) and seller-created
orders. Spreadsheet export/upload is in spreadsheets.py."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from contracts.orders.v1 import ShipTo
from gateway.auth import Accounts, User
from gateway.clients import ServiceError, Services
from gateway.deps import AccountsDep, GatewayDep, SellerPage, ServicesDep, seller_page
from gateway.ids import PathId
from gateway.orders import CartLine, SellerOrder, actor_of
from gateway.web import CARRIERS, back, flash, flash_error, line_map, render

STATUSES = ["PAYMENT_PENDING", "PREPARING", "READY_TO_SHIP", "SHIPPING", "DELIVERED",
            "CONFIRMED", "CANCELLED", "RETURNED", "EXCHANGED"]
CLAIM_KINDS = ["CANCEL", "RETURN", "EXCHANGE"]
PAYMENT_METHODS = ["CARD", "BANK_TRANSFER", "UNSELECTED"]
CHANNELS = ["STOREFRONT", "SELLER", "NAVERPAY", "TALKCHECKOUT"]
SORTS = ["placed_at", "amount", "order_no"]
PAGE_SIZES = [50, 100, 200]
# Bulk actions in the order the action bar shows them; the second value: needs invoices.
BULK_ACTIONS = {"CONFIRM_DEPOSIT": False, "READY_TO_SHIP": False, "SHIP": True, "DELIVER": False,
                "CANCEL": False, "MERGE_AND_SHIP": True}
NUMERIC_COLUMNS = {"quantity", "amount"}
ITEMS_PER_PAGE = 50
JOBS_PER_PAGE = 50
SEARCH_COUNT = "search:current"  # never a tab id (tab ids have no colon)
# Form posts that bring a seller who must log in first back to the page they were posted from.
TabsSeller = Annotated[User, Depends(seller_page("/admin/orders/tabs"))]
OrderSeller = Annotated[User, Depends(seller_page("/admin/orders/{order_id}"))]
OrderListSeller = Annotated[User, Depends(seller_page("/admin/orders"))]

_catalogue: dict[str, Any] = {}


async def catalogue(s: Services) -> dict[str, Any]:
    """Column catalogue and default tabs of the orders service (static: fetched once)."""
    if not _catalogue:
        _catalogue.update(await s.orders.get("/views-catalogue"))
    return _catalogue


async def order_menu(s: Services, user: User) -> dict[str, Any]:
    menu: dict[str, Any] = await s.orders.get(f"/views/{user.user_id}")
    return menu


def find_tab(menu: dict[str, Any], tab_id: str | None) -> dict[str, Any]:
    tabs: list[dict[str, Any]] = menu["tabs"]
    for tab in tabs:
        if tab["tab_id"] == tab_id:
            return tab
    return tabs[0]


def tab_filter(tab: dict[str, Any], q: str = "") -> dict[str, Any]:
    """The tab's saved filter; a search typed in the box replaces the tab's own search text."""
    flt = {k: v for k, v in tab["filter"].items() if v not in (None, "", [])}
    if q.strip():
        flt["q"] = q.strip()
    return flt


def list_url(tab_id: str, q: str = "", sort: str = "placed_at", direction: str = "desc",
             size: int = 50, **extra: Any) -> str:
    params: dict[str, Any] = {"tab": tab_id}
    if q:
        params["q"] = q
    if sort != "placed_at" or direction != "desc":
        params.update(sort=sort, dir=direction)
    if size != PAGE_SIZES[0]:
        params["size"] = size
    params.update({k: v for k, v in extra.items() if v not in (None, "")})
    return "/admin/orders?" + urlencode(params)


def filter_from_form(form: Any) -> dict[str, Any]:
    def pick(name: str, allowed: list[str]) -> list[str]:
        return [v for v in form.getlist(name) if v in allowed]

    flt: dict[str, Any] = {
        "statuses": pick("statuses", STATUSES), "claim_kinds": pick("claim_kinds", CLAIM_KINDS),
        "payment_methods": pick("payment_methods", PAYMENT_METHODS),
        "channels": pick("channels", CHANNELS), "q": str(form.get("q", "")).strip()[:100],
        "date_from": None, "date_to": None}
    for key in ("date_from", "date_to"):
        raw = str(form.get(key, "")).strip()
        if raw:
            try:
                flt[key] = date.fromisoformat(raw).isoformat()
            except ValueError as exc:
                raise ServiceError(400, "bad_date", f"{key}: not a date ({raw})") from exc
    return flt


router = APIRouter(include_in_schema=False)

async def save_menu(services: Services, request: Request, user: User, menu: dict[str, Any]) -> bool:
    try:
        await services.orders.put(f"/views/{user.user_id}",
                           {"tabs": menu["tabs"], "columns": menu["columns"]})
    except ServiceError as exc:
        flash_error(request, exc)
        return False
    return True


@router.get("/admin/orders")
async def orders_page(services: ServicesDep, request: Request, user: SellerPage, tab: str | None = None, q: str = "",
                      sort: str = "placed_at", dir: str = "desc", cursor: str | None = None,
                      p: int = 1, size: int = 50, status: str | None = None) -> Response:
    sort = sort if sort in SORTS else "placed_at"
    direction = "asc" if dir == "asc" else "desc"
    size = size if size in PAGE_SIZES else PAGE_SIZES[0]
    menu, cat = await order_menu(services, user), await catalogue(services)
    if tab is None and status:  # old links (?status=PREPARING): the tab of that status
        tab = next((t["tab_id"] for t in menu["tabs"]
                    if tab_filter(t) == {"statuses": [status]}), None)
    current = find_tab(menu, tab)
    flt = tab_filter(current, q)
    wanted = {t["tab_id"]: tab_filter(t) for t in menu["tabs"]}
    if q.strip():
        wanted[SEARCH_COUNT] = flt
    counts = await services.orders.post("/list/counts", wanted)
    try:
        data = await services.orders.post("/list", {"filter": flt, "page": {
            "sort": sort, "direction": direction, "cursor": cursor, "limit": size}})
    except ServiceError as exc:
        if cursor is None:
            raise
        flash_error(request, exc)  # a stale cursor: start again from the first page
        return back(list_url(current["tab_id"], q, sort, direction, size))
    matching = counts.get(SEARCH_COUNT, counts[current["tab_id"]])
    first = (max(p, 1) - 1) * size + 1
    return render(
        request, "admin/orders.html", menu=menu, tabs=menu["tabs"], counts=counts,
        current=current, columns=menu["columns"], labels=cat["columns"], rows=data["rows"],
        next_cursor=data["next_cursor"], q=q, sort=sort, direction=direction, size=size,
        sizes=PAGE_SIZES, page_no=max(p, 1), first=first, matching=matching,
        numeric=NUMERIC_COLUMNS, actions=BULK_ACTIONS, list_url=list_url)


@router.get("/admin/orders/tabs")
async def tabs_page(services: ServicesDep, request: Request, user: SellerPage) -> Response:
    menu = await order_menu(services, user)
    counts = await services.orders.post("/list/counts",
                                 {t["tab_id"]: tab_filter(t) for t in menu["tabs"]})
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
    tab = next((t for t in menu["tabs"] if t["tab_id"] == tab_id), None)
    if tab is None:
        raise ServiceError(404, "not_found", f"tab {tab_id} not found")
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
    existing = next((t for t in menu["tabs"] if t["tab_id"] == tab_id), None)
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
    i = next((n for n, t in enumerate(tabs) if t["tab_id"] == tab_id), None)
    j = None if i is None else i - 1 if to == "up" else i + 1
    if i is not None and j is not None and 0 <= j < len(tabs):
        tabs[i], tabs[j] = tabs[j], tabs[i]
        await save_menu(services, request, user, menu)
    return back("/admin/orders/tabs")


@router.post("/admin/orders/tabs/{tab_id}/delete")
async def delete_tab(services: ServicesDep, request: Request, user: TabsSeller, tab_id: PathId) -> Response:
    menu = await order_menu(services, user)
    gone = [t for t in menu["tabs"] if t["tab_id"] == tab_id]
    if gone and len(menu["tabs"]) == 1:
        flash(request, "error", "msg_last_tab")
        return back("/admin/orders/tabs")
    menu["tabs"] = [t for t in menu["tabs"] if t["tab_id"] != tab_id]
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


async def new_order_form(accounts: Accounts, services: Services, request: Request, values: dict[str, Any],
                         status_code: int = 200) -> HTMLResponse:
    products = (await services.inventory.get("/products"))["products"]
    members = [m.model_dump() for m in await accounts.buyers()]
    return render(request, "admin/new_order.html", status_code=status_code,
                  products=products, members=members, v=values)


@router.get("/admin/orders/new")
async def new_order_page(accounts: AccountsDep, services: ServicesDep, request: Request, _: SellerPage, member: str = "") -> Response:
    return await new_order_form(accounts, services, request, {"member_id": member, "lines": [("", 1)],
                                          "shipping_fee": 0, "discount": 0})


@router.post("/admin/orders/new")
async def create_order(gw: GatewayDep, accounts: AccountsDep, services: ServicesDep, request: Request, user: SellerPage) -> Response:
    form = await request.form()
    v: dict[str, Any] = {k: str(form.get(k, "")).strip() for k in (
        "member_id", "ship_name", "ship_phone", "zipcode", "address1", "address2", "memo",
        "shipping_fee", "discount")}
    pairs = list(zip(form.getlist("sku"), form.getlist("qty"), strict=False))
    v["lines"] = [(str(sku), str(qty)) for sku, qty in pairs] or [("", 1)]
    try:
        qty_by_sku: dict[str, int] = {}
        for sku, qty in pairs:
            if str(sku):
                n = int(str(qty) or 0)
                qty_by_sku[str(sku)] = qty_by_sku.get(str(sku), 0) + n
        if not qty_by_sku:
            raise ServiceError(400, "no_lines", "an order needs at least one line")
        buyer = await accounts.get(v["member_id"])
        if buyer is None or buyer.role != "buyer":
            raise ServiceError(404, "not_found", f"member {v['member_id'] or '-'} not found")
        req = SellerOrder(
            member_id=buyer.user_id,
            lines=[CartLine(sku_id=k, quantity=n) for k, n in qty_by_sku.items()],
            ship_to=ShipTo(name=v["ship_name"], phone=v["ship_phone"], zipcode=v["zipcode"],
                           address1=v["address1"], address2=v["address2"]),
            shipping_fee=int(v["shipping_fee"] or 0), discount=int(v["discount"] or 0),
            memo=v["memo"])
        order = await gw.create_for_buyer(req, buyer, user)
    except (ServiceError, ValidationError, ValueError) as exc:
        if isinstance(exc, ServiceError) and exc.status_code >= 500:
            raise
        flash_error(request, exc)
        return await new_order_form(accounts, services, request, v, 400)
    flash(request, "ok", "msg_order_created", name=buyer.name)
    return back(f"/admin/orders/{order['order_id']}")


@router.get("/admin/orders/{order_id}")
async def order_page(services: ServicesDep, request: Request, _: SellerPage, order_id: PathId) -> Response:
    order = await services.orders.get(f"/orders/{order_id}")
    groups: dict[str, list[str]] = {}
    for sec in order["sections"]:
        if sec["status"] in ("PREPARING", "READY_TO_SHIP"):
            groups.setdefault(sec["status"], []).append(sec["section_id"])
    mergeable = {sid for ids in groups.values() if len(ids) > 1 for sid in ids}
    return render(request, "admin/order.html", order=order, lines=line_map(order),
                  mergeable=mergeable, open_request=order.get("channel") == "SELLER"
                  and order["payment_status"] == "PENDING")


async def seller_call(services: Services, request: Request, user: User, order_id: str, path: str,
                      body: dict[str, Any], ok: str = "", **params: Any) -> Response:
    try:
        await services.orders.post(f"/orders/{order_id}/{path}",
                            {**body, "actor": actor_of(user).model_dump()})
    except ServiceError as exc:
        if exc.status_code == 404 and path.count("/") == 0:
            raise
        flash_error(request, exc)
    else:
        if ok:
            flash(request, "ok", ok, **params)
    return back(f"/admin/orders/{order_id}")


@router.post("/admin/orders/{order_id}/sections/{section_id}/status")
async def move(services: ServicesDep, request: Request, user: OrderSeller, order_id: PathId, section_id: PathId,
               to_status: str = Form(), carrier: str = Form(""),
               invoice_no: str = Form(""), version: int | None = Form(None)) -> Response:
    return await seller_call(services, request, user, order_id, f"sections/{section_id}/status", {
        "to_status": to_status, "carrier": carrier, "invoice_no": invoice_no,
        "expected_version": version})


@router.post("/admin/orders/{order_id}/sections/{section_id}/ship")
async def ship(services: ServicesDep, request: Request, user: OrderSeller, order_id: PathId, section_id: PathId,
               carrier: str = Form(""), invoice_no: str = Form(""),
               version: int | None = Form(None)) -> Response:
    """배송중 처리 straight from 상품준비: register the invoice (배송대기) and ship, both
    checked against the version the seller saw."""
    url = f"/admin/orders/{order_id}"
    if carrier not in CARRIERS or not invoice_no.strip():
        flash(request, "error", "invoice_required",
              "shipping needs a carrier and an invoice number")
        return back(url)
    order = await services.orders.get(f"/orders/{order_id}")
    section = next((x for x in order["sections"] if x["section_id"] == section_id), None)
    actor = actor_of(user).model_dump()
    path = f"/orders/{order_id}/sections/{section_id}/status"
    body = {"carrier": carrier, "invoice_no": invoice_no.strip(), "actor": actor}
    try:
        if section is not None and section["status"] == "PREPARING":
            await services.orders.post(path, {**body, "to_status": "READY_TO_SHIP",
                                       "expected_version": version})
            version = None if version is None else version + 1
        await services.orders.post(path, {**body, "to_status": "SHIPPING",
                                   "expected_version": version})
    except ServiceError as exc:
        if exc.status_code == 404 and section is None:
            raise
        flash_error(request, exc)
    else:
        flash(request, "ok", "msg_shipped", invoice=f"{carrier} {invoice_no.strip()}")
    return back(url)


@router.post("/admin/orders/{order_id}/sections/{section_id}/split")
async def split(services: ServicesDep, request: Request, user: OrderSeller, order_id: PathId,
                section_id: PathId) -> Response:
    form = await request.form()
    items = []
    for key, value in form.multi_items():
        m = re.fullmatch(r"qty_(.+)", key)
        if m and str(value).strip() not in ("", "0"):
            try:
                qty = int(str(value))
            except ValueError:
                qty = -1
            if qty < 1:
                flash(request, "error", "msg_split_quantity")
                return back(f"/admin/orders/{order_id}")
            items.append({"line_id": m.group(1), "quantity": qty})
    if not items:
        flash(request, "error", "msg_split_quantity")
        return back(f"/admin/orders/{order_id}")
    return await seller_call(services, request, user, order_id, f"sections/{section_id}/split",
                             {"items": items}, "msg_split_done")


@router.post("/admin/orders/{order_id}/merge")
async def merge(services: ServicesDep, request: Request, user: OrderSeller, order_id: PathId) -> Response:
    form = await request.form()
    ids = list(dict.fromkeys(str(v) for v in form.getlist("section_ids")))
    if len(ids) < 2:
        flash(request, "error", "merge_needs_two", "choose at least two different sections")
        return back(f"/admin/orders/{order_id}")
    return await seller_call(services, request, user, order_id, "merge", {"section_ids": ids},
                             "msg_merge_done", n=len(ids))


@router.post("/admin/orders/{order_id}/deposit-confirmed")
async def deposit(services: ServicesDep, request: Request, user: OrderSeller, order_id: PathId) -> Response:
    return await seller_call(services, request, user, order_id, "deposit-confirmed", {},
                             "msg_deposit_done")


@router.post("/admin/orders/{order_id}/refused-payments/{payment_id}/refunded-by-hand")
async def refused_payment_refunded(services: ServicesDep, request: Request, user: OrderSeller, order_id: str,
                                   payment_id: str, bank: str = Form(""),
                                   account: str = Form(""), holder: str = Form(""),
                                   note: str = Form("")) -> Response:
    if not re.fullmatch(r"RP\d{1,6}", payment_id):
        flash(request, "error", "not_found")
        return back(f"/admin/orders/{order_id}")
    return await seller_call(services, 
        request, user, order_id, f"refused-payments/{payment_id}/refunded-by-hand",
        {"bank": bank[:40], "account": account[:40], "holder": holder[:50],
         "note": note[:200]}, "msg_refund_recorded")


@router.post("/admin/orders/{order_id}/cancel")
async def cancel(services: ServicesDep, request: Request, user: OrderSeller, order_id: PathId) -> Response:
    return await seller_call(services, request, user, order_id, "cancel", {"reason": "판매자 취소"})


@router.post("/admin/orders/{order_id}/notes")
async def note(services: ServicesDep, request: Request, user: OrderSeller, order_id: PathId,
               text: str = Form()) -> Response:
    return await seller_call(services, request, user, order_id, "notes", {"text": text})


def _new_tab_id(menu: dict[str, Any]) -> str:
    taken = {t["tab_id"] for t in menu["tabs"]}
    n = 1
    while f"tab{n}" in taken:
        n += 1
    return f"tab{n}"
