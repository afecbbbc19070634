"""Answers of the coupons service's HTTP API, as the gateway passes them on (its OpenAPI).

Every model lets unknown fields through (`extra="allow"`): the gateway documents the fields
clients rely on and forwards the rest unchanged. Times are ISO 8601 strings, money integer KRW.
Coupons and held coupons keep their stored id under `_id`.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Answer(BaseModel):
    model_config = ConfigDict(extra="allow")


class CouponOut(_Answer):
    """A coupon definition with its counters."""

    id: str = Field(alias="_id")
    name: str
    kind: str = Field(description="product | order | shipping")
    type: str = Field(description="fixed | percent")
    value: int = Field(description="KRW, or percent")
    max_discount: int | None
    min_purchase: int
    valid_from: str
    valid_until: str
    issue_limit: int = Field(description="0 = unlimited")
    downloadable: bool
    issued: int
    used: int


class CouponList(_Answer):
    coupons: list[CouponOut]


class HeldCouponOut(_Answer):
    """A coupon a member holds."""

    id: str = Field(alias="_id")
    coupon_id: str
    member_id: str
    status: str = Field(description="AVAILABLE | LOCKED | USED")
    issued_at: str
    how: str = Field(description="issue | download | reward")
    order_id: str = Field(description="The order that used it")


class CouponDetail(_Answer):
    coupon: CouponOut
    holders: list[HeldCouponOut]


class IssueResult(_Answer):
    issued: int
    already_held: int
    sold_out: bool = Field(description="The issue limit stopped it")


class MyCoupon(HeldCouponOut):
    coupon: CouponOut | None = Field(description="Its definition (none if deleted)")
    usable: bool
    expired: bool


class DownloadableCoupon(CouponOut):
    held: bool = Field(description="The member holds it already")
    sold_out: bool


class MyCoupons(_Answer):
    coupons: list[MyCoupon]
    downloadable: list[DownloadableCoupon]


class PointsEntry(_Answer):
    delta: int
    balance: int
    reason: str
    at: str


class MemberPoints(_Answer):
    member_id: str
    points: int = Field(description="The balance")
    cumulative_purchase: int
    ledger: list[PointsEntry] = Field(description="Newest first, at most 100")


class CouponChoiceOut(_Answer):
    """Held coupon ids: product coupons per SKU of the cart, the order and shipping coupons."""

    product: dict[str, str]
    cart: str | None
    shipping: str | None


class Discounts(_Answer):
    """What a combination of coupons takes off (KRW)."""

    choice: CouponChoiceOut
    product_discounts: dict[str, int] = Field(description="SKU id → discount")
    order_discount: int
    shipping_discount: int
    total: int


class QuotePoints(_Answer):
    balance: int
    max: int = Field(description="The most the buyer may spend on this checkout")
    used: int
    min_balance: int
    unit: int
    max_share_percent: int


class CouponOffer(_Answer):
    """A held coupon usable on this checkout, and the lines it applies to."""

    held_id: str
    coupon_id: str
    name: str
    kind: str
    type: str
    value: int
    max_discount: int | None
    min_purchase: int
    valid_until: str
    lines: list[str]


class CheckoutQuote(_Answer):
    """The best combination, the one applied, the buyer's coupons and points."""

    auto_best: bool = Field(description="주문서 최대 할인 is on")
    best: Discounts
    applied: Discounts
    is_best: bool
    coupons: list[CouponOffer]
    points: QuotePoints
    merchandise: int
    shipping_fee: int
    to_pay: int

