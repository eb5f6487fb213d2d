"""Truly parallel requests (PostgreSQL) against the credential rules that a race could slip past.

They cannot run inside the rolled-back test transaction (both requests would share one connection),
so this module gets a fresh, migrated database of its own, dropped afterwards.
"""

from __future__ import annotations

import asyncio

import pytest

from app.core.enums import PlatformRole
from tests import factories
from tests.auth.helpers import assert_problem, bearer
from tests.parallel import Parallel, parallel

pytestmark = pytest.mark.postgres_only
__all__ = ["Parallel", "parallel"]  # the module-scoped fixture, used by name

REFRESH = "/api/v1/auth/refresh"


async def test_one_refresh_token_presented_twice_at_once_rotates_once(parallel: Parallel) -> None:
    me = await factories.account(parallel.setup)
    first, second = parallel.clients
    responses = await parallel.both(
        first.post(REFRESH, json={"refresh_token": me.refresh_token}),
        second.post(REFRESH, json={"refresh_token": me.refresh_token}),
    )
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200, 401], [r.text for r in responses]
    winner = next(r for r in responses if r.status_code == 200).json()
    assert_problem(next(r for r in responses if r.status_code == 401), 401, "refresh_token_reused")
    # The second presentation is a reuse: the family is revoked, the winner's new pair included.
    assert (
        await parallel.setup.post(REFRESH, json={"refresh_token": winner["refresh_token"]})
    ).status_code == 401
    me_again = await parallel.setup.get("/api/v1/users/me", headers=bearer(winner["access_token"]))
    assert_problem(me_again, 401, "session_revoked")


async def test_two_system_admins_revoking_each_other_at_once_leave_one(parallel: Parallel) -> None:
    sessionmaker = parallel.app.state.sessionmaker
    first_admin = await factories.admin(parallel.setup, sessionmaker)
    second_admin = await factories.account(parallel.setup, "admin")
    await factories.grant(sessionmaker, second_admin.id, PlatformRole.SYSTEM_ADMIN)
    holders = await parallel.setup.get(
        "/api/v1/users", params={"role": "system_admin", "limit": 100}, headers=first_admin.headers
    )
    # Revoke every other system admin this module made, so these two are the last ones.
    grants: dict[int, int] = {}
    for user in holders.json()["items"]:
        roles = await parallel.setup.get(f"/api/v1/users/{user['id']}/roles", headers=first_admin.headers)
        grant_id = next(r["id"] for r in roles.json()["items"] if r["role"] == "system_admin")
        if user["id"] in (first_admin.id, second_admin.id):
            grants[user["id"]] = grant_id
            continue
        revoked = await parallel.setup.delete(
            f"/api/v1/users/{user['id']}/roles/{grant_id}", headers=first_admin.headers
        )
        assert revoked.status_code == 204, revoked.text

    first, second = parallel.clients
    responses = await parallel.both(
        first.delete(
            f"/api/v1/users/{second_admin.id}/roles/{grants[second_admin.id]}", headers=first_admin.headers
        ),
        second.delete(
            f"/api/v1/users/{first_admin.id}/roles/{grants[first_admin.id]}", headers=second_admin.headers
        ),
    )
    # Whichever runs second must refuse: as the last system administrator (409), or, if the other
    # request committed before it began, because its caller is no system administrator any more: it
    # may no longer even see the other account (404, the access object's rule for users) or, if it
    # still does, may not change its roles (403).
    assert sorted(response.status_code for response in responses)[0] == 204, [r.text for r in responses]
    loser = max(responses, key=lambda response: response.status_code)
    assert loser.status_code in (403, 404, 409), loser.text
    assert loser.json()["code"] in ("last_system_admin", "role_required", "not_found")
    survivor = first_admin if responses[0].status_code == 204 else second_admin
    remaining = await parallel.setup.get(
        "/api/v1/users", params={"role": "system_admin"}, headers=survivor.headers
    )
    assert [user["id"] for user in remaining.json()["items"]] == [survivor.id]


async def test_the_same_role_granted_twice_at_once_is_held_once(parallel: Parallel) -> None:
    root = await factories.admin(parallel.setup, parallel.app.state.sessionmaker)
    user = await factories.account(parallel.setup)
    url = f"/api/v1/users/{user.id}/roles"
    first, second = parallel.clients
    responses = await parallel.both(
        first.post(url, json={"role": "city_admin"}, headers=root.headers),
        second.post(url, json={"role": "city_admin"}, headers=root.headers),
    )
    assert sorted(response.status_code for response in responses) == [201, 409], [r.text for r in responses]
    roles = (await parallel.setup.get(url, headers=root.headers)).json()["items"]
    assert [role["role"] for role in roles] == ["city_admin"]


async def test_parallel_password_guesses_get_no_more_than_the_limit(parallel: Parallel) -> None:
    victim = await factories.account(parallel.setup)
    limit = parallel.app.state.settings.login_max_failures_per_account
    first, second = parallel.clients
    guesses = [
        (first if i % 2 else second).post(
            "/api/v1/auth/token", data={"username": victim.email, "password": f"wrong guess {i}"}
        )
        for i in range(limit * 2)
    ]
    statuses = [response.status_code for response in await asyncio.gather(*guesses)]
    # Check-then-count would let a parallel burst through; counting first lets exactly `limit` in.
    assert statuses.count(401) == limit, statuses
    assert statuses.count(429) == limit, statuses
