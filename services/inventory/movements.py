"""Stock movements driven by events: reserve on placement, release on cancellation, sell on
shipping, restock on a completed return, reserve the replacement of an exchange.

Each use-case works on a StockBook inside the consumer's transaction; it records the ledger
entries of its movements and emits its events there too (the outbox), so a redelivered event
(deduplicated by the inbox) or a repeated section/claim (`Reservation.done`) moves nothing.
"""

from __future__ import annotations

from contracts.claims.v1 import ClaimKind, ClaimState, ClaimStateChanged
from contracts.envelope import Actor
from contracts.inventory.v1 import (
    ExchangeStockRejected,
    ExchangeStockReserved,
    SkuQty,
    StockReleased,
    StockReservationRejected,
    StockReserved,
    StockRestocked,
    StockSold,
)
from contracts.orders.v1 import (
    SIMPLE_PAY,
    Channel,
    LineData,
    OrderCancelled,
    OrderPlaced,
    SectionStatus,
    SectionStatusChanged,
)
from inventory.book import StockBook
from inventory.domain import (
    Hold,
    Movement,
    Reservation,
    merge_quantities,
    release_units,
    reserve_all,
    restock_units,
    sell_units,
)

RESERVED, REJECTED, RELEASED = "RESERVED", "REJECTED", "RELEASED"


def _items(moves: list[Movement]) -> list[SkuQty]:
    totals = merge_quantities([(m.sku_id, abs(m.d_reserved or m.d_available)) for m in moves])
    return [SkuQty(sku_id=k, quantity=v) for k, v in totals.items()]


def _order_actor(e: OrderPlaced) -> Actor:
    if e.channel is Channel.SELLER:
        return Actor(kind="seller", id="", name="판매자 주문 생성")
    return Actor(kind="buyer", id=e.buyer.member_id or "guest", name=e.buyer.name)


def _wrong_price(book: StockBook, e: OrderPlaced) -> tuple[LineData, int] | None:
    """The first line whose price is not the SKU's in the catalogue: whoever placed the order,
    the price is inventory's."""
    for line in e.lines:
        price = book.prices.get(line.sku_id)
        if price is not None and line.unit_price != price:
            return line, price
    return None


def exchange_id(claim_id: str) -> str:
    return f"exchange:{claim_id}"


# ---- order events ----


async def reserve_order(book: StockBook, e: OrderPlaced) -> None:
    if await book.reservation(e.order_id) is not None:
        return  # one reservation per order, whatever is redelivered
    wanted = merge_quantities([(x.sku_id, x.quantity) for x in e.lines])
    skus = await book.load_skus(wanted)
    # A simple-pay partner sold at the price it showed and holds the money: its amounts stand.
    if e.channel not in SIMPLE_PAY and (wrong := _wrong_price(book, e)):
        line, price = wrong
        reason = (f"{line.name} ({line.sku_id}) 가격이 변경되었습니다: 주문 {line.unit_price:,}원, "
                  f"현재 {price:,}원")
        sku = skus.get(line.sku_id)
        book.add_reservation(Reservation(e.order_id, e.order_id, REJECTED, reason=reason))
        book.tx.emit(StockReservationRejected(
            key=e.order_id, order_id=e.order_id, sku_id=line.sku_id, requested=line.quantity,
            available=sku.available if sku else 0, reason=reason, code="price_mismatch"))
        return
    moves, shortage = reserve_all(skus, wanted)
    if shortage:
        book.add_reservation(Reservation(e.order_id, e.order_id, REJECTED, reason=shortage.message))
        book.tx.emit(StockReservationRejected(
            key=e.order_id, order_id=e.order_id, sku_id=shortage.sku_id,
            requested=shortage.requested, available=shortage.available, reason=shortage.message))
        return
    book.record(moves, _order_actor(e), f"주문 {e.order_no}", e.order_id, e.order_no)
    book.add_reservation(Reservation(
        e.order_id, e.order_id, RESERVED, [Hold(k, v) for k, v in wanted.items()],
        {x.line_id: x.sku_id for x in e.lines}))
    book.tx.emit(StockReserved(key=e.order_id, order_id=e.order_id,
                               items=[SkuQty(sku_id=k, quantity=v) for k, v in wanted.items()]))


async def release_order(book: StockBook, e: OrderCancelled) -> None:
    res = await book.reservation(e.order_id)
    if res is None or res.status != RESERVED:
        return
    skus = await book.load_skus(h.sku_id for h in res.holds)
    moves = release_units(res, skus)
    res.status = RELEASED
    book.touched(res)
    book.record(moves, e.actor, e.reason or "주문 취소", e.order_id, e.order_no)
    if moves:
        book.tx.emit(StockReleased(key=e.order_id, order_id=e.order_id, items=_items(moves)))


async def sell_section(book: StockBook, e: SectionStatusChanged) -> None:
    if e.to_status is not SectionStatus.SHIPPING or e.from_status is SectionStatus.SHIPPING:
        return
    res = await book.reservation(e.order_id)
    if res is None or res.status != RESERVED or e.section_id in res.done:
        return
    wanted = merge_quantities([(res.line_skus[i.line_id], i.quantity) for i in e.items
                               if i.line_id in res.line_skus])
    moves = sell_units(res, await book.load_skus(wanted), wanted)
    res.done.append(e.section_id)
    book.touched(res)
    book.record(moves, e.actor, f"출고 {e.section_id}", e.order_id, e.section_id)
    if moves:
        book.tx.emit(StockSold(key=e.order_id, order_id=e.order_id, section_id=e.section_id,
                               items=_items(moves)))


# ---- claim events ----


async def apply_claim(book: StockBook, e: ClaimStateChanged) -> None:
    match (e.kind, e.to_state):
        case (ClaimKind.CANCEL, ClaimState.COMPLETED):
            await _release_claim(book, e)
        case (ClaimKind.RETURN, ClaimState.COMPLETED) if e.restock:
            await _restock(book, e)
        case (ClaimKind.EXCHANGE, ClaimState.APPROVED):
            await _reserve_exchange(book, e)
        case (ClaimKind.EXCHANGE, ClaimState.RESHIPPED):
            await _sell_exchange(book, e)
        case (ClaimKind.EXCHANGE, ClaimState.COMPLETED):
            await _sell_exchange(book, e)  # when the reshipment was not reported on its own
            if e.restock:
                await _restock(book, e)
        case (ClaimKind.EXCHANGE, ClaimState.REJECTED):
            await _release_exchange(book, e)
        case _:
            pass


def relevant_claim(kind: str, to_state: str, restock: bool) -> bool:
    return (kind, to_state) in {("CANCEL", "COMPLETED"), ("EXCHANGE", "APPROVED"),
                                ("EXCHANGE", "RESHIPPED"), ("EXCHANGE", "COMPLETED"),
                                ("EXCHANGE", "REJECTED")} or (
        kind == "RETURN" and to_state == "COMPLETED" and restock)


def _claimed(e: ClaimStateChanged, replacement: bool = False) -> dict[str, int]:
    return merge_quantities([((i.new_sku_id or i.sku_id) if replacement else i.sku_id, i.quantity)
                             for i in e.items])


async def _release_claim(book: StockBook, e: ClaimStateChanged) -> None:
    res = await book.reservation(e.order_id)
    ref = f"claim:{e.claim_id}"
    if res is None or res.status != RESERVED or ref in res.done:
        return
    moves = release_units(res, await book.load_skus(h.sku_id for h in res.holds), _claimed(e))
    res.done.append(ref)
    book.touched(res)
    book.record(moves, e.actor, e.note or "취소 완료", e.order_id, e.claim_id)
    if moves:
        book.tx.emit(StockReleased(key=e.order_id, order_id=e.order_id, claim_id=e.claim_id,
                                   items=_items(moves)))


async def _restock(book: StockBook, e: ClaimStateChanged) -> None:
    res = await book.reservation(e.order_id)
    ref = f"restock:{e.claim_id}"
    if res is not None and ref in res.done:
        return
    reservations = [res] if res else []
    if res:
        await book.load_reservations(res.exchanges)
        reservations += [x for rid in res.exchanges if (x := book.reservations[rid])]
    wanted = _claimed(e)
    moves = restock_units(reservations or None, await book.load_skus(wanted), wanted)
    for r in reservations:
        book.touched(r)
    if res:
        res.done.append(ref)
    reason = "반품 재입고" if e.kind is ClaimKind.RETURN else "교환 회수 재입고"
    book.record(moves, e.actor, e.note or reason, e.order_id, e.claim_id)
    if moves:
        book.tx.emit(StockRestocked(key=e.order_id, order_id=e.order_id, claim_id=e.claim_id,
                                    items=_items(moves)))


async def _reserve_exchange(book: StockBook, e: ClaimStateChanged) -> None:
    rid = exchange_id(e.claim_id)
    if await book.reservation(rid) is not None:
        return
    wanted = _claimed(e, replacement=True)
    moves, shortage = reserve_all(await book.load_skus(wanted), wanted)
    if shortage:
        book.add_reservation(Reservation(rid, e.order_id, REJECTED, claim_id=e.claim_id,
                                         reason=shortage.message))
        book.tx.emit(ExchangeStockRejected(
            key=e.order_id, order_id=e.order_id, claim_id=e.claim_id, sku_id=shortage.sku_id,
            requested=shortage.requested, available=shortage.available, reason=shortage.message))
        return
    book.record(moves, e.actor, "교환 상품 확보", e.order_id, e.claim_id)
    book.add_reservation(Reservation(rid, e.order_id, RESERVED,
                                     [Hold(k, v) for k, v in wanted.items()], claim_id=e.claim_id))
    order_res = await book.reservation(e.order_id)
    if order_res is not None and rid not in order_res.exchanges:
        order_res.exchanges.append(rid)
        book.touched(order_res)
    book.tx.emit(ExchangeStockReserved(key=e.order_id, order_id=e.order_id, claim_id=e.claim_id,
                                       items=[SkuQty(sku_id=k, quantity=v)
                                              for k, v in wanted.items()]))


async def _sell_exchange(book: StockBook, e: ClaimStateChanged) -> None:
    res = await book.reservation(exchange_id(e.claim_id))
    if res is None or res.status != RESERVED:
        return
    held = {h.sku_id: h.held for h in res.holds}
    moves = sell_units(res, await book.load_skus(held), held)
    book.touched(res)
    book.record(moves, e.actor, "교환 상품 출고", e.order_id, e.claim_id)
    if moves:
        book.tx.emit(StockSold(key=e.order_id, order_id=e.order_id,
                               section_id=e.claim_section_id, claim_id=e.claim_id,
                               items=_items(moves)))


async def _release_exchange(book: StockBook, e: ClaimStateChanged) -> None:
    res = await book.reservation(exchange_id(e.claim_id))
    if res is None or res.status != RESERVED:
        return
    moves = release_units(res, await book.load_skus(h.sku_id for h in res.holds))
    res.status = RELEASED
    book.touched(res)
    book.record(moves, e.actor, e.note or "교환 거부", e.order_id, e.claim_id)
    if moves:
        book.tx.emit(StockReleased(key=e.order_id, order_id=e.order_id, claim_id=e.claim_id,
                                   items=_items(moves)))
