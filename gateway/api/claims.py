"""Claims JSON API: buyers under /api/me, sellers under /api/admin (OpenAPI at /docs).

Buyers may claim only their own orders (a stranger gets 404); sellers open claims for buyers and
decide them. Every refusal of the claims service comes back as the same 4xx.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field, StrictBool, StrictInt

from contracts.claims.requests import ClaimSettings
from contracts.claims.responses import (
    ClaimCounts,
    ClaimList,
    ClaimOut,
    ClaimQuote,
    OrderClaims,
)
from gateway.auth import User, guest_orders
from gateway.clients import ServiceError, Services, forwarded
from gateway.deps import GatewayDep, MaybeUserDep, SellerDep, ServicesDep
from gateway.ids import PathId
from gateway.orders import OrderGateway, actor_of

Kind = Literal["CANCEL", "RETURN", "EXCHANGE"]
Reason = Literal["CHANGE_OF_MIND", "DEFECT", "WRONG_ITEM", "DELAYED", "OTHER"]
Action = Literal["approve", "reject", "collect", "reship", "complete", "hold", "release",
                 "retry-refund", "refunded-by-hand", "due-paid"]


class ClaimItemIn(BaseModel):
    section_id: str = Field(min_length=1, max_length=60)
    line_id: str = Field(min_length=1, max_length=20)
    quantity: StrictInt = Field(ge=1, le=999)
    new_sku_id: str = Field(default="", max_length=64, description="Exchange: replacement SKU")


class ClaimRequest(BaseModel):
    kind: Kind
    items: list[ClaimItemIn] = Field(min_length=1, max_length=200)
    reason_code: Reason = "OTHER"
    reason: str = Field(default="", max_length=500)
    deduct_fee: StrictBool = Field(default=True, description="Take the return/exchange shipping fee "
                                                       "off the refund (else pay it separately)")


class Decision(BaseModel):
    expected_version: StrictInt | None = Field(default=None, ge=0, le=1_000_000_000, description="Refused with 409 when the "
                                                                    "claim changed since")
    reason: str = Field(default="", max_length=500)
    restock: StrictBool = False
    carrier: str = Field(default="", max_length=40)
    invoice_no: str = Field(default="", max_length=40)
    bank: str = Field(default="", max_length=40)
    account: str = Field(default="", max_length=60)
    holder: str = Field(default="", max_length=40)
    note: str = Field(default="", max_length=500)
    hold_code: str = Field(default="", max_length=60, description="Hold of a simple-pay order's "
                                                                  "return or exchange: the "
                                                                  "partner's hold reason class")


async def claim_body(s: Services, order: dict[str, Any], req: ClaimRequest,
                     user: User | None) -> dict[str, Any]:
    """The claims service's command: exchange items get their replacement from the catalogue."""
    lines = {x["line_id"]: x for x in order["lines"]}
    items = []
    for item in req.items:
        out: dict[str, Any] = item.model_dump()
        line = lines.get(item.line_id)
        if req.kind == "EXCHANGE" and line is not None:
            new = item.new_sku_id or line["sku_id"]
            out["new_sku_id"] = new
            if new != line["sku_id"]:
                try:
                    sku = await s.inventory.get(f"/skus/{new}")
                except ServiceError as exc:
                    raise ServiceError(400, "unknown_sku", "SKU {sku_id} not found",
                                       sku_id=new) from exc
                out.update(new_product_id=sku["product_id"], new_option_label=sku.get("label", ""),
                           new_unit_price=sku["price"])
        elif req.kind != "EXCHANGE":
            out.pop("new_sku_id")
        items.append(out)
    return {**req.model_dump(exclude={"items"}), "items": items,
            "actor": actor_of(user, order["buyer"]["name"]).model_dump()}


router = APIRouter(prefix="/api")


async def mine(gw: OrderGateway, request: Request, order_id: str, user: User | None) -> dict[str, Any]:
    return await gw.for_buyer(order_id, user, guest_orders(request))


async def owned_claim(services: Services, gw: OrderGateway, request: Request, claim_id: str, user: User | None) -> dict[str, Any]:
    try:
        claim: dict[str, Any] = await services.claims.get(f"/claims/{claim_id}")
        await mine(gw, request, claim["order_id"], user)
    except ServiceError as exc:
        if exc.status_code in (404, 422):
            raise ServiceError(404, "not_found", "claim {id} not found", key="claim_not_found",
                               id=claim_id) from exc
        raise
    return claim


@router.get("/me/orders/{order_id}/claims", tags=["my page claims"], response_model=OrderClaims)
async def my_claims(services: ServicesDep, gw: GatewayDep, request: Request, order_id: PathId, user: MaybeUserDep) -> Any:
    await mine(gw, request, order_id, user)
    claims = await services.claims.get(f"/orders/{order_id}/claims")
    return {**claims, **await services.claims.get(f"/orders/{order_id}/claimability")}


@router.post("/me/orders/{order_id}/claims", status_code=201, tags=["my page claims"],
             response_model=ClaimOut)
async def request_claim(services: ServicesDep, gw: GatewayDep, request: Request, order_id: PathId, body: ClaimRequest,
                        user: MaybeUserDep) -> Any:
    order = await mine(gw, request, order_id, user)
    return await services.claims.post(f"/orders/{order_id}/claims",
                               await claim_body(services, order, body, user))


@router.post("/me/orders/{order_id}/claims/estimate", tags=["my page claims"],
             response_model=ClaimQuote)
async def estimate(services: ServicesDep, gw: GatewayDep, request: Request, order_id: PathId, body: ClaimRequest,
                   user: MaybeUserDep) -> Any:
    order = await mine(gw, request, order_id, user)
    return await services.claims.post(f"/orders/{order_id}/claims/estimate",
                               await claim_body(services, order, body, user))


@router.get("/me/claims/{claim_id}", tags=["my page claims"], response_model=ClaimOut)
async def my_claim(services: ServicesDep, gw: GatewayDep, request: Request, claim_id: PathId, user: MaybeUserDep) -> Any:
    return await owned_claim(services, gw, request, claim_id, user)


@router.get("/admin/claims", tags=["admin claims"], response_model=ClaimList)
async def claims(services: ServicesDep, _: SellerDep, state: str | None = None,
                 limit: int = Query(100, ge=1, le=500)) -> Any:
    params: dict[str, Any] = {"limit": limit}
    if state:
        params["state"] = state
    return await services.claims.get("/claims", params=params)


@router.get("/admin/claims/counts", tags=["admin claims"], response_model=ClaimCounts)
async def counts(services: ServicesDep, _: SellerDep) -> Any:
    return await services.claims.get("/claims/counts")


@router.get("/admin/claims/{claim_id}", tags=["admin claims"], response_model=ClaimOut)
async def claim(services: ServicesDep, claim_id: PathId, _: SellerDep) -> Any:
    return await services.claims.get(f"/claims/{claim_id}")


@router.get("/admin/orders/{order_id}/claims", tags=["admin claims"], response_model=OrderClaims)
async def order_claims(services: ServicesDep, order_id: PathId, _: SellerDep) -> Any:
    claims = await services.claims.get(f"/orders/{order_id}/claims")
    return {**claims, **await services.claims.get(f"/orders/{order_id}/claimability")}


@router.post("/admin/orders/{order_id}/claims", status_code=201, tags=["admin claims"],
             response_model=ClaimOut)
async def open_for_buyer(services: ServicesDep, order_id: PathId, body: ClaimRequest, user: SellerDep) -> Any:
    """A seller opens a claim on the buyer's behalf: it is approved as soon as the order
    has taken the units (a cancel is refunded at once)."""
    order = await services.orders.get(f"/orders/{order_id}")
    return await services.claims.post(f"/orders/{order_id}/claims",
                               await claim_body(services, order, body, user))


@router.post("/admin/orders/{order_id}/claims/estimate", tags=["admin claims"],
             response_model=ClaimQuote)
async def admin_estimate(services: ServicesDep, order_id: PathId, body: ClaimRequest, user: SellerDep) -> Any:
    order = await services.orders.get(f"/orders/{order_id}")
    return await services.claims.post(f"/orders/{order_id}/claims/estimate",
                               await claim_body(services, order, body, user))


@router.post("/admin/claims/{claim_id}/{action}", tags=["admin claims"], response_model=ClaimOut)
async def decide(services: ServicesDep, claim_id: PathId, action: Action, body: Decision, user: SellerDep) -> Any:
    return await services.claims.post(f"/claims/{claim_id}/{action}",
                               {**body.model_dump(), "actor": actor_of(user).model_dump()})


@router.get("/admin/claim-settings", tags=["admin claims"], response_model=ClaimSettings)
async def get_settings(services: ServicesDep, _: SellerDep) -> Any:
    return await services.claims.get("/settings")


@router.put("/admin/claim-settings", tags=["admin claims"], response_model=ClaimSettings)
async def put_settings(services: ServicesDep, body: ClaimSettings, _: SellerDep) -> Any:
    return await services.claims.put("/settings", forwarded(body))
