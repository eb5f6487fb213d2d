"""Range filters are named `<field>_from`/`<field>_to` for every kind, and an inverted range is the
same 422 everywhere (issue 13, item 10). Before, demands refused an inverted budget range naming one
end, achievements answered an inverted trl range with an empty page and an inverted price range
with the negotiable ones, and an inverted publication range was an empty page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

RANGES = [
    ("/api/v1/demands", "budget_from_fen", 10, "budget_to_fen", 9),
    ("/api/v1/achievements", "trl_from", 7, "trl_to", 3),
    ("/api/v1/achievements", "price_from_fen", 10, "price_to_fen", 9),
    ("/api/v1/demands", "published_from", "2026-03-02", "published_to", "2026-03-01"),
    ("/api/v1/achievements", "published_from", "2026-03-02", "published_to", "2026-03-01"),
]


@pytest.mark.parametrize(("url", "low", "low_value", "high", "high_value"), RANGES)
async def test_an_inverted_range_is_a_422_naming_both_ends(
    client: AsyncClient, url: str, low: str, low_value: Any, high: str, high_value: Any
) -> None:
    for path in (url, f"{url}/export"):
        response = await client.get(path, params={low: low_value, high: high_value})
        assert response.status_code == 422, (path, response.text)
        errors = response.json()["errors"]
        assert [error["loc"] for error in errors] == [["query", low], ["query", high]]
        assert {error["code"] for error in errors} == {"inverted_range"}
        # Equal ends are a range of one value, not an inverted one.
        same = await client.get(path, params={low: low_value, high: low_value})
        assert same.status_code == 200, (path, same.text)


def test_every_range_filter_is_named_from_and_to(app: FastAPI) -> None:
    """Across the document: no list takes a `_min`/`_max` filter (or another spelling of a bound),
    and each `<field>_from` has its `<field>_to`, or stands alone as a one-sided bound."""
    names = {
        parameter["name"]
        for item in app.openapi()["paths"].values()
        for operation in item.values()
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "query"
    }
    other_spellings = [
        name
        for name in names
        if any(part in name.split("_") for part in ("min", "max", "after", "before", "since", "until"))
        and not name.startswith("valid_until_")
    ]
    assert other_spellings == []
    froms = {name.replace("_from", "", 1) for name in names if "_from" in name}
    tos = {name.replace("_to", "", 1) for name in names if "_to" in name}
    assert tos <= froms
    assert froms - tos == {"valid_until"}  # deadlines from a day on (open-ended ones included)


def test_the_readme_names_every_range_filter(app: FastAPI) -> None:
    """The README's list conventions name the range filters the API takes, and no others."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    conventions = readme[readme.index("## API conventions") : readme.index("## A first session")]
    named = {
        name
        for name in re.findall(r"`([a-z][a-z_]+)`", conventions)
        if re.search(r"_(from|to)(_fen)?$", name)
    }
    taken = {
        parameter["name"]
        for item in app.openapi()["paths"].values()
        for operation in item.values()
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "query" and re.search(r"_(from|to)(_fen)?$", parameter["name"])
    }
    assert named == taken
