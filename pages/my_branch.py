"""My branch 我的网点: the branch head's home page, one branch on one screen.

The business review's opening line for the branch's financial assets (balance, change since 1
January, the annual plan's attainment against time elapsed, on the chosen basis), KPIs against
target, the wealth managers' league, the churn watchlist's size and assets at
risk, 6S and service quality. Managers pick a branch; a branch head sees their own. The page
prints cleanly (print stylesheet) and offers the monthly report (ui/branch_report.py) as a
self-contained HTML download.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import kpis, rules
from analytics import scorecard_rules as sr
from catalogue import metrics
from ui import (
    auth,
    branch_report,
    branch_summary,
    cache,
    charts,
    components,
    hongyan_league,
    review_line,
)
from ui import filters as ui_filters
from ui import formatting as fmt
from ui import scorecard_charts as figures
from ui import scorecard_common as common
from ui.i18n import current_lang, name_of, t
from ui.scorecard_marks import LIGHT_MARK, metric_names, metric_unit_names, stars_text
from ui.tables import Column, table

PRINT_CSS = """
<style>
@media print {
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"],
  [data-testid="stDownloadButton"], [data-testid="stBaseButton-secondary"],
  [data-testid="stElementToolbar"], .modebar { display: none !important; }
  [data-testid="stMain"] { margin: 0 !important; padding: 0 !important; }
  [data-testid="stVerticalBlockBorderWrapper"] { break-inside: avoid; }
  @page { size: A4; margin: 12mm; }
}
</style>
"""

viewer = auth.require_page("my_branch")
filters = ui_filters.current_filters()
basis_code = ui_filters.current_basis()
lang = current_lang()
gather = cache.scoped(branch_summary.gather)
names = common.branch_names(viewer, lang)
org = cache.org_units(viewer)
if filters.branch_ids:
    org = org[org["branch_id"].isin(filters.branch_ids)]
if filters.cooperative_ids:
    org = org[org["cooperative_id"].isin(filters.cooperative_ids)]
if filters.prefecture_ids:
    org = org[org["prefecture_id"].isin(filters.prefecture_ids)]
options = [int(b) for b in org["branch_id"]]
if viewer.branch_id in options:
    options = [int(viewer.branch_id)]

components.page_header(t("page.my_branch"), ui_filters.describe(viewer, filters))
st.html(PRINT_CSS)
if not options or filters.month is None:
    charts.empty_state("sc.empty_branch")
    st.stop()
branch = (
    common.branch_picker(t("sc.pick_branch"), options, names, "mb_branch", t("sc.pick_branch_help"))
    if len(options) > 1
    else options[0]
)
with st.spinner(t("common.loading")):
    summary = gather(viewer, branch, filters.month)
st.subheader(
    t("sc.my_branch_title", branch=summary.name(lang), month=fmt.month(summary.month, lang)),
    anchor=False,
)
st.caption(t("sc.print_hint"))

# ------------------------------------------------------------------ the year so far
# The branch's annual plans: its year targets, by metric.
year_plans = summary.targets[summary.targets["period_kind"] == "year"]
review_line.draw_all(
    summary.totals,
    summary.month,
    basis_code,
    {
        str(m): float(v)
        for m, v in zip(year_plans["metric"], year_plans["target_value"], strict=True)
    },
)

# ------------------------------------------------------------------ headline numbers
totals = summary.totals.sort_values("month_start").set_index("month_start")
window = totals[totals.index <= summary.month].tail(filters.months_back)
now = totals.loc[summary.month] if summary.month in totals.index else None
before = (
    totals.loc[summary.month - pd.DateOffset(months=1)]
    if (summary.month - pd.DateOffset(months=1)) in totals.index
    else None
)


def _delta(column: str, unit: str) -> str | None:
    """The change since last month: a count of a few customers changes by units (+1户)."""
    if now is None or before is None:
        return None
    text = fmt.delta(now[column], before[column], unit, lang, measure="户")
    return None if text == fmt.DASH else text


with st.container(horizontal=True):
    for metric in metrics.HEADLINE_METRICS:
        column = kpis.headline_column(metric, basis_code)
        value = None if now is None else now[column]
        st.metric(
            components.headline_label_on(metric, summary.month, basis_code, lang),
            fmt.by_unit(value, metric.unit, lang),
            delta=_delta(column, metric.unit),
            delta_description=t("kpi.mom"),
            help=components.headline_help(metric, basis_code, lang),
            chart_data=list(window[column]) or None,
            chart_type="area",
        )
    watch = summary.watchlist
    has_watch = watch is not None and not watch.empty
    st.metric(
        t("sc.kpi_watchlist"),
        fmt.count(watch["count_watchlist"].iloc[0], lang) if has_watch else fmt.DASH,
        help=t("sc.kpi_watchlist_help"),
    )
    st.metric(
        t("sc.kpi_at_risk"),
        fmt.money(watch["assets_at_risk_rmb"].iloc[0], lang) if has_watch else fmt.DASH,
        help=t("sc.kpi_at_risk_help"),
    )
if watch is None:
    st.caption(t("sc.no_churn_scores"))

# ------------------------------------------------------------------ targets
METRIC_NAMES = metric_names(lang)
year = summary.targets[summary.targets["period_kind"] == "year"].copy()
with st.container(border=True):
    st.subheader(t("sc.kpis_vs_target"), help=t("sc.attainment_chart_help"), anchor=False)
    if year.empty:
        charts.empty_state("sc.empty_targets")
    else:
        year["metric_name"] = year["metric"].map(METRIC_NAMES)
        year["unit"] = year["metric"].map(metric_unit_names(lang))
        lights = " ".join(f"{LIGHT_MARK[v]}" for v in year["light"])
        st.caption(
            t(
                "sc.period_caption",
                start=fmt.date(year["period_start"].iloc[0], lang),
                end=fmt.date(year["period_end"].iloc[0], lang),
                elapsed=fmt.pct(year["elapsed_pct"].iloc[0], lang),
            )
            + f" · {lights}"
        )
        chart_col, table_col = st.columns([2, 3], gap="medium")
        with chart_col:
            charts.show(
                figures.attainment_bars(year, list(year["metric_name"])), key="mb_targets_chart"
            )
        with table_col:
            table(
                year,
                [
                    Column("metric_name", "sc.col_metric", "text"),
                    Column("unit", "sc.col_unit", "text"),
                    Column("target_value", "sc.col_target", "metric_value", "sc.col_target_help"),
                    Column("actual", "sc.col_actual", "metric_value", "sc.col_actual_help"),
                    Column("attainment_pct", "sc.col_attainment", "pct", "sc.col_attainment_help"),
                    Column(
                        "projected_attainment_pct",
                        "sc.col_projected_attainment",
                        "pct",
                        "sc.col_projected_attainment_help",
                    ),
                    Column("light", "sc.col_light", "light", "sc.col_light_help"),
                ],
                key="mb_targets",
                title=t("sc.kpis_vs_target"),
                viewer=viewer,
                filters=filters,
            )

# ------------------------------------------------------------------ wealth managers
with st.container(border=True):
    st.subheader(t("sc.wm_league_short"), help=t("sc.wm_league_help"), anchor=False)
    league = summary.league
    if league.empty:
        charts.empty_state("sc.empty_hongyan")
    else:
        table(
            hongyan_league.with_labels(league, lang),
            hongyan_league.columns(across_branches=False),
            key="mb_league",
            title=t("sc.wm_league_short"),
            viewer=viewer,
            filters=filters,
        )

# ------------------------------------------------------------------ 6S and service
six_col, service_col = st.columns(2, gap="medium")
with six_col, st.container(border=True):
    st.subheader(t("sc.radar"), help=t("sc.radar_help"), anchor=False)
    latest = summary.six_s_latest
    if latest is None:
        charts.empty_state("sc.empty_6s")
    else:
        st.markdown(
            t(
                "sc.radar_caption",
                stars=stars_text(latest["stars"]),
                score=f"{latest['overall']:.1f}",
                date=fmt.date(latest["inspected_on"], lang),
            )
        )
        series = {summary.name(lang): latest}
        if summary.six_s_peer_mean is not None and summary.count_peers > 1:
            series[t("sc.series_average")] = summary.six_s_peer_mean
        charts.show(figures.radar(series), key="mb_radar")
        weakest = latest["weakest_s"]
        st.caption(
            t(
                "sc.weakest",
                s=name_of(next(x for x in rules.SIX_S if x[0] == weakest), lang),
                score=f"{latest['lowest_s']:.1f}",
            )
        )
with service_col, st.container(border=True):
    st.subheader(t("sc.service_trend"), help=t("sc.service_index_help"), anchor=False)
    rank = summary.service_rank
    if rank is None:
        charts.empty_state("sc.empty_service")
    else:
        st.markdown(
            t(
                "sc.report_service",
                index=f"{rank['service_index']:.1f}",
                rank=int(rank["rank"]),
                peers=summary.count_peers,
            )
        )
        service = ui_filters.in_window(summary.service, filters)
        charts.show(figures.service_trend(service, summary.branch_id), key="mb_service")
        parts = {c.code: rank[f"sq_{c.code}"] for c in sr.SERVICE_COMPONENTS}
        st.caption(
            " · ".join(f"{t(f'sc.component_{code}')} {value:.0f}" for code, value in parts.items())
        )

# ------------------------------------------------------------------ report
with st.container(border=True):
    st.subheader(t("sc.report_download"), help=t("sc.report_download_help"), anchor=False)
    report_key = f"mb_report_{branch}_{summary.month:%Y%m}_{lang}"
    if st.button(t("sc.report_prepare"), key="mb_report_prepare", icon=":material/description:"):
        st.session_state[report_key] = branch_report.render(summary, lang).encode("utf-8")
    if report_key in st.session_state:
        st.download_button(
            t("sc.report_save"),
            st.session_state[report_key],
            file_name=f"pcrm_branch_{branch}_{summary.month:%Y-%m}_{lang}.html",
            mime="text/html",
            key="mb_report_download",
            icon=":material/download:",
            on_click="ignore",
        )
