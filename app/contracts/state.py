"""What may happen to a contract's registration, as a table: pure, so it is tested without a database.

draft → submitted (the seller side files it) → accepted (a registrar of the seller's region takes it
up) → registered (a registration number is assigned). A submitted or accepted registration may be
returned for correction (补正; resubmitting restarts the clock) or refused (with grounds). A
registered contract changes only through a change registration (变更, which stays registered and
moves the tallies by its difference) or is cancelled (注销). Refused and cancelled are final.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.core.enums import ContractStatus


class ContractAction(StrEnum):
    SUBMIT = "submit"
    ACCEPT = "accept"
    RETURN = "return"
    REFUSE = "refuse"
    REGISTER = "register"
    CHANGE = "change"
    CANCEL = "cancel"


class Actor(StrEnum):
    """Whose action it is: the seller side's organization (or a broker filing for it), or a
    registrar of the seller's region."""

    SELLER = "seller"
    REGISTRAR = "registrar"


@dataclass(frozen=True, slots=True)
class ContractTransition:
    sources: frozenset[ContractStatus]
    target: ContractStatus
    actor: Actor
    # The registrar states findings or grounds (RefusalGround codes).
    needs_grounds: bool = False
    # The working-day clock starts (again) when this happens.
    starts_clock: bool = False


_UNDER_REVIEW = frozenset({ContractStatus.SUBMITTED, ContractStatus.ACCEPTED})

TRANSITIONS: dict[ContractAction, ContractTransition] = {
    ContractAction.SUBMIT: ContractTransition(
        frozenset({ContractStatus.DRAFT, ContractStatus.RETURNED}),
        ContractStatus.SUBMITTED,
        Actor.SELLER,
        starts_clock=True,
    ),
    ContractAction.ACCEPT: ContractTransition(
        frozenset({ContractStatus.SUBMITTED}), ContractStatus.ACCEPTED, Actor.REGISTRAR
    ),
    ContractAction.RETURN: ContractTransition(
        _UNDER_REVIEW, ContractStatus.RETURNED, Actor.REGISTRAR, needs_grounds=True
    ),
    ContractAction.REFUSE: ContractTransition(
        _UNDER_REVIEW, ContractStatus.REFUSED, Actor.REGISTRAR, needs_grounds=True
    ),
    ContractAction.REGISTER: ContractTransition(
        frozenset({ContractStatus.ACCEPTED}), ContractStatus.REGISTERED, Actor.REGISTRAR
    ),
    ContractAction.CHANGE: ContractTransition(
        frozenset({ContractStatus.REGISTERED}), ContractStatus.REGISTERED, Actor.REGISTRAR
    ),
    ContractAction.CANCEL: ContractTransition(
        frozenset({ContractStatus.REGISTERED}), ContractStatus.CANCELLED, Actor.REGISTRAR
    ),
}

# What a registrar decided stays as it was: nothing but these actions moves a contract past review.
FINAL = frozenset({ContractStatus.REFUSED, ContractStatus.CANCELLED})
# The seller side may edit the contract's terms only before a registrar has it, or when it is back.
EDITABLE = frozenset({ContractStatus.DRAFT, ContractStatus.RETURNED})


def next_status(action: ContractAction, current: ContractStatus) -> ContractStatus | None:
    """The status `action` leads to from `current`, or None when it may not happen."""
    transition = TRANSITIONS[action]
    return transition.target if current in transition.sources else None
