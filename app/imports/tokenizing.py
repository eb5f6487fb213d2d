"""Search texts of many listings, off the event loop. jieba is pure Python and holds the GIL (about
5 ms an achievement), so a large import tokenizes in worker processes, one a core; a small one in a
thread. Workers import only the tokenizer, so they start in about a second."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Executor, ProcessPoolExecutor

from app.matching.tokenizer import index_text, warm_up

# The texts of a listing that search indexes (KindSpec.search_recipe).
Recipe = Sequence[str]
PROCESS_MIN_ROWS = 400
# Work is handed out in small chunks, so that both workers stay busy to the end.
CHUNK_ROWS = 100
PARENT_CHECK_SECONDS = 1.0


def search_texts(recipes: Sequence[Recipe]) -> list[str]:
    """KindSpec.search_text of each recipe."""
    return [index_text(*recipe) for recipe in recipes]


class Tokenizer:
    """Computes batches of search texts in worker processes (for `rows` >= PROCESS_MIN_ROWS on a
    machine with more than one core), else in a thread; a context manager that stops its workers."""

    def __init__(self, rows: int) -> None:
        cores = os.cpu_count() or 1
        self._pool: Executor | None = None
        if rows >= PROCESS_MIN_ROWS and cores > 1:
            workers = min(cores, 4)
            # spawn, not fork: the server process has threads (the event loop's, aiosqlite's).
            pool = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=exit_with_parent,
                initargs=(os.getpid(),),
            )
            for _ in range(workers):  # start the workers and load jieba's dictionary now
                pool.submit(warm_up)
            self._pool = pool

    def submit(self, recipes: Sequence[Recipe]) -> asyncio.Future[list[str]]:
        """The search texts of `recipes`, computed in chunks spread over the workers."""
        loop = asyncio.get_running_loop()
        chunks = [
            loop.run_in_executor(self._pool, search_texts, list(recipes[start : start + CHUNK_ROWS]))
            for start in range(0, len(recipes), CHUNK_ROWS)
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


async def _joined(chunks: list[asyncio.Future[list[str]]]) -> list[str]:
    return [text for chunk in await asyncio.gather(*chunks) for text in chunk]
