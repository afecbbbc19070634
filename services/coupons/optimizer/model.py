"""Instance and answer models of the max-discount optimizer (see coupon-instance.md).

Every amount is an integer number of KRW; the models are strict so that a float or a string
never slips into the discount arithmetic.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


class Line(_Strict):
    id: str
    product_id: str = ""
    category_id: str = ""
    unit_price: int = Field(ge=0)
    quantity: int = Field(ge=1)

    @property
    def amount(self) -> int:
        return self.unit_price * self.quantity


class Coupon(_Strict):
    id: str
    kind: Literal["product", "cart", "shipping"]
    type: Literal["fixed", "percent"]
    value: int = Field(ge=0)
    max_discount: int | None = Field(default=None, ge=0)
    min_purchase: int = Field(default=0, ge=0)
    eligible_product_ids: list[str] | None = None
    eligible_category_ids: list[str] | None = None
    exclusive: bool = False
    conflicts_with: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _percent_range(self) -> Coupon:
        if self.type == "percent" and not 1 <= self.value <= 100:
            raise ValueError(f"coupon {self.id}: a percent value must be within 1..100")
        return self

    def eligible(self, line: Line) -> bool:
        """A line is eligible if it matches either list; no list (or empty lists) = every line."""
        products, categories = self.eligible_product_ids, self.eligible_category_ids
        if not products and not categories:
            return True
        return line.product_id in (products or ()) or line.category_id in (categories or ())


class Instance(_Strict):
    version: int = 1
    rounding_unit: int = Field(default=10, ge=1)
    threshold_base: Literal["discounted", "original"] = "discounted"
    product_coupon_base: Literal["line", "unit"] = "line"
    shipping_fee: int = Field(default=0, ge=0)
    lines: list[Line]
    coupons: list[Coupon]

    @model_validator(mode="after")
    def _unique_ids(self) -> Instance:
        for what, ids in (("line", [x.id for x in self.lines]),
                          ("coupon", [c.id for c in self.coupons])):
            if len(set(ids)) != len(ids):
                raise ValueError(f"duplicate {what} ids")
        return self


class Assignment(_Strict):
    product: dict[str, str] = Field(default_factory=dict)
    cart: str | None = None
    shipping: str | None = None


class Answer(_Strict):
    total_discount: int
    assignment: Assignment
