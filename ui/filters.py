"""The global filters in the sidebar, kept in the URL so a view can be bookmarked and shared.

Month (latest by default), trend window, the balance basis (daily average or month-end; the
organisation's ``default_basis`` setting by default), prefecture -> county cooperative -> branch
(a cascade limited to what the viewer may see) and customer tier. The URL holds ids and codes,
never names, so a link works in either language::

    ?month=2026-06&window=24&basis=end&prefecture=2&cooperative=7&branch=31&branch=32&tier=vip

The session keeps the same state (``st.query_params`` is reset when the user switches pages);
on a new session it is read back from the URL. Values the viewer may not see are dropped, and
the data layer applies the viewer's scope underneath whatever the URL says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from analytics import rules
from catalogue import basis, levels
from data_access import settings
from data_access.filters import Filters
from data_access.viewer import Viewer
from ui import cache
from ui import formatting as fmt
from ui.i18n import current_lang, name_of, t

WINDOWS: tuple[int, ...] = (6, 12, 24, 36)
DEFAULT_WINDOW = 12
ORG_LEVELS: tuple[str, ...] = levels.LEVELS[1:]  # the pickers below the province (全辖)
PARAMS: tuple[str, ...] = ("month", "window", "basis", *ORG_LEVELS, "tier")

_STATE_KEY = "pcrm_filter_state"
_FILTERS_KEY = "pcrm_filters"
_BASIS_KEY = "pcrm_basis"
_WIDGET_PREFIX = "pcrm_flt_"


def _default_state() -> dict[str, Any]:
    return {
        "month": None,
        "window": DEFAULT_WINDOW,
        "basis": settings.default_basis(),
        **{lvl: [] for lvl in ORG_LEVELS},
        "tier": [],
    }


def _ints(values: Sequence[str]) -> list[int]:
    out: list[int] = []
    for value in values:
        try:
            number = int(value)
        except (TypeError, ValueError):
            continue
        if number not in out:
            out.append(number)
    return out


def state_from_params(params: dict[str, list[str]]) -> dict[str, Any]:
    """Filter state from URL parameters (each a list of strings); junk values are ignored."""
    state = _default_state()
    month = (params.get("month") or [None])[-1]
    if month:
        try:
            state["month"] = dt.date.fromisoformat(f"{month[:7]}-01")
        except ValueError:
            state["month"] = None
    window = _ints(params.get("window") or [])
    if window and window[-1] in WINDOWS:
        state["window"] = window[-1]
    chosen = (params.get("basis") or [None])[-1]
    if chosen in basis.CODES:
        state["basis"] = chosen
    for level in ORG_LEVELS:
        state[level] = _ints(params.get(level) or [])
    state["tier"] = [c for c in dict.fromkeys(params.get("tier") or []) if c in rules.TIER_BY_CODE]
    return state


def state_to_params(state: dict[str, Any]) -> dict[str, list[str]]:
    """URL parameters for a filter state; defaults are left out to keep links short."""
    params: dict[str, list[str]] = {}
    if state["month"] is not None:
        params["month"] = [state["month"].strftime("%Y-%m")]
    if state["window"] != DEFAULT_WINDOW:
        params["window"] = [str(state["window"])]
    if state["basis"] != settings.default_basis():
        params["basis"] = [state["basis"]]
    for level in ORG_LEVELS:
        if state[level]:
            params[level] = [str(v) for v in state[level]]
    if state["tier"]:
        params["tier"] = list(state["tier"])
    return params


def _state() -> dict[str, Any]:
    if _STATE_KEY not in st.session_state:
        params = {name: st.query_params.get_all(name) for name in PARAMS}
        st.session_state[_STATE_KEY] = state_from_params(params)
    return st.session_state[_STATE_KEY]


def _sync_url(state: dict[str, Any]) -> None:
    wanted = state_to_params(state)
    for name in PARAMS:
        if st.query_params.get_all(name) != wanted.get(name, []):
            if name in wanted:
                st.query_params[name] = wanted[name]
            elif name in st.query_params:
                del st.query_params[name]


def _reset() -> None:
    st.session_state[_STATE_KEY] = _default_state()
    for key in [k for k in st.session_state if str(k).startswith(_WIDGET_PREFIX)]:
        del st.session_state[key]


def reload_from_url() -> None:
    """Forget the session's filter state so the next run reads it from the URL again.

    Used to reopen a saved view: set the URL (``st.switch_page(..., query_params=...)``) after
    calling this, and the sidebar follows the saved filters.
    """
    st.session_state.pop(_STATE_KEY, None)
    for key in [k for k in st.session_state if str(k).startswith(_WIDGET_PREFIX)]:
        del st.session_state[key]


def _widget(
    name: str,
    draw: Callable[..., Any],
    desired: Callable[[Any], Any],
    **kwargs: Any,
) -> Any:
    """Draw one filter widget bound to the filter state.

    The widget key carries the language (labels differ), so a language switch starts a fresh
    widget seeded from the state. ``desired`` turns the last value into a valid one (options may
    have shrunk: a cascade, a new scope).
    """
    state = _state()
    key = f"{_WIDGET_PREFIX}{name}_{current_lang()}"
    if key in st.session_state:  # the user's latest choice, not yet copied into the state
        state[name] = st.session_state[key]
    value = desired(state[name])
    if st.session_state.get(key) != value:
        st.session_state[key] = value
    state[name] = draw(key=key, **kwargs)
    return state[name]


def available_months(viewer: Viewer) -> list[dt.date]:
    """Months the viewer can choose, oldest first.

    Falls back to the build's first..as-of months when the month dimension reads empty for the
    viewer's role (months are not customer data).
    """
    months = cache.available_months(viewer)
    if months:
        return months
    info = cache.warehouse_info(viewer)
    first, last = info.get("first_month"), info.get("as_of_month")
    if first is None or last is None:
        return []
    start, end = pd.Timestamp(first).date(), pd.Timestamp(last).date()
    return [ts.date() for ts in pd.date_range(start, end, freq="MS")]


def _names(org: pd.DataFrame, level: str, lang: str) -> dict[int, str]:
    frame = org[[f"{level}_id", f"{level}_name_{lang}"]].drop_duplicates(f"{level}_id")
    return dict(zip(frame[f"{level}_id"].astype(int), frame[f"{level}_name_{lang}"], strict=True))


def _org_widgets(org: pd.DataFrame, lang: str) -> None:
    state = _state()
    if org.empty:
        for level in ORG_LEVELS:
            state[level] = []
        return
    if org["branch_id"].nunique() == 1:
        name = org[f"branch_name_{lang}"].iloc[0]
        st.caption(t("filter.scope", name=name))
        for level in ORG_LEVELS:
            state[level] = []
        return
    shown = org
    for level in ORG_LEVELS:
        names = _names(shown, level, lang)
        if len(_names(org, level, lang)) <= 1:
            state[level] = []  # one unit in scope: nothing to choose at this level
            continue
        options = list(names)
        chosen = _widget(
            level,
            st.multiselect,
            lambda last, options=options: [v for v in (last or []) if v in options],
            label=t(f"filter.{level}"),
            options=options,
            format_func=lambda v, names=names: names.get(v, str(v)),
            placeholder=t("filter.all"),
        )
        if chosen:
            shown = shown[shown[f"{level}_id"].isin(chosen)]


def sidebar_filters(viewer: Viewer) -> Filters:
    """Draw the filters in the sidebar (call inside ``with st.sidebar``); return them.

    The result is also kept for the page of this rerun: see :func:`current_filters`.
    """
    lang = current_lang()
    state = _state()
    months = available_months(viewer)
    newest_first = list(reversed(months))
    latest = newest_first[0] if newest_first else None
    st.subheader(t("sidebar.filters"), anchor=False)
    if newest_first:
        picked = _widget(
            "month",
            st.selectbox,
            lambda last: last if last in months else latest,
            label=t("filter.month"),
            options=newest_first,
            format_func=lambda m: fmt.month(m, lang),
            help=t("filter.month_help"),
        )
        state["month"] = None if picked == latest else picked
    else:
        state["month"] = None
    _widget(
        "window",
        st.selectbox,
        lambda last: last if last in WINDOWS else DEFAULT_WINDOW,
        label=t("filter.window"),
        options=WINDOWS,
        format_func=lambda n: t("filter.window_option", n=n),
        help=t("filter.window_help"),
    )
    _widget(
        "basis",
        st.segmented_control,
        lambda last: last if last in basis.CODES else settings.default_basis(),
        label=t("basis.label"),
        options=list(basis.CODES),
        format_func=lambda code: t(f"basis.{code}"),
        required=True,
        help=t("basis.help"),
    )
    _org_widgets(cache.org_units(viewer), lang)
    _widget(
        "tier",
        st.multiselect,
        lambda last: [c for c in (last or []) if c in rules.TIER_BY_CODE],
        label=t("filter.tier"),
        options=list(rules.TIER_CODES),
        format_func=lambda c: name_of(rules.TIER_BY_CODE[c], lang),
        placeholder=t("filter.all"),
        help=t("filter.tier_help"),
    )
    if state != _default_state():
        st.button(
            t("filter.reset"), on_click=_reset, type="tertiary", icon=":material/restart_alt:"
        )
    _sync_url(state)
    filters = Filters(
        month=state["month"] or latest,
        months_back=state["window"],
        prefecture_ids=tuple(sorted(state["prefecture"])),
        cooperative_ids=tuple(sorted(state["cooperative"])),
        branch_ids=tuple(sorted(state["branch"])),
        tiers=tuple(c for c in rules.TIER_CODES if c in state["tier"]),
    )
    st.session_state[_FILTERS_KEY] = filters
    st.session_state[_BASIS_KEY] = state["basis"]
    return filters


def current_filters() -> Filters:
    """The filters drawn by the app shell on this rerun (pages call this)."""
    filters = st.session_state.get(_FILTERS_KEY)
    if filters is None:
        st.stop()
    return filters


def current_basis() -> str:
    """The balance basis chosen in the sidebar on this rerun (``catalogue.basis`` code: ``avg``
    or ``end``); the organisation's default before the sidebar has run."""
    chosen = st.session_state.get(_BASIS_KEY)
    return chosen if chosen in basis.CODES else settings.default_basis()


def in_window(frame: pd.DataFrame, filters: Filters, column: str = "month_start") -> pd.DataFrame:
    """Rows of a monthly frame inside the trend window: ``months_back`` months up to the month."""
    if frame.empty or filters.month is None:
        return frame
    end = pd.Timestamp(filters.month)
    start = end - pd.DateOffset(months=filters.months_back - 1)
    months = pd.to_datetime(frame[column])
    return frame[(months >= start) & (months <= end)]


def _listed(names: list[str]) -> str:
    sep = t("common.list_sep")
    if len(names) <= 3:
        return sep.join(names)
    return t("common.and_more", items=sep.join(names[:2]), count=len(names) - 2)


def describe(viewer: Viewer, filters: Filters) -> str:
    """One line that says what the page shows: organisation · month · tiers."""
    lang = current_lang()
    org = cache.org_units(viewer)
    scope = ""
    chosen = (
        ("branch", filters.branch_ids),
        ("cooperative", filters.cooperative_ids),
        ("prefecture", filters.prefecture_ids),
    )
    picked = next(((level, ids) for level, ids in chosen if ids), None)
    if org.empty:
        pass
    elif picked is not None:
        names = _names(org, picked[0], lang)
        scope = _listed([names[i] for i in picked[1] if i in names])
    elif viewer.role_info.scope_level == "all":
        scope = t("scope.all")
    else:  # the one unit the viewer's scope is: their prefecture, cooperative or branch
        for level in ("branch", "cooperative", "prefecture"):
            names = _names(org, level, lang)
            if len(names) == 1:
                scope = next(iter(names.values()))
                break
    tiers = (
        _listed([name_of(rules.TIER_BY_CODE[c], lang) for c in filters.tiers])
        if filters.tiers
        else t("scope.all_tiers")
    )
    return " · ".join(part for part in (scope, fmt.month(filters.month, lang), tiers) if part)
