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


class TechField(LabelledEnum):
    """The eleven technology fields of national technology-market statistics."""

    ELECTRONIC_INFORMATION = "electronic_information", "电子信息"
    AEROSPACE = "aerospace", "航空航天"
    ADVANCED_MANUFACTURING = "advanced_manufacturing", "先进制造"
    BIOMEDICINE = "biomedicine", "生物医药和医疗器械"
    NEW_MATERIALS = "new_materials", "新材料及其应用"
    NEW_ENERGY = "new_energy", "新能源与高效节能"
    ENVIRONMENT = "environment", "环境保护与资源综合利用"
    NUCLEAR = "nuclear", "核应用技术"
    AGRICULTURE = "agriculture", "农业"
    MODERN_TRANSPORT = "modern_transport", "现代交通"
    URBAN_SOCIAL = "urban_social", "城市建设与社会发展"


class LocalIndustry(LabelledEnum):
    """The city's priority industries (the policy's 重点培育产业)."""

    NEW_MEDICINE = "new_medicine", "新医药"
    NEW_MATERIALS = "new_materials", "新材料"
    NEW_ENERGY = "new_energy", "新能源"
    INTELLIGENT_EQUIPMENT = "intelligent_equipment", "高端智能装备"
    PORT_PETROCHEMICAL = "port_petrochemical", "临港石化"
    MODERN_AGRICULTURE = "modern_agriculture", "现代农业"
    MARINE = "marine", "海洋"


class DemandType(LabelledEnum):
    KEY_TECHNOLOGY = "key_technology", "关键技术研发"
    PRODUCT_UPGRADE = "product_upgrade", "产品升级"
    TECHNICAL_RENOVATION = "technical_renovation", "技术改造"
    EQUIPMENT_IMPROVEMENT = "equipment_improvement", "设备改进"
    TECHNOLOGY_TRANSACTION = "technology_transaction", "技术交易"
    CONSULTING = "consulting", "技术咨询"
    OVERSEAS_COOPERATION = "overseas_cooperation", "海外创新合作"
    SCI_TECH_FINANCE = "sci_tech_finance", "科技金融"
    TEST_PARAMETERS = "test_parameters", "测试参数"
    TEST_METHODS = "test_methods", "测试方法"
    TEST_EQUIPMENT = "test_equipment", "测试设备"
    TEST_STANDARDS = "test_standards", "测试标准"
    OTHER = "other", "其他"


class CooperationMode(LabelledEnum):
    TRANSFER = "transfer", "技术转让"
    LICENSE = "license", "许可使用"
    JOINT_DEVELOPMENT = "joint_development", "合作开发"
    COMMISSIONED_DEVELOPMENT = "commissioned_development", "委托开发"
    CONSULTING = "consulting", "技术咨询"
    SERVICE = "service", "技术服务"
    EQUITY = "equity", "作价入股/股权投资"
    NEW_VENTURE = "new_venture", "合作兴办新企业"
    OTHER = "other", "其他"


class TransferMode(LabelledEnum):
    TRANSFER = "transfer", "转让"
    LICENSE = "license", "许可"
    JOINT_DEVELOPMENT = "joint_development", "合作开发"
    EQUITY = "equity", "作价入股"
    SERVICE = "service", "技术服务"


class MaturityStage(LabelledEnum):
    EARLY = "early", "初期/小试"
    PILOT = "pilot", "中期/中试"
    INDUSTRIALIZED = "industrialized", "成熟应用/产业化"


class AchievementLevel(LabelledEnum):
    INTERNATIONAL_LEADING = "international_leading", "国际领先"
    INTERNATIONAL_ADVANCED = "international_advanced", "国际先进"
    DOMESTIC_LEADING = "domestic_leading", "国内领先"
    DOMESTIC_ADVANCED = "domestic_advanced", "国内先进"
    DOMESTIC_ORDINARY = "domestic_ordinary", "国内一般"
    UNEVALUATED = "unevaluated", "未评价"


class IpForm(LabelledEnum):
    INVENTION_PATENT = "invention_patent", "发明专利"
    UTILITY_MODEL = "utility_model", "实用新型"
    DESIGN_PATENT = "design_patent", "外观设计"
    SOFTWARE_COPYRIGHT = "software_copyright", "软件著作权"
    IC_LAYOUT = "ic_layout", "集成电路布图设计"
    PLANT_VARIETY = "plant_variety", "植物新品种"
    TECHNICAL_SECRET = "technical_secret", "技术秘密"
    NONE = "none", "无"


class PatentType(LabelledEnum):
    """Read off the application number's type digit."""

    INVENTION = "invention", "发明"
    UTILITY_MODEL = "utility_model", "实用新型"
    DESIGN = "design", "外观设计"
    PCT_INVENTION = "pct_invention", "PCT发明"
    PCT_UTILITY_MODEL = "pct_utility_model", "PCT实用新型"


class PatentStatus(LabelledEnum):
    PENDING = "pending", "申请中"
    GRANTED = "granted", "已授权"
    LAPSED = "lapsed", "已失效"


class Confidentiality(LabelledEnum):
    PUBLIC = "public", "公开"
    NDA = "nda", "保密（签署保密协议后可见详情）"


class ListingStatus(LabelledEnum):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "审核中"
    PUBLISHED = "published", "已发布"
    RETURNED = "returned", "退回整改"
    REJECTED = "rejected", "已拒绝"
    CLOSED = "closed", "已关闭"


EDITABLE_STATUSES = frozenset({ListingStatus.DRAFT, ListingStatus.RETURNED})


class RevisionStatus(LabelledEnum):
    """A proposed edit of a published listing, reviewed like a first submission."""

    SUBMITTED = "submitted", "审核中"
    PUBLISHED = "published", "已发布"
    RETURNED = "returned", "退回整改"
    REJECTED = "rejected", "已拒绝"
    WITHDRAWN = "withdrawn", "已撤回"


class AccessRequestStatus(LabelledEnum):
    REQUESTED = "requested", "已申请"
    GRANTED = "granted", "已同意"
    DENIED = "denied", "已拒绝"
    REVOKED = "revoked", "已撤销"


class PackageVersionStatus(LabelledEnum):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"


class ImportKind(LabelledEnum):
    """What a bulk import or export holds."""

    DEMANDS = "demands", "企业技术需求"
    ACHIEVEMENTS = "achievements", "科技成果"


class JobStatus(LabelledEnum):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    SUCCEEDED = "succeeded", "已完成"
    FAILED = "failed", "失败"


class WorkStatus(LabelledEnum):
    """A queued job of the worker (`jobs`): failed means "an attempt failed; retried at run_after",
    dead means "given up": no more attempts, visible until someone looks."""

    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    SUCCEEDED = "succeeded", "已完成"
    FAILED = "failed", "失败待重试"
    DEAD = "dead", "已放弃"


class MatchStatus(LabelledEnum):
    """A saved recommendation: new, seen, kept for a closer look, set aside with a reason, or
    proposed for a deal (what brokers pick up)."""

    NEW = "new", "新推荐"
    VIEWED = "viewed", "已查看"
    SHORTLISTED = "shortlisted", "已入围"
    DISMISSED = "dismissed", "已排除"
    PROPOSED = "proposed", "已提议对接"


class DeclineReason(LabelledEnum):
    """Why a match is set aside: kept so that matching weights can be tuned against them."""

    TOO_EARLY = "too_early", "技术阶段过早"
    BENEFIT_UNCLEAR = "benefit_unclear", "相对现有技术优势不明确"
    COMMERCIAL_ROUTE_UNCLEAR = "commercial_route_unclear", "商业化路径不明确"
    DESCRIPTION_UNCLEAR = "description_unclear", "描述不清楚"
    PRICE_TOO_HIGH = "price_too_high", "价格超出预算"
    NOT_RELEVANT = "not_relevant", "与需求不相关"
    OTHER = "other", "其他"


class ContractRuleSet(LabelledEnum):
    """The recognition rules a registration applies (stored on each registration)."""

    RULES_2001 = "rules_2001", "2001年技术合同认定规则"
    RULES_2026 = "rules_2026", "2026年技术合同认定规则"


class ContractType(LabelledEnum):
    """Civil Code technology-contract types; the 2001 rules count 许可 inside 转让."""

    DEVELOPMENT = "development", "技术开发"
    TRANSFER = "transfer", "技术转让"
    LICENSE = "license", "技术许可"
    CONSULTING = "consulting", "技术咨询"
    SERVICE = "service", "技术服务"


class ContractSubtype(LabelledEnum):
    COMMISSIONED_DEVELOPMENT = "commissioned_development", "委托开发"
    COOPERATIVE_DEVELOPMENT = "cooperative_development", "合作开发"
    PATENT_TRANSFER = "patent_transfer", "专利权转让"
    PATENT_APPLICATION_TRANSFER = "patent_application_transfer", "专利申请权转让"
    TECHNICAL_SECRET_TRANSFER = "technical_secret_transfer", "技术秘密转让"
    PATENT_LICENSE = "patent_license", "专利实施许可"
    TECHNICAL_SECRET_LICENSE = "technical_secret_license", "技术秘密使用许可"
    CONSULTING = "consulting", "技术咨询"
    SERVICE = "service", "技术服务"
    TRAINING = "training", "技术培训"
    INTERMEDIARY = "intermediary", "技术中介"


class ContractStatus(LabelledEnum):
    """A registration's course: draft → submitted → accepted → registered, or returned for
    correction (补正) or refused; a registered contract may be cancelled (注销)."""

    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    ACCEPTED = "accepted", "已受理"
    RETURNED = "returned", "退回补正"
    REFUSED = "refused", "不予登记"
    REGISTERED = "registered", "已登记"
    CANCELLED = "cancelled", "已注销"


class PlanCategory(LabelledEnum):
    """The plan a contract's project belongs to (计划类别)."""

    NATIONAL = "national", "国家计划"
    MINISTRY = "ministry", "部门计划"
    PROVINCIAL = "provincial", "省计划"
    MUNICIPAL = "municipal", "地市县计划"
    NONE = "none", "无"


class RefusalGround(LabelledEnum):
    """Why a registrar refuses a registration, or finds something to correct (补正)."""

    INVALID = "invalid", "合同无效或尚未生效"
    NOT_TECHNOLOGY_CONTRACT = "not_technology_contract", "不属于技术合同"
    UNCLEAR_TERMS = "unclear_terms", "当事人、标的、价款或报酬不明确"
    MISSING_APPROVAL = "missing_approval", "缺少依法应当办理的批准"
    TITLE_MISMATCH = "title_mismatch", "合同名称与内容不符"
    RESTRICTIVE_CLAUSES = "restrictive_clauses", "含有非法垄断技术或妨碍技术进步的条款"
    MISSING_PROOFS = "missing_proofs", "证明文件缺失或无效"
    SEALS = "seals", "印章缺失或与当事人不符"


class PartyKind(LabelledEnum):
    """A contract party's type as the technology-market statistics cut it (from its legal-person
    type code: 021 科研机构, 022 高等院校, 100/200/300 企业, anything else 其他)."""

    ENTERPRISE = "enterprise", "企业"
    RESEARCH_INSTITUTE = "research_institute", "科研机构"
    UNIVERSITY = "university", "高等院校"
    OTHER = "other", "其他"


class RegistrationEntryKind(LabelledEnum):
    """What a registration-ledger entry records: the registration, a change (变更) or a
    cancellation (注销)."""

    REGISTRATION = "registration", "登记"
    CHANGE = "change", "变更登记"
    CANCELLATION = "cancellation", "注销登记"


class AttachmentKind(LabelledEnum):
    """What a contract's attached file is (metadata only; the file stays with the registration point)."""

    CONTRACT_TEXT = "contract_text", "合同文本"
    IP_PROOF = "ip_proof", "知识产权证明"
    APPROVAL = "approval", "批准文件"
    INVOICE = "invoice", "发票"
    OTHER = "other", "其他"


class TargetMetric(LabelledEnum):
    """What a statistics target measures (the policy's 工作目标)."""

    TOTAL_FEN = "total_fen", "技术合同成交额"
    IUR_PROJECTS = "iur_projects", "产学研合作项目"
    AGENCIES = "agencies", "技术转移机构"


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
    TechField,
    LocalIndustry,
    DemandType,
    CooperationMode,
    TransferMode,
    MaturityStage,
    AchievementLevel,
    IpForm,
    PatentType,
    PatentStatus,
    RevisionStatus,
    Confidentiality,
    ListingStatus,
    AccessRequestStatus,
    PackageVersionStatus,
    JobStatus,
    WorkStatus,
    ImportKind,
    MatchStatus,
    DeclineReason,
    ContractRuleSet,
    ContractType,
    ContractSubtype,
    ContractStatus,
    PlanCategory,
    RefusalGround,
    PartyKind,
    RegistrationEntryKind,
    AttachmentKind,
    TargetMetric,
)
