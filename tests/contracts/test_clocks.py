"""Which rules and clock a registration runs on; the days themselves come from the holiday calendar
(tests/holidays)."""

from __future__ import annotations

from datetime import date

import pytest

from app.contracts.clocks import Clock, ClockRules, clock_for, rule_set_for
from app.core.config import Settings
from app.core.enums import ContractRuleSet

RULES = ClockRules(rules_2026_from=date(2026, 1, 1))


def test_the_rules_follow_the_signing_date() -> None:
    assert rule_set_for(date(2025, 12, 31), RULES) == ContractRuleSet.RULES_2001
    assert rule_set_for(date(2026, 1, 1), RULES) == ContractRuleSet.RULES_2026


@pytest.mark.parametrize(
    ("rule_set", "income", "disputed", "expected"),
    [
        (ContractRuleSet.RULES_2001, 10**12, False, Clock(30, working_days=False)),
        (ContractRuleSet.RULES_2026, 499_999_999, False, Clock(15, working_days=True)),
        (ContractRuleSet.RULES_2026, 500_000_000, False, Clock(30, working_days=True, expert_review=True)),
        (ContractRuleSet.RULES_2026, 0, True, Clock(30, working_days=True, expert_review=True)),
    ],
)
def test_the_clock_of_each_rule_set(
    rule_set: ContractRuleSet, income: int, disputed: bool, expected: Clock
) -> None:
    assert clock_for(rule_set, income, RULES, disputed=disputed) == expected


def test_the_figures_are_configuration() -> None:
    settings = Settings(
        database_url="sqlite+aiosqlite:///./x.db",
        secret_key="s" * 48,
        contract_rules_2026_from=date(2026, 5, 1),
        contract_review_working_days=20,
        contract_expert_review_from_fen=100,
    )
    rules = ClockRules.from_settings(settings)
    assert rule_set_for(date(2026, 4, 30), rules) == ContractRuleSet.RULES_2001
    assert clock_for(ContractRuleSet.RULES_2026, 99, rules) == Clock(20, working_days=True)
    assert clock_for(ContractRuleSet.RULES_2026, 100, rules).expert_review
