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


def audited_button(
    label: str,
    build: Callable[[], bytes],
    *,
    file_name: str,
    mime: str,
    key: str,
    viewer: Viewer,
    detail: dict,
    customer_ids: list[int] | None = None,
    icon: str | None = None,
) -> None:
    """A download button whose file is written, and the export audited, only when clicked."""
    st.download_button(
        label,
        functools.partial(
            _written_and_audited,
            build,
            viewer,
            detail,
            list(customer_ids or []),
            cache.warehouse_version(),
        ),
        file_name=file_name,
        mime=mime,
        key=key,
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
    """CSV and Excel buttons for ``frame`` (file names ``<name>.csv`` / ``<name>.xlsx``).

    ``customer_ids``: the customers a customer-level table shows, recorded with each download.
    ``extra``: more rows for the Excel file's header (a drill-down position, a period).
    The files are written only when a button is clicked, so a rerun does not pay for them.
    """
    context = {**export_context(viewer, filters, title), **(extra or {})}
    builds = {
        "csv": functools.partial(downloads.to_csv_bytes, frame),
        "xlsx": functools.partial(downloads.to_excel_bytes, frame, context, sheet_title=name),
    }
    for column, (kind, label, mime, icon) in zip(
        st.columns([1, 1, 4])[:2],
        (
            ("csv", t("export.csv"), "text/csv", ":material/download:"),
            ("xlsx", t("export.excel"), XLSX_MIME, ":material/table_view:"),
        ),
        strict=True,
    ):
        with column:
            audited_button(
                label,
                builds[kind],
                file_name=f"{name}.{kind}",
                mime=mime,
                key=f"{key}_{kind}",
                icon=icon,
                viewer=viewer,
                detail={"table": name, "format": kind, "rows": len(frame)},
                customer_ids=customer_ids,
            )
