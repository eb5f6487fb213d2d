"""What may happen to a saved match, as a table: pure, so it is tested without a database."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.core.enums import MatchStatus


class MatchAction(StrEnum):
    VIEW = "view"
    SHORTLIST = "shortlist"
    DISMISS = "dismiss"
    PROPOSE = "propose"


@dataclass(frozen=True, slots=True)
class MatchTransition:
    sources: frozenset[MatchStatus]
    target: MatchStatus
    needs_reason: bool = False


_OPEN = frozenset({MatchStatus.NEW, MatchStatus.VIEWED, MatchStatus.SHORTLISTED})

TRANSITIONS: dict[MatchAction, MatchTransition] = {
    MatchAction.VIEW: MatchTransition(frozenset({MatchStatus.NEW}), MatchStatus.VIEWED),
    MatchAction.SHORTLIST: MatchTransition(
        frozenset({MatchStatus.NEW, MatchStatus.VIEWED}), MatchStatus.SHORTLISTED
    ),
    # Dismissed and proposed are final: a dismissed pair is never recommended again, and a proposed
    # one belongs to the deal brokers make of it.
    MatchAction.DISMISS: MatchTransition(_OPEN, MatchStatus.DISMISSED, needs_reason=True),
    MatchAction.PROPOSE: MatchTransition(_OPEN, MatchStatus.PROPOSED),
}


def next_status(action: MatchAction, current: MatchStatus) -> MatchStatus | None:
    """The status `action` leads to from `current`, or None when it may not happen."""
    transition = TRANSITIONS[action]
    return transition.target if current in transition.sources else None
