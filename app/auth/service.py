"""Sign-in, token rotation and sign-out."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import NoReturn

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import repository, throttle
from app.auth.schemas import TokenPair
from app.core.clock import utcnow
from app.core.config import Settings
from app.core.errors import Conflict, InvalidCredentials, RefreshTokenReused, Unauthorized, WrongPassword
from app.core.security import digest, encode_access_token, new_secret, verify_password
from app.db.session import keep_so_far
from app.events import recording as audit
from app.events.recording import AuditActor
from app.events.transitions import transition
from app.models import RefreshToken, User


async def sign_in(
    session: AsyncSession, settings: Settings, *, email: str, password: str, actor: AuditActor
) -> TokenPair:
    """Password sign-in. Unknown account and wrong password give the same answer after the same work."""
    now = utcnow()
    window = timedelta(seconds=settings.login_window_seconds)
    email = email.strip().lower()
    account_rules = _account_rules(settings, _account_key(email), actor)
    address_key = f"address:{actor.client_address or 'unknown'}"
    rules = [*account_rules, throttle.ThrottleRule(address_key, settings.login_max_failures_per_address)]
    await throttle.reserve_attempt(session, rules, now=now, window=window)
    # PostgreSQL refuses NUL in text; no account has one, so it is simply an unknown user.
    user = None if "\x00" in email else await repository.user_by_email(session, email)
    password_ok = await verify_password(password, user.password_hash if user else None)
    if user is None or not password_ok or not user.is_active:
        await _record_failure(session, actor, email, user)
        raise InvalidCredentials("Incorrect e-mail or password")
    for rule in account_rules:
        await throttle.clear(session, rule.key)
    await throttle.give_back(session, address_key)
    user.last_login_at = now
    await audit.record(
        session, _as_user(actor, user.id), "auth.sign_in", entity_type="user", entity_id=user.id
    )
    return await _issue(session, settings, user, family_id=str(uuid.uuid4()))


async def confirm_password(
    session: AsyncSession, settings: Settings, *, user: User, password: str, actor: AuditActor
) -> None:
    """Re-check a signed-in user's password (before changing it), throttled like sign-in: the
    guesses count against the same account-and-address counter, and the account's own."""
    now = utcnow()
    rules = _account_rules(settings, _account_key(user.email), actor)
    await throttle.reserve_attempt(
        session, rules, now=now, window=timedelta(seconds=settings.login_window_seconds)
    )
    if not await verify_password(password, user.password_hash):
        raise WrongPassword()
    for rule in rules:
        await throttle.give_back(session, rule.key)


def _account_rules(settings: Settings, account_key: str, actor: AuditActor) -> list[throttle.ThrottleRule]:
    """One address guessing at an account locks only itself out of it; the account as a whole is
    locked only by far more failures (many addresses), so a stranger cannot lock its owner out."""
    pair_key = f"{account_key}|{actor.client_address or 'unknown'}"
    return [
        throttle.ThrottleRule(pair_key, settings.login_max_failures_per_account),
        throttle.ThrottleRule(account_key, settings.login_max_failures_per_account_everywhere),
    ]


async def _record_failure(session: AsyncSession, actor: AuditActor, email: str, user: User | None) -> None:
    """Audit a refused sign-in, kept with the throttle's count though the request fails. The name
    typed is kept (never the password); an unknown one is recorded against no user."""
    reason = "unknown_account" if user is None else ("inactive" if not user.is_active else "wrong_password")
    await audit.record(
        session,
        actor,
        "auth.sign_in_failed",
        entity_type="user",
        entity_id=user.id if user is not None else "unknown",
        after={"email": email.replace("\x00", "")[:254], "reason": reason},
    )
    await keep_so_far(session)


async def user_by_email(session: AsyncSession, email: str) -> User | None:
    """The account signed in as `email`, for features that act as a user (offline imports)."""
    return await repository.user_by_email(session, email)


async def revoke_all_for_user(session: AsyncSession, user_id: int, now: datetime) -> None:
    """End every session of the user (deactivation, password change)."""
    await repository.revoke_all_for_user(session, user_id, now)


def _account_key(email: str) -> str:
    # A digest fits the key column whatever was typed (an over-long name, a NUL character).
    return f"account:{digest(email.strip().lower())}"


async def rotate(
    session: AsyncSession, settings: Settings, *, refresh_token: str, actor: AuditActor
) -> TokenPair:
    """Exchange a refresh token for a new pair. Presenting a rotated token again revokes its family."""
    now = utcnow()
    stored = await repository.refresh_token_by_digest(session, digest(refresh_token))
    if stored is None or stored.revoked_at is not None or stored.expires_at <= now:
        raise Unauthorized("Refresh token is invalid, expired or revoked", code="invalid_refresh_token")
    if stored.rotated_at is not None:
        await _refuse_reuse(session, actor, stored, now)
    user = await session.get(User, stored.user_id)
    if user is None or not user.is_active:
        raise Unauthorized("Account disabled", code="account_disabled")
    # Compare-and-set: of two presentations racing, exactly one rotates and the other is a reuse.
    try:
        await transition(
            session,
            _as_user(actor, user.id),
            stored,
            "auth.refresh",
            expected={"rotated_at": None, "revoked_at": None},
            values={"rotated_at": now},
            audited=("family_id", "rotated_at"),
            entity_type="user",
            entity_id=user.id,
        )
    except Conflict:
        await _refuse_reuse(session, actor, stored, now)
    return await _issue(session, settings, user, family_id=stored.family_id)


async def _refuse_reuse(
    session: AsyncSession, actor: AuditActor, stored: RefreshToken, now: datetime
) -> NoReturn:
    await repository.revoke_family(session, stored.family_id, now)
    await audit.record(
        session,
        _as_user(actor, stored.user_id),
        "auth.refresh_token_reused",
        entity_type="user",
        entity_id=stored.user_id,
        after={"family_id": stored.family_id},
    )
    # The revocation is the system's answer to the reuse: it stays, though this request fails.
    await keep_so_far(session)
    raise RefreshTokenReused("This refresh token was already used; sign in again")


async def sign_out(session: AsyncSession, *, refresh_token: str, actor: AuditActor) -> None:
    """Revoke the session the refresh token belongs to; its access tokens stop working at once."""
    stored = await repository.refresh_token_by_digest(session, digest(refresh_token))
    if stored is None:
        return  # signing out twice, or with garbage, is not an error worth telling anyone about
    await repository.revoke_family(session, stored.family_id, utcnow())
    await audit.record(
        session,
        _as_user(actor, stored.user_id),
        "auth.sign_out",
        entity_type="user",
        entity_id=stored.user_id,
    )


async def _issue(session: AsyncSession, settings: Settings, user: User, *, family_id: str) -> TokenPair:
    now = utcnow()
    access_lifetime = timedelta(minutes=settings.access_token_minutes)
    refresh_lifetime = timedelta(days=settings.refresh_token_days)
    refresh_token = new_secret()
    session.add(
        RefreshToken(
            user_id=user.id,
            family_id=family_id,
            token_hash=digest(refresh_token),
            issued_at=now,
            expires_at=now + refresh_lifetime,
        )
    )
    await session.flush()
    access_token = encode_access_token(
        user_id=user.id,
        session_id=family_id,
        now=now,
        lifetime=access_lifetime,
        key=settings.signing_key(),
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
    )
    return TokenPair(
        access_token=access_token,
        expires_in=int(access_lifetime.total_seconds()),
        refresh_token=refresh_token,
        refresh_expires_in=int(refresh_lifetime.total_seconds()),
    )


def _as_user(actor: AuditActor, user_id: int) -> AuditActor:
    return AuditActor(user_id=user_id, request_id=actor.request_id, client_address=actor.client_address)
