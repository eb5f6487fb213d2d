"""What an achievement is made of, for everything that builds or indexes one (see app/listings/spec.py)."""

from __future__ import annotations

from app.achievements.schemas import AchievementCreate, PatentIn, patent_type
from app.listings.spec import NUMBER_PREFIXES, KindSpec, SearchField
from app.models import Achievement, Patent


def patent_row(achievement_id: int, patent: PatentIn) -> Patent:
    return Patent(
        achievement_id=achievement_id,
        application_number=patent.application_number,
        patent_type=patent_type(patent.application_number),
        status=patent.status,
        title=patent.title,
    )


def patent_rows(achievement: Achievement, data: AchievementCreate) -> list[Patent]:
    """The patent rows of a stored (flushed) achievement."""
    return [patent_row(achievement.id, patent) for patent in data.patents]


ACHIEVEMENT: KindSpec[Achievement, AchievementCreate] = KindSpec(
    name="achievement",
    plural="achievements",
    number_prefix=NUMBER_PREFIXES["achievement"],
    model=Achievement,
    create_schema=AchievementCreate,
    search_fields=(
        SearchField("title", weight=3),
        SearchField("abstract"),
        SearchField("public_summary"),
        SearchField("keywords", weight=2, is_list=True),
        SearchField("application_industries", weight=2, is_list=True),
    ),
    child_fields=frozenset({"patents"}),
    children=patent_rows,
)
