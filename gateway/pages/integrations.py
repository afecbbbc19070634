"""연동 현황: every outbound partner call (Naver Pay, Talk Checkout), pending, done, dead or
given up, per partner and per order, with the partner's last answer; retry and cancel. A failed
sync is never silent."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response

from gateway.clients import ServiceError
from gateway.deps import SellerPage, ServicesDep
from gateway.ids import PathId
from gateway.web import back, flash, flash_error, local_path, render

router = APIRouter(include_in_schema=False)
STATES = ("PENDING", "DEAD", "DONE", "CANCELLED")
PARTNERS = ("NAVERPAY", "TALKCHECKOUT")


@router.get("/admin/integrations")
async def sync_status(services: ServicesDep, request: Request, _: SellerPage,
                      state: Literal["", "PENDING", "DEAD", "DONE", "CANCELLED"] = "DEAD",
                      partner: Literal["", "NAVERPAY", "TALKCHECKOUT"] = "") -> Response:
    params = {k: v for k, v in (("state", state), ("partner", partner)) if v}
    tasks = await services.integrations.get("/partner-tasks", params={**params, "limit": 200})
    counts = await services.integrations.get("/partner-tasks/counts")
    return render(request, "admin/integrations.html", tasks=tasks, counts=counts,
                  state=state, partner=partner, states=STATES, partners=PARTNERS)


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
