"""What the worker knows how to run: job kinds and event consumers, registered by the features.

The worker package imports no feature. Each feature that has background work exposes a
`register(registry)` function that adds its kinds and consumers here, and `app.main` lists those
functions, so a process (the server's worker, `techtransfer worker`) knows every kind it may claim.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Event

if TYPE_CHECKING:
    from app.core.config import Settings
    from app.worker.queue import ClaimedJob
    from app.worker.runner import JobContext

JobHandler = Callable[["JobContext"], Awaitable[None]]
# Runs in the transaction that marks the job dead (so a resource that shows the job's progress
# can never be left "running" by a job that will not run again).
DeadHandler = Callable[[AsyncSession, "ClaimedJob", str], Awaitable[None]]
EventHandler = Callable[[AsyncSession, Event], Awaitable[None]]
# Handles a tick's events at once (in id order), with the worker's settings: for consumers whose work
# is cheaper in bulk or needs a resource of the process, such as the matching index, which commits
# once per batch instead of once per event.
BatchHandler = Callable[[AsyncSession, Sequence[Event], "Settings"], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class JobKind:
    name: str
    handler: JobHandler
    on_dead: DeadHandler | None = None


@dataclass(frozen=True, slots=True)
class Consumer:
    name: str
    event_types: frozenset[str]
    handler: BatchHandler
    # A new consumer starts after the events already stored instead of reading the whole log.
    from_latest: bool = False


@dataclass
class Registry:
    kinds: dict[str, JobKind] = field(default_factory=dict)
    consumers: dict[str, Consumer] = field(default_factory=dict)

    def add_job_kind(
        self,
        name: str,
        handler: JobHandler,
        *,
        on_dead: DeadHandler | None = None,
    ) -> None:
        if name in self.kinds:
            raise ValueError(f"job kind {name!r} is registered twice")
        self.kinds[name] = JobKind(name, handler, on_dead)

    def add_consumer(
        self,
        name: str,
        event_types: Collection[str],
        handler: EventHandler,
        *,
        from_latest: bool = False,
    ) -> None:
        self.add_batch_consumer(name, event_types, _one_by_one(handler), from_latest=from_latest)

    def add_batch_consumer(
        self,
        name: str,
        event_types: Collection[str],
        handler: BatchHandler,
        *,
        from_latest: bool = False,
    ) -> None:
        if name in self.consumers:
            raise ValueError(f"consumer {name!r} is registered twice")
        if not event_types:
            raise ValueError(f"consumer {name!r} handles no event type")
        self.consumers[name] = Consumer(name, frozenset(event_types), handler, from_latest)


def _one_by_one(handler: EventHandler) -> BatchHandler:
    async def handle(session: AsyncSession, events: Sequence[Event], _settings: Settings) -> None:
        for event in events:
            await handler(session, event)

    return handle


Registration = Callable[[Registry], None]


def build_registry(*registrations: Registration) -> Registry:
    registry = Registry()
    for register in registrations:
        register(registry)
    return registry
