"""What every ``customer_list``, ``customer_view`` and ``export`` audit row records, in one place.

Besides its own detail (the page, the table, the format), each such row says

- ``unmasked``: whether the viewer held a live unmask grant, i.e. saw personal data in full
  (``data_access.masking.sees_unmasked``, the rule the data layer masks by);
- ``filters``: the active filters, compactly: the sidebar's filters that differ from their
  defaults, plus the page's own (a month pair, a direction, a branch), empty ones left out;
- ``session_id``: a random id of the sign-in session (``pcrm_session_id`` in session state, made
  at sign-in by ``ui.auth``), which ties the session's views and exports to its ``sign_in`` row.

:func:`list_shown` puts a list of customers on record the way every list page does: once per
distinct view, before the list is drawn, and withholding the list when the row cannot be written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import secrets
from collections.abc import Iterable, Mapping

import streamlit as st

from data_access import app_store, masking
from data_access.filters import Filters
from data_access.viewer import Viewer
from ui import cache
from ui.i18n import t

log = logging.getLogger(__name__)

SESSION_ID_KEY = "pcrm_session_id"
_LISTED_KEY = "pcrm_audited_lists"
_DEFAULT_FILTERS = Filters()


def new_session_id() -> str:
    """A fresh random session id (128 bits, hex)."""
    return secrets.token_hex(16)


def session_id() -> str:
    """This session's id: made at sign-in; a session signed in without it gets one now."""
    current = st.session_state.get(SESSION_ID_KEY)
    if not isinstance(current, str) or not current:
        current = st.session_state[SESSION_ID_KEY] = new_session_id()
    return current


def _plain(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list | set | frozenset):
        return [_plain(v) for v in value]
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


def compact_filters(
    filters: Filters | None, page_filters: Mapping[str, object] | None = None
) -> dict[str, object]:
    """The active filters: the sidebar's that differ from the defaults, then the page's own.

    Values that are None or empty are left out; dates are ISO text, tuples lists.
    """
    out: dict[str, object] = {}
    if filters is not None:
        for field in dataclasses.fields(Filters):
            value = getattr(filters, field.name)
            if value != getattr(_DEFAULT_FILTERS, field.name):
                out[field.name] = value
    out.update(page_filters or {})
    return {
        name: _plain(value)
        for name, value in out.items()
        if value is not None and not (isinstance(value, Iterable | Mapping) and not value)
    }


def detail(
    viewer: Viewer,
    filters: Filters | None,
    *,
    page_filters: Mapping[str, object] | None = None,
    **own: object,
) -> dict[str, object]:
    """``own`` detail plus ``unmasked``, ``filters`` and ``session_id`` (see the module)."""
    return {
        **own,
        "unmasked": masking.sees_unmasked(viewer),
        "filters": compact_filters(filters, page_filters),
        "session_id": session_id(),
    }


def list_shown(
    viewer: Viewer,
    filters: Filters | None,
    customer_ids: Iterable[int],
    *,
    page: str,
    page_filters: Mapping[str, object] | None = None,
    **own: object,
) -> None:
    """Put the list of ``customer_ids`` shown on ``page`` on record, before it is drawn.

    Once per distinct view in a session (the same customers, masked or not, on the same page are
    one view however often the page reruns). The ids are recorded in display order, each once.
    When the row cannot be written, the list is withheld: an error is shown and the page stops.
    An empty list records nothing.
    """
    ids = list(dict.fromkeys(int(v) for v in customer_ids))
    if not ids:
        return
    unmasked = masking.sees_unmasked(viewer)
    fingerprint = hashlib.sha256(repr((page, ids, unmasked)).encode()).hexdigest()
    seen = st.session_state.setdefault(_LISTED_KEY, set())
    if fingerprint in seen:
        return
    try:
        app_store.audit(
            "customer_list",
            viewer,
            customer_ids=ids,
            detail=detail(viewer, filters, page_filters=page_filters, page=page, **own),
            warehouse_version=cache.warehouse_version(),
        )
    except app_store.AuditWriteError:
        log.exception("a list of customers on %s was not audited: list withheld", page)
        st.error(t("cust.audit_failed"), icon=":material/gpp_bad:")
        st.stop()
    seen.add(fingerprint)


__all__ = [
    "SESSION_ID_KEY",
    "compact_filters",
    "detail",
    "list_shown",
    "new_session_id",
    "session_id",
]
