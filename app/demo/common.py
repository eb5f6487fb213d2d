"""Small deterministic generators the demo listings share: people, phones, money, review history."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from app.core.enums import ListingStatus
from app.demo.network import HAIZHOU

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋"
    "蔡余杜叶程苏魏吕丁沈姚卢姜崔陆范金石贾夏方邹孟秦江薛段雷侯史陶顾毛邵万钱严戴"
)
GIVEN_NAMES = (
    "建华", "志强", "晓燕", "海涛", "文博", "丽娟", "国庆", "春雷", "明辉", "思远", "雪梅", "立军", "佳琪",
    "宇航", "子涵", "振宇", "红霞", "永刚", "静怡", "浩然", "晓峰", "秀英", "德明", "玉兰", "伟", "敏",
    "磊", "静", "婷", "军", "洋", "勇", "杰", "娜", "强", "涛", "鹏", "芳", "斌", "华",
)  # fmt: skip
_FEN_PER_WAN = 10_000 * 100  # 1 万元 in fen


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)


def mobile(rng: random.Random) -> str:
    """A mainland mobile number (1[3-9] and nine digits)."""
    return f"1{rng.choice('35789')}{rng.randrange(10**9):09d}"


def wan_to_fen(wan: float) -> int:
    return round(wan * _FEN_PER_WAN)


def pick_status(rng: random.Random, weights: dict[ListingStatus, int]) -> ListingStatus:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


AGENCY_REVIEWER = "agency"
DISTRICT_REVIEWER = "district"


def reviewer_for(rng: random.Random, region_key: str) -> str:
    """Who reviewed a listing: the city's agency, or half the time Haizhou's administrator for Haizhou's.

    A key, not an id: the loader puts the reviewing account's id in its place."""
    if region_key == HAIZHOU and rng.random() < 0.5:
        return DISTRICT_REVIEWER
    return AGENCY_REVIEWER


def history(
    rng: random.Random, now: datetime, status: ListingStatus, region_key: str, return_reasons: tuple[str, ...]
) -> dict[str, Any]:
    """The lifecycle columns of a listing that reached `status` through the normal review path
    (`reviewed_by_id` holds a reviewer key, see reviewer_for)."""
    reviewer = reviewer_for(rng, region_key)
    created = now - timedelta(days=rng.randint(20, 420), minutes=rng.randrange(24 * 60))
    values: dict[str, Any] = {
        "status": status,
        "created_at": created,
        "updated_at": created,
        "submitted_at": None,
        "published_at": None,
        "closed_at": None,
        "reviewed_by_id": None,
        "review_reason": None,
        "revision": 0,
        "version": 1,
    }
    if status == ListingStatus.DRAFT:
        return values
    submitted = created + timedelta(hours=rng.randint(1, 72))
    values |= {"submitted_at": submitted, "updated_at": submitted, "version": 2}
    reviewed = submitted + timedelta(hours=rng.randint(4, 240))
    if status == ListingStatus.RETURNED:
        values |= {"reviewed_by_id": reviewer, "review_reason": rng.choice(return_reasons)}
        values |= {"updated_at": reviewed, "version": 3}
    elif status in (ListingStatus.PUBLISHED, ListingStatus.CLOSED):
        values |= {"published_at": reviewed, "reviewed_by_id": reviewer, "revision": 1}
        values |= {"updated_at": reviewed, "version": 3}
        if status == ListingStatus.CLOSED:
            closed = min(reviewed + timedelta(days=rng.randint(10, 120)), now - timedelta(days=1))
            values |= {"closed_at": closed, "updated_at": closed, "version": 4}
    return values
