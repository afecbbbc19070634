"""HTTP parts every service shares: health, metrics, correlation ids, 4xx for refused requests."""

from __future__ import annotations

import hmac
import uuid
from collections.abc import Awaitable, Callable, Iterable

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel

from kit import guard
from kit.errors import DomainError
from kit.logs import correlation_id
from kit.runtime import Runtime


class ClockMove(BaseModel):
    seconds: float


SERVICE_TOKEN_HEADER = "x-service-token"
# Open without the credential: probes, and nothing else unless a service names more.
OPEN_PATHS = ("/health", "/metrics")


def service_app(runtime: Runtime, title: str, open_prefixes: Iterable[str] = ()) -> FastAPI:
    """A service's HTTP app. Every route but `OPEN_PATHS` and `open_prefixes` (partner webhooks,
    which carry their own signature) needs the service credential."""
    app = FastAPI(title=title, lifespan=runtime.lifespan)
    token = runtime.settings.service_token.encode()
    open_paths = (*OPEN_PATHS, *open_prefixes)

    @app.middleware("http")
    async def with_service_credential(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if not request.url.path.startswith(open_paths):
            given = request.headers.get(SERVICE_TOKEN_HEADER, "").encode()
            if not hmac.compare_digest(given, token):
                return JSONResponse(
                    {"error": "unauthenticated",
                     "message": f"internal API: the {SERVICE_TOKEN_HEADER} credential is "
                                "missing or wrong"},
                    status_code=401)
        return await call_next(request)
    guard.install(app, runtime.settings.max_body_bytes)

    @app.middleware("http")
    async def with_correlation_id(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        cid = request.headers.get("x-correlation-id") or uuid.uuid4().hex
        correlation_id.set(cid)
        response = await call_next(request)
        response.headers["x-correlation-id"] = cid
        return response

    @app.exception_handler(DomainError)
    async def refused(_request: Request, exc: DomainError) -> JSONResponse:
        return JSONResponse(exc.as_json(), status_code=exc.status_code)

    @app.get("/health", tags=["ops"])
    async def health() -> JSONResponse:
        ok = runtime.ready
        try:
            await runtime.client.admin.command("ping")
        except Exception:
            ok = False
        return JSONResponse(
            {"service": runtime.name, "status": "ok" if ok else "starting"},
            status_code=200 if ok else 503,
        )

    @app.get("/metrics", tags=["ops"])
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    if runtime.settings.allow_clock_control:

        @app.post("/_test/clock", tags=["ops"])
        async def move_clock(move: ClockMove) -> dict[str, float]:
            runtime.clock.advance(move.seconds)
            offset = runtime.clock.offset.total_seconds()
            # Kept, so a restarted service (or another replica) lives at the same moved time.
            await runtime.db.test_clock.replace_one({"_id": "clock"}, {"offset_seconds": offset},
                                                     upsert=True)
            return {"offset_seconds": offset}

    return app
