"""Audit log 审计日志: who signed in, opened which customer, exported or unmasked what."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from data_access import app_store, audit_search
from ui import auth, components, tables
from ui import filters as ui_filters
from ui import formatting as fmt
from ui.i18n import t
from ui.strings.auth import EVENT_HELP, EVENT_LABEL
from ui.tables import Column

viewer = auth.require_page("audit")
components.page_header(t("page.audit"), t("audit.intro"))

# The events the overview counts, in this order (each with a one-line definition).
_HEADLINE = ("sign_in_failed", "access_denied", "customer_view", "unmask", "export")
_EVENTS = sorted(app_store.AUDIT_EVENTS)


# The audit log's columns: each moment to the second; a row without customers shows a dash.
_COLUMNS = (
    ("audit.col_id", "id"),
    ("audit.col_time", "timestamp"),
    ("audit.col_user", "text"),
    ("audit.col_role", "text"),
    ("audit.col_event", "text"),
    ("audit.col_customers", "text"),
    ("audit.col_detail", "text"),
    ("audit.col_version", "text"),
)


def _event_name(event: str) -> str:
    """The event's label; its code when it has none yet (an event added since)."""
    return t(EVENT_LABEL[event]) if event in EVENT_LABEL else event


today = app_store.utc_now().date()
first, second, third, fourth = st.columns([2, 2, 3, 2])
with first:
    period = st.date_input(
        t("audit.period"),
        value=(today - dt.timedelta(days=30), today),
        max_value=today,
        key="audit_period",
        help=t("audit.period_help"),
    )
with second:
    user = st.selectbox(
        t("audit.user"),
        [None, *audit_search.known_users()],
        format_func=lambda u: t("audit.anyone") if u is None else u,
        key="audit_user",
    )
with third:
    events = st.multiselect(
        t("audit.events"),
        _EVENTS,
        format_func=_event_name,
        key="audit_events",
        placeholder=t("audit.all_events"),
    )
with fourth:
    customer = st.number_input(
        t("audit.customer"),
        min_value=0,
        step=1,
        value=None,
        key="audit_customer",
        help=t("audit.customer_help"),
    )

since, until = (period[0], period[-1]) if len(period) else (None, None)
query = audit_search.AuditQuery(
    since=since,
    until=until,
    user_id=user,
    events=tuple(events),
    customer_id=int(customer) if customer is not None else None,
)
counts = audit_search.count_by_event(query)
for column, event in zip(st.columns(len(_HEADLINE)), _HEADLINE, strict=True):
    column.metric(
        t(EVENT_LABEL[event]),
        fmt.count(counts.get(event, 0)),
        help=t(EVENT_HELP[event]),
        border=True,
    )

rows, total = audit_search.search_audit(query)
st.subheader(t("audit.rows_title"), anchor=False)
if rows.empty:
    st.info(t("audit.none"), icon=":material/search_off:")
    st.stop()
if total > len(rows):
    st.caption(t("audit.truncated", shown=fmt.count(len(rows)), total=fmt.count(total)))
described = t(
    "audit.export_title",
    since=fmt.date(since) if since else "-",
    until=fmt.date(until) if until else "-",
    user=user or t("audit.anyone"),
    events=", ".join(events) or t("audit.all_events"),
)
table = pd.DataFrame(
    {
        t("audit.col_id"): rows["event_id"],
        t("audit.col_time"): pd.to_datetime(rows["occurred_at"]),
        t("audit.col_user"): rows["user_id"],
        t("audit.col_role"): rows["role"],
        t("audit.col_event"): rows["event"].map(_event_name),
        t("audit.col_customers"): rows["customer_ids"],
        t("audit.col_detail"): rows["detail"],
        t("audit.col_version"): rows["warehouse_version"],
    }
)
tables.table(
    table,
    [Column(t(key), key, kind) for key, kind in _COLUMNS],
    key="audit_export",
    name=t("audit.file"),
    title=described,
    viewer=viewer,
    filters=ui_filters.current_filters(),
)
