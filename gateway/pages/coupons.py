"""Coupon pages: the seller's coupon admin (/admin/coupons), the buyer's coupons (/my/coupons)
and the checkout's coupon and points choice (used by the checkout page in shop.py)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from pydantic import ValidationError

from gateway.api.coupons import IssueBody, issue_to
from gateway.auth import User
from gateway.clients import ServiceError
from gateway.deps import (
    AccountsDep,
    BuyerPage,
    GatewayDep,
    SellerPage,
    ServicesDep,
    buyer_page,
    seller_page,
)
from gateway.ids import PathId
from gateway.orders import CouponChoice, OrderGateway
from gateway.web import back, flash, flash_error, render

# Form posts that bring a visitor who must log in first back to the page they were posted from.
CouponsSeller = Annotated[User, Depends(seller_page("/admin/coupons"))]
CouponSeller = Annotated[User, Depends(seller_page("/admin/coupons/{coupon_id}"))]
CouponsBuyer = Annotated[User, Depends(buyer_page("/my/coupons"))]


def choice_of(f: Mapping[str, str]) -> CouponChoice | None:
    """The coupons picked on the checkout form (None when the form showed no coupons)."""
    if f.get("cp") != "1":
        return None
    prefix = "cp_product_"
    return CouponChoice(product={k[len(prefix):]: v for k, v in f.items()
                                 if k.startswith(prefix) and v},
                        cart=f.get("cp_cart") or None, shipping=f.get("cp_shipping") or None)


def points_of(f: Mapping[str, str]) -> int:
    raw = (f.get("points") or "0").replace(",", "").strip()
    return int(raw) if raw.isdigit() else 0


async def checkout_quote(gw: OrderGateway, request: Request, member_id: str,
                         lines: list[dict[str, Any]], params: Mapping[str, str]) -> dict[str, Any]:
    """The coupons for the checkout page: the buyer's choice when they changed it, otherwise
    the best combination (always on "apply the best"; by default when 주문서 최대 할인 is on)."""
    choice = choice_of(params) if "choose" in params else None
    points = points_of(params) if "choose" in params else 0
    try:
        q = await gw.quote(member_id, lines, choice, points)
    except ServiceError as exc:
        if exc.status_code >= 500:
            raise
        flash_error(request, exc)
        q = await gw.quote(member_id, lines, None, 0)
    if "best" in params and not q["is_best"]:
        q = await gw.quote(member_id, lines, CouponChoice(**q["best"]["choice"]), 0)
    return q


def ids(text: str) -> list[str]:
    return [x.strip() for x in text.replace("\n", ",").split(",") if x.strip()]


def coupon_body(f: Mapping[str, Any]) -> dict[str, Any]:
    """A coupon definition from the admin form (validated by the coupons service)."""
    kind, ship_free = str(f.get("kind", "")), f.get("shipping_free") == "1"
    return {
        "name": f.get("name", ""), "kind": kind,
        "type": "percent" if ship_free and kind == "shipping" else f.get("type", "fixed"),
        "value": 100 if ship_free and kind == "shipping" else int(f.get("value") or 0),
        "max_discount": int(f["max_discount"]) if f.get("max_discount") else None,
        "min_purchase": int(f.get("min_purchase") or 0),
        "eligible_product_ids": ids(str(f.get("eligible_product_ids", ""))),
        "eligible_category_ids": ids(str(f.get("eligible_category_ids", ""))),
        "valid_from": f.get("valid_from"), "valid_until": f.get("valid_until"),
        "issue_limit": int(f.get("issue_limit") or 0), "downloadable": f.get("downloadable") == "1",
        "exclusive": f.get("exclusive") == "1",
        "conflicts_with": [str(x) for x in f.getlist("conflicts_with")]
        if hasattr(f, "getlist") else [],
    }


router = APIRouter()


@router.get("/admin/coupons", include_in_schema=False)
async def admin_coupons(services: ServicesDep, request: Request, _: SellerPage) -> Response:
    now = datetime.now()
    return render(request, "coupons/admin_list.html",
                  coupons=(await services.coupons.get("/coupons"))["coupons"], rules=await services.coupons.get("/rules"),
                  today=now.strftime("%Y-%m-%dT00:00"),
                  month=(now + timedelta(days=30)).strftime("%Y-%m-%dT23:59"))


@router.post("/admin/coupons", include_in_schema=False)
async def admin_create(services: ServicesDep, request: Request, _: SellerPage) -> Response:
    try:
        made = await services.coupons.post("/coupons", coupon_body(await request.form()))
    except (ServiceError, ValidationError, ValueError) as exc:
        flash_error(request, exc)
        return back("/admin/coupons")
    flash(request, "ok", "msg_coupon_created")
    return back(f"/admin/coupons/{made['_id']}")


@router.post("/admin/coupons/rules", include_in_schema=False)
async def admin_rules(services: ServicesDep, request: Request, _: CouponsSeller) -> Response:
    f = await request.form()
    try:
        await services.coupons.put("/rules", {
            "auto_best": f.get("auto_best") == "1",
            **{k: int(str(f.get(k) or 0)) for k in (
                "points_min_balance", "points_unit", "points_max_share_percent",
                "points_rate_percent")},
            "reward_coupon_id": f.get("reward_coupon_id", "")})
        flash(request, "ok", "msg_saved")
    except (ServiceError, ValueError) as exc:
        flash_error(request, exc)
    return back("/admin/coupons#rules")


@router.get("/admin/coupons/{coupon_id}", include_in_schema=False)
async def admin_coupon(services: ServicesDep, request: Request, _: SellerPage, coupon_id: PathId) -> Response:
    data = await services.coupons.get(f"/coupons/{coupon_id}")
    return render(request, "coupons/admin_coupon.html", coupon=data["coupon"],
                  holders=data["holders"])


@router.post("/admin/coupons/{coupon_id}/issue", include_in_schema=False)
async def admin_issue(gw: GatewayDep, accounts: AccountsDep, request: Request, _: CouponSeller, coupon_id: PathId,
                      member_ids: str = Form(""), all_members: str = Form("")) -> Response:
    try:
        done = await issue_to(gw, accounts, coupon_id, IssueBody(
            member_ids=ids(member_ids), all_members=all_members == "1"))
        flash(request, "ok", "msg_issued", n=done["issued"])
    except (ServiceError, ValidationError) as exc:
        flash_error(request, exc)
    return back(f"/admin/coupons/{coupon_id}")


@router.get("/admin/points", include_in_schema=False)
async def admin_points(services: ServicesDep, request: Request, _: SellerPage, member: str = "") -> Response:
    points = await services.coupons.get(f"/members/{member}/points") if member.strip() else None
    return render(request, "coupons/admin_points.html", member=member, points=points)


@router.get("/my/coupons", include_in_schema=False)
async def my_coupons(services: ServicesDep, request: Request, user: BuyerPage) -> Response:
    data = await services.coupons.get(f"/members/{user.user_id}/coupons")
    return render(request, "coupons/my_coupons.html", held=data["coupons"],
                  downloadable=data["downloadable"])


@router.post("/my/coupons/{coupon_id}/download", include_in_schema=False)
async def my_download(services: ServicesDep, request: Request, user: CouponsBuyer, coupon_id: PathId) -> Response:
    try:
        await services.coupons.post(f"/coupons/{coupon_id}/download", {"member_id": user.user_id})
        flash(request, "ok", "msg_downloaded")
    except ServiceError as exc:
        flash_error(request, exc)
    return back("/my/coupons")
