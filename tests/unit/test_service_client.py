"""The gateway's client of the service APIs over a connection the server drops."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from gateway.clients import ServiceClient, ServiceError, checked_path

OK = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\n\r\n{\"ok\":true}"


class DroppingServer:
    """Answers the first request of each connection, then reads the next one and hangs up
    without answering: a kept-alive connection the server closed under the client."""

    def __init__(self) -> None:
        self.connections = 0
        self.server: asyncio.Server | None = None

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            await reader.readuntil(b"\r\n\r\n")
            writer.write(OK)
            await writer.drain()
            await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        writer.close()

    async def __aenter__(self) -> str:
        self.server = await asyncio.start_server(self.handle, "127.0.0.1", 0)
        port = self.server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    async def __aexit__(self, *_: object) -> None:
        assert self.server is not None
        self.server.close()


@pytest.fixture
async def dropping() -> AsyncIterator[tuple[DroppingServer, ServiceClient]]:
    server = DroppingServer()
    async with server as url:
        client = ServiceClient("orders", url, "token")
        yield server, client
        await client.close()


async def test_a_read_is_retried_on_a_new_connection_when_the_kept_one_was_dropped(
        dropping: tuple[DroppingServer, ServiceClient]) -> None:
    server, client = dropping
    assert await client.get("/a") == {"ok": True}

    assert await client.get("/b") == {"ok": True}
    assert server.connections == 2


async def test_a_write_is_not_sent_twice_when_its_connection_drops(
        dropping: tuple[DroppingServer, ServiceClient]) -> None:
    server, client = dropping
    await client.get("/a")

    with pytest.raises(ServiceError) as refused:
        await client.post("/orders", {"x": 1})
    assert refused.value.status_code == 503
    assert server.connections == 1


@pytest.mark.parametrize("path", ["/orders/abc", "/orders/20261126-000123-2/sections/S.1",
                                  "/_test/clock", "/bulk-jobs/j1/items"])
def test_plain_ids_make_the_internal_path(path: str) -> None:
    assert checked_path(path) == path


@pytest.mark.parametrize("path", [
    "/products/LOAD0?all=true", "/orders/lookup?order_no=1", "/orders/a#b", "/orders/../settings",
    "/orders/.", "/orders/a%2Fb", "/orders/a\x01b", "/orders/a\nb", "/orders/a b", "/orders/",
    "/orders//x", "/members/김/points", "orders/x"])
def test_an_id_that_would_change_the_internal_request_is_refused(path: str) -> None:
    with pytest.raises(ServiceError) as refused:
        checked_path(path)
    assert refused.value.status_code == 400 and refused.value.code == "invalid_id"


async def test_a_client_never_sends_a_smuggled_path(
        dropping: tuple[DroppingServer, ServiceClient]) -> None:
    server, client = dropping
    with pytest.raises(ServiceError):
        await client.get("/products/LOAD0?all=true")
    assert server.connections == 0
