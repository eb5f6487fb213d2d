"""`techtransfer industries list|set`: the mapping from the command line, against a database of its
own (the CLI commits), audited as the system's change, with one clear line for a mistake."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from app import cli
from app.db.session import create_engine, create_sessionmaker
from app.models import AuditEvent
from tests.conftest import make_settings


def _invoke(monkeypatch: pytest.MonkeyPatch, url: str, *args: str) -> tuple[int, str]:
    monkeypatch.setattr(cli, "get_settings", lambda: make_settings(url))
    result = CliRunner().invoke(cli.app, ["industries", *args])
    return result.exit_code, result.output


async def _audited(url: str) -> list[tuple[str, str, object, object, object]]:
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as session:
            events = await session.scalars(
                select(AuditEvent).where(AuditEvent.entity_type == "industry_mapping").order_by(AuditEvent.id)
            )
            return [(e.action, e.entity_id, e.before, e.after, e.actor_user_id) for e in events]
    finally:
        await engine.dispose()


def test_list_then_set_by_label_or_key(monkeypatch: pytest.MonkeyPatch, module_database: str) -> None:
    code, output = _invoke(monkeypatch, module_database, "list")
    assert code == 0, output
    assert "农业 (agriculture): 现代农业 (modern_agriculture)、海洋 (marine) (version 1)" in output
    assert "城市建设与社会发展 (urban_social): none (version 1)" in output
    assert len(output.splitlines()) == 11

    code, output = _invoke(monkeypatch, module_database, "set", "城市建设与社会发展", "海洋", "new_medicine")
    assert code == 0, output
    assert output.strip() == (
        "城市建设与社会发展 (urban_social): none -> 新医药 (new_medicine)、海洋 (marine) (version 2)"
    )
    code, output = _invoke(monkeypatch, module_database, "set", "urban_social", "--none")
    assert code == 0, output
    code, output = _invoke(monkeypatch, module_database, "set", "urban_social", "--none")
    assert code == 0, output
    assert "nothing changed" in output
    code, output = _invoke(monkeypatch, module_database, "list")
    assert "城市建设与社会发展 (urban_social): none (version 3)" in output

    assert asyncio.run(_audited(module_database)) == [
        (
            "industry_mapping.set",
            "urban_social",
            {"local_industries": []},
            {"local_industries": ["new_medicine", "marine"]},
            None,
        ),
        (
            "industry_mapping.set",
            "urban_social",
            {"local_industries": ["new_medicine", "marine"]},
            {"local_industries": []},
            None,
        ),
    ]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ("set", "量子玄学", "海洋"),
            "'量子玄学' is no technology field; one of: 电子信息 (electronic_information)",
        ),
        (("set", "农业", "海鲜"), "'海鲜' is no local industry; one of: 新医药 (new_medicine)"),
        (("set", "农业"), "name its local industries, or give --none"),
        (("set", "农业", "海洋", "--none"), "name its local industries, or give --none"),
        (("set", "农业", "海洋", "marine"), "name each local industry once"),
    ],
)
def test_mistakes_are_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, module_database: str, args: tuple[str, ...], said: str
) -> None:
    code, output = _invoke(monkeypatch, module_database, *args)
    assert code == 2
    assert output.splitlines() == [f"error: {output.removeprefix('error: ').strip()}"], output
    assert said in output
