"""Cached reads of the data layer, keyed so one viewer's results never reach another.

Every wrapper passes the whole :class:`~data_access.viewer.Viewer` (a frozen dataclass: role,
scope, user and unmask grant), the :class:`~data_access.filters.Filters` and the live warehouse
version to ``st.cache_data``; Streamlit hashes all three into the key. A new warehouse version
therefore misses every old entry, and ``app.py`` also clears the caches when it sees one.

Pages call these instead of the data layer directly when the same result is read on every
rerun. The functions underneath apply the scope and masking themselves. For a page's own query
functions, wrap them once with :func:`scoped` (``monthly = cache.scoped(trends.monthly)``).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import pandas as pd
import streamlit as st

from data_access import catalog, overview, query
from data_access.filters import Filters
from data_access.viewer import Viewer

VERSION_KEY = "pcrm_warehouse_version"
_TTL_SECONDS = 600
_MAX_ENTRIES = 512
_P = ParamSpec("_P")
_R = TypeVar("_R")
# Query functions wrapped by scoped(), by dotted name (the name is what the cache key holds).
_SCOPED: dict[str, Callable[..., Any]] = {}


def warehouse_version() -> str:
    """The warehouse version this rerun works on (set by ``app.py``; checked again if unset)."""
    version = st.session_state.get(VERSION_KEY)
    return version if version is not None else query.check_version()


def note_version(version: str) -> bool:
    """Remember the live version; clear every cached result when it changed. True on a change."""
    previous = st.session_state.get(VERSION_KEY)
    st.session_state[VERSION_KEY] = version
    if previous is not None and previous != version:
        st.cache_data.clear()
        return True
    return False


def _cached(func):
    return st.cache_data(ttl=_TTL_SECONDS, max_entries=_MAX_ENTRIES, show_spinner=False)(func)


@_cached
def _warehouse_info(viewer: Viewer, version: str) -> dict:
    return catalog.warehouse_info(viewer)


@_cached
def _available_months(viewer: Viewer, version: str) -> list[dt.date]:
    return catalog.available_months(viewer)


@_cached
def _org_units(viewer: Viewer, version: str) -> pd.DataFrame:
    return catalog.org_units(viewer)


@_cached
def _monthly_totals(viewer: Viewer, filters: Filters, version: str) -> pd.DataFrame:
    return overview.monthly_totals(viewer, filters)


def warehouse_info(viewer: Viewer) -> dict:
    """The live build's metadata (see :func:`data_access.catalog.warehouse_info`)."""
    return _warehouse_info(viewer, warehouse_version())


def available_months(viewer: Viewer) -> list[dt.date]:
    """Months in the marts, oldest first (see :func:`data_access.catalog.available_months`)."""
    return _available_months(viewer, warehouse_version())


def org_units(viewer: Viewer) -> pd.DataFrame:
    """Branches the viewer may see with their cooperative and prefecture."""
    return _org_units(viewer, warehouse_version())


def monthly_totals(viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """AUM, asset classes, customers and VIPs per month (see ``data_access.overview``)."""
    return _monthly_totals(viewer, filters, warehouse_version())


@st.cache_data(ttl=_TTL_SECONDS, max_entries=4 * _MAX_ENTRIES, show_spinner=False)
def _scoped_call(name: str, viewer: Viewer, args: tuple, kwargs: tuple, version: str) -> Any:
    return _SCOPED[name](viewer, *args, **dict(kwargs))


def scoped(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Cache a data-layer query function whose first parameter is the viewer.

    The key holds the function's dotted name, the viewer, every argument and the live warehouse
    version; arguments must be hashable by ``st.cache_data`` (dataclasses, dates, tuples, ...).
    """
    name = f"{func.__module__}.{func.__qualname__}"
    _SCOPED[name] = func

    @functools.wraps(func)
    def call(viewer: Viewer, *args: Any, **kwargs: Any) -> Any:
        return _scoped_call(name, viewer, args, tuple(sorted(kwargs.items())), warehouse_version())

    return call  # type: ignore[return-value]
