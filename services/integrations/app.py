"""Composition root of the integrations service: partner webhooks, payments and refunds."""

from __future__ import annotations

from faststream.specification import AsyncAPI

from contracts import topics
from contracts.integrations.v1 import IntegrationsEvent
from integrations import pg, refunds, webhooks
from integrations.settings import IntegrationsSettings
from kit.runtime import Runtime
from kit.web import service_app

settings = IntegrationsSettings()
runtime = Runtime("integrations", settings)
runtime.publishes(topics.INTEGRATIONS_EVENTS, IntegrationsEvent,
                  "Payments confirmed by partners (verified webhooks); refund results")
refunds.register(runtime.broker, runtime.store, settings)

app = service_app(runtime, "integrations service", open_prefixes=("/webhooks/",))
app.include_router(webhooks.router(runtime.store, settings.pg_webhook_secret))
app.include_router(pg.router(settings))
asyncapi = AsyncAPI(runtime.broker, title="integrations service", version="1.0.0",
                    description="PG, simple pay, PayPal and Goodsflow partners")
