"""Exports leave no formula, give no file they could not record, and say who saw what.

Every download goes through ``ui.downloads`` (the files) and ``ui.exports.file_pair`` (the
buttons and the audit). The buttons are exercised outside an app run: ``st.download_button`` is
replaced by a recorder, and the recorded (deferred) file callables are called as Streamlit calls
them on a click.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import streamlit as st
from streamlit import config as st_config

from data_access import app_store
from data_access.filters import Filters
from data_access.viewer import Viewer
from ui import audit_trail, downloads, exports
from ui.i18n import translate

ROOT = Path(__file__).resolve().parent.parent
PREFIXES = ["=", "+", "-", "@", "\t", "\r"]
EXECUTIVE = Viewer("t-exec", "executive", "Exec")


@pytest.fixture
def buttons(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict]:
    """The file given to each download button, by key; errors shown, under ``"errors"``."""
    given: dict = {"errors": []}

    def download_button(label, data, *, key, **_):
        given[key] = data

    monkeypatch.setattr(st, "download_button", download_button)
    monkeypatch.setattr(st, "error", lambda body, **_: given["errors"].append(body))
    monkeypatch.setattr(exports.cache, "warehouse_version", lambda: "v-test")
    st.session_state[audit_trail.SESSION_ID_KEY] = "session-under-test"
    yield given
    st.session_state.pop(audit_trail.SESSION_ID_KEY, None)


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
    def export(frame: pd.DataFrame, prefix: str, _buttons: dict) -> bytes:
        if kind == "csv":
            return downloads.to_csv_bytes(frame)
        return downloads.to_excel_bytes(frame, {f"{prefix}Exported by": f"{prefix}name"})

    return export


def _via_file_pair(kind: str, audited: bool):
    def export(frame: pd.DataFrame, prefix: str, buttons: dict) -> bytes:
        exports.file_pair(
            frame,
            {"Exported by": f"{prefix}name"},
            file_stem="t",
            sheet_title="t",
            key="t",
            viewer=EXECUTIVE if audited else None,
            detail={"table": "t"} if audited else None,
            filters=Filters() if audited else None,
        )
        return buttons[f"t_{kind}"]()

    return export


def _via_download_buttons(kind: str):
    def export(frame: pd.DataFrame, prefix: str, buttons: dict) -> bytes:
        exports.download_buttons(
            frame,
            "t",
            viewer=EXECUTIVE,
            filters=Filters(),
            title=f"{prefix}title",
            key="t",
            extra={"Period": f"{prefix}2026"},
        )
        return buttons[f"t_{kind}"]()

    return export


EXPORT_PATHS = {
    "downloads.to_csv_bytes": ("csv", _via_downloads("csv")),
    "downloads.to_excel_bytes": ("xlsx", _via_downloads("xlsx")),
    "file_pair.csv (audited)": ("csv", _via_file_pair("csv", True)),
    "file_pair.xlsx (audited)": ("xlsx", _via_file_pair("xlsx", True)),
    "file_pair.csv (aggregates)": ("csv", _via_file_pair("csv", False)),
    "file_pair.xlsx (aggregates)": ("xlsx", _via_file_pair("xlsx", False)),
    "download_buttons.csv": ("csv", _via_download_buttons("csv")),
    "download_buttons.xlsx": ("xlsx", _via_download_buttons("xlsx")),
}


@pytest.mark.parametrize("path", list(EXPORT_PATHS))
@pytest.mark.parametrize("prefix", PREFIXES, ids=repr)
def test_no_text_cell_leaves_as_a_formula(
    path: str, prefix: str, buttons: dict, settings_store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exports.ui_filters, "describe", lambda *_: f"{prefix}all branches")
    kind, export = EXPORT_PATHS[path]
    frame = _hostile(prefix)
    data = export(frame, prefix, buttons)
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


def test_an_export_that_cannot_be_recorded_gives_no_file(
    buttons: dict, settings_store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_, **__):
        raise app_store.AuditWriteError("the app store is full")

    def draw() -> None:  # one run of a page with an audited customer table
        exports.file_pair(
            pd.DataFrame({"customer_id": [7]}),
            {},
            file_stem="t",
            sheet_title="t",
            key="t",
            viewer=EXECUTIVE,
            detail={"table": "t"},
            filters=Filters(),
            customer_ids=[7],
        )

    monkeypatch.setattr(app_store, "audit", refuse)
    draw()
    for kind in ("csv", "xlsx"):
        with pytest.raises(exports.ExportNotRecorded):
            buttons[f"t_{kind}"]()
    # The page's next run says why, once, beside the buttons.
    draw()
    assert buttons["errors"] == [translate("export.audit_failed", "en")]
    draw()
    assert len(buttons["errors"]) == 1
    english, chinese = (translate("export.audit_failed", lang) for lang in ("en", "zh"))
    assert "audit log" in english and "审计日志" in chinese


@pytest.mark.parametrize(
    ("role", "granted", "unmasked"),
    [
        ("cooperative_manager", True, True),
        ("cooperative_manager", False, False),
        ("analyst", True, False),
    ],
    ids=["unmasked", "masked", "analyst-never-unmasked"],
)
def test_export_rows_record_unmasked_filters_and_session(
    role: str, granted: bool, unmasked: bool, buttons: dict, settings_store: str
) -> None:
    # The grant is made when the test runs, not when it is collected (a long suite outlives it).
    viewer = Viewer("t-viewer", role, unmask_until=time.time() + 600 if granted else None)
    exports.file_pair(
        pd.DataFrame({"customer_id": [5, 5, 6]}),
        {},
        file_stem="movers",
        sheet_title="movers",
        key="movers",
        viewer=viewer,
        detail={"table": "movers", "rows": 3},
        filters=Filters(month=dt.date(2026, 9, 1), branch_ids=(3,), tiers=("vip",)),
        page_filters={"direction": "down", "from_tier": None, "statuses": ()},
        customer_ids=[5, 5, 6],
    )
    buttons["movers_xlsx"]()
    row = app_store.recent_audit(url=settings_store, event="export").iloc[0]
    assert json.loads(row["detail"]) == {
        "table": "movers",
        "rows": 3,
        "format": "xlsx",
        "unmasked": unmasked,
        "filters": {
            "month": "2026-09-01",
            "branch_ids": [3],
            "tiers": ["vip"],
            "direction": "down",
        },
        "session_id": "session-under-test",
    }
    assert app_store.parse_customer_ids(row["customer_ids"]) == [5, 6]


def test_tables_offer_no_unaudited_download() -> None:
    """Streamlit's own table toolbar (download, copy) is off: only the audited buttons remain.

    AppTest does not read the project's config.toml, so the file itself is checked, and the
    option name against Streamlit's own list (a misspelt option would be ignored silently).
    """
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["disableDataExport"] is True
    assert "client.disableDataExport" in st_config.get_config_options()
