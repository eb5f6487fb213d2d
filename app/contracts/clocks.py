"""Which rules and which clock a registration runs on (pure; the days are counted by
app.holidays.service.due_date on the official calendar, with its make-up working days).

- A contract is registered under the rules in force when it was signed (the 2001 rules before the
  2026 measures' start, configuration), unless the registration says otherwise.
- The 2001 rules give the registration point 30 calendar days.
- The 2026 measures: 15 working days, 30 with expert review, which a 技术交易额 from 5,000,000 CNY (or
  a dispute) calls for. A correction (补正) starts the clock again from the resubmission.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.core.config import Settings
from app.core.enums import ContractRuleSet


@dataclass(frozen=True, slots=True)
class ClockRules:
    rules_2026_from: date
    working_days: int = 15
    expert_review_working_days: int = 30
    expert_review_from_fen: int = 500_000_000
    calendar_days_2001: int = 30

    @classmethod
    def from_settings(cls, settings: Settings) -> ClockRules:
        return cls(
            rules_2026_from=settings.contract_rules_2026_from,
            working_days=settings.contract_review_working_days,
            expert_review_working_days=settings.contract_expert_review_working_days,
            expert_review_from_fen=settings.contract_expert_review_from_fen,
            calendar_days_2001=settings.contract_2001_calendar_days,
        )


@dataclass(frozen=True, slots=True)
class Clock:
    """A registration's time limit: `days` working days (on the holiday calendar) or calendar days."""

    days: int
    working_days: bool
    expert_review: bool = False


def rule_set_for(signed_on: date, rules: ClockRules) -> ContractRuleSet:
    """The rules a contract signed on `signed_on` is registered under, by default."""
    return ContractRuleSet.RULES_2026 if signed_on >= rules.rules_2026_from else ContractRuleSet.RULES_2001


def clock_for(
    rule_set: ContractRuleSet, technical_income_fen: int, rules: ClockRules, *, disputed: bool = False
) -> Clock:
    """The time limit of a registration under `rule_set`."""
    if rule_set == ContractRuleSet.RULES_2001:
        return Clock(rules.calendar_days_2001, working_days=False)
    if disputed or technical_income_fen >= rules.expert_review_from_fen:
        return Clock(rules.expert_review_working_days, working_days=True, expert_review=True)
    return Clock(rules.working_days, working_days=True)
