"""The request's session (one transaction per request, committed before the response is sent) and
its reader for public reads outside any transaction (app.db.reader)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from app.core.errors import DomainError
from app.db.reader import Reader
from app.db.session import KEEP_ON_FAILURE, will_write

# Requests that only read: their transactions begin deferred and never queue behind writers.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def _request_session(request: Request) -> AsyncIterator[AsyncSession]:
    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    async with sessionmaker() as session:
        if request.method not in READ_METHODS:
            await will_write(session)
        try:
            yield session
        except DomainError:
            # A failure rolls everything back, except what a service explicitly kept before it
            # (`keep_so_far`: a sign-in throttle's count, a reused refresh token's revocation).
            kept = session.info.pop(KEEP_ON_FAILURE, None)
            if kept is not None:
                await kept.rollback()
                await session.commit()
            else:
                await session.rollback()
            raise
        except BaseException:
            await session.rollback()
            raise
        # scope="function" runs this before the response is sent: a failed commit is never a 2xx.
        await session.commit()


SessionDep = Annotated[AsyncSession, Depends(_request_session, scope="function")]


def request_reader(request: Request) -> Reader:
    """The reader of `request`'s app (a dependency: ReaderDep)."""
    state = request.app.state
    sessionmaker: async_sessionmaker[AsyncSession] = state.sessionmaker
    bind: AsyncEngine | AsyncConnection = sessionmaker.kw["bind"]
    if bind is state.engine:
        reader: Reader = state.reader
        return reader
    # Someone (a test) bound the request sessions to a connection of its own: read through it too,
    # so that a public read sees what the rest of the request (or test) sees.
    return Reader(bind)


async def _reader(request: Request) -> Reader:
    return request_reader(request)


ReaderDep = Annotated[Reader, Depends(_reader)]
