"""Claim pages: the buyer's cancel / return / exchange request and progress (my page), the
seller's claim list, claim detail with its decisions, claims opened for a buyer, and settings."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from contracts.claims.v1 import EXCHANGE_HOLD_CODES, RETURN_HOLD_CODES
from gateway.api.claims import ClaimRequest, claim_body
from gateway.auth import User, guest_orders, session_user
from gateway.clients import ServiceError, Services
from gateway.deps import GatewayDep, SellerPage, ServicesDep, seller_page
from gateway.i18n import translator
from gateway.ids import PathId
from gateway.orders import OrderGateway, actor_of
from gateway.web import back, flash, flash_error, render

KINDS = ["CANCEL", "RETURN", "EXCHANGE"]
REASONS = {"CANCEL": ["CHANGE_OF_MIND", "DELAYED", "OTHER"],
           "RETURN": ["CHANGE_OF_MIND", "DEFECT", "WRONG_ITEM", "DELAYED", "OTHER"],
           "EXCHANGE": ["CHANGE_OF_MIND", "DEFECT", "WRONG_ITEM", "OTHER"]}
# The seller's list tabs: a claim state each (ON_HOLD: the hold flag).
TABS = ["REQUESTED", "APPROVED", "COLLECTED", "RESHIPPED", "REFUNDING", "REFUND_FAILED",
        "ON_HOLD", "COMPLETED", "REJECTED"]
# Steps a claim of each kind shows as its progress bar.
STEPS = {"CANCEL": ["REQUESTED", "APPROVED", "REFUNDING", "COMPLETED"],
         "RETURN": ["REQUESTED", "APPROVED", "COLLECTED", "REFUNDING", "COMPLETED"],
         "EXCHANGE": ["REQUESTED", "APPROVED", "COLLECTED", "RESHIPPED", "COMPLETED"]}
SHIPPED = ("SHIPPING", "DELIVERED")

# Form posts that bring a seller who must log in first back to the page they were posted from.
ClaimsSeller = Annotated[User, Depends(seller_page("/admin/claims"))]
ClaimSeller = Annotated[User, Depends(seller_page("/admin/claims/{claim_id}"))]


def progress(claim: dict[str, Any]) -> list[tuple[str, str]]:
    """The claim's steps with "done" / "now" classes; a rejection or a failed refund shows at
    the step where it happened."""
    steps = list(STEPS[claim["kind"]])
    state = claim["state"]
    if state == "REJECTED":
        before = next((h["before"] for h in reversed(claim["history"])
                       if h["after"] == "REJECTED"), "REQUESTED")
        at = steps.index(before) + 1 if before in steps else 1
        steps = [*steps[:at], "REJECTED"]
    elif state in ("REFUNDING", "REFUND_FAILED"):
        at = steps.index("REFUNDING") if "REFUNDING" in steps else len(steps) - 1
        steps[at] = state
    if state == "COMPLETED":
        return [(st, "done") for st in steps]
    now = steps.index(state) if state in steps else 0
    return [(st, "done" if i < now else "now" if i == now else "") for i, st in enumerate(steps)]


def why_not(section: dict[str, Any], kind: str) -> str:
    """The message id of why the units of a section cannot be claimed with `kind`: the claims
    service's reason code (claimability `refused`); units left none by other claims are
    `in_claim`."""
    return f"cl_why_{section.get('refused', {}).get(kind) or 'in_claim'}"


async def request_view(s: Services, order: dict[str, Any], kind: str) -> dict[str, Any]:
    """Rows of the request form: every unit of the order, claimable with `kind` or why not."""
    ability = await s.claims.get(f"/orders/{order['order_id']}/claimability")
    lines = {x["line_id"]: x for x in order["lines"]}
    products: dict[str, Any] = {}
    rows, kinds_open = [], set()
    for sec in ability["sections"]:
        for item in sec["items"]:
            line = lines[item["line_id"]]
            for k in sec["allowed"]:
                if item["claimable"] > 0:
                    kinds_open.add(k)
            ok = kind in sec["allowed"] and item["claimable"] > 0
            options: list[dict[str, Any]] = []
            if ok and kind == "EXCHANGE":
                pid = line["product_id"]
                if pid not in products:
                    try:
                        products[pid] = await s.inventory.get(f"/products/{pid}")
                    except ServiceError:
                        products[pid] = {"skus": []}
                options = [{"sku_id": x["_id"], "label": x.get("label", ""),
                            "diff": x["price"] - line["unit_price"],
                            "sold_out": x.get("sold_out") or x.get("available", 0) <= 0}
                           for x in products[pid].get("skus", []) if x["_id"] != line["sku_id"]]
            rows.append({"section_id": sec["section_id"], "status": sec["status"], "line": line,
                         "quantity": item["quantity"], "claimable": item["claimable"], "ok": ok,
                         "why": "" if ok else why_not(sec, kind),
                         "options": options})
    whole = kind == "CANCEL" and any(r["ok"] for r in rows) and all(
        r["status"] == "PAYMENT_PENDING" for r in rows if r["ok"])
    return {"rows": rows, "kinds_open": kinds_open, "whole_order": whole}


def parse_request(form: dict[str, str], kind: str) -> ClaimRequest:
    items = []
    for key, value in form.items():
        if key.startswith("qty__") and value.strip() not in ("", "0"):
            _, section_id, line_id = key.split("__", 2)
            items.append({"section_id": section_id, "line_id": line_id, "quantity": int(value),
                          "new_sku_id": form.get(f"new_sku__{section_id}__{line_id}", "")})
    if not items:
        raise ServiceError(400, "no_items", "choose at least one item and a quantity")
    return ClaimRequest(kind=kind, items=items,  # type: ignore[arg-type]
                        reason_code=form.get("reason_code") or "OTHER",  # type: ignore[arg-type]
                        reason=form.get("reason", ""), deduct_fee=form.get("deduct_fee", "1") == "1")


router = APIRouter(include_in_schema=False)


async def claims_of(services: Services, order_id: str) -> list[dict[str, Any]]:
    return list(reversed((await services.claims.get(f"/orders/{order_id}/claims"))["claims"]))


def page(request: Request, order: dict[str, Any], kind: str, view: dict[str, Any],
         admin: bool) -> HTMLResponse:
    base = f"/admin/orders/{order['order_id']}" if admin else f"/my/orders/{order['order_id']}"
    api = (f"/api/admin/orders/{order['order_id']}/claims/estimate" if admin
           else f"/api/me/orders/{order['order_id']}/claims/estimate")
    return render(request, "claims/request.html", order=order, kind=kind, kinds=KINDS,
                  reasons=REASONS[kind], admin=admin, base=base, estimate_url=api, **view)


async def buyer_order(gw: OrderGateway, request: Request, order_id: str) -> dict[str, Any]:
    return await gw.for_buyer(order_id, session_user(request), guest_orders(request))


@router.get("/my/orders/{order_id}/claims")
async def my_claims(services: ServicesDep, gw: GatewayDep, request: Request, order_id: PathId) -> HTMLResponse:
    order = await buyer_order(gw, request, order_id)
    ability = await services.claims.get(f"/orders/{order_id}/claimability")
    open_kinds = {k for sec in ability["sections"] for k in sec["allowed"]
                  if any(i["claimable"] for i in sec["items"])}
    return render(request, "claims/my_claims.html", order=order,
                  claims=await claims_of(services, order_id), steps=STEPS, open_kinds=open_kinds,
                  kinds=KINDS, progress=progress)


@router.get("/my/orders/{order_id}/claims/new")
async def my_new(services: ServicesDep, gw: GatewayDep, request: Request, order_id: PathId, kind: str = "RETURN") -> HTMLResponse:
    order = await buyer_order(gw, request, order_id)
    kind = kind if kind in KINDS else "RETURN"
    return page(request, order, kind, await request_view(services, order, kind), admin=False)


@router.post("/my/orders/{order_id}/claims")
async def my_submit(services: ServicesDep, gw: GatewayDep, request: Request, order_id: PathId) -> Response:
    user = session_user(request)
    order = await buyer_order(gw, request, order_id)
    form = {k: str(v) for k, v in (await request.form()).items()}
    kind = form.get("kind", "RETURN")
    try:
        body = await claim_body(services, order, parse_request(form, kind), user)
        await services.claims.post(f"/orders/{order_id}/claims", body)
    except (ServiceError, ValidationError, ValueError) as exc:
        if isinstance(exc, ServiceError) and exc.status_code == 404:
            raise
        flash_error(request, exc)
        return back(f"/my/orders/{order_id}/claims/new?kind={quote(kind)}")
    flash(request, "ok", "cl_msg_requested", what=claim_kind_label(request, kind))
    return back(f"/my/orders/{order_id}/claims")


@router.get("/admin/claims")
async def admin_list(services: ServicesDep, request: Request, _: SellerPage, state: str = "REQUESTED") -> Response:
    state = state if state in (*TABS, "ALL") else "REQUESTED"
    params: dict[str, Any] = {"limit": 200}
    if state == "ON_HOLD":
        params["on_hold"] = "true"
    elif state != "ALL":
        params["state"] = state
    data = await services.claims.get("/claims", params=params)
    counts = await services.claims.get("/claims/counts")
    return render(request, "claims/admin_list.html", claims=data["claims"], counts=counts,
                  tabs=TABS, state=state)


@router.get("/admin/claims/settings")
async def settings_page(services: ServicesDep, request: Request, _: SellerPage) -> Response:
    return render(request, "claims/settings.html", values=await services.claims.get("/settings"))


@router.post("/admin/claims/settings")
async def save_settings(services: ServicesDep, request: Request, _: SellerPage) -> Response:
    form = await request.form()
    try:
        await services.claims.put("/settings", {
            "cancel_preparing_requires_approval": form.get("cancel_approval") == "1",
            "return_fee_one_way": int(str(form.get("fee_one_way") or 0)),
            "return_fee_round_trip": int(str(form.get("fee_round_trip") or 0))})
        flash(request, "ok", "cl_msg_settings")
    except (ServiceError, ValueError) as exc:
        flash_error(request, exc)
    return back("/admin/claims/settings")


@router.post("/admin/claims/open")
async def open_by_number(services: ServicesDep, request: Request, _: ClaimsSeller,
                         order_no: str = Form("")) -> Response:
    try:
        found = await services.orders.get("/orders/lookup", params={"order_no": order_no.strip()})
    except ServiceError as exc:
        flash_error(request, exc)
        return back("/admin/claims")
    return back(f"/admin/orders/{found['order_id']}/claims/new")


@router.get("/admin/orders/{order_id}/claims/new")
async def admin_new(services: ServicesDep, request: Request, _: SellerPage, order_id: PathId,
                    kind: str = "") -> Response:
    order = await services.orders.get(f"/orders/{order_id}")
    if kind not in KINDS:
        view = await request_view(services, order, "CANCEL")
        kind = next((k for k in KINDS if k in view["kinds_open"]), "CANCEL")
    return page(request, order, kind, await request_view(services, order, kind), admin=True)


@router.post("/admin/orders/{order_id}/claims")
async def admin_submit(services: ServicesDep, request: Request, user: SellerPage, order_id: PathId) -> Response:
    order = await services.orders.get(f"/orders/{order_id}")
    form = {k: str(v) for k, v in (await request.form()).items()}
    kind = form.get("kind", "CANCEL")
    try:
        body = await claim_body(services, order, parse_request(form, kind), user)
        claim = await services.claims.post(f"/orders/{order_id}/claims", body)
    except (ServiceError, ValidationError, ValueError) as exc:
        flash_error(request, exc)
        return back(f"/admin/orders/{order_id}/claims/new?kind={quote(kind)}")
    flash(request, "ok", "cl_msg_requested", what=claim_kind_label(request, kind))
    return back(f"/admin/claims/{claim['claim_id']}")


@router.get("/admin/claims/{claim_id}")
async def admin_claim(services: ServicesDep, request: Request, _: SellerPage, claim_id: PathId) -> Response:
    claim = await services.claims.get(f"/claims/{claim_id}")
    order = await services.orders.get(f"/orders/{claim['order_id']}")
    return render(request, "claims/admin_claim.html", claim=claim, order=order,
                  steps=STEPS[claim["kind"]], hold_codes=(
                      RETURN_HOLD_CODES if claim["kind"] == "RETURN" else EXCHANGE_HOLD_CODES), others=[c for c in await claims_of(services, 
                      claim["order_id"]) if c["claim_id"] != claim_id], progress=progress)


@router.post("/admin/claims/{claim_id}/{action}")
async def admin_act(services: ServicesDep, request: Request, user: ClaimSeller, claim_id: PathId,
                    action: PathId) -> Response:
    form = {k: str(v) for k, v in (await request.form()).items()}
    body: dict[str, Any] = {k: form.get(k, "") for k in (
        "reason", "carrier", "invoice_no", "bank", "account", "holder", "note", "hold_code")}
    body["restock"] = form.get("restock") == "1"
    version = form.get("version", "")
    body["expected_version"] = int(version) if version.isdigit() else None
    body["actor"] = actor_of(user).model_dump()
    try:
        await services.claims.post(f"/claims/{claim_id}/{action}", body)
        flash(request, "ok", "cl_msg_done")
    except ServiceError as exc:
        if exc.status_code == 404:
            raise
        flash_error(request, exc)
    return back(f"/admin/claims/{claim_id}")


def claim_kind_label(request: Request, kind: str) -> str:
    return translator(request.cookies.get("lang", "ko"))(f"cl_{kind}")
