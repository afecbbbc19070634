"""Composition root of the inventory service: `python -m inventory` serves it."""

from __future__ import annotations

from faststream.specification import AsyncAPI

from contracts import topics
from contracts.inventory.v1 import InventoryEvent
from inventory import handlers, migrate, stock
from inventory.api import router
from inventory.products import Catalogue
from inventory.settings import InventorySettings
from inventory.stock import Stock
from kit.runtime import Runtime
from kit.web import service_app

settings = InventorySettings()
runtime = Runtime("inventory", settings)
handlers.register(runtime.broker, runtime.store)
runtime.publishes(topics.INVENTORY_EVENTS, InventoryEvent,
                  "Stock reserved, refused, released, sold, restocked; exchange reservations")
runtime.startup.append(lambda: stock.ensure_indexes(runtime.db))
runtime.startup.append(lambda: migrate.number_old_ledgers(runtime.db))
runtime.startup.append(lambda: migrate.give_plain_products_options(runtime.db))

app = service_app(runtime, "inventory service")
app.include_router(router(Catalogue(runtime.store), Stock(runtime.store),
                          settings.low_stock_threshold))
asyncapi = AsyncAPI(runtime.broker, title="inventory service", version="1.0.0",
                    description="Catalogue, SKUs on option combinations, stock and its ledger")
