"""Data quality 数据质量: last load, as-of month, rows per table and month, refused extracts and
the data tests, for analysts, executives and the administrators who run the loads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd
import plotly.express as px
import streamlit as st

from data_access import quality, settings
from ui import auth, cache, charts, components, tables
from ui import filters as ui_filters
from ui import formatting as fmt
from ui.i18n import t
from ui.tables import Column

LAYERS = {"dim": "quality.layer_dim", "fact": "quality.layer_fact", "mart": "quality.layer_mart"}
MODES = {"full": "quality.mode_full", "month": "quality.mode_month"}
STATUSES = {
    "loaded": "quality.status_loaded",
    "rejected": "quality.status_rejected",
    "failed": "quality.status_failed",
}

viewer = auth.require_page("data_quality")
filters = ui_filters.current_filters()
components.page_header(t("page.data_quality"), t("quality.caption"))


def _stamp(value: object) -> pd.Timestamp | None:
    stamp = pd.Timestamp(value) if value is not None else None
    return None if stamp is None or pd.isna(stamp) else stamp


def _table(frame: pd.DataFrame, name: str, title: str, key: str, kinds: Mapping[str, str]) -> None:
    """Show a table (its columns already labelled; each column of ``kinds`` in its kind, the
    others as text) with its CSV and Excel downloads (audited)."""
    columns = [Column(c, "", kinds.get(c, "text"), label=c) for c in frame.columns]
    tables.table(
        frame,
        columns,
        key=key,
        name=f"{t('quality.file')}-{name}",
        title=title,
        viewer=viewer,
        filters=filters,
    )


def _month_start(values: pd.Series) -> pd.Series:
    """A load's as-of month (a date, or ``2026-09`` as the journal writes it) as its first day."""
    return pd.to_datetime(values.astype("string").str[:7] + "-01", errors="coerce")


def _section(title_key: str, help_key: str) -> None:
    st.subheader(t(title_key), help=t(help_key), anchor=False)


# ------------------------------------------------------------------ headline
info = cache.warehouse_info(viewer)
history = cache.scoped(quality.load_history)(viewer)
# The journal records refused loads, which never change the warehouse version: read it fresh.
attempts = quality.load_attempts(viewer)
refreshed = _stamp(info.get("refreshed_at")) or _stamp(info.get("built_at"))
last_load = _stamp(history["loaded_at"].iloc[0]) if not history.empty else None
refused = attempts[attempts["status"] == "rejected"]
source = "quality.source_demo" if info.get("is_demo") else "quality.source_load"

headline = (
    (t("quality.as_of"), fmt.month(info.get("as_of_month")), "quality.as_of_help"),
    (t("quality.refreshed"), fmt.date(refreshed) if refreshed else "—", "quality.refreshed_help"),
    (t("quality.last_load"), fmt.date(last_load) if last_load else "—", "quality.last_load_help"),
    (
        t("quality.refused"),
        fmt.count(refused["rejected_rows"].iloc[0]) if not refused.empty else "—",
        "quality.refused_help",
    ),
)
for column, (label, value, help_key) in zip(
    st.columns(len(headline), gap="medium"), headline, strict=True
):
    with column, st.container(border=True, height="stretch"):
        st.metric(label, value, help=t(help_key))

st.caption(f"{t('quality.source')}: **{t(source)}**", help=t("quality.source_help"))
if refreshed is not None:
    age = (dt.date.today() - refreshed.date()).days
    limit = settings.stale_after_days()
    if age > limit:
        st.warning(t("quality.stale", days=age, limit=limit), icon=":material/schedule:")
    else:
        st.caption(":material/schedule: " + t("quality.fresh", days=age, limit=limit))

# ------------------------------------------------------------------ loads
_section("quality.loads", "quality.loads_help")
if history.empty:
    st.info(t("quality.no_loads_demo" if info.get("is_demo") else "quality.no_loads"))
else:
    shown = history.assign(
        mode=history["mode"].map(lambda m: t(MODES[m])),
        as_of_month=_month_start(history["as_of_month"]),
    )
    shown = shown.rename(
        columns={
            "load_id": t("quality.col_load_id"),
            "loaded_at": t("quality.col_loaded_at"),
            "mode": t("quality.col_mode"),
            "as_of_month": t("quality.col_as_of"),
            "tables": t("quality.col_tables"),
            "rows": t("quality.col_rows"),
            "rejected_rows": t("quality.col_rejected_rows"),
        }
    )
    _table(
        shown,
        "loads",
        t("quality.loads"),
        "quality_loads",
        {
            t("quality.col_loaded_at"): "datetime",
            t("quality.col_as_of"): "month",
            t("quality.col_tables"): "count",
            t("quality.col_rows"): "count",
            t("quality.col_rejected_rows"): "count",
        },
    )
    with st.expander(t("quality.last_files")):
        files = cache.scoped(quality.last_load_files)(viewer).rename(
            columns={
                "table_name": t("quality.col_table"),
                "file_name": t("quality.col_file"),
                "rows": t("quality.col_rows"),
                "rejected_rows": t("quality.col_rejected_rows"),
                "sha256": t("quality.col_sha256"),
            }
        )
        _table(
            files,
            "files",
            t("quality.last_files"),
            "quality_files",
            {t("quality.col_rows"): "count", t("quality.col_rejected_rows"): "count"},
        )

# ------------------------------------------------------------------ rows per table and month
whole = quality.sees_whole_warehouse(viewer)
if not whole:
    st.info(t("quality.no_rows_scope"), icon=":material/lock:")
else:
    rows_column, months_column = st.columns([2, 3], gap="medium")
    with rows_column, st.container(border=True):
        _section("quality.rows", "quality.rows_help")
        counts = cache.scoped(quality.table_rows)(viewer)
        counts = counts.assign(layer=counts["layer"].map(lambda x: t(LAYERS[x])))
        _table(
            counts.rename(
                columns={
                    "table_name": t("quality.col_table"),
                    "layer": t("quality.col_layer"),
                    "rows": t("quality.col_rows"),
                }
            ),
            "rows",
            t("quality.rows"),
            "quality_rows",
            {t("quality.col_rows"): "count"},
        )
    with months_column, st.container(border=True):
        _section("quality.rows_by_month", "quality.rows_by_month_help")
        monthly = cache.scoped(quality.rows_by_month)(viewer)
        if monthly.empty:
            charts.empty_state()
        else:
            panels = monthly["table_name"].nunique()
            spacing = 0.12 / max(panels - 1, 1)
            fig = px.bar(
                monthly,
                x="month_start",
                y="rows",
                facet_row="table_name",
                facet_row_spacing=spacing,
                color="table_name",
                color_discrete_sequence=charts.PALETTE,
                labels={"month_start": t("quality.col_month"), "rows": t("quality.col_rows")},
            )
            fig.update_yaxes(matches=None, title_text="")
            # Each panel's table name above it, left-aligned (facet labels default to the side).
            half = (1 - spacing * (panels - 1)) / panels / 2
            fig.for_each_annotation(
                lambda a: a.update(
                    text=a.text.split("=")[-1],
                    textangle=0,
                    x=0,
                    xanchor="left",
                    y=a.y + half,
                    yanchor="bottom",
                )
            )
            fig.update_layout(showlegend=False)
            height = 150 * panels
            charts.show(charts.style(fig, height=height), key="quality_months_chart")
            pivot = monthly.pivot_table(
                index="month_start", columns="table_name", values="rows", fill_value=0
            ).reset_index()
            pivot["month_start"] = pivot["month_start"].map(fmt.month)
            pivot.columns.name = None
            _table(
                pivot.rename(columns={"month_start": t("quality.col_month")}),
                "rows-by-month",
                t("quality.rows_by_month"),
                "quality_months",
                {name: "count" for name in pivot.columns if name != "month_start"},
            )

# ------------------------------------------------------------------ attempts and rejections
_section("quality.attempts", "quality.attempts_help")
if attempts.empty:
    st.info(t("quality.no_attempts"))
else:
    loaded = attempts["status"] == "loaded"
    shown = attempts.assign(
        problems=attempts["problems"].mask(loaded, 0),
        rejected_rows=attempts["rejected_rows"].mask(loaded, 0),
        error=attempts["error"].fillna(""),
        status=attempts["status"].map(lambda s: t(STATUSES[s])),
        mode=attempts["mode"].map(lambda m: t(MODES[m])),
        as_of_month=_month_start(attempts["as_of_month"]),
    )[["started_at", "status", "mode", "as_of_month", "problems", "rejected_rows", "rules",
       "error", "folder", "load_id"]]  # fmt: skip
    shown = shown.rename(
        columns={
            "started_at": t("quality.col_started_at"),
            "status": t("quality.col_status"),
            "mode": t("quality.col_mode"),
            "as_of_month": t("quality.col_as_of"),
            "problems": t("quality.col_problems"),
            "rejected_rows": t("quality.col_rejected_rows"),
            "rules": t("quality.col_rules"),
            "error": t("quality.col_error"),
            "folder": t("quality.col_folder"),
            "load_id": t("quality.col_load_id"),
        }
    )
    _table(
        shown,
        "attempts",
        t("quality.attempts"),
        "quality_attempts",
        {
            t("quality.col_started_at"): "datetime",
            t("quality.col_as_of"): "month",
            t("quality.col_problems"): "count",
            t("quality.col_rejected_rows"): "count",
        },
    )

_section("quality.report", "quality.report_help")
report = quality.latest_rejection(viewer)
if report.empty:
    st.info(t("quality.no_report"))
else:
    report = report.rename(
        columns={
            "file": t("quality.col_file"),
            "line": t("quality.col_line"),
            "column": t("quality.col_column"),
            "rule": t("quality.col_rule"),
            "value": t("quality.col_value"),
            "message": t("quality.col_message"),
        }
    )
    _table(
        report, "rejections", t("quality.report"), "quality_report", {t("quality.col_line"): "id"}
    )

# ------------------------------------------------------------------ data tests
if whole:
    _section("quality.tests", "quality.tests_help")
    total = quality.data_test_count()
    if refreshed is not None:
        st.caption(t("quality.tests_built", count=total, date=fmt.date(refreshed)))
    run_key = f"quality_tests_{cache.warehouse_version()}"
    if st.button(t("quality.run_tests"), key="quality_run_tests", icon=":material/rule:"):
        st.session_state[run_key] = True
    if st.session_state.get(run_key):
        with st.spinner(t("common.loading")):
            results = cache.scoped(quality.data_test_results)(viewer)
        failed = int((~results["passed"]).sum())
        if failed:
            st.error(t("quality.tests_failed", failed=failed, count=len(results)))
        else:
            st.success(t("quality.tests_passed", count=len(results)))
        ordered = results.sort_values(["passed", "check"]).rename(
            columns={
                "check": t("quality.col_check"),
                "offending_rows": t("quality.col_offending"),
                "passed": t("quality.col_passed"),
            }
        )
        _table(
            ordered,
            "data-tests",
            t("quality.tests"),
            "quality_tests",
            {t("quality.col_offending"): "count", t("quality.col_passed"): "flag"},
        )
