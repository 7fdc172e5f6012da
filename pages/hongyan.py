"""Hongyan plan 鸿雁计划: the wealth-manager league, the stepwise targets of each level,
productivity per level, counter diversion and tellers moving into advisory roles.

Levels and their targets are in ``analytics.scorecard_rules`` (docs/rules.md); the league and
productivity are computed in ``analytics.hongyan``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import hongyan as calc
from ui import auth, charts, components, hongyan_league
from ui import filters as ui_filters
from ui import formatting as fmt
from ui import scorecard_charts as figures
from ui import scorecard_common as common
from ui.i18n import current_lang, t
from ui.tables import Column, table

viewer = auth.require_page("hongyan")
filters = ui_filters.current_filters()
lang = current_lang()
components.page_header(t("page.hongyan"), ui_filters.describe(viewer, filters))

if filters.month is None:
    charts.empty_state("sc.empty_hongyan")
    st.stop()
month = pd.Timestamp(filters.month)
months = [pd.Timestamp(m) for m in ui_filters.available_months(viewer)]
base = max([m for m in months if m <= month - pd.DateOffset(months=12)] or months[:1] or [month])
names = common.branch_names(viewer, lang)
LEVEL_NAMES = hongyan_league.level_names(lang)

with st.spinner(t("common.loading")):
    managers = common.wealth_managers(viewer, filters)
    books = common.staff_books(viewer, filters, (base.date(), month.date()))
    sales = common.staff_sales(viewer, filters)
    contacts = common.contacts_by_staff(viewer, filters)
    watch = common.watchlist_by_manager(viewer, filters)
    service = common.service_months(viewer, filters)
    roles = common.staff_roles(viewer, filters)

if managers.empty:
    charts.empty_state("sc.empty_hongyan")
    st.stop()
no_scores = watch is None
if no_scores:
    watch = pd.DataFrame(columns=["rm_staff_id", "count_watchlist", "count_watchlist_contacted"])
league = calc.league(managers, books, sales, contacts, watch, month, base)
league["branch_name"] = league["branch_id"].map(names)
league = hongyan_league.with_labels(league, lang)
league["ready"] = [t("sc.yes") if r else "" for r in league["ready_next_level"]]

with st.container(horizontal=True):
    st.metric(t("sc.kpi_managers"), fmt.count(len(league), lang), help=t("sc.kpi_managers_help"))
    st.metric(
        t("sc.kpi_aum_per_manager"),
        fmt.money(league["aum_rmb"].mean(), lang),
        help=t("sc.kpi_aum_per_manager_help"),
    )
    st.metric(
        t("sc.kpi_sales_per_manager"),
        fmt.money(league["sales_rmb"].mean(), lang),
        help=t("sc.kpi_sales_per_manager_help"),
    )
    st.metric(
        t("sc.kpi_ready"),
        fmt.count(int(league["ready_next_level"].sum()), lang),
        help=t("sc.kpi_ready_help"),
    )

with st.container(border=True):
    st.subheader(
        t("sc.wm_league", month=fmt.month(month, lang)), help=t("sc.wm_league_help"), anchor=False
    )
    st.caption(t("sc.growth_since", month=fmt.month(base, lang)))
    if no_scores:
        st.caption(t("sc.no_churn_scores"))
    table(
        league,
        hongyan_league.columns(across_branches=True),
        key="hy_league",
        title=t("sc.wm_league", month=fmt.month(month, lang)),
        viewer=viewer,
        filters=filters,
    )

levels_col, productivity_col = st.columns(2, gap="medium")
with levels_col, st.container(border=True):
    st.subheader(t("sc.level_targets"), help=t("sc.level_targets_help"), anchor=False)
    steps = calc.level_targets()
    steps["level_name"] = steps["hongyan_level"].map(LEVEL_NAMES)
    table(
        steps,
        [
            Column("level_name", "sc.col_level", "text", "sc.col_level_help"),
            Column("min_aum_rmb", "sc.col_aum_managed", "money", "sc.col_aum_managed_help"),
            Column("sales_rmb", "sc.col_sales", "money", "sc.col_sales_help"),
            Column("products_sold", "sc.col_products", "count", "sc.col_products_help"),
            Column("customers_contacted", "sc.col_contacted", "count", "sc.col_contacted_help"),
            Column("watchlist_coverage_pct", "sc.col_coverage", "pct", "sc.col_coverage_help"),
        ],
        key="hy_levels",
        title=t("sc.level_targets"),
        viewer=viewer,
        filters=filters,
    )
with productivity_col, st.container(border=True):
    st.subheader(t("sc.productivity"), help=t("sc.productivity_help"), anchor=False)
    productivity = calc.productivity_by_level(league)
    charts.show(
        figures.level_bars(productivity, "aum_per_manager_rmb", t("sc.col_aum_per_manager")),
        key="hy_productivity",
    )
with st.container(border=True):
    st.subheader(t("sc.productivity_table"), help=t("sc.productivity_help"), anchor=False)
    productivity["level_name"] = productivity["hongyan_level"].map(LEVEL_NAMES)
    table(
        productivity,
        [
            Column("level_name", "sc.col_level", "text", "sc.col_level_help"),
            Column("count_managers", "sc.col_managers", "count", "sc.kpi_managers_help"),
            Column(
                "aum_per_manager_rmb", "sc.col_aum_per_manager", "money", "sc.col_aum_managed_help"
            ),
            Column("customers_per_manager", "sc.col_customers", "points", "sc.col_customers_help"),
            Column("sales_per_manager_rmb", "sc.col_sales", "money", "sc.col_sales_help"),
            Column("products_per_manager", "sc.col_products", "points", "sc.col_products_help"),
            Column("contacted_per_manager", "sc.col_contacted", "points", "sc.col_contacted_help"),
            Column("share_all_targets_met_pct", "sc.col_all_met", "pct", "sc.col_all_met_help"),
        ],
        key="hy_productivity_table",
        title=t("sc.productivity_table"),
        viewer=viewer,
        filters=filters,
    )

with st.container(border=True):
    st.subheader(t("sc.diversion"), help=t("sc.diversion_help"), anchor=False)
    window = ui_filters.in_window(service, filters)
    diversion = calc.diversion_trend(window)
    first = window["month_start"].min() if len(window) else month
    moves = calc.role_moves(roles, pd.Timestamp(first), month)
    if diversion.empty:
        charts.empty_state()
    else:
        charts.show(figures.diversion_and_moves(diversion, moves), key="hy_diversion")
        joined = diversion.merge(moves, on="month_start", how="left")
        table(
            joined,
            [
                Column("month_start", "sc.col_month", "month"),
                Column("diversion_pct", "sc.series_diversion", "pct", "sc.diversion_help"),
                Column("count_txn_counter", "sc.col_txn_counter", "count"),
                Column("count_txn_off_counter", "sc.col_txn_off_counter", "count"),
                Column("wealth_manager", "sc.col_moved_wm", "count", "sc.moves_help"),
                Column("account_manager", "sc.col_moved_am", "count", "sc.moves_help"),
                Column("cumulative", "sc.col_moved_cumulative", "count", "sc.moves_help"),
            ],
            key="hy_diversion_table",
            title=t("sc.diversion"),
            viewer=viewer,
            filters=filters,
        )
