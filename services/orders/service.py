"""Order use-cases: load -> domain -> save + outbox, in one transaction."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, StrictInt
from pymongo.errors import DuplicateKeyError

from contracts.envelope import Actor, Event
from contracts.orders.requests import ShopSettings
from contracts.orders.v1 import (
    ChangeSectionStatus,
    Channel,
    LineData,
    MergeSections,
    PlaceOrder,
    RefundByHand,
    SectionStatus,
    ShipSection,
    SplitSection,
)
from kit.clock import Clock
from kit.errors import DomainError, NotFound
from kit.store import Store, Tx
from orders import refused_payments
from orders import repository as repo
from orders.domain import CouponDiscounts, Order

KST = ZoneInfo("Asia/Seoul")


class ChangeInvoice(BaseModel):
    """송장 변경 of a SHIPPING section: the new carrier and invoice number (checked by the
    domain: a refusal names the field)."""

    model_config = ConfigDict(extra="forbid")

    carrier: str = Field(default="", max_length=40)
    invoice_no: str = Field(default="", max_length=40)
    expected_version: StrictInt | None = Field(default=None, ge=0, le=1_000_000_000)
    actor: Actor


class OrderService:
    def __init__(self, store: Store, clock: Clock, defaults: ShopSettings) -> None:
        self.store = store
        self.clock = clock
        self.defaults = defaults

    async def shop_settings(self) -> ShopSettings:
        doc = await self.store.db.shop_settings.find_one({"_id": "shop"})
        return ShopSettings(**{**self.defaults.model_dump(), **(doc or {}).get("values", {})})

    async def update_settings(self, values: ShopSettings) -> ShopSettings:
        merged = ShopSettings(**{**(await self.shop_settings()).model_dump(),
                                 **values.model_dump(exclude_unset=True)})
        await self.store.db.shop_settings.update_one(
            {"_id": "shop"}, {"$set": {"values": merged.model_dump()}}, upsert=True
        )
        return merged

    async def shipping_fee(self, items_total: int) -> int:
        return (await self.shop_settings()).shipping_fee_for(items_total)

    async def place(self, cmd: PlaceOrder) -> Order:
        if cmd.idempotency_key:
            doc = await self.store.db.orders.find_one({"idempotency_key": cmd.idempotency_key})
            if doc is not None:
                return repo.from_doc(doc)
        try:
            return await self._place(cmd)
        except DuplicateKeyError:
            doc = await self.store.db.orders.find_one({"idempotency_key": cmd.idempotency_key})
            if doc is None:
                raise
            return repo.from_doc(doc)

    async def _place(self, cmd: PlaceOrder) -> Order:
        now = self.clock.now()
        order_no = await repo.next_order_no(self.store.db, now.astimezone(KST).strftime("%Y%m%d"))
        settings = await self.shop_settings()
        if cmd.channel == Channel.STOREFRONT:
            # The fee is the shop's rule; the command carries the fee the buyer saw (and any
            # shipping coupon was locked against): a fee changed meanwhile refuses the order.
            fee = settings.shipping_fee_for(sum(x.unit_price * x.quantity for x in cmd.lines))
            if cmd.shipping_fee != fee:
                raise DomainError("shipping_fee_changed", "the shipping fee is now {fee}, not {sent}",
                                  fee=fee, sent=cmd.shipping_fee)
        lines = _lines(cmd)

        async def work(tx: Tx) -> Order:
            return await self._insert(tx, cmd, order_no, now, settings, lines)

        return await self.store.transaction(work)

    async def place_paid_by_partner(self, tx: Tx, cmd: PlaceOrder, amount: int,
                                    partner: Actor) -> Order | None:
        """A simple-pay partner's order, placed and paid in `tx` (the partner took the money);
        None when it exists already (`cmd.order_id` is derived from the partner's order id)."""
        if await tx.db.orders.find_one({"_id": cmd.order_id}, {"_id": 1}, session=tx.session):
            return None
        now = self.clock.now()
        order_no = await repo.next_order_no(self.store.db, now.astimezone(KST).strftime("%Y%m%d"))
        return await self._insert(tx, cmd, order_no, now, await self.shop_settings(),
                                  _lines(cmd), paid=(amount, partner))

    async def _insert(self, tx: Tx, cmd: PlaceOrder, order_no: str, now: datetime,
                      settings: ShopSettings, lines: list[LineData],
                      paid: tuple[int, Actor] | None = None) -> Order:
        """Place the order in `tx`; `paid`: the amount a partner was paid, and the partner."""
        order, events = Order.place(
            order_id=cmd.order_id or uuid.uuid4().hex, order_no=order_no, channel=cmd.channel,
            buyer=cmd.buyer, ship_to=cmd.ship_to, payment_method=cmd.payment_method,
            lines=lines, shipping_fee=cmd.shipping_fee, memo=cmd.memo,
            guest_password_hash=cmd.guest_password_hash, actor=cmd.actor, now=now,
            deposit_days=settings.deposit_deadline_days, discount=cmd.discount,
            coupons=CouponDiscounts(
                product=cmd.product_discounts, order=cmd.order_coupon_discount,
                shipping=cmd.shipping_discount, points=cmd.points_used,
                coupon_ids=tuple(cmd.coupon_ids), lock=cmd.coupon_lock),
        )
        if paid is not None:
            events += order.confirm_payment(paid[0], paid[1], now, cmd.payment_method)
        await repo.insert(tx, order, cmd.idempotency_key)
        for e in events:
            tx.emit(e)
        return order

    async def get(self, order_id: str) -> Order:
        doc = await self.store.db.orders.find_one({"_id": order_id})
        if doc is None:
            raise NotFound("order", order_id)
        return repo.from_doc(doc)

    async def by_number(self, order_no: str) -> Order:
        doc = await self.store.db.orders.find_one({"order_no": order_no})
        if doc is None:
            raise NotFound("order", order_no)
        return repo.from_doc(doc)

    async def mutate(self, tx: Tx, order_id: str,
                     change: Callable[[Order, datetime], list[Event] | None]) -> Order:
        """Apply `change` to the stored order inside `tx`, save it, emit its events."""
        order, before = await repo.load(tx, order_id)
        events = change(order, self.clock.now()) or []
        await repo.save(tx, order, before)
        for e in events:
            tx.emit(e)
        return order

    async def apply(self, order_id: str,
                   change: Callable[[Order, datetime], list[Event] | None]) -> Order:
        async def work(tx: Tx) -> Order:
            return await self.mutate(tx, order_id, change)

        return await self.store.transaction(work)

    async def change_section(self, order_id: str, section_id: str,
                             cmd: ChangeSectionStatus) -> Order:
        days = (await self.shop_settings()).auto_confirm_days

        def change(o: Order, now: datetime) -> list[Event]:
            _check_version(o, cmd.expected_version)
            return o.change_section(section_id, cmd.to_status, cmd.actor, now, days,
                                    cmd.carrier, cmd.invoice_no)

        return await self.apply(order_id, change)

    async def change_invoice(self, order_id: str, section_id: str, cmd: ChangeInvoice) -> Order:
        def change(o: Order, now: datetime) -> list[Event]:
            _check_version(o, cmd.expected_version)
            return o.change_invoice(section_id, cmd.carrier, cmd.invoice_no, cmd.actor, now)

        return await self.apply(order_id, change)

    async def ship(self, order_id: str, section_id: str, cmd: ShipSection) -> Order:
        days = (await self.shop_settings()).auto_confirm_days
        return await self.apply(order_id, lambda o, now: o.ship(
            section_id, cmd.carrier, cmd.invoice_no, cmd.actor, now, days))

    async def split(self, order_id: str, section_id: str, cmd: SplitSection) -> Order:
        return await self.apply(
            order_id, lambda o, now: o.split_section(section_id, cmd.items, cmd.actor, now))

    async def merge(self, order_id: str, cmd: MergeSections) -> Order:
        return await self.apply(
            order_id, lambda o, now: o.merge_sections(cmd.section_ids, cmd.actor, now))

    async def confirm_deposit(self, order_id: str, actor: Actor) -> Order:
        return await self.apply(order_id, lambda o, now: o.confirm_deposit(actor, now))

    async def confirm_purchase(self, order_id: str, actor: Actor) -> Order:
        return await self.apply(order_id, lambda o, now: o.confirm_purchase(actor, now, False))

    async def cancel(self, order_id: str, actor: Actor, reason: str) -> Order:
        return await self.apply(order_id, lambda o, now: o.cancel(reason or "주문 취소", actor, now))

    async def refund_by_hand(self, order_id: str, payment_id: str, cmd: RefundByHand) -> Order:
        return await self.apply(order_id, lambda o, now: refused_payments.refunded_by_hand(
            o, payment_id, cmd.bank, cmd.account, cmd.holder, cmd.note, cmd.actor, now))

    async def add_note(self, order_id: str, text: str, actor: Actor) -> Order:
        return await self.apply(order_id, lambda o, now: o.add_note(text, actor, now))

    async def list(self, *, status: SectionStatus | None = None, member_id: str | None = None,
                   before: datetime | None = None, limit: int = 50) -> list[Order]:
        query: dict[str, Any] = {}
        if before is not None:
            query["placed_at"] = {"$lt": before}
        if status is not None:
            query["statuses"] = status.value
        if member_id is not None:  # a buyer's orders: the aggregate has the index for it
            query["buyer.member_id"] = member_id
            cursor = self.store.db.orders.find(query).sort("placed_at", -1).limit(limit)
            return [repo.from_doc(d) async for d in cursor]
        # By status or date: the order list's indexes find them.
        ids = [r["_id"] async for r in self.store.db.order_list.find(query, {"_id": 1}).sort(
            [("placed_at", -1), ("_id", -1)]).limit(limit)]
        found = {d["_id"]: d async for d in self.store.db.orders.find({"_id": {"$in": ids}})}
        return [repo.from_doc(found[i]) for i in ids if i in found]

    async def counts(self) -> dict[str, int]:
        """Orders with a section in each status, from the order list's count cells."""
        counts: dict[str, int] = {}
        async for cell in self.store.db.list_cells.find({"n": {"$gt": 0}}):
            for status in cell["statuses"]:
                counts[status] = counts.get(status, 0) + cell["n"]
        return counts


def _check_version(order: Order, expected: int | None) -> None:
    if expected is not None and expected != order.version:
        raise DomainError("stale", "order {order_no} changed since you loaded it",
                          key="order_stale", order_no=order.order_no)


def _lines(cmd: PlaceOrder) -> list[LineData]:
    return [LineData(line_id=f"L{n}", product_id=x.product_id, sku_id=x.sku_id, name=x.name,
                     option_label=x.option_label, unit_price=x.unit_price, quantity=x.quantity)
            for n, x in enumerate(cmd.lines, start=1)]
