"""`techtransfer index rebuild` builds the matching index of a database, and says so in one line when
another process holds the index's writer lock."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app.matching.tantivy_index import TantivyIndex

COMMAND = str(Path(sys.executable).with_name("techtransfer"))


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{cwd / 'techtransfer.db'}",
        "TECHTRANSFER_INDEX_DIR": str(cwd / "index"),
        "TECHTRANSFER_ENVIRONMENT": "development",
    }
    return subprocess.run(  # noqa: S603 - our own command
        [COMMAND, *args], capture_output=True, text=True, env=environment, cwd=cwd, timeout=300, check=False
    )


def test_rebuild_indexes_the_demo_listings(tmp_path: Path) -> None:
    loaded = _run("demo-data", cwd=tmp_path)
    assert loaded.returncode == 0, loaded.stderr
    rebuilt = _run("index", "rebuild", cwd=tmp_path)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "Traceback" not in rebuilt.stderr
    count = int(rebuilt.stdout.split("Matching index: ", 1)[1].split()[0])
    assert count > 100
    assert (tmp_path / "index" / "built-from-database").exists()
    assert (tmp_path / "index" / "topics.npz").exists()


def test_a_rebuild_while_another_process_writes_is_one_clear_line(tmp_path: Path) -> None:
    assert _run("db", "upgrade", cwd=tmp_path).returncode == 0
    holder = TantivyIndex(tmp_path / "index")
    holder.begin_write()  # what a running worker holds while it indexes
    try:
        result = _run("index", "rebuild", cwd=tmp_path)
    finally:
        holder.abort()
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert errors == [errors[0]]
    assert errors[0].startswith("error: another process is writing the matching index")
