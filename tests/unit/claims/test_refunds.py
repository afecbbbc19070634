"""Refund arithmetic (SPEC §2, §5): exact integer KRW, never more than was paid."""

from __future__ import annotations

import pytest

from claims.money import Fees, Ledger, Line, OrderMoney, apply, claim_fee, quote
from contracts.claims.v1 import ClaimKind, ReasonCode
from kit.money import allocate

K, R = ClaimKind, ReasonCode
FEES = Fees(one_way=3000, round_trip=6000)


def order(lines: dict[str, tuple[int, int]], discount: int = 0, shipping: int = 3000,
          points: int = 0, shipping_discount: int = 0) -> OrderMoney:
    alloc = allocate(discount, {k: p * q for k, (p, q) in lines.items()})
    items = sum(p * q for p, q in lines.values())
    spent = items + shipping - shipping_discount - discount
    return OrderMoney(lines={k: Line(p, q, alloc[k]) for k, (p, q) in lines.items()},
                      shipping_fee=shipping, paid_amount=spent - points, points_used=points)


def settle(money: OrderMoney, ledger: Ledger, kind: ClaimKind, units: dict[str, int],
           **kw: object) -> tuple[Ledger, int]:
    q = quote(money, ledger, kind, units, paid=True, **kw)  # type: ignore[arg-type]
    return apply(ledger, kind, units, q), q.refund


def test_cancelling_every_unit_before_shipping_gives_back_everything_including_shipping() -> None:
    money = order({"L1": (10000, 2), "L2": (5500, 3)}, discount=1000, points=2000)
    q = quote(money, Ledger(), K.CANCEL, {"L1": 2, "L2": 3}, paid=True)

    assert q.shipping == 3000
    assert q.refund == money.paid_amount + money.points_used
    assert (q.payment, q.points) == (money.paid_amount, 2000)


def test_a_partial_return_refunds_unit_prices_less_their_share_of_the_discount() -> None:
    money = order({"L1": (10000, 5)}, discount=1001, shipping=0)  # allocation 1001 on 5 units
    q = quote(money, Ledger(), K.RETURN, {"L1": 2}, paid=True, fee=0)

    assert (q.items, q.discount, q.refund) == (20000, 1001 * 2 // 5, 20000 - 400)


def test_several_partial_claims_of_one_line_add_up_to_exactly_what_the_line_cost() -> None:
    money = order({"L1": (9990, 7)}, discount=1003, shipping=0)
    ledger, refunds = Ledger(), []
    for n in (2, 1, 3, 1):
        ledger, refund = settle(money, ledger, K.RETURN, {"L1": n})
        refunds.append(refund)

    assert sum(refunds) == 9990 * 7 - 1003 == money.paid_amount
    assert ledger.discount == {"L1": 1003} and ledger.units == {"L1": 7}


def test_shipping_comes_back_only_with_the_last_cancelled_unit() -> None:
    money = order({"L1": (10000, 3)})
    ledger, first = settle(money, Ledger(), K.CANCEL, {"L1": 1})
    ledger, last = settle(money, ledger, K.CANCEL, {"L1": 2})

    assert (first, last) == (10000, 23000)
    assert ledger.shipping_refunded


def test_no_shipping_comes_back_when_some_units_were_returned_rather_than_cancelled() -> None:
    money = order({"L1": (10000, 3)})
    ledger, _ = settle(money, Ledger(), K.RETURN, {"L1": 1})
    _, refund = settle(money, ledger, K.CANCEL, {"L1": 2})

    assert refund == 20000


@pytest.mark.parametrize(("shipping", "fee"), [(3000, 3000), (0, 6000)])
def test_change_of_mind_returns_pay_one_way_or_the_round_trip_when_shipping_was_free(
        shipping: int, fee: int) -> None:
    money = order({"L1": (30000, 1)}, shipping=shipping)
    assert claim_fee(K.RETURN, R.CHANGE_OF_MIND, money, FEES) == fee
    q = quote(money, Ledger(), K.RETURN, {"L1": 1}, paid=True, fee=fee)
    assert (q.fee_deducted, q.refund, q.due) == (fee, 30000 - fee, 0)


def test_a_free_shipping_coupon_never_covers_the_return_fee() -> None:
    money = order({"L1": (30000, 1)}, shipping=3000, shipping_discount=3000)
    assert money.shipping_paid == 0
    assert claim_fee(K.RETURN, R.CHANGE_OF_MIND, money, FEES) == 6000


@pytest.mark.parametrize("reason", [R.DEFECT, R.WRONG_ITEM, R.DELAYED])
def test_the_seller_pays_the_shipping_when_the_buyer_is_not_at_fault(reason: ReasonCode) -> None:
    money = order({"L1": (30000, 1)})
    assert claim_fee(K.RETURN, reason, money, FEES) == 0
    assert claim_fee(K.EXCHANGE, reason, money, FEES) == 0


def test_an_exchange_for_change_of_mind_costs_the_round_trip() -> None:
    assert claim_fee(K.EXCHANGE, R.CHANGE_OF_MIND, order({"L1": (1000, 1)}), FEES) == 6000


def test_a_fee_paid_separately_leaves_the_refund_whole_and_is_due() -> None:
    money = order({"L1": (30000, 1)})
    q = quote(money, Ledger(), K.RETURN, {"L1": 1}, paid=True, fee=3000, deduct_fee=False)
    assert (q.refund, q.due, q.fee_deducted) == (30000, 3000, 0)


def test_a_fee_larger_than_the_refund_takes_the_refund_and_the_rest_is_due() -> None:
    money = order({"L1": (2000, 1)}, shipping=0)
    q = quote(money, Ledger(), K.RETURN, {"L1": 1}, paid=True, fee=6000)
    assert (q.refund, q.fee_deducted, q.due) == (0, 2000, 4000)


def test_an_exchange_for_a_cheaper_option_refunds_the_difference_less_the_fee() -> None:
    money = order({"L1": (20000, 2)})
    q = quote(money, Ledger(), K.EXCHANGE, {"L1": 2}, paid=True, fee=6000,
              new_prices={"L1": 15000})
    assert (q.difference, q.refund, q.due) == (-10000, 4000, 0)


def test_an_exchange_for_a_dearer_option_makes_the_buyer_pay_the_difference_and_fee() -> None:
    money = order({"L1": (20000, 1)})
    q = quote(money, Ledger(), K.EXCHANGE, {"L1": 1}, paid=True, fee=6000,
              new_prices={"L1": 22000})
    assert (q.difference, q.refund, q.due) == (2000, 0, 8000)


def test_an_exchange_for_the_same_option_for_a_defect_costs_nothing() -> None:
    q = quote(order({"L1": (20000, 1)}), Ledger(), K.EXCHANGE, {"L1": 1}, paid=True)
    assert (q.refund, q.due) == (0, 0)


def test_refunds_go_back_pro_rata_to_the_payment_and_the_points() -> None:
    money = order({"L1": (10000, 4)}, shipping=0, points=10000)  # 30,000 paid + 10,000 points
    ledger, _ = settle(money, Ledger(), K.RETURN, {"L1": 1})
    assert (ledger.payment, ledger.points) == (7500, 2500)
    ledger, _ = settle(money, ledger, K.RETURN, {"L1": 3})
    assert (ledger.payment, ledger.points) == (30000, 10000)


def test_nothing_is_refunded_on_an_unpaid_order() -> None:
    money = order({"L1": (10000, 1)})
    q = quote(money, Ledger(), K.CANCEL, {"L1": 1}, paid=False)
    assert q.refund == q.payment == q.points == 0
    assert apply(Ledger(), K.CANCEL, {"L1": 1}, q).cancelled == {"L1": 1}


def test_claiming_more_units_than_the_line_has_left_is_refused() -> None:
    money = order({"L1": (10000, 2)})
    ledger, _ = settle(money, Ledger(), K.RETURN, {"L1": 2})
    with pytest.raises(ValueError, match="more units"):
        quote(money, ledger, K.RETURN, {"L1": 1}, paid=True)
