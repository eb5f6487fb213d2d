from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from app.core.schemas import InputModel, OutputModel

RefreshTokenText = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class TokenPair(OutputModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int = Field(description="Seconds until the access token expires")
    refresh_token: str
    refresh_expires_in: int


class RefreshRequest(InputModel):
    refresh_token: RefreshTokenText


class LogoutRequest(InputModel):
    refresh_token: RefreshTokenText
