"""HTTP parts every service shares: health, metrics, correlation ids, 4xx for refused requests."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

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


def service_app(runtime: Runtime, title: str) -> FastAPI:
    app = FastAPI(title=title, lifespan=runtime.lifespan)
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
        return JSONResponse(
            {"error": exc.code, "message": exc.message}, status_code=exc.status_code
        )

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
