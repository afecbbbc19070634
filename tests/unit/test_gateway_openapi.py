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


# Routes whose success is not a JSON document: a file download.
NOT_JSON = {("GET", "/api/admin/orders/list/export")}


def test_every_json_answer_has_a_named_model() -> None:
    """A route declared `-> Any` documents an empty schema: /docs would not say what it answers."""
    operations = [(method.upper(), path, op) for path, ops in app.openapi()["paths"].items()
                  if path.startswith("/api") for method, op in ops.items()]
    untyped = []
    for method, path, op in operations:
        if (method, path) in NOT_JSON:
            continue
        success = {code: r for code, r in op["responses"].items() if code in ("200", "201")}
        assert success, f"{method} {path} documents no 200/201 answer"
        for code, answer in success.items():
            schema = answer.get("content", {}).get("application/json", {}).get("schema", {})
            inner = schema.get("items", {}) if schema.get("type") == "array" else schema
            if "$ref" not in inner:
                untyped.append(f"{method} {path} {code}")
    assert untyped == []
    assert NOT_JSON <= {(m, p) for m, p, _ in operations}  # the exemptions still exist
    assert len(operations) > 70



# Closed answers: the gateway builds them itself, or the service answers the very model it
# validates (settings, the order menu). Everything forwarded from a service is open.
CLOSED = {"ClaimSettings", "GuestOrder", "Members", "OrderMenu", "ShopRules", "ShopSettings",
          "SignedIn", "SignedOut", "SimplePayStarted"}


def test_forwarded_answers_keep_undeclared_fields() -> None:
    """An answer forwarded from a service documents what clients rely on; every other field
    passes through unchanged (a closed model would silently drop it)."""
    spec = app.openapi()
    schemas = spec["components"]["schemas"]
    closed = set()
    for path, ops in spec["paths"].items():
        for op in ops.values():
            for code in ("200", "201"):
                schema = op["responses"].get(code, {}).get("content", {}).get(
                    "application/json", {}).get("schema", {})
                ref = schema.get("$ref") or schema.get("items", {}).get("$ref")
                if path.startswith("/api") and ref is not None:
                    name = ref.rsplit("/", 1)[1]
                    if "properties" in schemas[name] \
                            and schemas[name].get("additionalProperties") is not True:
                        closed.add(name)
    assert closed == CLOSED
