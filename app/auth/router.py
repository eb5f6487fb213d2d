"""Sign-in (OAuth2 password flow), refresh-token rotation and sign-out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, status
from fastapi.security import OAuth2PasswordRequestForm

from app.auth import service
from app.auth.dependencies import ActorDep, SettingsDep
from app.auth.schemas import LogoutRequest, RefreshRequest, TokenPair
from app.core.problems import problem_responses
from app.db.dependencies import SessionDep

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/token", operation_id="sign_in", responses=problem_responses(401, 413, 422, 429, 500))
async def sign_in(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    settings: SettingsDep,
    actor: ActorDep,
) -> TokenPair:
    """Sign in with e-mail (as `username`) and password; returns an access and a refresh token."""
    return await service.sign_in(session, settings, email=form.username, password=form.password, actor=actor)


@router.post("/refresh", operation_id="refresh_tokens", responses=problem_responses(401, 413, 422, 500))
async def refresh(
    body: RefreshRequest, session: SessionDep, settings: SettingsDep, actor: ActorDep
) -> TokenPair:
    """Exchange a refresh token for a new pair; the old refresh token stops working."""
    return await service.rotate(session, settings, refresh_token=body.refresh_token, actor=actor)


@router.post(
    "/logout",
    operation_id="sign_out",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(413, 422, 500),
)
async def logout(body: LogoutRequest, session: SessionDep, actor: ActorDep) -> None:
    """End the session the refresh token belongs to; its access tokens stop working at once."""
    await service.sign_out(session, refresh_token=body.refresh_token, actor=actor)
