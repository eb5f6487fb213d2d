"""Reading cells and writing them back: pure functions, no database."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from decimal import Decimal

import pytest

from app.core.enums import Confidentiality, MaturityStage, TransferMode
from app.demands.kind import DEMAND
from app.imports.tokenizing import Derived, Source, Tokenizer, derived_texts
from app.models import Demand
from app.tabular import cells
from app.tabular.columns import fen_to_yuan
from app.tabular.errors import CellError
from app.tabular.reading import decode_text
from app.tabular.writing import CsvWriter, neutralise


@pytest.mark.parametrize(
    ("cell", "fen"),
    [
        ("500000", 50_000_000),
        ("1,234.56", 123_456),
        ("1，000元", 100_000),
        (" 12.5 ", 1250),
        (3000000, 300_000_000),
        (1234.56, 123_456),
        (Decimal("0.01"), 1),
        (None, cells.MISSING),
        ("", cells.MISSING),
    ],
)
def test_money_in_yuan_reads_as_fen(cell: cells.CellValue, fen: object) -> None:
    assert cells.as_fen(cell) == fen


@pytest.mark.parametrize(
    "cell", ["12.345", "-5", -5, "五万", "1e3", True, date(2027, 1, 1), "NaN", float("inf")]
)
def test_not_an_amount(cell: cells.CellValue) -> None:
    with pytest.raises(CellError) as refused:
        cells.as_fen(cell)
    assert refused.value.code == "invalid_money"


def test_negotiable() -> None:
    assert cells.fen_or_negotiable("面议") is True
    assert cells.fen_or_negotiable(" Negotiable ") is True
    assert cells.fen_or_negotiable("100") == 10_000
    assert fen_to_yuan(123_456) == Decimal("1234.56")
    assert fen_to_yuan(300_000_000) == 3_000_000


@pytest.mark.parametrize(
    ("cell", "day"),
    [
        ("2027-06-30", date(2027, 6, 30)),
        ("2027/6/3", date(2027, 6, 3)),
        ("2027.06.30", date(2027, 6, 30)),
        ("2027年6月30日", date(2027, 6, 30)),
        (datetime(2027, 6, 30, 0, 0), date(2027, 6, 30)),  # noqa: DTZ001 - cells have no time zone
        (date(2027, 6, 30), date(2027, 6, 30)),
    ],
)
def test_dates(cell: cells.CellValue, day: date) -> None:
    assert cells.as_date(cell) == day


@pytest.mark.parametrize("cell", ["2027-02-30", "明年", "30/06/2027", 46203])
def test_not_a_date(cell: cells.CellValue) -> None:
    with pytest.raises(CellError) as refused:
        cells.as_date(cell)
    assert refused.value.code == "invalid_date"


def test_choices_by_value_label_or_unambiguous_part() -> None:
    stage = cells.choice(MaturityStage)
    assert stage("pilot") == stage("PILOT") == stage("中期/中试") == stage("中试") == MaturityStage.PILOT
    assert cells.choice(Confidentiality)("保密") == Confidentiality.NDA
    modes = cells.choice_list(TransferMode)
    assert modes("转让；许可、作价入股;service") == [
        TransferMode.TRANSFER,
        TransferMode.LICENSE,
        TransferMode.EQUITY,
        TransferMode.SERVICE,
    ]
    with pytest.raises(CellError) as refused:
        stage("量产")
    assert refused.value.code == "invalid_choice"
    assert "中期/中试" in str(refused.value.message)


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+86 138", "-40℃ 低温", "@SUM(A1)", "\tx", "\rx", "\u0001=HYPERLINK(1)", "\u200b=1", " \x02@A1"],
)
def test_formula_like_text_is_refused_on_import_and_neutralised_on_export(text: str) -> None:
    with pytest.raises(CellError) as refused:
        cells.as_text(text)
    assert refused.value.code == "formula_injection"
    assert neutralise(text) == "'" + text


def test_numbers_are_not_formulas() -> None:
    assert cells.as_int(-5) == -5
    assert neutralise(-5) == -5
    assert cells.as_text(13812345678.0) == "13812345678"
    assert CsvWriter().rows([["=A1", -5, None, date(2027, 1, 2)]]) == "\ufeff'=A1,-5,,2027-01-02\r\n".encode()


def test_csv_encodings() -> None:
    assert decode_text("技术".encode("gbk")) == "技术"
    assert decode_text("\ufeff技术".encode()) == "技术"
    assert decode_text("技术".encode("utf-16")) == "技术"


def test_texts_derived_in_worker_processes_are_the_services() -> None:
    rows = [
        {
            "title": f"重庆银行锂离子电池负极材料第{n}号",
            "description": "一种硅碳复合负极材料",
            "keywords": ["储能", "电池"],
        }
        for n in range(3)
    ]
    sources = [Source(str(row["title"]), DEMAND.search_recipe(row)) for row in rows]
    # The search text as create computes it, the sort key as the model keeps it when a title is set.
    expected = [Derived(DEMAND.search_text(row), Demand(title=row["title"]).title_sort) for row in rows]
    assert derived_texts(sources) == expected

    async def in_processes() -> list[Derived]:
        with Tokenizer(10_000) as tokenizer:  # enough rows for worker processes
            return await tokenizer.submit(sources)

    assert asyncio.run(in_processes()) == expected
