from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from app.auth.dependencies import PrincipalDep
from app.core.schemas import EntityId
from app.db.dependencies import SessionDep
from app.models import User
from app.users import service


async def _visible_user(user_id: EntityId, session: SessionDep, principal: PrincipalDep) -> User:
    return await service.get_visible_user(session, principal, user_id)


async def _current_user(session: SessionDep, principal: PrincipalDep) -> User:
    return await service.get_visible_user(session, principal, principal.require_user())


VisibleUserDep = Annotated[User, Depends(_visible_user)]
CurrentUserDep = Annotated[User, Depends(_current_user)]
