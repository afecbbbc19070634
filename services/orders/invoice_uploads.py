"""Invoice uploads (송장 일괄 등록): the rows of a seller's spreadsheet, checked here, become one bulk
job per target status (배송대기 / 배송중); the upload keeps the rows it refused and its jobs' ids,
and its report joins them with the jobs' per-item outcomes.

The gateway only reads the file into rows (`UploadRows`); every rule on a row is here: an order
or section is named, the carrier is one we ship with, the invoice number has a carrier's shape,
the action is known, and no section is named twice.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field, StrictInt

from contracts.envelope import Actor
from contracts.orders.requests import CARRIERS, CreateJob, Target
from kit.errors import NotFound
from orders.bulk import BulkJobs
from orders.domain import INVOICE

# 처리 values → bulk action.
ACTIONS: dict[str, str] = {
    "배송대기": "READY_TO_SHIP", "ready to ship": "READY_TO_SHIP", "ready_to_ship": "READY_TO_SHIP",
    "배송중": "SHIP", "shipping": "SHIP", "ship": "SHIP", "shipped": "SHIP",
}
MAX_ROWS = 100_000
CELL_MAX = 200
ORDER_NO_MAX, SECTION_ID_MAX = 40, 60


class UploadRow(BaseModel):
    row: StrictInt = Field(ge=1, le=10_000_000, description="The sheet's line number")
    # As typed in the sheet (the gateway cuts a cell at CELL_MAX): a value too long to be
    # valid is a row error, not a refusal of the whole upload.
    order_no: str = Field(default="", max_length=CELL_MAX)
    section_id: str = Field(default="", max_length=CELL_MAX)
    carrier: str = Field(default="", max_length=CELL_MAX)
    invoice_no: str = Field(default="", max_length=CELL_MAX)
    action_text: str = Field(default="", max_length=CELL_MAX)


class UploadRows(BaseModel):
    filename: str = Field(min_length=1, max_length=200)
    rows: list[UploadRow] = Field(max_length=MAX_ROWS)
    actor: Actor


def check_rows(rows: list[UploadRow]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(good rows as bulk targets with their action, bad rows with their error codes)."""
    good: list[dict[str, Any]] = []
    bad: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], int] = {}
    for r in rows:
        entry = r.model_dump(exclude={"row"})
        errors: list[dict[str, Any]] = []
        if not r.order_no and not r.section_id:
            errors.append({"code": "row_no_order"})
        elif len(r.order_no) > ORDER_NO_MAX or len(r.section_id) > SECTION_ID_MAX:
            errors.append({"code": "row_bad_order",
                           "value": (r.order_no if len(r.order_no) > ORDER_NO_MAX
                                     else r.section_id)[:60]})
        elif r.order_no and r.section_id and not r.section_id.startswith(r.order_no + "-"):
            errors.append({"code": "row_section_mismatch"})
        if not r.carrier:
            errors.append({"code": "row_no_carrier"})
        elif r.carrier not in CARRIERS:
            errors.append({"code": "row_unknown_carrier", "value": r.carrier})
        if not r.invoice_no:
            errors.append({"code": "row_no_invoice"})
        elif not INVOICE.match(r.invoice_no):
            errors.append({"code": "row_bad_invoice", "value": r.invoice_no})
        action = ACTIONS.get(r.action_text.lower())
        if action is None:
            errors.append({"code": "row_unknown_action", "value": r.action_text})
        key = (r.order_no or r.section_id.rsplit("-", 1)[0], r.section_id)
        if not errors and key in seen:
            errors.append({"code": "row_duplicate", "value": str(seen[key])})
        if errors:
            bad.append({"row": r.row, **entry, "errors": errors})
            continue
        seen[key] = r.row
        good.append({"row": r.row, "action": action, "order_no": key[0],
                     "section_id": r.section_id, "carrier": r.carrier,
                     "invoice_no": r.invoice_no, "action_text": r.action_text})
    return good, bad


def public(upload: dict[str, Any]) -> dict[str, Any]:
    doc = {k: v for k, v in upload.items() if k not in ("_id", "good_rows")}
    doc["upload_id"] = upload["_id"]
    return doc


class InvoiceUploads:
    def __init__(self, jobs: BulkJobs) -> None:
        self.jobs = jobs
        self.db = jobs.db

    async def create(self, cmd: UploadRows) -> dict[str, Any]:
        good, bad = check_rows(cmd.rows)
        jobs: dict[str, str] = {}
        for action in ("READY_TO_SHIP", "SHIP"):
            targets = [Target(**{k: g[k] for k in ("order_no", "section_id", "carrier",
                                                   "invoice_no", "row")})
                       for g in good if g["action"] == action]
            if targets:
                job = await self.jobs.create(CreateJob(
                    action=action, targets=targets, actor=cmd.actor,  # type: ignore[arg-type]
                    source=f"invoice upload · {cmd.filename}"[:200]))
                jobs[action] = job["job_id"]
        upload = {"_id": uuid.uuid4().hex[:12], "filename": cmd.filename,
                  "created_at": self.jobs.service.clock.now(), "actor": cmd.actor.model_dump(),
                  "rows": len(good) + len(bad), "good": len(good), "bad_rows": bad,
                  "good_rows": [{k: g[k] for k in ("row", "action_text")} for g in good],
                  "jobs": jobs}
        await self.db.invoice_uploads.insert_one(upload)
        return public(upload)

    async def recent(self, limit: int) -> list[dict[str, Any]]:
        """The newest uploads, without their rows."""
        found = self.db.invoice_uploads.find({}, {"bad_rows": 0, "good_rows": 0})
        return [public(u) for u in await found.sort("created_at", -1).limit(limit).to_list()]

    async def report(self, upload_id: str) -> dict[str, Any]:
        """The upload's per-row result: validation errors, and each job item's outcome."""
        upload = await self.db.invoice_uploads.find_one({"_id": upload_id})
        if upload is None:
            raise NotFound("upload", upload_id)
        jobs = {action: await self.jobs.get(job_id) for action, job_id in upload["jobs"].items()}
        finished = all(j["status"] == "DONE" for j in jobs.values())
        action_text = {g["row"]: g["action_text"] for g in upload.get("good_rows", [])}
        rows: list[dict[str, Any]] = [
            {**b, "state": "INVALID", "action": ACTIONS.get(b["action_text"].lower(), "")}
            for b in upload["bad_rows"]]
        if finished:
            for action, job in jobs.items():
                after: int | None = -1
                while after is not None:
                    page = await self.jobs.items(job["job_id"], None, after, 1000)
                    for item in page["items"]:
                        rows.append({"row": item.get("row"), "order_no": item["order_no"],
                                     "section_id": item["section_id"], "carrier": item["carrier"],
                                     "invoice_no": item["invoice_no"], "action": action,
                                     "action_text": action_text.get(item.get("row"), ""),
                                     "state": item["state"], "reason": item["reason"],
                                     "why": item.get("why")})
                    after = page["next_after"]
        rows.sort(key=lambda x: (x["row"] is None, x["row"] or 0))
        done = sum(r["state"] == "DONE" for r in rows)
        return {**public(upload), "finished": finished, "job_states": jobs, "rows": rows,
                "summary": {"rows": upload["rows"], "invalid": len(upload["bad_rows"]),
                            "done": done, "failed": sum(r["state"] == "FAILED" for r in rows)}}


async def ensure_indexes(db: Any) -> None:
    await db.invoice_uploads.create_index([("created_at", -1)])


def router(uploads: InvoiceUploads) -> APIRouter:
    r = APIRouter(prefix="/invoice-uploads")

    @r.post("", status_code=201)
    async def create(cmd: UploadRows) -> dict[str, Any]:
        return await uploads.create(cmd)

    @r.get("")
    async def recent(limit: int = Query(20, ge=1, le=100)) -> dict[str, Any]:
        return {"uploads": await uploads.recent(limit)}

    @r.get("/{upload_id}")
    async def report(upload_id: str) -> dict[str, Any]:
        return await uploads.report(upload_id)

    return r
