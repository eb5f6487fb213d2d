"""Password hashing, JWT access tokens and opaque secrets (refresh tokens, API keys).

Argon2 hashing is CPU-heavy and runs in a worker thread, off the event loop.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from starlette.concurrency import run_in_threadpool

from app.core.errors import Unauthorized
from app.core.schemas import MAX_ID

JWT_ALGORITHM = "HS256"  # pinned: tokens naming any other algorithm (incl. "none") are refused


class _PasswordHashing:
    """An argon2id hasher and a dummy hash made with the same parameters."""

    def __init__(self, time_cost: int = 3, memory_kib: int = 65536) -> None:
        self.hasher = PasswordHash((Argon2Hasher(time_cost=time_cost, memory_cost=memory_kib),))
        self._dummy: str | None = None

    def dummy(self) -> str:
        # Verified against when the account does not exist, so both paths cost one argon2 verification.
        if self._dummy is None:
            self._dummy = self.hasher.hash(secrets.token_urlsafe(16))
        return self._dummy


_hashing = _PasswordHashing()


def configure_password_hashing(*, time_cost: int, memory_kib: int) -> None:
    """Set the argon2 cost for new hashes (existing hashes carry their own parameters)."""
    global _hashing  # noqa: PLW0603 - one process-wide hasher, set when the app is created
    _hashing = _PasswordHashing(time_cost, memory_kib)


async def hash_password(password: str) -> str:
    return await run_in_threadpool(_hashing.hasher.hash, password)


async def verify_password(password: str, password_hash: str | None) -> bool:
    """Constant work whether or not there is a hash to check against."""
    hashing = _hashing
    if password_hash is None:
        await run_in_threadpool(hashing.hasher.verify, password, hashing.dummy())
        return False
    return await run_in_threadpool(hashing.hasher.verify, password, password_hash)


def warm_password_hasher() -> None:
    """Compute the dummy hash at start-up, so the first unknown-user login is not slower than others."""
    _hashing.dummy()


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: int
    session_id: str
    expires_at: datetime


def encode_access_token(
    *, user_id: int, session_id: str, now: datetime, lifetime: timedelta, key: str, issuer: str, audience: str
) -> str:
    claims = {
        "sub": str(user_id),
        "sid": session_id,
        "iss": issuer,
        "aud": audience,
        "iat": int(now.timestamp()),
        "exp": int((now + lifetime).timestamp()),
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, key, algorithm=JWT_ALGORITHM)


def decode_access_token(token: str, *, key: str, issuer: str, audience: str) -> AccessClaims:
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[JWT_ALGORITHM],
            issuer=issuer,
            audience=audience,
            options={"require": ["exp", "iss", "aud", "sub", "sid"]},
        )
        user_id = int(claims["sub"])
        if not 1 <= user_id <= MAX_ID:  # a validly signed token may still name no possible user
            raise ValueError("sub is not a user id")
        session_id = str(claims["sid"])
        expires_at = datetime.fromtimestamp(int(claims["exp"]), tz=UTC)
    except (jwt.PyJWTError, ValueError, TypeError, OverflowError, OSError) as exc:
        raise Unauthorized("Invalid or expired access token", code="invalid_token") from exc
    return AccessClaims(user_id=user_id, session_id=session_id, expires_at=expires_at)


def new_secret(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def digest(secret: str) -> str:
    """SHA-256 of a high-entropy secret; enough for random tokens (no slow hash needed)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def digests_equal(left: str, right: str) -> bool:
    return hmac.compare_digest(left, right)
