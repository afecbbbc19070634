"""The HTTP edge every app shares (kit.guard): hostile bodies get a 4xx {error, message}."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel, Field

from kit import guard

LIMIT = 1000


class Line(BaseModel):
    sku_id: str = Field(max_length=20)
    quantity: int = Field(ge=1, le=999)


def make_app() -> FastAPI:
    app = FastAPI()
    guard.install(app, LIMIT, larger={"/big": 10 * LIMIT})

    @app.post("/lines")
    async def lines(line: Line) -> dict[str, Any]:
        return line.model_dump()

    @app.post("/anything")
    async def anything(body: dict[str, Any]) -> dict[str, Any]:
        return {"keys": len(body)}

    @app.post("/big")
    async def big(body: dict[str, Any]) -> dict[str, Any]:
        return {"keys": len(body)}

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("a bug")

    return app


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    # raise_app_exceptions: an error escaping the app fails the test instead of becoming a 500.
    transport = httpx.ASGITransport(app=make_app(), raise_app_exceptions=True)
    async with httpx.AsyncClient(transport=transport, base_url="http://app") as c:
        yield c


def refused(r: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    body = r.json()
    assert body["error"] == code and body["message"], body
    return body


async def post_raw(client: httpx.AsyncClient, path: str, raw: bytes) -> httpx.Response:
    return await client.post(path, content=raw, headers={"content-type": "application/json"})


@pytest.mark.parametrize("raw", [
    b'{"sku_id": "\\ud800", "quantity": 1}',
    b'{"sku_id": "A", "quantity": NaN}',
    b'{"sku_id": "A", "quantity": 1e400}',
    b'{"sku_id": "A", "quantity": -Infinity}',
    b'{"sku_id": "A", "quantity": 1000000000000000000000000000000}',
    b'{"\\udfff": 1}',
])
async def test_values_no_database_can_store_are_refused_with_422(
        client: httpx.AsyncClient, raw: bytes) -> None:
    for path in ("/lines", "/anything"):
        refused(await post_raw(client, path, raw), 422, "invalid_input")


async def test_an_int64_still_passes_where_the_model_takes_any_json(
        client: httpx.AsyncClient) -> None:
    r = await post_raw(client, "/anything", b'{"a": 9223372036854775807, "b": -1.5}')

    assert r.status_code == 200, r.text


async def test_a_validation_error_answers_error_and_message_without_echoing_the_input(
        client: httpx.AsyncClient) -> None:
    body = refused(await client.post("/lines", json={"sku_id": "X" * 50, "quantity": 0}),
                   422, "invalid_input")

    assert "X" * 50 not in str(body)
    assert all("input" not in e and "ctx" not in e for e in body["errors"])


async def test_a_body_that_is_not_json_answers_error_and_message(
        client: httpx.AsyncClient) -> None:
    refused(await post_raw(client, "/lines", b'{"sku_id": '), 422, "invalid_json")


async def test_a_deeply_nested_body_is_refused(client: httpx.AsyncClient) -> None:
    r = await client.post("/big", content=b"[" * 5000 + b"]" * 5000,
                          headers={"content-type": "application/json"})

    refused(r, 422, "invalid_input")


async def test_unknown_routes_and_methods_answer_error_and_message(
        client: httpx.AsyncClient) -> None:
    refused(await client.get("/nowhere"), 404, "not_found")
    refused(await client.get("/lines"), 405, "method_not_allowed")


async def test_an_unexpected_error_is_a_clean_500_with_error_and_message(
        client: httpx.AsyncClient) -> None:
    refused(await client.get("/boom"), 500, "internal_error")


async def test_a_body_over_the_limit_is_refused_with_413(client: httpx.AsyncClient) -> None:
    payload = b'{"a": "' + b"x" * LIMIT + b'"}'

    refused(await post_raw(client, "/anything", payload), 413, "too_large")
    assert (await post_raw(client, "/big", payload)).status_code == 200  # a larger route


async def test_a_streamed_body_is_cut_off_at_the_limit(client: httpx.AsyncClient) -> None:
    sent = 0

    async def stream() -> AsyncIterator[bytes]:
        nonlocal sent
        for _ in range(1000):  # 1 MB in all, without a Content-Length
            sent += 1
            yield b"x" * 1000

    r = await client.post("/anything", content=stream(),
                          headers={"content-type": "application/octet-stream"})

    refused(r, 413, "too_large")
    assert "content-length" not in r.request.headers
    assert sent < 1000  # not read to the end
