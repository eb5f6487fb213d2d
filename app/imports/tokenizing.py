"""The texts an import derives from each listing, off the event loop: its search text (the tokenizer)
and its title's sort key (pinyin). Both are pure CPU work that holds the GIL, about 0.1 and 0.06 ms
an achievement, so a large import computes them in worker processes while this one validates; a
small import in a thread. Workers import only the tokenizer and pypinyin, so they answer in under a
second."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import NamedTuple

from app.core.collation import pinyin_sort_key
from app.matching.tokenizer import index_text, warm_up

# The texts of a listing that search indexes (KindSpec.search_recipe).
Recipe = Sequence[str]
PROCESS_MIN_ROWS = 400
# A core is left to this process, which validates and stores (about four times the workers' CPU):
# on two cores, a second worker made import_bench's 10,000 rows on SQLite take 12 s instead of 9.
MAX_WORKERS = 2
# Work is handed out in small chunks, so that the workers stay busy to the end.
CHUNK_ROWS = 100
PARENT_CHECK_SECONDS = 1.0


class Source(NamedTuple):
    """What the derived texts of one listing are computed from."""

    title: str
    recipe: Recipe


class Derived(NamedTuple):
    """The derived texts of one listing, as its row stores them."""

    search_text: str  # KindSpec.search_text
    title_sort: str  # the title's pinyin key, as the model keeps it (app.models.listing)


def derived_texts(sources: Sequence[Source]) -> list[Derived]:
    """What a worker computes for a chunk of listings."""
    return [Derived(index_text(*source.recipe), pinyin_sort_key(source.title)) for source in sources]


class Tokenizer:
    """Computes batches of derived texts in worker processes (for `rows` >= PROCESS_MIN_ROWS on a
    machine with more than one core: one a core but one, at most MAX_WORKERS), else in a thread; a
    context manager that stops its workers."""

    def __init__(self, rows: int) -> None:
        cores = os.cpu_count() or 1
        self._pool: Executor | None = None
        if rows >= PROCESS_MIN_ROWS and cores > 1:
            workers = min(cores - 1, MAX_WORKERS)
            # spawn, not fork: the server process has threads (the event loop's, aiosqlite's).
            pool = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=exit_with_parent,
                initargs=(os.getpid(),),
            )
            for _ in range(workers):  # start the workers and load the dictionaries now
                pool.submit(warm_up)
            self._pool = pool

    def submit(self, sources: Sequence[Source]) -> asyncio.Future[list[Derived]]:
        """The derived texts of `sources`, computed in chunks spread over the workers."""
        loop = asyncio.get_running_loop()
        chunks = [
            loop.run_in_executor(self._pool, derived_texts, list(sources[start : start + CHUNK_ROWS]))
            for start in range(0, len(sources), CHUNK_ROWS)
        ]
        return asyncio.ensure_future(_joined(chunks))

    def __enter__(self) -> Tokenizer:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)


def exit_with_parent(parent_pid: int) -> None:
    """In a tokenizer process: exit when the process that started it is gone.

    A worker killed with SIGKILL cannot stop its pool, and the pool's processes hold their own end
    of the task queue, so they would wait for work forever (found by the kill -9 tests)."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


async def _joined(chunks: list[asyncio.Future[list[Derived]]]) -> list[Derived]:
    return [texts for chunk in await asyncio.gather(*chunks) for texts in chunk]
