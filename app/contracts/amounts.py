"""A contract's money, in fen: 成交额, the non-technical costs deducted from it, and 技术交易额
(technical income), which is derived, never typed in (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# The largest amount a JSON client can send exactly (2^53 − 1 fen: about 90 trillion CNY).
MAX_FEN = 2**53 - 1


@dataclass(frozen=True, slots=True)
class Deduction:
    """A non-technical cost (purchased equipment, instruments, parts, raw materials) deducted from
    成交额; carrier objects in a reasonable quantity are not deducted and are not listed here."""

    item: str
    amount_fen: int


def technical_income(total_fen: int, deductions: Sequence[Deduction]) -> int:
    """技术交易额: 成交额 minus the deductions (negative when they exceed it: a check refuses that)."""
    return total_fen - sum(deduction.amount_fen for deduction in deductions)
