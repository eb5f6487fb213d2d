"""The request's session: one transaction per request, committed before the response is sent."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.errors import DomainError


async def _request_session(request: Request) -> AsyncIterator[AsyncSession]:
    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    async with sessionmaker() as session:
        try:
            yield session
        except DomainError as error:
            # A refused login must still count the failure; a reused refresh token must stay revoked.
            if error.keeps_changes:
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
