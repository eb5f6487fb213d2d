"""A package's path: a city administrator drafts it, adds published achievements, publishes version 1;
the public reads it with contacts masked; version 2 is copied from it, edited and published while
version 1 stays as it was."""

from __future__ import annotations

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests import factories
from tests.achievements import support as achievements
from tests.packages import support
from tests.packages.support import URL, add, edit, member_ids, publish, read_version


async def test_draft_publish_and_read_by_the_public(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    curator = await support.curator(client, db)
    first, second = await support.published_achievements(client, db, 2)
    package = await support.created(client, curator)
    assert package["published_version"] is None
    assert package["draft_version"] == 1
    assert package["may_curate"] is True
    assert package["region_name"] == "连云港市"  # a city administrator's package defaults to the city
    assert [item["status"] for item in package["versions"]] == ["draft"]

    # A draft is nobody else's business: not listed, not readable.
    assert (await client.get(f"{URL}/{package['id']}")).status_code == 404
    assert (await read_version(client, None, package["id"], 1)).status_code == 404
    assert (await client.get(URL)).json()["total"] == 0

    added = await add(client, curator, package["id"], 1, second["id"], note="适合储能企业")
    assert added.status_code == 200, added.text
    added = await add(client, curator, package["id"], 1, first["id"], position=1)
    assert member_ids(added.json()) == [first["id"], second["id"]]
    assert [member["position"] for member in added.json()["members"]] == [1, 2]

    published = await publish(client, curator, package["id"], 1)
    assert published.status_code == 200, published.text
    assert published.json()["status"] == "published"
    assert published.json()["published_at"] is not None

    public = await read_version(client, None, package["id"], 1)
    assert public.status_code == 200
    version = public.json()
    assert member_ids(version) == [first["id"], second["id"]]
    assert version["members"][1]["note"] == "适合储能企业"
    shown = version["members"][0]
    assert shown["is_available"] is True
    assert shown["effective_status"] == "published"
    assert shown["organization_name"].startswith("连云港测试企业")
    # As the public sees the achievement: contact masked, confidential detail withheld.
    assert shown["achievement"]["contact_phone"] == "139****5678"
    assert shown["achievement"]["confidential_detail"] is None
    assert shown["achievement"]["is_detail_withheld"] is True
    assert shown["achievement"]["patents"][0]["application_number"] == "201710601862.3"
    # What an export needs of the package comes with the version.
    assert (version["industry"], version["theme"], version["region_name"]) == (
        "new_energy",
        "锂电池与储能",
        "连云港市",
    )
    assert version["title"] == "新能源产业科技成果包"

    listed = (await client.get(URL)).json()
    assert [item["id"] for item in listed["items"]] == [package["id"]]
    assert listed["items"][0]["member_count"] == 2
    assert listed["items"][0]["draft_version"] is None  # nobody's business but the curators'
    whole = (await client.get(f"{URL}/{package['id']}")).json()
    assert whole["latest"]["number"] == 1
    assert whole["may_curate"] is False


async def test_next_version_is_a_copy_and_the_old_one_stays(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    curator = await support.curator(client, db)
    first, second, third = await support.published_achievements(client, db, 3)
    package = await support.published_package(client, curator, [first["id"], second["id"]])

    response = await client.post(f"{URL}/{package['id']}/versions", headers=curator.headers)
    assert response.status_code == 201, response.text
    draft = response.json()
    assert (draft["number"], draft["status"], draft["based_on"]) == (2, "draft", 1)
    assert member_ids(draft) == [first["id"], second["id"]]
    assert draft["title"] == "新能源产业科技成果包"

    assert (await add(client, curator, package["id"], 2, third["id"])).status_code == 200
    removed = await edit(client, curator, "DELETE", package["id"], 2, f"/members/{first['id']}")
    assert removed.status_code == 200, removed.text
    renamed = await edit(client, curator, "PATCH", package["id"], 2, body={"title": "新能源成果包（第二批）"})
    assert renamed.status_code == 200, renamed.text

    # The public still reads version 1 while version 2 is a draft.
    public = (await client.get(f"{URL}/{package['id']}")).json()
    assert [item["number"] for item in public["versions"]] == [1]
    assert public["latest"]["number"] == 1
    assert member_ids(public["latest"]) == [first["id"], second["id"]]
    assert (await read_version(client, None, package["id"], 2)).status_code == 404

    assert (await publish(client, curator, package["id"], 2)).status_code == 200
    public = (await client.get(f"{URL}/{package['id']}")).json()
    assert public["published_version"] == 2
    assert [item["number"] for item in public["versions"]] == [2, 1]
    assert public["latest"]["title"] == "新能源成果包（第二批）"
    assert member_ids(public["latest"]) == [second["id"], third["id"]]
    old = (await read_version(client, None, package["id"], 1)).json()
    assert old["title"] == "新能源产业科技成果包"
    assert member_ids(old) == [first["id"], second["id"]]


async def test_a_member_closed_later_stays_in_the_old_version_flagged(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    curator = await support.curator(client, db)
    owner, organization = await achievements.owner_of(client)
    reviewer = await factories.admin(client, db)
    achievement = await achievements.published(client, reviewer, owner, organization["id"])
    package = await support.published_package(client, curator, [achievement["id"]])
    assert (await achievements.act(client, owner, achievement["id"], "close")).status_code == 200

    version = (await read_version(client, None, package["id"], 1)).json()
    member = version["members"][0]
    assert member["achievement_id"] == achievement["id"]
    assert member["effective_status"] == "closed"
    assert member["is_available"] is False
    assert member["achievement"]["status"] == "closed"
    assert member["achievement"]["contact_phone"] == "139****5678"

    # The copy keeps it (visibly flagged), and it must go before the next version is published.
    await client.post(f"{URL}/{package['id']}/versions", headers=curator.headers)
    refused = await publish(client, curator, package["id"], 2)
    assert refused.status_code == 409
    assert refused.json()["code"] == "achievement_not_published"
    removed = await edit(client, curator, "DELETE", package["id"], 2, f"/members/{achievement['id']}")
    assert removed.status_code == 200
    assert (await publish(client, curator, package["id"], 2)).json()["code"] == "package_version_empty"


async def test_order_notes_and_positions(client: AsyncClient, db: async_sessionmaker[AsyncSession]) -> None:
    curator = await support.curator(client, db)
    ids = [item["id"] for item in await support.published_achievements(client, db, 3)]
    package = await support.created(client, curator)
    for achievement_id in ids:
        await add(client, curator, package["id"], 1, achievement_id)

    reordered = await edit(
        client, curator, "PUT", package["id"], 1, "/member-order", {"achievement_ids": ids[::-1]}
    )
    assert reordered.status_code == 200, reordered.text
    assert member_ids(reordered.json()) == ids[::-1]

    moved = await edit(
        client, curator, "PATCH", package["id"], 1, f"/members/{ids[0]}", {"position": 99, "note": "重点推荐"}
    )
    assert moved.status_code == 200, moved.text
    assert member_ids(moved.json()) == [ids[2], ids[1], ids[0]]
    assert moved.json()["members"][2]["note"] == "重点推荐"
    cleared = await edit(client, curator, "PATCH", package["id"], 1, f"/members/{ids[0]}", {"note": None})
    assert cleared.json()["members"][2]["note"] is None
    assert [member["position"] for member in cleared.json()["members"]] == [1, 2, 3]

    mismatch = await edit(
        client, curator, "PUT", package["id"], 1, "/member-order", {"achievement_ids": ids[:2]}
    )
    assert mismatch.status_code == 409
    assert mismatch.json()["code"] == "member_order_mismatch"
    twice = await edit(
        client,
        curator,
        "PUT",
        package["id"],
        1,
        "/member-order",
        {"achievement_ids": [ids[0], ids[0], ids[1]]},
    )
    assert twice.status_code == 422
    missing = await edit(client, curator, "DELETE", package["id"], 1, "/members/999999")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_a_member"
