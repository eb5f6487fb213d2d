"""The matching index in step with the database: the engine's adapter for listings.

What is indexed (app.listings.index_records): published demands and achievements, with the text
anyone may read (never the confidential detail) and what matching scores; and published achievement
packages (their published version's title and summary, theme and members' titles), for the
packages' search. A listing that leaves `published` (closed, or taken back for a revision's review)
is removed; expiry is checked at query time, so nothing has to happen on the day a listing expires.

Who writes: the worker's `matching_index` consumer, from the `events` table, a batch of events per
tantivy commit (at least once; an upsert is idempotent). Every server process reads the same
directory and looks for new commits at most every `index_refresh_seconds`. A directory that holds no
index yet (first start, or lost) is built from the database by the consumer's next tick, and
`techtransfer index rebuild` builds it again on demand.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import utcnow
from app.core.config import Settings
from app.core.enums import ListingStatus
from app.listings import index_records
from app.matching import records
from app.matching.backend import IndexedListing
from app.matching.engine import Engine
from app.matching.topics import MODEL_FILE, TopicModel
from app.models import Achievement, Demand, Event
from app.worker import queue
from app.worker.registry import Registry
from app.worker.runner import JobContext

CONSUMER = "matching_index"
REBUILD_JOB = "matching_index.rebuild"
# Written beside the index once it has been built from the database (tantivy's own files exist as
# soon as a directory is opened, built or not).
_BUILT_MARKER = "built-from-database"
_KINDS: dict[str, type[Demand] | type[Achievement]] = {"demand": Demand, "achievement": Achievement}
# The changes after which a listing's place in the index may differ.
_VERBS = (
    "create",
    "update",
    "submit",
    "withdraw",
    "publish",
    "return",
    "reject",
    "close",
    "revision_publish",
)
PACKAGE = "package"
EVENT_TYPES = frozenset(f"{kind}.{verb}" for kind in _KINDS for verb in _VERBS) | {
    "industry_mapping.set",
    f"{PACKAGE}.version_publish",
}
_REBUILD_BATCH = 1000

Progress = Callable[[int, int], None]


class SearchIndex:
    """The process's engine on the index directory (or in memory)."""

    def __init__(self, engine: Engine, path: Path | None, refresh_seconds: float) -> None:
        self.engine = engine
        self.path = path
        self._refresh_seconds = refresh_seconds
        self._refreshed = time.monotonic()
        self._write_lock = asyncio.Lock()
        self._topics_stamp = self._topics_file_stamp()

    @property
    def built(self) -> bool:
        """Whether the index has been built from the database (a new directory has not); read from
        the directory, so a rebuild by another process counts."""
        return self.path is None or (self.path / _BUILT_MARKER).exists()

    def for_reading(self) -> Engine:
        """The engine, with the writer's commits since the last look when it is time to look."""
        if self.path is not None and time.monotonic() - self._refreshed >= self._refresh_seconds:
            self.engine.backend.refresh()
            self._reload_topics_if_retrained()
            self._refreshed = time.monotonic()
        return self.engine

    def _reload_topics_if_retrained(self) -> None:
        """A rebuild in another process retrained the topic model and stored vectors of the new one:
        a query must be projected by the same model (its file changes after the index's commit)."""
        stamp = self._topics_file_stamp()
        if stamp != self._topics_stamp and self.path is not None:
            self.engine.topics = TopicModel.load(self.path)
            self._topics_stamp = stamp

    def _topics_file_stamp(self) -> int | None:
        if self.path is None:
            return None
        try:
            return (self.path / MODEL_FILE).stat().st_mtime_ns
        except FileNotFoundError:
            return None

    async def write(self, work: Callable[[Engine], None]) -> None:
        """Run `work` (indexing, then a commit) off the event loop. Never waits for another writer:
        while a rebuild holds the index (here, or in another process through tantivy's lock) it
        raises, and the consumer's tick rolls back and tries the same events again later, so no
        transaction is held open meanwhile (SQLite has one writer)."""
        if self._write_lock.locked():
            raise IndexBusy()
        async with self._write_lock:
            try:
                await asyncio.to_thread(work, self.engine)
            except BaseException:
                await asyncio.to_thread(self.engine.backend.abort)
                raise

    @asynccontextmanager
    async def exclusive(self) -> AsyncIterator[Engine]:
        """The index for a rebuild: held (in this process and, through tantivy's writer lock, in any
        other) from before the rebuild reads the database until it commits. A change committed after
        the rebuild's read has its event still ahead of the consumer's cursor, since the consumer
        could not write meanwhile; so nothing is lost between the two."""
        if self._write_lock.locked():
            raise IndexBusy()
        async with self._write_lock:
            await asyncio.to_thread(self.engine.backend.begin_write)
            try:
                yield self.engine
            except BaseException:
                await asyncio.to_thread(self.engine.backend.abort)
                raise

    def mark_built(self) -> None:
        if self.path is not None:
            (self.path / _BUILT_MARKER).write_text(f"{utcnow().isoformat()}\n", encoding="utf-8")


class IndexBusy(RuntimeError):
    """A rebuild holds the index: try again once it has committed."""

    def __init__(self) -> None:
        super().__init__("the matching index is being rebuilt; try again when it is done")


_indexes: dict[int, tuple[Settings, SearchIndex]] = {}
_indexes_lock = threading.Lock()


def index_for(settings: Settings) -> SearchIndex:
    """The index these settings name, opened once per process (per settings object: the app and its
    in-process worker share it; tests give each app its own in-memory index)."""
    with _indexes_lock:
        found = _indexes.get(id(settings))
        if found is None or found[0] is not settings:
            found = (settings, _open(settings))
            _indexes[id(settings)] = found
        return found[1]


def use_index(settings: Settings, index: SearchIndex) -> None:
    """Make `index` the one these settings name (tests: a fresh in-memory index per test)."""
    with _indexes_lock:
        _indexes[id(settings)] = (settings, index)


def in_memory(settings: Settings) -> SearchIndex:
    return SearchIndex(Engine.open(None, extra_terms=_extra_terms(settings)), None, 0.0)


def _open(settings: Settings) -> SearchIndex:
    path = settings.index_dir
    if path is None:
        return in_memory(settings)
    path.mkdir(parents=True, exist_ok=True)
    engine = Engine.open(path, extra_terms=_extra_terms(settings))
    engine.topics = TopicModel.load(path)
    return SearchIndex(engine, path, settings.index_refresh_seconds)


def _extra_terms(settings: Settings) -> list[str]:
    if settings.match_terms_file is None:
        return []
    text = settings.match_terms_file.read_text(encoding="utf-8")
    return [line.split("#", 1)[0].strip() for line in text.splitlines() if line.split("#", 1)[0].strip()]


# -- keeping it in step --------------------------------------------------------------------------


def register(registry: Registry) -> None:
    registry.add_batch_consumer(CONSUMER, EVENT_TYPES, _on_events)
    registry.add_job_kind(REBUILD_JOB, _rebuild_job)


async def ensure_built(session: AsyncSession, settings: Settings) -> bool:
    """Queue a rebuild when the index directory holds no built index and none is on its way (a first
    start, or a lost directory). Returns whether it queued one."""
    if index_for(settings).built or await queue.unfinished(session, REBUILD_JOB):
        return False
    await queue.enqueue(session, REBUILD_JOB, {})
    return True


async def _rebuild_job(job: JobContext) -> None:
    """Read in a transaction of its own that writes nothing (SQLite keeps one writer: a rebuild of
    minutes must not hold it), then mark the job done."""
    async with job.sessionmaker() as session:
        await rebuild(session, index_for(job.settings))
    async with job.finishing():
        pass


async def _on_events(session: AsyncSession, events: Sequence[Event], settings: Settings) -> None:
    index = index_for(settings)
    if not index.built:
        # Indexed now and again by the rebuild: harmless, and the rebuild is not held up here.
        await ensure_built(session, settings)
    wanted: dict[str, set[int]] = {kind: set() for kind in (*_KINDS, PACKAGE)}
    fields: set[str] = set()
    for event in events:
        if event.entity_type in wanted:
            wanted[event.entity_type].add(int(event.entity_id))
        elif event.type == "industry_mapping.set":
            fields.add(event.entity_id)
    await sync(session, index, wanted, fields)


async def sync(
    session: AsyncSession, index: SearchIndex, wanted: dict[str, set[int]], tech_fields: Iterable[str] = ()
) -> None:
    """Bring the listings `wanted` (kind -> ids; packages under "package"), and those of
    `tech_fields`, up to date in the index."""
    found = await _load(session, wanted, set(tech_fields))
    about = await index_records.context(session)
    keep = [index_records.record(listing, about) for listing in found]  # _load reads published ones only
    keep += await index_records.package_records(session, about, wanted.get(PACKAGE, set()))
    kept = {(item.kind.value, item.id) for item in keep}
    gone = [(records.Kind(kind), listing_id) for kind, ids in wanted.items() for listing_id in ids]
    gone = [key for key in gone if (key[0].value, key[1]) not in kept]

    def work(engine: Engine) -> None:
        engine.add(keep)
        engine.remove(gone)
        engine.commit()

    await index.write(work)


async def _load(session: AsyncSession, wanted: dict[str, set[int]], tech_fields: set[str]) -> list[Any]:
    """The published listings among `wanted` and of `tech_fields`: the others are removed by id, so
    an import of 10,000 drafts (10,000 create events) reads no rows."""
    found: list[Any] = []
    for kind, model in _KINDS.items():
        conditions = []
        if wanted.get(kind):
            conditions.append(model.id.in_(wanted[kind]))
        if tech_fields:
            conditions.append(model.tech_field.in_(tech_fields))
        for condition in conditions:
            found.extend(await session.scalars(select(model).where(condition, _published(model))))
    return found


async def rebuild(session: AsyncSession, index: SearchIndex, progress: Progress | None = None) -> int:
    """Build the index again from every published listing, in one commit (readers see the old index
    until then), and train the topic model on it. Holds the index throughout (`exclusive`); only
    reads through `session`. Returns how many listings it holds."""
    async with index.exclusive() as engine:
        about = await index_records.context(session)
        total = 0
        for model in _KINDS.values():
            counted = select(func.count()).select_from(model).where(_published(model))
            total += int(await session.scalar(counted) or 0)
        packages = await index_records.package_records(session, about, None)
        total += len(packages)
        prepared: list[IndexedListing] = []
        for model in _KINDS.values():
            async for rows in _published_batches(session, model):
                batch = [index_records.record(row, about) for row in rows]
                prepared.extend(await asyncio.to_thread(_prepare_all, engine, batch))
                if progress is not None:
                    progress(len(prepared), total)
        prepared.extend(await asyncio.to_thread(_prepare_all, engine, packages))
        if progress is not None:
            progress(len(prepared), total)
        await asyncio.to_thread(_replace_all, index, engine, prepared)
    index.mark_built()
    return len(prepared)


def _replace_all(index: SearchIndex, engine: Engine, prepared: list[IndexedListing]) -> None:
    """Train the topic model on the library, give every listing its vector, and replace the index's
    contents with them in one commit."""
    engine.fit_topics(prepared)
    documents = engine.with_topics(prepared)
    engine.backend.delete_all()
    engine.add_prepared(documents)
    engine.commit()
    if index.path is not None and engine.topics is not None:
        engine.topics.save(index.path)


def _prepare_all(engine: Engine, batch: Sequence[records.Listing]) -> list[IndexedListing]:
    return [engine.prepare(item, with_topic=False) for item in batch]


async def _published_batches(
    session: AsyncSession, model: type[Demand] | type[Achievement]
) -> AsyncIterator[Sequence[Demand | Achievement]]:
    """The published listings of `model` in id order, a batch at a time (memory stays flat)."""
    last = 0
    while True:
        statement = select(model).where(_published(model), model.id > last).order_by(model.id)
        rows: Sequence[Demand | Achievement] = list(await session.scalars(statement.limit(_REBUILD_BATCH)))
        if not rows:
            return
        last = rows[-1].id
        yield rows


def _published(model: type[Demand] | type[Achievement]) -> Any:
    return model.status == ListingStatus.PUBLISHED
