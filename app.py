"""PCRM dashboard: page setup, sign-in, the shared sidebar and the navigation.

Run with ``make run`` (or ``streamlit run app.py``). Pages live in ``pages/`` and are declared
in ``ui.navigation.PAGES``; navigation shows a page only to the roles with the capability
``ui.auth.PAGE_CAPABILITY`` names for it, and each page checks again.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
import streamlit as st
from sqlalchemy.engine import make_url

from data_access import query, settings
from data_access.warehouse import WarehouseMissing
from ui import auth, cache, components
from ui import filters as ui_filters
from ui.i18n import language_switch, t
from ui.navigation import PAGES, SECTIONS, home_page

ROOT = Path(__file__).resolve().parent


def _safe_url() -> str:
    return make_url(settings.warehouse_url()).render_as_string(hide_password=True)


def _run_alone(screen, title: str, icon: str) -> None:
    """Show one screen (sign-in, or why there is no data) and nothing else, then stop.

    The pages stay registered (hidden, never run), so a shared link ``/<page>?<filters>`` keeps
    its address through the sign-in and then opens on its page with its filters.
    """
    with st.sidebar:
        language_switch()
    pages = [st.Page(screen, title=title, icon=icon, default=True)]
    pages += [
        st.Page(path, title=t(f"page.{key}"), url_path=key, visibility="hidden")
        for path, key, _, _ in PAGES
        if (ROOT / path).exists()
    ]
    st.navigation(pages, position="hidden")
    screen()
    st.stop()


def _warehouse_missing() -> None:
    st.title(t("warehouse.missing_title"), anchor=False)
    st.error(t("warehouse.missing_body", url=_safe_url()), icon=":material/database_off:")


def _warehouse_unreachable() -> None:
    st.title(t("warehouse.unreachable_title"), anchor=False)
    st.error(t("warehouse.unreachable_body", url=_safe_url()), icon=":material/cloud_off:")


def _no_pages() -> None:
    st.info(t("auth.no_pages"), icon=":material/admin_panel_settings:")
    st.button(t("sidebar.sign_out"), on_click=auth.sign_out, icon=":material/logout:")


st.set_page_config(
    page_title=t("app.browser_title"),
    page_icon=":material/account_balance:",
    layout="wide",
)

# A demo / load / refresh run swaps in a new version while the app is open: check on every rerun,
# reconnect (check_version does) and drop every cached result of the old version.
try:
    cache.note_version(query.check_version())
except WarehouseMissing:
    _run_alone(_warehouse_missing, t("warehouse.missing_title"), ":material/database_off:")
except sa.exc.DBAPIError:
    _run_alone(_warehouse_unreachable, t("warehouse.unreachable_title"), ":material/cloud_off:")

viewer = auth.current_viewer()
if viewer is None:
    _run_alone(auth.sign_in_page, t("auth.title"), ":material/login:")

allowed = [
    (path, key, section, icon)
    for path, key, section, icon in PAGES
    if (ROOT / path).exists() and auth.may_open(viewer, key)
]
home = home_page(viewer.role)
if home not in {key for _, key, _, _ in allowed}:
    home = allowed[0][1] if allowed else None
sections: dict[str, list[st.Page]] = {}
for path, key, section, icon in allowed:
    sections.setdefault(t(section), []).append(
        st.Page(
            path,
            title=t(f"page.{key}"),
            icon=icon,
            url_path=key,
            default=key == home,
            help=t(f"page.{key}_help"),
        )
    )
if not sections:
    _run_alone(_no_pages, t("app.title"), ":material/admin_panel_settings:")

page = st.navigation({t(s): sections[t(s)] for s in SECTIONS if t(s) in sections})
info = cache.warehouse_info(viewer)
with st.sidebar:
    ui_filters.sidebar_filters(viewer)
    st.divider()
    st.caption(t("sidebar.signed_in_as"))
    st.markdown(f":material/person: **{auth.persona_line(viewer)}**")
    st.button(t("sidebar.sign_out"), on_click=auth.sign_out, icon=":material/logout:")
    auth.unmask_control(viewer)
    language_switch()
    components.data_as_of(info)
components.stale_banner(info)
auth.run_page(page)
