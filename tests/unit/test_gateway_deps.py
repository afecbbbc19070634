"""Pages declare the log-in they need (gateway/deps.py): without it the visitor is sent to the
right log-in form, whose `next` brings them back to the page asked for, or to the page a form
was posted from."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated
from urllib.parse import parse_qs, urlsplit

import httpx
from fastapi import Depends, FastAPI, Request, Response

from gateway.auth import User
from gateway.clients import ServiceError
from gateway.deps import (
    BuyerPage,
    LoginRequired,
    SellerDep,
    SellerPage,
    login_redirect,
    seller_page,
)
from gateway.ids import PathId

SELLER = User(user_id="seller", role="seller", name="판매자")
BUYER = User(user_id="buyer1", role="buyer", name="구매자")
SkuSeller = Annotated[User, Depends(seller_page("/admin/stock/{sku_id}"))]


def app_as(user: User | None) -> FastAPI:
    """Routes guarded the way the gateway's are, with `user` as the session's user."""
    app = FastAPI()

    @app.middleware("http")
    async def session(request: Request,
                      call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        request.state.user = user
        return await call_next(request)

    app.add_exception_handler(LoginRequired, login_redirect)

    async def forbidden(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ServiceError)
        return Response(exc.code, status_code=exc.status_code)

    app.add_exception_handler(ServiceError, forbidden)

    @app.get("/admin/stock/{sku_id}")
    async def sku(sku_id: PathId, user: SellerPage, before: int | None = None) -> str:
        return f"{user.user_id} {sku_id}"

    @app.post("/admin/stock/{sku_id}/adjust")
    async def adjust(sku_id: PathId, user: SkuSeller) -> str:
        return user.user_id

    @app.get("/my")
    async def my(user: BuyerPage) -> str:
        return user.user_id

    @app.get("/api/admin/x")
    async def api(user: SellerDep) -> str:
        return user.user_id

    return app


async def call(user: User | None, method: str, url: str) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app_as(user)),
                                 base_url="http://shop") as c:
        return await c.request(method, url)


def next_of(r: httpx.Response, form: str) -> str:
    assert r.status_code == 303, r.text
    location = urlsplit(r.headers["location"])
    assert location.path == form
    return parse_qs(location.query)["next"][0]


async def test_a_seller_page_sends_a_visitor_to_the_seller_log_in_and_back() -> None:
    r = await call(None, "GET", "/admin/stock/SKU-1?before=7")
    assert next_of(r, "/admin/login") == "/admin/stock/SKU-1?before=7"
    assert (await call(SELLER, "GET", "/admin/stock/SKU-1")).json() == "seller SKU-1"


async def test_a_form_post_brings_the_seller_back_to_the_page_it_names() -> None:
    r = await call(None, "POST", "/admin/stock/SKU-1/adjust")
    assert next_of(r, "/admin/login") == "/admin/stock/SKU-1"
    assert (await call(SELLER, "POST", "/admin/stock/SKU-1/adjust")).json() == "seller"


async def test_a_buyer_on_a_seller_page_is_refused_and_a_seller_on_my_page_logs_in() -> None:
    r = await call(BUYER, "GET", "/admin/stock/SKU-1")
    assert (r.status_code, r.text) == (403, "forbidden")
    assert next_of(await call(SELLER, "GET", "/my"), "/login") == "/my"
    assert next_of(await call(None, "GET", "/my"), "/login") == "/my"
    assert (await call(BUYER, "GET", "/my")).json() == "buyer1"


async def test_the_api_answers_401_and_403_instead_of_redirecting() -> None:
    assert (await call(None, "GET", "/api/admin/x")).status_code == 401
    assert (await call(BUYER, "GET", "/api/admin/x")).status_code == 403
    assert (await call(SELLER, "GET", "/api/admin/x")).json() == "seller"
