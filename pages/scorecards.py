"""Branch scorecards 网点评价: 6S scores and star ratings, and the service-quality index.

6S: each branch's latest score of each S as a radar (overall and per area), the quarterly
trend, star ratings from ``analytics.scorecard_rules``, the league and the biggest movers.
Service: the composite index per branch and month, ranked, and how it relates to AUM growth
and churn. Numbers are computed in ``analytics.scorecards``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import scorecards as calc
from ui import auth, charts, components, page_params, scorecard_upload
from ui import filters as ui_filters
from ui import formatting as fmt
from ui import scorecard_charts as figures
from ui import scorecard_common as common
from ui.i18n import current_lang, t
from ui.scorecard_marks import stars_text
from ui.tables import Column, table

viewer = auth.require_page("scorecards")
filters = ui_filters.current_filters()
lang = current_lang()
components.page_header(t("page.scorecards"), ui_filters.describe(viewer, filters))
st.caption(t("sc.all_tiers_note"))

names = common.branch_names(viewer, lang)
with st.spinner(t("common.loading")):
    rows, scored = common.scored_inspections(viewer, filters)


S_COLUMNS = [
    Column(f"score_{code}", f"sc.s_{code}", "points", "sc.s_help") for code in calc.S_CODES
]


# ------------------------------------------------------------------ 6S
def show_6s() -> None:
    if scored.empty:
        charts.empty_state("sc.empty_6s")
    else:
        latest = calc.latest_per_branch(scored)
        latest["branch_name"] = latest["branch_id"].map(names)
        distribution = calc.star_distribution(latest)
        four_plus = distribution.loc[distribution["stars"] >= 4, "count_branches"].sum()
        with st.container(horizontal=True):
            st.metric(
                t("sc.kpi_branches"), fmt.count(len(latest), lang), help=t("sc.kpi_branches_help")
            )
            st.metric(
                t("sc.kpi_avg_6s"),
                f"{latest['overall'].mean():.1f}",
                help=t("sc.kpi_avg_6s_help"),
            )
            st.metric(
                t("sc.kpi_four_plus"),
                fmt.pct(four_plus / len(latest) * 100, lang),
                help=t("sc.kpi_four_plus_help"),
            )
            st.metric(
                t("sc.kpi_last_inspection"),
                fmt.date(latest["inspected_on"].max(), lang),
                help=t("sc.kpi_last_inspection_help"),
            )

        options = list(calc.league_table(latest)["branch_id"].astype(int))
        if viewer.branch_id in options:
            options.remove(viewer.branch_id)
            options.insert(0, int(viewer.branch_id))
        branch = common.branch_picker(
            t("sc.pick_branch"), options, names, "sc_branch", t("sc.pick_branch_help")
        )
        mine = latest[latest["branch_id"] == branch].iloc[0]
        radar_col, area_col = st.columns(2, gap="medium")
        with radar_col, st.container(border=True):
            st.subheader(t("sc.radar"), help=t("sc.radar_help"), anchor=False)
            st.markdown(
                t(
                    "sc.radar_caption",
                    stars=stars_text(mine["stars"]),
                    score=f"{mine['overall']:.1f}",
                    date=fmt.date(mine["inspected_on"], lang),
                )
            )
            series = {
                names.get(branch, str(branch)): mine,
                t("sc.series_average"): latest[list(calc.S_COLUMNS)].mean(),
            }
            charts.show(figures.radar(series), key="sc_radar")
        with area_col, st.container(border=True):
            st.subheader(t("sc.area_radar"), help=t("sc.area_radar_help"), anchor=False)
            profile = calc.area_profile(rows, int(mine["inspection_id"]))
            charts.show(figures.area_radar(profile), key="sc_area_radar")

        trend_col, stars_col = st.columns([3, 2], gap="medium")
        with trend_col, st.container(border=True):
            st.subheader(t("sc.trend"), help=t("sc.trend_help"), anchor=False)
            trend = calc.quarterly_trend(scored)
            charts.show(figures.quarterly_trend(trend, names), key="sc_trend")
        with stars_col, st.container(border=True):
            st.subheader(t("sc.stars"), help=t("sc.stars_help"), anchor=False)
            charts.show(figures.star_bars(distribution), key="sc_stars")

        with st.container(border=True):
            st.subheader(t("sc.league"), help=t("sc.league_help"), anchor=False)
            league = calc.league_table(latest)
            table(
                league,
                [
                    Column("rank", "sc.col_rank", "count", "sc.col_rank_help"),
                    Column("branch_name", "sc.col_branch", "text"),
                    Column("stars", "sc.col_stars", "stars", "sc.col_stars_help"),
                    Column("overall", "sc.col_overall", "points", "sc.col_overall_help"),
                    Column("change", "sc.col_change", "signed_points", "sc.col_change_help"),
                    *S_COLUMNS,
                    Column("inspected_on", "sc.col_inspected_on", "date"),
                ],
                key="sc_league",
                title=t("sc.league"),
                viewer=viewer,
                filters=filters,
            )

        up, down = calc.movers(latest)
        mover_columns = [
            Column("branch_name", "sc.col_branch", "text"),
            Column("overall", "sc.col_overall", "points", "sc.col_overall_help"),
            Column("change", "sc.col_change", "signed_points", "sc.col_change_help"),
            Column("stars", "sc.col_stars", "stars", "sc.col_stars_help"),
        ]
        up_col, down_col = st.columns(2, gap="medium")
        for column, frame, key, title in (
            (up_col, up, "sc_improvers", "sc.improvers"),
            (down_col, down, "sc_decliners", "sc.decliners"),
        ):
            with column, st.container(border=True):
                st.subheader(t(title), help=t("sc.movers_help"), anchor=False)
                if frame.empty:
                    st.caption(t("sc.no_movers"))
                else:
                    table(
                        frame,
                        mover_columns,
                        key=key,
                        title=t(title),
                        viewer=viewer,
                        filters=filters,
                    )


# ------------------------------------------------------------------ service quality
def show_service() -> None:
    service = common.service_scores(viewer, filters)
    month = pd.Timestamp(filters.month) if filters.month else None
    if service.empty or month is None or month not in set(service["month_start"]):
        charts.empty_state("sc.empty_service")
    else:
        ranked = calc.rank_month(service, month)
        ranked["branch_name"] = ranked["branch_id"].map(names)
        with st.container(border=True):
            st.subheader(
                t("sc.service_ranking", month=fmt.month(month, lang)),
                help=t("sc.service_index_help"),
                anchor=False,
            )
            table(
                ranked,
                [
                    Column("rank", "sc.col_rank", "count", "sc.col_service_rank_help"),
                    Column("previous_rank", "sc.col_previous_rank", "count"),
                    Column("branch_name", "sc.col_branch", "text"),
                    Column(
                        "service_index", "sc.col_service_index", "points", "sc.service_index_help"
                    ),
                    Column(
                        "satisfaction_pct", "sc.col_satisfaction", "pct", "sc.col_satisfaction_help"
                    ),
                    Column(
                        "mystery_shopper_score", "sc.col_mystery", "points", "sc.col_mystery_help"
                    ),
                    Column(
                        "complaints_per_10k", "sc.col_complaints", "ratio", "sc.col_complaints_help"
                    ),
                    Column("avg_wait_minutes", "sc.col_wait", "points", "sc.col_wait_help"),
                    Column(
                        "off_counter_pct", "sc.col_off_counter", "pct", "sc.col_off_counter_help"
                    ),
                ],
                key="sc_service",
                title=t("sc.service_ranking", month=fmt.month(month, lang)),
                viewer=viewer,
                filters=filters,
            )
        window = ui_filters.in_window(service, filters)
        with st.container(border=True):
            st.subheader(t("sc.service_trend"), help=t("sc.service_trend_help"), anchor=False)
            focus = viewer.branch_id if viewer.branch_id in set(ranked["branch_id"]) else None
            focus = int(ranked["branch_id"].iloc[0]) if focus is None else focus
            st.caption(t("sc.service_trend_caption", branch=names.get(focus, str(focus))))
            charts.show(figures.service_trend(window, focus), key="sc_service_trend")

        outcomes = calc.branch_outcomes(
            common.branch_months(viewer, filters), month, filters.months_back
        )
        relation = calc.service_vs_outcomes(window, outcomes)
        growth_col, churn_col = st.columns(2, gap="medium")
        for column, y, title, axis, key in (
            (growth_col, "aum_growth_pct", "sc.vs_growth", "sc.axis_growth", "sc_vs_growth"),
            (churn_col, "churn_rate_pct", "sc.vs_churn", "sc.axis_churn", "sc_vs_churn"),
        ):
            with column, st.container(border=True):
                st.subheader(t(title), help=t(f"{title}_help"), anchor=False)
                fit = calc.fit_line(relation["service_index"], relation[y])
                if fit is None:
                    st.caption(t("sc.no_fit"))
                else:
                    st.caption(
                        t(
                            "sc.fit_caption",
                            slope=f"{fit['slope']:+.2f}",
                            r=f"{fit['r']:.2f}",
                            n=int(fit["n"]),
                        )
                    )
                charts.show(
                    figures.scatter_fit(
                        relation,
                        "service_index",
                        y,
                        fit,
                        names,
                        t("sc.axis_service"),
                        t(axis),
                        highlight=viewer.branch_id,
                    ),
                    key=key,
                )
        with st.expander(t("sc.relation_table")):
            relation["branch_name"] = relation["branch_id"].map(names)
            table(
                relation,
                [
                    Column("branch_name", "sc.col_branch", "text"),
                    Column(
                        "service_index", "sc.col_service_index", "points", "sc.service_index_help"
                    ),
                    Column(
                        "aum_growth_pct",
                        "sc.col_aum_growth",
                        "signed_pct",
                        "sc.col_aum_growth_help",
                    ),
                    Column("churn_rate_pct", "sc.col_churn_rate", "pct", "sc.col_churn_rate_help"),
                ],
                key="sc_relation",
                title=t("sc.relation_table"),
                viewer=viewer,
                filters=filters,
            )


# ------------------------------------------------------------------ inspection upload
def show_upload() -> None:
    scorecard_upload.upload_section(viewer, names)


# ------------------------------------------------------------------ tabs (only the open one runs)
page_params.lazy_tabs(
    "sc_tab",
    {
        "6s": (t("sc.tab_6s"), show_6s),
        "service": (t("sc.tab_service"), show_service),
        "upload": (t("sc.tab_upload"), show_upload),
    },
)
