"""Reads for the branch scorecards: 6S inspections, service quality, branch totals, targets.

Every function aggregates in SQL or reads branch-level facts (one row per branch and month or
inspection), never customer rows. Scorecards describe whole branches, so the tier filter does
not apply; the month filter is an upper bound (``month`` and earlier) and the organisation
filter limits the branches.

The series target metrics read (``catalogue.metrics``, ``Metric.series``) are declared once in
:data:`SERIES`; :func:`metric_series` reads those a list of metrics needs and
:func:`target_card` turns the targets in view into the target card.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from analytics import scorecard_rules
from analytics import scorecards as scoring
from analytics import targets as target_calc
from catalogue import metrics
from data_access import marts
from data_access import schema as s
from data_access.filters import Filters, org_condition
from data_access.marts import effective_month
from data_access.query import read_frame
from data_access.segments import CORE_PRODUCTS
from data_access.viewer import Viewer

I = s.fact_6s_inspection  # noqa: E741 - the table's usual one-letter alias
Q = s.fact_service_quality_month
M = s.mart_branch_month_tier
T = s.fact_target


def six_s_rows(viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """Every inspection row (one per inspection and area) up to the filter month."""
    cond = [org_condition(filters, I.c.branch_id)]
    if filters.month is not None:
        cond.append(I.c.quarter_start <= filters.month)
    stmt = (
        sa.select(
            I.c.inspection_id,
            I.c.area,
            I.c.branch_id,
            I.c.inspected_on,
            I.c.quarter_start,
            I.c.inspector_name,
            *[I.c[f"score_{code}"] for code in scorecard_rules.SIX_S_WEIGHTS],
        )
        .where(*cond)
        .order_by(I.c.branch_id, I.c.inspected_on, I.c.inspection_id, I.c.area)
    )
    return read_frame(viewer, stmt)


def service_months(viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """Monthly service-quality facts per branch up to the filter month."""
    cond = [org_condition(filters, Q.c.branch_id)]
    if filters.month is not None:
        cond.append(Q.c.month_start <= filters.month)
    stmt = sa.select(Q).where(*cond).order_by(Q.c.branch_id, Q.c.month_start)
    return read_frame(viewer, stmt)


def branch_months(viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """Per branch and month (all tiers): savings deposits and financial assets with their lines
    (month-end and daily average), customers, new, churned and VIP customers, effective
    customers and dormant accounts (``catalogue.effective``)."""
    cond = [org_condition(filters, M.c.branch_id)]
    if filters.month is not None:
        cond.append(M.c.month_start <= filters.month)
    stmt = (
        sa.select(
            M.c.branch_id,
            M.c.month_start,
            *[sa.func.sum(M.c[col]).label(col) for col in metrics.basis_columns()],
            sa.func.sum(M.c.count_customers).label("count_customers"),
            sa.func.sum(M.c.count_new).label("count_new"),
            sa.func.sum(M.c.count_churned).label("count_churned"),
            sa.func.sum(M.c.count_assets_vip).label("count_assets_vip"),
            *effective_month.sums(),
        )
        .select_from(effective_month.beside(M))
        .where(*cond)
        .group_by(M.c.branch_id, M.c.month_start)
        .order_by(M.c.branch_id, M.c.month_start)
    )
    frame = read_frame(viewer, stmt)
    for column in ("count_customers", "count_new", "count_churned", "count_assets_vip"):
        frame[column] = frame[column].astype("int64")
    return frame


def wealth_sales_months(viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """Wealth-management product sales per branch and month (the target's wealth sales)."""
    sale, product = s.fact_product_sale, s.dim_product
    cond = [org_condition(filters, sale.c.branch_id), product.c.category == "wealth"]
    if filters.month is not None:
        cond.append(sale.c.month_start <= filters.month)
    stmt = (
        sa.select(
            sale.c.branch_id,
            sale.c.month_start,
            sa.func.sum(sale.c.amount_rmb).label("wealth_sales_rmb"),
        )
        .join(product, product.c.product_id == sale.c.product_id)
        .where(*cond)
        .group_by(sale.c.branch_id, sale.c.month_start)
        .order_by(sale.c.branch_id, sale.c.month_start)
    )
    return read_frame(viewer, stmt)


def core_coverage(viewer: Viewer, filters: Filters, months: tuple[dt.date, ...]) -> pd.DataFrame:
    """Core-bundle coverage per branch for the given months (an aggregate of customer months).

    A customer open at month end is covered when holding at least
    ``CORE_COVERAGE_MIN_PRODUCTS`` of the five core product categories.
    """
    f = s.fact_customer_month
    if not months:
        return pd.DataFrame(
            columns=["branch_id", "month_start", "count_customers", "count_covered", "coverage_pct"]
        )
    if marts.can_answer(s.mart_segment_month, viewer, filters):
        # mart_segment_month's core-product rows hold the same counts (open customers only).
        g = s.mart_segment_month
        held = sa.cast(g.c.segment, sa.Integer)
        covered = held >= scorecard_rules.CORE_COVERAGE_MIN_PRODUCTS
        stmt = (
            sa.select(
                g.c.branch_id,
                g.c.month_start,
                sa.cast(sa.func.sum(g.c.count_customers), sa.BigInteger).label("count_customers"),
                sa.cast(
                    sa.func.sum(sa.case((covered, g.c.count_customers), else_=0)), sa.BigInteger
                ).label("count_covered"),
            )
            .where(
                g.c.dimension == CORE_PRODUCTS,
                org_condition(filters, g.c.branch_id),
                g.c.month_start.in_(list(months)),
            )
            .group_by(g.c.branch_id, g.c.month_start)
            .order_by(g.c.branch_id, g.c.month_start)
        )
        return _with_coverage(read_frame(viewer, stmt))
    open_customer = sa.not_(f.c.is_closed)
    covered = sa.and_(
        open_customer, f.c.count_core_products >= scorecard_rules.CORE_COVERAGE_MIN_PRODUCTS
    )
    stmt = (
        sa.select(
            f.c.branch_id,
            f.c.month_start,
            sa.func.sum(sa.case((open_customer, 1), else_=0)).label("count_customers"),
            sa.func.sum(sa.case((covered, 1), else_=0)).label("count_covered"),
        )
        .where(org_condition(filters, f.c.branch_id), f.c.month_start.in_(list(months)))
        .group_by(f.c.branch_id, f.c.month_start)
        .order_by(f.c.branch_id, f.c.month_start)
    )
    return _with_coverage(read_frame(viewer, stmt))


def _with_coverage(frame: pd.DataFrame) -> pd.DataFrame:
    customers = frame["count_customers"].astype(float)
    frame["coverage_pct"] = frame["count_covered"] / customers.where(customers > 0) * 100
    return frame


def branch_targets(viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """Branch targets whose period contains the filter month (the year and the quarter)."""
    cond = [T.c.target_level == "branch", org_condition(filters, T.c.branch_id)]
    if filters.month is not None:
        cond += [T.c.period_start <= filters.month, T.c.period_end >= filters.month]
    stmt = (
        sa.select(
            T.c.target_id,
            T.c.branch_id,
            T.c.metric,
            T.c.period_start,
            T.c.period_end,
            T.c.target_value,
        )
        .where(*cond)
        .order_by(T.c.period_start, T.c.period_end.desc(), T.c.branch_id, T.c.metric)
    )
    return read_frame(viewer, stmt)


# ------------------------------------------------------------------ series of the target metrics

# A series query: (viewer, filters, months) -> one row per branch and month (or inspection);
# ``months`` are the months a month-end value is needed for (the openings of the target periods
# and the filter month), which a query may use to read only those.
SeriesQuery = Callable[[Viewer, Filters, tuple[dt.date, ...]], pd.DataFrame]


@dataclass(frozen=True)
class Series:
    """A series metrics read: the query returning it (perhaps with other series) and the
    column holding its value; ``when`` is the date column (a month, or an inspection date)."""

    query: SeriesQuery
    column: str
    when: str = "month_start"


def _branch_totals(viewer: Viewer, filters: Filters, months: tuple[dt.date, ...]) -> pd.DataFrame:
    return branch_months(viewer, filters)


def _wealth_sales(viewer: Viewer, filters: Filters, months: tuple[dt.date, ...]) -> pd.DataFrame:
    return wealth_sales_months(viewer, filters)


def _six_s_scores(viewer: Viewer, filters: Filters, months: tuple[dt.date, ...]) -> pd.DataFrame:
    return scoring.score_inspections(six_s_rows(viewer, filters))


# Series name -> its query and column. Series sharing a query read it once.
SERIES: dict[str, Series] = {
    "deposits": Series(_branch_totals, "deposit_rmb"),
    "deposits_avg": Series(_branch_totals, "deposit_avg_rmb"),
    "aum": Series(_branch_totals, "aum_rmb"),
    "aum_avg": Series(_branch_totals, "aum_avg_rmb"),
    "new_customers": Series(_branch_totals, "count_new"),
    "vip_customers": Series(_branch_totals, "count_assets_vip"),
    "effective_customers": Series(_branch_totals, "count_effective"),
    "effective_new": Series(_branch_totals, "count_effective_new"),
    "dormant_woken": Series(_branch_totals, "count_dormant_woken"),
    "wealth_sales": Series(_wealth_sales, "wealth_sales_rmb"),
    "core_bundle_coverage": Series(core_coverage, "coverage_pct"),
    "six_s_score": Series(_six_s_scores, "overall", "inspected_on"),
}


def metric_series(
    viewer: Viewer, filters: Filters, codes: Iterable[str], months: tuple[dt.date, ...]
) -> dict[str, pd.DataFrame]:
    """The series the target metrics ``codes`` read, by series name: branch_id, the series'
    date column (month_start or inspected_on) and value. Each query runs once; codes not in the
    catalogue are ignored."""
    known = metrics.target_metrics()
    names = sorted({known[code].series for code in codes if code in known})
    read: dict[SeriesQuery, pd.DataFrame] = {}
    out: dict[str, pd.DataFrame] = {}
    for name in names:
        series = SERIES[name]
        if series.query not in read:
            read[series.query] = series.query(viewer, filters, months)
        frame = read[series.query]
        out[name] = frame[["branch_id", series.when, series.column]].rename(
            columns={series.column: "value"}
        )
    return out


def target_card(viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """Every branch target of the periods containing the filter month, with its actual so far,
    attainment, projection and light (``analytics.targets.scorecard``)."""
    targets = branch_targets(viewer, filters)
    if targets.empty or filters.month is None:
        none = targets.iloc[0:0].assign(actual=[], start_value=[])
        return target_calc.scorecard(none, pd.Timestamp(filters.month or "now"))
    as_of = pd.Timestamp(filters.month)
    openings = target_calc.opening_months(targets["period_start"])
    months = tuple(sorted(openings | {filters.month}))
    series = metric_series(viewer, filters, targets["metric"].unique(), months)
    return target_calc.scorecard(target_calc.branch_actuals(targets, series, as_of), as_of)
