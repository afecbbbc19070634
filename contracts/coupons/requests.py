"""Request bodies of the coupons service's HTTP API that the gateway forwards as they are."""

from __future__ import annotations

from datetime import timedelta, timezone
from typing import Literal

from pydantic import BaseModel, Field, StrictBool, StrictInt, model_validator

from contracts.inputs import Moment

KST = timezone(timedelta(hours=9))


class CouponDef(BaseModel):
    """A coupon definition (what the seller creates)."""

    name: str = Field(min_length=1, max_length=100)
    kind: Literal["product", "order", "shipping"]
    type: Literal["fixed", "percent"]
    value: StrictInt = Field(ge=1, le=100_000_000, description="KRW, or percent 1..100")
    max_discount: StrictInt | None = Field(default=None, ge=1, le=100_000_000)
    min_purchase: StrictInt = Field(default=0, ge=0, le=100_000_000)
    eligible_product_ids: list[str] = Field(default_factory=list, max_length=200)
    eligible_category_ids: list[str] = Field(default_factory=list, max_length=200)
    valid_from: Moment
    valid_until: Moment
    issue_limit: StrictInt = Field(default=0, ge=0, le=10_000_000, description="0 = unlimited")
    downloadable: StrictBool = Field(default=False, description="Buyers may download it themselves")
    exclusive: StrictBool = Field(default=False, description="Only usable alone")
    conflicts_with: list[str] = Field(default_factory=list, max_length=100,
                                      description="Coupon ids it cannot be combined with")

    @model_validator(mode="after")
    def _rules(self) -> CouponDef:
        for f in ("valid_from", "valid_until"):  # a date without a zone is Korean time
            v = getattr(self, f)
            if v.tzinfo is None:
                object.__setattr__(self, f, v.replace(tzinfo=KST))
        if self.type == "percent" and self.value > 100:
            raise ValueError("a percent coupon's value is 1..100")
        if self.valid_until <= self.valid_from:
            raise ValueError("valid_until must be after valid_from")
        return self


class ShopRules(BaseModel):
    auto_best: StrictBool = Field(default=True, description="주문서 최대 할인: apply the best coupons")
    points_min_balance: StrictInt = Field(default=1000, ge=0, le=100_000_000,
                                    description="Points can be spent once the balance reaches it")
    points_unit: StrictInt = Field(default=10, ge=1, le=100_000, description="Spend in multiples of it")
    points_max_share_percent: StrictInt = Field(default=100, ge=0, le=100,
                                          description="Share of the amount to pay points may cover")
    points_rate_percent: StrictInt = Field(default=1, ge=0, le=100,
                                     description="Purchase points, % of the confirmed paid amount")
    reward_coupon_id: str = Field(default="", max_length=40,
                                  description="Coupon given at each purchase confirmation")
