"""송장 변경: the carrier and invoice number of a SHIPPING section are corrected (order side)."""

from __future__ import annotations

import pytest

from contracts.claims.v1 import ClaimItem, ClaimKind
from contracts.orders.v1 import Channel, InvoiceChanged, PaymentMethod, SectionStatus
from kit.errors import InvalidInput
from orders.claims import open_claim
from orders.domain import Order
from orders.repository import from_doc, to_doc
from tests.unit.orders.test_order_state_machine import (
    AUTO_CONFIRM_DAYS,
    BUYER_ACTOR,
    LATER,
    PAID_AMOUNT,
    PG,
    SELLER,
    assert_refused_and_unchanged,
    order_in,
    place,
    section_id,
)

S = SectionStatus


def shipping() -> Order:
    order = order_in(S.SHIPPING)  # shipped with CJ대한통운 123456789012
    assert (order.sections[0].carrier, order.sections[0].invoice_no) == ("CJ대한통운", "123456789012")
    return order


def test_a_shipping_sections_invoice_is_changed_on_the_section_the_timeline_and_an_event() -> None:
    order = shipping()
    version, status_changed_at = order.version, order.sections[0].status_changed_at
    [event] = order.change_invoice(section_id(order), " 한진택배 ", " 4567-8901 ", SELLER, LATER)
    section = order.sections[0]
    assert (section.status, section.carrier, section.invoice_no) == (S.SHIPPING, "한진택배",
                                                                     "4567-8901")
    assert section.status_changed_at == status_changed_at  # the status did not move
    assert isinstance(event, InvoiceChanged)
    assert event.key == order.order_id and event.section_id == section.section_id
    assert (event.carrier, event.invoice_no) == ("한진택배", "4567-8901")
    assert (event.previous_carrier, event.previous_invoice_no) == ("CJ대한통운", "123456789012")
    assert [(i.line_id, i.quantity) for i in event.items] == [("L1", 2), ("L2", 3)]
    assert event.actor == SELLER
    entry = order.timeline[-1]
    assert (entry.action, entry.before, entry.after, entry.section_id, entry.actor) == (
        "invoice_changed", "CJ대한통운 123456789012", "한진택배 4567-8901", section.section_id,
        SELLER)
    assert order.version == version  # the repository moves it on save
    stored = from_doc(to_doc(order))
    assert (stored.sections[0].carrier, stored.sections[0].invoice_no) == ("한진택배", "4567-8901")
    assert stored.timeline[-1].action == "invoice_changed"


def test_changing_only_the_number_or_only_the_carrier_is_a_change() -> None:
    order = shipping()
    sid = section_id(order)
    order.change_invoice(sid, "CJ대한통운", "999988887777", SELLER, LATER)
    order.change_invoice(sid, "롯데택배", "999988887777", SELLER, LATER)
    assert [(e.before, e.after) for e in order.timeline if e.action == "invoice_changed"] == [
        ("CJ대한통운 123456789012", "CJ대한통운 999988887777"),
        ("CJ대한통운 999988887777", "롯데택배 999988887777")]


@pytest.mark.parametrize("status", [S.PAYMENT_PENDING, S.PREPARING, S.READY_TO_SHIP, S.DELIVERED,
                                    S.CONFIRMED])
def test_a_section_not_shipping_refuses_an_invoice_change_naming_its_status(
        status: SectionStatus) -> None:
    order = order_in(status)
    refused = assert_refused_and_unchanged(
        order, lambda: order.change_invoice(section_id(order), "한진택배", "45678901", SELLER,
                                            LATER), status.value)
    assert refused.key == "invoice_change_not_shipping"
    assert refused.params == {"section_id": section_id(order), "status": status.value}


def test_a_cancelled_order_refuses_an_invoice_change() -> None:
    order = order_in(S.CANCELLED)
    assert_refused_and_unchanged(
        order, lambda: order.change_invoice(section_id(order), "한진택배", "45678901", SELLER,
                                            LATER), "CANCELLED")


@pytest.mark.parametrize(("carrier", "invoice_no", "key", "field"), [
    ("", "45678901", "field_required", "carrier"),
    ("한진택배", "  ", "field_required", "invoice_no"),
    ("DHL", "45678901", "invoice_unknown_carrier", "carrier"),
    ("한진택배", "12", "invoice_bad_number", "invoice_no"),
    ("한진택배", "4567 8901", "invoice_bad_number", "invoice_no"),
    ("한진택배", "송장4567", "invoice_bad_number", "invoice_no"),
])
def test_a_missing_or_malformed_carrier_or_invoice_is_refused_naming_the_field(
        carrier: str, invoice_no: str, key: str, field: str) -> None:
    order = shipping()
    refused = assert_refused_and_unchanged(
        order, lambda: order.change_invoice(section_id(order), carrier, invoice_no, SELLER, LATER),
        field, error=InvalidInput)
    assert (refused.status_code, refused.key, refused.params["field"]) == (400, key, field)


def test_the_same_carrier_and_invoice_as_now_is_refused_as_unchanged() -> None:
    order = shipping()
    refused = assert_refused_and_unchanged(
        order, lambda: order.change_invoice(section_id(order), "CJ대한통운", " 123456789012 ",
                                            SELLER, LATER), "already ships with")
    assert (refused.status_code, refused.key) == (409, "invoice_unchanged")


def test_a_section_under_a_claim_refuses_an_invoice_change() -> None:
    order = shipping()
    sid = section_id(order)
    open_claim(order, "C1", ClaimKind.RETURN, f"{sid}-C1",
               [ClaimItem(section_id=sid, line_id="L1", sku_id="P1-BK-M", quantity=2),
                ClaimItem(section_id=sid, line_id="L2", sku_id="P2-0", quantity=3)],
               BUYER_ACTOR, LATER)
    [claimed] = order.sections
    assert claimed.claim is not None and claimed.status is S.SHIPPING
    refused = assert_refused_and_unchanged(
        order, lambda: order.change_invoice(claimed.section_id, "한진택배", "45678901", SELLER,
                                            LATER), "RETURN claim C1")
    assert refused.key == "section_in_claim"


def test_an_unknown_section_is_refused() -> None:
    order = shipping()
    refused = assert_refused_and_unchanged(
        order, lambda: order.change_invoice("nope-9", "한진택배", "45678901", SELLER, LATER))
    assert refused.key == "section_not_in_order"


def test_a_simple_pay_order_changes_its_invoice_too() -> None:
    """Integrations sends the corrected invoice to the partner (dispatch again)."""
    order = place(PaymentMethod.CARD, Channel.NAVERPAY)
    order.stock_reserved(LATER)
    order.confirm_payment(PAID_AMOUNT, PG, LATER)
    order.ship(section_id(order), "CJ대한통운", "123456789012", SELLER, LATER, AUTO_CONFIRM_DAYS)
    [event] = order.change_invoice(section_id(order), "한진택배", "45678901", SELLER, LATER)
    assert isinstance(event, InvoiceChanged)
    assert (event.previous_invoice_no, event.invoice_no) == ("123456789012", "45678901")


def test_the_invoice_rule_is_the_one_invoice_spreadsheets_are_held_to() -> None:
    from orders import domain, invoice_uploads

    assert invoice_uploads.INVOICE is domain.INVOICE
