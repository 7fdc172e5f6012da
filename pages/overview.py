"""Overview 经营总览: deposits first, then financial assets. The business review's opening lines
(balance, change since 1 January, plan attainment against time elapsed, on the chosen basis) for
savings deposits and for financial assets; the deposits row (储蓄存款, their cost and 存款偏离度,
the branches above the 4% line); financial assets (AUM, the wider measure), customers and VIPs
this month against last month and last year, the AUM mix and the customer base."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import kpis, rules
from data_access import trends as queries
from ui import auth, cache, charts, components, drill, review_line
from ui import deposits as deposit_view
from ui import filters as ui_filters
from ui.i18n import current_lang, t
from ui.trend_charts import LEVEL_KEYS

viewer = auth.require_page("overview")
filters = ui_filters.current_filters()
basis_code = ui_filters.current_basis()
lang = current_lang()
components.page_header(t("page.overview"), ui_filters.describe(viewer, filters))

with st.spinner(t("common.loading")):
    monthly = cache.monthly_totals(viewer, filters)
month = pd.Timestamp(filters.month) if filters.month else None
if month is None or month not in set(monthly["month_start"]):
    charts.empty_state("empty.body", "empty.title")
    st.stop()

window = ui_filters.in_window(monthly, filters)

# ---------------------------------------------------------- the opening lines, deposits first
review_line.draw_all(
    monthly, month, basis_code, *review_line.plans_for(viewer, filters, basis_code)
)

# ------------------------------------------------------------------ deposits
branches = cache.scoped(queries.unit_monthly)(viewer, filters, "branch")
org = drill.in_filters(cache.org_units(viewer), filters)
names = org.drop_duplicates("branch_id").set_index("branch_id")[f"branch_name_{lang}"]
above = deposit_view.above_cap_units(branches, names, month, set(window["month_start"]))
branch_label = t(LEVEL_KEYS["branch"])
st.subheader(t("dep.title"), help=t("dep.title_help"), anchor=False)
components.kpi_row(deposit_view.deposit_cards(monthly, month, window))
st.caption(deposit_view.summary(monthly, month, len(above), branch_label))
if len(above):
    with st.expander(t("dep.above_title", level=branch_label) + f" ({len(above)})"):
        deposit_view.above_cap_table(above, branch_label, "overview_above_cap", viewer, filters, {})

# ------------------------------------------------------------------ financial assets (AUM)
st.subheader(t("dep.aum_title"), help=t("dep.aum_title_help"), anchor=False)
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
