"""Stock movements driven by order and claim events (inventory/movements.py), over a fake book:
reserve on placement, release on cancellation, sell on shipping, restock on a completed return,
reserve the replacement of an exchange; a repeated event moves nothing."""

from __future__ import annotations

from typing import Any

from contracts.claims.v1 import ClaimItem, ClaimKind, ClaimState, ClaimStateChanged
from contracts.envelope import Actor
from contracts.orders.v1 import (
    Buyer,
    Channel,
    ItemQty,
    LineData,
    OrderCancelled,
    OrderPlaced,
    PaymentMethod,
    SectionStatus,
    SectionStatusChanged,
)
from inventory import movements
from inventory.handlers import apply_order_event
from tests.unit.inventory.fakes import FakeShelf

SELLER = Actor(kind="seller", id="s1", name="김판매")


def placed(order_id: str, *lines: tuple[str, int], channel: Channel = Channel.STOREFRONT) \
        -> OrderPlaced:
    return OrderPlaced(
        key=order_id, order_id=order_id, order_no=f"N-{order_id}", channel=channel,
        payment_method=PaymentMethod.CARD, buyer=Buyer(member_id="m1", name="이구매",
                                                       phone="010-1111-2222"),
        lines=[LineData(line_id=f"L{i}", product_id="P", sku_id=s, name="x", unit_price=1000,
                        quantity=q) for i, (s, q) in enumerate(lines)],
        items_total=0, shipping_fee=0, paid_amount=0)


def cancelled(order_id: str) -> OrderCancelled:
    return OrderCancelled(key=order_id, order_id=order_id, order_no=f"N-{order_id}",
                          reason="입금 기한 만료", items=[], actor=SELLER)


def shipped(order_id: str, section: str, *items: tuple[str, int]) -> SectionStatusChanged:
    return SectionStatusChanged(
        key=order_id, order_id=order_id, order_no=f"N-{order_id}", section_id=section,
        from_status=SectionStatus.READY_TO_SHIP, to_status=SectionStatus.SHIPPING,
        items=[ItemQty(line_id=li, quantity=q) for li, q in items], actor=SELLER)


def claim(order_id: str, claim_id: str, kind: ClaimKind, to: ClaimState,
          *items: tuple[str, int, str], restock: bool = False) -> ClaimStateChanged:
    return ClaimStateChanged(
        key=order_id, order_id=order_id, claim_id=claim_id, kind=kind, claim_section_id="C-1",
        from_state=ClaimState.REQUESTED, to_state=to, restock=restock, actor=SELLER,
        items=[ClaimItem(section_id="S-1", line_id="L0", sku_id=s, quantity=q, new_sku_id=n)
               for s, q, n in items])


async def run(shelf: FakeShelf, *events: Any) -> None:
    for e in events:
        book = shelf.book()
        if isinstance(e, ClaimStateChanged):
            await movements.apply_claim(book, e)
        else:
            await apply_order_event(book, e)
        await book.flush()


def counters(shelf: FakeShelf, sku_id: str) -> tuple[int, int, int]:
    return shelf.skus[sku_id].counters


async def test_placing_an_order_reserves_each_sku_and_answers_stock_reserved() -> None:
    shelf = FakeShelf()
    shelf.add("A", 5)
    shelf.add("B", 2)

    await run(shelf, placed("o1", ("A", 2), ("B", 1), ("A", 1)))

    assert counters(shelf, "A") == (2, 3, 0) and counters(shelf, "B") == (1, 1, 0)
    [event] = shelf.events
    assert event.type == "StockReserved"
    assert [(i.sku_id, i.quantity) for i in event.items] == [("A", 3), ("B", 1)]
    assert [e["actor"]["kind"] for e in shelf.ledger] == ["buyer", "buyer"]


async def test_a_short_sku_refuses_the_whole_order_and_names_it() -> None:
    shelf = FakeShelf()
    shelf.add("A", 5)
    shelf.add("B", 0, label="화이트 / L", product_name="티셔츠")

    await run(shelf, placed("o1", ("A", 1), ("B", 1)))

    assert counters(shelf, "A") == (5, 0, 0)
    [event] = shelf.events
    assert event.type == "StockReservationRejected" and event.sku_id == "B"
    assert event.reason == "티셔츠 화이트 / L (B) 품절: 요청 1개, 남은 재고 0개"
    assert shelf.ledger == []


async def test_a_seller_created_order_reserves_like_any_order_in_the_sellers_name() -> None:
    shelf = FakeShelf()
    shelf.add("A", 1)

    await run(shelf, placed("o1", ("A", 1), channel=Channel.SELLER))

    assert counters(shelf, "A") == (0, 1, 0)
    assert shelf.ledger[0]["actor"]["kind"] == "seller"


async def test_a_second_order_placed_for_the_same_order_changes_nothing() -> None:
    shelf = FakeShelf()
    shelf.add("A", 5)

    await run(shelf, placed("o1", ("A", 2)), placed("o1", ("A", 2)))

    assert counters(shelf, "A") == (3, 2, 0) and len(shelf.events) == 1


async def test_cancelling_releases_the_reserved_units_once() -> None:
    shelf = FakeShelf()
    shelf.add("A", 5)

    await run(shelf, placed("o1", ("A", 2)), cancelled("o1"), cancelled("o1"))

    assert counters(shelf, "A") == (5, 0, 0)
    assert [e.type for e in shelf.events] == ["StockReserved", "StockReleased"]
    assert shelf.ledger[-1]["reason"] == "입금 기한 만료"


async def test_cancelling_a_refused_order_releases_nothing() -> None:
    shelf = FakeShelf()
    shelf.add("A", 0)

    await run(shelf, placed("o1", ("A", 1)), cancelled("o1"))

    assert counters(shelf, "A") == (0, 0, 0) and len(shelf.events) == 1


async def test_shipping_a_section_sells_its_units_once() -> None:
    shelf = FakeShelf()
    shelf.add("A", 5)
    shelf.add("B", 5)

    await run(shelf, placed("o1", ("A", 3), ("B", 1)), shipped("o1", "N-o1-2", ("L0", 2)),
              shipped("o1", "N-o1-2", ("L0", 2)), shipped("o1", "N-o1-1", ("L0", 1), ("L1", 1)))

    assert counters(shelf, "A") == (2, 0, 3) and counters(shelf, "B") == (4, 0, 1)
    assert [e.type for e in shelf.events] == ["StockReserved", "StockSold", "StockSold"]


async def test_a_completed_cancel_claim_releases_its_units_only() -> None:
    shelf = FakeShelf()
    shelf.add("A", 5)
    done = claim("o1", "c1", ClaimKind.CANCEL, ClaimState.COMPLETED, ("A", 1, ""))

    await run(shelf, placed("o1", ("A", 3)), done, done, cancelled("o1"))

    assert counters(shelf, "A") == (5, 0, 0)
    assert [e.type for e in shelf.events] == ["StockReserved", "StockReleased", "StockReleased"]
    assert [i.quantity for e in shelf.events[1:] for i in e.items] == [1, 2]


async def test_a_completed_return_restocks_when_the_seller_chooses_so() -> None:
    shelf = FakeShelf()
    shelf.add("A", 5)
    keep = claim("o1", "c1", ClaimKind.RETURN, ClaimState.COMPLETED, ("A", 1, ""), restock=True)
    discard = claim("o1", "c2", ClaimKind.RETURN, ClaimState.COMPLETED, ("A", 1, ""))

    await run(shelf, placed("o1", ("A", 2)), shipped("o1", "S-1", ("L0", 2)), keep, keep, discard)

    assert counters(shelf, "A") == (4, 0, 1)
    assert [e.type for e in shelf.events][-1] == "StockRestocked"
    assert shelf.ledger[-1]["kind"] == "restock"


async def test_an_approved_exchange_reserves_the_replacement_sku_all_or_nothing() -> None:
    shelf = FakeShelf()
    shelf.add("A-M", 5)
    shelf.add("A-L", 1)
    approve = claim("o1", "c1", ClaimKind.EXCHANGE, ClaimState.APPROVED, ("A-M", 1, "A-L"))
    too_many = claim("o1", "c2", ClaimKind.EXCHANGE, ClaimState.APPROVED, ("A-M", 1, "A-L"))

    await run(shelf, placed("o1", ("A-M", 2)), shipped("o1", "S-1", ("L0", 2)), approve, approve,
              too_many)

    assert counters(shelf, "A-L") == (0, 1, 0)
    types = [e.type for e in shelf.events]
    assert types[-2:] == ["ExchangeStockReserved", "ExchangeStockRejected"]
    assert shelf.events[-1].sku_id == "A-L" and "품절" in shelf.events[-1].reason


async def test_a_reshipped_exchange_sells_the_replacement_and_may_restock_the_returned_unit() -> None:
    shelf = FakeShelf()
    shelf.add("A-M", 5)
    shelf.add("A-L", 3)
    steps = [claim("o1", "c1", ClaimKind.EXCHANGE, state, ("A-M", 1, "A-L"), restock=True)
             for state in (ClaimState.APPROVED, ClaimState.RESHIPPED, ClaimState.COMPLETED)]

    await run(shelf, placed("o1", ("A-M", 1)), shipped("o1", "S-1", ("L0", 1)), *steps)

    assert counters(shelf, "A-L") == (2, 0, 1)
    assert counters(shelf, "A-M") == (5, 0, 0)
    assert [e.type for e in shelf.events][-3:] == ["ExchangeStockReserved", "StockSold",
                                                   "StockRestocked"]


async def test_a_rejected_exchange_gives_the_replacement_back() -> None:
    shelf = FakeShelf()
    shelf.add("A-L", 3)
    steps = [claim("o1", "c1", ClaimKind.EXCHANGE, state, ("A-M", 1, "A-L"))
             for state in (ClaimState.APPROVED, ClaimState.REJECTED)]

    await run(shelf, *steps)

    assert counters(shelf, "A-L") == (3, 0, 0)
    assert [e.type for e in shelf.events] == ["ExchangeStockReserved", "StockReleased"]


async def test_the_ledger_replays_to_the_counters_after_a_mixed_history() -> None:
    shelf = FakeShelf()
    shelf.add("A", 0)
    book = shelf.book()
    sku = (await book.load_skus(["A"]))["A"]
    assert sku is not None
    from inventory.domain import Kind

    book.record([sku.move(Kind.INITIAL, 10)], SELLER, "초기 재고")
    await book.flush()
    await run(shelf, placed("o1", ("A", 3)), placed("o2", ("A", 2)), cancelled("o2"),
              shipped("o1", "S-1", ("L0", 3)),
              claim("o1", "c1", ClaimKind.RETURN, ClaimState.COMPLETED, ("A", 1, ""),
                    restock=True))

    sums = [sum(e[k] for e in shelf.ledger) for k in ("d_available", "d_reserved", "d_sold")]
    assert tuple(sums) == counters(shelf, "A") == (8, 0, 2)
    assert [e["seq"] for e in shelf.ledger] == list(range(1, len(shelf.ledger) + 1))
