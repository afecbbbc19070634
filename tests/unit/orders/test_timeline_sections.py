"""Timeline entries of a section's move say which section moved, in the stored order and on the
order page's history (처리 이력)."""

from __future__ import annotations

import re

from contracts.orders.v1 import ItemQty, SectionStatus
from gateway.i18n import translator
from gateway.web import TEMPLATES
from orders.domain import Order
from orders.repository import from_doc, to_doc
from tests.unit.orders.test_order_state_machine import BUYER_ACTOR, LATER, place
from tests.unit.orders.test_split_merge import NOW, SELLER, paid_order

S = SectionStatus
FIRST, SECOND = "20261126-000001-1", "20261126-000001-2"


def split_and_move_one() -> Order:
    order = paid_order()
    order.split_section(FIRST, [ItemQty(line_id="L2", quantity=2)], SELLER, NOW)
    order.change_section(SECOND, S.READY_TO_SHIP, SELLER, NOW, 7)
    return order


def moves(order: Order) -> list[tuple[str, str, str]]:
    return [(t.section_id, t.before, t.after) for t in order.timeline
            if t.action == "section_status"]


def test_each_status_entry_names_the_section_that_moved() -> None:
    order = split_and_move_one()

    assert moves(order) == [(FIRST, "PAYMENT_PENDING", "PREPARING"),
                            (SECOND, "PREPARING", "READY_TO_SHIP")]


def test_a_cancellation_names_the_section_it_cancels() -> None:
    order = place()
    order.cancel("단순 변심", BUYER_ACTOR, LATER)

    assert moves(order) == [(f"{order.order_no}-1", "PAYMENT_PENDING", "CANCELLED")]


def test_the_section_survives_storage_and_older_entries_without_one_still_load() -> None:
    order = split_and_move_one()
    doc = to_doc(order)

    assert moves(from_doc(doc)) == moves(order)
    for t in doc["timeline"]:
        del t["section_id"]
    assert {s for s, _, _ in moves(from_doc(doc))} == {""}


def test_the_order_page_history_shows_the_section_of_each_move_in_korean() -> None:
    order = split_and_move_one()

    html = TEMPLATES["ko"].env.get_template("_timeline.html").render(
        order=to_doc(order), t=translator("ko"), buyer_view=False)

    entries = re.findall(r'<li class="section_status"[^>]*data-after="([A-Z_]+)".*?</li>', html,
                         re.S)
    assert entries == ["READY_TO_SHIP", "PREPARING"]  # newest first
    shown = re.findall(r'<li class="section_status".*?data-section="([^"]+)">([^<]*)<span '
                       r'class="tnum">([^<]+)</span>', html, re.S)
    assert shown == [(SECOND, "배송 묶음 ", SECOND), (FIRST, "배송 묶음 ", FIRST)]
