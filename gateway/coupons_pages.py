"""Coupon pages: the seller's coupon admin (/admin/coupons), the buyer's coupons (/my/coupons)
and the checkout's coupon and points choice. The coupons JSON API (coupons_api.py) is included
from here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request

from gateway import coupons_api, coupons_i18n  # noqa: F401  (coupons_i18n merges the labels)
from gateway.auth import Accounts
from gateway.clients import ServiceError
from gateway.orders import CouponChoice, OrderGateway


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
    from gateway.pages import flash_error

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


def router(gw: OrderGateway, accounts: Accounts) -> APIRouter:
    r = APIRouter()
    r.include_router(coupons_api.router(gw, accounts))
    return r
