"""Money the order refused: a payment the PG confirmed that the order cannot take (a deposit
after the deadline cancelled it, a second payment, a wrong amount) is kept on the order as a
payment to refund, shown to the seller until it is refunded (by hand, to the depositor's
account). Pure, like domain.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from contracts.envelope import Actor, Event
from contracts.orders.v1 import PaymentRefused, RefusedPaymentRefunded
from kit.errors import DomainError, InvalidInput, NotFound
from orders.domain import Order

TO_REFUND = "TO_REFUND"  # received, refused, not yet given back
REFUNDED = "REFUNDED"  # given back (by hand: bank + account recorded)


@dataclass
class RefusedPayment:
    payment_id: str  # RP1, RP2, ... within the order
    partner: str
    partner_tx_id: str
    method: str
    amount: int  # KRW received
    reason: str  # why the order refused it
    received_at: datetime
    status: str = TO_REFUND
    refunded_at: datetime | None = None
    refund: dict[str, str] = field(default_factory=dict)  # bank, account, holder, note, by
    why: dict[str, Any] | None = None  # the refusal's key and params, for the pages


def to_doc(p: RefusedPayment) -> dict[str, Any]:
    return {"payment_id": p.payment_id, "partner": p.partner, "partner_tx_id": p.partner_tx_id,
            "method": p.method, "amount": p.amount, "reason": p.reason, "why": p.why,
            "received_at": p.received_at, "status": p.status, "refunded_at": p.refunded_at,
            "refund": p.refund}


def from_doc(d: dict[str, Any]) -> RefusedPayment:
    return RefusedPayment(**d)


def refuse(order: Order, partner: Actor, partner_tx_id: str, method: str, amount: int,
           reason: str, now: datetime, why: dict[str, Any] | None = None) -> list[Event]:
    """Keep a payment the order refused: on the timeline, and (when money came) as a payment
    to refund. The same partner transaction is kept once."""
    if any(p.partner_tx_id == partner_tx_id for p in order.refused_payments):
        return []
    order.record(partner, "payment_refused", f"{partner_tx_id}: {reason}", now, why=why)
    if amount <= 0:
        return []
    payment = RefusedPayment(f"RP{len(order.refused_payments) + 1}", partner.id, partner_tx_id,
                             method, amount, reason, now, why=why)
    order.refused_payments = [*order.refused_payments, payment]
    return [PaymentRefused(key=order.order_id, order_id=order.order_id, order_no=order.order_no,
                           payment_id=payment.payment_id, partner=partner.id,
                           partner_tx_id=partner_tx_id, method=method, amount=amount,
                           reason=reason)]


def refunded_by_hand(order: Order, payment_id: str, bank: str, account: str, holder: str,
                     note: str, actor: Actor, now: datetime) -> list[Event]:
    payment = next((p for p in order.refused_payments if p.payment_id == payment_id), None)
    if payment is None:
        raise NotFound("payment to refund",
                       message="payment to refund {payment_id} of order {order_no} not found",
                       key="refund_payment_not_found", payment_id=payment_id,
                       order_no=order.order_no)
    if payment.status == REFUNDED:
        raise DomainError("already_refunded", "payment {payment_id} of order {order_no} was "
                          "already refunded", payment_id=payment_id, order_no=order.order_no)
    if not (bank.strip() and account.strip()):
        raise InvalidInput("account_required", "give the bank and the account refunded to")
    payment.status, payment.refunded_at = REFUNDED, now
    payment.refund = {"bank": bank.strip(), "account": account.strip(), "holder": holder.strip(),
                      "note": note.strip(), "by": actor.id}
    order._log(now, actor, "payment_refunded", TO_REFUND, REFUNDED,
               " ".join(x for x in (f"{payment.amount}", payment.refund["bank"],
                                    payment.refund["account"], payment.refund["holder"],
                                    payment.refund["note"]) if x))
    return [RefusedPaymentRefunded(key=order.order_id, order_id=order.order_id,
                                   order_no=order.order_no, payment_id=payment_id,
                                   amount=payment.amount, by_hand=True, actor=actor)]
