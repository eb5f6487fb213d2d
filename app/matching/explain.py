"""A result explained in a sentence a broker can read to an enterprise:
领域一致（新材料及其应用）；成熟度 TRL7 满足技术改造；报价在预算内。

Pure: the caller passes the labels of the stable keys in the language it answers in, each under
"<vocabulary>:<key>" (tech_field:new_materials, local_industry:new_materials, mode:transfer,
demand_type:technical_renovation), since one key may name different things; an unknown key is shown
as it is.
"""

from __future__ import annotations

from collections.abc import Mapping

from app.matching.records import Contribution, Result

_MAX_TERMS = 4

_ZH = {
    "terms": "关键词吻合：{terms}",
    "tech_field.same": "领域一致（{field}）",
    "tech_field.related": "领域相近（{field}）",
    "tech_field.different": "领域不同（{field}）",
    "local_industry": "同属本地产业（{industries}）",
    "local_industry.none": "本地产业不同",
    "modes": "合作方式相符（{modes}）",
    "modes.none": "合作方式不符",
    "price.within": "报价在预算内",
    "price.over": "报价超出预算",
    "price.negotiable": "价格面议",
    "maturity.fits": "成熟度 TRL{trl} 满足{demand_type}",
    "maturity.short": "成熟度 TRL{trl} 低于{demand_type}的要求",
    "region.same_district": "同一区县",
    "region.same_city": "同在本市",
    "topic": "主题相近",
    "separator": "；",
    "end": "。",
    "list": "、",
}
_EN = {
    "terms": "shared terms: {terms}",
    "tech_field.same": "same field ({field})",
    "tech_field.related": "related field ({field})",
    "tech_field.different": "different field ({field})",
    "local_industry": "same local industry ({industries})",
    "local_industry.none": "different local industry",
    "modes": "cooperation mode fits ({modes})",
    "modes.none": "cooperation mode does not fit",
    "price.within": "price within budget",
    "price.over": "price over budget",
    "price.negotiable": "price negotiable",
    "maturity.fits": "maturity TRL{trl} suits {demand_type}",
    "maturity.short": "maturity TRL{trl} is early for {demand_type}",
    "region.same_district": "same district",
    "region.same_city": "same city",
    "topic": "related topic",
    "separator": "; ",
    "end": ".",
    "list": ", ",
}
# The topic model's part is named only when it is at least this share of its weight.
_TOPIC_SHOWN = 0.3


def sentence(
    result: Result, labels: Mapping[str, str], *, language: str = "zh", topic_weight: float = 1.0
) -> str:
    """The reasons for `result`, strongest kinds first: shared words, then each structured feature
    that said something worth saying."""
    texts = _ZH if language == "zh" else _EN
    parts = []
    if result.matched_terms:
        terms = texts["list"].join(result.matched_terms[:_MAX_TERMS])
        parts.append(texts["terms"].format(terms=terms))
    for contribution in result.contributions:
        part = _part(contribution, labels, texts, topic_weight)
        if part:
            parts.append(part)
    return texts["separator"].join(parts) + texts["end"] if parts else ""


def _part(
    contribution: Contribution, labels: Mapping[str, str], texts: Mapping[str, str], topic_weight: float
) -> str | None:
    detail = contribution.detail

    def label(vocabulary: str, key: object) -> str:
        return labels.get(f"{vocabulary}:{key}", str(key))

    def listed(vocabulary: str, keys: object) -> str:
        if not isinstance(keys, list | tuple):
            return ""
        return texts["list"].join(label(vocabulary, key) for key in keys)

    relation = detail.get("relation")
    shown: str | None = None
    match contribution.feature:
        case "tech_field":
            shown = texts[f"tech_field.{relation}"].format(field=label("tech_field", detail["field"]))
        case "local_industry":
            shared = detail["shared"]
            shown = (
                texts["local_industry"].format(industries=listed("local_industry", shared))
                if shared
                else texts["local_industry.none"]
            )
        case "modes":
            served = detail["served"]
            shown = texts["modes"].format(modes=listed("mode", served)) if served else texts["modes.none"]
        case "price":
            shown = texts[f"price.{relation}"]
        case "maturity":
            key = "maturity.fits" if detail["fits"] else "maturity.short"
            shown = texts[key].format(
                trl=detail["trl"], demand_type=label("demand_type", detail["demand_type"])
            )
        case "region" if relation != "elsewhere":
            shown = texts[f"region.{relation}"]
        case "topic" if topic_weight and contribution.score >= _TOPIC_SHOWN * topic_weight:
            shown = texts["topic"]
    return shown
