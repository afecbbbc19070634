"""Tiny in-memory stand-ins for the MongoDB parts unit tests touch (no server, no network).

Only the calls the code under test makes are implemented; anything else fails loudly.
"""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from pymongo.errors import DuplicateKeyError

from contracts.envelope import Event
from kit.store import Tx

T = TypeVar("T")


class FakeCollection:
    def __init__(self, name: str) -> None:
        self.name = name
        self.docs: dict[Any, dict[str, Any]] = {}
        self.auto_id = 0

    async def insert_one(self, doc: dict[str, Any], session: object = None) -> None:
        if "_id" not in doc:
            self.auto_id += 1
            doc = {"_id": f"{self.name}-{self.auto_id}", **doc}
        if doc["_id"] in self.docs:
            raise DuplicateKeyError(f"E11000 duplicate key {self.name} {doc['_id']}")
        self.docs[doc["_id"]] = copy.deepcopy(doc)

    async def find_one(self, query: dict[str, Any], session: object = None) -> dict[str, Any] | None:
        if set(query) != {"_id"}:
            if any(isinstance(v, dict) for v in query.values()):
                raise NotImplementedError(query)
            # Plain equality on other fields (a scan: the fakes hold a few rows).
            found = next((d for d in self.docs.values()
                          if all(d.get(k) == v for k, v in query.items())), None)
            return copy.deepcopy(found) if found is not None else None
        found = self.docs.get(query["_id"])
        return copy.deepcopy(found) if found is not None else None

    async def replace_one(self, query: dict[str, Any], doc: dict[str, Any], upsert: bool = False,
                          session: object = None) -> None:
        if set(query) != {"_id"} or (query["_id"] not in self.docs and not upsert):
            raise NotImplementedError(query)
        self.docs[query["_id"]] = copy.deepcopy({**doc, "_id": query["_id"]})

    async def find_one_and_update(self, query: dict[str, Any], update: dict[str, Any],
                                  upsert: bool = False, return_document: object = None,
                                  session: object = None) -> dict[str, Any] | None:
        if set(query) != {"_id"} or set(update) != {"$inc"}:
            raise NotImplementedError((query, update))
        doc = self.docs.get(query["_id"])
        if doc is None:
            if not upsert:
                return None
            doc = self.docs[query["_id"]] = {"_id": query["_id"]}
        for field, delta in update["$inc"].items():
            doc[field] = doc.get(field, 0) + delta
        return copy.deepcopy(doc)


class FakeDb:
    def __init__(self) -> None:
        self.collections: dict[str, FakeCollection] = {}

    def __getattr__(self, name: str) -> FakeCollection:
        if name.startswith("_"):
            raise AttributeError(name)
        return self.collections.setdefault(name, FakeCollection(name))


class FakeStore:
    """Store.transaction with all-or-nothing semantics over FakeDb; keeps what was emitted."""

    def __init__(self, producer: str) -> None:
        self.db = FakeDb()
        self.producer = producer
        self.committed: list[Event] = []

    async def transaction(self, work: Callable[[Tx], Awaitable[T]]) -> T:
        saved = copy.deepcopy(self.db.collections)
        tx = Tx(None, self.db, self.producer)  # type: ignore[arg-type]
        try:
            result = await work(tx)
        except BaseException:
            self.db.collections = saved
            raise
        self.committed.extend(tx.events)
        return result
