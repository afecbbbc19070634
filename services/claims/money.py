"""Refund arithmetic (SPEC §2, §5). Pure, integer KRW.

Invariants, whatever sequence of partial claims runs on an order:
- the discount deducted for a line is cumulative: after n of Q units are refunded it is exactly
  floor(allocation × n / Q), so it reaches the whole allocation with the last unit;
- the payment part is cumulative too: floor(refunded × paid / (paid + points)), so the payment
  and the points are refunded pro rata and each ends exactly at what was spent;
- nothing is refunded beyond paid + points − already refunded, and nothing is ever negative.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from contracts.claims.v1 import ClaimKind, ReasonCode


@dataclass(frozen=True)
class Line:
    unit_price: int
    quantity: int
    allocation: int = 0  # order-level discounts allocated to this line at placement


@dataclass(frozen=True)
class OrderMoney:
    """An order's money as placed."""

    lines: dict[str, Line]
    shipping_fee: int
    paid_amount: int  # to the payment (card, bank transfer)
    points_used: int = 0

    @property
    def spent(self) -> int:
        """Everything the buyer gave: payment and points."""
        return self.paid_amount + self.points_used

    @property
    def shipping_paid(self) -> int:
        """The shipping the buyer really paid (after any shipping coupon): what is left of the
        spend once the lines' net amounts are taken out."""
        items_net = sum(x.unit_price * x.quantity - x.allocation for x in self.lines.values())
        return max(0, min(self.shipping_fee, self.spent - items_net))

    @property
    def units(self) -> int:
        return sum(x.quantity for x in self.lines.values())


@dataclass(frozen=True)
class Ledger:
    """What was already given back on one order."""

    units: dict[str, int] = field(default_factory=dict)  # refunded units per line
    discount: dict[str, int] = field(default_factory=dict)  # discount deducted per line so far
    cancelled: dict[str, int] = field(default_factory=dict)  # cancelled units per line
    refunded: int = 0  # payment + points
    payment: int = 0
    points: int = 0
    shipping_refunded: bool = False


@dataclass(frozen=True)
class Fees:
    """Return/exchange shipping charged to a buyer at fault (settings)."""

    one_way: int = 3000
    round_trip: int = 6000


def claim_fee(kind: ClaimKind, reason: ReasonCode, money: OrderMoney, fees: Fees) -> int:
    """Only a buyer at fault (change of mind) pays. A return costs one way when the buyer paid
    the original shipping, else the round trip (free shipping, even by coupon, never covers it);
    an exchange always travels both ways."""
    if kind is ClaimKind.CANCEL or reason is not ReasonCode.CHANGE_OF_MIND:
        return 0
    if kind is ClaimKind.EXCHANGE:
        return fees.round_trip
    return fees.one_way if money.shipping_paid > 0 else fees.round_trip


@dataclass(frozen=True)
class Quote:
    items: int = 0  # unit prices of the claimed units
    discount: int = 0  # their share of the allocated discounts
    shipping: int = 0  # original shipping given back (every unit cancelled before shipping)
    difference: int = 0  # exchange: (replacement − original price) × units; > 0 the buyer pays
    fee: int = 0  # return/exchange shipping charged
    fee_deducted: int = 0  # part of the fee taken from the refund
    refund: int = 0  # payment + points
    payment: int = 0
    points: int = 0
    due: int = 0  # what the buyer pays separately (fee, price difference)
    discount_by_line: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in (
            "items", "discount", "shipping", "difference", "fee", "fee_deducted", "refund",
            "payment", "points", "due")}


class TooManyUnits(ValueError):
    """A claim of more units of a line than the line has left."""

    TEMPLATE = "line {line_id}: {quantity} more units than the line holds"

    def __init__(self, line_id: str, quantity: int) -> None:
        self.line_id, self.quantity = line_id, quantity
        super().__init__(self.TEMPLATE.format(line_id=line_id, quantity=quantity))


def quote(money: OrderMoney, ledger: Ledger, kind: ClaimKind, units: dict[str, int], *,
          paid: bool, fee: int = 0, deduct_fee: bool = True,
          new_prices: dict[str, int] | None = None) -> Quote:
    """What a claim of `units` (line id → quantity) gives back, given what was given back
    already. `new_prices`: exchange, the replacement's unit price per line."""
    for line_id, n in units.items():
        line = money.lines[line_id]
        done = ledger.cancelled.get(line_id, 0) if kind is ClaimKind.CANCEL else 0
        if n < 0 or ledger.units.get(line_id, 0) + n > line.quantity or done + n > line.quantity:
            raise TooManyUnits(line_id, n)
    if not paid:
        return Quote()
    items = discount = difference = shipping = 0
    by_line: dict[str, int] = {}
    if kind is ClaimKind.EXCHANGE:
        for line_id, n in units.items():
            new = (new_prices or {}).get(line_id, money.lines[line_id].unit_price)
            difference += (new - money.lines[line_id].unit_price) * n
        gross = -difference
    else:
        for line_id, n in units.items():
            line = money.lines[line_id]
            before = ledger.units.get(line_id, 0)
            share = line.allocation * (before + n) // line.quantity - ledger.discount.get(line_id, 0)
            items += line.unit_price * n
            discount += share
            by_line[line_id] = share
        if kind is ClaimKind.CANCEL and not ledger.shipping_refunded:
            cancelled = sum(ledger.cancelled.values()) + sum(units.values())
            if cancelled == money.units:
                shipping = money.shipping_paid
        gross = items - discount + shipping
    # The fee comes off the refund as far as the refund goes; the rest is due separately.
    fee_deducted = min(fee, max(0, gross)) if deduct_fee else 0
    net = gross - fee_deducted
    due = fee - fee_deducted + max(0, -net)
    net = max(0, min(net, money.spent - ledger.refunded))
    payment, points = split(money, ledger, net)
    return Quote(items=items, discount=discount, shipping=shipping, difference=difference, fee=fee,
                 fee_deducted=fee_deducted, refund=net, payment=payment, points=points, due=due,
                 discount_by_line=by_line)


def split(money: OrderMoney, ledger: Ledger, amount: int) -> tuple[int, int]:
    """Pro rata between the payment and the points, cumulative over the order's refunds."""
    if money.spent == 0 or amount == 0:
        return 0, 0
    total = ledger.refunded + amount
    payment = total * money.paid_amount // money.spent - ledger.payment
    payment = max(0, min(payment, amount, money.paid_amount - ledger.payment))
    points = amount - payment
    if points > money.points_used - ledger.points:  # never more points than were spent
        points = max(0, money.points_used - ledger.points)
        payment = amount - points
    return payment, points


def apply(ledger: Ledger, kind: ClaimKind, units: dict[str, int], q: Quote) -> Ledger:
    """The ledger once `q` is given back (and, for a cancel, the units counted cancelled)."""
    refunded_units = dict(ledger.units)
    discount = dict(ledger.discount)
    cancelled = dict(ledger.cancelled)
    for line_id, share in q.discount_by_line.items():  # refunded lines (paid orders only)
        refunded_units[line_id] = refunded_units.get(line_id, 0) + units[line_id]
        discount[line_id] = discount.get(line_id, 0) + share
    if kind is ClaimKind.CANCEL:
        for line_id, n in units.items():
            cancelled[line_id] = cancelled.get(line_id, 0) + n
    return replace(ledger, units=refunded_units, discount=discount, cancelled=cancelled,
                   refunded=ledger.refunded + q.refund, payment=ledger.payment + q.payment,
                   points=ledger.points + q.points,
                   shipping_refunded=ledger.shipping_refunded or q.shipping > 0)
