"""Import benchmark: generate N XLSX rows of achievements, import them through the import service
into a fresh database (SQLite, then a scratch PostgreSQL database), and compare with a bare baseline
measured in the same run: the same reader (calamine) reading the same file, and one executemany
INSERT of the same rows (no validation, no tokenization, no audit).

Prints the time of each step and a final line:
SUMMARY import rows=10000 sqlite_s=.. postgres_s=.. goal_s=60 baseline_ratio=..
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import random
import re
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import openpyxl
from python_calamine import CalamineWorkbook
from sqlalchemy import delete, event, insert, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app import migrate
from app.achievements.columns import ACHIEVEMENT_COLUMNS
from app.achievements.schemas import PatentRead, TeamMemberRead
from app.core.enums import ImportKind, LegalPersonType, MembershipRole, MembershipStatus, OrganizationKind
from app.core.security import configure_password_hashing
from app.db.session import create_engine, create_sessionmaker
from app.demo.achievements import _achievement, csl_records  # the demo's own generator
from app.imports import service
from app.imports.offline import acting_principal
from app.models import Achievement, Membership, Organization, Region, User
from app.tabular.reading import FileFormat, read_sheet

GOAL_S = 60
DEFAULT_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"


def generate_rows(count: int, seed: int) -> list[list[Any]]:
    """`count` template rows made by the demo's achievement generator over the CSL abstracts."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    records = csl_records()
    taken: set[str] = set()
    spec = ACHIEVEMENT_COLUMNS
    rows = []
    for index in range(count):
        demo = _achievement(rng, now, index, records[index % len(records)], taken)
        values = dict(demo.row)
        values["client_key"] = f"bench-{index:05d}"
        values["patents"] = [
            PatentRead(
                application_number=p["application_number"],
                patent_type=p["patent_type"],
                status=p["status"],
                title=None,
            )
            for p in demo.patents
        ]
        values["team"] = [TeamMemberRead(**member) for member in values["team"]]
        rows.append([column.render(values) for column in spec.importable])
    return rows


def write_xlsx(rows: list[list[Any]]) -> bytes:
    """A workbook as Excel or WPS saves one: text in the shared-strings table (openpyxl's write-only
    mode writes inline strings instead, which read back three times slower)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = ACHIEVEMENT_COLUMNS.sheet_title
    sheet.append(ACHIEVEMENT_COLUMNS.template_headers())
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class Timings:
    reading: float = 0.0
    validation: float = 0.0
    storing: float = 0.0
    total: float = 0.0
    created: int = 0
    baseline_read: float = 0.0
    baseline_insert: float = 0.0
    # Statements the import sent (cursor executions; an executemany is one), by verb and table.
    statements: Counter[str] = field(default_factory=Counter)

    @property
    def inserts(self) -> int:
        return sum(count for key, count in self.statements.items() if key.startswith("INSERT"))

    @property
    def baseline(self) -> float:
        return self.baseline_read + self.baseline_insert


async def seed_owner(session: AsyncSession) -> int:
    region = await session.scalar(select(Region).where(Region.code == "320706"))
    if region is None:
        sys.exit("the migrations seed the city's regions; 320706 is missing")
    # No password: the benchmark never signs in.
    user = User(email=f"bench-{uuid.uuid4().hex[:8]}@example.com", password_hash="!", display_name="bench")  # noqa: S106
    organization = Organization(
        name="连云港基准测试研究院",
        kind=OrganizationKind.RESEARCH_INSTITUTE,
        legal_person_type=LegalPersonType.RESEARCH_INSTITUTION,
        credit_code="12320700" + uuid.uuid4().hex[:10].upper().replace("O", "0").replace("I", "1"),
        region_id=region.id,
    )
    session.add_all([user, organization])
    await session.flush()
    session.add(
        Membership(
            user_id=user.id,
            organization_id=organization.id,
            role=MembershipRole.OWNER,
            status=MembershipStatus.ACTIVE,
        )
    )
    await session.flush()
    return organization.id


async def run_import(url: str, data: bytes, timings: Timings) -> None:
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            organization_id = await seed_owner(session)
        started = time.perf_counter()
        sheet = read_sheet(data, FileFormat.XLSX, max_rows=100_000)
        timings.reading = time.perf_counter() - started
        marks: dict[str, float] = {}

        def progress(phase: str, done: int, total: int) -> None:
            if phase == service.VALIDATING and done == total:
                marks["validated"] = time.perf_counter()

        with counting(engine, timings.statements):
            async with create_sessionmaker(engine)() as session, session.begin():
                principal = await acting_principal(session, organization_id, None)
                report = await service.run(
                    session, principal, ImportKind.ACHIEVEMENTS, organization_id, sheet,
                    dry_run=False, max_errors=1000, progress=progress,
                )  # fmt: skip
            finished = time.perf_counter()
        if report.error_count:
            sys.exit(f"the generated file has errors: {report.errors[:5]}")
        timings.created = report.created_count
        timings.validation = marks["validated"] - started - timings.reading
        timings.storing = finished - marks["validated"]
        timings.total = finished - started
        await baseline_insert(engine, organization_id, sheet.rows, timings)
    finally:
        await engine.dispose()


_INSERT_INTO = re.compile(r"INSERT\s+INTO\s+(\w+)", re.IGNORECASE)


@contextmanager
def counting(engine: AsyncEngine, statements: Counter[str]) -> Iterator[None]:
    """Count the statements `engine` sends in this block: "INSERT <table>", or the first word."""

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        insert_into = _INSERT_INTO.match(statement.lstrip())
        verb = statement.split(None, 1)[0].upper() if statement.strip() else "(empty)"
        statements[f"INSERT {insert_into.group(1)}" if insert_into else verb] += 1

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        yield
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)


async def baseline_insert(engine: Any, organization_id: int, rows: list[Any], timings: Timings) -> None:
    """One executemany INSERT of the same number of rows (the main text columns), rolled back after."""
    async with create_sessionmaker(engine)() as session, session.begin():
        region_id = (await session.get(Organization, organization_id)).region_id  # type: ignore[union-attr]
        headers = ACHIEVEMENT_COLUMNS.template_headers()
        title, abstract = headers.index("成果名称"), headers.index("成果简介")
        values = [
            {
                "title": cells[title],
                "abstract": cells[abstract],
                "tech_field": "new_materials",
                "keywords": [],
                "confidentiality": "public",
                "status": "draft",
                "level": "unevaluated",
                "ip_form": "none",
                "transfer_modes": ["transfer"],
                "team": [],
                "application_industries": [],
                "organization_id": organization_id,
                "region_id": region_id,
                "client_key": f"baseline-{index}",
                "search_text": "",  # bare: no tokenization
            }
            for index, (_number, cells) in enumerate(rows)
        ]
        started = time.perf_counter()
        await session.execute(insert(Achievement), values)
        timings.baseline_insert = time.perf_counter() - started
        await session.execute(delete(Achievement).where(Achievement.client_key.like("baseline-%")))
        await session.rollback()


def baseline_read(data: bytes) -> float:
    """The bare read of the same file by the reader the import uses (calamine)."""
    started = time.perf_counter()
    CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    return time.perf_counter() - started


def openpyxl_read(data: bytes) -> float:
    """For comparison: openpyxl's read-only mode over the same file."""
    started = time.perf_counter()
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    for _row in workbook.worksheets[0].iter_rows(values_only=True):
        pass
    workbook.close()
    return time.perf_counter() - started


async def _admin(url: str, statement: str) -> None:
    server = make_url(url).set(drivername="postgresql", database="postgres")
    connection = await asyncpg.connect(server.render_as_string(hide_password=False))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def bench_database(label: str, url: str, data: bytes) -> Timings:
    migrate.upgrade(url)
    timings = Timings(baseline_read=baseline_read(data))
    asyncio.run(run_import(url, data, timings))
    print(
        f"{label:<10} reading {timings.reading:6.2f} s  validation {timings.validation:6.2f} s  "
        f"storing {timings.storing:6.2f} s  total {timings.total:6.2f} s  ({timings.created} created, "
        f"{timings.created / timings.total:,.0f} rows/s)"
    )
    inserts = ", ".join(
        f"{key.removeprefix('INSERT ')} {count}"
        for key, count in sorted(timings.statements.items())
        if key.startswith("INSERT")
    )
    others = sum(timings.statements.values()) - timings.inserts
    print(f"{'':<10} statements: {timings.inserts} INSERT ({inserts}), {others} other")
    print(
        f"{'':<10} baseline: calamine read {timings.baseline_read:5.2f} s + executemany INSERT "
        f"{timings.baseline_insert:5.2f} s = {timings.baseline:5.2f} s; import/baseline "
        f"{timings.total / timings.baseline:4.1f}x"
    )
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="server URL; a scratch database is made")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    configure_password_hashing(time_cost=1, memory_kib=1024)

    # The machine is shared: the load says how far the figures can be trusted.
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start")
    started = time.perf_counter()
    rows = generate_rows(args.rows, args.seed)
    data = write_xlsx(rows)
    print(
        f"generating {args.rows} rows: {time.perf_counter() - started:.2f} s ({len(data) / 1e6:.1f} MB XLSX)"
    )
    print(f"(openpyxl's read-only mode would read the file in {openpyxl_read(data):.2f} s)")

    with tempfile.TemporaryDirectory() as folder:
        sqlite = bench_database("SQLite", f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}", data)
    postgres: Timings | None = None
    if not args.no_postgres:
        name = f"tt_import_bench_{uuid.uuid4().hex[:8]}"
        url = make_url(args.postgres).set(database=name).render_as_string(hide_password=False)
        asyncio.run(_admin(args.postgres, f'CREATE DATABASE "{name}"'))
        try:
            postgres = bench_database("PostgreSQL", url, data)
        finally:
            asyncio.run(_admin(args.postgres, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    worst = max(t.total for t in (sqlite, postgres) if t is not None)
    ratio = max(t.total / t.baseline for t in (sqlite, postgres) if t is not None)
    print(
        f"SUMMARY import rows={args.rows} sqlite_s={sqlite.total:.1f} "
        f"postgres_s={postgres.total if postgres else float('nan'):.1f} goal_s={GOAL_S} "
        f"baseline_ratio={ratio:.1f} within_goal={'yes' if worst < GOAL_S else 'no'}"
    )


if __name__ == "__main__":
    main()
