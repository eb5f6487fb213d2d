"""The statistics' request and response bodies."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from annotated_types import Interval
from pydantic import ConfigDict, Field, StringConstraints

from app.core.enums import TargetMetric
from app.core.schemas import MAX_ID, WHOLE_NUMBER_ONLY, EntityId, InputModel, OutputModel
from app.statistics import service
from app.statistics.dimensions import Dimension, PeriodBucket, Side
from app.statistics.repository import Figures

# The years a tally or a target may name.
MIN_YEAR, MAX_YEAR = 1900, 2999


class FiguresRead(OutputModel):
    count: int = Field(description="Registered contracts (a cancellation takes one away; a change none)")
    total_fen: int = Field(description="合同成交额, in fen")
    technical_income_fen: int = Field(description="技术交易额, in fen")
    iur_count: int = Field(description="产学研 contracts: an enterprise with a university or institute")

    @classmethod
    def of(cls, figures: Figures) -> FiguresRead:
        count, total, income, iur = figures
        return cls(count=count, total_fen=total, technical_income_fen=income, iur_count=iur)


class KeyRead(OutputModel):
    value: str | int | None = Field(
        description="The group: a period (2026-03, 2026-Q1, 2026), a region id (null: outside the "
        "network), a vocabulary code (null industry: mapped to none)"
    )
    label: str = Field(description="How the group reads, in the response's language")


class TallyRowRead(OutputModel):
    keys: dict[str, KeyRead] = Field(description="The row's group in each dimension of `by`")
    count: int
    total_fen: int
    technical_income_fen: int
    iur_count: int

    @classmethod
    def of(cls, row: service.Row) -> TallyRowRead:
        count, total, income, iur = row.figures
        return cls(
            keys={
                dimension.value: KeyRead(value=key.value, label=key.label)
                for dimension, key in row.keys.items()
            },
            count=count,
            total_fen=total,
            technical_income_fen=income,
            iur_count=iur,
        )


class TallyRead(OutputModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    by: list[Dimension]
    side: Side
    period: PeriodBucket = Field(description="The bucket of the period dimension")
    from_: date = Field(alias="from", description="First day counted")
    to: date = Field(description="Last day counted")
    region_id: int | None = Field(
        description="The region whose subtree is counted (its children are the region dimension's rows); "
        "null: a district administrator's several districts"
    )
    rows: list[TallyRowRead] = Field(description="Groups with any non-zero figure, in the dimensions' order")
    totals: FiguresRead = Field(
        description="Every entry counted, once: the sum of the rows, except by industry, where an entry "
        "counts under each local industry its field maps to"
    )

    @classmethod
    def of(cls, tally: service.Tally) -> TallyRead:
        cut = tally.cut
        return cls(
            by=list(cut.by),
            side=cut.side,
            period=cut.bucket,
            from_=cut.start,
            to=cut.end,
            region_id=tally.region_id,
            rows=[TallyRowRead.of(row) for row in tally.rows],
            totals=FiguresRead.of(tally.totals),
        )


class TopPartyRead(OutputModel):
    rank: int
    name: str
    count: int
    total_fen: int
    technical_income_fen: int
    iur_count: int

    @classmethod
    def of(cls, party: service.Party) -> TopPartyRead:
        count, total, income, iur = party.figures
        return cls(
            rank=party.rank,
            name=party.name,
            count=count,
            total_fen=total,
            technical_income_fen=income,
            iur_count=iur,
        )


class TargetProgressRead(OutputModel):
    metric: TargetMetric
    region_id: int
    region_name: str
    year: int
    value: int = Field(description="The target, in the metric's unit: fen for total_fen, else a count")
    source: str
    actual: int = Field(
        description="Reached so far: 成交额 of the region's sellers (total_fen), 产学研 contracts "
        "(iur_projects), or verified technology-transfer agencies in the region (agencies)"
    )
    progress: float | None = Field(description="actual / value, to 4 decimals (null for a zero target)")
    forecast: int | None = Field(
        description="The year's end, linearly: actual × days_in_year / days_elapsed this year, the actual "
        "figure for a past year, today's count for agencies, null for a year to come"
    )
    etag: str = Field(description="Send it as If-Match to replace the target")

    @classmethod
    def of(cls, item: service.Progress) -> TargetProgressRead:
        target = item.target
        return cls(
            metric=target.metric,
            region_id=target.region_id,
            region_name=item.region_name,
            year=target.year,
            value=target.value,
            source=target.source,
            actual=item.actual,
            progress=item.progress,
            forecast=item.forecast,
            etag=service.target_etag(target),
        )


class TargetsRead(OutputModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    year: int
    as_of: date = Field(description="Today, the day progress is measured on")
    from_: date = Field(alias="from", description="First day counted")
    to: date = Field(description="Last day counted: today in the current year")
    days_elapsed: int = Field(description="Days of the year counted (0 for a year to come)")
    days_in_year: int
    items: list[TargetProgressRead]

    @classmethod
    def of(cls, report: service.TargetReport) -> TargetsRead:
        measured = report.year
        return cls(
            year=measured.year,
            as_of=measured.as_of,
            from_=measured.start,
            to=measured.end,
            days_elapsed=measured.days_elapsed,
            days_in_year=measured.days_in_year,
            items=[TargetProgressRead.of(item) for item in report.items],
        )


class TargetSet(InputModel):
    region_id: EntityId | None = Field(default=None, description="Default: the network's city")
    value: Annotated[int, Interval(ge=0, le=MAX_ID), WHOLE_NUMBER_ONLY] = Field(
        description="In the metric's unit: fen for total_fen, else a count"
    )
    source: Annotated[str, StringConstraints(max_length=200)] = Field(
        default="", description="Where the target comes from (a policy document)"
    )
