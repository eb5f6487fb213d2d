"""An OpenAPI document that client generators take as it is (issue 13, item 11).

What each rule prevents, as seen through generated clients (tests/clients runs them):

- no composition keyword beside `properties` (openapi-python-client turned PackageCreate's top-level
  anyOf into two types without the required `title`; openapi-typescript made it a union that
  `{industry}` alone satisfies);
- an optional body is a plain schema, not a union with null (the Python client sent its UNSET
  marker as the body and crashed when an action was called with default arguments);
- public reads say that anonymous access is supported (`{}` beside the bearer scheme);
- If-Match is declared required wherever its absence is a 428, and its absence still is a 428;
- a defaulted field is optional in a request and required in a response (it is always sent).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.enums import PlatformRole
from app.core.schemas import CROSS_FIELD_RULES
from tests import factories
from tests.core.problem_shape import assert_problem
from tests.demands import support as demands

COMPOSITION = ("anyOf", "oneOf", "allOf", "not", "if", "then", "else")
METHODS = ("get", "put", "post", "delete", "patch")
# A year's calendar (a statistics target) may be loaded (set) without If-Match; replacing a loaded
# one needs it (428 without).
CONDITIONAL_IF_MATCH = {
    ("put", "/api/v1/holidays/years/{year}"),
    ("post", "/api/v1/holidays/years/{year}/from-package"),
    ("put", "/api/v1/statistics/targets/{metric}/{year}"),
}
PUBLIC_READS = {
    "/api/v1/achievements",
    "/api/v1/achievements/export",
    "/api/v1/achievements/{achievement_id}",
    "/api/v1/demands",
    "/api/v1/demands/export",
    "/api/v1/demands/{demand_id}",
    "/api/v1/packages",
    "/api/v1/packages/{package_id}",
    "/api/v1/packages/{package_id}/versions/{number}",
    "/api/v1/organizations",
    "/api/v1/organizations/{organization_id}",
}
# Operations other than reads that anyone may call: matching a need in free text.
PUBLIC_WRITES = {"/api/v1/matches/achievements", "/api/v1/matches/demands"}
PUBLIC = {("get", path) for path in PUBLIC_READS} | {("post", path) for path in PUBLIC_WRITES}


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield method, path, operation


def _reachable(document: dict[str, Any], start: object) -> dict[str, dict[str, Any]]:
    """The component schemas that `start` refers to, directly or through others."""
    schemas: dict[str, dict[str, Any]] = document["components"]["schemas"]
    found: dict[str, dict[str, Any]] = {}
    pending = [start]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                name = ref.rsplit("/", 1)[-1]
                if name not in found:
                    found[name] = schemas[name]
                    pending.append(schemas[name])
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return found


def _request_schemas(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    bodies = [op["requestBody"] for _, _, op in _operations(document) if "requestBody" in op]
    return _reachable(document, bodies)


def _response_schemas(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    answers = [
        response
        for _, _, op in _operations(document)
        for status, response in op["responses"].items()
        if status.startswith("2")
    ]
    return _reachable(document, answers)


def test_no_schema_composes_beside_its_properties(app: FastAPI) -> None:
    document = app.openapi()
    composed = {
        name: sorted(set(COMPOSITION) & schema.keys())
        for name, schema in document["components"]["schemas"].items()
        if "properties" in schema and set(COMPOSITION) & schema.keys()
    }
    assert composed == {}
    for method, path, operation in _operations(document):
        for content in operation.get("requestBody", {}).get("content", {}).values():
            schema = content["schema"]
            assert not ("properties" in schema and set(COMPOSITION) & schema.keys()), (method, path)


def test_cross_field_rules_are_stated_beside_the_schema_and_in_words(app: FastAPI) -> None:
    schemas = app.openapi()["components"]["schemas"]
    package = schemas["PackageCreate"]
    assert package["required"] == ["title"]
    assert {"industry", "theme"} <= package["properties"].keys()
    assert package[CROSS_FIELD_RULES][0]["anyOf"]
    assert "industry, a theme, or both" in package["description"]
    for name in ("AchievementCreate", "AchievementUpdate", "RoleGrantCreate", "RegionCreate"):
        assert schemas[name][CROSS_FIELD_RULES], name
        assert schemas[name]["description"], name


async def test_a_package_without_a_direction_is_still_refused(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    curator = await factories.role_holder(client, db, PlatformRole.CITY_ADMIN, factories.CITY_CODE)
    response = await client.post("/api/v1/packages", json={"title": "新材料成果包"}, headers=curator.headers)
    assert_problem(response, 422, "validation_failed")


def test_optional_bodies_are_plain_schemas(app: FastAPI) -> None:
    optional = {
        (method, path): operation["requestBody"]["content"]
        for method, path, operation in _operations(app.openapi())
        if "requestBody" in operation and not operation["requestBody"].get("required")
    }
    # The lifecycle actions of both listing kinds, their revisions and access requests, publishing a
    # package version, asking to join an organization and deciding on a membership.
    assert len(optional) >= 9, sorted(optional)
    for operation, content in optional.items():
        assert list(content) == ["application/json"], operation
        assert set(content["application/json"]["schema"]) == {"$ref"}, operation


async def test_an_action_takes_no_body_an_empty_one_or_a_reason(client: AsyncClient) -> None:
    owner, organization = await demands.poster(client)
    first = await demands.create(client, owner, organization["id"])
    second = await demands.create(client, owner, organization["id"])
    url = demands.URL + "/{}/submit"
    # What a generated client sends when the body is left out: a JSON content type and nothing else.
    bare = await client.post(
        url.format(first["id"]), headers={**owner.headers, "Content-Type": "application/json"}
    )
    assert bare.status_code == 200, bare.text
    assert bare.json()["status"] == "submitted"
    empty = await client.post(url.format(second["id"]), json={}, headers=owner.headers)
    assert empty.status_code == 200, empty.text
    withdrawn = await client.post(
        demands.URL + f"/{first['id']}/withdraw", json={"reason": "改日再提交"}, headers=owner.headers
    )
    assert withdrawn.status_code == 200, withdrawn.text
    unknown = await client.post(
        demands.URL + f"/{second['id']}/withdraw", json={"why": "x"}, headers=owner.headers
    )
    assert_problem(unknown, 422, "validation_failed")


def test_public_reads_declare_that_anonymous_callers_may_use_them(app: FastAPI) -> None:
    anonymous = {
        (method, path) for method, path, op in _operations(app.openapi()) if {} in op.get("security", [])
    }
    assert anonymous == PUBLIC
    for method, path, operation in _operations(app.openapi()):
        security = operation.get("security", [])
        if (method, path) in PUBLIC:
            assert security == [{"OAuth2PasswordBearer": []}, {}], path
        else:
            assert {} not in security, (method, path)


async def test_what_the_document_says_of_anonymous_callers_holds(client: AsyncClient, app: FastAPI) -> None:
    """Every read that needs no parameter, called without credentials."""
    for method, path, operation in _operations(app.openapi()):
        if method != "get" or any(p.get("required") for p in operation.get("parameters", [])):
            continue
        security = operation.get("security")
        response = await client.get(path)
        if security is None or {} in security:
            assert response.status_code == 200, (path, response.text)
        else:
            assert_problem(response, 401, "not_authenticated")


def test_if_match_is_required_wherever_its_absence_is_428(app: FastAPI) -> None:
    conditional = 0
    for method, path, operation in _operations(app.openapi()):
        headers = {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "header"}
        if "428" not in operation["responses"]:
            assert "if-match" not in headers, (method, path)
            continue
        conditional += 1
        assert "if-match" in headers, (method, path)
        assert headers["if-match"].get("required", False) == ((method, path) not in CONDITIONAL_IF_MATCH)
        assert "412" in operation["responses"], (method, path)
    assert conditional >= 15


async def test_a_write_without_if_match_is_428_not_a_validation_error(client: AsyncClient) -> None:
    me = await factories.account(client)
    for body in ({"display_name": "新名字"}, {"display_name": 12, "unknown": True}):
        response = await client.patch("/api/v1/users/me", json=body, headers=me.headers)
        problem = assert_problem(response, 428, "precondition_required")
        assert "errors" not in problem
    blank = await client.patch(
        "/api/v1/users/me", json={"display_name": "新名字"}, headers={**me.headers, "If-Match": " "}
    )
    assert_problem(blank, 428, "precondition_required")
    etag = (await client.get("/api/v1/users/me", headers=me.headers)).headers["ETag"]
    done = await client.patch(
        "/api/v1/users/me", json={"display_name": "新名字"}, headers={**me.headers, "If-Match": etag}
    )
    assert done.status_code == 200, done.text


async def test_a_stranger_hears_403_before_being_asked_for_if_match(client: AsyncClient) -> None:
    owner, organization = await demands.poster(client)
    demand = await demands.create(client, owner, organization["id"])
    stranger = await factories.account(client, "stranger")
    response = await client.patch(
        f"{demands.URL}/{demand['id']}", json={"title": "别人的需求标题"}, headers=stranger.headers
    )
    assert response.status_code in (403, 404), response.text
    assert response.json()["code"] != "precondition_required"


def test_defaulted_fields_are_optional_in_requests_and_required_in_responses(app: FastAPI) -> None:
    document = app.openapi()
    for name, schema in _request_schemas(document).items():
        defaulted = {key for key, field in schema.get("properties", {}).items() if "default" in field}
        assert not defaulted & set(schema.get("required", [])), name
    responses = _response_schemas(document)
    assert "TokenPair" in responses
    for name, schema in responses.items():
        if name in {
            "Problem",
            "ImportProblem",
        }:  # `errors` and `row_errors` are sent only when there are some
            continue
        missing = set(schema.get("properties", {})) - set(schema.get("required", []))
        assert not missing, (name, sorted(missing))


def test_no_request_text_passes_its_schema_with_too_little_left_once_stripped(app: FastAPI) -> None:
    """Request text is stripped before its length is checked, so a schema's minLength alone would let
    ", " pass for two characters; the declared pattern must refuse what the check refuses."""
    checked = 0
    for name, schema in app.openapi()["components"]["schemas"].items():
        for field, prop in schema.get("properties", {}).items():
            minimum = prop.get("minLength", 0)
            if prop.get("type") != "string" or minimum < 2 or "pattern" not in prop or "format" in prop:
                continue
            checked += 1
            padded = "x" + " " * (minimum - 1)
            assert re.search(prop["pattern"], padded) is None, (name, field)
            assert re.search(prop["pattern"], "x" * minimum), (name, field)
    assert checked >= 3
