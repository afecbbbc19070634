"""Checkout rules the seller can change in the admin (stored; defaults from the environment)."""

from __future__ import annotations

from contracts.coupons.requests import ShopRules
from kit.errors import InvalidInput
from kit.store import Store


class RulesStore:
    def __init__(self, store: Store, defaults: ShopRules) -> None:
        self.db = store.db
        self.defaults = defaults

    async def get(self) -> ShopRules:
        doc = await self.db.rules.find_one({"_id": "rules"}) or {}
        doc.pop("_id", None)
        return self.defaults.model_copy(update=doc)

    async def put(self, rules: ShopRules) -> ShopRules:
        if rules.reward_coupon_id and not await self.db.coupons.find_one(
                {"_id": rules.reward_coupon_id}, {"_id": 1}):
            raise InvalidInput("reward_coupon_id", "coupon {coupon_id} does not exist",
                               key="reward_coupon_missing", coupon_id=rules.reward_coupon_id)
        await self.db.rules.replace_one({"_id": "rules"}, rules.model_dump(), upsert=True)
        return rules


def check_points(points: int, balance: int, to_pay: int, r: ShopRules) -> None:
    """Refuse a points spend that breaks a rule (to_pay: the amount before points)."""
    if points == 0:
        return
    if points % r.points_unit:
        raise InvalidInput("points_unit", "points are spent in multiples of {unit:,}",
                           unit=r.points_unit)
    if balance < r.points_min_balance:
        raise InvalidInput("points_min_balance",
                           "points can be spent from a balance of {min_balance:,}",
                           min_balance=r.points_min_balance)
    if points > balance:
        raise InvalidInput("points_balance", "only {balance:,} points are available",
                           key="points_over_balance", balance=balance)
    if points > max_points(balance, to_pay, r):
        raise InvalidInput("points_share", "points may cover at most "
                                           "{percent}% of the amount to pay",
                           percent=r.points_max_share_percent)


def max_points(balance: int, to_pay: int, r: ShopRules) -> int:
    if balance < r.points_min_balance:
        return 0
    cap = min(balance, to_pay * r.points_max_share_percent // 100)
    return cap - cap % r.points_unit
