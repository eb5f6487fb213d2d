"""Conventions on organizations: ETag / If-Match on PATCH, pagination, sorting and the region filter."""

from __future__ import annotations

import uuid

from httpx import AsyncClient

from tests import factories
from tests.core.problem_shape import assert_problem

LIST = "/api/v1/organizations"


async def _organizations(client: AsyncClient, count: int) -> tuple[str, list[int]]:
    """`count` organizations whose names share a stem no other test uses; returns (stem, ids)."""
    owner = await factories.account(client)
    stem = f"分页{uuid.uuid4().hex[:8]}"
    ids = []
    for number in range(count):
        org = await factories.organization(client, owner, name=f"{stem}-{number:02d}")
        ids.append(int(str(org["id"])))
    return stem, ids


async def test_get_gives_an_etag_and_patch_with_it_gives_a_new_one(client: AsyncClient) -> None:
    owner = await factories.account(client)
    org = await factories.organization(client, owner)
    path = f"{LIST}/{org['id']}"
    first = await client.get(path, headers=owner.headers)
    etag = first.headers["etag"]
    assert etag.startswith('"')
    assert etag.endswith('"')

    patched = await client.patch(
        path, json={"name": "改名后的企业"}, headers={**owner.headers, "If-Match": etag}
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["name"] == "改名后的企业"
    new_etag = patched.headers["etag"]
    assert new_etag != etag
    again = await client.get(path, headers=owner.headers)
    assert again.headers["etag"] == new_etag
    assert again.json()["name"] == "改名后的企业"


async def test_patch_with_the_old_etag_is_412_and_changes_nothing(client: AsyncClient) -> None:
    owner = await factories.account(client)
    org = await factories.organization(client, owner)
    path = f"{LIST}/{org['id']}"
    old_etag = (await client.get(path, headers=owner.headers)).headers["etag"]
    first = await client.patch(
        path, json={"name": "第一次修改"}, headers={**owner.headers, "If-Match": old_etag}
    )
    assert first.status_code == 200, first.text
    before = await client.get(path, headers=owner.headers)

    stale = await client.patch(
        path,
        json={"name": "基于旧版本的修改", "address": "别处"},
        headers={**owner.headers, "If-Match": old_etag},
    )
    assert_problem(stale, 412, "precondition_failed")
    after = await client.get(path, headers=owner.headers)
    assert after.json() == before.json()
    assert after.headers["etag"] == before.headers["etag"]


async def test_patch_without_if_match_is_428_and_changes_nothing(client: AsyncClient) -> None:
    owner = await factories.account(client)
    org = await factories.organization(client, owner)
    path = f"{LIST}/{org['id']}"
    before = await client.get(path, headers=owner.headers)
    response = await client.patch(path, json={"name": "没有条件的修改"}, headers=owner.headers)
    assert_problem(response, 428, "precondition_required")
    after = await client.get(path, headers=owner.headers)
    assert after.json() == before.json()


async def test_if_match_accepts_a_list_containing_the_current_etag(client: AsyncClient) -> None:
    owner = await factories.account(client)
    org = await factories.organization(client, owner)
    path = f"{LIST}/{org['id']}"
    current = (await client.get(path, headers=owner.headers)).headers["etag"]
    response = await client.patch(
        path, json={"description": "简介"}, headers={**owner.headers, "If-Match": f'"nope", {current}'}
    )
    assert response.status_code == 200, response.text


async def test_default_page_size_offset_and_total(client: AsyncClient) -> None:
    stem, ids = await _organizations(client, 25)
    first = (await client.get(LIST, params={"q": stem})).json()
    assert first["total"] == 25
    assert first["limit"] == 20
    assert first["offset"] == 0
    assert [item["id"] for item in first["items"]] == ids[:20]

    rest = (await client.get(LIST, params={"q": stem, "offset": 20})).json()
    assert rest["total"] == 25
    assert [item["id"] for item in rest["items"]] == ids[20:]

    window = (await client.get(LIST, params={"q": stem, "limit": 5, "offset": 10})).json()
    assert [item["id"] for item in window["items"]] == ids[10:15]

    beyond = (await client.get(LIST, params={"q": stem, "offset": 100})).json()
    assert beyond["items"] == []
    assert beyond["total"] == 25


async def test_page_size_limits(client: AsyncClient) -> None:
    stem, _ids = await _organizations(client, 2)
    assert (await client.get(LIST, params={"q": stem, "limit": 100})).status_code == 200
    for params in ({"limit": 101}, {"limit": 0}, {"offset": -1}, {"limit": "many"}):
        response = await client.get(LIST, params={"q": stem, **params})
        body = assert_problem(response, 422, "validation_failed")
        assert body["errors"][0]["loc"] == ["query", next(iter(params))]


async def test_sort_on_allowed_fields(client: AsyncClient) -> None:
    stem, ids = await _organizations(client, 4)
    ascending = (await client.get(LIST, params={"q": stem, "sort": "name"})).json()["items"]
    names = [item["name"] for item in ascending]
    assert names == sorted(names)
    descending = (await client.get(LIST, params={"q": stem, "sort": "-name"})).json()["items"]
    assert [item["name"] for item in descending] == sorted(names, reverse=True)
    by_time = await client.get(LIST, params={"q": stem, "sort": "-created_at,name"})
    assert by_time.status_code == 200
    assert {item["id"] for item in by_time.json()["items"]} == set(ids)


async def test_unknown_sort_field_is_422_invalid_sort(client: AsyncClient) -> None:
    for sort in ("credit_code", "name,contact_phone", "-bogus"):
        response = await client.get(LIST, params={"sort": sort})
        body = assert_problem(response, 422, "validation_failed")
        assert body["errors"][0]["code"] == "invalid_sort"
        assert body["errors"][0]["loc"][-1] == "sort"


async def test_malformed_sort_is_422(client: AsyncClient) -> None:
    response = await client.get(LIST, params={"sort": "name; DROP TABLE organizations"})
    body = assert_problem(response, 422, "validation_failed")
    assert body["errors"][0]["loc"] == ["query", "sort"]
    assert body["errors"][0]["code"] == "invalid_sort"


async def test_city_region_filter_includes_its_districts(client: AsyncClient) -> None:
    owner = await factories.account(client)
    stem = f"区域{uuid.uuid4().hex[:8]}"
    in_haizhou = await factories.organization(
        client, owner, name=f"{stem}海州", region_code=factories.HAIZHOU_CODE
    )
    in_ganyu = await factories.organization(
        client, owner, name=f"{stem}赣榆", region_code=factories.GANYU_CODE
    )
    in_city = await factories.organization(
        client, owner, name=f"{stem}市本级", region_code=factories.CITY_CODE
    )

    async def listed(region_code: str) -> set[object]:
        region = await factories.region_id(client, region_code)
        response = await client.get(LIST, params={"q": stem, "region_id": region})
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["total"] == len(body["items"])
        return {item["id"] for item in body["items"]}

    assert await listed(factories.CITY_CODE) == {in_haizhou["id"], in_ganyu["id"], in_city["id"]}
    assert await listed(factories.HAIZHOU_CODE) == {in_haizhou["id"]}
    assert await listed(factories.GANYU_CODE) == {in_ganyu["id"]}
    assert await listed("320722") == set()  # 东海县: nobody registered there


async def test_kind_and_verified_filters(client: AsyncClient) -> None:
    stem, _ids = await _organizations(client, 2)
    owner = await factories.account(client)
    agency = await factories.organization(client, owner, name=f"{stem}-agency", kind="transfer_agency")
    kinds = (await client.get(LIST, params={"q": stem, "kind": "transfer_agency"})).json()
    assert [item["id"] for item in kinds["items"]] == [agency["id"]]
    unverified = (await client.get(LIST, params={"q": stem, "is_verified": "false"})).json()
    assert unverified["total"] == 3
    verified = (await client.get(LIST, params={"q": stem, "is_verified": "true"})).json()
    assert verified["total"] == 0
