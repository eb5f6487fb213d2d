"""A bulk import sends one INSERT per table and batch, however many rows it has and whichever of their
optional fields are empty (issue 14): SQLAlchemy's ORM bulk INSERT leaves a None out and sends one
statement per set of columns the rows fill, which made 6,995 statements of 10,000 achievements."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.imports import service
from app.models import Achievement, AuditEvent, Event, Patent
from tests.achievements.support import owner_of
from tests.imports.support import ACHIEVEMENT_ROW, table, upload, xlsx

INSERT_INTO = re.compile(r"\s*INSERT\s+INTO\s+(\w+)", re.IGNORECASE)
TABLES = ("achievements", "achievement_patents", "audit_events", "events")


@contextmanager
def inserts(app: FastAPI) -> Iterator[Counter[str]]:
    """The INSERT statements sent while the block runs, by table (an executemany is one)."""
    sent: Counter[str] = Counter()

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if found := INSERT_INTO.match(statement):
            sent[found.group(1)] += 1

    engine = app.state.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", count)


def varied_rows(count: int) -> list[dict[str, Any]]:
    """`count` valid achievements whose optional fields are empty in every combination (bit i of
    the row's index empties field i), so that no two neighbours fill the same columns."""
    optional = {
        "技术就绪度": ("", 6),  # the maturity needs TRL or stage: one of them stays
        "转让报价（元）": ("面议", "3000000"),
        "专利": ("", "201710601862.3（已授权）"),
        "本地产业": ("", "新能源"),
        "截止日期": ("", "2099-12-31"),
        "联系人": ("", "张老师"),
        "公开摘要": ("", "硅碳负极材料，比容量高。"),
    }
    rows = []
    for index in range(count):
        row = ACHIEVEMENT_ROW | {"客户编号": f"CG-{index:04d}", "成果名称": f"硅碳负极材料第{index}号"}
        for bit, (header, (empty, filled)) in enumerate(optional.items()):
            row[header] = empty if index >> bit & 1 else filled
        row["成熟阶段"] = "中试" if row["技术就绪度"] == "" or index % 3 == 0 else ""
        rows.append(row)
    return rows


async def _stored(db: async_sessionmaker[AsyncSession], organization_id: int) -> dict[str, int]:
    async with db() as session:
        ids = select(Achievement.id).where(Achievement.organization_id == organization_id)
        listing_ids = select(func.cast(Achievement.id, AuditEvent.entity_id.type)).where(
            Achievement.organization_id == organization_id
        )
        counted = {
            "achievements": select(func.count()).select_from(ids.subquery()),
            "achievement_patents": select(func.count()).where(Patent.achievement_id.in_(ids)),
            "audit_events": select(func.count()).where(
                AuditEvent.entity_type == "achievement", AuditEvent.entity_id.in_(listing_ids)
            ),
            "events": select(func.count()).where(
                Event.entity_type == "achievement", Event.entity_id.in_(listing_ids)
            ),
        }
        return {name: int(await session.scalar(statement) or 0) for name, statement in counted.items()}


@pytest.mark.parametrize(
    ("rows", "batch_rows"), [(12, service.BATCH_ROWS), (96, service.BATCH_ROWS), (96, 32)]
)
async def test_a_bulk_import_sends_one_insert_per_table_and_batch(
    app: FastAPI,
    client: AsyncClient,
    db: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
    rows: int,
    batch_rows: int,
) -> None:
    monkeypatch.setattr(service, "BATCH_ROWS", batch_rows)
    owner, organization = await owner_of(client)
    content = xlsx(table(varied_rows(rows)))
    with inserts(app) as sent:
        response = await upload(client, owner, "achievements", organization["id"], content)
    assert response.status_code == 201, response.text
    assert response.json()["created_count"] == rows
    batches = math.ceil(rows / batch_rows)
    # And the import's own record.
    assert sent == dict.fromkeys(TABLES, batches) | {"import_jobs": 1}
    # Every row is stored with its patents and its recorded change.
    with_patents = sum(1 for row in varied_rows(rows) if row["专利"])
    assert await _stored(db, organization["id"]) == {
        "achievements": rows,
        "achievement_patents": with_patents,
        "audit_events": rows,
        "events": rows,
    }
