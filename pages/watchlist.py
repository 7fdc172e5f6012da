"""Churn watchlist 流失预警: who may leave, what is at risk, what was done, and did it work."""

from __future__ import annotations

import streamlit as st

from data_access import watchlist as wl
from ui import auth, cache, components, page_params
from ui import filters as ui_filters
from ui import watchlist_view as view
from ui.i18n import t

viewer = auth.require_page("watchlist")
filters = ui_filters.current_filters()
components.page_header(t("page.watchlist"), ui_filters.describe(viewer, filters))

month = cache.scoped(wl.watch_month)(viewer, filters.month)
if month is None:
    view.no_scores()
    st.stop()
view.month_note(month, filters.month)


def show_list() -> None:
    view.list_tab(filters, month)  # a fragment: a recorded action redraws this tab alone


def show_followup() -> None:
    view.followup(viewer, filters)


# ------------------------------------------------------------------ tabs (only the open one runs)
page_params.lazy_tabs(
    "wl_tab",
    {
        "list": (t("wl.tab_list"), show_list),
        "followup": (t("wl.tab_followup"), show_followup),
    },
)
