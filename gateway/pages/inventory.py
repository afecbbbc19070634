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

from gateway import i18n
from gateway.auth import User
from gateway.clients import ServiceError
from gateway.deps import SellerPage, ServicesDep, seller_page
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
        flash(request, "ok", "msg_option_converted" if action == "convert-option"
              else "msg_legacy_dropped", option=f.get("option", ""))
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
    t = i18n.translator("ko")
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
    flash(request, "ok", "msg_sold_out_on" if flag else "msg_sold_out_off")
    return back(f"/admin/stock/{sku_id}")


# ---- labels (Korean first, English second), merged into gateway.i18n ----

LABELS: dict[str, dict[str, str]] = {
    "ko": {
        "products_stock": "상품·재고", "updated_at": "수정일", "view_in_store": "스토어에서 보기",
        "grid_empty": "옵션값을 입력하고 '옵션 조합 만들기'를 누르면 조합별 SKU가 여기에 나옵니다.",
        "text_values_ph": "입력형은 구매자가 직접 입력합니다", "product_list": "상품 목록", "new_product": "상품 등록",
        "edit_product": "상품 수정", "product_code": "상품 코드", "product_name": "상품명",
        "category": "카테고리", "base_price": "기본 판매가", "description": "상품 설명",
        "listed": "스토어에 진열", "listed_hint": "끄면 스토어 상품 목록에 보이지 않습니다.",
        "display": "진열", "shown": "진열중", "hidden": "진열 안 함",
        "needs_conversion": "전환 필요", "basic_info": "기본 정보",
        "combination_options": "조합형 필수 옵션",
        "combination_hint": "옵션값의 모든 조합이 각각 하나의 SKU가 되어 재고·추가금액·품절을 따로 관리합니다. (최대 3개)",
        "independent_options": "비조합형 옵션",
        "independent_hint": "선물포장·각인 문구처럼 주문할 때 고르거나 입력하는 옵션입니다. 재고를 갖지 않으며, 값별 재고가 필요하면 조합형 옵션으로 추가하세요.",
        "option_name": "옵션명", "option_values": "옵션값", "values_hint": "쉼표(,)로 구분",
        "add_option": "옵션 추가", "kind": "형태", "kind_SELECT": "선택형",
        "kind_TEXT": "입력형", "required": "필수", "generate_grid": "옵션 조합 만들기",
        "sku_grid": "옵션 조합 · SKU", "n_skus": "SKU {n}개", "combination": "조합",
        "sku_code": "SKU 코드", "price_delta": "추가금액", "sale_price": "판매가",
        "stock": "재고", "available": "판매가능", "reserved": "주문 예약", "sold": "출고",
        "sold_out_flag": "품절 표시", "stock_history": "재고 이력", "apply_all": "일괄 적용",
        "apply": "적용", "save_product": "저장", "new_badge": "신규", "inactive": "판매 종료",
        "inactive_skus": "판매 종료된 조합",
        "inactive_hint": "옵션에서 빠진 조합입니다. 이력과 남은 수량은 그대로 보관됩니다.",
        "single_sku": "옵션 없는 단일 상품입니다. 재고를 바로 입력하세요.",
        "grid_outdated": "옵션을 바꿨다면 '옵션 조합 만들기'를 눌러 조합표를 다시 만드세요.",
        "products_total": "전체 {n}개", "skus_col": "SKU", "price_range": "판매가",
        "stock_total": "판매가능 합계", "status_col": "상태", "low_stock_n": "부족 {n}",
        "sold_out_n": "품절 {n}", "no_products_admin": "등록된 상품이 없습니다.",
        "search_products": "상품명 또는 코드", "filter_all": "전체",
        "filter_legacy": "전환 필요", "filter_hidden": "진열 안 함",
        "legacy_report": "비조합형 옵션 재고 점검",
        "legacy_banner": "비조합형 옵션에 재고가 설정된 상품이 {n}개 있습니다. 새 주문관리로 전환하기 전에 조합형 옵션으로 바꾸거나 재고 설정을 삭제하세요.",
        "legacy_intro": "이전 시스템에서 가져온 상품 중 비조합형 옵션에 재고가 남아 있는 목록입니다. 새 주문관리에서는 조합형 옵션의 SKU만 재고를 가질 수 있습니다.",
        "legacy_none": "비조합형 옵션에 재고가 설정된 상품이 없습니다. 전환 준비가 끝났습니다.",
        "legacy_stock_col": "설정된 재고", "option_value": "옵션값",
        "convert_option": "조합형으로 전환", "drop_stock": "재고 설정 삭제",
        "convert_confirm": "이 옵션을 조합형 옵션으로 바꿔 값마다 SKU를 만듭니다. 계속할까요?",
        "drop_confirm": "이 옵션의 재고 설정을 삭제합니다 (옵션은 비조합형으로 남습니다). 계속할까요?",
        "legacy_on_product": "이전 시스템의 재고 설정이 남아 있습니다",
        "convert_hint": "조합형으로 전환하면 값마다 SKU가 생기고, 다른 조합형 옵션이 없으면 설정된 재고가 그대로 옮겨집니다.",
        "stock_menu": "재고 관리", "stock_attention": "품절·재고 부족 SKU",
        "stock_attention_hint": "판매가능 재고가 {n}개 이하이거나 품절 표시된 SKU입니다.",
        "search_sku": "SKU 코드로 찾기", "no_attention": "품절이거나 부족한 SKU가 없습니다.",
        "adjust_stock": "재고 조정", "mode_add": "입고 (+)", "mode_remove": "차감 (−)",
        "mode_set": "실사 (=)", "adjust_qty": "수량", "reason_col": "사유",
        "reason_RECEIVED": "입고", "reason_COUNT": "재고 실사", "reason_DAMAGED": "파손·분실",
        "reason_RETURNED": "반품 입고", "reason_OTHER": "기타", "note": "메모",
        "note_ph": "예) 11/26 2차 입고분", "do_adjust": "재고 조정",
        "when": "일시", "movement": "구분", "who": "처리자", "reference": "주문·참조",
        "before_after": "판매가능 (전 → 후)", "counters_after": "예약 / 출고 (후)",
        "kind_initial": "초기 재고", "kind_adjust": "재고 조정", "kind_reserve": "주문 예약",
        "kind_release": "예약 해제", "kind_sold": "출고", "kind_restock": "반품 재입고",
        "ledger_consistent": "이력 합계 = 현재 재고", "ledger_inconsistent": "이력과 재고 불일치",
        "older_entries": "이전 이력", "newest_entries": "최신 이력", "no_ledger": "이력이 없습니다.",
        "on_hand": "보유 (판매가능+예약)", "mark_sold_out": "품절 표시하기",
        "unmark_sold_out": "품절 표시 해제", "sold_out_marked": "품절 표시됨",
        "back_to_product": "상품으로", "low_stock": "재고 부족", "orderable": "주문 가능",
        "msg_product_saved": "저장했습니다 (SKU {n}개).",
        "msg_grid_generated": "옵션 조합 {n}개를 만들었습니다. 재고와 추가금액을 확인한 뒤 저장하세요.",
        "msg_product_exists": "상품 코드 {id}은(는) 이미 있습니다.",
        "msg_option_converted": "'{option}' 옵션을 조합형으로 전환했습니다.",
        "msg_legacy_dropped": "'{option}' 옵션의 재고 설정을 삭제했습니다.",
        "msg_stock_adjusted": "재고를 조정했습니다: {before} → {after}",
        "msg_quantity_required": "수량을 입력하세요.",
        "msg_sold_out_on": "품절로 표시했습니다.", "msg_sold_out_off": "품절 표시를 해제했습니다.",
    },
    "en": {
        "products_stock": "Products & stock", "updated_at": "Updated", "view_in_store": "View in store",
        "grid_empty": "Enter option values and press 'Build combinations': one SKU per combination appears here.",
        "text_values_ph": "The buyer types the text", "product_list": "Products",
        "new_product": "New product", "edit_product": "Edit product",
        "product_code": "Product code", "product_name": "Name", "category": "Category",
        "base_price": "Base price", "description": "Description", "listed": "Show in the store",
        "listed_hint": "When off, the product is not in the store's list.", "display": "Display",
        "shown": "Shown", "hidden": "Hidden", "needs_conversion": "Needs conversion",
        "basic_info": "Basics", "combination_options": "Combination options (required)",
        "combination_hint": "Every combination of the values is one SKU with its own stock, price delta and sold-out switch. (up to 3)",
        "independent_options": "Independent options",
        "independent_hint": "Chosen or typed with the order (gift wrap, engraving). They never carry stock: add a combination option when each value needs its own stock.",
        "option_name": "Option", "option_values": "Values", "values_hint": "comma separated",
        "add_option": "Add option", "kind": "Type", "kind_SELECT": "Choice", "kind_TEXT": "Text",
        "required": "Required", "generate_grid": "Build combinations", "sku_grid": "Combinations · SKUs",
        "n_skus": "{n} SKUs", "combination": "Combination", "sku_code": "SKU code",
        "price_delta": "Price delta", "sale_price": "Price", "stock": "Stock",
        "available": "Available", "reserved": "Reserved", "sold": "Shipped",
        "sold_out_flag": "Sold out", "stock_history": "Stock history", "apply_all": "Apply to all",
        "apply": "Apply", "save_product": "Save", "new_badge": "New", "inactive": "Discontinued",
        "inactive_skus": "Discontinued combinations",
        "inactive_hint": "Combinations removed from the options. Their history and units are kept.",
        "single_sku": "A single product without options: enter its stock directly.",
        "grid_outdated": "Changed the options? Press 'Build combinations' to rebuild the grid.",
        "products_total": "{n} products", "skus_col": "SKUs", "price_range": "Price",
        "stock_total": "Available", "status_col": "Status", "low_stock_n": "{n} low",
        "sold_out_n": "{n} sold out", "no_products_admin": "No products yet.",
        "search_products": "Name or code", "filter_all": "All", "filter_legacy": "Needs conversion",
        "filter_hidden": "Hidden", "legacy_report": "Stock on independent options",
        "legacy_banner": "{n} products keep stock on independent options. Convert them to combination options, or drop the stock setting, before switching the new order system on.",
        "legacy_intro": "Products imported from the older system whose independent options still carry stock. In the new order system only SKUs of combination options carry stock.",
        "legacy_none": "No product keeps stock on an independent option: ready to switch.",
        "legacy_stock_col": "Stock set", "option_value": "Value",
        "convert_option": "Convert to combination", "drop_stock": "Drop stock setting",
        "convert_confirm": "Make this a combination option, with one SKU per value?",
        "drop_confirm": "Drop the stock setting of this option (it stays independent)?",
        "legacy_on_product": "Stock settings from the older system remain",
        "convert_hint": "Converting makes one SKU per value; without other combination options the stock set moves to them.",
        "stock_menu": "Stock", "stock_attention": "Sold-out and low SKUs",
        "stock_attention_hint": "SKUs with {n} or fewer available, or marked sold out.",
        "search_sku": "Find by SKU code", "no_attention": "No SKU is sold out or low.",
        "adjust_stock": "Adjust stock", "mode_add": "Receive (+)", "mode_remove": "Remove (−)",
        "mode_set": "Count (=)", "adjust_qty": "Quantity", "reason_col": "Reason",
        "reason_RECEIVED": "Received", "reason_COUNT": "Stock count", "reason_DAMAGED": "Damaged/lost",
        "reason_RETURNED": "Returned", "reason_OTHER": "Other", "note": "Note",
        "note_ph": "e.g. second delivery of 11/26", "do_adjust": "Adjust", "when": "When",
        "movement": "Movement", "who": "By", "reference": "Order / ref",
        "before_after": "Available (before → after)", "counters_after": "Reserved / shipped (after)",
        "kind_initial": "Initial stock", "kind_adjust": "Adjustment", "kind_reserve": "Reserved",
        "kind_release": "Released", "kind_sold": "Shipped", "kind_restock": "Restocked",
        "ledger_consistent": "History adds up to the stock", "ledger_inconsistent": "History and stock differ",
        "older_entries": "Older", "newest_entries": "Newest", "no_ledger": "No history.",
        "on_hand": "On hand (available+reserved)", "mark_sold_out": "Mark sold out",
        "unmark_sold_out": "Clear sold out", "sold_out_marked": "Marked sold out",
        "back_to_product": "Back to product", "low_stock": "Low", "orderable": "Orderable",
        "msg_product_saved": "Saved ({n} SKUs).",
        "msg_grid_generated": "{n} combinations built. Check stock and price deltas, then save.",
        "msg_product_exists": "Product code {id} already exists.",
        "msg_option_converted": "Option '{option}' is now a combination option.",
        "msg_legacy_dropped": "Dropped the stock setting of option '{option}'.",
        "msg_stock_adjusted": "Stock adjusted: {before} → {after}",
        "msg_quantity_required": "Enter a quantity.",
        "msg_sold_out_on": "Marked sold out.", "msg_sold_out_off": "Sold-out mark cleared.",
    },
}

ERRORS_KO = [
    (r"^option (.+) is an independent option: independent options never carry stock",
     "{0} 옵션은 비조합형 옵션이라 재고를 가질 수 없습니다. 옵션값별 재고가 필요하면 조합형 옵션으로 바꾸세요."),
    (r"^SKU (\S+) has (-?\d+) (available|reserved|sold): cannot (\w+) (\d+)$",
     "SKU {0}의 판매가능 재고는 {1}개라서 {4}개를 뺄 수 없습니다."),
    (r"^SKU (\S+) now has (\d+) available \(not (\d+)\)",
     "그사이 재고가 바뀌었습니다 (현재 판매가능 {1}개). 확인 후 다시 조정하세요."),
    (r"^give a quantity other than 0$", "0이 아닌 수량을 입력하세요."),
    (r"^option name (.+) is used twice$", "옵션명 '{0}'이(가) 두 번 쓰였습니다."),
    (r"^option (.+) lists (.+) twice$", "옵션 '{0}'에 '{1}' 값이 두 번 있습니다."),
    (r"^combination option (.+) needs at least one value$", "조합형 옵션 '{0}'의 옵션값을 입력하세요."),
    (r"^independent option (.+) needs values", "선택형 옵션 '{0}'의 옵션값을 입력하세요 (입력형이면 형태를 바꾸세요)."),
    (r"^option (.+) has an empty value$", "옵션 '{0}'에 빈 값이 있습니다."),
    (r"^at most (\d+) combination options$", "조합형 옵션은 최대 {0}개입니다."),
    (r"^(\d+) combinations: at most (\d+) SKUs per product$",
     "조합이 {0}개입니다. 상품당 SKU는 최대 {1}개입니다."),
    (r"^every option needs a name$", "옵션명을 입력하세요."),
    (r"^SKU (\S+) belongs to another product$", "SKU {0}은(는) 다른 상품의 SKU입니다."),
    (r"^(.+): price delta (-?\d+) takes the price below zero$",
     "{0}: 추가금액 때문에 판매가가 0원보다 작아집니다."),
    (r"^SKU (\S+) has (\d+) units reserved by orders",
     "SKU {0}에 주문 예약 {1}개가 있어 지금은 전환할 수 없습니다. 출고 또는 취소된 뒤 전환하세요."),
    (r"^product (\S+) not found$", "상품 {0}을(를) 찾을 수 없습니다."),
    (r"^SKU (\S+) not found$", "SKU {0}을(를) 찾을 수 없습니다."),
    (r"^option (.+) has no values to make SKUs of", "입력형 옵션 '{0}'은(는) 조합형으로 바꿀 수 없습니다."),
    (r"^independent option (.+) not found$", "비조합형 옵션 '{0}'이(가) 없습니다."),
    (r"^stock setting of option (.+) not found$", "옵션 '{0}'에 재고 설정이 없습니다."),
    (r"^(product_id|name|base_price)\b.*", "상품 코드(영문·숫자), 상품명, 판매가를 확인하세요."),
]


i18n.register(LABELS, ERRORS_KO)
