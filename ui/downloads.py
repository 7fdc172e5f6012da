"""Table exports: CSV and Excel, the Excel file stating the filters that produced it.

A table that leaves the app travels without its page, so the workbook's first rows record who
exported it, when, from which warehouse version and with which filters.

No text leaves as a formula: every text cell (headers, context rows and text columns) that a
spreadsheet would read as one, because it starts with ``= + - @``, a tab or a carriage return,
gets a leading apostrophe (OWASP's advice against CSV injection), and the Excel file stores text
cells as text. A contact note or a sign-in name such as ``=HYPERLINK(...)`` then opens as the
characters typed, never as a live formula. Numbers stay numbers: a negative amount in a numeric
column is not text and is written as it is.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

# What makes a spreadsheet read a text cell as a formula (OWASP, "CSV injection").
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """``value`` with a leading apostrophe if it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose headers and text cells are neutralised (numbers untouched)."""
    columns = {}
    for position in range(frame.shape[1]):
        column = frame.iloc[:, position]
        if pd.api.types.is_string_dtype(column.dtype) or isinstance(
            column.dtype, pd.CategoricalDtype
        ):
            column = column.astype(object).map(neutralise)
        columns[position] = column
    out = pd.DataFrame(columns, index=frame.index)
    out.columns = [neutralise(str(name)) for name in frame.columns]
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so Excel in a Chinese locale opens Chinese text correctly.

    Headers and text cells are neutralised (:func:`neutralise`). Rows end in CRLF (RFC 4180),
    so a field holding a carriage return is quoted and stays one field.
    """
    return neutralised(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def _cell(value: object) -> object:
    if value is None or value is pd.NA or value is pd.NaT:  # nullable columns' missing values
        return None
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return neutralise(value)


def _append_row(sheet, values: list[object]) -> None:
    """Append ``values``; text is stored as text (openpyxl would store ``=...`` as a formula)."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def to_excel_bytes(
    frame: pd.DataFrame, context: Mapping[str, object], sheet_title: str = "data"
) -> bytes:
    """An .xlsx whose first rows list ``context`` (filters, viewer, as-of), then the table.

    Every text cell (context, headers, table) is neutralised (:func:`neutralise`) and stored as
    text.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    bold = Font(bold=True)
    for key, value in context.items():
        _append_row(sheet, [neutralise(str(key)), "" if value is None else neutralise(str(value))])
        sheet.cell(row=sheet.max_row, column=1).font = bold
    sheet.append([])
    header_row = sheet.max_row + 1
    _append_row(sheet, [neutralise(str(c)) for c in frame.columns])
    for cell in sheet[header_row]:
        cell.font = bold
    for row in frame.itertuples(index=False, name=None):
        _append_row(sheet, [_cell(v) for v in row])
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
