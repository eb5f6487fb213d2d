"""The short flow a front end or a script runs, through a Python client that openapi-python-client
generates from the app's OpenAPI document as it is (issue 13, item 11): sign up and sign in, register
an organization, create a demand with only its required fields (and a budget), edit it with
If-Match, submit it, a reviewer publishes it, a curator starts a package, and an anonymous caller
searches for the demand and reads it.

The generated client talks to the app in this process (httpx's ASGITransport), inside the test's
rolled-back transaction like any test here; it runs on both databases. openapi-python-client is a
development dependency (pyproject.toml). tests/clients/test_typescript_client.py checks the
TypeScript types."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.users import service as users_service
from tests import factories
from tests.conftest import BASE_URL, Indexed

PACKAGE = "techtransfer_client"
# No post hooks: they would run ruff over the generated code, which is not ours to lint.
GENERATOR_CONFIG = "post_hooks: []\n"


class Generated:
    """The generated package: its operations by tag and operation id, its models by name."""

    def __init__(self, package: ModuleType) -> None:
        self.package = package
        self.models = importlib.import_module(f"{PACKAGE}.models")

    def operation(self, tag: str, operation_id: str) -> Any:
        return importlib.import_module(f"{PACKAGE}.api.{tag.replace('-', '_')}.{operation_id}")

    def anonymous(self, app: FastAPI) -> Any:
        return self.package.Client(base_url=BASE_URL, httpx_args={"transport": ASGITransport(app=app)})

    def signed_in(self, app: FastAPI, token: str) -> Any:
        return self.package.AuthenticatedClient(
            base_url=BASE_URL, token=token, httpx_args={"transport": ASGITransport(app=app)}
        )


def generate(document: dict[str, Any], into: Path) -> str:
    """Writes the Python client for `document` into `into`/PACKAGE; returns the generator's output."""
    (into / "openapi.json").write_text(json.dumps(document), encoding="utf-8")
    (into / "config.yml").write_text(GENERATOR_CONFIG, encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "openapi_python_client",
        "generate",
        "--path",
        str(into / "openapi.json"),
        "--meta",
        "none",
        "--output-path",
        str(into / PACKAGE),
        "--config",
        str(into / "config.yml"),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)  # noqa: S603
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    return output


@pytest.fixture(scope="session")
def generated(app: FastAPI, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    into = tmp_path_factory.mktemp("python-client")
    output = generate(app.openapi(), into)
    # A generator that could not read part of the document says so and leaves that part out.
    assert "Warning" not in output, output
    assert "Error" not in output, output
    sys.path.insert(0, str(into))
    try:
        yield Generated(importlib.import_module(PACKAGE))
    finally:
        sys.path.remove(str(into))


def _ok(response: Any, status: int) -> Any:
    """The parsed body of a generated client's detailed response, which must have `status`."""
    assert response.status_code == status, response.content.decode()
    return response.parsed


async def _sign_in(tt: Generated, app: FastAPI, email: str) -> Any:
    body = tt.models.BodySignIn(username=email, password=factories.PASSWORD)
    tokens = _ok(
        await tt.operation("auth", "sign_in").asyncio_detailed(client=tt.anonymous(app), body=body), 200
    )
    assert tokens.token_type == "bearer"
    return tt.signed_in(app, tokens.access_token)


async def _account(tt: Generated, app: FastAPI, stem: str) -> tuple[Any, int]:
    email = factories.unique_email(stem)
    body = tt.models.UserCreate(email=email, password=factories.PASSWORD, display_name="测试用户")
    user = _ok(
        await tt.operation("users", "sign_up").asyncio_detailed(client=tt.anonymous(app), body=body), 201
    )
    return await _sign_in(tt, app, email), user.id


async def test_the_short_flow_through_the_generated_python_client(
    app: FastAPI,
    client: AsyncClient,
    db: async_sessionmaker[AsyncSession],
    generated: Generated,
    indexed: Indexed,
) -> None:
    tt, models = generated, generated.models
    anonymous = tt.anonymous(app)
    # No API creates the first administrator (the CLI does it like this).
    admin_email = factories.unique_email("admin")
    async with db() as session:
        await users_service.create_system_admin(
            session, email=admin_email, password=factories.PASSWORD, display_name="管理员"
        )
        await session.commit()
    admin = await _sign_in(tt, app, admin_email)

    # An enterprise signs up, registers its organization and posts a demand.
    owner, _ = await _account(tt, app, "owner")
    regions = _ok(
        await tt.operation("regions", "list_regions").asyncio_detailed(
            client=anonymous, q=factories.HAIZHOU_CODE
        ),
        200,
    )
    haizhou = regions.items[0].id
    organization = _ok(
        await tt.operation("organizations", "register_organization").asyncio_detailed(
            client=owner,
            body=models.OrganizationCreate(
                name="连云港生成客户端科技有限公司",
                kind=models.OrganizationKind("enterprise"),
                legal_person_type=models.LegalPersonType("100"),
                credit_code=factories.credit_code(),
                region_id=haizhou,
            ),
        ),
        201,
    )
    demands = "demands"
    created = await tt.operation(demands, "create_demand").asyncio_detailed(
        client=owner,
        body=models.DemandCreate(
            organization_id=organization.id,
            title="钠离子电池正极材料中试放大",
            tech_field=models.TechField("new_energy"),
            description="需要层状氧化物钠离子电池正极材料的中试放大工艺，比容量140mAh/g以上。",
            demand_type=models.DemandType("key_technology"),
            cooperation_modes=[models.CooperationMode("joint_development")],
            is_budget_negotiable=True,
            contact_name="孙浩",
            contact_phone="13905180107",
        ),
    )
    demand = _ok(created, 201)
    assert demand.status == models.ListingStatus("draft")
    edited = _ok(
        await tt.operation(demands, "update_demand").asyncio_detailed(
            demand.id,
            client=owner,
            body=models.DemandUpdate(keywords=["钠离子电池", "正极材料"]),
            if_match=created.headers["ETag"],
        ),
        200,
    )
    assert edited.keywords == ["钠离子电池", "正极材料"]

    # Submitted with the action's body left out (the client's default).
    act = tt.operation(demands, "act_on_demand")
    submitted = _ok(await act.asyncio_detailed(demand.id, models.ListingAction("submit"), client=owner), 200)
    assert submitted.status == models.ListingStatus("submitted")

    # A district administrator of 海州区 reviews and publishes it, and starts a package.
    reviewer, reviewer_id = await _account(tt, app, "reviewer")
    grant = models.RoleGrantCreate(role=models.PlatformRole("district_admin"), region_id=haizhou)
    _ok(
        await tt.operation("users", "grant_role").asyncio_detailed(reviewer_id, client=admin, body=grant), 201
    )
    published = _ok(
        await act.asyncio_detailed(demand.id, models.ListingAction("publish"), client=reviewer), 200
    )
    assert published.status == models.ListingStatus("published")
    package = _ok(
        await tt.operation("packages", "create_package").asyncio_detailed(
            client=reviewer,
            body=models.PackageCreate(
                title="海州区新能源成果包", industry=models.LocalIndustry("new_energy")
            ),
        ),
        201,
    )
    assert [(version.number, version.title) for version in package.versions] == [(1, "海州区新能源成果包")]
    assert package.industry == models.LocalIndustry("new_energy")

    # Anyone finds it (once the worker has indexed it) and reads it, the contact masked.
    await indexed()
    found = _ok(
        await tt.operation(demands, "list_demands").asyncio_detailed(client=anonymous, q="钠离子电池"), 200
    )
    assert [item.id for item in found.items] == [demand.id]
    assert found.total == 1
    read = _ok(await tt.operation(demands, "get_demand").asyncio_detailed(demand.id, client=anonymous), 200)
    assert read.title == "钠离子电池正极材料中试放大"
    assert read.status == models.ListingStatus("published")
    assert read.contact_phone == "139****0107"
