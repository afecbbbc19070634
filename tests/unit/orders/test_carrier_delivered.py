"""The carrier's DELIVERED (carrier tracking's ParcelDelivered) on the order: a SHIPPING section
with that invoice is delivered, its auto-confirm days starting; anything else changes nothing."""

from __future__ import annotations

from datetime import timedelta

from contracts.envelope import Actor
from contracts.orders.v1 import SectionStatus, SectionStatusChanged
from tests.unit.orders.test_order_state_machine import (
    AUTO_CONFIRM_DAYS,
    LATER,
    SELLER,
    order_in,
    section_id,
)

S = SectionStatus
CARRIER = Actor(kind="system", id="carrier-tracking", name="택배사 배송조회")
INVOICE = "123456789012"  # order_in ships with CJ대한통운 123456789012


def test_a_shipping_section_is_delivered_by_the_carrier_and_its_auto_confirm_starts() -> None:
    order = order_in(S.SHIPPING)
    [event] = order.carrier_delivered(section_id(order), INVOICE, CARRIER, LATER,
                                      AUTO_CONFIRM_DAYS)
    section = order.sections[0]
    assert section.status is S.DELIVERED
    assert section.auto_confirm_at == LATER + timedelta(days=AUTO_CONFIRM_DAYS)
    assert isinstance(event, SectionStatusChanged)
    assert (event.from_status, event.to_status, event.actor) == (S.SHIPPING, S.DELIVERED, CARRIER)
    entry = order.timeline[-1]
    assert (entry.action, entry.before, entry.after, entry.actor) == (
        "section_status", "SHIPPING", "DELIVERED", CARRIER)


def test_a_second_report_a_hand_delivery_or_an_old_invoice_change_nothing() -> None:
    order = order_in(S.SHIPPING)
    sid = section_id(order)
    assert order.carrier_delivered(sid, "999999999999", CARRIER, LATER, AUTO_CONFIRM_DAYS) == []
    assert order.sections[0].status is S.SHIPPING
    assert order.carrier_delivered("nope", INVOICE, CARRIER, LATER, AUTO_CONFIRM_DAYS) == []
    order.change_section(sid, S.DELIVERED, SELLER, LATER, AUTO_CONFIRM_DAYS)
    by_hand = order.sections[0].auto_confirm_at
    steps = len(order.timeline)
    assert order.carrier_delivered(sid, INVOICE, CARRIER, LATER + timedelta(hours=1),
                                   AUTO_CONFIRM_DAYS) == []
    assert order.sections[0].auto_confirm_at == by_hand and len(order.timeline) == steps
    confirmed = order_in(S.CONFIRMED)
    assert confirmed.carrier_delivered(section_id(confirmed), INVOICE, CARRIER, LATER,
                                       AUTO_CONFIRM_DAYS) == []
