"""Composition root of the claims service: `python -m claims` serves it."""

from __future__ import annotations

from typing import Any

from faststream.specification import AsyncAPI

from claims import handlers
from claims.service import ClaimsService
from claims.settings import ClaimsSettings
from kit.runtime import Runtime
from kit.web import service_app

settings = ClaimsSettings()
runtime = Runtime("claims", settings)
service = ClaimsService(runtime.store)
handlers.register(runtime.broker, service)

app = service_app(runtime, "claims service")


@app.get("/orders/{order_id}/claimability")
async def claimability(order_id: str) -> dict[str, Any]:
    return await service.claimability(order_id)


asyncapi = AsyncAPI(runtime.broker, title="claims service", version="1.0.0",
                    description="Cancel, return and exchange by quantity")
