"""The 6S inspection upload on the scorecards page: template, validation report, save.

Nothing is saved unless every row is valid; rejected rows are listed with the reason. Saving
builds a new warehouse version (``data_access.inspections``), which the app picks up on the next
rerun (the version check clears the caches).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from catalogue.roles import Capability
from data_access import inspections
from data_access.viewer import Viewer
from ui import cache, downloads
from ui.i18n import t


def template() -> pd.DataFrame:
    """A filled-in example of the upload format (one inspection, four areas)."""
    day = dt.date.today().replace(day=1).isoformat()
    return pd.DataFrame(
        [
            {
                "branch_id": 1,
                "inspected_on": day,
                "area": area,
                "inspector_name": "王伟",
                **{column: 90.0 for column in inspections.S_COLUMNS},
            }
            for area in inspections.AREAS
        ],
        columns=list(inspections.COLUMNS),
    )


def _problems_table(problems: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("sc.upload_col_row"): problems["row"],
            t("sc.upload_col_column"): problems["column"],
            t("sc.upload_col_value"): problems["value"],
            t("sc.upload_col_reason"): [t(f"sc.reason_{r}") for r in problems["reason"]],
        }
    )


def upload_section(viewer: Viewer, names: dict[int, str]) -> None:
    """Draw the upload tab for ``viewer`` (others are told who may upload)."""
    st.subheader(t("sc.upload_title"), help=t("sc.upload_help"), anchor=False)
    st.markdown(t("sc.upload_format"))
    st.download_button(
        t("sc.upload_template"),
        downloads.to_csv_bytes(template()),
        file_name="pcrm_6s_inspections_template.csv",
        mime="text/csv",
        key="sc_upload_template",
        icon=":material/download:",
        on_click="ignore",
    )
    if not viewer.can(Capability.MAY_UPLOAD_INSPECTIONS):
        st.info(t("sc.upload_not_allowed"), icon=":material/lock:")
        return
    uploaded = st.file_uploader(t("sc.upload_file"), type=["csv"], key="sc_upload_file")
    if uploaded is None:
        return
    try:
        raw = inspections.read_csv(uploaded.getvalue())
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError):
        st.error(t("sc.upload_unreadable"), icon=":material/error:")
        return
    known = set(cache.org_units(viewer)["branch_id"].astype(int))
    check = inspections.validate(
        raw,
        known_branches=known | set(names),
        allowed_branches=known,
        recorded=inspections.recorded_inspections(viewer),
    )
    if not check.ok:
        count = check.problems["row"].nunique() if len(check.problems) else 0
        st.error(t("sc.upload_rejected", rows=count, total=len(raw)), icon=":material/block:")
        st.dataframe(_problems_table(check.problems), hide_index=True, key="sc_upload_problems")
        return
    inspections_count = check.rows[["branch_id", "inspected_on"]].drop_duplicates().shape[0]
    st.success(
        t("sc.upload_valid", rows=len(check.rows), inspections=inspections_count),
        icon=":material/check_circle:",
    )
    if st.button(t("sc.upload_save"), key="sc_upload_save", type="primary"):
        try:
            written = inspections.save_inspections(viewer, check)
        except inspections.UploadRejected:
            st.error(t("sc.upload_conflict"), icon=":material/block:")
            return
        st.success(t("sc.upload_saved", rows=written), icon=":material/cloud_done:")
