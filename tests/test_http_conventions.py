"""HTTP as clients expect it: HEAD wherever GET is, no-store on tokens and authenticated reads, a
WWW-Authenticate challenge on 401, X-Forwarded-For only from configured proxies, and a sign-in
throttle that one address cannot use to lock an account's owner out."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from app import cli
from tests import factories
from tests.conftest import BASE_URL, make_settings
from tests.demands import support as demands


async def test_head_is_answered_wherever_get_is(client: AsyncClient) -> None:
    owner, organization = await demands.poster(client)
    demand = await demands.create(client, owner, organization["id"])
    for path, headers in (
        ("/api/v1/demands", {}),
        ("/api/v1/regions", {}),
        ("/api/v1/users/me", owner.headers),
        (f"/api/v1/demands/{demand['id']}", owner.headers),
    ):
        got = await client.get(path, headers=headers)
        head = await client.head(path, headers=headers)
        assert head.status_code == got.status_code == 200, path
        assert head.content == b""
        assert head.headers["content-type"] == got.headers["content-type"]
        assert head.headers.get("etag") == got.headers.get("etag")


async def test_allow_lists_head_and_head_works_there(client: AsyncClient) -> None:
    refused = await client.delete("/api/v1/regions")
    assert refused.status_code == 405
    assert "HEAD" in refused.headers["Allow"].split(", ")
    assert (await client.head("/api/v1/regions")).status_code == 200


async def test_tokens_and_authenticated_reads_are_not_stored(client: AsyncClient) -> None:
    me = await factories.account(client)
    token = await client.post("/api/v1/auth/token", data={"username": me.email, "password": me.password})
    assert token.headers["Cache-Control"] == "no-store"
    mine = await client.get("/api/v1/users/me", headers=me.headers)
    assert mine.headers["Cache-Control"] == "no-store"
    public = await client.get("/api/v1/regions")
    assert "no-store" not in public.headers.get("Cache-Control", "")


async def test_a_401_says_how_to_authenticate(client: AsyncClient) -> None:
    anonymous = await client.get("/api/v1/users/me")
    assert anonymous.status_code == 401
    assert anonymous.headers["WWW-Authenticate"] == 'Bearer realm="techtransfer"'
    forged = await client.get("/api/v1/users/me", headers={"Authorization": "Bearer not-a-token"})
    assert forged.status_code == 401
    assert forged.headers["WWW-Authenticate"] == 'Bearer realm="techtransfer", error="invalid_token"'


async def test_one_address_guessing_does_not_lock_the_owner_out(client: AsyncClient, app: FastAPI) -> None:
    owner = await factories.account(client, "locked")
    limit = app.state.settings.login_max_failures_per_account
    guesser = AsyncClient(transport=ASGITransport(app=app, client=("203.0.113.9", 4000)), base_url=BASE_URL)
    async with guesser:
        for _ in range(limit):
            wrong = await guesser.post(
                "/api/v1/auth/token", data={"username": owner.email, "password": "x" * 12}
            )
            assert wrong.status_code == 401
        refused = await guesser.post(
            "/api/v1/auth/token", data={"username": owner.email, "password": owner.password}
        )
        assert refused.status_code == 429  # the guessing address is refused for this account
    owners_own = AsyncClient(
        transport=ASGITransport(app=app, client=("198.51.100.7", 5000)), base_url=BASE_URL
    )
    async with owners_own:
        signed_in = await owners_own.post(
            "/api/v1/auth/token", data={"username": owner.email, "password": owner.password}
        )
    assert signed_in.status_code == 200, signed_in.text


@pytest.mark.parametrize(
    ("proxies", "expected"),
    [
        ([], {"proxy_headers": False, "forwarded_allow_ips": ""}),
        (["10.0.0.5"], {"proxy_headers": True, "forwarded_allow_ips": "10.0.0.5"}),
    ],
)
def test_forwarded_addresses_are_believed_only_from_configured_proxies(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any, proxies: list[str], expected: dict[str, Any]
) -> None:
    seen: dict[str, Any] = {}
    settings = make_settings(f"sqlite+aiosqlite:///{tmp_path}/p.db", trusted_proxies=proxies)
    monkeypatch.setattr(cli, "get_settings", lambda: settings)
    monkeypatch.setattr("app.cli.migrate.upgrade", lambda _url: None)
    monkeypatch.setattr("app.cli.uvicorn.run", lambda *_args, **kwargs: seen.update(kwargs))
    cli.serve(host="127.0.0.1", port=0, workers=1, demo=False, reload=False, worker=True, migrate_first=True)
    assert {key: seen[key] for key in expected} == expected
