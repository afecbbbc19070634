"""Bulk processing: no count limit, per-item results, survives a restart without doing any
item twice."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from contracts.orders.v1 import SectionStatus
from tests.conftest import Shop, eventually
from tests.seeding import seed_orders

SELLER = {"kind": "seller", "id": "seller", "name": "김판매"}


async def job_state(shop: Shop, job_id: str) -> dict:
    return (await shop.orders_svc.get(f"/bulk-jobs/{job_id}")).json()


async def finished(shop: Shop, job_id: str, timeout: float = 120) -> dict:
    async def done() -> dict | None:
        job = await job_state(shop, job_id)
        return job if job["status"] == "DONE" else None

    return await eventually(done, timeout, f"job {job_id} finished")


async def test_a_bulk_job_reports_each_item_and_refuses_only_the_bad_ones(shop: Shop) -> None:
    preparing = await seed_orders(shop.stack.infra.mongo, 30, SectionStatus.PREPARING)
    unpaid = await seed_orders(shop.stack.infra.mongo, 5, SectionStatus.PAYMENT_PENDING)
    seller = await shop.seller()
    r = await seller.post("/api/admin/bulk-jobs", json={
        "action": "READY_TO_SHIP",
        "targets": [{"order_id": i} for i in preparing + unpaid] + [{"order_no": "NOPE-1"}]})
    assert r.status_code == 201, r.text
    job = await finished(shop, r.json()["job_id"])
    assert (job["total"], job["done"], job["failed"]) == (36, 30, 6)
    items = (await seller.get(f"/api/admin/bulk-jobs/{job['job_id']}/items",
                              params={"state": "FAILED"})).json()["items"]
    reasons = sorted(i["reason"] for i in items)
    assert "order NOPE-1 not found" in reasons
    assert sum("no section in PREPARING (sections are PAYMENT_PENDING)" in x for x in reasons) == 5
    order = await shop.order(preparing[0])
    assert order["sections"][0]["status"] == "READY_TO_SHIP"
    assert order["timeline"][-1]["actor"]["id"] == "seller"


async def test_a_job_on_a_whole_tab_has_no_count_limit(shop: Shop) -> None:
    await seed_orders(shop.stack.infra.mongo, 1200, SectionStatus.DELIVERED, prefix="TABJOB")
    seller = await shop.seller()
    r = await seller.post("/api/admin/bulk-jobs", json={
        "action": "DELIVER", "filter": {"statuses": ["DELIVERED"], "q": ""}})
    assert r.status_code == 201
    # Delivered sections cannot be delivered again: every item fails on its own, readably.
    job = await finished(shop, r.json()["job_id"])
    assert job["total"] >= 1200 and job["done"] == 0 and job["failed"] == job["total"]


async def test_a_tab_job_created_right_after_another_job_covers_every_order_that_job_moved(
        shop: Shop) -> None:
    # 1,900 orders alone on one day (Korea time), so the tab holds exactly these.
    day = (datetime.now(UTC) + timedelta(hours=9) - timedelta(days=200)).date()
    start = datetime(day.year, day.month, day.day, tzinfo=UTC) - timedelta(hours=9)
    ids = await seed_orders(shop.stack.infra.mongo, 1900, SectionStatus.PREPARING, start=start)
    seller = await shop.seller()
    r = await seller.post("/api/admin/bulk-jobs", json={
        "action": "SHIP", "targets": [{"order_id": i, "carrier": "CJ대한통운",
                                       "invoice_no": f"7{n:011d}"} for n, i in enumerate(ids)]})
    assert r.status_code == 201, r.text
    shipping = r.json()["job_id"]
    # 배송완료 on the whole 배송중 tab of that day, at once: the list still lags behind.
    r = await seller.post("/api/admin/bulk-jobs", json={"action": "DELIVER", "filter": {
        "statuses": ["SHIPPING"], "date_from": day.isoformat(), "date_to": day.isoformat()}})
    assert r.status_code == 201, r.text
    assert (await finished(shop, shipping))["done"] == 1900
    job = await finished(shop, r.json()["job_id"])
    assert (job["total"], job["done"], job["failed"]) == (1900, 1900, 0)
    for order_id in (ids[0], ids[-1]):
        assert [s["status"] for s in (await shop.order(order_id))["sections"]] == ["DELIVERED"]


async def test_a_tab_job_on_an_empty_tab_finishes_with_nothing_done(shop: Shop) -> None:
    seller = await shop.seller()
    r = await seller.post("/api/admin/bulk-jobs", json={"action": "DELIVER", "filter": {
        "statuses": ["SHIPPING"], "date_from": "2001-01-01", "date_to": "2001-01-01"}})
    assert r.status_code == 201, r.text
    job = await finished(shop, r.json()["job_id"])
    assert (job["total"], job["done"], job["failed"]) == (0, 0, 0)


async def test_a_job_survives_a_restart_in_the_middle_and_applies_nothing_twice(
        shop: Shop) -> None:
    ids = await seed_orders(shop.stack.infra.mongo, 4000, SectionStatus.PREPARING)
    seller = await shop.seller()
    r = await seller.post("/api/admin/bulk-jobs", json={
        "action": "READY_TO_SHIP", "targets": [{"order_id": i} for i in ids]})
    job_id = r.json()["job_id"]

    async def started() -> bool:
        job = await job_state(shop, job_id)
        return 0 < job["done"] < job["total"]

    await eventually(started, 60, "job under way")
    shop.stack.stop("orders", kill=True)
    await asyncio.sleep(0.5)
    shop.stack.start("orders")
    job = await finished(shop, job_id, timeout=180)
    assert (job["done"], job["failed"], job["total"]) == (4000, 0, 4000)
    sample = await shop.order(ids[-1])
    moves = [e for e in sample["timeline"] if e["after"] == "READY_TO_SHIP"]
    assert len(moves) == 1


async def test_item_results_page_in_order_across_the_whole_job(shop: Shop) -> None:
    preparing = await seed_orders(shop.stack.infra.mongo, 520, SectionStatus.PREPARING)
    unpaid = await seed_orders(shop.stack.infra.mongo, 40, SectionStatus.PAYMENT_PENDING)
    # Failures spread over the whole job: every 14th target is an unpaid order.
    targets = [*preparing]
    for n, order_id in enumerate(unpaid):
        targets.insert(n * 14, order_id)
    r = await shop.orders_svc.post("/bulk-jobs", json={
        "action": "READY_TO_SHIP", "actor": SELLER,
        "targets": [{"order_id": i} for i in targets]})
    job = await finished(shop, r.json()["job_id"])
    assert (job["total"], job["done"], job["failed"]) == (560, 520, 40)

    async def walk(state: str | None, limit: int) -> list[dict]:
        rows: list[dict] = []
        after = -1
        while after is not None:
            params = {"after": after, "limit": limit, **({"state": state} if state else {})}
            page = (await shop.orders_svc.get(f"/bulk-jobs/{job['job_id']}/items",
                                              params=params)).json()
            assert len(page["items"]) <= limit
            rows += page["items"]
            after = page["next_after"]
        return rows

    failed = await walk("FAILED", 15)
    assert [i["order_id"] for i in failed] == unpaid
    assert [i["seq"] for i in failed] == [n * 14 for n in range(40)]
    assert all("no section in PREPARING" in i["reason"] for i in failed)
    every = await walk(None, 100)
    assert [i["seq"] for i in every] == list(range(560))
    assert [i["order_id"] for i in every] == targets
    assert {i["state"] for i in every if i["order_id"] in set(preparing)} == {"DONE"}
    assert [i["seq"] for i in await walk("DONE", 77)] == [
        n for n, order_id in enumerate(targets) if order_id not in set(unpaid)]


async def test_jobs_are_listed_newest_first_a_page_at_a_time(shop: Shop) -> None:
    ids = await seed_orders(shop.stack.infra.mongo, 3, SectionStatus.DELIVERED)
    made = []
    for order_id in ids:
        r = await shop.orders_svc.post("/bulk-jobs", json={
            "action": "DELIVER", "actor": SELLER, "targets": [{"order_id": order_id}]})
        made.append(r.json()["job_id"])
        await finished(shop, made[-1])
    seller = await shop.seller()
    first = (await seller.get("/api/admin/bulk-jobs", params={"limit": 2})).json()
    assert [j["job_id"] for j in first["jobs"]] == made[::-1][:2]
    older = (await seller.get("/api/admin/bulk-jobs", params={
        "limit": 2, "before": first["next_before"]})).json()
    assert older["jobs"][0]["job_id"] == made[0]
    assert not {j["job_id"] for j in older["jobs"]} & set(made[1:])
    done = (await seller.get("/api/admin/bulk-jobs", params={"status": "DONE"})).json()
    assert {j["status"] for j in done["jobs"]} == {"DONE"}
    r = await shop.orders_svc.get("/bulk-jobs", params={"status": "LOST"})
    assert r.status_code == 422 and "status" in r.text


async def test_deposits_are_confirmed_by_hand_only_on_bank_transfer_orders(shop: Shop) -> None:
    sku = (await shop.product(stock=5))["skus"][0]["_id"]
    buyer, seller = await shop.buyer(1), await shop.seller()
    card = (await shop.place(buyer, sku, method="CARD")).json()["order"]
    bank = (await shop.place(buyer, sku, method="BANK_TRANSFER")).json()["order"]

    r = await seller.post(f"/api/admin/orders/{card['order_id']}/deposit-confirmed")
    assert r.status_code == 409, r.text
    assert r.json()["error"] == "not_bank_transfer"
    page = await seller.get(f"/admin/orders/{card['order_id']}", headers={"accept": "text/html"})
    assert 'id="deposit-confirmed"' not in page.text

    r = await seller.post("/api/admin/bulk-jobs", json={
        "action": "CONFIRM_DEPOSIT", "targets": [{"order_id": card["order_id"]},
                                                 {"order_id": bank["order_id"]}]})
    assert r.status_code == 201, r.text
    job = await finished(shop, r.json()["job_id"])
    assert (job["total"], job["done"], job["failed"]) == (2, 1, 1)
    await shop.wait_status(bank["order_id"], "PREPARING")
    order = await shop.order(card["order_id"])
    assert order["payment_status"] == "PENDING"
    assert [s["status"] for s in order["sections"]] == ["PAYMENT_PENDING"]
