"""Pieces the four scorecard pages share: branch names, the branch picker kept in the URL,
the cached queries, and the 6S / target computations every page starts from.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import scorecards as calc
from data_access import branch as branch_q
from data_access import retention
from data_access import scorecards as queries
from data_access.filters import Filters
from data_access.viewer import Viewer
from ui import cache
from ui.i18n import current_lang

six_s_rows = cache.scoped(queries.six_s_rows)
service_months = cache.scoped(queries.service_months)
branch_months = cache.scoped(queries.branch_months)
# Every branch target in view with its actual and light: the one target card, which
# ui.branch_summary (My branch, the monthly report) reads too.
target_card = cache.scoped(queries.target_card)
wealth_managers = cache.scoped(branch_q.wealth_managers)
staff_roles = cache.scoped(branch_q.staff_roles)
staff_books = cache.scoped(branch_q.staff_books)
staff_sales = cache.scoped(branch_q.staff_sales)
watchlist_by_branch = cache.scoped(branch_q.watchlist_by_branch)


# Contacts change while the app runs (the watchlist page records them): what counts them is
# cached under the contact log's stamp (count and latest time), read on every rerun.
def _contacts_by_staff(viewer: Viewer, filters: Filters, stamp: tuple[int, str]) -> pd.DataFrame:
    return branch_q.contacts_by_staff(viewer, filters)


def _watchlist_by_manager(
    viewer: Viewer, filters: Filters, stamp: tuple[int, str]
) -> pd.DataFrame | None:
    return branch_q.watchlist_by_manager(viewer, filters)


_cached_contacts_by_staff = cache.scoped(_contacts_by_staff)
_cached_watchlist_by_manager = cache.scoped(_watchlist_by_manager)


def contacts_by_staff(viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """``data_access.branch.contacts_by_staff``, cached until a contact is recorded."""
    return _cached_contacts_by_staff(viewer, filters, retention.contact_log_stamp())


def watchlist_by_manager(viewer: Viewer, filters: Filters) -> pd.DataFrame | None:
    """``data_access.branch.watchlist_by_manager``, cached until a contact is recorded."""
    return _cached_watchlist_by_manager(viewer, filters, retention.contact_log_stamp())


BRANCH_PARAM = "branch_view"


def branch_names(viewer: Viewer, lang: str | None = None) -> dict[int, str]:
    """Branch id -> name in the current language, for the branches the viewer may see."""
    lang = lang or current_lang()
    org = cache.org_units(viewer)
    column = "branch_name_zh" if lang == "zh" else "branch_name_en"
    return {int(b): str(n) for b, n in zip(org["branch_id"], org[column], strict=True)}


def branch_picker(
    label: str, options: list[int], names: dict[int, str], key: str, help_text: str
) -> int | None:
    """A branch select box whose choice is kept in the URL (``?branch_view=ID``)."""
    if not options:
        return None
    wanted = st.query_params.get(BRANCH_PARAM)
    try:
        default = int(wanted) if wanted is not None else options[0]
    except ValueError:
        default = options[0]
    if default not in options:
        default = options[0]
    if key not in st.session_state or st.session_state[key] not in options:
        st.session_state[key] = default
    chosen = st.selectbox(
        label, options, format_func=lambda b: names.get(b, str(b)), key=key, help=help_text
    )
    if st.query_params.get(BRANCH_PARAM) != str(chosen):
        st.query_params[BRANCH_PARAM] = str(chosen)
    return int(chosen)


def _scored_inspections(viewer: Viewer, filters: Filters) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The raw 6S rows and one scored row per inspection."""
    rows = six_s_rows(viewer, filters)
    return rows, calc.score_inspections(rows)


def _service_scores(viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """The service-quality index of every branch and month (``analytics.scorecards``)."""
    return calc.service_index(service_months(viewer, filters))


# Derived frames are cached like the queries under them (viewer, filters, warehouse version):
# a rerun with nothing changed recomputes neither the 6S scores nor the service index.
scored_inspections = cache.scoped(_scored_inspections)
service_scores = cache.scoped(_service_scores)
