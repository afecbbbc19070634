"""The history entry orders' timeline and claims' history share, as stored."""

from __future__ import annotations

from datetime import UTC, datetime

from contracts.envelope import Actor
from kit.timeline import Entry, entry_doc, entry_of

AT = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
SELLER = Actor(kind="seller", id="seller", name="판매자")


def test_an_entry_is_stored_without_a_section_unless_its_owner_adds_one() -> None:
    entry = Entry(AT, SELLER, "section_status", "PREPARING", "READY_TO_SHIP", "", "S-1")

    assert entry_doc(entry) == {"at": AT, "actor": SELLER.model_dump(), "action": "section_status",
                                "before": "PREPARING", "after": "READY_TO_SHIP", "note": ""}
    assert entry_of({**entry_doc(entry), "section_id": "S-1"}) == entry


def test_an_entry_stored_without_a_section_reads_back_with_none() -> None:
    entry = Entry(AT, SELLER, "approved", "REQUESTED", "APPROVED", "ok")

    assert entry_of(entry_doc(entry)) == entry
    assert entry_of(entry_doc(entry)).section_id == ""
