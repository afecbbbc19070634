"""Bad input and races on claims (SPEC §5, §11): each refused with a clear 4xx and no change."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from pymongo import AsyncMongoClient

from tests.conftest import Shop, eventually
from tests.e2e.test_claims_flows import (
    claims_know,
    decide,
    delivered,
    item,
    move,
    new_buyer,
    open_claim,
    paid_order,
    units,
    wait_claim,
    wait_order,
)


async def claims_of(shop: Shop, order_id: str) -> list[dict[str, Any]]:
    async with shop.stack.client("claims") as c:
        return (await c.get(f"/orders/{order_id}/claims")).json()["claims"]


async def delivered_order(shop: Shop, qty: int = 3) -> tuple[dict[str, Any], httpx.AsyncClient,
                                                               httpx.AsyncClient]:
    sku = (await shop.product(stock=10, price=10000))["skus"][0]["_id"]
    buyer, seller = await new_buyer(shop), await shop.seller()
    order = await delivered(shop, seller, await paid_order(shop, sku, qty, buyer))
    await claims_know(shop, order["order_id"], "DELIVERED")
    return order, buyer, seller


async def test_claiming_more_units_than_are_left_is_refused_and_opens_nothing(shop: Shop) -> None:
    order, buyer, _ = await delivered_order(shop, 3)
    r = await open_claim(buyer, order["order_id"], "RETURN", [item(order, 4)])
    assert r.status_code == 400
    body = r.json()
    assert (body["error"], body["key"]) == ("too_many_units", "claim_more_than_claimable")
    assert (body["params"]["left"], body["params"]["quantity"]) == (3, 4)
    assert "holds 3 units, cannot claim 4" in body["message"]
    r = await open_claim(buyer, order["order_id"], "RETURN", [item(order, 0)])
    assert r.status_code == 422
    assert await claims_of(shop, order["order_id"]) == []


async def test_a_second_claim_on_units_already_under_claim_is_refused(shop: Shop) -> None:
    order, buyer, seller = await delivered_order(shop, 3)
    r = await open_claim(buyer, order["order_id"], "RETURN", [item(order, 2)])
    assert r.status_code == 201, r.text
    first = r.json()["claim_id"]
    # At once (orders may not have moved the units yet) and once they sit in the claim section.
    r = await open_claim(buyer, order["order_id"], "EXCHANGE", [item(order, 2)])
    assert r.status_code == 409 and r.json()["error"] == "under_claim", r.text
    await wait_claim(shop, first, "REQUESTED")
    order = await wait_order(shop, order["order_id"], lambda o: len(o["sections"]) == 2, "moved")
    claim_section = next(s for s in order["sections"] if s.get("claim"))
    r = await open_claim(seller, order["order_id"], "RETURN",
                         [{"section_id": claim_section["section_id"], "line_id": "L1",
                           "quantity": 1}], admin=True)
    assert r.status_code == 409 and "already under claim" in r.json()["message"]
    r = await open_claim(buyer, order["order_id"], "RETURN", [item(order, 1)])  # the 1 left
    assert r.status_code == 201, r.text
    assert len(await claims_of(shop, order["order_id"])) == 2


async def test_approving_twice_is_refused_and_changes_nothing(shop: Shop) -> None:
    order, buyer, seller = await delivered_order(shop, 1)
    claim_id = (await open_claim(buyer, order["order_id"], "RETURN", [item(order, 1)])).json()[
        "claim_id"]
    await wait_claim(shop, claim_id, "REQUESTED")
    assert (await decide(seller, claim_id, "approve")).status_code == 200
    before = (await seller.get(f"/api/admin/claims/{claim_id}")).json()
    r = await decide(seller, claim_id, "approve")
    assert r.status_code == 409 and r.json()["error"] == "invalid_transition"
    assert "is APPROVED: cannot approve" in r.json()["message"]
    assert (await seller.get(f"/api/admin/claims/{claim_id}")).json() == before


async def test_two_sellers_approving_at_once_one_wins_and_the_other_gets_409(shop: Shop) -> None:
    order, buyer, seller = await delivered_order(shop, 2)
    other = await shop.seller()
    claim_id = (await open_claim(buyer, order["order_id"], "RETURN", [item(order, 2)])).json()[
        "claim_id"]
    version = (await wait_claim(shop, claim_id, "REQUESTED"))["version"]
    results = await asyncio.gather(
        decide(seller, claim_id, "approve", expected_version=version),
        decide(other, claim_id, "approve", expected_version=version))
    assert sorted(r.status_code for r in results) == [200, 409], [r.text for r in results]
    loser = next(r for r in results if r.status_code == 409).json()
    assert loser["error"] in ("stale", "invalid_transition")
    claim = (await seller.get(f"/api/admin/claims/{claim_id}")).json()
    assert [h["after"] for h in claim["history"] if h["action"] == "state"] == ["APPROVED"]
    r = await decide(other, claim_id, "collect", expected_version=version)
    assert r.status_code == 409 and r.json()["error"] == "stale"


async def test_after_confirmation_returns_and_exchanges_are_refused_with_a_clear_message(
        shop: Shop) -> None:
    order, buyer, _ = await delivered_order(shop, 1)
    r = await buyer.post(f"/api/me/orders/{order['order_id']}/confirm-purchase")
    assert r.status_code == 200, r.text
    await claims_know(shop, order["order_id"], "CONFIRMED")
    for kind in ("RETURN", "EXCHANGE"):
        r = await open_claim(buyer, order["order_id"], kind, [item(order, 1)])
        assert r.status_code == 409, r.text
        assert r.json()["message"] == ("the purchase is confirmed: returns and exchanges are no "
                                       "longer accepted")
    page = await buyer.get(f"/my/orders/{order['order_id']}/claims/new?kind=RETURN",
                           headers={"accept": "text/html"})
    assert "구매확정 후에는 반품/교환을 신청할 수 없습니다" in page.text
    assert await claims_of(shop, order["order_id"]) == []


async def test_shipped_units_cannot_be_cancelled_and_a_cancelled_section_accepts_nothing(
        shop: Shop) -> None:
    sku = (await shop.product(stock=5, price=10000))["skus"][0]["_id"]
    buyer, seller = await new_buyer(shop), await shop.seller()
    order = await paid_order(shop, sku, 1, buyer)
    await move(seller, order, "READY_TO_SHIP")
    await move(seller, order, "SHIPPING", carrier="CJ대한통운", invoice_no="611112222333")
    await claims_know(shop, order["order_id"], "SHIPPING")
    r = await open_claim(buyer, order["order_id"], "CANCEL", [item(order, 1)], "CHANGE_OF_MIND")
    assert r.status_code == 409 and "request a return instead" in r.json()["message"]

    cancelled = (await shop.place(buyer, sku, qty=1, method="BANK_TRANSFER")).json()["order"]
    assert (await buyer.post(f"/api/me/orders/{cancelled['order_id']}/cancel")).status_code == 200
    await claims_know(shop, cancelled["order_id"], "CANCELLED")
    r = await open_claim(buyer, cancelled["order_id"], "CANCEL", [item(cancelled, 1)])
    assert r.status_code == 409 and r.json()["message"] == "the section is cancelled: nothing to claim"
    assert await claims_of(shop, cancelled["order_id"]) == []


async def test_buyers_claim_only_their_own_orders_and_never_decide(shop: Shop) -> None:
    order, buyer, _ = await delivered_order(shop, 1)
    stranger = await shop.buyer(2)
    r = await open_claim(stranger, order["order_id"], "RETURN", [item(order, 1)])
    assert r.status_code == 404
    assert (await stranger.get(f"/api/me/orders/{order['order_id']}/claims")).status_code == 404
    claim_id = (await open_claim(buyer, order["order_id"], "RETURN", [item(order, 1)])).json()[
        "claim_id"]
    assert (await decide(buyer, claim_id, "approve")).status_code == 403
    assert (await shop.client().get(f"/api/me/claims/{claim_id}")).status_code == 404
    assert (await buyer.get(f"/api/me/claims/{claim_id}")).status_code == 200


async def test_orders_refusing_the_units_rejects_the_claim_automatically(shop: Shop) -> None:
    """The seller shipped while the claims view still said READY_TO_SHIP: orders refuses to move
    the units (ClaimUnitsRefused) and the claim is rejected with its reason, nothing moved."""
    sku = (await shop.product(stock=5, price=10000))["skus"][0]["_id"]
    buyer, seller = await new_buyer(shop), await shop.seller()
    order = await paid_order(shop, sku, 2, buyer)
    await move(seller, order, "READY_TO_SHIP")
    await move(seller, order, "SHIPPING", carrier="CJ대한통운", invoice_no="622223333444")
    await claims_know(shop, order["order_id"], "SHIPPING")
    mongo: AsyncMongoClient[Any] = AsyncMongoClient(shop.stack.infra.mongo)
    try:  # the view lags behind: what it would show a moment before the shipment
        await mongo["claims"].sections.update_one({"order_id": order["order_id"]},
                                                  {"$set": {"status": "READY_TO_SHIP"}})
    finally:
        await mongo.close()

    r = await open_claim(buyer, order["order_id"], "CANCEL", [item(order, 1)], "CHANGE_OF_MIND")
    assert r.status_code == 201, r.text
    rejected = await wait_claim(shop, r.json()["claim_id"], "REJECTED", moved=False)
    assert "SHIPPING" in rejected["history"][-1]["note"]
    order = await shop.order(order["order_id"])
    assert units(order) == {"SHIPPING": 2}
    assert await eventually(lambda: _refused_on_timeline(shop, order["order_id"]),
                            what="the refusal on the order's timeline")


async def _refused_on_timeline(shop: Shop, order_id: str) -> bool:
    order = await shop.order(order_id)
    return any(e["action"] == "claim_refused" for e in order["timeline"])
