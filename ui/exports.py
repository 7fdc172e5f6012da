"""The CSV + Excel download pair under every table, each download written to the audit log.

Pages call :func:`download_buttons` with the frame as shown; the Excel file's first rows say who
exported it, when, from which warehouse version and with which filters (ui/downloads.py).

An audited download fails closed: its file is given only once its ``export`` row is written.
When the row cannot be written the browser gets no file (Streamlit says the file could not be
made) and the page says why on its next run (``export.audit_failed``, beside the buttons).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import threading
from collections.abc import Callable, Mapping

import pandas as pd
import streamlit as st

from data_access import app_store
from data_access.filters import Filters
from data_access.viewer import Viewer
from ui import audit_trail, cache, downloads
from ui import filters as ui_filters
from ui.i18n import t

log = logging.getLogger(__name__)

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ExportNotRecorded(RuntimeError):
    """The export could not be written to the audit log, so its file was not given."""


# Downloads refused since the page last ran: session id -> button keys. The file is written on
# Streamlit's own thread, outside the session's run, so the refusal waits here for the next run.
_refused: dict[str, set[str]] = {}
_refused_lock = threading.Lock()


def _note_refused(session_id: str, key: str) -> None:
    with _refused_lock:
        _refused.setdefault(session_id, set()).add(key)


def _take_refused(session_id: str, key: str) -> bool:
    """Whether a download of button pair ``key`` was refused since the last run (and forget it)."""
    with _refused_lock:
        keys = _refused.get(session_id, set())
        found = key in keys
        keys.discard(key)
        if not keys:
            _refused.pop(session_id, None)
        return found


def export_context(viewer: Viewer, filters: Filters, title: str) -> dict[str, object]:
    """What the Excel file records above the table."""
    return {
        t("export.table"): title,
        t("export.filters"): ui_filters.describe(viewer, filters),
        t("export.exported_by"): viewer.display_name or viewer.user_id,
        t("export.exported_at"): dt.datetime.now().isoformat(timespec="seconds"),
        t("export.version"): cache.warehouse_version(),
    }


def _written_and_audited(
    build: Callable[[], bytes],
    viewer: Viewer,
    detail: dict,
    customer_ids: list[int],
    version: str,
    key: str,
) -> bytes:
    """The file, once its export is on record; :class:`ExportNotRecorded` (no file) otherwise.

    Streamlit calls this when the button is clicked (a deferred download, on its own thread), so
    recording needs no rerun: a rerun on click raced with the download, replacing the button's
    deferred file while the browser was still asking for the old one, and the button then stayed
    disabled. A refusal is kept for the session's next run (:func:`file_pair` shows it).
    """
    data = build()
    try:
        app_store.audit(
            "export",
            viewer,
            customer_ids=customer_ids or None,
            detail=detail,
            warehouse_version=version,
        )
    except app_store.AuditWriteError as exc:
        log.exception("an export could not be audited: no file given")
        _note_refused(str(detail["session_id"]), key)
        raise ExportNotRecorded(
            f"export {detail.get('table')!r} ({detail.get('format')}) not recorded: no file given"
        ) from exc
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
    filters: Filters | None,
    page_filters: Mapping[str, object] | None = None,
    customer_ids: list[int] | None = None,
    side_by_side: bool = True,
) -> None:
    """The CSV and Excel buttons of ``frame`` (keys ``<key>_csv`` / ``<key>_xlsx``).

    Each file is written only when its button is clicked, and then, unless ``detail`` is None,
    the export is recorded for ``viewer`` with ``detail``, its format and what every export row
    records (``ui.audit_trail.detail``: unmasked, ``filters`` with ``page_filters``, session
    id); the file is given only if that row is written (see :func:`_written_and_audited`).
    ``context``: the rows above the table in the Excel file.
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
    audited = detail is not None and viewer is not None
    if audited:
        detail = audit_trail.detail(viewer, filters, page_filters=page_filters, **detail)
        if _take_refused(str(detail["session_id"]), key):
            st.error(t("export.audit_failed"), icon=":material/gpp_bad:")
    slots = st.columns([1, 1, 4])[:2] if side_by_side else [st.container(), st.container()]
    ids = list(dict.fromkeys(int(v) for v in customer_ids or []))
    version = cache.warehouse_version()
    for slot, (kind, label, mime, icon) in zip(slots, buttons, strict=True):
        data = (
            functools.partial(
                _written_and_audited,
                builds[kind],
                viewer,
                {**detail, "format": kind},
                ids,
                version,
                key,
            )
            if audited
            else builds[kind]
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
    page_filters: Mapping[str, object] | None = None,
) -> None:
    """Audited CSV and Excel buttons for ``frame`` (files ``<name>.csv`` / ``<name>.xlsx``).

    ``customer_ids``: the customers a customer-level table shows, recorded with each download.
    ``page_filters``: the page's own filters of the table, recorded beside the sidebar's.
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
        filters=filters,
        page_filters=page_filters,
        customer_ids=customer_ids,
    )
