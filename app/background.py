"""Every feature's background work in one list, and the `techtransfer worker` process.

A feature with job kinds or event consumers exposes `register(registry)` (see app/worker/registry.py)
and is added to BACKGROUND_WORK; the server's workers and `techtransfer worker` then run it.
"""

from __future__ import annotations

import asyncio
import importlib
import signal
from collections.abc import Sequence

from app.contracts import consumers as contract_consumers
from app.core.config import Settings
from app.db.session import create_engine, create_sessionmaker
from app.imports import jobs as import_jobs
from app.listings import search_index
from app.matches import saved as saved_matches
from app.worker.registry import Registration, Registry, build_registry
from app.worker.runner import Worker

# Every feature's background work: its job kinds and event consumers (see app/worker/registry.py).
BACKGROUND_WORK: tuple[Registration, ...] = (
    import_jobs.register,
    search_index.register,
    saved_matches.register,
    contract_consumers.register,
)


def background_registry(*extra: Registration) -> Registry:
    """The job kinds and consumers a worker process runs: the features', plus `extra` (tests)."""
    return build_registry(*BACKGROUND_WORK, *extra)


async def run_worker(settings: Settings, modules: Sequence[str] = (), *, until_idle: bool = False) -> None:
    """`techtransfer worker`: the features' background work plus that of `modules` (each with a
    `register(registry)`), until SIGTERM/SIGINT (or, `until_idle`, until nothing is due)."""
    extra = [importlib.import_module(name).register for name in modules]
    engine = create_engine(settings.database_url, echo=settings.database_echo)
    sessionmaker = create_sessionmaker(engine)
    async with sessionmaker() as session, session.begin():
        await search_index.ensure_built(session, settings)
    worker = Worker(sessionmaker, background_registry(*extra), settings)
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signal_number, worker.stop)
    try:
        if until_idle:
            await worker.run_until_idle()
        else:
            await worker.run()
    finally:
        await engine.dispose()
