"""Racing curators (PostgreSQL, truly parallel): compare-and-set lets exactly one of two writers win."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from app.models import PackageVersion
from tests.factories import Account
from tests.packages import support
from tests.packages.support import URL, member_ids
from tests.parallel import Parallel, parallel

pytestmark = pytest.mark.postgres_only
__all__ = ["parallel"]  # the module-scoped fixture, used by name


async def _published(parallel: Parallel, count: int) -> tuple[Account, dict[str, Any], list[int]]:
    db = parallel.app.state.sessionmaker
    curator = await support.curator(parallel.setup, db)
    ids = [item["id"] for item in await support.published_achievements(parallel.setup, db, count)]
    package = await support.published_package(parallel.setup, curator, ids[:1])
    return curator, package, ids


async def test_two_curators_make_the_next_version_at_once(parallel: Parallel) -> None:
    curator, package, _ = await _published(parallel, 1)
    path = f"{URL}/{package['id']}/versions"
    first, second = parallel.clients

    responses = await parallel.both(
        first.post(path, headers=curator.headers), second.post(path, headers=curator.headers)
    )
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201, 409], [response.text for response in responses]
    loser = next(response for response in responses if response.status_code == 409)
    assert loser.json()["code"] in ("package_draft_exists", "concurrent_change")
    async with parallel.app.state.sessionmaker() as session:
        drafts = await session.scalar(
            select(func.count()).where(
                PackageVersion.package_id == package["id"], PackageVersion.status == "draft"
            )
        )
    assert drafts == 1


async def test_two_edits_with_the_same_etag(parallel: Parallel) -> None:
    curator, package, ids = await _published(parallel, 3)
    await parallel.setup.post(f"{URL}/{package['id']}/versions", headers=curator.headers)
    etag = await support.etag_of(parallel.setup, curator, package["id"], 2)
    path = support.version_url(package["id"], 2) + "/members"
    headers = {**curator.headers, "If-Match": etag}
    first, second = parallel.clients

    responses = await parallel.both(
        first.post(path, json={"achievement_id": ids[1]}, headers=headers),
        second.post(path, json={"achievement_id": ids[2]}, headers=headers),
    )
    assert sorted(response.status_code for response in responses) == [200, 412], [r.text for r in responses]
    winner = next(response for response in responses if response.status_code == 200)
    stored = (await support.read_version(parallel.setup, curator, package["id"], 2)).json()
    assert member_ids(stored) == member_ids(winner.json())
    assert len(member_ids(stored)) == 2


async def test_publishing_while_someone_edits(parallel: Parallel) -> None:
    curator, package, ids = await _published(parallel, 2)
    await parallel.setup.post(f"{URL}/{package['id']}/versions", headers=curator.headers)
    etag = await support.etag_of(parallel.setup, curator, package["id"], 2)
    path = support.version_url(package["id"], 2)
    headers = {**curator.headers, "If-Match": etag}
    first, second = parallel.clients

    publication, edit = await parallel.both(
        first.post(f"{path}/publish", headers=headers),
        second.post(f"{path}/members", json={"achievement_id": ids[1]}, headers=headers),
    )
    assert sorted([publication.status_code, edit.status_code]) in ([200, 409], [200, 412]), (
        publication.text,
        edit.text,
    )
    stored = (await support.read_version(parallel.setup, curator, package["id"], 2)).json()
    if publication.status_code == 200:
        # Published as it was read: the edit did not slip in afterwards.
        assert (stored["status"], member_ids(stored)) == ("published", [ids[0]])
        assert edit.json()["code"] in ("package_version_published", "precondition_failed")
    else:
        assert publication.json()["code"] == "precondition_failed"
        assert (stored["status"], member_ids(stored)) == ("draft", [ids[0], ids[1]])
