"""The default mapping and the rule that gives a listing its local industries (pure; no database).

The reasons for each default are in docs/decisions.md ("The local industry mapping"); the migration
that seeds it keeps its own copy, and a test holds the two together.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from app.core.enums import LocalIndustry, TechField

_F, _I = TechField, LocalIndustry
DEFAULT_MAPPING: Mapping[TechField, tuple[LocalIndustry, ...]] = {
    _F.ELECTRONIC_INFORMATION: (_I.INTELLIGENT_EQUIPMENT,),
    _F.AEROSPACE: (_I.INTELLIGENT_EQUIPMENT,),
    _F.ADVANCED_MANUFACTURING: (_I.INTELLIGENT_EQUIPMENT,),
    _F.BIOMEDICINE: (_I.NEW_MEDICINE,),
    _F.NEW_MATERIALS: (_I.NEW_MATERIALS,),
    _F.NEW_ENERGY: (_I.NEW_ENERGY,),
    # Pollution control of the petrochemical base; seawater desalination and marine ecology.
    _F.ENVIRONMENT: (_I.PORT_PETROCHEMICAL, _I.MARINE),
    # Tianwan nuclear power station.
    _F.NUCLEAR: (_I.NEW_ENERGY,),
    # Crops, livestock and food; mariculture (紫菜, 对虾, 海参) and seafood processing.
    _F.AGRICULTURE: (_I.MODERN_AGRICULTURE, _I.MARINE),
    # Rail and road vehicles and their equipment; ships, the port and shipping.
    _F.MODERN_TRANSPORT: (_I.INTELLIGENT_EQUIPMENT, _I.MARINE),
    _F.URBAN_SOCIAL: (),
}

_ORDER = {industry: position for position, industry in enumerate(LocalIndustry)}


def in_policy_order(industries: Iterable[LocalIndustry]) -> tuple[LocalIndustry, ...]:
    """Distinct, in the order the policy names the industries (新医药, 新材料, …, 海洋)."""
    return tuple(sorted(set(industries), key=_ORDER.__getitem__))


def local_industries(explicit: LocalIndustry | None, mapped: Iterable[LocalIndustry]) -> list[LocalIndustry]:
    """What a listing counts under: the industry it names, or else those its field maps to."""
    if explicit is not None:
        return [explicit]
    return list(in_policy_order(mapped))
