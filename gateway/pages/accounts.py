"""Log-in and log-out pages (buyer and seller) and the language switch."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from gateway.auth import (
    Accounts,
    TooManyAttempts,
    client_address,
    sign_in,
    sign_out,
)
from gateway.deps import AccountsDep
from gateway.web import (
    back,
    flash,
    local_path,
    path_of,
    render,
)

router = APIRouter(include_in_schema=False)


@router.get("/lang")
async def set_lang(request: Request, to: str = "ko") -> Response:
    referer = urlsplit(request.headers.get("referer") or "/")
    same_site = not referer.netloc or referer.netloc == request.url.netloc
    resp = back(local_path(path_of(referer.geturl()), "/") if same_site else "/")
    resp.set_cookie("lang", "en" if to == "en" else "ko", max_age=365 * 86400)
    return resp


async def do_login(accounts: Accounts, request: Request, role: str, user_id: str, password: str, next_: str,
                   form: str, default: str) -> Response:
    try:
        user = await accounts.verify(user_id, password, role, client_address(request))
    except TooManyAttempts as exc:
        flash(request, "error", "msg_too_many_attempts",
              minutes=exc.minutes)
        user = None
    else:
        if user is None:
            flash(request, "error", "msg_bad_credentials")
    if user is None:
        return back(f"{form}?next={quote(local_path(next_, default))}")
    await sign_in(accounts, request, user)
    return back(local_path(next_, default))


@router.get("/login")
async def login_page(request: Request, next: str = "/my") -> HTMLResponse:
    return render(request, "shop/login.html", action="/login", title="login",
                  next=local_path(next, "/my"))


@router.post("/login")
async def login(accounts: AccountsDep, request: Request, user_id: str = Form(), password: str = Form(),
                next: str = Form("/my")) -> Response:
    return await do_login(accounts, request, "buyer", user_id, password, next, "/login", "/my")


@router.get("/admin/login")
async def admin_login_page(request: Request, next: str = "/admin/orders") -> HTMLResponse:
    return render(request, "shop/login.html", action="/admin/login", title="seller_login",
                  next=local_path(next, "/admin/orders"))


@router.post("/admin/login")
async def admin_login(accounts: AccountsDep, request: Request, user_id: str = Form(), password: str = Form(),
                      next: str = Form("/admin/orders")) -> Response:
    return await do_login(accounts, request, "seller", user_id, password, next, "/admin/login",
                          "/admin/orders")


@router.post("/logout")
async def logout(accounts: AccountsDep, request: Request) -> Response:
    await sign_out(accounts, request)
    return back("/")
