"""The CSV + Excel download pair under every table, each download written to the audit log.

Pages call :func:`download_buttons` with the frame as shown; the Excel file's first rows say who
exported it, when, from which warehouse version and with which filters (ui/downloads.py).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Mapping

import pandas as pd
import streamlit as st

from data_access import app_store
from data_access.filters import Filters
from data_access.viewer import Viewer
from ui import cache, downloads
from ui import filters as ui_filters
from ui.i18n import t

log = logging.getLogger(__name__)


def export_context(viewer: Viewer, filters: Filters, title: str) -> dict[str, object]:
    """What the Excel file records above the table."""
    return {
        t("export.table"): title,
        t("export.filters"): ui_filters.describe(viewer, filters),
        t("export.exported_by"): viewer.display_name or viewer.user_id,
        t("export.exported_at"): dt.datetime.now().isoformat(timespec="seconds"),
        t("export.version"): cache.warehouse_version(),
    }


def _audit(viewer: Viewer, name: str, fmt: str, rows: int, customer_ids: list[int]) -> None:
    try:
        app_store.audit(
            "export",
            viewer,
            customer_ids=customer_ids or None,
            detail={"table": name, "format": fmt, "rows": rows},
            warehouse_version=cache.warehouse_version(),
        )
    except app_store.AuditWriteError:
        log.exception("an export could not be audited")


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
    """CSV and Excel buttons for ``frame`` (file names ``<name>.csv`` / ``<name>.xlsx``).

    ``customer_ids``: the customers a customer-level table shows, recorded with each download.
    ``extra``: more rows for the Excel file's header (a drill-down position, a period).
    The files are written only when a button is clicked, so a rerun does not pay for them.
    """
    ids = list(customer_ids or [])
    context = {**export_context(viewer, filters, title), **(extra or {})}
    left, right, _ = st.columns([1, 1, 4])
    with left:
        st.download_button(
            t("export.csv"),
            functools.partial(downloads.to_csv_bytes, frame),
            file_name=f"{name}.csv",
            mime="text/csv",
            key=f"{key}_csv",
            icon=":material/download:",
            on_click=_audit,
            args=(viewer, name, "csv", len(frame), ids),
        )
    with right:
        st.download_button(
            t("export.excel"),
            functools.partial(downloads.to_excel_bytes, frame, context, sheet_title=name),
            file_name=f"{name}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key=f"{key}_xlsx",
            icon=":material/table_view:",
            on_click=_audit,
            args=(viewer, name, "xlsx", len(frame), ids),
        )
