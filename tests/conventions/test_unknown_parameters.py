"""An unknown query parameter is a 422 naming it, on every route (issue 13, item 10): a misspelt or
renamed filter used to be ignored, and the unfiltered list read as the answer."""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient

from tests.demands import support as demands

UNKNOWN = "zz_unknown"


def _unknown_names(response: Any) -> list[str]:
    assert response.status_code == 422, response.text
    body = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    return [error["loc"][1] for error in body["errors"] if error["code"] == "unknown_parameter"]


async def test_every_operation_refuses_a_query_parameter_it_does_not_declare(
    app: FastAPI, client: AsyncClient
) -> None:
    """Walks the OpenAPI document: each operation, whatever its method, caller or path, answers an
    unknown parameter with a 422 naming it before it looks at anything else."""
    checked = 0
    for path, item in app.openapi()["paths"].items():
        for method in item:
            url = re.sub(r"\{[^}]+\}", "1", path)
            response = await client.request(method.upper(), url, params={UNKNOWN: "1"})
            assert _unknown_names(response) == [UNKNOWN], (method, path, response.text)
            checked += 1
    assert checked > 80


async def test_the_anonymous_fast_reads_refuse_them_too(client: AsyncClient) -> None:
    owner, organization = await demands.poster(client)
    demand = await demands.create(client, owner, organization["id"])
    # A renamed filter (the achievements' old trl_min) sent to demands, and a typo.
    listed = await client.get(demands.URL, params={"trl_min": 3, "tech_feild": "new_energy"})
    assert _unknown_names(listed) == ["trl_min", "tech_feild"]
    assert "tech_field" in listed.json()["detail"]  # the message names what the operation takes
    got = await client.get(f"{demands.URL}/{demand['id']}", params={"fields": "title"})
    assert _unknown_names(got) == ["fields"]
    head = await client.head(demands.URL, params={"sortby": "title"})
    assert head.status_code == 422


async def test_declared_parameters_and_their_aliases_still_pass(client: AsyncClient) -> None:
    assert (await client.get("/api/v1/regions", params={"q": "320706", "limit": 5})).status_code == 200
    template = await client.get("/api/v1/imports/templates/demands", params={"format": "csv"})
    assert template.status_code == 200  # `format` is the alias of the endpoint's template_format
    owner, organization = await demands.poster(client)
    members = await client.get(
        f"/api/v1/organizations/{organization['id']}/members",
        params={"status": "active"},
        headers=owner.headers,
    )
    assert members.status_code == 200


async def test_routes_outside_the_api_take_what_they_are_sent(client: AsyncClient) -> None:
    """The documentation's pages, and the 405 of an undeclared method on an export's path whatever
    query the GET there takes (Schemathesis's unsupported_method check sends one)."""
    redirect = await client.get("/docs/oauth2-redirect", params={"code": "x", "state": "y"})
    assert redirect.status_code == 200
    assert (await client.get("/openapi.json", params={"v": "2"})).status_code == 200
    for method in ("PUT", "PATCH", "POST", "DELETE"):
        refused = await client.request(method, "/api/v1/demands/export", params={"format": "csv", "q": "锂"})
        assert refused.status_code == 405, (method, refused.text)
        assert refused.headers["Allow"] == "GET, HEAD"


async def test_a_parameter_named_like_a_digit_is_named_back(client: AsyncClient) -> None:
    """A parameter named "²" (a digit to str.isdigit(), not to int()) was a 500; Schemathesis found it."""
    for name, named in (("²", "²"), ("٣", "٣"), ("7", 7)):
        response = await client.get("/api/v1/regions", params={name: "1"})
        assert _unknown_names(response) == [named], name
