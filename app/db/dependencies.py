"""The request's session: one transaction per request, committed before the response is sent."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.errors import DomainError
from app.db.session import KEEP_ON_FAILURE


async def _request_session(request: Request) -> AsyncIterator[AsyncSession]:
    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    async with sessionmaker() as session:
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
