"""Revisions: an edit of a published listing is reviewed while the published text stays visible."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient, Response
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.enums import PlatformRole
from tests import factories
from tests.achievements import support as achievements
from tests.demands import support as demands
from tests.factories import Account

URL = achievements.URL


async def _setup(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> tuple[Account, Account, dict[str, Any]]:
    owner, organization = await achievements.owner_of(client)
    reviewer = await factories.role_holder(client, db, PlatformRole.DISTRICT_ADMIN, factories.HAIZHOU_CODE)
    published = await achievements.published(client, reviewer, owner, organization["id"])
    return owner, reviewer, published


async def propose(
    client: AsyncClient, who: Account, listing_id: object, body: dict[str, object], url: str = URL
) -> Response:
    current = await client.get(f"{url}/{listing_id}", headers=who.headers)
    etag = current.headers.get("ETag", '"none"')
    return await client.post(
        f"{url}/{listing_id}/revisions", json=body, headers={**who.headers, "If-Match": etag}
    )


async def act_on(
    client: AsyncClient, who: Account, listing_id: object, revision_id: object, action: str, **body: str
) -> Response:
    return await client.post(
        f"{URL}/{listing_id}/revisions/{revision_id}/{action}", json=body or None, headers=who.headers
    )


async def test_edit_after_publication_is_reviewed_while_the_old_text_stays_visible(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, reviewer, published = await _setup(client, db)
    assert published["revision"] == 1
    proposed = await propose(client, owner, published["id"], {"title": "硅碳负极材料的新一代制备技术"})
    assert proposed.status_code == 201, proposed.text
    revision = proposed.json()
    assert revision["status"] == "submitted"
    assert revision["changes"] == {"title": "硅碳负极材料的新一代制备技术"}

    public = (await achievements.read(client, None, published["id"])).json()
    assert public["title"] == published["title"]  # the published text stays until review
    assert public["pending_revision_id"] is None  # and strangers do not learn of the proposal
    mine = (await achievements.read(client, owner, published["id"])).json()
    assert mine["pending_revision_id"] == revision["id"]

    queue = await client.get(URL, params={"scope": "review"}, headers=reviewer.headers)
    assert published["id"] in [item["id"] for item in queue.json()["items"]]

    done = await act_on(client, reviewer, published["id"], revision["id"], "publish")
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "published"
    assert done.json()["published_revision"] == 2
    now = (await achievements.read(client, None, published["id"])).json()
    assert now["title"] == "硅碳负极材料的新一代制备技术"
    assert now["revision"] == 2
    assert now["status"] == "published"
    assert now["contact_phone"] == "139****5678"


async def test_patch_of_a_published_listing_points_to_revisions(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, _, published = await _setup(client, db)
    response = await achievements.patch(client, owner, published["id"], {"title": "直接修改已发布成果"})
    assert response.status_code == 409
    assert response.json()["code"] == "not_editable"
    assert "请提交修订" in response.json()["detail"]


async def test_proposal_needs_if_match_and_a_current_one(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, _, published = await _setup(client, db)
    url = f"{URL}/{published['id']}/revisions"
    missing = await client.post(url, json={"title": "新的标题名称"}, headers=owner.headers)
    assert missing.status_code == 428
    stale = await client.post(
        url, json={"title": "新的标题名称"}, headers={**owner.headers, "If-Match": '"achievement-1-0"'}
    )
    assert stale.status_code == 412


async def test_only_the_owner_proposes_and_strangers_see_no_revisions(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, _, published = await _setup(client, db)
    stranger, _ = await achievements.owner_of(client)
    refused = await propose(client, stranger, published["id"], {"title": "别人的修改"})
    assert refused.status_code == 403
    assert refused.json()["code"] == "not_listing_owner"
    revision = (await propose(client, owner, published["id"], {"title": "本单位的修改"})).json()
    listing_url = f"{URL}/{published['id']}/revisions"
    assert (await client.get(listing_url, headers=stranger.headers)).status_code == 404
    one = await client.get(f"{listing_url}/{revision['id']}", headers=stranger.headers)
    assert one.status_code == 404
    assert (await client.get(listing_url, headers=owner.headers)).json()["items"][0]["id"] == revision["id"]


async def test_a_proposal_is_checked_like_a_direct_edit_and_stores_nothing_when_refused(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, _, published = await _setup(client, db)
    before = await achievements.stored(db, published["id"])
    # Clearing the maturity leaves the achievement incomplete: the same rule as for a draft's edit.
    refused = await propose(client, owner, published["id"], {"trl": None, "stage": None})
    assert refused.status_code == 422
    bad_patent = await propose(
        client, owner, published["id"], {"patents": [{"application_number": "201710601862.4"}]}
    )
    assert bad_patent.status_code == 422
    empty = await propose(client, owner, published["id"], {})
    assert empty.status_code == 422
    assert await achievements.stored(db, published["id"]) == before
    listed = await client.get(f"{URL}/{published['id']}/revisions", headers=owner.headers)
    assert listed.json()["items"] == []


async def test_one_revision_awaits_review_at_a_time_and_withdrawal_frees_the_slot(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, reviewer, published = await _setup(client, db)
    first = (await propose(client, owner, published["id"], {"title": "第一次修改标题"})).json()
    second = await propose(client, owner, published["id"], {"title": "第二次修改标题"})
    assert second.status_code == 409
    assert second.json()["code"] == "revision_pending"
    assert (await act_on(client, reviewer, published["id"], first["id"], "withdraw")).status_code == 403
    withdrawn = await act_on(client, owner, published["id"], first["id"], "withdraw")
    assert withdrawn.json()["status"] == "withdrawn"
    again = await propose(client, owner, published["id"], {"title": "第二次修改标题"})
    assert again.status_code == 201
    late = await act_on(client, reviewer, published["id"], first["id"], "publish")
    assert late.status_code == 409
    assert late.json()["code"] == "invalid_transition"


async def test_return_and_reject_need_a_reason_and_leave_the_listing_alone(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, reviewer, published = await _setup(client, db)
    revision = (await propose(client, owner, published["id"], {"asking_price_fen": 1})).json()
    no_reason = await act_on(client, reviewer, published["id"], revision["id"], "return")
    assert no_reason.status_code == 422
    returned = await act_on(
        client, reviewer, published["id"], revision["id"], "return", reason="价格明显不合理"
    )
    assert returned.json()["status"] == "returned"
    assert returned.json()["review_reason"] == "价格明显不合理"
    still = (await achievements.read(client, owner, published["id"])).json()
    assert still["asking_price_fen"] == published["asking_price_fen"]
    assert still["pending_revision_id"] is None
    assert still["revision"] == 1


async def test_the_owner_and_other_regions_do_not_review_revisions(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, _, published = await _setup(client, db)
    revision = (await propose(client, owner, published["id"], {"title": "修改后的标题"})).json()
    ganyu_admin = await factories.role_holder(client, db, PlatformRole.DISTRICT_ADMIN, factories.GANYU_CODE)
    assert (await act_on(client, owner, published["id"], revision["id"], "publish")).status_code == 403
    foreign = await act_on(client, ganyu_admin, published["id"], revision["id"], "publish")
    assert foreign.status_code == 404  # another region's reviewer does not see the proposal at all


async def test_a_revision_of_a_listing_closed_meanwhile_cannot_be_published(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, reviewer, published = await _setup(client, db)
    revision = (await propose(client, owner, published["id"], {"title": "关闭前的修改"})).json()
    assert (await achievements.act(client, owner, published["id"], "close")).status_code == 200
    refused = await act_on(client, reviewer, published["id"], revision["id"], "publish")
    assert refused.status_code == 409
    assert refused.json()["code"] == "not_published"
    rejected = await act_on(client, reviewer, published["id"], revision["id"], "reject", reason="成果已关闭")
    assert rejected.status_code == 200


async def test_revisions_are_audited(client: AsyncClient, db: async_sessionmaker[AsyncSession]) -> None:
    owner, reviewer, published = await _setup(client, db)
    revision = (await propose(client, owner, published["id"], {"keywords": ["硅碳", "快充"]})).json()
    await act_on(client, reviewer, published["id"], revision["id"], "publish")
    admin = await factories.admin(client, db)
    actions = [
        e["action"] for e in await factories.audit_events(client, admin, "achievement", published["id"])
    ]
    assert "achievement.revision_submit" in actions
    assert "achievement.revision_apply" in actions  # the edit itself, with before and after
    assert "achievement.revision_publish" in actions
    assert "achievement.update" not in actions  # the trial run when proposing wrote nothing


async def test_patents_change_through_a_revision(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, reviewer, published = await _setup(client, db)
    renamed = [{"application_number": "201710601862.3", "status": "granted", "title": "新名称"}]
    proposed = await propose(client, owner, published["id"], {"patents": renamed})
    assert proposed.status_code == 201, proposed.text
    done = await act_on(client, reviewer, published["id"], proposed.json()["id"], "publish")
    assert done.status_code == 200
    patents = (await achievements.read(client, None, published["id"])).json()["patents"]
    assert [(p["application_number"], p["title"]) for p in patents] == [("201710601862.3", "新名称")]


async def test_demands_take_revisions_too(client: AsyncClient, db: async_sessionmaker[AsyncSession]) -> None:
    owner, organization = await demands.poster(client)
    reviewer = await factories.role_holder(client, db, PlatformRole.DISTRICT_ADMIN, factories.HAIZHOU_CODE)
    demand = await demands.published(client, reviewer, owner, organization["id"])
    proposed = await propose(client, owner, demand["id"], {"budget_max_fen": 300_000_000}, url=demands.URL)
    assert proposed.status_code == 201, proposed.text
    revision_url = f"{demands.URL}/{demand['id']}/revisions/{proposed.json()['id']}/publish"
    assert (await client.post(revision_url, headers=reviewer.headers)).status_code == 200
    now = (await demands.read(client, None, demand["id"])).json()
    assert now["budget_max_fen"] == 300_000_000
    assert now["revision"] == 2
