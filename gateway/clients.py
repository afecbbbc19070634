"""HTTP clients of the internal service APIs; a refusal there becomes the same 4xx here."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import HTTPException

from gateway.settings import GatewaySettings
from kit.logs import correlation_id


class ServiceError(HTTPException):
    def __init__(self, status_code: int, code: str, message: str) -> None:
        super().__init__(status_code=status_code, detail={"error": code, "message": message})
        self.code = code
        self.message = message


class ServiceClient:
    def __init__(self, name: str, base_url: str, token: str) -> None:
        self.name = name
        self.token = token
        # Idle connections are dropped before the services' servers close them (uvicorn: 5 s):
        # a request sent on a connection the server is closing fails without reaching it.
        self.http = httpx.AsyncClient(base_url=base_url, timeout=15,
                                      limits=httpx.Limits(keepalive_expiry=2.0))

    async def call(self, method: str, path: str, **kwargs: Any) -> Any:
        headers = {"x-correlation-id": correlation_id.get(), "x-service-token": self.token}
        try:
            resp = await self.http.request(method, path, headers=headers, **kwargs)
        except httpx.TransportError as exc:
            raise ServiceError(503, "unavailable", f"{self.name} service unavailable") from exc
        if resp.status_code >= 400:
            try:
                body = resp.json()
            except ValueError:
                body = {}
            if resp.status_code == 422:
                detail = body.get("detail") or [{}]
                first = detail[0] if isinstance(detail, list) and detail else {}
                loc = ".".join(str(p) for p in first.get("loc", [])[1:])
                raise ServiceError(422, "invalid_input", f"{loc}: {first.get('msg', 'invalid')}")
            if resp.status_code >= 500:
                raise ServiceError(502, "upstream_error", f"{self.name} service failed")
            raise ServiceError(resp.status_code, body.get("error", "refused"),
                               body.get("message", resp.text))
        return resp.json()

    async def get(self, path: str, **kwargs: Any) -> Any:
        return await self.call("GET", path, **kwargs)

    async def post(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return await self.call("POST", path, json=body, **kwargs)

    async def put(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return await self.call("PUT", path, json=body, **kwargs)

    async def close(self) -> None:
        await self.http.aclose()


class Services:
    def __init__(self, settings: GatewaySettings) -> None:
        token = settings.service_token
        self.orders = ServiceClient("orders", settings.orders_url, token)
        self.inventory = ServiceClient("inventory", settings.inventory_url, token)
        self.claims = ServiceClient("claims", settings.claims_url, token)
        self.coupons = ServiceClient("coupons", settings.coupons_url, token)
        self.integrations = ServiceClient("integrations", settings.integrations_url, token)

    async def close(self) -> None:
        for c in (self.orders, self.inventory, self.claims, self.coupons, self.integrations):
            await c.close()
