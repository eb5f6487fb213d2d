"""All ORM models, one module per aggregate. Relationships are lazy="raise": load explicitly."""

from app.db.base import Base
from app.models.audit import AuditEvent
from app.models.auth import ApiKey, LoginThrottle, RefreshToken
from app.models.calendar import CalendarDay, CalendarYear
from app.models.organization import Membership, Organization
from app.models.region import Region
from app.models.user import RoleGrant, User

__all__ = [
    "ApiKey",
    "AuditEvent",
    "Base",
    "CalendarDay",
    "CalendarYear",
    "LoginThrottle",
    "Membership",
    "Organization",
    "RefreshToken",
    "Region",
    "RoleGrant",
    "User",
]
