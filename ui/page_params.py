"""A page's own choices (period, measure, chart mode) kept in the URL beside the global filters.

The widget's key is the query parameter's name. On a new session the widget starts from the URL
(a value that is not an option is ignored); afterwards the URL follows the widget, and a value
equal to the default is left out to keep links short. Streamlit's ``bind="query-params"`` does
the same in the browser, but the app's tests run without one, so the page does it itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st


def seed(key: str, options: Sequence[str], default: str) -> None:
    """Give the widget ``key`` its starting value: the URL's if valid, else ``default``.

    Call before drawing the widget, and draw it without ``index`` / ``default`` (the value
    comes from the session state).
    """
    current = st.session_state.get(key)
    if current in options:
        return
    wanted = st.query_params.get(key)
    st.session_state[key] = wanted if wanted in options else default


def sync(key: str, value: str | None, default: str) -> None:
    """Write the widget's value to the URL (removed when it is the default)."""
    if value is None or value == default:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != value:
        st.query_params[key] = value


def seed_tab(key: str, labels: dict[str, str], default: str) -> str:
    """Open the tabs ``key`` on the tab the URL names (by code, so links work in either
    language); return the code of the tab that will be open.

    The tabs' session value is the label, which changes with the language: it is kept in step
    with the code across a language switch.
    """
    by_label = {label: code for code, label in labels.items()}
    current = st.session_state.get(key)
    if current in by_label:
        code = by_label[current]
    else:
        code = st.session_state.get(f"{key}_code") or st.query_params.get(key) or default
        code = code if code in labels else default
        st.session_state[key] = labels[code]
    st.session_state[f"{key}_code"] = code
    return code


def lazy_tabs(key: str, sections: dict[str, tuple[str, Callable[[], None]]]) -> str:
    """Tabs of which only the open one runs; the open tab's code is kept in the URL.

    ``sections``: code -> (label, draw), in tab order; the first is the default and is left
    out of the URL. Streamlit runs every tab's content unless the tabs track their state
    (``on_change="rerun"``); a page with four tabs then pays for four on every rerun.
    Returns the code of the open tab.
    """
    default = next(iter(sections))
    labels = {code: label for code, (label, _) in sections.items()}
    active = seed_tab(key, labels, default)
    containers = st.tabs(list(labels.values()), key=key, on_change="rerun")
    for (code, (_, draw)), container in zip(sections.items(), containers, strict=True):
        if container.open or (container.open is None and code == active):
            with container:
                draw()
            sync(key, code, default)
            active = code
    return active


# A switch (st.toggle) in the URL: its value as one of these words, left out when the default.
SWITCH_VALUES = {True: "on", False: "off"}


def seed_switch(key: str, default: bool) -> None:
    """Give the switch ``key`` its starting value: the URL's (``on`` / ``off``) if valid, else
    ``default``. Call before drawing the switch, drawn without ``value``."""
    if isinstance(st.session_state.get(key), bool):
        return
    wanted = st.query_params.get(key)
    by_word = {word: flag for flag, word in SWITCH_VALUES.items()}
    st.session_state[key] = by_word.get(wanted, default)


def sync_switch(key: str, value: bool, default: bool) -> None:
    """Write the switch's value to the URL (removed when it is the default)."""
    sync(key, SWITCH_VALUES[bool(value)], SWITCH_VALUES[default])
