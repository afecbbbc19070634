"""Request bodies of the claims service's HTTP API that the gateway forwards as they are."""

from __future__ import annotations

from pydantic import BaseModel, Field, StrictBool, StrictInt


class ClaimSettings(BaseModel):
    """Shop settings (SPEC §5 defaults)."""

    cancel_preparing_requires_approval: StrictBool = Field(
        default=False, description="A cancel in PREPARING waits for the seller (else immediate)")
    return_fee_one_way: StrictInt = Field(default=3000, ge=0, le=1_000_000)
    return_fee_round_trip: StrictInt = Field(default=6000, ge=0, le=1_000_000)
