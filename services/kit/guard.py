"""Hostile input at the HTTP edge, for the gateway and every service alike.

- Request bodies are bounded (413 before more than the limit is read).
- A JSON body must hold only what the database stores: no lone surrogate, no NaN/Infinity/1e400,
  no integer outside MongoDB's int64 (422 otherwise).
- Every refusal answers `{error, message}`; a validation error never echoes the input back.
- An unexpected error is a clean 500 `{error, message}` on a connection that stays usable.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable
from typing import Any, NamedTuple

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("kit.guard")

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
# Status codes Starlette raises itself (unknown route, wrong method, ...) and their error codes.
HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 409: "conflict", 413: "too_large",
              415: "unsupported_media_type", 422: "invalid_input", 429: "too_many_requests"}


def safe_text(value: object, limit: int = 200) -> str:
    """Text fit for a JSON answer or a log line: lone surrogates replaced, length bounded."""
    text = str(value)
    if not text.isascii():
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text if len(text) <= limit else text[:limit] + "…"


def unstorable(value: Any, where: str = "") -> str | None:
    """Where in a parsed JSON document a value the database cannot hold sits (None: all fine)."""
    stack: list[tuple[str, Any]] = [(where, value)]
    while stack:
        at, v = stack.pop()
        if isinstance(v, str):
            if not _encodable(v):
                return f"{at or 'body'}: text holds an invalid character (lone surrogate)"
        elif isinstance(v, bool) or v is None:
            continue
        elif isinstance(v, int):
            if not INT64_MIN <= v <= INT64_MAX:
                return f"{at or 'body'}: number out of range"
        elif isinstance(v, float):
            if not math.isfinite(v):
                return f"{at or 'body'}: number out of range (NaN, Infinity or too large)"
        elif isinstance(v, list):
            stack.extend((f"{at}.{i}" if at else str(i), x) for i, x in enumerate(v))
        elif isinstance(v, dict):
            for k, x in v.items():
                if not _encodable(k):
                    return f"{at or 'body'}: a key holds an invalid character (lone surrogate)"
                stack.append((f"{at}.{k}" if at else k, x))
    return None


def _encodable(text: str) -> bool:
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def refusal(status: int, code: str, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": code, "message": safe_text(message, 500), **extra},
                        status_code=status)


class BodyGuard:
    """Reads the body up to a limit (by path prefix), checks a JSON body, replays it to the app."""

    def __init__(self, app: ASGIApp, max_bytes: int,
                 larger: dict[str, int] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.larger = larger or {}

    def limit_for(self, path: str) -> int:
        for prefix, limit in self.larger.items():
            if path.startswith(prefix):
                return limit
        return self.max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length")
        too_large = refusal(413, "too_large", f"request body over {limit} bytes")
        if declared is not None:
            if not declared.isdigit():
                await refusal(400, "bad_request", "invalid Content-Length")(scope, receive, send)
                return
            if int(declared) > limit:
                await too_large(scope, receive, send)
                return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:  # streamed (chunked) past the limit: stop reading
                await too_large(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        ctype = headers.get(b"content-type", b"").lower()
        if body and (not ctype or b"json" in ctype):
            problem = _json_problem(body)
            if problem:
                await refusal(422, "invalid_input", problem)(scope, receive, send)
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def _json_problem(body: bytes) -> str | None:
    try:
        doc = json.loads(body)
    except RecursionError:
        return "body: nested too deeply"
    except ValueError:
        return None  # not JSON at all: the app's own parsing answers (invalid_json)
    return unstorable(doc)


class CatchAll:
    """An error no handler expected becomes a clean 500: the connection is not reset."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception:
            log.exception("unexpected error on %s %s", scope.get("method"),
                          safe_text(scope.get("path", "")))
            if started:
                raise
            await refusal(500, "internal_error", "internal error")(scope, receive, send)


def validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    """The errors without the input (it may be huge, unprintable or not JSON at all)."""
    return [{"loc": [p if isinstance(p, int) else safe_text(p, 100) for p in e.get("loc", ())],
             "msg": safe_text(e.get("msg", "invalid")), "type": safe_text(e.get("type", ""))}
            for e in exc.errors()]


# The exact case of a validation problem, by pydantic's error type (else `field_invalid`).
FIELD_KEYS = {"missing": "field_required", "string_too_short": "field_required",
              "string_pattern_mismatch": "field_pattern", "string_too_long": "field_too_long"}


class Problem(NamedTuple):
    code: str
    message: str
    key: str
    params: dict[str, Any]


def problem(errors: list[dict[str, Any]]) -> Problem:
    """The first problem as a refusal: code, English message, key and params (the field)."""
    first: dict[str, Any] = errors[0] if errors else {"loc": [], "msg": "invalid input", "type": ""}
    if first["type"] == "json_invalid":
        return Problem("invalid_json", "the request body is not valid JSON", "invalid_json", {})
    loc = list(first["loc"])
    if loc[:1] and loc[0] in ("body", "query", "path", "header", "cookie"):
        loc = loc[1:]
    where = ".".join(str(p) for p in loc)
    return Problem("invalid_input", f"{where}: {first['msg']}" if where else first["msg"],
                   FIELD_KEYS.get(first["type"], "field_invalid"), {"field": where})


def invalid_input(exc: RequestValidationError) -> JSONResponse:
    errors = validation_errors(exc)
    p = problem(errors)
    return refusal(422, p.code, p.message, key=p.key, params=p.params, errors=errors)


def http_detail(exc: StarletteHTTPException) -> dict[str, Any]:
    if isinstance(exc.detail, dict) and "error" in exc.detail:
        detail = {"error": safe_text(exc.detail["error"], 100),
                  "message": safe_text(exc.detail.get("message", ""), 500)}
        if isinstance(exc.detail.get("params"), dict):
            detail.update(key=safe_text(exc.detail.get("key") or detail["error"], 100),
                          params=exc.detail["params"])
        return detail
    return {"error": HTTP_CODES.get(exc.status_code, "error"),
            "message": safe_text(exc.detail, 500)}


def install(app: FastAPI, max_body_bytes: int, larger: dict[str, int] | None = None,
            http_error: Callable[..., Any] | None = None,
            invalid: Callable[..., Any] | None = None) -> None:
    """Body limits, the 422 and HTTP error handlers and the catch-all, on one app."""
    app.user_middleware.insert(0, Middleware(BodyGuard, max_bytes=max_body_bytes,
                                             larger=larger))  # outermost
    app.user_middleware.append(Middleware(CatchAll))  # innermost: headers still get added

    async def plain_invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return invalid_input(exc)

    async def plain_http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(http_detail(exc), status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    on_invalid: Callable[..., Any] = invalid or plain_invalid
    on_http_error: Callable[..., Any] = http_error or plain_http_error
    app.add_exception_handler(RequestValidationError, on_invalid)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
