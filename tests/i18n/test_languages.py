"""Messages read in Chinese by default (the deployment's setting), in English on Accept-Language: en;
codes never change with the language."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient, Response
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests import factories
from tests.conftest import BASE_URL, app_on, run_until_idle
from tests.demands.support import poster
from tests.imports.support import DEMAND_ROW, table, upload, xlsx

ENGLISH = {"Accept-Language": "en-US,en;q=0.9"}
MISSING_DEMAND = "/api/v1/demands/987654321"


def _problem(response: Response) -> dict[str, Any]:
    assert response.headers["content-type"] == "application/problem+json"
    assert "Accept-Language" in response.headers["vary"]
    return dict(response.json())


async def test_a_problem_reads_in_chinese_by_default(client: AsyncClient) -> None:
    response = await client.get(MISSING_DEMAND)
    problem = _problem(response)
    assert response.status_code == 404
    assert response.headers["content-language"] == "zh-CN"
    assert (problem["code"], problem["title"], problem["detail"]) == (
        "not_found",
        "未找到",
        "未找到需求 987654321",
    )


async def test_a_problem_reads_in_english_on_request(client: AsyncClient) -> None:
    response = await client.get(MISSING_DEMAND, headers=ENGLISH)
    problem = _problem(response)
    assert response.headers["content-language"] == "en"
    assert (problem["code"], problem["title"], problem["detail"]) == (
        "not_found",
        "Not found",
        "No demand 987654321",
    )


async def test_an_unsupported_language_falls_back_to_chinese(client: AsyncClient) -> None:
    problem = _problem(await client.get(MISSING_DEMAND, headers={"Accept-Language": "fr-FR"}))
    assert problem["detail"] == "未找到需求 987654321"


async def test_validation_errors_read_in_the_request_language_under_one_title(client: AsyncClient) -> None:
    owner, organization = await poster(client)
    body = {"organization_id": organization["id"], "title": "x" * 300}
    chinese = _problem(await client.post("/api/v1/demands", json=body, headers=owner.headers))
    english = _problem(await client.post("/api/v1/demands", json=body, headers=owner.headers | ENGLISH))
    assert chinese["code"] == english["code"] == "validation_failed"
    assert (chinese["title"], english["title"]) == ("校验未通过", "Validation failed")
    messages = {tuple(error["loc"]): error["message"] for error in chinese["errors"]}
    assert messages[("body", "title")] == "最多 200 个字符"
    assert messages[("body", "description")] == "必填项"
    assert [error["code"] for error in chinese["errors"]] == [error["code"] for error in english["errors"]]
    assert "at most 200 characters" in str(english["errors"])

    # A choice lists its values the Chinese way.
    sort = _problem(await client.get("/api/v1/demands?sort=budget", headers=owner.headers))
    assert sort["errors"][0]["message"].startswith("应为以下之一：'relevance'、'newest'")


async def test_a_rule_the_service_checks_answers_under_the_same_title(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    admin = await factories.admin(client, db)
    days = {"days": [{"day": "2030-01-01", "kind": "holiday", "name": "元旦"}]}
    refused = _problem(await client.put("/api/v1/holidays/years/2031", json=days, headers=admin.headers))
    assert (refused["code"], refused["title"]) == ("validation_failed", "校验未通过")
    assert refused["detail"] == refused["errors"][0]["message"] == "2030-01-01 不在 2031 年"


async def test_an_oversized_body_is_refused_in_chinese(client: AsyncClient) -> None:
    response = await client.post(
        "/api/v1/demands", content=b"x" * 2_000_000, headers={"Content-Type": "application/json"}
    )
    problem = _problem(response)
    assert response.status_code == 413
    assert problem["title"] == "请求内容过大"
    assert problem["detail"].startswith("请求内容超过")


async def test_import_row_errors_read_in_the_request_language(client: AsyncClient) -> None:
    owner, organization = await poster(client)
    content = xlsx(table([DEMAND_ROW | {"联系电话": "110"}]))
    chinese = await upload(client, owner, "demands", organization["id"], content, dry_run=True)
    error = chinese.json()["errors"][0]
    assert (error["code"], error["column"]) == ("invalid_phone", "联系电话")
    assert "电话号码" in error["message"]
    english = await client.post(
        "/api/v1/imports",
        data={"kind": "demands", "organization_id": str(organization["id"]), "dry_run": "true"},
        files={"file": ("listings.xlsx", content, "application/octet-stream")},
        headers=owner.headers | ENGLISH,
    )
    assert english.json()["errors"][0]["code"] == "invalid_phone"
    assert "phone" in english.json()["errors"][0]["message"]


async def test_a_stored_import_outcome_reads_in_the_language_of_whoever_reads_it(
    app: FastAPI, client: AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app.state.settings, "import_job_threshold_rows", 2)
    owner, organization = await poster(client)
    rows = [DEMAND_ROW | {"客户编号": f"XQ-{i}"} for i in range(4)]
    rows[2] = rows[2] | {"需求类型": "不存在的类型"}
    response = await upload(client, owner, "demands", organization["id"], xlsx(table(rows)))
    assert response.status_code == 202, response.text
    await run_until_idle(app)
    location = response.headers["location"]
    chinese = (await client.get(location, headers=owner.headers)).json()["errors"][0]
    english = (await client.get(location, headers=owner.headers | ENGLISH)).json()["errors"][0]
    assert chinese["code"] == english["code"] == "invalid_choice"
    assert "不在可选值中" in chinese["message"]
    assert "is not one of" in english["message"]


async def test_the_deployment_chooses_the_default_language(database_url: str) -> None:
    async with app_on(database_url, language="en") as english_first:
        transport = ASGITransport(app=english_first)
        async with AsyncClient(transport=transport, base_url=BASE_URL) as http:
            assert _problem(await http.get(MISSING_DEMAND))["detail"] == "No demand 987654321"
            chinese = await http.get(MISSING_DEMAND, headers={"Accept-Language": "zh-CN"})
            assert _problem(chinese)["detail"] == "未找到需求 987654321"
