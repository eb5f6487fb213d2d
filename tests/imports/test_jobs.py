"""A file over the row threshold is imported by a background job: 202 with a Location, then the job
resource shows its progress and outcome, to its organization only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi import FastAPI
from httpx import AsyncClient, Response
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.clock import utcnow
from app.core.enums import JobStatus, MembershipStatus, WorkStatus
from app.models import Demand, ImportJob, ImportUpload, Job, Membership
from tests.conftest import run_until_idle
from tests.demands.support import poster
from tests.imports.support import DEMAND_ROW, count, table, upload, xlsx


@pytest.fixture(autouse=True)
def small_threshold(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app.state.settings, "import_job_threshold_rows", 3)


def _rows(n: int) -> bytes:
    return xlsx(table([DEMAND_ROW | {"客户编号": f"XQ-{i}", "需求名称": f"需求第{i}号"} for i in range(n)]))


async def _finish(app: FastAPI, response: Response) -> None:
    assert response.status_code == 202, response.text
    await run_until_idle(app)


async def test_a_large_import_runs_as_a_job(
    app: FastAPI, client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, org = await poster(client)
    response = await upload(client, owner, "demands", org["id"], _rows(8), filename="big.xlsx")
    assert response.status_code == 202, response.text
    job = response.json()
    assert response.headers["location"] == f"/api/v1/imports/{job['id']}"
    assert (job["status"], job["total_rows"], job["file_name"]) == ("queued", 8, "big.xlsx")
    await _finish(app, response)
    done = (await client.get(response.headers["location"], headers=owner.headers)).json()
    assert done["status"] == "succeeded", done
    assert (done["processed_rows"], done["created_count"], done["skipped_count"]) == (8, 8, 0)
    assert done["phase"] is None
    assert done["started_at"] is not None
    assert done["finished_at"] is not None
    assert await count(db, Demand, org["id"]) == 8

    again = await upload(client, owner, "demands", org["id"], _rows(8))
    await _finish(app, again)
    repeat = (await client.get(again.headers["location"], headers=owner.headers)).json()
    assert (repeat["status"], repeat["created_count"], repeat["skipped_count"]) == ("succeeded", 0, 8)


async def test_a_failing_job_writes_nothing_and_keeps_its_errors(
    app: FastAPI, client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, org = await poster(client)
    rows = [DEMAND_ROW | {"客户编号": f"XQ-{i}"} for i in range(6)]
    rows[4] = rows[4] | {"联系电话": "110"}
    response = await upload(client, owner, "demands", org["id"], xlsx(table(rows)))
    await _finish(app, response)
    job = (await client.get(f"/api/v1/imports/{response.json()['id']}", headers=owner.headers)).json()
    assert job["status"] == "failed"
    assert job["created_count"] == 0
    assert [(e["row"], e["column"], e["code"]) for e in job["errors"]] == [(6, "联系电话", "invalid_phone")]
    assert await count(db, Demand, org["id"]) == 0


async def test_a_dry_run_job_reports_without_writing(
    app: FastAPI, client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, org = await poster(client)
    response = await upload(client, owner, "demands", org["id"], _rows(5), dry_run=True)
    await _finish(app, response)
    job = (await client.get(f"/api/v1/imports/{response.json()['id']}", headers=owner.headers)).json()
    assert (job["status"], job["is_dry_run"], job["created_count"]) == ("succeeded", True, 5)
    assert await count(db, Demand, org["id"]) == 0


async def test_another_organizations_job_is_not_found(app: FastAPI, client: AsyncClient) -> None:
    owner, org = await poster(client)
    stranger, _ = await poster(client)
    response = await upload(client, owner, "demands", org["id"], _rows(4))
    await _finish(app, response)
    location = response.headers["location"]
    assert (await client.get(location, headers=stranger.headers)).status_code == 404
    assert (await client.get(location)).status_code == 401
    assert (await client.get("/api/v1/imports/999999999", headers=owner.headers)).status_code == 404


async def test_header_errors_are_answered_at_once(client: AsyncClient) -> None:
    owner, org = await poster(client)
    content = xlsx(table([{"标题x": "a"} for _ in range(6)]))
    response = await upload(client, owner, "demands", org["id"], content, dry_run=True)
    assert response.status_code == 200
    assert {e["code"] for e in response.json()["errors"]} == {"unknown_column", "missing_column"}


async def _worker_job(db: async_sessionmaker[AsyncSession], import_id: int) -> Job:
    async with db() as session:
        job = await session.scalar(
            select(Job).where(Job.entity_type == "import_job", Job.entity_id == str(import_id))
        )
        assert job is not None
        return job


async def _crash_while_running(
    db: async_sessionmaker[AsyncSession], import_id: int, *, attempts: int
) -> None:
    """As a worker killed mid-import leaves it: the import running, the worker's job leased to a dead
    process whose lease has run out, after `attempts` attempts."""
    async with db() as session:
        await session.execute(
            update(ImportJob)
            .where(ImportJob.id == import_id)
            .values(status=JobStatus.RUNNING, phase="validating")
        )
        await session.execute(
            update(Job)
            .where(Job.entity_type == "import_job", Job.entity_id == str(import_id))
            .values(
                status=WorkStatus.RUNNING,
                attempts=attempts,
                lease_owner="host:4242:killed",
                lease_expires_at=utcnow() - timedelta(seconds=1),
            )
        )
        await session.commit()


async def test_an_import_whose_worker_was_killed_is_run_again_by_the_next(
    app: FastAPI, client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, org = await poster(client)
    response = await upload(client, owner, "demands", org["id"], _rows(6))
    import_id = response.json()["id"]
    await _crash_while_running(db, import_id, attempts=1)
    assert (await client.get(response.headers["location"], headers=owner.headers)).json()[
        "status"
    ] == "running"
    await run_until_idle(app)
    done = (await client.get(response.headers["location"], headers=owner.headers)).json()
    assert (done["status"], done["created_count"]) == ("succeeded", 6)
    assert await count(db, Demand, org["id"]) == 6
    job = await _worker_job(db, import_id)
    assert (job.status, job.attempts) == (WorkStatus.SUCCEEDED, 2)
    async with db() as session:
        assert await session.get(ImportUpload, import_id) is None  # the file is not kept once done


async def test_an_import_the_worker_gives_up_on_reads_as_failed(
    app: FastAPI, client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, org = await poster(client)
    response = await upload(client, owner, "demands", org["id"], _rows(5))
    import_id = response.json()["id"]
    await _crash_while_running(db, import_id, attempts=3)  # its last attempt died
    await run_until_idle(app)
    failed = (await client.get(response.headers["location"], headers=owner.headers)).json()
    assert failed["status"] == "failed"
    assert "given up" in failed["detail"]
    assert (await _worker_job(db, import_id)).status == WorkStatus.DEAD
    assert await count(db, Demand, org["id"]) == 0


async def test_a_queued_import_runs_with_the_uploaders_rights_of_the_moment_it_runs(
    app: FastAPI, client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, org = await poster(client)
    response = await upload(client, owner, "demands", org["id"], _rows(5))
    async with db() as session:  # removed from the organization while the import waited
        await session.execute(
            update(Membership)
            .where(Membership.user_id == owner.id, Membership.organization_id == org["id"])
            .values(status=MembershipStatus.REMOVED)
        )
        await session.commit()
    await run_until_idle(app)
    async with db() as session:
        job = await session.get(ImportJob, response.json()["id"])
        assert job is not None
        assert (job.status, job.created_count) == (JobStatus.FAILED, 0)
    assert await count(db, Demand, org["id"]) == 0
