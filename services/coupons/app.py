"""Composition root of the coupons service: `python -m coupons` serves it."""

from __future__ import annotations

from typing import Any

from faststream.specification import AsyncAPI

from contracts import topics
from contracts.coupons.v1 import CouponsEvent
from coupons import handlers
from coupons.points import PointsService
from coupons.settings import CouponsSettings
from kit.runtime import Runtime
from kit.web import service_app

settings = CouponsSettings()
runtime = Runtime("coupons", settings)
points = PointsService(runtime.store, settings.points_rate_percent)
handlers.register(runtime.broker, points)
runtime.publishes(topics.COUPONS_EVENTS, CouponsEvent, "Points granted at confirmation")

app = service_app(runtime, "coupons service")


@app.get("/members/{member_id}/points")
async def member_points(member_id: str) -> dict[str, Any]:
    return await points.member(member_id)


asyncapi = AsyncAPI(runtime.broker, title="coupons service", version="1.0.0",
                    description="Coupons, the max-discount checkout, points")
