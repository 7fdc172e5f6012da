"""Targets 目标考核: the business review's opening line for financial assets (the year's growth on
the chosen basis against the annual plan and time elapsed), then branch targets against
actuals, with attainment, the share of the period elapsed, a run-rate projection to the period
end and traffic lights.

The metrics (names, units, what counts as the actual, how it projects) are in
``catalogue.metrics``, where the lights change in ``analytics.scorecard_rules`` (both explained
in docs/rules.md); the numbers in ``analytics.targets``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import scorecard_rules as sr
from analytics import targets as calc
from ui import auth, cache, charts, components, review_line
from ui import filters as ui_filters
from ui import formatting as fmt
from ui import scorecard_charts as figures
from ui import scorecard_common as common
from ui.i18n import current_lang, t
from ui.scorecard_marks import LIGHT_MARK, metric_names, metric_unit_names
from ui.tables import Column, table

viewer = auth.require_page("targets")
filters = ui_filters.current_filters()
basis_code = ui_filters.current_basis()
lang = current_lang()
components.page_header(t("page.targets"), ui_filters.describe(viewer, filters))
if filters.month is not None:
    monthly = cache.monthly_totals(viewer, filters)
    plans, plan_notes = review_line.plans_for(viewer, filters, basis_code)
    review_line.draw_all(monthly, pd.Timestamp(filters.month), basis_code, plans, plan_notes)
st.caption(t("sc.all_tiers_note"))

METRIC_NAMES = metric_names(lang)
names = common.branch_names(viewer, lang)

with st.spinner(t("common.loading")):
    card = common.target_card(viewer, filters)

if card.empty:
    charts.empty_state("sc.empty_targets")
    st.stop()

wanted = st.query_params.get("period", "year")
if "tg_period" not in st.session_state:
    st.session_state["tg_period"] = wanted if wanted in calc.PERIOD_KINDS else "year"
kind = st.segmented_control(
    t("sc.period"),
    calc.PERIOD_KINDS,
    format_func=lambda k: t(f"sc.period_{k}"),
    key="tg_period",
    required=True,
    help=t("sc.period_help"),
)
if st.query_params.get("period") != kind:
    st.query_params["period"] = kind
card = card[card["period_kind"] == kind].copy()
if card.empty:
    charts.empty_state("sc.empty_targets")
    st.stop()
card["branch_name"] = card["branch_id"].map(names)
card["metric_name"] = card["metric"].map(METRIC_NAMES)
card["unit"] = card["metric"].map(metric_unit_names(lang))
period_start, period_end = card["period_start"].iloc[0], card["period_end"].iloc[0]
st.caption(
    t(
        "sc.period_caption",
        start=fmt.date(period_start, lang),
        end=fmt.date(period_end, lang),
        elapsed=fmt.pct(card["elapsed_pct"].iloc[0], lang),
    )
)

counts = calc.light_counts(card)
with st.container(horizontal=True):
    st.metric(
        t("sc.kpi_elapsed"),
        fmt.pct(card["elapsed_pct"].iloc[0], lang),
        help=t("sc.kpi_elapsed_help"),
    )
    for light in sr.LIGHTS:
        st.metric(
            f"{LIGHT_MARK[light]} {t(f'sc.light_{light}')}",
            fmt.count(counts[light], lang),
            help=t(f"sc.light_{light}_help"),
        )

branches = sorted(card["branch_id"].unique())
branch = (
    common.branch_picker(
        t("sc.pick_branch"), branches, names, "tg_branch", t("sc.pick_branch_help")
    )
    if len(branches) > 1
    else int(branches[0])
)
mine = (
    card[card["branch_id"] == branch]
    .set_index("metric")
    .reindex(list(METRIC_NAMES))
    .dropna(subset=["target_value"])
    .reset_index()
)
with st.container(border=True):
    st.subheader(
        t("sc.attainment_chart", branch=names.get(branch, str(branch))),
        help=t("sc.attainment_chart_help"),
        anchor=False,
    )
    charts.show(figures.attainment_bars(mine, list(mine["metric_name"])), key="tg_bars")

TARGET_COLUMNS = [
    Column("metric_name", "sc.col_metric", "text"),
    Column("unit", "sc.col_unit", "text"),
    Column("target_value", "sc.col_target", "metric_value", "sc.col_target_help"),
    Column("actual", "sc.col_actual", "metric_value", "sc.col_actual_help"),
    Column("attainment_pct", "sc.col_attainment", "pct", "sc.col_attainment_help"),
    Column("elapsed_pct", "sc.col_elapsed", "pct", "sc.kpi_elapsed_help"),
    Column("projection", "sc.col_projection", "metric_value", "sc.col_projection_help"),
    Column(
        "projected_attainment_pct",
        "sc.col_projected_attainment",
        "pct",
        "sc.col_projected_attainment_help",
    ),
    Column("light", "sc.col_light", "light", "sc.col_light_help"),
]
with st.container(border=True):
    st.subheader(
        t("sc.branch_targets", branch=names.get(branch, str(branch))),
        help=t("sc.branch_targets_help"),
        anchor=False,
    )
    table(
        mine,
        TARGET_COLUMNS,
        key="tg_branch_table",
        title=t("sc.branch_targets", branch=names.get(branch, str(branch))),
        viewer=viewer,
        filters=filters,
    )

if len(branches) > 1:
    with st.container(border=True):
        st.subheader(t("sc.light_matrix"), help=t("sc.light_matrix_help"), anchor=False)
        values, lights, greens = calc.light_matrix(card)
        metric_columns = [code for code in METRIC_NAMES if code in values]
        shown = pd.DataFrame({"branch_id": values.index, "branch_name": values.index.map(names)})
        for code in metric_columns:
            marks = lights[code].map(LIGHT_MARK).fillna("").to_numpy()
            percents = [fmt.pct(v, lang) for v in values[code]]
            shown[code] = [f"{m} {p}" for m, p in zip(marks, percents, strict=True)]
        shown["count_green"] = greens.to_numpy()
        table(
            shown,
            [
                Column("branch_name", "sc.col_branch", "text"),
                *[
                    Column(code, f"sc.metric_{code}", "text", "sc.col_projected_attainment_help")
                    for code in metric_columns
                ],
                Column("count_green", "sc.col_count_green", "count", "sc.light_green_help"),
            ],
            key="tg_matrix",
            title=t("sc.light_matrix"),
            viewer=viewer,
            filters=filters,
        )
    # A toggle, not an expander: an expander's content runs (and its thousands of rows are
    # formatted) on every rerun even while it is closed.
    if st.toggle(t("sc.all_targets"), key="tg_all", help=t("sc.all_targets_help")):
        everything = card.sort_values(["branch_id", "metric"])
        table(
            everything,
            [Column("branch_name", "sc.col_branch", "text"), *TARGET_COLUMNS],
            key="tg_all_table",
            title=t("sc.all_targets"),
            viewer=viewer,
            filters=filters,
        )
