"""The ground floor of the server-rendered pages: the template environment, `render`, flash
messages, redirects and the checks on redirect targets. Every page module stands on this one;
it imports none of them."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError

from contracts.orders.requests import CARRIERS
from gateway.auth import session_user
from gateway.clients import ServiceError
from gateway.csrf import csrf_token
from gateway.i18n import krw, kst, translator

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.filters["krw"] = krw
templates.env.filters["kst"] = kst


def flash(request: Request, kind: str, code: str, message: str = "", **params: Any) -> None:
    """Queue a message for the next page. `code` is an i18n key (ours, e.g. "msg_job_created")
    or a service error code; `message` the service's own text, translated when it is a known
    one; `params` fill the translated text's {placeholders}."""
    item = {"kind": kind, "code": code, "message": message, "params": params}
    request.session["flashes"] = [*request.session.get("flashes", []), item]


def flash_error(request: Request, exc: Exception) -> None:
    if isinstance(exc, ServiceError):
        flash(request, "error", exc.code, exc.message)
    elif isinstance(exc, ValidationError):
        flash(request, "error", "invalid_input", readable(exc))
    else:
        flash(request, "error", "invalid_input", str(exc))


def render(request: Request, name: str, status_code: int = 200, **ctx: Any) -> HTMLResponse:
    lang = request.cookies.get("lang", "ko")
    ctx.update(request=request, lang=lang, t=translator(lang), user=session_user(request),
               flashes=request.session.pop("flashes", []), carriers=CARRIERS,
               csrf=csrf_token(request))
    return templates.TemplateResponse(request, name, ctx, status_code=status_code)


def back(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def local_path(url: str, default: str = "/") -> str:
    """`url` when it is a path on this site ("/x", not "//host" or "/\\host"), else `default`:
    a redirect target taken from a query, form or header never leads off-site."""
    if (not url.startswith("/") or url[1:2] in ("/", "\\")
            or any(c in url for c in "\\\r\n\t") or urlsplit(url).netloc):
        return default
    return url


def path_of(url: str) -> str:
    """The path and query of a full URL (e.g. request.url): what a log-in `next` may carry."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def readable(exc: Exception) -> str:
    if isinstance(exc, ServiceError):
        return exc.message
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        return f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}"
    return str(exc)


def line_map(order: dict[str, Any]) -> dict[str, Any]:
    return {line["line_id"]: line for line in order["lines"]}

