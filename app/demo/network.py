"""The fixed part of the demo network: functional zones, organizations and accounts.

Names are in the style of the city's real enterprises, universities and institutes (the kinds the
2018 policy names) but invented; the credit codes are generated, valid by GB 32100's check character.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from app.core.enums import (
    BrokerLevel,
    LegalPersonType,
    LocalIndustry,
    MembershipRole,
    OrganizationKind,
    PlatformRole,
)
from app.core.identifiers import CREDIT_CODE_ALPHABET, credit_code_check_char

CITY = "320700"
HAIZHOU = "320706"
LIANYUN = "320703"
GANYU = "320707"
DONGHAI = "320722"
GUANYUN = "320723"
GUANNAN = "320724"
# Functional zones have no GB/T 2260 code: they are found by name under the city.
ETDZ = "连云港经济技术开发区"
HIGH_TECH = "连云港高新技术产业开发区"
XUWEI = "徐圩新区"
ZONES = (ETDZ, HIGH_TECH, XUWEI)

DEMO_ADMIN_EMAIL = "admin@example.com"
DEMO_ADMIN_PASSWORD = "demo-admin-password"  # noqa: S105 - documented, and refused outside development
DEMO_PASSWORD = "demo-password"  # noqa: S105 - every other demo account's password, documented
DEMO_EMAIL_DOMAIN = "example.com"

_E, _U, _I = OrganizationKind.ENTERPRISE, OrganizationKind.UNIVERSITY, OrganizationKind.RESEARCH_INSTITUTE
_A, _B, _G = OrganizationKind.TRANSFER_AGENCY, OrganizationKind.BROKER_FIRM, OrganizationKind.GOVERNMENT


@dataclass(frozen=True, slots=True)
class OrgSpec:
    key: str  # also the owner's e-mail local part unless an account names the organization
    name: str
    kind: OrganizationKind
    region: str  # a GB/T 2260 code or a zone name
    contact: str
    description: str
    industry: LocalIndustry | None = None

    @property
    def legal_person_type(self) -> LegalPersonType:
        return _LEGAL_PERSON[self.kind]

    @property
    def credit_code(self) -> str:
        return credit_code(self)


_LEGAL_PERSON = {
    _E: LegalPersonType.DOMESTIC_ENTERPRISE,
    _B: LegalPersonType.DOMESTIC_ENTERPRISE,
    _U: LegalPersonType.HIGHER_EDUCATION,
    _I: LegalPersonType.RESEARCH_INSTITUTION,
    _A: LegalPersonType.OTHER_PUBLIC_INSTITUTION,
    _G: LegalPersonType.ORGAN,
}


def credit_code(spec: OrgSpec) -> str:
    """A stable, valid code: registration authority and category by kind, the region's area code,
    an organization code derived from the key, and the GB 32100 check character."""
    digest = hashlib.sha256(spec.key.encode()).digest()
    if spec.kind in (_E, _B):
        prefix, body = "91", "MA" + "".join(CREDIT_CODE_ALPHABET[byte % 31] for byte in digest[:7])
    else:
        prefix = "11" if spec.kind == _G else "12"
        body = "".join(str(byte % 10) for byte in digest[:9])
    area = spec.region if spec.region.isdigit() else CITY
    first17 = prefix + area + body
    return first17 + credit_code_check_char(first17)


_M = LocalIndustry
ORGANIZATIONS: tuple[OrgSpec, ...] = (
    # Government: the city and Haizhou district science and technology bureaus.
    OrgSpec("lyg-kjj", "连云港市科学技术局", _G, CITY, "周建国", "全市科技成果转移转化工作的主管部门。"),
    OrgSpec(
        "haizhou-kjj", "连云港市海州区科学技术局", _G, HAIZHOU, "陈海燕", "海州区科技创新与成果转化主管部门。"
    ),
    # Transfer agencies and a broker firm.
    OrgSpec(
        "jstec-lyg",
        "江苏省技术产权交易市场连云港分中心",
        _A,
        CITY,
        "赵敏",
        "全市技术转移“一张网”的枢纽，提供成果评价、挂牌交易、对接会和技术经纪服务。",
    ),
    OrgSpec(
        "jsou-ttc",
        "江苏海洋工程大学技术转移中心",
        _A,
        HAIZHOU,
        "孙立平",
        "高校技术转移示范机构，负责学校科技成果的披露、评估、许可与作价入股。",
    ),
    OrgSpec(
        "hitz-ttc",
        "连云港高新区科技成果转化服务中心",
        _A,
        HIGH_TECH,
        "马俊杰",
        "面向高新区企业的成果转化、知识产权运营与孵化服务机构。",
    ),
    OrgSpec(
        "zhihui-broker",
        "连云港智汇技术经纪有限公司",
        _B,
        HAIZHOU,
        "王立新",
        "专业技术经纪机构，为企业技术需求诊断、成果匹配和技术合同登记提供全程服务。",
    ),
    # Universities and research institutes: the owners of the achievement library.
    OrgSpec(
        "jsou",
        "江苏海洋工程大学",
        _U,
        HAIZHOU,
        "钱文博",
        "以海洋、工程、医药和食品学科见长的省属本科高校。",
    ),
    OrgSpec(
        "hhit",
        "淮海理工学院",
        _U,
        HAIZHOU,
        "郑国栋",
        "工科为主的本科院校，机械、电气、计算机学科服务地方制造业。",
    ),
    OrgSpec(
        "lygvc",
        "连云港港城职业技术学院",
        _U,
        LIANYUN,
        "冯晓燕",
        "面向港口物流、食品和装备制造的高等职业院校。",
    ),
    OrgSpec(
        "cas-materials",
        "中国科学院海洋新材料研究所连云港分所",
        _I,
        HIGH_TECH,
        "何志远",
        "从事碳纤维、硅基材料、海洋防腐材料等新材料研究的科研院所分支机构。",
    ),
    OrgSpec(
        "cas-energy",
        "中国科学院能源化工研究所连云港分所",
        _I,
        XUWEI,
        "韩雪峰",
        "围绕临港石化、清洁能源和环保技术开展研发与中试的科研院所分支机构。",
    ),
    OrgSpec(
        "ship-electronics",
        "中船海洋电子装备研究所（连云港）",
        _I,
        HIGH_TECH,
        "唐振华",
        "从事船舶电子、水声通信、自动控制和智能装备研究的军民融合研究所。",
    ),
    OrgSpec(
        "lyg-agri",
        "连云港市农业科学研究院",
        _I,
        HAIZHOU,
        "许春林",
        "从事作物育种、设施园艺、食用菌和农产品加工研究。",
    ),
    OrgSpec(
        "pharma-institute",
        "江苏省新医药产业技术研究院连云港分院",
        _I,
        ETDZ,
        "吕佳宁",
        "面向原料药、制剂、中药现代化的新型研发机构，提供中试与成果转化服务。",
    ),
    OrgSpec(
        "silicon-institute",
        "东海硅材料产业技术研究院",
        _I,
        DONGHAI,
        "蒋文华",
        "服务东海县硅材料、石英产业的产业技术研究院。",
    ),
    # Enterprises: the posters of demands, by priority industry.
    OrgSpec(
        "kangrui-pharma",
        "连云港康瑞医药集团股份有限公司",
        _E,
        ETDZ,
        "杨振宇",
        "集化学原料药、制剂研发生产于一体的医药集团，拥有国家级企业技术中心。",
        _M.NEW_MEDICINE,
    ),
    OrgSpec(
        "hengji-bio",
        "江苏恒济生物制药有限公司",
        _E,
        ETDZ,
        "林晓东",
        "专注抗肿瘤药物和生物制剂的高新技术企业。",
        _M.NEW_MEDICINE,
    ),
    OrgSpec(
        "zhengyuan-tcm",
        "连云港正源中药饮片有限公司",
        _E,
        HAIZHOU,
        "黄素梅",
        "中药饮片、中药提取物生产企业。",
        _M.NEW_MEDICINE,
    ),
    OrgSpec(
        "yunying-carbon",
        "连云港云鹰碳纤维科技有限公司",
        _E,
        HIGH_TECH,
        "高志明",
        "碳纤维及其复合材料生产企业，产品用于风电、压力容器和轨道交通。",
        _M.NEW_MATERIALS,
    ),
    OrgSpec(
        "jingsheng-quartz",
        "东海县晶盛石英材料有限公司",
        _E,
        DONGHAI,
        "徐国庆",
        "高纯石英砂、硅微粉及石英制品生产企业。",
        _M.NEW_MATERIALS,
    ),
    OrgSpec(
        "haida-polymer",
        "连云港海达高分子材料有限公司",
        _E,
        GUANYUN,
        "罗建新",
        "改性塑料、阻燃材料和可降解材料生产企业。",
        _M.NEW_MATERIALS,
    ),
    OrgSpec(
        "hanhai-energy",
        "连云港瀚海新能源科技有限公司",
        _E,
        HAIZHOU,
        "孙浩",
        "锂离子电池负极材料与储能系统生产企业，省级专精特新中小企业。",
        _M.NEW_ENERGY,
    ),
    OrgSpec(
        "haifeng-power",
        "江苏海风清洁能源装备有限公司",
        _E,
        GANYU,
        "朱永强",
        "海上风电机组关键部件和清洁能源装备制造企业。",
        _M.NEW_ENERGY,
    ),
    OrgSpec(
        "gangcheng-equipment",
        "连云港港城智能装备股份有限公司",
        _E,
        HAIZHOU,
        "胡明辉",
        "港口机械、工业机器人工作站和智能检测装备制造企业。",
        _M.INTELLIGENT_EQUIPMENT,
    ),
    OrgSpec(
        "liangang-cnc",
        "江苏连港数控机床有限公司",
        _E,
        ETDZ,
        "郭伟",
        "数控机床和精密加工装备制造企业。",
        _M.INTELLIGENT_EQUIPMENT,
    ),
    OrgSpec(
        "zhigang-logistics",
        "连云港智港物流科技有限公司",
        _E,
        LIANYUN,
        "林涛",
        "智慧港口与智能仓储解决方案提供商。",
        _M.INTELLIGENT_EQUIPMENT,
    ),
    OrgSpec(
        "shenghai-petrochem",
        "连云港盛海石化有限公司",
        _E,
        XUWEI,
        "何建军",
        "炼化一体化企业，生产乙烯、芳烃及下游高端化学品。",
        _M.PORT_PETROCHEMICAL,
    ),
    OrgSpec(
        "xuwei-fine-chem",
        "江苏徐圩精细化工有限公司",
        _E,
        XUWEI,
        "梁晓峰",
        "精细化学品与医药中间体生产企业。",
        _M.PORT_PETROCHEMICAL,
    ),
    OrgSpec(
        "jingu-mushroom",
        "灌南县金菇食用菌科技有限公司",
        _E,
        GUANNAN,
        "宋春华",
        "工厂化食用菌生产企业，日产金针菇百吨以上。",
        _M.MODERN_AGRICULTURE,
    ),
    OrgSpec(
        "tianyuan-rice",
        "东海县田园富硒米业有限公司",
        _E,
        DONGHAI,
        "谢玉兰",
        "富硒稻米种植、加工与销售企业。",
        _M.MODERN_AGRICULTURE,
    ),
    OrgSpec(
        "haizhiyuan-seafood",
        "连云港海之源水产食品有限公司",
        _E,
        GANYU,
        "韩冬梅",
        "海产品加工与冷链物流企业。",
        _M.MARINE,
    ),
    OrgSpec(
        "zicai-group",
        "连云港紫菜产业集团有限公司",
        _E,
        LIANYUN,
        "邓海波",
        "紫菜育苗、养殖、加工一体化企业。",
        _M.MARINE,
    ),
)
ORGANIZATION_BY_KEY = {spec.key: spec for spec in ORGANIZATIONS}
UNIVERSITIES_AND_INSTITUTES = tuple(spec for spec in ORGANIZATIONS if spec.kind in (_U, _I))
ENTERPRISES = tuple(spec for spec in ORGANIZATIONS if spec.kind == _E)


@dataclass(frozen=True, slots=True)
class AccountSpec:
    email: str
    display_name: str
    phone: str
    purpose: str
    organization: str | None = None  # OrgSpec.key
    membership: MembershipRole = MembershipRole.OWNER
    role: PlatformRole | None = None
    role_region: str | None = None  # for region-bound roles
    broker_licence_no: str | None = None
    broker_level: BrokerLevel | None = None


_O, _MEMBER = MembershipRole.OWNER, MembershipRole.MEMBER
# The accounts a newcomer uses; every organization without one gets an owner account of its own.
NAMED_ACCOUNTS: tuple[AccountSpec, ...] = (
    AccountSpec(
        "city-admin@example.com",
        "周建国",
        "13905180101",
        "市级管理员 (city_admin)",
        "lyg-kjj",
        role=PlatformRole.CITY_ADMIN,
    ),
    AccountSpec(
        "haizhou-admin@example.com",
        "陈海燕",
        "13905180102",
        "海州区管理员 (district_admin, 320706)",
        "haizhou-kjj",
        role=PlatformRole.DISTRICT_ADMIN,
        role_region=HAIZHOU,
    ),
    AccountSpec(
        "registrar@example.com",
        "刘志强",
        "13905180103",
        "技术合同登记员 (registrar, 连云港市)",
        "lyg-kjj",
        _MEMBER,
        role=PlatformRole.REGISTRAR,
        role_region=CITY,
    ),
    AccountSpec(
        "haizhou-registrar@example.com",
        "吴晓峰",
        "13905180109",
        "海州区技术合同登记员 (registrar, 320706)",
        "haizhou-kjj",
        _MEMBER,
        role=PlatformRole.REGISTRAR,
        role_region=HAIZHOU,
    ),
    AccountSpec(
        "reviewer@example.com",
        "赵敏",
        "13905180104",
        "技术转移机构审核员 (江苏省技术产权交易市场连云港分中心)",
        "jstec-lyg",
    ),
    AccountSpec(
        "broker-wang@example.com",
        "王立新",
        "13905180105",
        "技术经纪人 (高级, 连云港智汇技术经纪有限公司)",
        "zhihui-broker",
        role=PlatformRole.BROKER,
        broker_licence_no="JSJJ-2019-0118",
        broker_level=BrokerLevel.SENIOR,
    ),
    AccountSpec(
        "broker-li@example.com",
        "李晓雯",
        "13905180106",
        "技术经纪人 (中级, 江苏海洋工程大学技术转移中心)",
        "jsou-ttc",
        _MEMBER,
        role=PlatformRole.BROKER,
        broker_licence_no="JSJJ-2021-0457",
        broker_level=BrokerLevel.INTERMEDIATE,
    ),
    AccountSpec(
        "enterprise@example.com",
        "孙浩",
        "13905180107",
        "企业用户 (连云港瀚海新能源科技有限公司的所有者, 海州区)",
        "hanhai-energy",
    ),
    AccountSpec(
        "university@example.com", "钱文博", "13905180108", "高校用户 (江苏海洋工程大学的所有者)", "jsou"
    ),
)


def _owner_accounts() -> tuple[AccountSpec, ...]:
    named = {account.organization for account in NAMED_ACCOUNTS if account.membership == _O}
    return tuple(
        AccountSpec(
            f"{spec.key}@{DEMO_EMAIL_DOMAIN}",
            spec.contact,
            f"139051802{index:02d}",
            f"{spec.name}的所有者",
            spec.key,
        )
        for index, spec in enumerate(ORGANIZATIONS)
        if spec.key not in named
    )


ACCOUNTS: tuple[AccountSpec, ...] = NAMED_ACCOUNTS + _owner_accounts()


def owner_email(organization_key: str) -> str:
    return next(
        account.email
        for account in ACCOUNTS
        if account.organization == organization_key and account.membership == _O
    )
