"""The demo generator's pure parts: deterministic by seed, complete data, nothing left unfilled."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from app.core.enums import LocalIndustry, TechField
from app.core.identifiers import is_valid_credit_code
from app.demo import achievements, demands
from app.demo.demand_templates import TEMPLATES
from app.demo.network import ACCOUNTS, ENTERPRISES, ORGANIZATIONS, UNIVERSITIES_AND_INSTITUTES

NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


def _generate(seed: int) -> tuple[list[achievements.DemoAchievement], list[demands.DemoDemand]]:
    rng = random.Random(seed)
    return achievements.generate(rng, NOW), demands.generate(rng, NOW)


def test_the_same_seed_yields_the_same_listings() -> None:
    assert _generate(2018) == _generate(2018)
    first, second = _generate(2018), _generate(7)
    assert [item.row["title"] for item in first[0]] != [item.row["title"] for item in second[0]]
    assert [item.client_key for item in first[1]] == [item.client_key for item in second[1]]


def test_the_shipped_csl_subset_is_read_and_mapped() -> None:
    records = achievements.csl_records()
    assert 300 <= len(records) <= 400
    assert {record.discipline for record in records} <= set(achievements.DISCIPLINES)
    assert all(record.title and record.abstract and record.keywords for record in records)
    assert {achievements.tech_field(record) for record in records} >= set(TechField) - {
        TechField.URBAN_SOCIAL
    }
    owners = {key for _, keys in achievements.DISCIPLINES.values() for key in keys}
    assert owners <= {spec.key for spec in UNIVERSITIES_AND_INSTITUTES}


def test_templates_fill_completely() -> None:
    assert set(TEMPLATES) == set(LocalIndustry)
    for item in _generate(2018)[1]:
        text = item.row["title"] + item.row["description"] + "".join(item.row["keywords"])
        assert "{" not in text, text
        assert 10 <= len(item.row["description"]) <= 2000
    assert all(enterprise.key in demands.NEEDS for enterprise in ENTERPRISES)
    for enterprise in ENTERPRISES:
        assert enterprise.industry is not None
        assert max(demands.NEEDS[enterprise.key]) < len(TEMPLATES[enterprise.industry])


def test_organizations_and_accounts_are_consistent() -> None:
    codes = [spec.credit_code for spec in ORGANIZATIONS]
    assert len(set(codes)) == len(codes)
    assert all(is_valid_credit_code(code) for code in codes)
    emails = [account.email for account in ACCOUNTS]
    assert len(set(emails)) == len(emails)
    owned = {account.organization for account in ACCOUNTS if account.membership == "owner"}
    assert owned == {spec.key for spec in ORGANIZATIONS}
