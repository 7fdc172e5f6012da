"""The churn watchlist (流失预警名单): scored customers ranked by what is at risk, page by page.

Reads ``mart_churn_score`` (written by refresh) joined to the customer, branch and relationship
manager, within the viewer's scope (every table is scoped by ``read_frame``) and the global
filters. Customer names leave here masked. The retention status of each customer comes from the
app store's ``retention_case`` (see ``data_access.retention``); a status filter is turned into
a customer-id condition on the warehouse query, so paging and totals stay exact.

The warehouse reads (:func:`ranked_page`, :func:`watchlist_row`, :func:`followup_plan`,
:func:`followup_counts`) take what they need from the app store as plain arguments
(:func:`case_filter`, :func:`contacted_groups`), so a page can cache them by their arguments
and still show an action the moment it is recorded; :func:`watchlist` and
:func:`retention_followup` put the two together.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd
import sqlalchemy as sa

from analytics import retention_rules
from data_access import retention
from data_access import schema as s
from data_access.filters import Filters, org_condition, tier_condition
from data_access.query import read_frame, read_scalar
from data_access.viewer import Viewer

M = s.mart_churn_score
C = s.dim_customer
B = s.dim_branch
ST = s.dim_staff


@dataclass(frozen=True)
class WatchCriteria:
    """The watchlist's own filters (the sidebar's organisation and tiers come in ``Filters``).

    Empty tuples mean "all". ``order`` is ``value`` (expected assets at risk) or
    ``probability``; ``top_n`` > 0 keeps each relationship manager's top N (capacity).
    """

    staff_ids: tuple[int, ...] = field(default_factory=tuple)
    bands: tuple[str, ...] = field(default_factory=tuple)
    reasons: tuple[str, ...] = field(default_factory=tuple)
    statuses: tuple[str, ...] = field(default_factory=tuple)
    order: str = retention_rules.DEFAULT_ORDER
    top_n: int = 0


def scored_months(viewer: Viewer) -> list[dt.date]:
    """Months with scores the viewer can see, oldest first (empty when nothing was scored).

    Found latest first, one ``max`` below the last one found at a time: refresh keeps a few
    months of scores, and each ``max`` is one step on PostgreSQL's month index, where a
    ``DISTINCT`` read every score (0.27 s at 1,000,000 customers).
    """
    months: list[dt.date] = []
    while True:
        below = [M.c.month_start < months[-1]] if months else []
        try:
            found = read_scalar(viewer, sa.select(sa.func.max(M.c.month_start)).where(*below))
        except sa.exc.DBAPIError:  # a warehouse built before the mart existed
            return []
        if found is None:
            return sorted(months)
        months.append(pd.Timestamp(found).date())


def watch_month(viewer: Viewer, month: dt.date | None) -> dt.date | None:
    """The watchlist month for the sidebar's ``month``: that month if scored, else the latest
    scored month not after it, else the latest scored month; None when nothing was scored."""
    months = scored_months(viewer)
    if not months:
        return None
    if month is None:
        return months[-1]
    earlier = [m for m in months if m <= month]
    return earlier[-1] if earlier else months[-1]


def _order_column(order: str) -> sa.ColumnElement:
    if order == "probability":
        return M.c.probability
    return M.c.expected_assets_at_risk_rmb


# The status filter resolved to customer ids: ("in", ids) keeps them, ("not_in", ids) drops them;
# None means no status filter. Read from the app store by case_filter.
CaseFilter = tuple[Literal["in", "not_in"], tuple[int, ...]] | None


def _conditions(
    filters: Filters, criteria: WatchCriteria, month: dt.date, cases: CaseFilter = None
) -> list[sa.ColumnElement]:
    conditions = [
        M.c.month_start == month,
        org_condition(filters, M.c.branch_id),
        tier_condition(filters, M.c.tier_code),
    ]
    if criteria.staff_ids:
        conditions.append(M.c.rm_staff_id.in_(criteria.staff_ids))
    if criteria.bands:
        conditions.append(M.c.score_band.in_(criteria.bands))
    if criteria.reasons:
        conditions.append(M.c.top_reason.in_(criteria.reasons))
    if cases is not None:
        conditions.append(_status_condition(cases))
    if criteria.top_n > 0:
        rank = (
            sa.func.row_number()
            .over(
                partition_by=M.c.rm_staff_id,
                order_by=(_order_column(criteria.order).desc(), M.c.customer_id),
            )
            .label("rank_in_rm")
        )
        inner = [c for c in conditions]
        ranked = sa.select(M.c.customer_id, rank).where(*inner).subquery("ranked")
        conditions.append(
            M.c.customer_id.in_(
                sa.select(ranked.c.customer_id).where(ranked.c.rank_in_rm <= criteria.top_n)
            )
        )
    return conditions


def case_filter(statuses: tuple[str, ...], month: dt.date) -> CaseFilter:
    """The status filter as customer ids of ``month``'s cases (app store; ids only: the warehouse
    query that uses them is scoped). ``open`` also means "no case". None without a filter."""
    if not statuses:
        return None
    cases = retention.case_statuses(month)
    wanted = set(statuses)
    if "open" in wanted:
        return ("not_in", tuple(sorted(cid for cid, st in cases.items() if st not in wanted)))
    return ("in", tuple(sorted(cid for cid, st in cases.items() if st in wanted)))


def _status_condition(cases: tuple[str, tuple[int, ...]]) -> sa.ColumnElement:
    kind, ids = cases
    if kind == "not_in":
        return M.c.customer_id.not_in(ids) if ids else sa.true()
    return M.c.customer_id.in_(ids) if ids else sa.false()


def _rows(
    filters: Filters,
    criteria: WatchCriteria,
    month: dt.date,
    limit: int,
    offset: int,
    cases: CaseFilter = None,
) -> sa.Select:
    order = _order_column(criteria.order)
    return (
        sa.select(
            M.c.customer_id,
            C.c.full_name,
            M.c.branch_id,
            B.c.name_en.label("branch_name_en"),
            B.c.name_zh.label("branch_name_zh"),
            M.c.rm_staff_id,
            ST.c.full_name.label("rm_name"),
            M.c.tier_code,
            M.c.probability,
            M.c.aum_rmb,
            M.c.expected_assets_at_risk_rmb,
            M.c.score_band,
            M.c.top_reason,
            M.c.reason_codes,
            M.c.month_start,
        )
        .select_from(
            M.join(C, C.c.customer_id == M.c.customer_id)
            .join(B, B.c.branch_id == M.c.branch_id)
            .outerjoin(ST, ST.c.staff_id == M.c.rm_staff_id)
        )
        .where(*_conditions(filters, criteria, month, cases))
        .order_by(order.desc(), M.c.customer_id)
        .limit(limit)
        .offset(offset)
    )


def ranked_page(
    viewer: Viewer,
    filters: Filters,
    month: dt.date,
    criteria: WatchCriteria | None = None,
    page: int = 0,
    page_size: int = retention_rules.PAGE_SIZES[0],
    cases: CaseFilter = None,
) -> dict:
    """The warehouse part of one watchlist page at a scored ``month``: ``{"rows", "total",
    "total_at_risk_rmb", "total_aum_rmb"}``, rows ranked but without their case columns.

    ``cases`` is the status filter from :func:`case_filter`; the result depends on nothing but
    the arguments and the warehouse version, so it may be cached by them.
    """
    criteria = criteria or WatchCriteria()
    size = max(1, min(int(page_size), max(retention_rules.PAGE_SIZES)))
    start = max(0, int(page)) * size
    rows = read_frame(viewer, _rows(filters, criteria, month, size, start, cases))
    totals = (
        sa.select(
            sa.func.count().label("total"),
            sa.func.coalesce(sa.func.sum(M.c.expected_assets_at_risk_rmb), 0.0).label("risk"),
            sa.func.coalesce(sa.func.sum(M.c.aum_rmb), 0.0).label("aum"),
        )
        .select_from(M)
        .where(*_conditions(filters, criteria, month, cases))
    )
    total = read_frame(viewer, totals).iloc[0]
    rows.insert(0, "rank", range(start + 1, start + 1 + len(rows)))
    return {
        "rows": rows,
        "total": int(total["total"]),
        "total_at_risk_rmb": float(total["risk"]),
        "total_aum_rmb": float(total["aum"]),
    }


def watchlist(
    viewer: Viewer,
    filters: Filters,
    month: dt.date | None = None,
    criteria: WatchCriteria | None = None,
    page: int = 0,
    page_size: int = retention_rules.PAGE_SIZES[0],
) -> dict:
    """One page of the watchlist and its totals.

    Returns ``{"month", "rows", "total", "total_at_risk_rmb", "total_aum_rmb"}``: ``rows`` is a
    DataFrame of at most ``page_size`` customers (rank, masked name, branch, relationship
    manager, tier, probability, AUM, expected assets at risk, band, reasons as JSON, retention
    status, assignment and follow-up date), ``total`` the number of customers matching.
    """
    criteria = criteria or WatchCriteria()
    month = watch_month(viewer, month)
    if month is None:
        return {
            "month": month,
            "rows": pd.DataFrame(),
            "total": 0,
            "total_at_risk_rmb": 0.0,
            "total_aum_rmb": 0.0,
        }
    cases = case_filter(criteria.statuses, month)
    result = ranked_page(viewer, filters, month, criteria, page, page_size, cases)
    return {
        **result,
        "month": month,
        "rows": retention.attach_cases(result["rows"], month),
    }


def watchlist_export(
    viewer: Viewer,
    filters: Filters,
    month: dt.date | None = None,
    criteria: WatchCriteria | None = None,
) -> pd.DataFrame:
    """The whole filtered watchlist for download, up to EXPORT_MAX_ROWS rows, names masked."""
    criteria = criteria or WatchCriteria()
    month = watch_month(viewer, month)
    if month is None:
        return pd.DataFrame()
    cases = case_filter(criteria.statuses, month)
    rows = read_frame(
        viewer, _rows(filters, criteria, month, retention_rules.EXPORT_MAX_ROWS, 0, cases)
    )
    rows.insert(0, "rank", range(1, len(rows) + 1))
    return retention.attach_cases(rows, month)


def band_summary(viewer: Viewer, filters: Filters, month: dt.date | None = None) -> pd.DataFrame:
    """Per score band: customers, AUM and expected assets at risk in the watch month."""
    month = watch_month(viewer, month)
    columns = ["score_band", "count_customers", "aum_rmb", "expected_assets_at_risk_rmb"]
    if month is None:
        return pd.DataFrame(columns=columns)
    stmt = (
        sa.select(
            M.c.score_band,
            sa.func.count().label("count_customers"),
            sa.func.sum(M.c.aum_rmb).label("aum_rmb"),
            sa.func.sum(M.c.expected_assets_at_risk_rmb).label("expected_assets_at_risk_rmb"),
        )
        .where(*_conditions(filters, WatchCriteria(), month))
        .group_by(M.c.score_band)
    )
    return read_frame(viewer, stmt)


def relationship_managers(viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """Wealth and account managers in scope (for the filter and for assigning a case)."""
    stmt = (
        sa.select(ST.c.staff_id, ST.c.full_name, ST.c.role, ST.c.branch_id)
        .where(
            ST.c.role.in_(("wealth_manager", "account_manager")),
            org_condition(filters, ST.c.branch_id),
        )
        .order_by(ST.c.branch_id, ST.c.full_name, ST.c.staff_id)
    )
    return read_frame(viewer, stmt)


def watchlist_row(viewer: Viewer, customer_id: int, month: dt.date) -> pd.DataFrame:
    """One customer's watchlist row in ``month`` without the case columns (warehouse only);
    empty when the viewer may not see the customer or it was not scored."""
    stmt = _rows(Filters(), WatchCriteria(), month, 1, 0).where(M.c.customer_id == int(customer_id))
    rows = read_frame(viewer, stmt)
    rows.insert(0, "rank", range(1, len(rows) + 1))
    return rows


def watchlist_customer(viewer: Viewer, customer_id: int, month: dt.date) -> pd.DataFrame:
    """One customer's watchlist row in ``month`` (as :func:`watchlist` rows), if the viewer
    may see it; empty otherwise."""
    return retention.attach_cases(watchlist_row(viewer, customer_id, month), month)


def count_in_scope(viewer: Viewer, month: dt.date) -> int:
    """Scored customers the viewer may see in ``month`` (before any filter)."""
    stmt = sa.select(sa.func.count()).select_from(M).where(M.c.month_start == month)
    return int(read_scalar(viewer, stmt) or 0)


def _latest_fact_month(viewer: Viewer) -> dt.date | None:
    F = s.fact_customer_month
    value = read_scalar(viewer, sa.select(sa.func.max(F.c.month_start)))
    return None if value is None else pd.Timestamp(value).date()


def _add_months(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


FOLLOWUP_COLUMNS: tuple[str, ...] = (
    "watch_month",
    "check_month",
    "action_type",
    "rm_staff_id",
    "count_customers",
    "count_retained",
)


def followup_plan(viewer: Viewer) -> list[tuple[dt.date, dt.date]]:
    """The earlier watchlists to follow up: (watch month, check month) for every scored month
    before the latest month of data; the check month is FOLLOW_UP_MONTHS later, or the latest."""
    latest = _latest_fact_month(viewer)
    if latest is None:
        return []
    return [
        (month, min(_add_months(month, retention_rules.FOLLOW_UP_MONTHS), latest))
        for month in scored_months(viewer)
        if month < latest
    ]


def contacted_groups(month: dt.date) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """``month``'s contacted customers by last contact type, from the app store, as a sorted
    tuple (hashable: an argument of :func:`followup_counts`)."""
    groups = retention.contacted_by_type(month)
    return tuple((kind, tuple(sorted(ids))) for kind, ids in sorted(groups.items()))


def followup_counts(
    viewer: Viewer,
    filters: Filters,
    month: dt.date,
    check: dt.date,
    contacted: tuple[tuple[str, tuple[int, ...]], ...] = (),
) -> pd.DataFrame:
    """For the watchlist of ``month``: per last action type (``none`` = not contacted, groups
    from :func:`contacted_groups`) and relationship manager, the watchlisted customers and how
    many were retained at ``check``. Columns: ``FOLLOWUP_COLUMNS``."""
    F = s.fact_customer_month
    action = (
        sa.case(
            *[(M.c.customer_id.in_(ids), sa.literal(kind)) for kind, ids in contacted],
            else_=sa.literal("none"),
        )
        if contacted
        else sa.literal("none")
    )
    retained = (
        F.c.customer_id.is_not(None)
        & ~F.c.is_closed
        & (F.c.aum_rmb > retention_rules.RETAINED_ASSET_SHARE * M.c.aum_rmb)
    )
    # Label each customer in a subquery, then group by the labels: PostgreSQL cannot match
    # a GROUP BY expression holding bound parameters to the same expression in SELECT.
    rows = (
        sa.select(
            action.label("action_type"),
            M.c.rm_staff_id,
            sa.case((retained, 1), else_=0).label("is_retained"),
        )
        .select_from(
            M.outerjoin(F, (F.c.customer_id == M.c.customer_id) & (F.c.month_start == check))
        )
        .where(
            M.c.month_start == month,
            M.c.score_band.in_(retention_rules.WATCHLIST_BANDS),
            org_condition(filters, M.c.branch_id),
            tier_condition(filters, M.c.tier_code),
        )
        .subquery("followup_rows")
    )
    stmt = sa.select(
        rows.c.action_type,
        rows.c.rm_staff_id,
        sa.func.count().label("count_customers"),
        sa.func.coalesce(sa.func.sum(rows.c.is_retained), 0).label("count_retained"),
    ).group_by(rows.c.action_type, rows.c.rm_staff_id)
    frame = read_frame(viewer, stmt)
    frame.insert(0, "check_month", pd.Timestamp(check))
    frame.insert(0, "watch_month", pd.Timestamp(month))
    return frame[list(FOLLOWUP_COLUMNS)]


def combine_followup(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The follow-up counts of several watch months as one frame (``FOLLOWUP_COLUMNS``)."""
    if not parts:
        return pd.DataFrame(columns=list(FOLLOWUP_COLUMNS))
    return pd.concat(parts, ignore_index=True)[list(FOLLOWUP_COLUMNS)]


def retention_followup(viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """What became of earlier watchlists: per watch month, last action type (``none`` = not
    contacted) and relationship manager, the watchlisted customers and how many were retained.

    Watchlisted = a band in retention_rules.WATCHLIST_BANDS. Retained = at the check month
    (FOLLOW_UP_MONTHS later, or the latest month with data) still open and holding more than
    RETAINED_ASSET_SHARE of the watch month's assets. Only watch months with a later month of
    data appear. Contact groups come from the app store's cases; the counts are scoped SQL
    aggregates on the warehouse.
    """
    return combine_followup(
        [
            followup_counts(viewer, filters, month, check, contacted_groups(month))
            for month, check in followup_plan(viewer)
        ]
    )
