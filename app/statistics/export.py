"""A tally as a CSV or XLSX file: the groups' labels, the figures (amounts in fen, and in 万元 beside
them), and a last row of totals. Headers and labels are in the request's language. Written with the
shared writers (app.tabular.writing), so text that a spreadsheet could run is neutralised."""

from __future__ import annotations

import asyncio
from decimal import ROUND_HALF_UP, Decimal

from app.core.i18n import msg, render
from app.statistics.dimensions import Measure, shown
from app.statistics.repository import Figures
from app.statistics.service import Tally
from app.tabular.cells import CellValue
from app.tabular.reading import FileFormat
from app.tabular.writing import CsvWriter, XlsxWriter

FEN_PER_WAN_YUAN = 1_000_000
_CENT_OF_WAN = Decimal("0.01")


def wan_yuan(fen: int) -> Decimal:
    """Fen in 万元, to two decimals (half up)."""
    return (Decimal(fen) / FEN_PER_WAN_YUAN).quantize(_CENT_OF_WAN, rounding=ROUND_HALF_UP)


def _figures(figures: Figures) -> list[CellValue]:
    count, total, income, iur = figures
    return [count, total, wan_yuan(total), income, wan_yuan(income), iur]


def table(tally: Tally) -> list[list[CellValue]]:
    """The header row, a row per group, and the totals."""
    by = tally.cut.by
    header: list[CellValue] = [*(shown(dimension) for dimension in by), *(shown(m) for m in Measure)]
    rows: list[list[CellValue]] = [header]
    rows.extend(
        [*(row.keys[dimension].label for dimension in by), *_figures(row.figures)] for row in tally.rows
    )
    blanks: list[CellValue] = [""] * (len(by) - 1)
    rows.append([render(msg("Total")), *blanks, *_figures(tally.totals)])
    return rows


def file_name(tally: Tally, file_format: FileFormat) -> str:
    cut = tally.cut
    dimensions = "-".join(dimension.value for dimension in cut.by)
    return f"tally-{dimensions}-{cut.side.value}-{cut.start:%Y%m%d}-{cut.end:%Y%m%d}.{file_format.value}"


async def render_file(tally: Tally, file_format: FileFormat) -> bytes:
    rows = table(tally)
    if file_format is FileFormat.CSV:
        return CsvWriter().rows(rows)
    widths = [max(10, len(str(cell)) * 2 + 2) for cell in rows[0]]
    writer = XlsxWriter(render(msg("Technology contracts")), column_widths=widths)
    writer.rows(rows)
    saved = await asyncio.to_thread(writer.save)
    with saved:
        return saved.read()
