"""All ORM models, one module per aggregate. Relationships are lazy="raise": load explicitly."""

from app.db.base import Base
from app.models.access_request import AchievementAccessRequest, DemandAccessRequest
from app.models.achievement import Achievement, Patent
from app.models.audit import AuditEvent
from app.models.auth import ApiKey, LoginThrottle, RefreshToken
from app.models.calendar import CalendarDay, CalendarYear
from app.models.contract import (
    Contract,
    ContractAttachment,
    ContractDeduction,
    ContractPayment,
    RegistrationCounter,
    RegistrationEntry,
    StatisticsTarget,
)
from app.models.demand import Demand
from app.models.event import Event
from app.models.idempotency import IdempotencyKey
from app.models.import_job import ImportJob, ImportUpload
from app.models.industry import IndustryMapping, TechFieldIndustry
from app.models.job import EventCursor, Job
from app.models.organization import Membership, Organization
from app.models.package import AchievementPackage, PackageMember, PackageVersion
from app.models.region import Region
from app.models.revision import AchievementRevision, DemandRevision
from app.models.saved_match import SavedMatch
from app.models.user import RoleGrant, User

__all__ = [
    "Achievement",
    "AchievementAccessRequest",
    "AchievementPackage",
    "AchievementRevision",
    "ApiKey",
    "AuditEvent",
    "Base",
    "CalendarDay",
    "CalendarYear",
    "Contract",
    "ContractAttachment",
    "ContractDeduction",
    "ContractPayment",
    "Demand",
    "DemandAccessRequest",
    "DemandRevision",
    "Event",
    "EventCursor",
    "IdempotencyKey",
    "ImportJob",
    "ImportUpload",
    "IndustryMapping",
    "Job",
    "LoginThrottle",
    "Membership",
    "Organization",
    "PackageMember",
    "PackageVersion",
    "Patent",
    "RefreshToken",
    "Region",
    "RegistrationCounter",
    "RegistrationEntry",
    "RoleGrant",
    "SavedMatch",
    "StatisticsTarget",
    "TechFieldIndustry",
    "User",
]
