"""The gateway: buyer storefront, my page, seller admin and their JSON APIs (OpenAPI at /docs)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

from fastapi import Depends, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from prometheus_client import CONTENT_TYPE_LATEST, Counter, generate_latest
from pymongo import AsyncMongoClient
from starlette.exceptions import HTTPException
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.middleware.sessions import SessionMiddleware

from gateway import csrf, deps, web
from gateway.api import accounts as accounts_api
from gateway.api import bulk_jobs as bulk_jobs_api
from gateway.api import claims as claims_api
from gateway.api import coupons as coupons_api
from gateway.api import inventory as inventory_api
from gateway.api import my_page as my_page_api
from gateway.api import orders as orders_api
from gateway.api import shop as shop_api
from gateway.api import spreadsheets as spreadsheets_api
from gateway.auth import Accounts, session_resolver
from gateway.clients import Services
from gateway.i18n import translator
from gateway.orders import OrderGateway
from gateway.pages import accounts as accounts_pages
from gateway.pages import bulk_jobs as bulk_jobs_pages
from gateway.pages import claims as claims_pages
from gateway.pages import coupons as coupons_pages
from gateway.pages import integrations as integrations_pages
from gateway.pages import inventory as inventory_pages
from gateway.pages import my_page as my_page_pages
from gateway.pages import order_tabs as order_tabs_pages
from gateway.pages import orders as orders_pages
from gateway.pages import shop as shop_pages
from gateway.pages import spreadsheets as spreadsheets_pages
from gateway.settings import GatewaySettings
from kit import guard, logs

settings = GatewaySettings()
logs.configure("gateway", settings.log_level)
client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(settings.mongodb_url, tz_aware=True)
accounts = Accounts(client["gateway"], account_limit=settings.login_attempts_per_account,
                    address_limit=settings.login_attempts_per_address,
                    window=timedelta(minutes=settings.login_window_minutes),
                    session_idle=timedelta(hours=settings.session_idle_hours))
services = Services(settings)
gw = OrderGateway(services, settings)


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    yield
    await services.close()
    await client.close()


app = FastAPI(title="OMS gateway", lifespan=lifespan,
              description="Storefront, my page and seller admin APIs of 주문관리v2",
              dependencies=[Depends(csrf.guard(settings.public_url))])
# Added first, so it runs inside SessionMiddleware: the signed cookie holds only the session id.
app.add_middleware(BaseHTTPMiddleware, dispatch=session_resolver(accounts))
app.add_middleware(SessionMiddleware, secret_key=settings.session_secret,
                   session_cookie="oms_session", same_site="lax",
                   https_only=settings.session_cookie_secure)
app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
app.state.gateway = gw  # what deps.GatewayDep, ServicesDep and SettingsDep hand the routes
app.state.accounts = accounts  # deps.AccountsDep
# Every router of the gateway, included here only. Within each group the first match wins, so
# a literal path (/admin/orders/tabs) comes before its module's /admin/orders/{order_id}.
API = (accounts_api, shop_api, my_page_api, orders_api, bulk_jobs_api, spreadsheets_api, claims_api,
       inventory_api, coupons_api)
PAGES = (accounts_pages, shop_pages, my_page_pages, claims_pages, spreadsheets_pages,
         order_tabs_pages, bulk_jobs_pages, orders_pages, inventory_pages, coupons_pages,
         integrations_pages)
for module in (*API, *PAGES):
    app.include_router(module.router)


REQUESTS = Counter("oms_gateway_requests_total", "Gateway requests", ["method", "route", "status"])


# No inline script anywhere: page behaviour lives in /static/*.js, server data reaches it in data-
# attributes or <script type="application/json"> blocks. Inline style attributes stay allowed.
# Forms post to this site only, except that placing a card order redirects the posted form to
# the PG's checkout page, a simple-pay order to its partner's, a PayPal order to PayPal's
# approval page (browsers check form-action on that redirect too).
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:", "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'self'",
    "object-src 'none'", f"form-action 'self' {settings.pg_checkout_origin} "
    f"{settings.naverpay_checkout_origin} {settings.talkcheckout_checkout_origin} "
    f"{settings.paypal_checkout_origin}"])
# FastAPI's own OpenAPI pages (/docs, /redoc) load Swagger UI and ReDoc from their CDN and start
# them with an inline script; they show no user data. Every other response gets the policy above.
DOCS_POLICY = "; ".join([
    "default-src 'self'", "script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net",
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com",
    "font-src https://fonts.gstatic.com", "img-src 'self' data: https://fastapi.tiangolo.com",
    "worker-src blob:", "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'self'",
    "object-src 'none'", "form-action 'self'"])
DOCS_PATHS = {app.docs_url, app.redoc_url, app.swagger_ui_oauth2_redirect_url}
SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "content-security-policy": CONTENT_SECURITY_POLICY,
}


@app.middleware("http")
async def with_security_headers(request: Request,
                                call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    response = await call_next(request)
    if request.url.path in DOCS_PATHS:
        response.headers.setdefault("content-security-policy", DOCS_POLICY)
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
        t = translator(request.cookies.get("lang", "ko"))
        return web.render(request, "error.html", status_code=exc.status_code,
                          status=exc.status_code,
                          message=t.error(detail["error"], detail.get("key"), detail.get("params")))
    return JSONResponse(detail, status_code=exc.status_code, headers=exc.headers)


async def invalid(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    bad_ids = [e for e in exc.errors() if e["loc"][:1] == ("path",)]
    if not _wants_html(request):
        return guard.invalid_input(exc)
    t = translator(request.cookies.get("lang", "ko"))
    if bad_ids:
        message = t.error("invalid_id", "bad_id",
                          {"value": guard.safe_text(str(bad_ids[0].get("input", "")), 100)})
    else:
        p = guard.problem(guard.validation_errors(exc))
        message = t.error(p.code, p.key, p.params)
    return web.render(request, "error.html", status_code=422, status=422, message=message)


# Bounded bodies (uploads get more), {error, message} for every refusal, a clean 500 otherwise.
guard.install(app, settings.max_body_bytes, larger={
    "/api/admin/invoice-uploads": settings.max_upload_body_bytes,
    "/admin/invoice-uploads": settings.max_upload_body_bytes}, http_error=http_error,
    invalid=invalid)
app.add_exception_handler(deps.LoginRequired, deps.login_redirect)  # a page that needs a log-in


@app.get("/health", tags=["ops"])
async def health() -> JSONResponse:
    try:
        await client.admin.command("ping")
    except Exception:
        return JSONResponse({"service": "gateway", "status": "db unreachable"}, status_code=503)
    return JSONResponse({"service": "gateway", "status": "ok"})
