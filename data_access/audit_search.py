"""Reading the audit log for the audit page: filters, newest first, and counts by event.

The log lives in the app store (``app_store.audit_log``, append-only); nothing here writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from data_access import app_store

MAX_ROWS = 5000  # newest first; the page says when there are more


@dataclass(frozen=True)
class AuditQuery:
    """What the audit page asks for (every field optional). Hashable, so it can be cached."""

    since: dt.date | None = None  # from this day (UTC), inclusive
    until: dt.date | None = None  # up to this day (UTC), inclusive
    user_id: str | None = None  # exact user id
    events: tuple[str, ...] = ()  # any of these events
    customer_id: int | None = None  # rows that name this customer


def _where(q: AuditQuery) -> list:
    a = app_store.audit_log.c
    conditions = []
    if q.since is not None:
        conditions.append(a.occurred_at >= dt.datetime.combine(q.since, dt.time()))
    if q.until is not None:
        end = dt.datetime.combine(q.until + dt.timedelta(days=1), dt.time())
        conditions.append(a.occurred_at < end)
    if q.user_id:
        conditions.append(a.user_id == q.user_id.strip())
    if q.events:
        conditions.append(a.event.in_(list(q.events)))
    if q.customer_id is not None:
        # customer_ids is "1,2,3": wrap in commas so 12 does not match 123.
        wrapped = sa.literal(",") + a.customer_ids + sa.literal(",")
        conditions.append(wrapped.like(f"%,{int(q.customer_id)},%"))
    return conditions


def search_audit(
    q: AuditQuery, limit: int = MAX_ROWS, url: str | None = None
) -> tuple[pd.DataFrame, int]:
    """The matching rows, newest first (at most ``limit``), and how many match in all."""
    a = app_store.audit_log
    conditions = _where(q)
    rows = sa.select(a).where(*conditions).order_by(a.c.event_id.desc()).limit(int(limit))
    total = sa.select(sa.func.count()).select_from(a).where(*conditions)
    with app_store.app_engine(url).connect() as conn:
        result = conn.execute(rows)
        frame = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
        count = int(conn.execute(total).scalar() or 0)
    return frame, count


def count_by_event(q: AuditQuery, url: str | None = None) -> dict[str, int]:
    """How many matching rows each event has (events with none are left out)."""
    a = app_store.audit_log.c
    stmt = sa.select(a.event, sa.func.count()).where(*_where(q)).group_by(a.event)
    with app_store.app_engine(url).connect() as conn:
        return {event: int(n) for event, n in conn.execute(stmt)}


def known_users(url: str | None = None, limit: int = 500) -> Sequence[str]:
    """User ids that appear in the log (for the filter's choices), most recent first."""
    a = app_store.audit_log.c
    latest = sa.func.max(a.event_id).label("latest")
    stmt = sa.select(a.user_id, latest).group_by(a.user_id).order_by(latest.desc()).limit(limit)
    with app_store.app_engine(url).connect() as conn:
        return [row[0] for row in conn.execute(stmt)]
