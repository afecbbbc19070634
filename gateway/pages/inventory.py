"""Seller admin pages for the catalogue and stock: product list, product editor (options and the
generated SKU grid), the legacy-stock report, stock overview and per-SKU stock (adjust + ledger).
Their JSON twins are in api/inventory.py."""

from __future__ import annotations

import itertools
import json
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from gateway.auth import User
from gateway.clients import ServiceError
from gateway.deps import SellerPage, ServicesDep, seller_page
from gateway.i18n import translator
from gateway.ids import PathId
from gateway.orders import actor_of
from gateway.web import back, flash, flash_error, render

PAGE = 50
LEDGER_PAGE = 50
REASONS = ["RECEIVED", "COUNT", "DAMAGED", "RETURNED", "OTHER"]
# Form posts that bring a seller who must log in first back to the page they were posted from.
ProductsSeller = Annotated[User, Depends(seller_page("/admin/products"))]
ProductSeller = Annotated[User, Depends(seller_page("/admin/products/{product_id}"))]
SkuSeller = Annotated[User, Depends(seller_page("/admin/stock/{sku_id}"))]


def split_values(text: str) -> list[str]:
    seen: list[str] = []
    for part in text.replace("\n", ",").split(","):
        v = part.strip()
        if v and v not in seen:
            seen.append(v)
    return seen


def _int(text: str | None, default: int | None = 0) -> int | None:
    try:
        return int(str(text).replace(",", "").strip())
    except (TypeError, ValueError):
        return default


def editor_from_product(p: dict[str, Any]) -> dict[str, Any]:
    """The editor's view of a stored product."""
    combination = [{"name": o["name"], "values": ", ".join(v["value"] for v in o["values"])}
                   for o in p.get("combination_options", [])]
    independent = [{"name": o["name"], "kind": o.get("kind", "SELECT"),
                    "values": ", ".join(o.get("values", [])), "required": o.get("required")}
                   for o in p.get("independent_options", [])]
    v = {"is_new": False, "product_id": p["_id"], "name": p["name"],
         "base_price": p["base_price"], "category_id": p.get("category_id", ""),
         "description": p.get("description", ""), "listed": p.get("listed", True),
         "combination": combination, "independent": independent, "entered": {}}
    return v


def editor_from_form(f: dict[str, str]) -> dict[str, Any]:
    """The editor's view of a submitted form (to re-render it as typed)."""
    combination, independent = [], []
    for i in range(_int(f.get("co_count"), 0) or 0):
        name = f.get(f"co_name_{i}", "").strip()
        values = f.get(f"co_values_{i}", "")
        if name or values.strip():
            combination.append({"name": name, "values": values})
    for i in range(_int(f.get("io_count"), 0) or 0):
        name = f.get(f"io_name_{i}", "").strip()
        values = f.get(f"io_values_{i}", "")
        if name or values.strip():
            independent.append({"name": name, "kind": f.get(f"io_kind_{i}", "SELECT"),
                                "values": values, "required": bool(f.get(f"io_required_{i}"))})
    entered = {}
    for j in range(_int(f.get("sku_count"), 0) or 0):
        key = f.get(f"sku_key_{j}")
        if key is None:
            continue
        entered[key] = {"price_delta": f.get(f"sku_delta_{j}", "0"),
                        "stock": f.get(f"sku_stock_{j}", ""), "seen": f.get(f"sku_seen_{j}", ""),
                        "sold_out": bool(f.get(f"sku_soldout_{j}"))}
    return {"is_new": f.get("is_new") == "1", "product_id": f.get("product_id", "").strip(),
            "name": f.get("name", "").strip(), "base_price": f.get("base_price", ""),
            "category_id": f.get("category_id", "").strip(),
            "description": f.get("description", "").strip(), "listed": bool(f.get("listed")),
            "combination": combination, "independent": independent, "entered": entered}


def grid_rows(v: dict[str, Any], stored: dict[str, Any] | None) -> list[dict[str, Any]]:
    """One row per combination of the editor's options, prefilled from what was typed, else
    from the stored SKU of that combination."""
    names = [o["name"] for o in v["combination"]]
    values = [split_values(o["values"]) for o in v["combination"]]
    existing = {}
    for s in (stored or {}).get("skus", []):
        opts = s.get("options", {})
        if s.get("active", True) and all(n in opts for n in names) and len(opts) == len(names):
            existing[json.dumps([opts[n] for n in names], ensure_ascii=False)] = s
    rows = []
    for combo in itertools.product(*values):
        key = json.dumps(list(combo), ensure_ascii=False)
        sku = existing.get(key)
        typed = v["entered"].get(key)
        row = {"key": key, "options": dict(zip(names, combo, strict=True)),
               "label": " / ".join(combo) if combo else "", "sku": sku,
               "price_delta": sku["price_delta"] if sku else 0,
               "stock": sku["available"] if sku else 0,
               "seen": sku["available"] if sku else "", "sold_out": bool(sku and sku["sold_out"])}
        if typed:
            row.update(price_delta=_int(typed["price_delta"], 0), stock=typed["stock"],
                       sold_out=typed["sold_out"])
            if sku and typed["seen"] not in ("", None):
                row["seen"] = typed["seen"]
        rows.append(row)
    return rows


def body_from_form(v: dict[str, Any], f: dict[str, str],
                   stored: dict[str, Any] | None) -> dict[str, Any]:
    """The PUT body for the inventory service; codes of existing values are kept."""
    codes = {(o["name"], x["value"]): x["code"]
             for o in (stored or {}).get("combination_options", []) for x in o["values"]}
    combination = [{"name": o["name"], "values": [
        {"value": x, "code": codes.get((o["name"], x), "")} for x in split_values(o["values"])]}
        for o in v["combination"]]
    independent = [{"name": o["name"], "kind": o["kind"], "required": o["required"],
                    "values": split_values(o["values"]) if o["kind"] == "SELECT" else []}
                   for o in v["independent"]]
    skus = []
    for row in grid_rows(v, stored):
        stock = _int(row["stock"], None)
        seen = _int(row["seen"], None) if row["sku"] else None
        skus.append({"options": row["options"], "price_delta": _int(row["price_delta"], 0),
                     "stock": stock, "stock_seen": seen, "sold_out": row["sold_out"]})
    return {"product_id": v["product_id"], "name": v["name"],
            "base_price": _int(v["base_price"], -1), "category_id": v["category_id"],
            "description": v["description"], "listed": v["listed"],
            "combination_options": combination, "independent_options": independent,
            "skus": skus}


router = APIRouter(include_in_schema=False)


async def editor(request: Request, v: dict[str, Any], stored: dict[str, Any] | None,
                 status_code: int = 200) -> HTMLResponse:
    return render(request, "admin/products_edit.html", status_code=status_code, v=v,
                  stored=stored, rows=grid_rows(v, stored),
                  inactive=[s for s in (stored or {}).get("skus", [])
                            if not s.get("active", True)],
                  low=(stored or {}).get("low_stock_threshold", 5))


@router.get("/admin/products")
async def product_list(services: ServicesDep, request: Request, _: SellerPage, q: str = "", status: str = "",
                       page: int = 1) -> Response:
    page = max(1, page)
    data = await services.inventory.get("/admin/products", params={
        "q": q, "status": status, "offset": (page - 1) * PAGE, "limit": PAGE})
    return render(request, "admin/products.html", data=data, q=q, status=status, page=page,
                  pages=max(1, -(-data["total"] // PAGE)))


@router.get("/admin/products/legacy-stock")
async def legacy_report(services: ServicesDep, request: Request, _: SellerPage) -> Response:
    data = await services.inventory.get("/products/legacy-stock")
    return render(request, "admin/products_legacy.html", rows=data["rows"],
                  products=data["products"])


@router.get("/admin/products/new")
async def new_product(request: Request, _: SellerPage) -> Response:
    v = {"is_new": True, "product_id": "", "name": "", "base_price": "", "category_id": "",
         "description": "", "listed": True, "entered": {},
         "combination": [{"name": "색상", "values": ""}, {"name": "사이즈", "values": ""}],
         "independent": []}
    return await editor(request, v, None)


@router.get("/admin/products/{product_id}")
async def edit_product(services: ServicesDep, request: Request, _: SellerPage, product_id: PathId) -> Response:
    stored = await services.inventory.get(f"/products/{product_id}", params={"all": "true"})
    return await editor(request, editor_from_product(stored), stored)


@router.post("/admin/products/save")
async def save_product(services: ServicesDep, request: Request, user: ProductsSeller) -> Response:
    f = {k: str(x) for k, x in (await request.form()).items()}
    v = editor_from_form(f)
    stored = None
    if not v["is_new"] and v["product_id"]:
        stored = await services.inventory.get(f"/products/{quote(v['product_id'])}", params={"all": "true"})
    if f.get("action") == "preview":
        flash(request, "info", "msg_grid_generated", n=len(grid_rows(v, stored)))
        return await editor(request, v, stored)
    if v["is_new"] and v["product_id"]:
        try:
            await services.inventory.get(f"/products/{quote(v['product_id'])}")
        except ServiceError as exc:
            if exc.status_code != 404:
                raise
        else:
            flash(request, "error", "msg_product_exists", id=v["product_id"])
            return await editor(request, v, None, 409)
    body = body_from_form(v, f, stored)
    body["actor"] = actor_of(user).model_dump()
    try:
        saved = await services.inventory.put(f"/products/{quote(v['product_id'] or '-')}", body)
    except ServiceError as exc:
        flash_error(request, exc)
        return await editor(request, v, stored, exc.status_code)
    flash(request, "ok", "msg_product_saved", n=len(saved["skus"]))
    return back(f"/admin/products/{saved['_id']}")


@router.post("/admin/products/{product_id}/legacy")
async def resolve_legacy(services: ServicesDep, request: Request, user: ProductSeller, product_id: PathId) -> Response:
    f = {k: str(x) for k, x in (await request.form()).items()}
    action = "convert-option" if f.get("action") == "convert" else "drop-legacy-stock"
    try:
        await services.inventory.post(f"/products/{product_id}/{action}", {
            "option": f.get("option", ""), "actor": actor_of(user).model_dump()})
    except ServiceError as exc:
        flash_error(request, exc)
    else:
        if action == "convert-option":
            flash(request, "ok", "msg_option_converted", option=f.get("option", ""))
        else:
            flash(request, "ok", "msg_legacy_dropped", option=f.get("option", ""))
    target = f.get("return_to", "")
    return back(target if target.startswith("/admin/") else f"/admin/products/{product_id}")


@router.get("/admin/stock")
async def stock_overview(services: ServicesDep, request: Request, _: SellerPage, q: str = "") -> Response:
    data = await services.inventory.get("/skus", params={"q": q})
    return render(request, "admin/stock.html", skus=data["skus"], q=q,
                  low=data["low_stock_threshold"])


@router.get("/admin/stock/{sku_id}")
async def sku_page(services: ServicesDep, request: Request, _: SellerPage, sku_id: PathId,
                   before: int | None = None) -> Response:
    sku = await services.inventory.get(f"/skus/{sku_id}")
    params: dict[str, Any] = {"order": "desc", "limit": LEDGER_PAGE}
    if before is not None:
        params["before"] = before
    ledger = await services.inventory.get(f"/skus/{sku_id}/ledger", params=params)
    product = await services.inventory.get(f"/products/{sku['product_id']}", params={"all": "true"})
    audit = await services.inventory.get(f"/skus/{sku_id}/audit") if sku.get("seq", 0) <= 5000 else None
    return render(request, "admin/stock_sku.html", sku=sku, ledger=ledger, product=product,
                  audit=audit, before=before, reasons=REASONS,
                  low=product["low_stock_threshold"])


@router.post("/admin/stock/{sku_id}/adjust")
async def adjust(services: ServicesDep, request: Request, user: SkuSeller, sku_id: PathId) -> Response:
    f = {k: str(x) for k, x in (await request.form()).items()}
    qty = _int(f.get("quantity"), None)
    seen = _int(f.get("expected_available"), None)
    mode = f.get("mode", "add")
    code = f.get("reason_code", "OTHER")
    note = f.get("note", "").strip()
    if qty is None or qty < 0 or (mode != "set" and qty == 0) or seen is None:
        flash(request, "error", "msg_quantity_required")
        return back(f"/admin/stock/{sku_id}")
    delta = qty if mode == "add" else -qty if mode == "remove" else qty - seen
    t = translator("ko")
    reason = f"{t('reason_' + code)}" + (f" · {note}" if note else "")
    try:
        await services.inventory.post(f"/skus/{sku_id}/adjust", {
            "delta": delta, "reason": reason, "reason_code": code if code in REASONS
            else "OTHER", "expected_available": seen, "actor": actor_of(user).model_dump()})
    except ServiceError as exc:
        flash_error(request, exc)
    else:
        flash(request, "ok", "msg_stock_adjusted", before=seen, after=seen + delta)
    return back(f"/admin/stock/{sku_id}")


@router.post("/admin/stock/{sku_id}/sold-out")
async def sold_out(services: ServicesDep, request: Request, _: SkuSeller, sku_id: PathId) -> Response:
    f = {k: str(x) for k, x in (await request.form()).items()}
    flag = f.get("sold_out") == "1"
    await services.inventory.put(f"/skus/{sku_id}/sold-out", {"sold_out": flag})
    if flag:
        flash(request, "ok", "msg_sold_out_on")
    else:
        flash(request, "ok", "msg_sold_out_off")
    return back(f"/admin/stock/{sku_id}")
