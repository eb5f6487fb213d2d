"""A newcomer's first mistakes print one clear line with a hint and exit 1, never a traceback.

Each runs the installed `techtransfer` command in a process of its own, as a person would.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.config import Settings

# The command installed beside the interpreter running the tests (the virtual environment under test).
COMMAND = str(Path(sys.executable).with_name("techtransfer"))


def _run(*args: str, database_url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "DATABASE_URL": database_url, "TECHTRANSFER_ENVIRONMENT": "development"}
    return subprocess.run(  # noqa: S603 - our own command
        [COMMAND, *args], capture_output=True, text=True, env=environment, cwd=cwd, timeout=120, check=False
    )


def _one_clear_line(result: subprocess.CompletedProcess[str], *hints: str) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, result.stderr
    for hint in hints:
        assert hint in errors[0], errors[0]


@pytest.mark.parametrize(
    ("url", "hints"),
    [
        ("mysql://someone@localhost/techtransfer", ("'mysql'", "postgresql+asyncpg://")),
        ("sqlite+aiosqlite:////no/such/folder/techtransfer.db", ("folder",)),
        ("postgresql+asyncpg://postgres@127.0.0.1:1/techtransfer", ("nothing answers", "PostgreSQL running")),
        ("postgresql+asyncpg://postgres@no-such-host.invalid/techtransfer", ("does not resolve",)),
    ],
    ids=["unknown-scheme", "missing-sqlite-folder", "nothing-listening", "unknown-host"],
)
def test_a_wrong_database_is_one_line(tmp_path: Path, url: str, hints: tuple[str, ...]) -> None:
    _one_clear_line(_run("db", "upgrade", database_url=url, cwd=tmp_path), *hints)


def test_a_missing_postgresql_database_is_one_line(tmp_path: Path, database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("needs a PostgreSQL server to ask")
    server = database_url.rsplit("/", 1)[0]
    result = _run("db", "current", database_url=f"{server}/tt_no_such_database", cwd=tmp_path)
    _one_clear_line(result, "does not exist", "createdb tt_no_such_database")


def test_a_taken_port_is_one_line_before_anything_else(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = _run(
            "serve", "--port", str(port), database_url=f"sqlite+aiosqlite:///{tmp_path}/t.db", cwd=tmp_path
        )
    _one_clear_line(result, f"127.0.0.1:{port}", "--port")
    assert "Serving on" not in result.stdout
    assert not (tmp_path / "t.db").exists()  # refused before migrating anything


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("postgres://u:p@db:5432/tt", "postgresql+asyncpg://u:p@db:5432/tt"),
        ("postgresql://u:p@db/tt", "postgresql+asyncpg://u:p@db/tt"),
        ("sqlite:///./tt.db", "sqlite+aiosqlite:///./tt.db"),
        ("postgresql+asyncpg://u@db/tt", "postgresql+asyncpg://u@db/tt"),
    ],
)
def test_common_url_forms_get_the_async_driver(given: str, used: str) -> None:
    assert Settings.model_validate({"database_url": given}).database_url == used
