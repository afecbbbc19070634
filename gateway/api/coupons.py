"""Coupons and points JSON API: sellers create and issue coupons and set the checkout rules
(/api/admin/coupons...), buyers see and download theirs and price a checkout (/api/me/coupons,
/api/checkout/quote)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field, StrictBool, StrictInt

from contracts.coupons.requests import CouponDef, ShopRules
from contracts.coupons.responses import (
    CheckoutQuote,
    CouponDetail,
    CouponList,
    CouponOut,
    IssueResult,
    MemberPoints,
    MyCoupons,
)
from gateway.auth import Accounts
from gateway.clients import ServiceError, forwarded
from gateway.deps import AccountsDep, BuyerDep, GatewayDep, SellerDep, ServicesDep
from gateway.ids import PathId
from gateway.orders import CartLine, CouponChoice, OrderGateway


class IssueBody(BaseModel):
    """To one or more members, or to every member (all_members)."""

    member_ids: list[str] = Field(default_factory=list, max_length=10_000)
    all_members: StrictBool = False


class QuoteBody(BaseModel):
    lines: list[CartLine] = Field(min_length=1, max_length=100)
    coupons: CouponChoice | None = Field(default=None, description="None: the best combination "
                                                                   "when 주문서 최대 할인 is on")
    points: StrictInt = Field(default=0, ge=0, le=100_000_000)


async def issue_to(gw: OrderGateway, accounts: Accounts, coupon_id: str,
                   body: IssueBody) -> dict[str, Any]:
    if body.all_members:
        members = [u.user_id for u in await accounts.buyers()]
    else:
        members = [m.strip() for m in body.member_ids if m.strip()]
        for m in members:
            if await accounts.get(m) is None:
                raise ServiceError(400, "unknown_member", "member {member} does not exist", member=m)
    if not members:
        raise ServiceError(400, "no_members", "name at least one member, or all members")
    return dict(await gw.s.coupons.post(f"/coupons/{coupon_id}/issue", {"member_ids": members}))


router = APIRouter(prefix="/api")


@router.get("/admin/coupons", tags=["coupons"], response_model=CouponList)
async def list_coupons(services: ServicesDep, _: SellerDep) -> Any:
    return await services.coupons.get("/coupons")


@router.post("/admin/coupons", tags=["coupons"], status_code=201, response_model=CouponOut)
async def create_coupon(services: ServicesDep, _: SellerDep, body: CouponDef) -> Any:
    return await services.coupons.post("/coupons", forwarded(body))


@router.get("/admin/coupons/{coupon_id}", tags=["coupons"], response_model=CouponDetail)
async def coupon(services: ServicesDep, _: SellerDep, coupon_id: PathId) -> Any:
    return await services.coupons.get(f"/coupons/{coupon_id}")


@router.post("/admin/coupons/{coupon_id}/issue", tags=["coupons"], response_model=IssueResult)
async def issue(gw: GatewayDep, accounts: AccountsDep, _: SellerDep, coupon_id: PathId, body: IssueBody) -> Any:
    return await issue_to(gw, accounts, coupon_id, body)


@router.get("/admin/coupon-rules", tags=["coupons"], response_model=ShopRules)
async def get_rules(services: ServicesDep, _: SellerDep) -> Any:
    return await services.coupons.get("/rules")


@router.put("/admin/coupon-rules", tags=["coupons"], response_model=ShopRules)
async def put_rules(services: ServicesDep, _: SellerDep, body: ShopRules) -> Any:
    return await services.coupons.put("/rules", forwarded(body))


@router.get("/admin/members/{member_id}/points", tags=["coupons"], response_model=MemberPoints)
async def member_points(services: ServicesDep, _: SellerDep, member_id: PathId) -> Any:
    return await services.coupons.get(f"/members/{member_id}/points")


@router.get("/me/coupons", tags=["my page"], response_model=MyCoupons)
async def my_coupons(services: ServicesDep, user: BuyerDep) -> Any:
    return await services.coupons.get(f"/members/{user.user_id}/coupons")


@router.post("/me/coupons/{coupon_id}/download", tags=["my page"], response_model=IssueResult)
async def download(services: ServicesDep, user: BuyerDep, coupon_id: PathId) -> Any:
    return await services.coupons.post(f"/coupons/{coupon_id}/download", {"member_id": user.user_id})


@router.post("/checkout/quote", tags=["orders"], response_model=CheckoutQuote)
async def quote(gw: GatewayDep, user: BuyerDep, body: QuoteBody) -> Any:
    lines = await gw.price_lines(body.lines)
    return await gw.quote(user.user_id, lines, body.coupons, body.points)
