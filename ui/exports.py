"""The CSV + Excel download pair under every table, each download written to the audit log.

Pages call :func:`download_buttons` with the frame as shown; the Excel file's first rows say who
exported it, when, from which warehouse version and with which filters (ui/downloads.py).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable, Mapping

import pandas as pd
import streamlit as st

from data_access import app_store
from data_access.filters import Filters
from data_access.viewer import Viewer
from ui import cache, downloads
from ui import filters as ui_filters
from ui.i18n import t

log = logging.getLogger(__name__)

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_context(viewer: Viewer, filters: Filters, title: str) -> dict[str, object]:
    """What the Excel file records above the table."""
    return {
        t("export.table"): title,
        t("export.filters"): ui_filters.describe(viewer, filters),
        t("export.exported_by"): viewer.display_name or viewer.user_id,
        t("export.exported_at"): dt.datetime.now().isoformat(timespec="seconds"),
        t("export.version"): cache.warehouse_version(),
    }


def _audit(viewer: Viewer, detail: dict, customer_ids: list[int], version: str) -> None:
    try:
        app_store.audit(
            "export",
            viewer,
            customer_ids=customer_ids or None,
            detail=detail,
            warehouse_version=version,
        )
    except app_store.AuditWriteError:
        log.exception("an export could not be audited")


def _written_and_audited(
    build: Callable[[], bytes],
    viewer: Viewer,
    detail: dict,
    customer_ids: list[int],
    version: str,
) -> bytes:
    """The file, with its export recorded. Streamlit calls this when the button is clicked
    (a deferred download, on its own thread), so recording needs no rerun: a rerun on click
    raced with the download, replacing the button's deferred file while the browser was still
    asking for the old one, and the button then stayed disabled."""
    data = build()
    _audit(viewer, detail, customer_ids, version)
    return data


def file_pair(
    frame: pd.DataFrame,
    context: Mapping[str, object],
    *,
    file_stem: str,
    sheet_title: str,
    key: str,
    viewer: Viewer | None,
    detail: dict | None,
    customer_ids: list[int] | None = None,
    side_by_side: bool = True,
) -> None:
    """The CSV and Excel buttons of ``frame`` (keys ``<key>_csv`` / ``<key>_xlsx``).

    Each file is written only when its button is clicked, and then, unless ``detail`` is None,
    the export is recorded for ``viewer`` with ``detail`` plus its format (see
    :func:`_written_and_audited`). ``context``: the rows above the table in the Excel file.
    """
    builds = {
        "csv": functools.partial(downloads.to_csv_bytes, frame),
        "xlsx": functools.partial(
            downloads.to_excel_bytes, frame, context, sheet_title=sheet_title
        ),
    }
    buttons = (
        ("csv", t("export.csv"), "text/csv", ":material/download:"),
        ("xlsx", t("export.excel"), XLSX_MIME, ":material/table_view:"),
    )
    slots = st.columns([1, 1, 4])[:2] if side_by_side else [st.container(), st.container()]
    ids = list(customer_ids or [])
    version = cache.warehouse_version()
    for slot, (kind, label, mime, icon) in zip(slots, buttons, strict=True):
        data = (
            builds[kind]
            if detail is None or viewer is None
            else functools.partial(
                _written_and_audited, builds[kind], viewer, {**detail, "format": kind}, ids, version
            )
        )
        with slot:
            st.download_button(
                label,
                data,
                file_name=f"{file_stem}.{kind}",
                mime=mime,
                key=f"{key}_{kind}",
                icon=icon,
                on_click="ignore",
            )


def download_buttons(
    frame: pd.DataFrame,
    name: str,
    *,
    viewer: Viewer,
    filters: Filters,
    title: str,
    key: str,
    customer_ids: list[int] | None = None,
    extra: Mapping[str, object] | None = None,
) -> None:
    """Audited CSV and Excel buttons for ``frame`` (files ``<name>.csv`` / ``<name>.xlsx``).

    ``customer_ids``: the customers a customer-level table shows, recorded with each download.
    ``extra``: more rows for the Excel file's header (a drill-down position, a period).
    The files are written only when a button is clicked, so a rerun does not pay for them.
    """
    file_pair(
        frame,
        {**export_context(viewer, filters, title), **(extra or {})},
        file_stem=name,
        sheet_title=name,
        key=key,
        viewer=viewer,
        detail={"table": name, "rows": len(frame)},
        customer_ids=customer_ids,
    )
