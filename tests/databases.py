"""Test databases: the schema is migrated once per run, into a template, and every database a test
needs is a copy of it.

- On PostgreSQL (TEST_DATABASE_URL names a server) the template is a database of its own and a copy is
  `CREATE DATABASE … TEMPLATE …`, a file copy on the server (tens of milliseconds where migrating
  takes seconds). On SQLite the template is a file and a copy is SQLite's online backup of it.
- Each pytest-xdist worker gets its own copy as its session database (`database_url`), and each module
  that needs a database of its own (real commits, real parallel connections, a command-line run, the
  demo network) asks for one with `Databases.copy` (see `module_database`).
- The template is made lazily, by whichever process needs it first, under a file lock shared by the
  run's workers; a run that only tests pure modules migrates nothing. Every name carries the run's id,
  so the process that started the run (the xdist controller, or the only process) drops whatever a
  worker left behind, the template last.
"""

from __future__ import annotations

import asyncio
import fcntl
import shutil
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from app import migrate

# PostgreSQL refuses to copy a template while another session starts a copy of it; they are brief.
COPY_ATTEMPTS = 20
COPY_RETRY_SECONDS = 0.25


def is_postgres(url: str) -> bool:
    return url.startswith("postgresql")


async def server_execute_async(server_url: str, statement: str, *arguments: object) -> list[asyncpg.Record]:
    """Run a statement in the server's `postgres` database (CREATE DATABASE cannot run in another)."""
    server = make_url(server_url).set(drivername="postgresql", database="postgres")
    connection = await asyncpg.connect(server.render_as_string(hide_password=False))
    try:
        if not arguments:  # the simple protocol: utility statements such as CREATE DATABASE
            await connection.execute(statement)
            return []
        return list(await connection.fetch(statement, *arguments))
    finally:
        await connection.close()


def server_execute(server_url: str, statement: str, *arguments: object) -> list[asyncpg.Record]:
    return asyncio.run(server_execute_async(server_url, statement, *arguments))


@dataclass(frozen=True)
class Run:
    """What the processes of one test run share: an id for database names and a directory."""

    run_id: str
    directory: Path

    @classmethod
    def start(cls) -> Run:
        return cls(uuid.uuid4().hex[:8], Path(tempfile.mkdtemp(prefix="tt-tests-")))

    def as_dict(self) -> dict[str, str]:
        return {"run_id": self.run_id, "directory": str(self.directory)}

    @classmethod
    def from_dict(cls, values: dict[str, str]) -> Run:
        return cls(values["run_id"], Path(values["directory"]))


@dataclass(frozen=True)
class Databases:
    """Makes and drops the run's databases. `server` is TEST_DATABASE_URL (None: SQLite files)."""

    run: Run
    server: str | None

    @property
    def is_postgres(self) -> bool:
        return self.server is not None and is_postgres(self.server)

    def _name(self, label: str) -> str:
        return f"tt_{self.run.run_id}_{label}_{uuid.uuid4().hex[:6]}"

    def _postgres_url(self, name: str) -> str:
        assert self.server is not None
        return make_url(self.server).set(database=name).render_as_string(hide_password=False)

    def _sqlite_path(self, name: str) -> Path:
        return self.run.directory / f"{name}.db"

    @property
    def template_url(self) -> str:
        """The migrated template, made by the first process of the run that asks for it."""
        name = f"tt_{self.run.run_id}_template"
        url = (
            self._postgres_url(name) if self.is_postgres else f"sqlite+aiosqlite:///{self._sqlite_path(name)}"
        )
        ready = self.run.directory / "template.ready"
        with (self.run.directory / "template.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not ready.exists():
                self._make_template(name, url)
                ready.touch()
        return url

    def _make_template(self, name: str, url: str) -> None:
        if self.is_postgres:
            assert self.server is not None
            server_execute(self.server, f'CREATE DATABASE "{name}"')
            migrate.upgrade(url)
            # Nobody may connect to it from now on: PostgreSQL copies a template only when it is idle.
            server_execute(self.server, f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')
        else:
            migrate.upgrade(url)

    def copy(self, label: str) -> str:
        """A new database holding the migrated schema (and the rows the migrations insert)."""
        template = self.template_url
        name = self._name(label)
        if self.is_postgres:
            self._copy_postgres(make_url(template).database or "", name)
            return self._postgres_url(name)
        path = self._sqlite_path(name)
        with (
            closing(sqlite3.connect(make_url(template).database or "")) as source,
            closing(sqlite3.connect(path)) as target,
        ):
            source.backup(target)
        return f"sqlite+aiosqlite:///{path}"

    def _copy_postgres(self, template: str, name: str) -> None:
        assert self.server is not None
        for attempt in range(COPY_ATTEMPTS):
            try:
                server_execute(self.server, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
                return
            except asyncpg.ObjectInUseError:
                if attempt == COPY_ATTEMPTS - 1:
                    raise
                time.sleep(COPY_RETRY_SECONDS)

    def empty(self, label: str) -> str:
        """A new database with nothing in it (for the migrations' own test)."""
        name = self._name(label)
        if self.is_postgres:
            assert self.server is not None
            server_execute(self.server, f'CREATE DATABASE "{name}"')
            return self._postgres_url(name)
        return f"sqlite+aiosqlite:///{self._sqlite_path(name)}"

    def drop(self, url: str) -> None:
        if is_postgres(url):
            assert self.server is not None
            server_execute(self.server, f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')
            return
        path = Path(make_url(url).database or "")
        for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            leftover.unlink(missing_ok=True)

    @contextmanager
    def database(self, label: str) -> Iterator[str]:
        """A copy of the template for the duration of the block, dropped afterwards."""
        url = self.copy(label)
        try:
            yield url
        finally:
            self.drop(url)

    def drop_everything(self) -> None:
        """The end of the run: every database named for it, the template included, and the directory."""
        if self.is_postgres:
            assert self.server is not None
            prefix = f"tt_{self.run.run_id}_"
            rows = server_execute(
                self.server, "SELECT datname FROM pg_database WHERE starts_with(datname, $1)", prefix
            )
            for row in sorted(rows, key=lambda row: row["datname"].endswith("_template")):
                server_execute(self.server, f'DROP DATABASE IF EXISTS "{row["datname"]}" WITH (FORCE)')
        shutil.rmtree(self.run.directory, ignore_errors=True)
