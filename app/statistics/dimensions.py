"""What a tally cuts by, on which side, in which calendar buckets, and how a key reads (pure).

A key's `value` is what a client filters or links by (a period such as `2026-03`, a region id, an enum
code); its `label` is what people read, in the request's language: an enum's Chinese label or its code
in English (as everywhere in the API), a region's name, `2026年3月` / `2026-03`.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.enums import (
    ContractType,
    IpForm,
    LabelledEnum,
    LocalIndustry,
    PartyKind,
    PlanCategory,
    TechField,
)
from app.core.i18n import Language, current_language, msg, render

# A tally cuts by one or two dimensions.
MAX_DIMENSIONS = 2


class Dimension(LabelledEnum):
    PERIOD = "period", "时间"
    REGION = "region", "地区"
    CONTRACT_TYPE = "contract_type", "合同类型"
    TECH_FIELD = "tech_field", "技术领域"
    INDUSTRY = "industry", "本地产业"
    SELLER_KIND = "seller_kind", "卖方类型"
    BUYER_KIND = "buyer_kind", "买方类型"
    IP_TYPE = "ip_type", "知识产权类型"
    PLAN_CATEGORY = "plan_category", "计划类别"


class Side(LabelledEnum):
    """Output (输出) counts a contract where its seller is; absorption (吸纳) where its buyer is."""

    OUTPUT = "output", "输出"
    ABSORPTION = "absorption", "吸纳"


class PeriodBucket(LabelledEnum):
    MONTH = "month", "月"
    QUARTER = "quarter", "季度"
    YEAR = "year", "年"


class PartySide(LabelledEnum):
    SELLER = "seller", "卖方"
    BUYER = "buyer", "买方"


class Measure(LabelledEnum):
    """The figures of a tally's file, in column order (amounts in fen, and in 万元 beside them)."""

    COUNT = "count", "合同数"
    TOTAL_FEN = "total_fen", "成交额（分）"
    TOTAL_WAN_YUAN = "total_wan_yuan", "成交额（万元）"
    TECHNICAL_INCOME_FEN = "technical_income_fen", "技术交易额（分）"
    TECHNICAL_INCOME_WAN_YUAN = "technical_income_wan_yuan", "技术交易额（万元）"
    IUR_COUNT = "iur_count", "产学研合同数"


# The dimensions whose values are a vocabulary of the API, in the vocabulary's order.
ENUM_OF: dict[Dimension, type[LabelledEnum]] = {
    Dimension.CONTRACT_TYPE: ContractType,
    Dimension.TECH_FIELD: TechField,
    Dimension.INDUSTRY: LocalIndustry,
    Dimension.SELLER_KIND: PartyKind,
    Dimension.BUYER_KIND: PartyKind,
    Dimension.IP_TYPE: IpForm,
    Dimension.PLAN_CATEGORY: PlanCategory,
}


def parse_by(text: str) -> tuple[Dimension, ...]:
    """`period,region` as dimensions, in the order given (a name given twice counts once). The
    query's pattern has already admitted only known names, one or two of them."""
    return tuple(dict.fromkeys(Dimension(name.strip()) for name in text.split(",")))


def shown(value: LabelledEnum) -> str:
    """A vocabulary value as people read it: its Chinese label, or its code in English."""
    return value.label if current_language() is Language.ZH else value.value


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """A calendar bucket: a month (`quarter` and `month` set accordingly), a quarter or a year."""

    year: int
    quarter: int | None = None
    month: int | None = None

    @classmethod
    def of(cls, bucket: PeriodBucket, year: int, part: int | None) -> Period:
        if bucket is PeriodBucket.MONTH and part is not None:
            return cls(year, (part + 2) // 3, part)
        if bucket is PeriodBucket.QUARTER and part is not None:
            return cls(year, part)
        return cls(year)

    @property
    def value(self) -> str:
        """`2026-03`, `2026-Q1` or `2026`: sortable, and what `calendar_bucket` gives."""
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        if self.quarter is not None:
            return f"{self.year:04d}-Q{self.quarter}"
        return f"{self.year:04d}"

    def label(self) -> str:
        if self.month is not None:
            return render(msg("{year}-{month:02d}", year=self.year, month=self.month))
        if self.quarter is not None:
            return render(msg("{year}-Q{quarter}", year=self.year, quarter=self.quarter))
        return render(msg("{year}", year=self.year))
