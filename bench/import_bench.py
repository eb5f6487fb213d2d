"""Import benchmark: generate N XLSX rows of achievements, import them through the import service
into a fresh database (SQLite, then a scratch PostgreSQL database), and compare with a bare baseline
measured in the same run: the same reader (calamine) reading the same file, and one executemany
INSERT of the same rows (no validation, no tokenization, no sort keys, no audit).

Prints, per database, the time of each step, the CPU it took (this process; the tokenizer's worker
processes; the PostgreSQL backend), the statements the import sent, the time the worker then takes
to catch the matching index up with the import's events (counted in the total), and a final line:
SUMMARY import rows=10000 sqlite_s=.. postgres_s=.. goal_s=10 baseline_ratio=.. sqlite_inserts=..
postgres_inserts=.. PASS|FAIL
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
from app.achievements.kind import ACHIEVEMENT
from app.achievements.schemas import PatentRead, TeamMemberRead
from app.background import background_registry
from app.core.config import Settings
from app.core.enums import ImportKind, LegalPersonType, MembershipRole, MembershipStatus, OrganizationKind
from app.core.security import configure_password_hashing
from app.db.session import create_engine, create_sessionmaker
from app.demo.achievements import _achievement, csl_records  # the demo's own generator
from app.imports import service
from app.imports.offline import acting_principal
from app.imports.tokenizing import Source, derived_texts
from app.listings import search_index
from app.matching.tokenizer import warm_up
from app.models import Achievement, Membership, Organization, Region, User
from app.tabular.reading import FileFormat, read_sheet
from app.worker.runner import Worker

# Issue 14: 10,000 rows stored in at most 10 s on each database, with the matching index caught up
# (the worker's consumer has taken the import's events: imported listings are drafts, so it has
# nothing to add, but it reads the 10,000 events and commits).
GOAL_S = 10
DEFAULT_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"


def generate_rows(count: int, seed: int) -> tuple[list[list[Any]], list[Source]]:
    """`count` template rows made by the demo's achievement generator over the CSL abstracts, and
    what the import derives their search texts and sort keys from."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    records = csl_records()
    taken: set[str] = set()
    spec = ACHIEVEMENT_COLUMNS
    rows = []
    sources = []
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
        sources.append(Source(values["title"], ACHIEVEMENT.search_recipe(values)))
    return rows, sources


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
    # The worker catching the matching index up with the import's events, after it committed.
    indexing: float = 0.0
    # From the end of validation to the first batch stored: mostly waiting for the workers' texts
    # (SQLite awaits them all before its first INSERT).
    first_batch: float = 0.0
    total: float = 0.0
    created: int = 0
    baseline_read: float = 0.0
    baseline_insert: float = 0.0
    # CPU seconds during the import: this process (all its threads), the PostgreSQL backend.
    process_cpu: float = 0.0
    backend_cpu: float | None = None
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


async def run_import(url: str, data: bytes, timings: Timings, index_dir: Path) -> None:
    engine = create_engine(url)
    settings = Settings(environment="test", database_url=url, secret_key="b" * 48, index_dir=index_dir)
    worker = Worker(create_sessionmaker(engine), background_registry(), settings, name="import-bench")
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            organization_id = await seed_owner(session)
        # The index as a running system has it: built, and the worker caught up before the import.
        async with create_sessionmaker(engine)() as session:
            await search_index.rebuild(session, search_index.index_for(settings))
        await worker.run_until_idle()
        started, cpu_started = time.perf_counter(), time.process_time()
        sheet = read_sheet(data, FileFormat.XLSX, max_rows=100_000)
        timings.reading = time.perf_counter() - started
        marks: dict[str, float] = {}

        def progress(phase: str, done: int, total: int) -> None:
            if phase == service.VALIDATING and done == total:
                marks["validated"] = time.perf_counter()
            if phase == service.STORING and done:
                marks.setdefault("first batch", time.perf_counter())

        with counting(engine, timings.statements):
            async with create_sessionmaker(engine)() as session, session.begin():
                backend = await backend_pid(session)
                backend_started = cpu_of(backend)
                principal = await acting_principal(session, organization_id, None)
                report = await service.run(
                    session, principal, ImportKind.ACHIEVEMENTS, organization_id, sheet,
                    dry_run=False, max_errors=1000, progress=progress,
                )  # fmt: skip
            finished = time.perf_counter()
            timings.process_cpu = time.process_time() - cpu_started
            backend_finished = cpu_of(backend)
            if backend_started is not None and backend_finished is not None:
                timings.backend_cpu = backend_finished - backend_started
        if report.error_count:
            sys.exit(f"the generated file has errors: {report.errors[:5]}")
        await worker.run_until_idle()
        timings.indexing = time.perf_counter() - finished
        timings.created = report.created_count
        timings.validation = marks["validated"] - started - timings.reading
        timings.storing = finished - marks["validated"]
        timings.first_batch = marks["first batch"] - marks["validated"]
        timings.total = time.perf_counter() - started
        await baseline_insert(engine, organization_id, sheet.rows, timings)
    finally:
        await engine.dispose()


async def backend_pid(session: AsyncSession) -> int | None:
    """The process id of the PostgreSQL backend serving `session` (None on SQLite), asked of the
    driver, which learnt it when connecting: no statement is sent."""
    connection = await (await session.connection()).get_raw_connection()
    driver = connection.driver_connection
    return driver.get_server_pid() if isinstance(driver, asyncpg.Connection) else None


def cpu_of(pid: int | None) -> float | None:
    """User and system CPU seconds of process `pid` so far (None when it is not on this machine)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def derived_texts_cpu(sources: list[Source]) -> float:
    """CPU seconds of the search texts and sort keys the import computes in its worker processes,
    computed here apart (the workers' own CPU is not visible from this process)."""
    warm_up()
    started = time.process_time()
    derived_texts(sources)
    return time.process_time() - started


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
                "title_sort": "",  # and no pinyin
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


def bench_database(label: str, url: str, data: bytes, derived_cpu: float) -> Timings:
    migrate.upgrade(url)
    timings = Timings(baseline_read=baseline_read(data))
    with tempfile.TemporaryDirectory() as index_dir:
        asyncio.run(run_import(url, data, timings, Path(index_dir)))
    print(
        f"{label:<10} reading {timings.reading:6.2f} s  validation {timings.validation:6.2f} s  "
        f"storing {timings.storing:6.2f} s  index caught up {timings.indexing:5.2f} s  "
        f"total {timings.total:6.2f} s  ({timings.created} created, "
        f"{timings.created / timings.total:,.0f} rows/s)"
    )
    print(f"{'':<10} storing: the first batch stored {timings.first_batch:5.2f} s after validation")
    backend = "" if timings.backend_cpu is None else f", PostgreSQL backend {timings.backend_cpu:5.2f} s"
    print(
        f"{'':<10} CPU: this process {timings.process_cpu:5.2f} s, tokenizer's workers "
        f"~{derived_cpu:4.2f} s{backend}"
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
    rows, sources = generate_rows(args.rows, args.seed)
    data = write_xlsx(rows)
    print(
        f"generating {args.rows} rows: {time.perf_counter() - started:.2f} s ({len(data) / 1e6:.1f} MB XLSX)"
    )
    print(f"(openpyxl's read-only mode would read the file in {openpyxl_read(data):.2f} s)")
    derived_cpu = derived_texts_cpu(sources)
    print(f"search texts and title sort keys of {args.rows} rows: {derived_cpu:.2f} s of CPU in one process")

    with tempfile.TemporaryDirectory() as folder:
        sqlite = bench_database(
            "SQLite", f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}", data, derived_cpu
        )
    postgres: Timings | None = None
    if not args.no_postgres:
        name = f"tt_import_bench_{uuid.uuid4().hex[:8]}"
        url = make_url(args.postgres).set(database=name).render_as_string(hide_password=False)
        asyncio.run(_admin(args.postgres, f'CREATE DATABASE "{name}"'))
        try:
            postgres = bench_database("PostgreSQL", url, data, derived_cpu)
        finally:
            asyncio.run(_admin(args.postgres, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    measured = [t for t in (sqlite, postgres) if t is not None]
    worst = max(t.total for t in measured)
    ratio = max(t.total / t.baseline for t in measured)
    print(
        f"SUMMARY import rows={args.rows} sqlite_s={sqlite.total:.1f} "
        f"postgres_s={postgres.total if postgres else float('nan'):.1f} goal_s={GOAL_S} "
        f"baseline_ratio={ratio:.1f} sqlite_inserts={sqlite.inserts} "
        f"postgres_inserts={postgres.inserts if postgres else 'nan'} {'PASS' if worst <= GOAL_S else 'FAIL'}"
    )


if __name__ == "__main__":
    main()
