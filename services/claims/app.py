"""Composition root of the claims service: `python -m claims` serves it."""

from __future__ import annotations

from faststream.specification import AsyncAPI

from claims import handlers, repository
from claims.api import router
from claims.service import ClaimsService
from claims.settings import ClaimsSettings
from contracts import topics
from contracts.claims.requests import ClaimSettings
from contracts.claims.v1 import ClaimsEvent
from kit.runtime import Runtime
from kit.web import service_app

settings = ClaimsSettings()
runtime = Runtime("claims", settings)
service = ClaimsService(runtime.store, runtime.clock, ClaimSettings(
    cancel_preparing_requires_approval=settings.cancel_preparing_requires_approval,
    return_fee_one_way=settings.return_fee_one_way,
    return_fee_round_trip=settings.return_fee_round_trip))
handlers.register(runtime.broker, service)
runtime.publishes(topics.CLAIMS_EVENTS, ClaimsEvent,
                  "Claims opened and moved on; refunds requested from the payment partner")
runtime.startup.append(lambda: repository.ensure_indexes(runtime.db))

app = service_app(runtime, "claims service")
app.include_router(router(service))
asyncapi = AsyncAPI(runtime.broker, title="claims service", version="1.0.0",
                    description="Cancel, return and exchange by quantity")
