"""What the gateway asks of the claims service (internal HTTP API), and the shop's settings."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt

from contracts.claims.v1 import ClaimKind, ReasonCode
from contracts.envelope import Actor


class WantedItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    section_id: str = Field(min_length=1, max_length=60)
    line_id: str = Field(min_length=1, max_length=20)
    quantity: StrictInt = Field(ge=1, le=999)
    # Exchange: the replacement SKU (the gateway fills its product, label and price from the
    # catalogue; the same SKU is fine).
    new_sku_id: str = Field(default="", max_length=64)
    new_product_id: str = Field(default="", max_length=64)
    new_option_label: str = Field(default="", max_length=200)
    new_unit_price: StrictInt | None = Field(default=None, ge=0, le=100_000_000)


class OpenClaim(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: ClaimKind
    items: list[WantedItem] = Field(min_length=1, max_length=200)
    reason_code: ReasonCode
    reason: str = Field(default="", max_length=500)
    deduct_fee: StrictBool = Field(default=True, description="Return/exchange fee off the refund "
                                                       "(else the buyer pays it separately)")
    actor: Actor


class ClaimCommand(BaseModel):
    """A seller's (or the buyer's) decision on one claim."""

    model_config = ConfigDict(extra="forbid")

    actor: Actor
    expected_version: StrictInt | None = Field(default=None, ge=0, le=1_000_000_000, description="Refused (409) when the claim "
                                                                    "changed since it was read")
    reason: str = Field(default="", max_length=500)
    restock: StrictBool = False
    carrier: str = Field(default="", max_length=40)
    invoice_no: str = Field(default="", max_length=40)
    bank: str = Field(default="", max_length=40)
    account: str = Field(default="", max_length=60)
    holder: str = Field(default="", max_length=40)
    note: str = Field(default="", max_length=500)
    hold_code: str = Field(default="", max_length=60, description="Hold: the partner's hold "
                                                                  "reason class (Naver Pay "
                                                                  "orders: holdbackClassType)")
