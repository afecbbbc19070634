"""Checkout: the best combination of a member's coupons for a cart ("주문서 최대 할인"), a
buyer's own choice checked with the same rules, and the all-or-nothing lock before placing."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, StrictInt
from pymongo import ReturnDocument

from contracts.coupons.requests import ShopRules
from coupons.catalog import Catalog
from coupons.optimizer.model import Coupon, Instance, Line
from coupons.optimizer.rules import NEG, Problem
from coupons.rules import RulesStore, check_points, max_points
from coupons.runner import Best, BestRunner
from kit.clock import Clock
from kit.errors import DomainError, InvalidInput
from kit.store import Store, Tx

KIND: dict[str, Literal["product", "cart", "shipping"]] = {
    "product": "product", "order": "cart", "shipping": "shipping"}


class CartLine(BaseModel):
    id: str = Field(min_length=1, max_length=64, description="The SKU id")
    product_id: str = Field(min_length=1, max_length=64)
    category_id: str = Field(default="", max_length=64)
    unit_price: StrictInt = Field(ge=0, le=100_000_000)
    quantity: StrictInt = Field(ge=1, le=999)


class Choice(BaseModel):
    """Held coupon ids: per cart line (product coupons), the order coupon, the shipping coupon."""

    product: dict[str, str] = Field(default_factory=dict)
    cart: str | None = None
    shipping: str | None = None

    def ids(self) -> list[str]:
        return [*self.product.values(), *(c for c in (self.cart, self.shipping) if c)]


class Quote(BaseModel):
    member_id: str = Field(min_length=1, max_length=64)
    lines: list[CartLine] = Field(min_length=1, max_length=100)
    shipping_fee: StrictInt = Field(default=0, ge=0, le=1_000_000)
    choice: Choice | None = Field(default=None, description="None: the best one (if the setting "
                                                            "is on), otherwise no coupon")
    points: StrictInt = Field(default=0, ge=0, le=100_000_000)


class Lock(Quote):
    order_ref: str = Field(min_length=1, max_length=100)
    choice: Choice | Literal["best"] | None = Field(  # type: ignore[assignment]
        default=None, description='"best": the best combination; None: the default (the best '
                                  "when 주문서 최대 할인 is on, otherwise no coupon)")


def instance(lines: list[CartLine], shipping_fee: int, held: list[dict[str, Any]]) -> Instance:
    """The optimizer's instance (coupon-instance.md): coupon ids are held coupon ids."""
    by_def: dict[str, list[str]] = {}
    for h in held:
        by_def.setdefault(h["coupon_id"], []).append(h["_id"])
    coupons = []
    for h in held:
        c = h["coupon"]
        coupons.append(Coupon(
            id=h["_id"], kind=KIND[c["kind"]], type=c["type"], value=c["value"],
            max_discount=c.get("max_discount"), min_purchase=c["min_purchase"],
            eligible_product_ids=c["eligible_product_ids"] or None,
            eligible_category_ids=c["eligible_category_ids"] or None,
            exclusive=c["exclusive"],
            conflicts_with=[x for d in c["conflicts_with"] for x in by_def.get(d, [])]))
    return Instance(shipping_fee=shipping_fee, coupons=coupons,
                    lines=[Line(id=x.id, product_id=x.product_id, category_id=x.category_id,
                                unit_price=x.unit_price, quantity=x.quantity) for x in lines])


def apply(inst: Instance, choice: Choice) -> dict[str, Any]:
    """Discounts of a combination, refused (InvalidInput) if it breaks a rule."""
    pb = Problem.build(inst)
    ix = {c.id: k for k, c in enumerate(inst.coupons)}
    lines = {ln.id: i for i, ln in enumerate(inst.lines)}
    for cid in choice.ids():
        if cid not in ix:
            raise InvalidInput("coupon_unavailable", "coupon {coupon_id} is not usable on this order",
                               coupon_id=cid)
    kinds = [(choice.cart, "cart"), (choice.shipping, "shipping"),
             *((c, "product") for c in choice.product.values())]
    if any(c and inst.coupons[ix[c]].kind != kind for c, kind in kinds):
        raise InvalidInput("coupon_kind", "a coupon is used in the wrong place",
                           key="coupon_wrong_place")
    if any(line not in lines for line in choice.product):
        raise InvalidInput("coupon_line", "a product coupon names a line not in the order")
    assign = {lines[ln]: ix[c] for ln, c in choice.product.items()}
    cart = ix[choice.cart] if choice.cart else None
    ship = ix[choice.shipping] if choice.shipping else None
    total = pb.value(assign, cart, ship)
    if total == NEG:
        raise InvalidInput("coupon_combination",
                           "these coupons cannot be used together on this order")
    product = {inst.lines[i].id: pb.edges[k][i] for i, k in assign.items()}
    order_off = 0
    if cart is not None:
        c = next(x for x in pb.carts if x.index == cart)
        order_off = c.value(sum(pb.edges[k][i] for i, k in assign.items() if i in c.lines))
    ship_off = next(x.value for x in pb.ships if x.index == ship) if ship is not None else 0
    return {"choice": choice.model_dump(), "product_discounts": product,
            "order_discount": order_off, "shipping_discount": ship_off, "total": total}


class Checkout:
    def __init__(self, store: Store, clock: Clock, catalog: Catalog, rules: RulesStore,
                 runner: BestRunner) -> None:
        self.runner = runner
        self.store = store
        self.db = store.db
        self.clock = clock
        self.catalog = catalog
        self.rules = rules

    async def quote(self, q: Quote) -> dict[str, Any]:
        """The best combination, the one applied (the buyer's choice, or the default: the best
        when 주문서 최대 할인 is on) and the points the buyer may spend."""
        rules = await self.rules.get()
        held = [h for h in await self.catalog.held(q.member_id) if h["usable"]]
        inst = instance(q.lines, q.shipping_fee, held)
        best = await self.runner.best(inst)
        best_choice = choice_of(best)
        choice = q.choice if q.choice is not None else (
            best_choice if rules.auto_best else Choice())
        applied = apply(inst, choice)
        to_pay = await self._points(q, applied, rules)
        balance = await self.balance(q.member_id)
        return {
            "auto_best": rules.auto_best, "best": {**apply(inst, best_choice), **_how(best)},
            "applied": applied, "is_best": applied["total"] >= best.total,
            "coupons": [_offer(h, inst) for h in held],
            "points": {"balance": balance, "max": max_points(balance, to_pay, rules),
                       "used": q.points, "min_balance": rules.points_min_balance,
                       "unit": rules.points_unit, "max_share_percent":
                           rules.points_max_share_percent},
            "merchandise": _merchandise(q.lines), "shipping_fee": q.shipping_fee,
            "to_pay": to_pay - q.points,
        }

    async def priced(self, req: Lock) -> dict[str, Any]:
        """What a placement gets: the buyer's choice checked by the rules, or (choice "best",
        or none given while 주문서 최대 할인 is on) the best combination, searched once per
        cart (the quote's answer is reused); plus the points, checked."""
        rules = await self.rules.get()
        held = [h for h in await self.catalog.held(req.member_id) if h["usable"]]
        inst = instance(req.lines, req.shipping_fee, held)
        how: dict[str, Any] = {"source": "choice"}
        if req.choice == "best" or (req.choice is None and rules.auto_best):
            best = await self.runner.best(inst)
            choice, how = choice_of(best), {"source": "best", **_how(best)}
        elif req.choice is None:
            choice, how = Choice(), {"source": "none"}
        else:
            choice = req.choice
        applied = apply(inst, choice)
        await self._points(req, applied, rules)
        return {**applied, **how}

    async def _points(self, q: Quote, applied: dict[str, Any], rules: ShopRules) -> int:
        """The amount to pay before points; refuses a points spend that breaks a rule."""
        to_pay = _merchandise(q.lines) + q.shipping_fee - applied["total"]
        check_points(q.points, await self.balance(q.member_id), to_pay, rules)
        return to_pay

    async def balance(self, member_id: str) -> int:
        doc = await self.db.members.find_one({"_id": member_id}, {"points": 1})
        return int((doc or {}).get("points", 0))


def choice_of(best: Best) -> Choice:
    a = best.assignment
    return Choice(product=dict(a.product), cart=a.cart, shipping=a.shipping)


def _how(best: Best) -> dict[str, Any]:
    """How sure the best combination is (SPEC §8: exact; past the time budget, the best
    combination found, with the bound the search proved)."""
    return {"proven_optimal": best.proven, "upper_bound": best.bound, "method": best.method}


def _merchandise(lines: list[CartLine]) -> int:
    return sum(x.unit_price * x.quantity for x in lines)


def _offer(h: dict[str, Any], inst: Instance) -> dict[str, Any]:
    c = h["coupon"]
    return {"held_id": h["_id"], "coupon_id": c["_id"], "name": c["name"], "kind": c["kind"],
            "type": c["type"], "value": c["value"], "max_discount": c.get("max_discount"),
            "min_purchase": c["min_purchase"], "valid_until": c["valid_until"],
            "exclusive": c["exclusive"],
            "lines": [ln.id for ln in inst.lines if _eligible(c, ln)]}


def _eligible(c: dict[str, Any], ln: Line) -> bool:
    prods, cats = c["eligible_product_ids"], c["eligible_category_ids"]
    return (not prods and not cats) or ln.product_id in prods or ln.category_id in cats


async def move_points(tx: Tx, member_id: str, delta: int, reason: str, now: datetime,
                      entry_id: str | None = None, force: bool = False, **ref: str) -> int:
    """Change a balance (never below zero unless forced: points an order already used) and
    write its ledger entry; returns the balance."""
    cond = {"points": {"$gte": -delta}} if delta < 0 and not force else {}
    member = await tx.db.members.find_one_and_update(
        {"_id": member_id, **cond}, {"$inc": {"points": delta}}, upsert=delta >= 0 or force,
        return_document=ReturnDocument.AFTER, session=tx.session)
    if member is None:
        raise DomainError("points_balance", "not enough points", key="points_not_enough")
    entry = {"member_id": member_id, "delta": delta, "balance": member["points"],
             "reason": reason, "order_id": "", "order_no": "", "at": now, **ref}
    if entry_id:
        entry["_id"] = entry_id
    await tx.db.points_ledger.insert_one(entry, session=tx.session)
    return int(member["points"])
