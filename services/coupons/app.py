"""Composition root of the coupons service: `python -m coupons` serves it."""

from __future__ import annotations

from typing import Any

from faststream.specification import AsyncAPI
from pydantic import BaseModel, Field

from contracts import topics
from contracts.coupons.requests import CouponDef, ShopRules
from contracts.coupons.v1 import CouponsEvent
from coupons import catalog, handlers, locks
from coupons.catalog import Catalog, Issue
from coupons.checkout import Checkout, Lock, Quote
from coupons.locks import Locks
from coupons.points import PointsService
from coupons.rules import RulesStore
from coupons.runner import BestRunner
from coupons.settings import CouponsSettings
from coupons.usage import Usage
from kit.runtime import Runtime
from kit.web import service_app

settings = CouponsSettings()
runtime = Runtime("coupons", settings)
rules = RulesStore(runtime.store, ShopRules(
    auto_best=settings.auto_best, points_min_balance=settings.points_min_balance,
    points_unit=settings.points_unit, points_max_share_percent=settings.points_max_share_percent,
    points_rate_percent=settings.points_rate_percent))
coupons = Catalog(runtime.store, runtime.clock)
runner = BestRunner(settings.optimizer_workers, settings.optimizer_budget_ms,
                    settings.optimizer_grace_ms)
checkout = Checkout(runtime.store, runtime.clock, coupons, rules, runner)
checkout_locks = Locks(runtime.store, runtime.clock, checkout, settings.lock_ttl_seconds)
points = PointsService(runtime.store, rules, coupons)
handlers.register(runtime.broker, points, Usage(coupons, runtime.clock, checkout_locks))
runtime.publishes(topics.COUPONS_EVENTS, CouponsEvent, "Points granted at confirmation")
runtime.startup.append(lambda: catalog.ensure_indexes(runtime.db))
runtime.startup.append(lambda: locks.ensure_indexes(runtime.db))
runtime.startup.append(runner.start)
runtime.background.append(lambda: checkout_locks.expire_loop(settings.scheduler_interval_seconds))

app = service_app(runtime, "coupons service")


class Download(BaseModel):
    member_id: str = Field(min_length=1, max_length=64)


class Commit(BaseModel):
    order_id: str = Field(min_length=1, max_length=64)
    order_no: str = Field(default="", max_length=64)


@app.get("/members/{member_id}/points")
async def member_points(member_id: str) -> dict[str, Any]:
    return await points.member(member_id)


@app.get("/members/{member_id}/coupons")
async def member_coupons(member_id: str) -> dict[str, Any]:
    return {"coupons": await coupons.held(member_id),
            "downloadable": await coupons.downloadable(member_id)}


@app.get("/rules")
async def get_rules() -> ShopRules:
    return await rules.get()


@app.put("/rules")
async def put_rules(body: ShopRules) -> ShopRules:
    return await rules.put(body)


@app.post("/coupons", status_code=201)
async def create_coupon(body: CouponDef) -> dict[str, Any]:
    return await coupons.create(body)


@app.get("/coupons")
async def list_coupons() -> dict[str, Any]:
    return {"coupons": await coupons.list()}


@app.get("/coupons/{coupon_id}")
async def get_coupon(coupon_id: str) -> dict[str, Any]:
    return {"coupon": await coupons.get(coupon_id), "holders": await coupons.holders(coupon_id)}


@app.post("/coupons/{coupon_id}/issue")
async def issue(coupon_id: str, body: Issue) -> dict[str, Any]:
    return await coupons.issue(coupon_id, body.member_ids)


@app.post("/coupons/{coupon_id}/download")
async def download(coupon_id: str, body: Download) -> dict[str, Any]:
    return await coupons.download(coupon_id, body.member_id)


@app.post("/checkout/quote")
async def quote(body: Quote) -> dict[str, Any]:
    return await checkout.quote(body)


@app.post("/checkout/lock")
async def lock(body: Lock) -> dict[str, Any]:
    return await checkout_locks.lock(body)


@app.post("/checkout/locks/{order_ref}/release")
async def unlock(order_ref: str) -> dict[str, Any]:
    return await checkout_locks.unlock(order_ref)


@app.post("/checkout/locks/{order_ref}/commit")
async def commit(order_ref: str, body: Commit) -> dict[str, Any]:
    return await checkout_locks.commit(order_ref, body.order_id, body.order_no)


asyncapi = AsyncAPI(runtime.broker, title="coupons service", version="1.0.0",
                    description="Coupons, the max-discount checkout, points")
