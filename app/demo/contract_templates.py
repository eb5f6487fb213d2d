"""What the demo's technology contracts are about: each seller's subjects by technology field, the
buyers outside the network, and how a project is named for each contract type."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from app.core.enums import ContractSubtype, LegalPersonType, LocalIndustry, TechField
from app.core.identifiers import CREDIT_CODE_ALPHABET, credit_code_check_char

_F = TechField


@dataclass(frozen=True, slots=True)
class Subject:
    field: TechField
    names: tuple[str, ...]
    # The only kinds of contract made about these subjects (any, when empty).
    subtypes: tuple[ContractSubtype, ...] = ()


# By seller (an OrgSpec key): what it develops, transfers, licenses, advises on or serves, and how
# often it registers a contract (a university's technology transfer office registers most).
SELLERS: dict[str, tuple[int, tuple[Subject, ...]]] = {
    "jsou": (
        11,
        (
            Subject(_F.AGRICULTURE, ("紫菜多糖提取纯化", "海参苗种工厂化繁育", "对虾工厂化循环水养殖")),
            Subject(_F.NEW_MATERIALS, ("海洋工程钢结构防腐涂层", "海水淡化反渗透膜组件")),
            Subject(_F.BIOMEDICINE, ("海洋微藻DHA提取", "鱼胶原蛋白肽制备")),
            Subject(_F.ADVANCED_MANUFACTURING, ("船舶分段焊接机器人视觉引导",)),
        ),
    ),
    "hhit": (
        8,
        (
            Subject(_F.ELECTRONIC_INFORMATION, ("港口起重机远程状态监测系统", "工业视觉表面缺陷检测算法")),
            Subject(_F.ADVANCED_MANUFACTURING, ("数控机床热误差补偿", "永磁同步电机故障诊断")),
            Subject(_F.NEW_ENERGY, ("变频驱动系统能效优化控制",)),
        ),
    ),
    "lygvc": (
        4,
        (
            Subject(_F.MODERN_TRANSPORT, ("冷链物流温控追溯系统", "集装箱码头作业调度优化")),
            Subject(_F.URBAN_SOCIAL, ("机电设备维修技能提升",), (ContractSubtype.TRAINING,)),
        ),
    ),
    "cas-materials": (
        10,
        (
            Subject(_F.NEW_MATERIALS, ("高性能碳纤维原丝制备", "硅碳负极材料制备", "碳纤维复合材料储氢气瓶")),
            Subject(_F.NEW_MATERIALS, ("石英坩埚内壁涂层", "风电叶片用环氧树脂体系")),
        ),
    ),
    "cas-energy": (
        9,
        (
            Subject(_F.ENVIRONMENT, ("化工园区VOCs深度治理", "高含盐废水零排放处理", "二氧化碳捕集与利用")),
            Subject(_F.NEW_ENERGY, ("乙烯裂解炉节能优化", "碱性电解水制氢催化剂")),
        ),
    ),
    "ship-electronics": (
        7,
        (
            Subject(_F.ELECTRONIC_INFORMATION, ("水声通信调制解调", "船舶综合导航显控系统")),
            Subject(_F.MODERN_TRANSPORT, ("港口AGV自动导航控制", "海上风电运维无人船")),
        ),
    ),
    "lyg-agri": (
        6,
        (
            Subject(_F.AGRICULTURE, ("富硒水稻优质高产栽培", "设施蔬菜水肥一体化", "金针菇工厂化栽培")),
            Subject(_F.AGRICULTURE, ("稻麦秸秆还田腐熟", "鲜食大豆新品种选育")),
        ),
    ),
    "pharma-institute": (
        8,
        (
            Subject(_F.BIOMEDICINE, ("抗肿瘤药物制剂一致性评价", "原料药晶型筛选", "缓释微丸制剂工艺")),
            Subject(_F.BIOMEDICINE, ("中药配方颗粒质量标准", "注射剂无菌工艺验证")),
        ),
    ),
    "silicon-institute": (
        5,
        (Subject(_F.NEW_MATERIALS, ("高纯石英砂提纯", "球形硅微粉制备", "光伏用石英坩埚")),),
    ),
    "kangrui-pharma": (
        3,
        (Subject(_F.BIOMEDICINE, ("仿制药药学研究", "药物杂质谱分析")),),
    ),
    "hengji-bio": (2, (Subject(_F.BIOMEDICINE, ("单克隆抗体细胞培养工艺",)),)),
    "yunying-carbon": (3, (Subject(_F.NEW_MATERIALS, ("碳纤维湿法缠绕成型", "碳纤维预浸料制备")),)),
    "jingsheng-quartz": (2, (Subject(_F.NEW_MATERIALS, ("石英砂酸洗提纯",)),)),
    "haida-polymer": (2, (Subject(_F.NEW_MATERIALS, ("无卤阻燃聚丙烯改性", "全生物降解地膜")),)),
    "hanhai-energy": (3, (Subject(_F.NEW_ENERGY, ("储能电池管理系统", "磷酸铁锂储能集装箱热管理")),)),
    "haifeng-power": (2, (Subject(_F.NEW_ENERGY, ("风电齿轮箱在线故障诊断",)),)),
    "gangcheng-equipment": (
        3,
        (Subject(_F.ADVANCED_MANUFACTURING, ("门座起重机智能化改造", "焊接机器人工作站集成")),),
    ),
    "liangang-cnc": (2, (Subject(_F.ADVANCED_MANUFACTURING, ("五轴联动数控系统",)),)),
    "zhigang-logistics": (
        3,
        (Subject(_F.ELECTRONIC_INFORMATION, ("智慧港口生产管理平台", "智能仓储调度软件")),),
    ),
    "shenghai-petrochem": (2, (Subject(_F.ENVIRONMENT, ("芳烃装置节能降耗",)),)),
    "xuwei-fine-chem": (2, (Subject(_F.BIOMEDICINE, ("医药中间体连续流合成",)),)),
    "jingu-mushroom": (1, (Subject(_F.AGRICULTURE, ("金针菇液体菌种生产",)),)),
    "haizhiyuan-seafood": (1, (Subject(_F.AGRICULTURE, ("海产品冷链保鲜",)),)),
    "zicai-group": (1, (Subject(_F.AGRICULTURE, ("紫菜良种育苗",)),)),
    "zhihui-broker": (
        2,
        (
            Subject(
                _F.URBAN_SOCIAL,
                ("企业技术需求诊断与成果对接",),
                (ContractSubtype.INTERMEDIARY, ContractSubtype.CONSULTING),
            ),
        ),
    ),
}

# Which of the network's enterprises buy a field's technology (by their priority industry).
FIELD_BUYERS: dict[TechField, tuple[LocalIndustry, ...]] = {
    _F.AGRICULTURE: (LocalIndustry.MODERN_AGRICULTURE, LocalIndustry.MARINE),
    _F.NEW_MATERIALS: (LocalIndustry.NEW_MATERIALS, LocalIndustry.NEW_ENERGY),
    _F.BIOMEDICINE: (LocalIndustry.NEW_MEDICINE,),
    _F.ADVANCED_MANUFACTURING: (LocalIndustry.INTELLIGENT_EQUIPMENT, LocalIndustry.NEW_ENERGY),
    _F.ELECTRONIC_INFORMATION: (LocalIndustry.INTELLIGENT_EQUIPMENT,),
    _F.NEW_ENERGY: (LocalIndustry.NEW_ENERGY, LocalIndustry.PORT_PETROCHEMICAL),
    _F.ENVIRONMENT: (LocalIndustry.PORT_PETROCHEMICAL, LocalIndustry.NEW_MATERIALS),
    _F.MODERN_TRANSPORT: (LocalIndustry.INTELLIGENT_EQUIPMENT, LocalIndustry.MARINE),
    _F.URBAN_SOCIAL: tuple(LocalIndustry),
}


@dataclass(frozen=True, slots=True)
class ExternalBuyer:
    """A buyer outside the network: an enterprise with its credit code's area (GB/T 2260)."""

    name: str
    area_code: str
    legal_person_type: LegalPersonType = LegalPersonType.DOMESTIC_ENTERPRISE

    @property
    def credit_code(self) -> str:
        """A stable, valid code (as app.demo.network.credit_code makes an enterprise's)."""
        digest = hashlib.sha256(self.name.encode()).digest()
        first17 = "91" + self.area_code + "MA" + "".join(CREDIT_CODE_ALPHABET[b % 31] for b in digest[:7])
        return first17 + credit_code_check_char(first17)


EXTERNAL_BUYERS: tuple[ExternalBuyer, ...] = (
    ExternalBuyer("南京紫金智造科技有限公司", "320104"),
    ExternalBuyer("苏州纳维新材料科技有限公司", "320506"),
    ExternalBuyer("徐州华信重工机械有限公司", "320303"),
    ExternalBuyer("盐城绿源环保科技有限公司", "320902"),
    ExternalBuyer("淮安天康生物医药有限公司", "320803"),
    ExternalBuyer("上海临港海洋高端装备有限公司", "310115"),
    ExternalBuyer("青岛蓝湾海洋生物科技有限公司", "370212"),
    ExternalBuyer("山东鲁南精细化工有限公司", "371302"),
    ExternalBuyer("杭州云帆信息技术有限公司", "330106"),
    ExternalBuyer("合肥晶合光伏材料有限公司", "340104"),
    ExternalBuyer("江苏中德合资精密机械有限公司", "320583", LegalPersonType.FOREIGN_INVESTED),
    # Enterprises of the city that are not (yet) in the network: their region counts them as
    # absorbed (吸纳) there.
    ExternalBuyer("连云港东方船舶配件有限公司", "320703"),
    ExternalBuyer("东海县鑫源食品有限公司", "320722"),
    ExternalBuyer("灌云县恒盛化工有限公司", "320723"),
    ExternalBuyer("赣榆区海润水产养殖专业合作社联合社有限公司", "320707"),
)

# How each subtype names a project after its subject, and the contract text's first sentence.
NAMING: dict[ContractSubtype, tuple[str, str]] = {
    ContractSubtype.COMMISSIONED_DEVELOPMENT: (
        "{subject}技术开发",
        "受托方为委托方开展{subject}研究，完成小试与中试验证，交付工艺技术包和技术报告。",
    ),
    ContractSubtype.COOPERATIVE_DEVELOPMENT: (
        "{subject}合作开发",
        "双方共同开展{subject}关键技术攻关，约定分工、投入与成果归属，联合完成工程化验证。",
    ),
    ContractSubtype.PATENT_TRANSFER: (
        "{subject}专利权转让",
        "让与方将{subject}相关发明专利权转让给受让方，并提供实施所需的技术资料和指导。",
    ),
    ContractSubtype.PATENT_APPLICATION_TRANSFER: (
        "{subject}专利申请权转让",
        "让与方将{subject}相关专利申请权转让给受让方，并配合办理著录项目变更。",
    ),
    ContractSubtype.TECHNICAL_SECRET_TRANSFER: (
        "{subject}技术秘密转让",
        "让与方向受让方转让{subject}技术秘密，包括工艺参数、配方和操作规程，受让方负有保密义务。",
    ),
    ContractSubtype.PATENT_LICENSE: (
        "{subject}专利实施许可",
        "许可方许可被许可方在约定地域和期限内以普通许可方式实施{subject}相关专利。",
    ),
    ContractSubtype.TECHNICAL_SECRET_LICENSE: (
        "{subject}技术秘密使用许可",
        "许可方许可被许可方使用{subject}技术秘密组织生产，并提供技术培训与现场指导。",
    ),
    ContractSubtype.CONSULTING: (
        "{subject}技术咨询",
        "受托方就{subject}项目开展可行性论证和技术预测，提交咨询报告。",
    ),
    ContractSubtype.SERVICE: (
        "{subject}技术服务",
        "受托方运用专业技术为委托方解决{subject}中的特定技术问题，提交检测分析报告和改进方案。",
    ),
    ContractSubtype.TRAINING: (
        "{subject}技术培训",
        "受托方为委托方技术人员开展{subject}专项培训，使其掌握相关技术并通过考核。",
    ),
    ContractSubtype.INTERMEDIARY: (
        "{subject}技术中介服务",
        "中介方为委托方提供{subject}服务，促成技术合同的订立并协助履行。",
    ),
}
PHASES = ("", "（二期）", "（三期）", "（四期）", "（五期）", "（六期）")
