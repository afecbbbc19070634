"""The gateway: buyer storefront, my page, seller admin and their JSON APIs (OpenAPI at /docs)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from prometheus_client import CONTENT_TYPE_LATEST, Counter, generate_latest
from pymongo import AsyncMongoClient
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware

from gateway import api, claims_api, claims_pages, inventory_pages, pages
from gateway.auth import Accounts
from gateway.clients import Services
from gateway.coupons_pages import router as coupons_router
from gateway.orders import OrderGateway
from gateway.settings import GatewaySettings
from kit import guard, logs

settings = GatewaySettings()
logs.configure("gateway", settings.log_level)
client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(settings.mongodb_url, tz_aware=True)
accounts = Accounts(client["gateway"])
services = Services(settings.orders_url, settings.inventory_url, settings.claims_url,
                    settings.coupons_url, settings.integrations_url)
gw = OrderGateway(services, settings)


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    yield
    await services.close()
    await client.close()


app = FastAPI(title="OMS gateway", lifespan=lifespan,
              description="Storefront, my page and seller admin APIs of 주문관리v2")
app.add_middleware(SessionMiddleware, secret_key=settings.session_secret,
                   session_cookie="oms_session", same_site="lax")
app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
app.include_router(api.router(gw, accounts))
app.include_router(claims_api.router(gw)), app.include_router(claims_pages.router(gw))
app.include_router(pages.router(gw, accounts))
app.include_router(inventory_pages.router(gw))
app.include_router(coupons_router(gw, accounts))  # coupons pages and /api coupons routes


REQUESTS = Counter("oms_gateway_requests_total", "Gateway requests", ["method", "route", "status"])


SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
}


@app.middleware("http")
async def with_security_headers(request: Request,
                                call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    response = await call_next(request)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


@app.middleware("http")
async def with_correlation_id(request: Request,
                              call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    cid = request.headers.get("x-correlation-id") or uuid.uuid4().hex
    logs.correlation_id.set(cid)
    response = await call_next(request)
    response.headers["x-correlation-id"] = cid
    route = request.scope.get("route")
    REQUESTS.labels(request.method, getattr(route, "path", "unmatched"), response.status_code).inc()
    return response


@app.get("/metrics", tags=["ops"])
async def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api") and "text/html" in request.headers.get(
        "accept", "")


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    detail = guard.http_detail(exc)
    if _wants_html(request):
        # Autoescaped template: the message may echo the request (e.g. an unknown order id).
        return pages.render(request, "error.html", status_code=exc.status_code,
                            status=exc.status_code, message=detail["message"])
    return JSONResponse(detail, status_code=exc.status_code, headers=exc.headers)


async def invalid(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    bad_ids = [e for e in exc.errors() if e["loc"][:1] == ("path",)]
    if not _wants_html(request):
        return guard.invalid_input(exc)
    message = (f"not a valid id: {guard.safe_text(bad_ids[0].get('input', ''), 100)}" if bad_ids
               else guard.problem(guard.validation_errors(exc))[1])
    return pages.render(request, "error.html", status_code=422, status=422, message=message)


# Bounded bodies (uploads get more), {error, message} for every refusal, a clean 500 otherwise.
guard.install(app, settings.max_body_bytes, larger={
    "/api/admin/invoice-uploads": settings.max_upload_body_bytes,
    "/admin/invoice-uploads": settings.max_upload_body_bytes}, http_error=http_error,
    invalid=invalid)


@app.get("/health", tags=["ops"])
async def health() -> JSONResponse:
    try:
        await client.admin.command("ping")
    except Exception:
        return JSONResponse({"service": "gateway", "status": "db unreachable"}, status_code=503)
    return JSONResponse({"service": "gateway", "status": "ok"})
