"""Cross-site request forgery: every state-changing request must come from this site.

Two checks, on every POST/PUT/PATCH/DELETE:
- the browser's own word: `Origin` (else `Referer`) must be this site and `Sec-Fetch-Site`, when
  sent, `same-origin` (a sibling subdomain is same-*site*, not same-origin, and is refused);
- pages (not `/api`): the form's `csrf_token` (or an `x-csrf-token` header) must equal the one in
  the visitor's session. `/api` takes JSON only, which no other site can send without a CORS
  preflight this gateway never grants.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from fastapi import HTTPException, Request

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
FIELD = "csrf_token"


def csrf_token(request: Request) -> str:
    """The visitor's token (made on first use; a log-in makes a new one)."""
    token = request.session.get("csrf")
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


def _same_origin(request: Request, public_url: str) -> bool:
    ours = {_origin(public_url), f"{request.url.scheme}://{request.headers.get('host', '')}".lower()}
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return False
    claimed = request.headers.get("origin") or request.headers.get("referer")
    if claimed is None:
        return True  # not a browser (browsers send Origin on every cross-origin POST)
    return _origin(claimed) in ours


def refused(code: str, message: str) -> HTTPException:
    return HTTPException(403, {"error": code, "message": message})


def guard(public_url: str) -> Callable[[Request], Awaitable[None]]:
    async def check(request: Request) -> None:
        if request.method in SAFE_METHODS:
            return
        if not _same_origin(request, public_url):
            raise refused("cross_site_request", "this request came from another site")
        if request.url.path.startswith("/api/"):
            return
        given = request.headers.get("x-csrf-token")
        if given is None:
            content_type = request.headers.get("content-type", "")
            if content_type.startswith(("application/x-www-form-urlencoded",
                                        "multipart/form-data")):
                given = str((await request.form()).get(FIELD) or "")
        expected = request.session.get("csrf")
        if not given or not isinstance(expected, str) or not hmac.compare_digest(
                given.encode(), expected.encode()):
            raise refused("csrf_failed", "the form has expired or did not come from this site: "
                                         "reload the page and try again")

    return check
