"""Demo demands: enterprises' technology needs filled in from app.demo.demand_templates."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from app.core.enums import Confidentiality, ListingStatus, LocalIndustry
from app.demo.common import history, mobile, person_name, pick_status, wan_to_fen
from app.demo.demand_templates import EXPECTATIONS, RETURN_REASONS, TEMPLATES, DemandTemplate
from app.demo.network import ENTERPRISES, OrgSpec
from app.industries.mapping import DEFAULT_MAPPING

DEMAND_COUNT = 100
CLIENT_KEY_PREFIX = "demo-demand-"

_STATUSES = {
    ListingStatus.PUBLISHED: 68,
    ListingStatus.SUBMITTED: 16,
    ListingStatus.DRAFT: 7,
    ListingStatus.RETURNED: 6,
    ListingStatus.CLOSED: 3,
}
_SLOT = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True, slots=True)
class DemoDemand:
    client_key: str
    owner_key: str
    # The demands row, except what the loader knows: organization, region, creator, reviewer id
    # (reviewed_by_id holds a reviewer key) and search_text.
    row: dict[str, Any]


# The templates (indexes into the industry's list) that fit each enterprise's business, its flagship
# need first; after these an enterprise draws on the rest of its industry's list.
NEEDS: dict[str, tuple[int, ...]] = {
    "kangrui-pharma": (0, 4, 1, 6),
    "hengji-bio": (3, 1, 5),
    "zhengyuan-tcm": (2, 1),
    "yunying-carbon": (0, 1),
    "jingsheng-quartz": (2, 3),
    "haida-polymer": (4, 5, 6),
    "hanhai-energy": (0, 1, 6, 2),
    "haifeng-power": (3, 4, 5),
    "gangcheng-equipment": (0, 2, 3, 6),
    "liangang-cnc": (1, 4, 3),
    "zhigang-logistics": (5, 2, 4),
    "shenghai-petrochem": (2, 3, 0, 5, 6),
    "xuwei-fine-chem": (1, 4, 0),
    "jingu-mushroom": (0, 3, 6),
    "tianyuan-rice": (1, 5, 4, 6),
    "haizhiyuan-seafood": (0, 4, 6),
    "zicai-group": (1, 3, 2),
}


def generate(rng: random.Random, now: datetime) -> list[DemoDemand]:
    """DEMAND_COUNT demands, spread over the enterprises in turn.

    Each enterprise's first demand is its flagship need, published and open, so that those
    (锂离子电池负极材料, 原料药绿色合成, ...) are found whatever the seed."""
    queues = {enterprise.key: _queue(rng, enterprise) for enterprise in ENTERPRISES}
    demands = []
    for index in range(DEMAND_COUNT):
        enterprise = ENTERPRISES[index % len(ENTERPRISES)]
        queue = queues[enterprise.key]
        template = queue[(index // len(ENTERPRISES)) % len(queue)]
        flagship = index < len(ENTERPRISES)
        demands.append(_demand(rng, now, index + 1, enterprise, template, flagship=flagship))
    return demands


def _queue(rng: random.Random, enterprise: OrgSpec) -> list[DemandTemplate]:
    """The enterprise's own needs (flagship first, the others shuffled), then its industry's others."""
    if enterprise.industry is None:
        raise ValueError(f"demo enterprise {enterprise.key} has no industry")
    templates = TEMPLATES[enterprise.industry]
    flagship, *own = NEEDS[enterprise.key]
    others = [index for index in range(len(templates)) if index not in NEEDS[enterprise.key]]
    rng.shuffle(own)
    rng.shuffle(others)
    return [templates[index] for index in (flagship, *own, *others)]


def _demand(
    rng: random.Random,
    now: datetime,
    index: int,
    enterprise: OrgSpec,
    template: DemandTemplate,
    *,
    flagship: bool,
) -> DemoDemand:
    values = {name: rng.choice(options) for name, options in template.slots.items()}
    modes = list(template.modes)
    expectation = rng.choice(EXPECTATIONS).format(
        mode=modes[0].label, months=rng.choice((6, 12, 18, 24)), people=rng.choice((5, 8, 12, 20))
    )
    description = f"{enterprise.name}是{enterprise.description}{_fill(template.need, values)}{expectation}"
    status = ListingStatus.PUBLISHED if flagship else pick_status(rng, _STATUSES)
    lifecycle = history(rng, now, status, enterprise.region, RETURN_REASONS)
    row: dict[str, Any] = {
        "title": _fill(template.title, values),
        "description": description,
        "tech_field": template.tech_field,
        "local_industry": _named_industry(enterprise, template),
        "demand_type": template.demand_type,
        "cooperation_modes": modes,
        "keywords": list(dict.fromkeys(_fill(word, values) for word in template.keywords)),
        **_budget(rng),
        "valid_until": _deadline(rng, now.date(), lifecycle["created_at"].date(), open_=flagship),
        "confidentiality": Confidentiality.PUBLIC,
        "confidential_detail": "",
        "contact_name": person_name(rng),
        "contact_phone": mobile(rng),
        "client_key": f"{CLIENT_KEY_PREFIX}{index:04d}",
        **lifecycle,
    }
    if rng.random() < 0.1:
        row["confidentiality"] = Confidentiality.NDA
        row["confidential_detail"] = "现有工艺流程图、关键设备参数和质量数据，签署保密协议后提供。"
    return DemoDemand(row["client_key"], enterprise.key, row)


def _named_industry(enterprise: OrgSpec, template: DemandTemplate) -> LocalIndustry | None:
    """The enterprise names its industry where the field alone would not say it: a 海参 farm's
    agriculture demand (农业 maps to 现代农业 and 海洋), a petrochemical plant's VOCs (环境保护 maps to
    临港石化 and 海洋), a marine ranch's monitoring system (电子信息 maps to 高端智能装备)."""
    if DEFAULT_MAPPING[template.tech_field] == (enterprise.industry,):
        return None
    return enterprise.industry


def _fill(text: str, values: dict[str, str]) -> str:
    return _SLOT.sub(lambda match: values[match.group(1)], text)


def _budget(rng: random.Random) -> dict[str, Any]:
    """意向投入: a range in fen, or 面议 (about a third)."""
    if rng.random() < 0.35:
        return {"budget_min_fen": None, "budget_max_fen": None, "is_budget_negotiable": True}
    low = rng.choice((10, 20, 30, 50, 80, 100, 150, 200, 300, 500))
    high = low * rng.choice((1.5, 2, 3, 4))
    return {
        "budget_min_fen": wan_to_fen(low),
        "budget_max_fen": wan_to_fen(high),
        "is_budget_negotiable": False,
    }


def _deadline(rng: random.Random, today: date, created: date, *, open_: bool) -> date:
    """A validity of six months to two years from posting; about one in six has passed (expired)."""
    if not open_ and rng.random() < 0.17:
        return max(today - timedelta(days=rng.randint(3, 90)), created + timedelta(days=7))
    return max(created + timedelta(days=rng.choice((180, 365, 540, 730))), today + timedelta(days=30))
