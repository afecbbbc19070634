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
from jinja2 import Environment, FileSystemLoader
from pydantic import ValidationError

from contracts.orders.requests import CARRIERS
from gateway.auth import session_user
from gateway.clients import ServiceError
from gateway.csrf import csrf_token
from gateway.i18n import LANGUAGES, krw, kst, language, translations, translator
from kit.guard import FIELD_KEYS


def _environment(lang: str) -> Jinja2Templates:
    """The templates of one language: autoescaped, `_` from its catalog (jinja2.ext.i18n)."""
    env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                      autoescape=True, extensions=["jinja2.ext.i18n"])
    env.install_gettext_translations(translations(lang), newstyle=False)  # type: ignore[attr-defined]
    env.filters["krw"] = krw
    env.filters["kst"] = kst
    return Jinja2Templates(env=env)


TEMPLATES = {lang: _environment(lang) for lang in LANGUAGES}


def flash(request: Request, kind: str, msgid: str, **params: Any) -> None:
    """Queue one of our messages for the next page: `msgid` (e.g. "msg_job_created") of the
    catalogs, filled with `params`."""
    _queue(request, {"kind": kind, "code": msgid, "key": None, "params": params})


def flash_refusal(request: Request, code: str, key: str | None = None, **params: Any) -> None:
    """Queue a refusal (the services' shape, see i18n.Translator.error) for the next page."""
    _queue(request, {"kind": "error", "code": code, "key": key or code, "params": params})


def _queue(request: Request, item: dict[str, Any]) -> None:
    request.session["flashes"] = [*request.session.get("flashes", []), item]


def flash_error(request: Request, exc: Exception) -> None:
    if isinstance(exc, ServiceError):
        flash_refusal(request, exc.code, exc.key, **exc.params)
    elif isinstance(exc, ValidationError):
        err = exc.errors()[0]
        flash_refusal(request, "invalid_input", FIELD_KEYS.get(err["type"], "field_invalid"),
                      field=".".join(str(p) for p in err["loc"]))
    else:
        flash_refusal(request, "invalid_input")


def render(request: Request, name: str, status_code: int = 200, **ctx: Any) -> HTMLResponse:
    lang = language(request.cookies.get("lang"))
    ctx.update(request=request, lang=lang, t=translator(lang), user=session_user(request),
               flashes=request.session.pop("flashes", []), carriers=CARRIERS,
               csrf=csrf_token(request))
    return TEMPLATES[lang].TemplateResponse(request, name, ctx, status_code=status_code)


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


def line_map(order: dict[str, Any]) -> dict[str, Any]:
    return {line["line_id"]: line for line in order["lines"]}

