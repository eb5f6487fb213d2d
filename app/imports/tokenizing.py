"""Search texts of many listings, off the event loop. jieba is pure Python and holds the GIL (about
5 ms an achievement), so a large import tokenizes in worker processes, one a core; a small one in a
thread. Workers import only the tokenizer, so they start in about a second."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import Executor, ProcessPoolExecutor

from app.matching.tokenizer import index_text, warm_up

# (fields, keywords) of a listing, as app.listings.service.search_text takes them.
Recipe = tuple[Sequence[str | None], Sequence[str]]
PROCESS_MIN_ROWS = 400


def search_texts(recipes: Sequence[Recipe]) -> list[str]:
    """app.listings.service.search_text of each recipe."""
    return [index_text(*fields, " ".join(keywords)) for fields, keywords in recipes]


class Tokenizer:
    """Computes batches of search texts in worker processes (for `rows` >= PROCESS_MIN_ROWS on a
    machine with more than one core), else in a thread; a context manager that stops its workers."""

    def __init__(self, rows: int) -> None:
        cores = os.cpu_count() or 1
        self._pool: Executor | None = None
        if rows >= PROCESS_MIN_ROWS and cores > 1:
            # spawn, not fork: the server process has threads (the event loop's, aiosqlite's).
            self._pool = ProcessPoolExecutor(
                max_workers=min(cores, 4),
                mp_context=multiprocessing.get_context("spawn"),
                initializer=warm_up,
            )

    def submit(self, recipes: Sequence[Recipe]) -> asyncio.Future[list[str]]:
        return asyncio.get_running_loop().run_in_executor(self._pool, search_texts, list(recipes))

    def __enter__(self) -> Tokenizer:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
