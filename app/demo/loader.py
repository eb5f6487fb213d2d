"""Loading the demo network into a database, inside the caller's transaction (flushes, never commits).

Idempotent: what exists is recognised by its natural key (app.demo.network_loader) or its demo
client key (app.demo.listing_loader), and only what is missing is inserted.
"""

from __future__ import annotations

import random
from dataclasses import asdict

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import utcnow
from app.core.config import Settings, get_settings
from app.demo import DEFAULT_SEED
from app.demo.contract_loader import load_contracts
from app.demo.listing_loader import load_listings
from app.demo.network_loader import DemoDataUnavailable, has_demo_data, load_network
from app.demo.packages import load_packages
from app.demo.summary import DemoSummary, ProgressHook
from app.events import recording as audit

__all__ = ["DemoDataUnavailable", "DemoSummary", "ProgressHook", "has_demo_data", "load_demo_data"]


async def load_demo_data(
    session: AsyncSession,
    seed: int = DEFAULT_SEED,
    *,
    progress: ProgressHook | None = None,
    settings: Settings | None = None,
) -> DemoSummary:
    """Insert whatever of the demo network is missing; the same `seed` always yields the same listings
    (the contracts, like the organizations, are fixed). `settings` give the contracts' rules and
    number layout (the environment's when not given)."""
    now = utcnow()
    summary = DemoSummary()
    organizations, users = await load_network(session, now, summary)
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not a secret
    await load_listings(session, rng, now, organizations, users, summary, progress)
    await load_packages(session, now, organizations, users, summary)
    await load_contracts(session, now, organizations, users, summary, settings or get_settings())
    if summary.created_anything:
        await audit.record(
            session,
            audit.SYSTEM_ACTOR,
            "demo.load",
            entity_type="demo",
            entity_id=seed,
            after=asdict(summary),
        )
    return summary
