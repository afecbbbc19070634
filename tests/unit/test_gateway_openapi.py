"""Every JSON API route of the gateway is in its OpenAPI document (/docs); pages are not."""

from __future__ import annotations

from fastapi.routing import APIRoute

from gateway.api import claims, coupons, inventory, orders
from gateway.app import app


def test_every_api_route_is_documented_and_no_page_is() -> None:
    documented = {(path, method.upper()) for path, ops in app.openapi()["paths"].items()
                  for method in ops}
    routers = [orders.router, claims.router, coupons.router, inventory.router]
    routes = {(r.path, m) for router in routers for r in router.routes
              if isinstance(r, APIRoute) for m in r.methods if m != "HEAD"}
    assert ("/api/admin/products", "GET") in routes  # the admin inventory API
    assert routes - documented == set()
    assert not [p for p, _ in documented if p.startswith("/admin") or p == "/"]
