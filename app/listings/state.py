"""The listing lifecycle as a pure transition table.

draft ──submit──▶ submitted ──publish──▶ published ──close──▶ closed
  ▲                 │  │  │                 │
  └──withdraw───────┘  │  └──reject──▶ rejected
returned ◀──return─────┘                  (expired: published with its deadline passed,
  └──submit──▶ submitted                   derived on read, no background job)
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.core.enums import ListingStatus


class ListingAction(StrEnum):
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    PUBLISH = "publish"
    RETURN = "return"
    REJECT = "reject"
    CLOSE = "close"


class Actor(StrEnum):
    OWNER = "owner"
    REVIEWER = "reviewer"


@dataclass(frozen=True, slots=True)
class Transition:
    source: frozenset[ListingStatus]
    target: ListingStatus
    actor: Actor
    needs_reason: bool = False


TRANSITIONS: dict[ListingAction, Transition] = {
    ListingAction.SUBMIT: Transition(
        frozenset({ListingStatus.DRAFT, ListingStatus.RETURNED}), ListingStatus.SUBMITTED, Actor.OWNER
    ),
    ListingAction.WITHDRAW: Transition(
        frozenset({ListingStatus.SUBMITTED}), ListingStatus.DRAFT, Actor.OWNER
    ),
    ListingAction.PUBLISH: Transition(
        frozenset({ListingStatus.SUBMITTED}), ListingStatus.PUBLISHED, Actor.REVIEWER
    ),
    ListingAction.RETURN: Transition(
        frozenset({ListingStatus.SUBMITTED}), ListingStatus.RETURNED, Actor.REVIEWER, needs_reason=True
    ),
    ListingAction.REJECT: Transition(
        frozenset({ListingStatus.SUBMITTED}), ListingStatus.REJECTED, Actor.REVIEWER, needs_reason=True
    ),
    ListingAction.CLOSE: Transition(frozenset({ListingStatus.PUBLISHED}), ListingStatus.CLOSED, Actor.OWNER),
}


class IllegalTransition(ValueError):
    def __init__(self, action: ListingAction, status: ListingStatus) -> None:
        super().__init__(f"cannot {action.value} a listing that is {status.value}")
        self.action = action
        self.status = status


def next_status(action: ListingAction, current: ListingStatus) -> ListingStatus:
    transition = TRANSITIONS[action]
    if current not in transition.source:
        raise IllegalTransition(action, current)
    return transition.target
