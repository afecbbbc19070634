"""The entry shape of every aggregate's history (an order's timeline, a claim's history). Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from contracts.envelope import Actor


@dataclass
class Entry:
    at: datetime
    actor: Actor
    action: str
    before: str = ""
    after: str = ""
    note: str = ""
    section_id: str = ""  # the order section the entry is about (status moves, claims), if one
    # A refusal the entry records, as its key and params (kit.errors): the note holds its
    # English message, the pages translate this.
    why: dict[str, Any] | None = None


def entry_doc(e: Entry) -> dict[str, Any]:
    """As stored; `section_id` is the caller's to add where its documents carry it."""
    doc = {"at": e.at, "actor": e.actor.model_dump(), "action": e.action, "before": e.before,
           "after": e.after, "note": e.note}
    if e.why:
        doc["why"] = e.why
    return doc


def entry_of(d: dict[str, Any]) -> Entry:
    return Entry(d["at"], Actor.model_construct(**d["actor"]), d["action"], d["before"],
                 d["after"], d["note"], d.get("section_id", ""), d.get("why"))
