"""Table exports: CSV and Excel, the Excel file stating the filters that produced it.

A table that leaves the app travels without its page, so the workbook's first rows record who
exported it, when, from which warehouse version and with which filters.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so Excel in a Chinese locale opens Chinese text correctly."""
    return frame.to_csv(index=False).encode("utf-8-sig")


def _cell(value: object) -> object:
    if value is None or value is pd.NA or value is pd.NaT:  # nullable columns' missing values
        return None
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


def to_excel_bytes(
    frame: pd.DataFrame, context: Mapping[str, object], sheet_title: str = "data"
) -> bytes:
    """An .xlsx whose first rows list ``context`` (filters, viewer, as-of), then the table."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    bold = Font(bold=True)
    for key, value in context.items():
        sheet.append([str(key), "" if value is None else str(value)])
        sheet.cell(row=sheet.max_row, column=1).font = bold
    sheet.append([])
    header_row = sheet.max_row + 1
    sheet.append([str(c) for c in frame.columns])
    for cell in sheet[header_row]:
        cell.font = bold
    for row in frame.itertuples(index=False, name=None):
        sheet.append([_cell(v) for v in row])
    for index, column in enumerate(frame.columns, start=1):
        width = max([len(str(column))] + [len(str(v)) for v in frame[column].head(200)])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 48)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_excel_export(data: bytes) -> tuple[dict[str, str], pd.DataFrame]:
    """Read back a workbook written by :func:`to_excel_bytes` (tests and round trips)."""
    raw = pd.read_excel(io.BytesIO(data), header=None, dtype=object)
    blank = raw.index[raw.isna().all(axis=1)]
    split = int(blank[0]) if len(blank) else 0
    context = {str(r[0]): ("" if pd.isna(r[1]) else str(r[1])) for r in raw.iloc[:split].values}
    table = raw.iloc[split + 1 :].reset_index(drop=True)
    table.columns = [str(c) for c in table.iloc[0]]
    return context, table.iloc[1:].reset_index(drop=True)
