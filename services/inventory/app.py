"""Composition root of the inventory service: `python -m inventory` serves it."""

from __future__ import annotations

from faststream.specification import AsyncAPI

from contracts import topics
from contracts.inventory.v1 import InventoryEvent
from inventory import handlers
from inventory.api import router
from inventory.service import InventoryService, ensure_indexes
from inventory.settings import InventorySettings
from kit.runtime import Runtime
from kit.web import service_app

settings = InventorySettings()
runtime = Runtime("inventory", settings)
service = InventoryService(runtime.store)
handlers.register(runtime.broker, service)
runtime.publishes(topics.INVENTORY_EVENTS, InventoryEvent, "Stock reserved, refused, released, sold")
runtime.startup.append(lambda: ensure_indexes(runtime.db))

app = service_app(runtime, "inventory service")
app.include_router(router(service, settings.low_stock_threshold))
asyncapi = AsyncAPI(runtime.broker, title="inventory service", version="1.0.0",
                    description="Catalogue, SKUs on option combinations, stock and its ledger")
