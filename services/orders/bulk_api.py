"""HTTP API of bulk jobs: create, follow progress, browse per-item results."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query

from contracts.inputs import INT64_MAX, Moment
from orders.bulk import BulkJobs, CreateJob


def router(jobs: BulkJobs) -> APIRouter:
    r = APIRouter(prefix="/bulk-jobs")

    @r.post("", status_code=201)
    async def create(cmd: CreateJob) -> dict[str, Any]:
        return await jobs.create(cmd)

    @r.get("")
    async def recent(limit: int = Query(50, ge=1, le=200),
                     before: Moment | None = None,  # next_before of the previous page
                     status: Literal["QUEUED", "RUNNING", "DONE"] | None = None,
                     ) -> dict[str, Any]:
        return await jobs.recent(limit, before, status)

    @r.get("/{job_id}")
    async def get(job_id: str) -> dict[str, Any]:
        return await jobs.get(job_id)

    @r.get("/{job_id}/items")
    async def items(job_id: str, state: Literal["PENDING", "DONE", "FAILED"] | None = None,
                    after: int = Query(-1, ge=-1, le=INT64_MAX),
                    limit: int = Query(100, ge=1, le=1000)) -> dict[str, Any]:
        await jobs.get(job_id)
        return await jobs.items(job_id, state, after, limit)

    return r
