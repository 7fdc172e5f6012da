"""Totals for the overview: deposits, AUM, customers and VIPs by month, read from the marts
only."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from analytics import rules
from data_access import schema as s
from data_access.filters import Filters, org_condition, tier_condition
from data_access.marts import effective_month
from data_access.query import read_frame
from data_access.viewer import Viewer

M = s.mart_branch_month_tier


def _where(filters: Filters) -> sa.ColumnElement:
    return sa.and_(org_condition(filters, M.c.branch_id), tier_condition(filters, M.c.tier_code))


def _count(column: sa.ColumnElement) -> sa.ColumnElement:
    # PostgreSQL sums BIGINT as NUMERIC (Decimal in pandas, which charts cannot divide);
    # DuckDB as HUGEINT. Both come back as plain integers.
    return sa.cast(sa.func.sum(column), sa.BigInteger)


def monthly_totals(viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """One row per month: AUM (month-end and daily average), each asset class, savings deposits
    and their lines on both bases with the interest paid (schema.MART_DEPOSIT_COLUMNS), customers
    (total, active, new, churned, effective: ``catalogue.effective``), VIPs."""
    stmt = (
        sa.select(
            M.c.month_start,
            sa.func.sum(M.c.aum_rmb).label("aum_rmb"),
            *[sa.func.sum(M.c[col]).label(col) for col in rules.ASSET_COLUMNS],
            *[sa.func.sum(M.c[col]).label(col) for col in s.MART_DEPOSIT_COLUMNS],
            sa.func.sum(M.c.loan_rmb).label("loan_rmb"),
            _count(M.c.count_customers).label("count_customers"),
            _count(M.c.count_active).label("count_active"),
            _count(M.c.count_new).label("count_new"),
            _count(M.c.count_churned).label("count_churned"),
            _count(M.c.count_assets_vip).label("count_assets_vip"),
            *effective_month.sums(),
        )
        .select_from(effective_month.beside(M))
        .where(_where(filters))
        .group_by(M.c.month_start)
        .order_by(M.c.month_start)
    )
    return read_frame(viewer, stmt)


def annual_plans(viewer: Viewer, filters: Filters, year: int) -> dict[str, float]:
    """The year's branch targets summed over the branches in the filters, by metric code
    (``fact_target``, branch level, the calendar year ``year``): the annual plans of the
    monthly business review's opening line. Targets are set for all tiers; a metric without a
    target for any branch in view is absent."""
    t = s.fact_target.c
    stmt = (
        sa.select(t.metric, sa.func.sum(t.target_value).label("plan"))
        .where(
            t.target_level == "branch",
            t.period_start == dt.date(year, 1, 1),
            t.period_end == dt.date(year, 12, 31),
            org_condition(filters, t.branch_id),
        )
        .group_by(t.metric)
    )
    frame = read_frame(viewer, stmt)
    return {str(m): float(v) for m, v in zip(frame["metric"], frame["plan"], strict=True)}
