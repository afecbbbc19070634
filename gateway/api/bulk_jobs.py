"""The sellers' bulk jobs API (/api/admin/jobs): start one on a selection or a whole list,
follow its progress and per-item results."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from contracts.orders.requests import JobRequest
from contracts.orders.responses import BulkItemPage, BulkJobOut, BulkJobPage, BulkJobProgress
from gateway.clients import forwarded
from gateway.deps import SellerDep, ServicesDep
from gateway.ids import PathId
from gateway.orders import actor_of

router = APIRouter(prefix="/api")


@router.post("/admin/bulk-jobs", status_code=201, tags=["admin bulk"], response_model=BulkJobOut)
async def create_job(services: ServicesDep, body: JobRequest, user: SellerDep) -> Any:
    return await services.orders.post("/bulk-jobs", {**forwarded(body),
                                                     "actor": actor_of(user).model_dump()})


@router.get("/admin/bulk-jobs", tags=["admin bulk"], response_model=BulkJobPage)
async def jobs(services: ServicesDep, _: SellerDep, limit: int = 50, before: str | None = None,
               status: str | None = None) -> Any:
    params = {k: v for k, v in {"limit": limit, "before": before, "status": status}.items()
              if v}
    return await services.orders.get("/bulk-jobs", params=params)


@router.get("/admin/bulk-jobs/{job_id}", tags=["admin bulk"], response_model=BulkJobProgress)
async def job(services: ServicesDep, job_id: PathId, _: SellerDep) -> Any:
    return await services.orders.get(f"/bulk-jobs/{job_id}")


@router.get("/admin/bulk-jobs/{job_id}/items", tags=["admin bulk"], response_model=BulkItemPage)
async def job_items(services: ServicesDep, job_id: PathId, _: SellerDep, state: str | None = None, after: int = -1,
                    limit: int = 100) -> Any:
    params: dict[str, Any] = {"after": after, "limit": limit}
    if state:
        params["state"] = state
    return await services.orders.get(f"/bulk-jobs/{job_id}/items", params=params)
