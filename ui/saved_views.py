"""The "Saved views" popover: save the page and its filters under a name, reopen or delete.

A view is the page key and its URL query string (global filters, segment filters, months).
Reopening forgets the session's filter and page widget state, then switches to the page with
the saved query string, so every filter is read back from the URL.
"""

from __future__ import annotations

import logging

import streamlit as st

from data_access import saved_views
from data_access.viewer import Viewer
from ui import filters as ui_filters
from ui.i18n import t

log = logging.getLogger(__name__)

# Widget keys of the pages whose state comes from the URL (cleared when a view is reopened).
PAGE_WIDGET_PREFIXES: tuple[str, ...] = ("seg_", "mig_")


def _params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def _open(page: str, query_string: str) -> None:
    ui_filters.reload_from_url()
    for key in [k for k in st.session_state if str(k).startswith(PAGE_WIDGET_PREFIXES)]:
        del st.session_state[key]
    params = saved_views.from_query_string(query_string)
    lang = st.query_params.get("lang")
    if lang:
        params["lang"] = [lang]
    st.switch_page(f"pages/{page}.py", query_params=params)


def saved_views_panel(viewer: Viewer, page: str) -> None:
    """Draw the popover for ``page`` (key as in app.py) for the signed-in ``viewer``."""
    with st.popover(t("views.title"), icon=":material/bookmarks:", help=t("views.help")):
        name = st.text_input(t("views.name"), key=f"views_name_{page}", max_chars=96)
        if st.button(t("views.save"), key=f"views_save_{page}", icon=":material/bookmark_add:"):
            if name.strip():
                saved_views.save_view(viewer.user_id, name, page, _params())
                st.toast(t("views.saved", name=name.strip()), icon=":material/bookmark_added:")
            else:
                st.warning(t("views.name_needed"))
        views = saved_views.list_views(viewer.user_id)
        if views.empty:
            st.caption(t("views.none"))
        for row in views.itertuples():
            left, right = st.columns([4, 1])
            title = f"{row.name} · {t(f'page.{row.page}')}"
            if left.button(title, key=f"views_open_{row.view_id}", type="tertiary"):
                _open(row.page, row.query_string)
            if right.button(
                "",
                key=f"views_delete_{row.view_id}",
                icon=":material/delete:",
                help=t("views.delete"),
            ):
                saved_views.delete_view(viewer.user_id, row.view_id)
                st.rerun()
