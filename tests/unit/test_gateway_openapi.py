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


def test_every_json_body_has_a_model() -> None:
    """A body typed `dict[str, Any]` shows as a bare object: the gateway would forward anything."""
    untyped = []
    for path, ops in app.openapi()["paths"].items():
        for method, op in ops.items():
            content = op.get("requestBody", {}).get("content", {})
            schema = content.get("application/json", {}).get("schema")
            if schema is None:
                continue
            inner = schema if "$ref" in schema else schema.get("additionalProperties", schema)
            if not isinstance(inner, dict) or "$ref" not in inner:
                untyped.append(f"{method.upper()} {path}")
    assert untyped == []
