"""`techtransfer import FILE`: the same import from the command line, with a progress bar, row errors
printed and a non-zero exit when refused. It runs against a database of its own (the CLI commits)."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from app import cli
from app.core.enums import LegalPersonType, MembershipRole, MembershipStatus, OrganizationKind
from app.db.session import create_engine, create_sessionmaker
from app.models import Achievement, Membership, Organization, Region, User
from tests import factories
from tests.conftest import make_settings
from tests.imports.support import ACHIEVEMENT_ROW, table, xlsx


@pytest.fixture(scope="module")
def cli_database(module_database: str) -> str:
    return module_database


async def _seed(url: str) -> tuple[int, str, str]:
    """An organization with its owner, and a user who is not its member: (id, owner, stranger)."""
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            region = await session.scalar(select(Region).where(Region.code == factories.HAIZHOU_CODE))
            assert region is not None
            owner = User(email=factories.unique_email("cli-owner"), password_hash="!", display_name="导入者")
            stranger = User(
                email=factories.unique_email("cli-stranger"), password_hash="!", display_name="路人"
            )
            organization = Organization(
                name=f"连云港命令行测试研究院{uuid.uuid4().hex[:6]}",
                kind=OrganizationKind.RESEARCH_INSTITUTE,
                legal_person_type=LegalPersonType.RESEARCH_INSTITUTION,
                credit_code=factories.credit_code(),
                region_id=region.id,
            )
            session.add_all([owner, stranger, organization])
            await session.flush()
            session.add(
                Membership(
                    user_id=owner.id,
                    organization_id=organization.id,
                    role=MembershipRole.OWNER,
                    status=MembershipStatus.ACTIVE,
                )
            )
            return organization.id, owner.email, stranger.email
    finally:
        await engine.dispose()


async def _count(url: str, organization_id: int) -> int:
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as session:
            statement = (
                select(func.count())
                .select_from(Achievement)
                .where(Achievement.organization_id == organization_id)
            )
            return int(await session.scalar(statement) or 0)
    finally:
        await engine.dispose()


def _invoke(monkeypatch: pytest.MonkeyPatch, url: str, *args: str) -> tuple[int, str]:
    monkeypatch.setattr(cli, "get_settings", lambda: make_settings(url))
    result = CliRunner().invoke(cli.app, ["import", *args])
    return result.exit_code, result.output


def test_the_cli_imports_a_file(cli_database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    organization_id, owner, _ = asyncio.run(_seed(cli_database))
    path = tmp_path / "成果.xlsx"
    path.write_bytes(xlsx(table([ACHIEVEMENT_ROW | {"客户编号": f"CLI-{n}"} for n in range(3)])))
    base = [str(path), "--kind", "achievements", "--organization", str(organization_id)]

    code, output = _invoke(monkeypatch, cli_database, *base, "--dry-run")
    assert code == 0, output
    assert "would create 3" in output
    assert asyncio.run(_count(cli_database, organization_id)) == 0

    with monkeypatch.context() as terminal:
        terminal.setattr(cli, "on_terminal", lambda: True)
        code, output = _invoke(monkeypatch, cli_database, *base, "--as-user", owner)
    assert code == 0, output
    assert "created 3, skipped 0" in output
    assert "Storing" in output  # the progress bar's phases, on a terminal
    code, output = _invoke(monkeypatch, cli_database, *base)  # acting as the owner by default
    assert "created 0, skipped 3" in output
    assert "Validating" not in output  # no terminal: no stray progress labels
    assert asyncio.run(_count(cli_database, organization_id)) == 3


def test_the_cli_prints_row_errors_and_fails(
    cli_database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    organization_id, _, stranger = asyncio.run(_seed(cli_database))
    path = tmp_path / "bad.csv"
    rows = table([ACHIEVEMENT_ROW, ACHIEVEMENT_ROW | {"客户编号": "CG-2", "成熟阶段": "量产了"}])
    path.write_text("\n".join(",".join(str(cell or "") for cell in row) for row in rows), encoding="gbk")
    base = [str(path), "--kind", "achievements", "--organization", str(organization_id)]

    code, output = _invoke(monkeypatch, cli_database, *base, "--dry-run")
    assert code == 1, output  # a dry run that finds errors fails too, for scripts
    assert "第 3 行，成熟阶段：invalid_choice：" in output  # in the deployment's language, Chinese
    code, output = _invoke(monkeypatch, cli_database, *base)
    assert code == 1
    assert "第 3 行，成熟阶段：invalid_choice：" in output
    assert "未导入任何数据" in output
    assert asyncio.run(_count(cli_database, organization_id)) == 0

    code, output = _invoke(monkeypatch, cli_database, *base, "--as-user", stranger)
    assert code == 1
    assert "只能以您所属机构的名义发布" in output  # not a member: refused before anything is read
