"""연동 현황: every outbound partner call (Naver Pay, Talk Checkout, PayPal), pending, waiting,
done, dead or given up, per partner and per order, with the partner's last answer; retry and
cancel. A failed sync is never silent. And PayPal's 배송정보 연동 settings (the REST app the
tracking push calls with)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError

from gateway.api.orders import PayPalTrackingIn
from gateway.clients import ServiceError
from gateway.deps import SellerPage, ServicesDep, SettingsDep
from gateway.ids import PathId
from gateway.web import back, flash, flash_error, local_path, render

router = APIRouter(include_in_schema=False)
STATES = ("PENDING", "WAITING", "DEAD", "DONE", "CANCELLED")
PARTNERS = ("NAVERPAY", "TALKCHECKOUT", "PAYPAL")


@router.get("/admin/integrations")
async def sync_status(services: ServicesDep, settings: SettingsDep, request: Request,
                      _: SellerPage,
                      state: Literal["", "PENDING", "WAITING", "DEAD", "DONE",
                                     "CANCELLED"] = "DEAD",
                      partner: Literal["", "NAVERPAY", "TALKCHECKOUT", "PAYPAL"] = "") -> Response:
    params = {k: v for k, v in (("state", state), ("partner", partner)) if v}
    tasks = await services.integrations.get("/partner-tasks", params={**params, "limit": 200})
    counts = await services.integrations.get("/partner-tasks/counts")
    paypal = await services.integrations.get("/paypal/tracking-settings") \
        if settings.paypal_enabled else None
    return render(request, "admin/integrations.html", tasks=tasks, counts=counts,
                  state=state, partner=partner, states=STATES, partners=PARTNERS, paypal=paypal)


@router.get("/admin/integrations/paypal")
async def paypal_settings(services: ServicesDep, request: Request, _: SellerPage) -> Response:
    """배송정보 연동: without it, PayPal orders' tracking pushes wait (and every page says so)."""
    values = await services.integrations.get("/paypal/tracking-settings")
    return render(request, "admin/paypal_settings.html", values=values)


@router.post("/admin/integrations/paypal")
async def save_paypal_settings(services: ServicesDep, request: Request,
                               _: SellerPage) -> Response:
    form = await request.form()
    try:
        body = PayPalTrackingIn(client_id=str(form.get("client_id", "")).strip(),
                                client_secret=str(form.get("client_secret", "")).strip(),
                                env=str(form.get("env") or "live"))  # type: ignore[arg-type]
        await services.integrations.put("/paypal/tracking-settings", body.model_dump())
        flash(request, "ok", "pp_msg_saved")
    except (ServiceError, ValidationError) as exc:
        flash_error(request, exc)
    return back("/admin/integrations/paypal")


@router.post("/admin/integrations/tasks/{task_id}/{action}")
async def act(services: ServicesDep, request: Request, _: SellerPage, task_id: PathId,
              action: Literal["retry", "cancel"]) -> Response:
    try:
        await services.integrations.post(f"/partner-tasks/{task_id}/{action}", {})
        flash(request, "ok", f"sync_msg_{action}")
    except ServiceError as exc:
        if exc.status_code == 404:
            raise
        flash_error(request, exc)
    return_to = local_path(str((await request.form()).get("return_to", "")), "")
    return back(return_to if return_to.startswith("/admin/") else "/admin/integrations")
