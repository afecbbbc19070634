"""Composition of a service: Kafka broker, MongoDB store, outbox relay, background jobs, HTTP."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import asynccontextmanager, suppress
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from faststream.kafka import KafkaBroker
from pymongo import AsyncMongoClient

from contracts import topics
from kit import logs
from kit.clock import Clock
from kit.outbox import OutboxRelay
from kit.settings import ServiceSettings
from kit.store import Store

log = logging.getLogger("kit.runtime")
PARTITIONS = 6


class Runtime:
    """Everything one service process holds; built once by the service's app module."""

    def __init__(self, name: str, settings: ServiceSettings) -> None:
        logs.configure(name, settings.log_level)
        self.name = name
        self.settings = settings
        self.clock = Clock()
        self.broker = KafkaBroker(
            settings.kafka_bootstrap_servers,
            client_id=name,
            enable_idempotence=True,
            logger=logging.getLogger(f"{name}.broker"),
        )
        self.client: AsyncMongoClient[Any] = AsyncMongoClient(
            settings.mongodb_url, tz_aware=True, uuidRepresentation="standard"
        )
        self.store = Store(self.client, name, name)
        self.relay = OutboxRelay(self.store, self.broker, settings.outbox_poll_seconds)
        self.startup: list[Callable[[], Awaitable[object]]] = []  # what a step answers is dropped
        self.background: list[Callable[[], Coroutine[Any, Any, None]]] = [self.relay.run]
        self.ready = False

    def publishes(self, topic: str, schema: Any, description: str) -> None:
        """Declare what the outbox relay publishes, so the AsyncAPI document shows it."""
        self.broker.publisher(topic, schema=schema, description=description)

    @property
    def db(self) -> Any:
        return self.store.db

    async def ensure_topics(self) -> None:
        admin = AIOKafkaAdminClient(bootstrap_servers=self.settings.kafka_bootstrap_servers)
        await admin.start()
        try:
            existing = set(await admin.list_topics())
            missing = [t for t in topics.ALL if t not in existing]
            if missing:
                with suppress(TopicAlreadyExistsError):
                    await admin.create_topics(
                        [NewTopic(t, PARTITIONS, 1) for t in missing], validate_only=False
                    )
        finally:
            await admin.close()

    @asynccontextmanager
    async def lifespan(self, _app: object = None) -> AsyncIterator[None]:
        await self.db.processed_events.find_one()  # fail fast when MongoDB is not reachable
        if self.settings.allow_clock_control:
            moved = await self.db.test_clock.find_one({"_id": "clock"})
            if moved:
                self.clock.advance(moved["offset_seconds"])
        await self.ensure_topics()
        for step in self.startup:
            await step()
        await self.broker.start()
        tasks = [asyncio.create_task(job(), name=job.__qualname__) for job in self.background]
        self.ready = True
        log.info("%s started", self.name)
        try:
            yield
        finally:
            self.ready = False
            for task in tasks:
                task.cancel()
            for task in tasks:
                with suppress(asyncio.CancelledError, Exception):
                    await task
            await self.broker.stop()
            await self.client.close()
