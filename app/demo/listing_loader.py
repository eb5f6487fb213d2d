"""Loading the demo listings: generated rows completed with database ids, inserted in batches."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.achievements.kind import ACHIEVEMENT
from app.demands.kind import DEMAND
from app.demo import achievements as demo_achievements
from app.demo import demands as demo_demands
from app.demo.common import AGENCY_REVIEWER, DISTRICT_REVIEWER
from app.demo.network import owner_email
from app.demo.network_loader import Placed
from app.demo.summary import DemoSummary, ProgressHook
from app.models import Achievement, Demand, Patent

BATCH_SIZE = 100
REVIEWER_EMAILS = {AGENCY_REVIEWER: "reviewer@example.com", DISTRICT_REVIEWER: "haizhou-admin@example.com"}

T = TypeVar("T")


async def load_listings(
    session: AsyncSession,
    rng: random.Random,
    now: datetime,
    organizations: dict[str, Placed],
    users: dict[str, int],
    summary: DemoSummary,
    progress: ProgressHook | None,
) -> None:
    """Add the demo achievements and demands not stored yet (by client key)."""
    # Generate everything (so the seed yields the same listings), then keep what is not stored yet.
    achievements = demo_achievements.generate(rng, now)
    demands = demo_demands.generate(rng, now)
    org_ids = [placed.id for placed in organizations.values()]
    stored_achievements = await _stored_keys(session, Achievement, org_ids)
    stored_demands = await _stored_keys(session, Demand, org_ids)
    achievements = [item for item in achievements if item.client_key not in stored_achievements]
    demands = [item for item in demands if item.client_key not in stored_demands]
    if not achievements and not demands:
        return
    owners = _Owners(organizations, users)
    # Tokenizing a few hundred texts is CPU work: off the event loop.
    achievement_rows = await asyncio.to_thread(
        lambda: [owners.achievement_row(item) for item in achievements]
    )
    demand_rows = await asyncio.to_thread(lambda: [owners.demand_row(item) for item in demands])
    report = _Progress(len(achievement_rows) + len(demand_rows), progress)
    await _insert_achievements(
        session, list(zip(achievement_rows, achievements, strict=True)), summary, report
    )
    for rows in _batches(demand_rows):
        await session.execute(insert(Demand), rows)
        summary.demands += len(rows)
        report.advance(len(rows))


async def _insert_achievements(
    session: AsyncSession,
    pairs: list[tuple[dict[str, Any], demo_achievements.DemoAchievement]],
    summary: DemoSummary,
    report: _Progress,
) -> None:
    for batch in _batches(pairs):
        ids = await session.scalars(
            insert(Achievement).returning(Achievement.id, sort_by_parameter_order=True),
            [row for row, _ in batch],
        )
        patents = [
            patent | {"achievement_id": achievement_id}
            for achievement_id, (_, item) in zip(ids.all(), batch, strict=True)
            for patent in item.patents
        ]
        if patents:
            await session.execute(insert(Patent), patents)
        summary.achievements += len(batch)
        summary.patents += len(patents)
        report.advance(len(batch))


class _Progress:
    def __init__(self, total: int, hook: ProgressHook | None) -> None:
        self.total = total
        self.done = 0
        self.hook = hook

    def advance(self, count: int) -> None:
        self.done += count
        if self.hook is not None:
            self.hook(self.done, self.total)


class _Owners:
    """Completes generated rows with the ids the database gave the organizations and accounts."""

    def __init__(self, organizations: dict[str, Placed], users: dict[str, int]) -> None:
        self.organizations = organizations
        self.users = users
        self.reviewers = {key: users[email] for key, email in REVIEWER_EMAILS.items()}

    def _place(self, row: dict[str, Any], owner_key: str) -> dict[str, Any]:
        placed = self.organizations[owner_key]
        reviewer = row["reviewed_by_id"]
        return row | {
            "organization_id": placed.id,
            "region_id": placed.region_id,
            "created_by_id": self.users[owner_email(owner_key)],
            "reviewed_by_id": self.reviewers[reviewer] if reviewer else None,
        }

    def achievement_row(self, item: demo_achievements.DemoAchievement) -> dict[str, Any]:
        row = item.row
        text = ACHIEVEMENT.search_text(row)
        return self._place(row, item.owner_key) | {"search_text": text}

    def demand_row(self, item: demo_demands.DemoDemand) -> dict[str, Any]:
        row = item.row
        text = DEMAND.search_text(row)
        return self._place(row, item.owner_key) | {"search_text": text}


async def _stored_keys(
    session: AsyncSession, model: type[Achievement] | type[Demand], org_ids: list[int]
) -> set[str]:
    statement = select(model.client_key).where(
        model.organization_id.in_(org_ids), model.client_key.like("demo-%")
    )
    return {key for key in await session.scalars(statement) if key is not None}


def _batches(items: Sequence[T]) -> list[Sequence[T]]:
    return [items[start : start + BATCH_SIZE] for start in range(0, len(items), BATCH_SIZE)]
