"""The internal service APIs: only callers holding the service credential get in, they listen on
loopback only, and no partner simulator lives inside a service."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tests.conftest import Shop
from tests.stack import PORTS

SERVICES = ("orders", "inventory", "claims", "coupons", "integrations")
# What a stranger on the network tried: mark paid, free order, read a guest's secret, change
# stock, issue a coupon, change the shop's settings.
HOSTILE = [
    ("orders", "POST", "/orders/{order_id}/deposit-confirmed", {"amount": 1}),
    ("orders", "POST", "/orders", {"lines": [{"sku_id": "{sku}", "quantity": 1,
                                              "unit_price": 0}]}),
    ("orders", "GET", "/orders/{order_id}/guest-secret", None),
    ("orders", "PUT", "/settings", {"auto_confirm_days": 1}),
    ("inventory", "POST", "/skus/{sku}/adjust", {"delta": 100, "reason": "x"}),
    ("coupons", "POST", "/coupons", {"name": "free", "kind": "FIXED", "amount": 100000}),
    ("claims", "GET", "/claims?order_id={order_id}", None),
    ("integrations", "POST", "/payments", {"order_id": "{order_id}", "order_no": "1",
                                           "amount": 1, "method": "CARD"}),
]


@pytest.mark.parametrize("token", [None, "wrong-token", ""])
async def test_internal_apis_refuse_calls_without_the_service_credential(
        shop: Shop, token: str | None) -> None:
    product = await shop.product(stock=5)
    sku = product["skus"][0]["_id"]
    placed = (await shop.place(await shop.buyer(), sku, method="BANK_TRANSFER")).json()
    order_id = placed["order"]["order_id"]
    before_order, before_sku = await shop.order(order_id), await shop.sku(sku)
    headers = {} if token is None else {"x-service-token": token}
    for service, method, path, body in HOSTILE:
        fill = {"order_id": order_id, "sku": sku}
        url = shop.stack.url(service) + path.format(**fill)
        content = json.dumps(body).replace("{order_id}", order_id).replace("{sku}", sku)
        async with httpx.AsyncClient(headers=headers) as stranger:
            r = await stranger.request(method, url, content=content if body else None,
                                       headers={"content-type": "application/json"})
        assert r.status_code == 401, (service, path, r.status_code, r.text)
        assert r.json()["error"] == "unauthenticated"
        assert "x-service-token" in r.json()["message"]
    assert await shop.order(order_id) == before_order
    assert await shop.sku(sku) == before_sku


async def test_probes_and_signed_partner_webhooks_need_no_service_credential(shop: Shop) -> None:
    for service in SERVICES:
        async with httpx.AsyncClient(base_url=shop.stack.url(service)) as stranger:
            assert (await stranger.get("/health")).status_code == 200
            assert (await stranger.get("/metrics")).status_code == 200
    async with httpx.AsyncClient(base_url=shop.stack.url("integrations")) as pg:
        # Reaches the webhook's own check (its signature), not the service credential's.
        r = await pg.post("/webhooks/pg", content=b"{}", headers={"x-pg-signature": "bad"})
        assert r.status_code == 401
        assert r.json()["error"] == "bad_signature"


def listening_addresses(port: int) -> set[str]:
    """Local addresses of the sockets listening on `port` (from the kernel's socket tables)."""
    found: set[str] = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hexport = local.split(":")
            if state == "0A" and int(hexport, 16) == port:  # 0A = LISTEN
                assert len(address) == width
                found.add(address)
    return found


def test_services_and_the_gateway_listen_on_loopback_only(shop: Shop) -> None:
    loopback = {"0100007F", "00000000000000000000000001000000"}
    for name in (*SERVICES, "gateway"):
        addresses = listening_addresses(PORTS[name])
        assert addresses, f"{name} listens on {PORTS[name]}"
        assert addresses <= loopback, f"{name} listens on {addresses}, not only on loopback"


async def test_no_payment_simulator_is_mounted_in_the_integrations_service(shop: Shop) -> None:
    async with shop.stack.client("integrations") as integrations:
        for path in ("/pg/payments?order_id=x", "/pg/checkout/x", "/pg/refunds?order_id=x"):
            assert (await integrations.get(path)).status_code == 404, path
        spec = (await integrations.get("/openapi.json")).json()
    assert not [p for p in spec["paths"] if p.startswith("/pg")]


async def test_the_pg_simulators_merchant_api_needs_the_merchant_key(shop: Shop) -> None:
    async with httpx.AsyncClient(base_url=shop.stack.url("pgsim")) as stranger:
        for method, path in (("GET", "/pg/payments?order_id=x"), ("GET", "/pg/refunds?order_id=x"),
                             ("POST", "/pg/refunds"), ("POST", "/pg/payments")):
            r = await stranger.request(method, path, json={})
            assert r.status_code == 401, (method, path, r.text)
            assert r.json()["error"] == "unauthorized"
    assert (await shop.pg.get("/pg/payments", params={"order_id": "x"})).json() == {"payments": []}
