"""The claims service's internal HTTP API (called by the gateway; never by browsers)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from claims import repository as repo
from claims.claim import Claim
from claims.commands import ClaimCommand, OpenClaim
from claims.service import ClaimsService
from contracts.claims.requests import ClaimSettings
from contracts.claims.v1 import ClaimState


def public(claim: Claim) -> dict[str, Any]:
    doc = repo.claim_doc(claim)
    doc["claim_id"] = doc.pop("_id")
    doc["units"] = sum(i.quantity for i in claim.items)
    doc["open"] = claim.is_open
    return doc


def router(service: ClaimsService) -> APIRouter:
    r = APIRouter()

    @r.get("/orders/{order_id}/claimability")
    async def claimability(order_id: str) -> dict[str, Any]:
        return await service.claimability(order_id)

    @r.get("/orders/{order_id}/claims")
    async def of_order(order_id: str) -> dict[str, Any]:
        return {"claims": [public(c) for c in await service.of_order(order_id)]}

    @r.post("/orders/{order_id}/claims", status_code=201)
    async def open_claim(order_id: str, cmd: OpenClaim) -> dict[str, Any]:
        return public(await service.open(order_id, cmd))

    @r.post("/orders/{order_id}/claims/estimate")
    async def estimate(order_id: str, cmd: OpenClaim) -> dict[str, Any]:
        return await service.estimate(order_id, cmd)

    @r.get("/claims")
    async def list_claims(state: ClaimState | None = None, on_hold: bool = False,
                          limit: int = Query(100, ge=1, le=500)) -> dict[str, Any]:
        """Newest first: one state, or the claims on hold, or all."""
        return {"claims": [public(c) for c in await service.list(state, on_hold, limit)]}

    @r.get("/claims/counts")
    async def counts() -> dict[str, int]:
        return await service.counts()

    @r.get("/claims/{claim_id}")
    async def get(claim_id: str) -> dict[str, Any]:
        return public(await service.get(claim_id))

    @r.post("/claims/{claim_id}/{action}")
    async def act(claim_id: str, action: str, cmd: ClaimCommand) -> dict[str, Any]:
        return public(await service.act(claim_id, action, cmd))

    @r.get("/settings")
    async def get_settings() -> ClaimSettings:
        return await service.settings()

    @r.put("/settings")
    async def put_settings(values: ClaimSettings) -> ClaimSettings:
        return await service.update_settings(values)

    return r
