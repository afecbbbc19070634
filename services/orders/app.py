"""Composition root of the orders service: `python -m orders` serves it."""

from __future__ import annotations

from faststream.specification import AsyncAPI

from contracts import topics
from contracts.orders.v1 import OrdersEvent
from kit.runtime import Runtime
from kit.web import service_app
from orders import bulk, handlers, invoice_uploads, listing, repository, scheduler
from orders.api import router
from orders.bulk import BulkJobs
from orders.bulk_api import router as bulk_router
from orders.list_barrier import ListBarrier
from orders.service import OrderService, ShopSettings
from orders.settings import OrdersSettings

settings = OrdersSettings()
runtime = Runtime("orders", settings)
service = OrderService(
    runtime.store,
    runtime.clock,
    ShopSettings(auto_confirm_days=settings.auto_confirm_days,
                 deposit_deadline_days=settings.deposit_deadline_days,
                 shipping_fee=settings.shipping_fee,
                 free_shipping_over=settings.free_shipping_over),
)
handlers.register(runtime.broker, service)
runtime.publishes(topics.ORDERS_EVENTS, OrdersEvent, "Order placed, paid, moved, confirmed, cancelled")
runtime.startup.append(lambda: repository.ensure_indexes(runtime.db))
runtime.startup.append(lambda: listing.ensure_indexes(runtime.db))
runtime.background.append(lambda: scheduler.loop(service, settings.scheduler_interval_seconds))

jobs = BulkJobs(service, ListBarrier(runtime.db, settings.kafka_bootstrap_servers))
runtime.startup.append(lambda: bulk.ensure_indexes(runtime.db))
runtime.startup.append(lambda: invoice_uploads.ensure_indexes(runtime.db))
runtime.background.append(jobs.run)

app = service_app(runtime, "orders service")
app.include_router(router(service))
app.include_router(bulk_router(jobs))
app.include_router(invoice_uploads.router(invoice_uploads.InvoiceUploads(jobs)))
asyncapi = AsyncAPI(runtime.broker, title="orders service", version="1.0.0",
                    description="Order aggregate: placement, payment, fulfilment, confirmation")
