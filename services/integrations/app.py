"""Composition root of the integrations service: partner webhooks, payments and refunds, the
Naver Pay channel, PayPal, durable outbound partner calls, carrier tracking."""

from __future__ import annotations

from faststream.specification import AsyncAPI

from contracts import topics
from contracts.integrations.v1 import IntegrationsEvent
from integrations import (
    channel_claims,
    channel_sync,
    partner_tasks,
    paypal,
    pg,
    refunds,
    tracking,
    webhooks,
)
from integrations.settings import IntegrationsSettings
from kit.runtime import Runtime
from kit.web import service_app

settings = IntegrationsSettings()
runtime = Runtime("integrations", settings)
runtime.publishes(topics.INTEGRATIONS_EVENTS, IntegrationsEvent,
                  "Payments confirmed by partners (verified webhooks); refund results; "
                  "simple-pay orders and what their partner reports; parcels the carrier "
                  "delivered")
refunds.register(runtime.broker, runtime.store, settings)
tasks = partner_tasks.PartnerTasks(runtime.store, runners={})
channels = [channel_sync.ChannelSync(runtime.store, channel(settings), tasks)
            for channel, on in ((channel_sync.naverpay_channel, settings.naverpay_enabled),
                                (channel_sync.talkcheckout_channel, settings.talkcheckout_enabled))
            if on]
for sync in channels:
    sync.register(runtime.broker)
    channel_claims.ChannelClaims(sync).register(runtime.broker)
    runtime.startup.append(sync.ensure_indexes)
    runtime.background.append(sync.run)
paypal_partner = (paypal.PayPal(runtime.store, settings, tasks) if settings.paypal_enabled
                  else None)
if paypal_partner is not None:
    paypal_partner.register(runtime.broker)
    runtime.startup.append(paypal_partner.ensure_indexes)
    runtime.background.append(paypal_partner.run)
tracker = tracking.Tracking(runtime.store, settings, runtime.clock, tasks)
tracker.register(runtime.broker)
runtime.startup.append(tracker.ensure_indexes)
runtime.background.append(tracker.run)
runtime.startup.append(tasks.ensure_indexes)
runtime.background.append(tasks.run)

app = service_app(runtime, "integrations service", open_prefixes=("/webhooks/",))
app.include_router(webhooks.router(runtime.store, settings.pg_webhook_secret))
app.include_router(pg.router(settings))
app.include_router(paypal.router(paypal_partner))
app.include_router(channel_sync.router(channels))
app.include_router(partner_tasks.router(tasks))
app.include_router(tracking.router(tracker))
asyncapi = AsyncAPI(runtime.broker, title="integrations service", version="1.0.0",
                    description="PG, simple pay, PayPal and Goodsflow partners")
