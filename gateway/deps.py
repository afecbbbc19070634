"""What a route declares it needs, as `Annotated` dependencies.

Collaborators: `GatewayDep` (the order use-cases of orders.py), `ServicesDep` (the service
clients), `AccountsDep` (users, sessions, log-in throttling) and `SettingsDep`, all built once by
app.py and kept in `app.state`; a route module imports none of them directly.

JSON API (`/api`): `SellerDep` / `BuyerDep` answer 401 `login_required` without a session and 403
`forbidden` for the other role; `MaybeUserDep` is the session's user or None.

Pages: `SellerPage` / `BuyerPage` send a visitor without the right log-in to the seller's or the
buyer's log-in form, whose `next` brings them back to the page they asked for (its path and
query). A form post names the page to come back to instead: `seller_page("/admin/stock/{sku_id}")`
(the route's path parameters fill the braces). The redirect itself is one exception handler in
app.py (`login_redirect`); a buyer on a seller page gets 403 `forbidden`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request
from fastapi.responses import RedirectResponse

from gateway.auth import Accounts, User, session_user
from gateway.clients import ServiceError, Services
from gateway.orders import OrderGateway
from gateway.settings import GatewaySettings
from gateway.web import back, path_of


def _gateway(request: Request) -> OrderGateway:
    gateway: OrderGateway = request.app.state.gateway
    return gateway


def _services(request: Request) -> Services:
    return _gateway(request).s


def _settings(request: Request) -> GatewaySettings:
    return _gateway(request).settings


def _accounts(request: Request) -> Accounts:
    accounts: Accounts = request.app.state.accounts
    return accounts


GatewayDep = Annotated[OrderGateway, Depends(_gateway)]
ServicesDep = Annotated[Services, Depends(_services)]
SettingsDep = Annotated[GatewaySettings, Depends(_settings)]
AccountsDep = Annotated[Accounts, Depends(_accounts)]


def _require(role: str, status: int) -> Callable[[Request], User]:
    def dependency(request: Request) -> User:
        user = session_user(request)
        if user is None:
            raise HTTPException(401, {"error": "login_required", "message": "log in first"})
        if user.role != role:
            raise HTTPException(status, {"error": "forbidden",
                                         "message": f"this needs a {role} account"})
        return user

    return dependency


SellerDep = Annotated[User, Depends(_require("seller", 403))]
BuyerDep = Annotated[User, Depends(_require("buyer", 403))]
MaybeUserDep = Annotated[User | None, Depends(session_user)]


class LoginRequired(Exception):
    """A page needs a log-in the visitor does not have: answered by a redirect to `form`."""

    def __init__(self, form: str, next_: str) -> None:
        super().__init__(form)
        self.form = form
        self.next = next_


async def login_redirect(_request: Request, exc: Exception) -> RedirectResponse:
    """The exception handler for LoginRequired (installed in app.py)."""
    assert isinstance(exc, LoginRequired)
    return back(f"{exc.form}?next={quote(path_of(exc.next))}")


def _next(request: Request, come_back_to: str | None) -> str:
    return str(request.url) if come_back_to is None else come_back_to.format(**request.path_params)


def seller_page(come_back_to: str | None = None) -> Callable[[Request], User]:
    """The seller of a seller page; without a seller session, the seller log-in (a buyer's
    session: 403). After logging in the seller comes back to the requested page, or to
    `come_back_to` (e.g. the page a form was posted from)."""

    def dependency(request: Request) -> User:
        user = session_user(request)
        if user is None:
            raise LoginRequired("/admin/login", _next(request, come_back_to))
        if user.role != "seller":
            raise ServiceError(403, "forbidden", "this needs a seller account", key="seller_only")
        return user

    return dependency


def buyer_page(come_back_to: str | None = None) -> Callable[[Request], User]:
    """The member of a my-page page; anyone else (a guest, a seller) goes to the buyer log-in."""

    def dependency(request: Request) -> User:
        user = session_user(request)
        if user is None or user.role != "buyer":
            raise LoginRequired("/login", _next(request, come_back_to))
        return user

    return dependency


SellerPage = Annotated[User, Depends(seller_page())]
BuyerPage = Annotated[User, Depends(buyer_page())]
