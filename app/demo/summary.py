"""What a demo load reports, and how it reports progress."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields

ProgressHook = Callable[[int, int], None]  # (listings inserted so far, listings to insert)


@dataclass
class DemoSummary:
    """What one load created (all zeros when the demo network was there already)."""

    regions: int = 0
    organizations: int = 0
    users: int = 0
    memberships: int = 0
    role_grants: int = 0
    achievements: int = 0
    patents: int = 0
    demands: int = 0
    packages: int = 0
    contracts: int = 0
    registrations: int = 0  # registration ledger entries
    targets: int = 0

    @property
    def created_anything(self) -> bool:
        return any(getattr(self, item.name) for item in fields(self))
