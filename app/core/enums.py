"""The domain's closed vocabularies, stored as strings with CHECK constraints.

Each member carries its Chinese label so front ends can render it without a translation table of
their own; `GET /api/v1/meta/enums` serves them.
"""

from __future__ import annotations

from enum import StrEnum


class LabelledEnum(StrEnum):
    """A StrEnum whose members have a Chinese label: `Member = "value", "标签"`."""

    label: str

    def __new__(cls, value: str, label: str = "") -> LabelledEnum:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label or value
        return member


class RegionLevel(LabelledEnum):
    PROVINCE = "province", "省"
    CITY = "city", "市"
    DISTRICT = "district", "区"
    COUNTY = "county", "县"
    ZONE = "zone", "功能区"


class OrganizationKind(LabelledEnum):
    ENTERPRISE = "enterprise", "企业"
    UNIVERSITY = "university", "高校"
    RESEARCH_INSTITUTE = "research_institute", "科研院所"
    TRANSFER_AGENCY = "transfer_agency", "技术转移机构"
    BROKER_FIRM = "broker_firm", "技术经纪机构"
    GOVERNMENT = "government", "政府部门"
    OTHER = "other", "其他"


class LegalPersonType(LabelledEnum):
    """Legal-person type codes of the technology-contract registration form."""

    ORGAN = "010", "机关法人"
    PUBLIC_INSTITUTION = "020", "事业法人"
    RESEARCH_INSTITUTION = "021", "科研机构"
    HIGHER_EDUCATION = "022", "高等院校"
    MEDICAL = "023", "医疗卫生"
    OTHER_PUBLIC_INSTITUTION = "024", "其它事业法人"
    SOCIAL_ORGANIZATION = "030", "社团法人"
    DOMESTIC_ENTERPRISE = "100", "内资企业"
    HK_MACAO_TAIWAN = "200", "港澳台商投资"
    FOREIGN_INVESTED = "300", "外商投资"
    INDIVIDUAL = "400", "个人"


class MembershipRole(LabelledEnum):
    OWNER = "owner", "所有者"
    ADMIN = "admin", "管理员"
    MEMBER = "member", "成员"


class MembershipStatus(LabelledEnum):
    INVITED = "invited", "已邀请"
    REQUESTED = "requested", "已申请"
    ACTIVE = "active", "有效"
    DECLINED = "declined", "已拒绝"
    REMOVED = "removed", "已移除"


class PlatformRole(LabelledEnum):
    BROKER = "broker", "技术经纪人"
    REGISTRAR = "registrar", "技术合同登记员"
    DISTRICT_ADMIN = "district_admin", "县区管理员"
    CITY_ADMIN = "city_admin", "市级管理员"
    SYSTEM_ADMIN = "system_admin", "系统管理员"


REGION_BOUND_ROLES = frozenset({PlatformRole.REGISTRAR, PlatformRole.DISTRICT_ADMIN})


class BrokerLevel(LabelledEnum):
    JUNIOR = "junior", "初级"
    INTERMEDIATE = "intermediate", "中级"
    SENIOR = "senior", "高级"


class ApiKeyScope(LabelledEnum):
    READ = "read", "只读"
    WRITE = "write", "读写"


class CalendarDayKind(LabelledEnum):
    HOLIDAY = "holiday", "法定节假日"
    WORKDAY = "workday", "调休上班日"


ALL_ENUMS: tuple[type[LabelledEnum], ...] = (
    RegionLevel,
    OrganizationKind,
    LegalPersonType,
    MembershipRole,
    MembershipStatus,
    PlatformRole,
    BrokerLevel,
    ApiKeyScope,
    CalendarDayKind,
)
