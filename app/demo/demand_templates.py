"""Technology needs of the city's priority industries, as enterprises there would write them.

Each template has {slots}; the generator fills them from the options given, so two enterprises of an
industry post related but different demands.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.core.enums import CooperationMode, DemandType, LocalIndustry, TechField

_F, _D, _C = TechField, DemandType, CooperationMode


@dataclass(frozen=True, slots=True)
class DemandTemplate:
    title: str
    need: str
    keywords: tuple[str, ...]
    tech_field: TechField
    demand_type: DemandType
    modes: tuple[CooperationMode, ...]
    slots: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _t(
    title: str,
    need: str,
    keywords: str,
    tech_field: TechField,
    demand_type: DemandType,
    modes: tuple[CooperationMode, ...],
    **slots: tuple[str, ...],
) -> DemandTemplate:
    return DemandTemplate(title, need, tuple(keywords.split()), tech_field, demand_type, modes, slots)


_DEV = (_C.COMMISSIONED_DEVELOPMENT, _C.JOINT_DEVELOPMENT)
_BUY = (_C.TRANSFER, _C.LICENSE)

TEMPLATES: dict[LocalIndustry, tuple[DemandTemplate, ...]] = {
    LocalIndustry.NEW_MEDICINE: (
        _t(
            "{drug}原料药绿色合成工艺开发",
            "现有{drug}原料药生产线采用传统多步合成路线，总收率偏低、溶剂用量大、三废处理压力突出。"
            "拟引入连续流反应、酶催化或新型催化体系等绿色合成技术，总收率提高{pct}个百分点以上，"
            "有机溶剂用量和COD排放降低30%以上，杂质谱满足ICH要求并可在GMP车间放大。",
            "原料药 绿色合成 连续流 {drug}",
            _F.BIOMEDICINE,
            _D.KEY_TECHNOLOGY,
            _DEV,
            drug=("奥美拉唑", "阿托伐他汀钙", "替格瑞洛", "恩替卡韦", "利伐沙班"),
            pct=("10", "15", "20"),
        ),
        _t(
            "{form}仿制药质量和疗效一致性评价",
            "公司多个{form}品种需开展仿制药质量和疗效一致性评价，需要专业团队提供处方工艺再研究、"
            "多介质溶出曲线比对、BE试验方案设计及申报资料撰写等服务，要求一年内完成不少于{count}个品种。",
            "一致性评价 溶出曲线 生物等效性 仿制药",
            _F.BIOMEDICINE,
            _D.CONSULTING,
            (_C.SERVICE, _C.CONSULTING),
            form=("口服固体制剂", "注射剂", "缓释片"),
            count=("2", "3", "5"),
        ),
        _t(
            "中药{herb}有效成分提取纯化工艺优化",
            "公司以{herb}为原料生产中药提取物，现用水提醇沉工艺有效成分得率低、批间差异大。"
            "希望采用超临界CO2萃取、大孔树脂吸附或膜分离等技术优化提取纯化工艺，"
            "指标成分含量提高{pct}%以上，并建立指纹图谱质量控制方法。",
            "中药提取 超临界萃取 大孔树脂 {herb} 质量控制",
            _F.BIOMEDICINE,
            _D.TECHNICAL_RENOVATION,
            _DEV,
            herb=("银杏叶", "丹参", "黄芩", "金银花", "淫羊藿"),
            pct=("20", "30", "50"),
        ),
        _t(
            "抗肿瘤药物{carrier}新型给药系统研发",
            "公司拟开发抗肿瘤药物的{carrier}制剂，以提高药物靶向性、降低毒副作用。"
            "需要解决包封率低、粒径分布宽、储存稳定性差和工业化放大等关键问题，"
            "目标包封率大于90%，室温稳定期不少于{months}个月。",
            "抗肿瘤 靶向给药 纳米制剂 {carrier}",
            _F.BIOMEDICINE,
            _D.KEY_TECHNOLOGY,
            (_C.JOINT_DEVELOPMENT, _C.TRANSFER),
            carrier=("脂质体", "纳米粒", "胶束", "微球"),
            months=("12", "18", "24"),
        ),
        _t(
            "医药中间体连续化生产与过程分析技术应用",
            "公司{product}等医药中间体采用间歇釜式生产，能耗高、批次稳定性差。"
            "拟对关键工序实施连续化改造，引入在线红外、拉曼等过程分析技术（PAT）实现实时放行，"
            "产能提升{pct}%以上，安全风险等级降低。",
            "连续化生产 过程分析技术 医药中间体 微通道反应器",
            _F.BIOMEDICINE,
            _D.TECHNICAL_RENOVATION,
            (_C.COMMISSIONED_DEVELOPMENT, _C.SERVICE),
            product=("头孢类侧链", "沙坦联苯", "氨基酸衍生物"),
            pct=("30", "50"),
        ),
        _t(
            "{material}高端医用敷料产品升级",
            "公司现有医用敷料产品以传统纱布类为主，附加值低。拟开发{material}基功能性敷料，"
            "具备止血、抗菌和促进创面愈合功能，需协助完成配方研究、生物相容性评价和二类医疗器械注册检验。",
            "医用敷料 {material} 抗菌 医疗器械注册",
            _F.BIOMEDICINE,
            _D.PRODUCT_UPGRADE,
            (_C.TRANSFER, _C.JOINT_DEVELOPMENT),
            material=("壳聚糖", "海藻酸盐", "胶原蛋白"),
        ),
        _t(
            "制药废水高盐高COD处理技术",
            "公司原料药车间排放的废水含盐量高、COD浓度在{cod}mg/L以上、可生化性差，现有处理工艺运行成本高。"
            "需要经济可行的预处理与生化组合工艺，出水稳定达到接管标准，吨水处理成本下降20%以上。",
            "制药废水 高盐废水 COD 高级氧化",
            _F.ENVIRONMENT,
            _D.TECHNICAL_RENOVATION,
            (_C.SERVICE, _C.COMMISSIONED_DEVELOPMENT),
            cod=("20000", "30000", "50000"),
        ),
    ),
    LocalIndustry.NEW_MATERIALS: (
        _t(
            "高性能碳纤维{grade}原丝制备关键技术",
            "公司已建成千吨级碳纤维生产线，现需突破{grade}碳纤维原丝纺丝与预氧化关键技术，"
            "拉伸强度稳定达到{strength}GPa以上，CV值小于5%，并降低单位能耗。",
            "碳纤维 原丝 预氧化 {grade}",
            _F.NEW_MATERIALS,
            _D.KEY_TECHNOLOGY,
            (_C.JOINT_DEVELOPMENT, _C.TRANSFER),
            grade=("T700级", "T800级", "T1000级"),
            strength=("4.9", "5.5", "6.4"),
        ),
        _t(
            "碳纤维复合材料{part}成型工艺开发",
            "拟开发用于{part}的碳纤维复合材料构件，需要在树脂体系选择、铺层设计、热压罐或RTM成型工艺"
            "及无损检测方面获得技术支持，构件减重{pct}%以上并通过客户验证。",
            "复合材料 RTM 轻量化 {part}",
            _F.NEW_MATERIALS,
            _D.PRODUCT_UPGRADE,
            _DEV,
            part=("风电叶片主梁", "新能源汽车电池壳体", "氢气瓶", "轨道交通车体"),
            pct=("20", "30", "40"),
        ),
        _t(
            "高纯石英砂提纯及{use}石英制品技术",
            "东海县石英资源丰富，但公司高纯石英砂纯度仅为4N级。需要酸浸、氯化焙烧、浮选等提纯工艺，"
            "使SiO2纯度达到{purity}以上，满足{use}石英制品要求。",
            "高纯石英 提纯 石英坩埚 {use}",
            _F.NEW_MATERIALS,
            _D.KEY_TECHNOLOGY,
            (_C.TRANSFER, _C.JOINT_DEVELOPMENT),
            use=("半导体", "光伏单晶", "光纤"),
            purity=("4N8", "5N"),
        ),
        _t(
            "硅微粉表面改性及在{use}中的应用",
            "公司球形硅微粉产品需进入{use}高端市场，要求解决表面改性剂选择、改性均匀性和团聚问题，"
            "填充量提高到{pct}%以上且不影响流动性，需提供工艺包和小批量验证。",
            "硅微粉 表面改性 {use} 填料",
            _F.NEW_MATERIALS,
            _D.PRODUCT_UPGRADE,
            (_C.COMMISSIONED_DEVELOPMENT, _C.LICENSE),
            use=("覆铜板", "环氧塑封料", "导热胶"),
            pct=("70", "80", "85"),
        ),
        _t(
            "可降解{polymer}材料改性与制品开发",
            "为应对限塑政策，公司拟开发{polymer}改性材料及膜袋、餐具等制品，"
            "需要解决韧性差、耐热性不足和加工窗口窄的问题，产品通过可降解认证，成本较现有方案下降{pct}%。",
            "生物降解 {polymer} 增韧改性 可降解塑料",
            _F.NEW_MATERIALS,
            _D.PRODUCT_UPGRADE,
            _DEV,
            polymer=("聚乳酸PLA", "PBAT", "PBS"),
            pct=("10", "15", "20"),
        ),
        _t(
            "{base}无卤阻燃改性技术",
            "公司{base}产品用于电子电器外壳，下游客户要求无卤阻燃。需要开发磷氮系或无机阻燃体系，"
            "达到UL94 V-0级，力学性能保持率不低于{pct}%。",
            "无卤阻燃 {base} 改性塑料 UL94",
            _F.NEW_MATERIALS,
            _D.KEY_TECHNOLOGY,
            (_C.COMMISSIONED_DEVELOPMENT, _C.TRANSFER),
            base=("聚丙烯", "尼龙66", "PC/ABS合金"),
            pct=("80", "85", "90"),
        ),
        _t(
            "石墨烯{coating}涂料产业化技术",
            "公司拟将石墨烯应用于{coating}涂料，需解决石墨烯分散稳定性和规模化制备问题，"
            "涂层性能较传统产品提升{pct}%以上，形成年产千吨级生产工艺。",
            "石墨烯 {coating} 涂料 分散",
            _F.NEW_MATERIALS,
            _D.TECHNOLOGY_TRANSACTION,
            (_C.TRANSFER, _C.EQUITY),
            coating=("重防腐", "导热散热", "海洋防污"),
            pct=("30", "50"),
        ),
    ),
    LocalIndustry.NEW_ENERGY: (
        _t(
            "锂离子电池{anode}负极材料制备工艺开发",
            "公司现有年产{tons}吨负极材料产能，为提升锂电池能量密度和快充性能，需要开发{anode}负极材料"
            "的制备工艺，首次库伦效率不低于{ice}%，循环1000次容量保持率大于80%，并具备量产放大条件。",
            "锂离子电池 负极材料 {anode} 能量密度",
            _F.NEW_ENERGY,
            _D.KEY_TECHNOLOGY,
            (_C.JOINT_DEVELOPMENT, _C.TRANSFER),
            anode=("硅碳", "人造石墨", "硬碳", "氧化亚硅"),
            tons=("5000", "10000", "20000"),
            ice=("88", "90", "92"),
        ),
        _t(
            "磷酸铁锂正极材料{goal}技术",
            "公司储能电池用磷酸铁锂正极材料需实现{goal}，要求在碳包覆、离子掺杂或纳米化工艺上有成熟方案，"
            "满足储能电芯循环寿命{cycles}次以上的要求。",
            "磷酸铁锂 正极材料 锂电池 储能电池",
            _F.NEW_ENERGY,
            _D.PRODUCT_UPGRADE,
            _DEV,
            goal=("低温性能提升", "高压实密度", "长循环寿命"),
            cycles=("6000", "8000", "10000"),
        ),
        _t(
            "退役动力电池梯次利用与{step}技术",
            "随着新能源汽车保有量增长，公司拟布局退役锂电池回收业务，需要{step}方面的成熟技术，"
            "有价金属回收率不低于{pct}%，全过程满足环保要求。",
            "动力电池 梯次利用 电池回收 {step}",
            _F.ENVIRONMENT,
            _D.TECHNOLOGY_TRANSACTION,
            (_C.TRANSFER, _C.NEW_VENTURE),
            step=("快速分选检测", "湿法冶金回收", "自动化拆解"),
            pct=("95", "98"),
        ),
        _t(
            "{mw}兆瓦级海上风电机组{part}国产化",
            "公司为海上风电整机厂配套生产关键部件，{part}目前依赖进口，交货周期长。"
            "拟联合开展设计、材料与制造工艺攻关，实现{mw}兆瓦级机组{part}国产化替代并通过认证。",
            "海上风电 {part} 国产化 清洁能源装备",
            _F.NEW_ENERGY,
            _D.KEY_TECHNOLOGY,
            (_C.JOINT_DEVELOPMENT,),
            mw=("8", "12", "16"),
            part=("主轴承", "变桨轴承", "齿轮箱"),
        ),
        _t(
            "光伏电站{task}智能运维技术",
            "公司运营的分布式光伏电站总装机约{mw}兆瓦，人工巡检效率低。需要基于无人机和图像识别的{task}技术，"
            "实现组件热斑、隐裂等缺陷自动识别，识别准确率大于95%。",
            "光伏 智能运维 无人机巡检 缺陷识别",
            _F.NEW_ENERGY,
            _D.TECHNICAL_RENOVATION,
            (_C.SERVICE, _C.COMMISSIONED_DEVELOPMENT),
            task=("组件缺陷巡检", "发电量预测", "清洗机器人调度"),
            mw=("50", "120", "200"),
        ),
        _t(
            "氢燃料电池{part}关键材料研发",
            "公司拟进入氢能产业链，需要{part}的制备技术，性能指标达到国内同类产品先进水平，"
            "并形成中试生产能力，希望与高校院所共建研发中心。",
            "氢燃料电池 {part} 氢能 新能源",
            _F.NEW_ENERGY,
            _D.KEY_TECHNOLOGY,
            (_C.JOINT_DEVELOPMENT, _C.EQUITY),
            part=("质子交换膜", "金属双极板", "低铂催化剂"),
        ),
        _t(
            "储能系统电池管理系统（BMS）{algo}算法优化",
            "公司储能系统产品需提升电池管理系统的{algo}精度，要求在宽温度范围内误差小于{err}%，"
            "并实现电芯一致性在线评估与主动均衡。",
            "储能 电池管理系统 {algo} 锂电池",
            _F.NEW_ENERGY,
            _D.PRODUCT_UPGRADE,
            (_C.COMMISSIONED_DEVELOPMENT, _C.LICENSE),
            algo=("SOC估算", "SOH预测", "热失控预警"),
            err=("2", "3"),
        ),
    ),
    LocalIndustry.INTELLIGENT_EQUIPMENT: (
        _t(
            "基于机器视觉的{part}表面缺陷智能检测系统",
            "公司{part}生产线目前依靠人工目检，漏检率高、效率低。需要开发基于深度学习的视觉检测系统，"
            "检测节拍不大于{takt}秒/件，缺陷检出率大于99%，误判率小于1%，可与现有产线PLC对接。",
            "机器视觉 缺陷检测 深度学习 智能装备视觉检测",
            _F.ELECTRONIC_INFORMATION,
            _D.EQUIPMENT_IMPROVEMENT,
            (_C.COMMISSIONED_DEVELOPMENT, _C.TRANSFER),
            part=("轴承滚子", "药用玻璃瓶", "焊缝", "锂电池极片"),
            takt=("0.5", "1", "2"),
        ),
        _t(
            "{machine}数控系统精度提升与热误差补偿",
            "公司{machine}在连续加工时热变形导致精度漂移，需要热误差建模与实时补偿技术，"
            "使定位精度提高到{um}μm以内，并实现数控系统二次开发。",
            "数控机床 热误差补偿 精度 {machine}",
            _F.ADVANCED_MANUFACTURING,
            _D.TECHNICAL_RENOVATION,
            _DEV,
            machine=("立式加工中心", "数控车床", "龙门铣床"),
            um=("3", "5", "8"),
        ),
        _t(
            "港口{crane}远程操控与自动化改造",
            "为建设智慧港口，公司承接的{crane}自动化改造项目需要远程操控、防摇控制和集装箱自动识别技术，"
            "改造后单机作业效率提升{pct}%，实现一人多机。",
            "智慧港口 自动化码头 远程控制 {crane}",
            _F.ADVANCED_MANUFACTURING,
            _D.TECHNICAL_RENOVATION,
            (_C.JOINT_DEVELOPMENT, _C.SERVICE),
            crane=("岸边集装箱起重机", "轨道式场桥", "门座起重机"),
            pct=("15", "20", "30"),
        ),
        _t(
            "工业机器人{task}工作站开发",
            "公司拟为客户提供机器人{task}工作站，需要离线编程、视觉引导和柔性夹具设计等技术，"
            "工作站换型时间小于{minutes}分钟，满足多品种小批量生产。",
            "工业机器人 {task} 视觉引导 自动化",
            _F.ADVANCED_MANUFACTURING,
            _D.PRODUCT_UPGRADE,
            _DEV,
            task=("焊接", "码垛", "打磨抛光", "上下料"),
            minutes=("10", "15", "30"),
        ),
        _t(
            "{equipment}故障预测与健康管理平台",
            "公司{equipment}分布广、停机损失大，需要基于振动、温度等多源数据的故障预测与健康管理（PHM）平台，"
            "提前{days}天预警主要故障，实现预测性维护。",
            "故障诊断 预测性维护 工业互联网 {equipment}",
            _F.ELECTRONIC_INFORMATION,
            _D.KEY_TECHNOLOGY,
            (_C.COMMISSIONED_DEVELOPMENT, _C.SERVICE),
            equipment=("港口机械", "空压机组", "输送线"),
            days=("3", "7", "15"),
        ),
        _t(
            "智能仓储AGV集群调度算法优化",
            "公司智能仓储项目中{count}台AGV同时作业时拥堵、死锁频发，需要多AGV路径规划与任务调度算法，"
            "整体搬运效率提升{pct}%以上，可在现有调度系统中部署。",
            "AGV 调度算法 路径规划 智能仓储",
            _F.ELECTRONIC_INFORMATION,
            _D.KEY_TECHNOLOGY,
            (_C.COMMISSIONED_DEVELOPMENT, _C.LICENSE),
            count=("50", "100", "200"),
            pct=("15", "25"),
        ),
        _t(
            "大型{part}焊接变形控制工艺",
            "公司生产的大型{part}焊接后变形超差，矫形工作量大。需要焊接顺序优化、数值模拟和工装设计方案，"
            "将变形量控制在{mm}mm以内。",
            "焊接变形 数值模拟 工艺优化 {part}",
            _F.ADVANCED_MANUFACTURING,
            _D.TECHNICAL_RENOVATION,
            (_C.SERVICE, _C.CONSULTING),
            part=("起重机主梁", "压力容器", "风电塔筒"),
            mm=("2", "3", "5"),
        ),
    ),
    LocalIndustry.PORT_PETROCHEMICAL: (
        _t(
            "石化园区VOCs{step}技术",
            "公司装置区及罐区存在无组织VOCs排放，需要{step}方面的技术方案，"
            "满足江苏省化学工业挥发性有机物排放标准，非甲烷总烃去除率大于{pct}%。",
            "VOCs 废气治理 {step} 石化园区",
            _F.ENVIRONMENT,
            _D.TECHNICAL_RENOVATION,
            (_C.SERVICE, _C.COMMISSIONED_DEVELOPMENT),
            step=("泄漏检测与修复", "蓄热式焚烧治理", "在线监测溯源"),
            pct=("90", "95", "97"),
        ),
        _t(
            "高盐有机废水{process}处理及资源化",
            "公司每日产生高盐有机废水约{tons}吨，需要{process}等技术实现废水减量和盐资源化，"
            "结晶盐达到工业盐标准，实现近零排放。",
            "高盐废水 {process} 零排放 资源化",
            _F.ENVIRONMENT,
            _D.KEY_TECHNOLOGY,
            (_C.COMMISSIONED_DEVELOPMENT, _C.TRANSFER),
            process=("蒸发结晶", "膜分离浓缩", "催化湿式氧化"),
            tons=("300", "800", "1500"),
        ),
        _t(
            "{product}装置催化剂国产化替代",
            "公司{product}装置所用催化剂依赖进口，价格高、供货周期长。需要性能相当的国产催化剂及工业侧线试验，"
            "选择性和寿命不低于进口产品，成本降低{pct}%。",
            "催化剂 国产化 {product} 临港石化",
            _F.NEW_MATERIALS,
            _D.KEY_TECHNOLOGY,
            (_C.JOINT_DEVELOPMENT, _C.LICENSE),
            product=("乙二醇", "丙烷脱氢", "芳烃异构化", "环氧乙烷"),
            pct=("20", "30"),
        ),
        _t(
            "乙烯下游{chem}高端产品开发",
            "依托炼化一体化项目的乙烯资源，公司拟延伸产业链开发{chem}，"
            "需要聚合工艺、催化体系和牌号开发方面的技术合作，产品性能对标进口牌号。",
            "{chem} 高端聚烯烃 乙烯下游 产业链",
            _F.NEW_MATERIALS,
            _D.PRODUCT_UPGRADE,
            (_C.JOINT_DEVELOPMENT, _C.TRANSFER, _C.NEW_VENTURE),
            chem=("POE弹性体", "光伏级EVA", "超高分子量聚乙烯", "茂金属聚乙烯"),
        ),
        _t(
            "危化品{area}安全监测预警系统",
            "公司{area}储存多种易燃易爆介质，需要融合可燃气体检测、视频智能分析和数字孪生的安全监测预警系统，"
            "实现泄漏、火焰等风险秒级报警并与园区应急平台联动。",
            "危化品 安全监测 预警系统 数字孪生",
            _F.ELECTRONIC_INFORMATION,
            _D.TECHNICAL_RENOVATION,
            (_C.COMMISSIONED_DEVELOPMENT, _C.SERVICE),
            area=("储罐区", "装卸码头", "管廊"),
        ),
        _t(
            "二氧化碳捕集与{use}利用技术",
            "公司工艺尾气中CO2浓度较高，年排放量约{kt}万吨。需要低能耗捕集技术和{use}利用途径，"
            "捕集能耗低于2.4GJ/吨CO2，形成示范工程。",
            "二氧化碳捕集 CCUS {use} 减排",
            _F.ENVIRONMENT,
            _D.KEY_TECHNOLOGY,
            (_C.JOINT_DEVELOPMENT, _C.EQUITY),
            use=("制甲醇", "驱油封存", "制碳酸酯"),
            kt=("20", "50", "100"),
        ),
        _t(
            "{unit}换热网络节能优化与余热回收",
            "公司{unit}能耗偏高，低温余热大量浪费。需要夹点分析、换热网络优化和热泵回收技术方案，"
            "综合能耗降低{pct}%以上，投资回收期不超过3年。",
            "余热回收 换热网络 节能 热泵",
            _F.NEW_ENERGY,
            _D.CONSULTING,
            (_C.CONSULTING, _C.SERVICE),
            unit=("常减压装置", "芳烃联合装置", "精馏车间"),
            pct=("5", "8", "10"),
        ),
    ),
    LocalIndustry.MODERN_AGRICULTURE: (
        _t(
            "{mushroom}工厂化栽培新品种选育与配套工艺",
            "公司{mushroom}工厂化生产品种单一、生物学效率偏低，需要高产优质新品种及配套栽培工艺，"
            "生物学效率提高{pct}%以上，生产周期缩短。",
            "食用菌 工厂化栽培 品种选育 {mushroom}",
            _F.AGRICULTURE,
            _D.KEY_TECHNOLOGY,
            (_C.TRANSFER, _C.JOINT_DEVELOPMENT),
            mushroom=("金针菇", "杏鲍菇", "双孢蘑菇", "海鲜菇"),
            pct=("10", "15", "20"),
        ),
        _t(
            "富硒稻米{step}技术",
            "公司在东海县建有富硒水稻种植基地约{mu}亩，需要{step}技术，稳定稻米硒含量并提升品质和品牌价值。",
            "富硒 水稻 稻米加工 {step}",
            _F.AGRICULTURE,
            _D.TECHNICAL_RENOVATION,
            (_C.SERVICE, _C.CONSULTING),
            step=("叶面富硒施肥", "低损伤加工", "品质溯源"),
            mu=("3000", "5000", "10000"),
        ),
        _t(
            "{crop}采后保鲜与冷链物流技术",
            "公司{crop}采后损耗率达{pct}%，需要预冷、气调包装和保鲜剂等采后处理技术，"
            "冷链货架期延长一倍以上。",
            "保鲜 冷链 采后处理 {crop}",
            _F.AGRICULTURE,
            _D.KEY_TECHNOLOGY,
            (_C.TRANSFER, _C.SERVICE),
            crop=("葡萄", "草莓", "西兰花", "樱桃番茄"),
            pct=("15", "20", "25"),
        ),
        _t(
            "{waste}资源化利用技术",
            "公司每年产生{waste}约{tons}吨，需要将其转化为有机肥、栽培基质或饲料的成熟技术，"
            "实现资源化利用并降低处置成本。",
            "{waste} 资源化利用 有机肥 循环农业",
            _F.ENVIRONMENT,
            _D.TECHNOLOGY_TRANSACTION,
            (_C.TRANSFER, _C.LICENSE),
            waste=("食用菌菌渣", "稻麦秸秆", "稻壳"),
            tons=("5000", "10000", "30000"),
        ),
        _t(
            "设施农业智能水肥一体化系统",
            "公司连栋温室约{mu}亩，需要基于土壤墒情和作物生长模型的智能水肥一体化系统，"
            "节水节肥30%以上，支持手机端远程管理。",
            "水肥一体化 物联网 设施农业 智能灌溉",
            _F.AGRICULTURE,
            _D.EQUIPMENT_IMPROVEMENT,
            (_C.COMMISSIONED_DEVELOPMENT, _C.SERVICE),
            mu=("200", "500", "800"),
        ),
        _t(
            "{crop}病虫害绿色防控技术",
            "基地{crop}病虫害发生较重，化学农药使用量大。需要生物防治、理化诱控和精准施药等绿色防控技术，"
            "化学农药用量减少{pct}%以上。",
            "病虫害 绿色防控 生物农药 {crop}",
            _F.AGRICULTURE,
            _D.CONSULTING,
            (_C.SERVICE, _C.CONSULTING),
            crop=("水稻", "小麦", "设施蔬菜"),
            pct=("20", "30"),
        ),
        _t(
            "{food}精深加工工艺开发",
            "公司拟延伸农产品加工链，开发{food}类精深加工产品，需要配方、工艺和保质期研究，"
            "产品附加值提高一倍以上。",
            "精深加工 功能食品 {food} 农产品加工",
            _F.AGRICULTURE,
            _D.PRODUCT_UPGRADE,
            (_C.TRANSFER, _C.JOINT_DEVELOPMENT),
            food=("米糠营养", "菌菇休闲食品", "富硒米粉", "蔬菜脆片"),
        ),
    ),
    LocalIndustry.MARINE: (
        _t(
            "海产品{product}保鲜与冷链物流技术",
            "公司{product}等海产品年加工量约{tons}吨，运输和贮藏中品质下降快。"
            "需要冰温保鲜、生物保鲜剂或气调包装等海产品保鲜技术，货架期延长{days}天以上。",
            "海产品保鲜 冷链 {product} 水产品加工",
            _F.AGRICULTURE,
            _D.KEY_TECHNOLOGY,
            (_C.TRANSFER, _C.COMMISSIONED_DEVELOPMENT),
            product=("对虾", "梭子蟹", "带鱼", "贝类"),
            tons=("3000", "8000", "15000"),
            days=("5", "7", "10"),
        ),
        _t(
            "紫菜{product}精深加工与品质提升",
            "连云港是全国条斑紫菜主产区，公司需要{product}方面的技术，提高紫菜产品附加值，"
            "解决加工中色泽劣变、异物去除等问题。",
            "紫菜 精深加工 {product} 藻类",
            _F.AGRICULTURE,
            _D.PRODUCT_UPGRADE,
            (_C.TRANSFER, _C.JOINT_DEVELOPMENT),
            product=("即食海苔", "紫菜多糖提取", "藻红蛋白提取"),
        ),
        _t(
            "{tech}海水淡化技术及能量回收",
            "公司拟为海岛和临港工业园区提供海水淡化装备，需要{tech}海水淡化工艺及高效能量回收装置，"
            "吨水电耗低于{kwh}千瓦时，膜组件国产化。",
            "海水淡化 {tech} 能量回收 反渗透膜",
            _F.ENVIRONMENT,
            _D.KEY_TECHNOLOGY,
            (_C.JOINT_DEVELOPMENT, _C.TRANSFER),
            tech=("反渗透", "低温多效", "膜蒸馏"),
            kwh=("3", "3.5", "4"),
        ),
        _t(
            "海洋牧场{item}智能监测系统",
            "公司在海州湾建设海洋牧场约{ha}公顷，需要{item}在线监测与数据平台，实现水质预警和养殖决策支持。",
            "海洋牧场 水质监测 物联网 {item}",
            _F.ELECTRONIC_INFORMATION,
            _D.EQUIPMENT_IMPROVEMENT,
            (_C.COMMISSIONED_DEVELOPMENT, _C.SERVICE),
            item=("水质与溶解氧", "鱼群声学", "水下视频"),
            ha=("500", "1000", "2000"),
        ),
        _t(
            "工厂化循环水养殖{species}技术",
            "公司拟建设工厂化循环水养殖车间，养殖{species}，需要水处理工艺、养殖密度控制和病害防控技术，"
            "单位水体产量达到{kg}公斤/立方米。",
            "循环水养殖 水产养殖 {species} 病害防控",
            _F.AGRICULTURE,
            _D.KEY_TECHNOLOGY,
            (_C.SERVICE, _C.JOINT_DEVELOPMENT),
            species=("南美白对虾", "石斑鱼", "海参", "大菱鲆"),
            kg=("10", "20", "30"),
        ),
        _t(
            "船舶与海工结构{coating}防腐防污涂层",
            "公司需要适用于海洋浪溅区和全浸区的{coating}涂层，耐盐雾{hours}小时以上，"
            "满足船舶和海上风电基础的长效防护要求。",
            "海洋防腐 防污涂层 船舶 {coating}",
            _F.NEW_MATERIALS,
            _D.PRODUCT_UPGRADE,
            (_C.TRANSFER, _C.LICENSE),
            coating=("环保无锡防污", "石墨烯改性重防腐", "热喷涂铝锌"),
            hours=("3000", "5000"),
        ),
        _t(
            "海洋生物{product}酶解提取技术",
            "公司水产加工副产物（鱼皮、鱼鳞、虾头）年产生量约{tons}吨，需要酶解和分离纯化技术，"
            "制备{product}，实现高值化利用。",
            "海洋生物 酶解 {product} 高值化利用",
            _F.BIOMEDICINE,
            _D.TECHNOLOGY_TRANSACTION,
            (_C.TRANSFER, _C.JOINT_DEVELOPMENT),
            product=("胶原蛋白肽", "甲壳素", "鱼油"),
            tons=("500", "1000", "3000"),
        ),
    ),
}

EXPECTATIONS = (
    "拟通过{mode}方式与高校、科研院所合作，项目周期约{months}个月，公司可提供中试场地、检测条件和配套资金。",
    "欢迎拥有相关成果或研发能力的团队洽谈，可采取{mode}等方式，成果须具有自主知识产权。",
    "公司已组建{people}人研发团队，希望以{mode}方式联合攻关，并共同申报省市科技计划项目。",
    "希望{months}个月内完成技术验证并实现产业化，合作方式以{mode}为主，可面谈。",
)
RETURN_REASONS = (
    "需求描述不够清晰：请补充现有工艺、关键技术指标和期望达到的目标。",
    "技术路径不明确，建议技术经纪人协助开展需求诊断后重新提交。",
    "联系方式或意向投入信息不完整，请补充后提交。",
)
