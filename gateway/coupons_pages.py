"""Coupon pages: the seller's coupon admin (/admin/coupons) and the buyer's coupons (/my/coupons).
The coupons JSON API (coupons_api.py) is included from here."""

from __future__ import annotations

from fastapi import APIRouter

from gateway import coupons_api
from gateway.auth import Accounts
from gateway.orders import OrderGateway


def router(gw: OrderGateway, accounts: Accounts) -> APIRouter:
    r = APIRouter(include_in_schema=False)
    r.include_router(coupons_api.router(gw, accounts))
    return r
