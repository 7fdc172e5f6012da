"""Exports leave no formula: every download is written by ``ui.downloads``."""

from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd
import pytest

from ui import downloads

PREFIXES = ["=", "+", "-", "@", "\t", "\r"]


def _hostile(prefix: str) -> pd.DataFrame:
    """A note and a sign-in name a spreadsheet would run, beside negative numbers."""
    return pd.DataFrame(
        {
            f"{prefix}note": [f'{prefix}HYPERLINK("http://evil.example","x")', "plain"],
            "user_id": [f"{prefix}cmd|' /C calc'!A0", "wang.fang"],
            "amount_rmb": [-1500.5, 2.0],
            "count": [-3, 4],
        }
    )


def _via_downloads(kind: str):
    def export(frame: pd.DataFrame, prefix: str) -> bytes:
        if kind == "csv":
            return downloads.to_csv_bytes(frame)
        return downloads.to_excel_bytes(frame, {f"{prefix}Exported by": f"{prefix}name"})

    return export


EXPORT_PATHS = {
    "downloads.to_csv_bytes": ("csv", _via_downloads("csv")),
    "downloads.to_excel_bytes": ("xlsx", _via_downloads("xlsx")),
}


@pytest.mark.parametrize("path", list(EXPORT_PATHS))
@pytest.mark.parametrize("prefix", PREFIXES, ids=repr)
def test_no_text_cell_leaves_as_a_formula(path: str, prefix: str) -> None:
    kind, export = EXPORT_PATHS[path]
    frame = _hostile(prefix)
    data = export(frame, prefix)
    if kind == "csv":
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        assert rows[0] == [f"'{prefix}note", "user_id", "amount_rmb", "count"]
        assert rows[1] == ["'" + frame.iloc[0, 0], "'" + frame.iloc[0, 1], "-1500.5", "-3"]
        assert rows[2] == ["plain", "wang.fang", "2.0", "4"]
        return
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    texts = [cell for cell in cells if isinstance(cell.value, str)]
    assert all(cell.data_type == "s" for cell in texts)  # no formula, no other type
    # XML turns a carriage return into a line feed on the way back: compare them as one.
    read = {cell.value.replace("\r", "\n") for cell in texts}
    expected = {f"'{prefix}note", "'" + frame.iloc[0, 0], "'" + frame.iloc[0, 1]}
    assert {value.replace("\r", "\n") for value in expected} <= read
    assert not [v for v in read if v.startswith((*PREFIXES, "\n"))]  # context rows too
    numbers = [cell.value for cell in cells if cell.data_type == "n"]
    assert -1500.5 in numbers and -3 in numbers  # numbers stay numbers
