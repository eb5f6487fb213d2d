"""The published template of a column spec: the header row, and in XLSX a notes sheet and drop-down
lists for the choice columns."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from app.tabular.columns import Spec
from app.tabular.writing import CsvWriter

# Excel limits a list validation's formula to 255 characters.
_MAX_LIST_FORMULA = 255
_TEMPLATE_ROWS = 2000


def template_csv(spec: Spec) -> bytes:
    return CsvWriter().rows([spec.template_headers()])


def template_xlsx(spec: Spec) -> bytes:
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = spec.sheet_title
    columns = spec.importable
    sheet.append([column.header for column in columns])
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, len(column.header) * 2 + 4)
        sheet[f"{letter}1"].font = Font(bold=column.required)
        formula = '"' + ",".join(column.choices) + '"'
        if column.choices and len(formula) <= _MAX_LIST_FORMULA and "," not in "".join(column.choices):
            validation = DataValidation(type="list", formula1=formula, allow_blank=True)
            validation.add(f"{letter}2:{letter}{_TEMPLATE_ROWS}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet("填写说明")
    notes.append(["列名", "英文列名", "必填", "填写说明"])
    for column in columns:
        notes.append([column.header, column.key, "是" if column.required else "", column.note])
    for letter, width in zip("ABCD", (16, 26, 6, 90), strict=True):
        notes.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
