"""Overview 经营总览: the business review's opening line for financial assets (balance, change
since 1 January, plan attainment against time elapsed, on the chosen basis), then AUM,
customers and VIPs this month against last month and last year, the AUM mix and the customer
base."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import kpis, rules
from ui import auth, cache, charts, components, review_line
from ui import filters as ui_filters
from ui.i18n import t

viewer = auth.require_page("overview")
filters = ui_filters.current_filters()
basis_code = ui_filters.current_basis()
components.page_header(t("page.overview"), ui_filters.describe(viewer, filters))

with st.spinner(t("common.loading")):
    monthly = cache.monthly_totals(viewer, filters)
month = pd.Timestamp(filters.month) if filters.month else None
if month is None or month not in set(monthly["month_start"]):
    charts.empty_state("empty.body", "empty.title")
    st.stop()

window = ui_filters.in_window(monthly, filters)
plan, notes = review_line.plan_for(viewer, filters, basis_code)
review_line.draw(monthly, month, basis_code, plan, notes=notes)
components.kpi_row(components.headline_cards(monthly, month, window, basis_code=basis_code))

aum_column, customers_column = st.columns([3, 2], gap="medium")
with aum_column, st.container(border=True):
    st.subheader(t("chart.aum_by_class"), help=t("chart.aum_by_class_help"), anchor=False)
    st.caption(t("review.end_only"))
    mix = kpis.asset_class_long(window[["month_start", *rules.ASSET_COLUMNS]])
    charts.show(charts.aum_by_asset_class(mix), key="overview_aum")
with customers_column, st.container(border=True):
    st.subheader(t("chart.customers"), help=t("chart.customers_help"), anchor=False)
    charts.show(charts.customers_over_time(window), key="overview_customers")
