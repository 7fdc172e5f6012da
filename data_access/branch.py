"""Reads about a branch's people: wealth managers, their books and sales, staff role moves,
the churn watchlist and contacts recorded in the app store.

The watchlist comes from ``mart_churn_score`` (written by the churn model). Until that mart is
part of the warehouse schema, or when a warehouse has never been scored, the watchlist readers
return None and the pages say so. Contacts live in the app store (a separate database): they are
limited to the branches the viewer's scope allows, read from the warehouse with the viewer.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from analytics import scorecard_rules
from data_access import app_store
from data_access import schema as s
from data_access.filters import Filters, org_condition
from data_access.query import read_frame
from data_access.viewer import Viewer

STAFF = s.dim_staff
BOOK = s.mart_staff_month
_ID_CHUNK = 2000


def wealth_managers(viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """Wealth managers (理财经理) of the branches in view, with their Hongyan level."""
    stmt = (
        sa.select(
            STAFF.c.staff_id,
            STAFF.c.branch_id,
            STAFF.c.full_name,
            STAFF.c.hongyan_level,
            STAFF.c.previous_role,
            STAFF.c.role_since,
        )
        .where(STAFF.c.role == "wealth_manager", org_condition(filters, STAFF.c.branch_id))
        .order_by(STAFF.c.branch_id, STAFF.c.staff_id)
    )
    return read_frame(viewer, stmt)


def staff_roles(viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """Role history of every staff member in view (no names): role, previous role, since when."""
    stmt = (
        sa.select(
            STAFF.c.staff_id,
            STAFF.c.branch_id,
            STAFF.c.role,
            STAFF.c.previous_role,
            STAFF.c.role_since,
        )
        .where(org_condition(filters, STAFF.c.branch_id))
        .order_by(STAFF.c.staff_id)
    )
    return read_frame(viewer, stmt)


def staff_books(viewer: Viewer, filters: Filters, months: tuple[dt.date, ...]) -> pd.DataFrame:
    """Each relationship manager's book (mart_staff_month) in the given months."""
    stmt = (
        sa.select(
            BOOK.c.rm_staff_id,
            BOOK.c.branch_id,
            BOOK.c.month_start,
            BOOK.c.count_customers,
            BOOK.c.count_vip,
            BOOK.c.aum_rmb,
        )
        .where(org_condition(filters, BOOK.c.branch_id), BOOK.c.month_start.in_(list(months)))
        .order_by(BOOK.c.rm_staff_id, BOOK.c.month_start)
    )
    return read_frame(viewer, stmt)


def staff_sales(viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """Investment products (loans excluded) sold per staff member in the filter month."""
    sale, product = s.fact_product_sale, s.dim_product
    cond = [org_condition(filters, sale.c.branch_id), product.c.category != "loan"]
    if filters.month is not None:
        cond.append(sale.c.month_start == filters.month)
    stmt = (
        sa.select(
            sale.c.staff_id,
            sa.func.count().label("count_products_sold"),
            sa.func.sum(sale.c.amount_rmb).label("sales_rmb"),
        )
        .join(product, product.c.product_id == sale.c.product_id)
        .where(*cond)
        .group_by(sale.c.staff_id)
        .order_by(sale.c.staff_id)
    )
    return read_frame(viewer, stmt)


# ------------------------------------------------------------------ watchlist (churn scores)


def _churn_table() -> sa.Table | None:
    """``mart_churn_score`` if the warehouse schema declares it (so the scope applies to it)."""
    table = s.metadata.tables.get("mart_churn_score")
    return table


def _read_optional(viewer: Viewer, stmt: sa.Select) -> pd.DataFrame | None:
    try:
        return read_frame(viewer, stmt)
    except sa.exc.DBAPIError:  # the mart was never written in this warehouse
        return None


def _watch_condition(table: sa.Table, filters: Filters) -> sa.ColumnElement:
    latest = sa.select(sa.func.max(table.c.month_start))
    if filters.month is not None:
        latest = latest.where(table.c.month_start <= filters.month)
    return sa.and_(
        org_condition(filters, table.c.branch_id),
        table.c.month_start == latest.scalar_subquery(),
        table.c.score_band.in_(scorecard_rules.WATCHLIST_BANDS),
    )


def watchlist_by_branch(viewer: Viewer, filters: Filters) -> pd.DataFrame | None:
    """Per branch: customers on the churn watchlist, their AUM and the expected assets at risk.

    Uses the latest scoring month up to the filter month. None when there are no churn scores.
    """
    table = _churn_table()
    if table is None:
        return None
    stmt = (
        sa.select(
            table.c.branch_id,
            sa.func.max(table.c.month_start).label("month_start"),
            sa.func.count().label("count_watchlist"),
            sa.func.sum(table.c.aum_rmb).label("watchlist_aum_rmb"),
            sa.func.sum(table.c.expected_assets_at_risk_rmb).label("assets_at_risk_rmb"),
        )
        .where(_watch_condition(table, filters))
        .group_by(table.c.branch_id)
        .order_by(table.c.branch_id)
    )
    return _read_optional(viewer, stmt)


def _contact_window(filters: Filters) -> tuple[dt.datetime, dt.datetime] | None:
    if filters.month is None:
        return None
    start = dt.datetime.combine(filters.month.replace(day=1), dt.time())
    # Contacts are recorded today about the latest data, so the window runs to now.
    return start, max(dt.datetime.now(dt.UTC).replace(tzinfo=None), start) + dt.timedelta(days=1)


def _scoped_branch_ids(viewer: Viewer, filters: Filters) -> list[int]:
    b = s.dim_branch
    stmt = sa.select(b.c.branch_id).where(org_condition(filters, b.c.branch_id))
    return [int(v) for v in read_frame(viewer, stmt)["branch_id"]]


def _contacts(viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """Distinct (staff, customer) contacts since the filter month's start, within the scope."""
    empty = pd.DataFrame(columns=["staff_id", "customer_id"])
    window = _contact_window(filters)
    branches = _scoped_branch_ids(viewer, filters)
    if window is None or not branches:
        return empty
    log = app_store.contact_log
    stmt = (
        sa.select(log.c.staff_id, log.c.customer_id)
        .where(
            log.c.branch_id.in_(branches),
            log.c.created_at >= window[0],
            log.c.created_at < window[1],
        )
        .distinct()
    )
    if viewer.role_info.scope_level == "own_customers":
        stmt = stmt.where(log.c.staff_id == viewer.staff_id)
    with app_store.app_engine().connect() as conn:
        rows = conn.execute(stmt).fetchall()
    return pd.DataFrame(rows, columns=["staff_id", "customer_id"]) if rows else empty


def contacts_by_staff(viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """Distinct customers each staff member contacted since the start of the filter month."""
    contacts = _contacts(viewer, filters).dropna(subset=["staff_id"])
    if contacts.empty:
        return pd.DataFrame(columns=["staff_id", "count_contacted"])
    frame = contacts.groupby("staff_id", as_index=False)["customer_id"].nunique()
    frame.columns = ["staff_id", "count_contacted"]
    frame["staff_id"] = frame["staff_id"].astype("int64")
    return frame


def watchlist_by_manager(viewer: Viewer, filters: Filters) -> pd.DataFrame | None:
    """Per relationship manager: watchlist customers, and how many of them were contacted.

    A watchlist customer counts as contacted when anyone recorded a contact with them since the
    start of the filter month. None when there are no churn scores.
    """
    table = _churn_table()
    if table is None:
        return None
    cond = _watch_condition(table, filters)
    stmt = (
        sa.select(table.c.rm_staff_id, sa.func.count().label("count_watchlist"))
        .where(cond, table.c.rm_staff_id.is_not(None))
        .group_by(table.c.rm_staff_id)
    )
    listed = _read_optional(viewer, stmt)
    if listed is None:
        return None
    listed["count_watchlist_contacted"] = 0
    contacted = sorted({int(c) for c in _contacts(viewer, filters)["customer_id"]})
    counts: dict[int, int] = {}
    for start in range(0, len(contacted), _ID_CHUNK):
        chunk = contacted[start : start + _ID_CHUNK]
        found = read_frame(
            viewer,
            sa.select(table.c.rm_staff_id, sa.func.count().label("n"))
            .where(cond, table.c.customer_id.in_(chunk), table.c.rm_staff_id.is_not(None))
            .group_by(table.c.rm_staff_id),
        )
        for staff, n in zip(found["rm_staff_id"], found["n"], strict=True):
            counts[int(staff)] = counts.get(int(staff), 0) + int(n)
    listed["count_watchlist_contacted"] = listed["rm_staff_id"].map(counts).fillna(0).astype(int)
    return listed
