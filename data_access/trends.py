"""Queries for the Asset trends page: monthly measures per organisation unit, managers, targets.

Everything reads the marts (``mart_branch_month_tier``, ``mart_staff_month``) or small
dimension and target tables, never the customer-level facts, so the page stays fast at a
provincial union's size. Each function returns every month in the data: the trend window, the
comparison months (last month, last year, the year-end base) and the seasonality profile are
all cut from the same frame in ``analytics.trends``.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from analytics import rules, trend_rules
from catalogue import metrics
from data_access import schema as s
from data_access.filters import Filters, org_condition, tier_condition
from data_access.marts import effective_month
from data_access.query import read_frame
from data_access.viewer import Viewer

M = s.mart_branch_month_tier

# Drill levels below the province whose units group branches (the id column of dim_branch).
ORG_LEVELS: tuple[str, ...] = ("prefecture", "cooperative", "branch")

# Summed per month and unit: AUM by class, customers, VIPs, the AUM change parts.
SUMMED: tuple[str, ...] = tuple(
    dict.fromkeys(
        (
            "aum_rmb",
            *metrics.daily_average_columns(),
            *rules.ASSET_COLUMNS,
            "count_customers",
            "count_active",
            "count_new",
            "count_churned",
            "count_assets_vip",
            "vip_aum_rmb",
            "count_vip_entered",
            "count_vip_left",
            "count_wealth_holders",
            "aum_change_new_rmb",
            "aum_change_growth_rmb",
            "aum_change_decline_rmb",
            "aum_change_churned_rmb",
            # Savings deposits and their lines on both bases, the interest paid (the deposits tab).
            *s.MART_DEPOSIT_COLUMNS,
        )
    )
)


def _where(filters: Filters) -> sa.ColumnElement:
    return sa.and_(org_condition(filters, M.c.branch_id), tier_condition(filters, M.c.tier_code))


def _sums() -> list[sa.ColumnElement]:
    return [sa.func.coalesce(sa.func.sum(M.c[col]), 0).label(col) for col in SUMMED]


def _as_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """Sums come back as Decimal on PostgreSQL and int128 on DuckDB: make them plain numbers."""
    for col in SUMMED:
        if col in frame:
            kind = "float64" if col.endswith("_rmb") else "int64"
            frame[col] = pd.to_numeric(frame[col]).astype(kind)
    return frame


def monthly(viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """One row per month for everything in the filters: AUM by class, customers (all and
    effective), VIPs, flows."""
    stmt = (
        sa.select(M.c.month_start, *_sums(), *effective_month.sums())
        .select_from(effective_month.beside(M))
        .where(_where(filters))
        .group_by(M.c.month_start)
        .order_by(M.c.month_start)
    )
    return _as_numbers(read_frame(viewer, stmt))


def unit_monthly(viewer: Viewer, filters: Filters, org_level: str = "branch") -> pd.DataFrame:
    """One row per organisation unit (``prefecture``, ``cooperative`` or ``branch``) per month.

    The unit's id is in ``unit_id``; the measures are those of :func:`monthly`.

    Raises:
        ValueError: for an ``org_level`` that is not one of :data:`ORG_LEVELS`.
    """
    if org_level not in ORG_LEVELS:
        raise ValueError(f"unknown organisation level {org_level!r}")
    unit = s.dim_branch.c[f"{org_level}_id"].label("unit_id")
    stmt = (
        sa.select(unit, M.c.month_start, *_sums(), *effective_month.sums())
        .select_from(
            effective_month.beside(M).join(s.dim_branch, s.dim_branch.c.branch_id == M.c.branch_id)
        )
        .where(_where(filters))
        .group_by(unit, M.c.month_start)
        .order_by(unit, M.c.month_start)
    )
    frame = _as_numbers(read_frame(viewer, stmt))
    frame["unit_id"] = frame["unit_id"].astype("int64")
    return frame


def staff_monthly(viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """One row per relationship manager per month for the branches in the filters.

    From ``mart_staff_month`` (customers with an assigned manager; every tier: the mart has no
    tier), with the manager's role and name (staff names are work information, not masked).
    """
    sm, st = s.mart_staff_month, s.dim_staff
    stmt = (
        sa.select(
            sm.c.rm_staff_id,
            sm.c.branch_id,
            st.c.full_name,
            st.c.role,
            st.c.hongyan_level,
            sm.c.month_start,
            sm.c.count_customers,
            sm.c.count_vip,
            sm.c.count_new,
            sm.c.count_churned,
            sm.c.aum_rmb,
            sm.c.aum_avg_rmb,
        )
        .select_from(sm.outerjoin(st, st.c.staff_id == sm.c.rm_staff_id))
        .where(org_condition(filters, sm.c.branch_id))
        .order_by(sm.c.rm_staff_id, sm.c.month_start)
    )
    frame = read_frame(viewer, stmt)
    for col in ("count_customers", "count_vip", "count_new", "count_churned"):
        frame[col] = pd.to_numeric(frame[col]).astype("int64")
    for col in ("aum_rmb", "aum_avg_rmb"):
        frame[col] = pd.to_numeric(frame[col]).astype("float64")
    return frame


def branch_targets(viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """Branch-level targets of the ranking metrics (the AUM growth of each basis): one row per
    branch, metric and period."""
    t = s.fact_target.c
    stmt = (
        sa.select(t.branch_id, t.metric, t.period_start, t.period_end, t.target_value)
        .where(
            t.target_level == "branch",
            t.metric.in_(sorted(set(trend_rules.RANKING_TARGET_METRICS.values()))),
            org_condition(filters, t.branch_id),
        )
        .order_by(t.branch_id, t.metric, t.period_start, t.period_end)
    )
    frame = read_frame(viewer, stmt)
    frame["target_value"] = pd.to_numeric(frame["target_value"]).astype("float64")
    for col in ("period_start", "period_end"):
        frame[col] = pd.to_datetime(frame[col])
    return frame
