"""HTTP clients of the internal service APIs; a refusal there becomes the same 4xx here."""

from __future__ import annotations

import re
from typing import Any

import httpx
from fastapi import HTTPException
from pydantic import BaseModel

from gateway.settings import GatewaySettings
from kit.logs import correlation_id


def forwarded(body: BaseModel) -> dict[str, Any]:
    """A validated request body as the service receives it: what the client sent (defaults the
    service fills in itself are left out), in JSON form."""
    return body.model_dump(mode="json", exclude_unset=True)


class ServiceError(HTTPException):
    """A refusal, the service's or the gateway's own, in the services' shape (kit/errors.py):
    `code` the broad kind, `key` the exact case (its message id is `err_<key>`), `params` the
    values it names; `message` is the English template filled with them."""

    def __init__(self, status_code: int, code: str, message: str, *, key: str | None = None,
                 params: dict[str, Any] | None = None, **values: Any) -> None:
        self.code = code
        self.key = key or code
        self.params: dict[str, Any] = {**(params or {}), **values}
        self.message = message.format(**values) if values else message
        super().__init__(status_code=status_code, detail={
            "error": code, "message": self.message, "key": self.key, "params": self.params})


# A path segment of an internal URL: ids never change which request the service sees.
SEGMENT = re.compile(r"[A-Za-z0-9_~-][A-Za-z0-9._~-]*")


def checked_path(path: str) -> str:
    """The internal path, if every segment is a plain name or id (no '?', '#', '%', '/', space,
    control character, '.' or '..' smuggled in through an id); else a 400."""
    segments = path.split("/")
    if segments[0] or not all(SEGMENT.fullmatch(p) for p in segments[1:]):
        raise ServiceError(400, "invalid_id",
                           "an id may hold only letters, digits, '.', '_' and '-'")
    return path


# Safe to send twice: a request that died with its connection is tried once more on a new one.
IDEMPOTENT = {"GET", "HEAD", "PUT", "DELETE"}
# The connection broke before any answer (e.g. the server closed a kept-alive connection).
BROKEN = (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)


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
        resp = await self._send(method, path, headers, kwargs)
        if resp.status_code >= 400:
            try:
                body = resp.json()
            except ValueError:
                body = {}
            if not isinstance(body, dict):
                body = {}
            if resp.status_code >= 500:
                raise ServiceError(502, "upstream_error", "{service} service failed",
                                   service=self.name)
            params = body.get("params")
            raise ServiceError(resp.status_code, str(body.get("error", "refused")),
                               str(body.get("message", resp.text)), key=body.get("key"),
                               params=params if isinstance(params, dict) else None)
        return resp.json() if resp.content else None  # 204: nothing to answer

    async def _send(self, method: str, path: str, headers: dict[str, str],
                    kwargs: dict[str, Any]) -> httpx.Response:
        path = checked_path(path)
        for attempt in (1, 2):
            try:
                return await self.http.request(method, path, headers=headers, **kwargs)
            except BROKEN as exc:
                if attempt == 1 and method in IDEMPOTENT:
                    continue  # the pool dropped the broken connection: a fresh one is used
                raise ServiceError(503, "unavailable", "{service} service unavailable",
                                   service=self.name) from exc
            except httpx.TransportError as exc:
                raise ServiceError(503, "unavailable", "{service} service unavailable",
                                   service=self.name) from exc
        raise AssertionError("unreachable")

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
