"""Seller order pages: the order list (tabs with live counts, columns, search, sort, keyset
pages), the order detail (split, merge, ship, 송장 변경, deposit, cancel, notes) and
seller-created orders. Tabs and columns are edited in order_tabs.py, bulk jobs in bulk_jobs.py, spreadsheets in
spreadsheets.py."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from contracts.orders.requests import CARRIERS
from contracts.orders.v1 import ShipTo
from gateway.auth import (
    Accounts,
    User,
)
from gateway.clients import ServiceError, Services
from gateway.deps import AccountsDep, GatewayDep, SellerPage, ServicesDep, seller_page
from gateway.ids import PathId
from gateway.order_menu import (
    BULK_ACTIONS,
    NUMERIC_COLUMNS,
    PAGE_SIZES,
    SEARCH_COUNT,
    SORTS,
    catalogue,
    find_tab,
    list_url,
    order_menu,
    tab_filter,
)
from gateway.orders import CartLine, SellerOrder, actor_of, parcels_of
from gateway.web import (
    back,
    flash,
    flash_error,
    flash_refusal,
    line_map,
    render,
)

OrderSeller = Annotated[User, Depends(seller_page("/admin/orders/{order_id}"))]


router = APIRouter(include_in_schema=False)


@router.get("/admin/orders")
async def orders_page(services: ServicesDep, request: Request, user: SellerPage, tab: str | None = None, q: str = "",
                      sort: str = "placed_at", dir: str = "desc", cursor: str | None = None,
                      p: int = 1, size: int = 50, status: str | None = None) -> Response:
    sort = sort if sort in SORTS else "placed_at"
    direction = "asc" if dir == "asc" else "desc"
    size = size if size in PAGE_SIZES else PAGE_SIZES[0]
    menu, cat = await order_menu(services, user), await catalogue(services)
    if tab is None and status:  # old links (?status=PREPARING): the tab of that status
        tab = next((x["tab_id"] for x in menu["tabs"]
                    if tab_filter(x) == {"statuses": [status]}), None)
    current = find_tab(menu, tab)
    flt = tab_filter(current, q)
    wanted = {tab["tab_id"]: tab_filter(tab) for tab in menu["tabs"]}
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
            raise ServiceError(404, "not_found", "member {id} not found", key="member_not_found",
                               id=v["member_id"] or "-")
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
    partner = tasks = None
    if order.get("channel") in ("NAVERPAY", "TALKCHECKOUT"):  # how it stands at the partner
        partner = await services.integrations.get(f"/partner-orders/{order_id}")
        tasks = await services.integrations.get("/partner-tasks",
                                                params={"order_id": order_id, "limit": 20})
    paypal = None
    if order["payment_method"] == "PAYPAL":  # PayPal's amount; the tracking push's state
        paypal, tasks = await paypal_of(services, order_id)
    return render(request, "admin/order.html", order=order, lines=line_map(order),
                  mergeable=mergeable, open_request=order.get("channel") == "SELLER"
                  and order["payment_status"] == "PENDING", partner=partner,
                  partner_tasks=tasks, paypal=paypal, parcels=await parcels_of(services, order))


async def paypal_of(services: Services, order_id: str) -> tuple[dict[str, Any] | None,
                                                                 list[dict[str, Any]] | None]:
    """A PayPal order's payment (PayPal's amount beside ours), whether 배송정보 연동 is set,
    and its PayPal calls; none when the buyer never reached PayPal."""
    try:
        payment = await services.integrations.get(f"/paypal/payments/{order_id}")
    except ServiceError as exc:
        if exc.status_code != 404:
            raise
        return None, None
    tracking = await services.integrations.get("/paypal/tracking-settings")
    tasks = await services.integrations.get("/partner-tasks", params={
        "order_id": order_id, "partner": "PAYPAL", "limit": 20})
    return {"payment": payment, "tracking": tracking}, tasks


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
        flash_refusal(request, "invoice_required")
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
        shipped = f"{carrier} {invoice_no.strip()}"
        flash(request, "ok", "msg_shipped", invoice=shipped)
    return back(url)


@router.post("/admin/orders/{order_id}/sections/{section_id}/invoice")
async def change_invoice(services: ServicesDep, request: Request, user: OrderSeller,
                         order_id: PathId, section_id: PathId, carrier: str = Form(""),
                         invoice_no: str = Form(""), version: int | None = Form(None)) -> Response:
    """송장 변경 of a SHIPPING section; the orders service checks the carrier and number."""
    carrier, invoice_no = carrier.strip()[:40], invoice_no.strip()[:40]
    return await seller_call(services, request, user, order_id, f"sections/{section_id}/invoice",
                             {"carrier": carrier, "invoice_no": invoice_no,
                              "expected_version": version},
                             "msg_invoice_changed", invoice=f"{carrier} {invoice_no}")


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
        flash_refusal(request, "merge_needs_two")
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
        flash_refusal(request, "not_found")
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


@router.get("/admin")
async def admin_home() -> Response:
    return back("/admin/orders")
