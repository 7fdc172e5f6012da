"""Segment breakdowns, the Pareto curve and card spending, aggregated in SQL per month.

The population of a month is every customer with a row in ``fact_customer_month`` that month who
has not closed (the same count as the marts' ``count_customers``). Breakdown dimensions are SQL
expressions on the customer's month, their customer record and their branch, so any dimension
can be combined with any segment filter (:class:`SegmentFilters`). Without a segment filter the
counts come from mart_segment_month, written at refresh by the same expressions (a province's
month is a million customers: PostgreSQL counts them in seconds, the mart in milliseconds). Every
aggregate passes through small-cell suppression before it leaves this module.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.sql import ColumnElement

from analytics import rules
from analytics import segment_rules as sr
from data_access import marts
from data_access import schema as s
from data_access.filters import Filters, org_condition, tier_condition
from data_access.query import read_frame, read_scalar
from data_access.suppression import min_group_size, suppress_small_cells
from data_access.viewer import Viewer

F = s.fact_customer_month
C = s.dim_customer
B = s.dim_branch
M = s.mart_branch_month_tier
S = s.mart_segment_month
PARETO = s.mart_pareto


@dataclass(frozen=True)
class SegmentFilters:
    """Multi-select filters on every segment dimension (empty = all), combined with AND."""

    occupations: tuple[str, ...] = field(default_factory=tuple)
    industries: tuple[str, ...] = field(default_factory=tuple)
    age_bands: tuple[str, ...] = field(default_factory=tuple)
    genders: tuple[str, ...] = field(default_factory=tuple)
    branch_types: tuple[str, ...] = field(default_factory=tuple)
    risk_grades: tuple[str, ...] = field(default_factory=tuple)
    channels: tuple[str, ...] = field(default_factory=tuple)

    def is_empty(self) -> bool:
        return not any(getattr(self, name) for name in self.__dataclass_fields__)


# No segment filter: every customer the global filters and the scope let through.
ALL_SEGMENTS = SegmentFilters()

# SegmentFilters field per dimension (tier is filtered by the global sidebar filter).
FILTER_FIELDS: dict[str, str] = {
    "occupation": "occupations",
    "industry": "industries",
    "age_band": "age_bands",
    "gender": "genders",
    "branch_type": "branch_types",
    "risk_grade": "risk_grades",
    "channel": "channels",
}


# ------------------------------------------------------------------ dimension expressions


def age_expr(fact, customer) -> ColumnElement:
    """Age in years in the month (calendar year of the month minus birth year)."""
    year = sa.cast(sa.extract("year", fact.c.month_start), sa.Integer)
    return year - customer.c.birth_year


def age_band_expr(fact, customer) -> ColumnElement:
    age = age_expr(fact, customer)
    whens = [(sa.between(age, low, high), code) for code, low, high in sr.AGE_BANDS]
    return sa.case(*whens, else_=sr.AGE_BANDS[-1][0])


def total_txns_expr(fact) -> ColumnElement:
    return fact.c.count_txn_counter + fact.c.count_txn_self_service + fact.c.count_txn_mobile


def channel_expr(fact) -> ColumnElement:
    """The channel with the most transactions in the month (ties: counter, then self-service)."""
    counter, self_service, mobile = (
        fact.c.count_txn_counter,
        fact.c.count_txn_self_service,
        fact.c.count_txn_mobile,
    )
    return sa.case(
        (total_txns_expr(fact) == 0, sr.CHANNEL_NONE),
        ((counter >= self_service) & (counter >= mobile), "counter"),
        (self_service >= mobile, "self_service"),
        else_="mobile",
    )


# Dimensions read from the customer record and from the branch; the others are columns of the
# customer's month. A statement joins only the tables its dimensions need.
CUSTOMER_DIMENSIONS = frozenset({"occupation", "industry", "age_band", "gender", "risk_grade"})
BRANCH_DIMENSIONS = frozenset({"branch_type"})

# What mart_segment_month is cut by: every breakdown dimension, and the number of core products
# held (the cross-selling page's coverage trend; segments "0" to "5").
CORE_PRODUCTS = "core_products"
CUBE_DIMENSIONS: tuple[str, ...] = (*sr.DIMENSIONS, CORE_PRODUCTS)


def dimension_expr(dimension: str, fact, customer, branch) -> ColumnElement:
    """The SQL expression a breakdown groups by; ``dimension`` is one of ``CUBE_DIMENSIONS``."""
    exprs = {
        "tier": lambda: fact.c.tier_code,
        CORE_PRODUCTS: lambda: sa.cast(fact.c.count_core_products, sa.String),
        "occupation": lambda: customer.c.occupation,
        "industry": lambda: sa.func.coalesce(customer.c.industry_class, "unknown"),
        "age_band": lambda: age_band_expr(fact, customer),
        "gender": lambda: customer.c.gender,
        "branch_type": lambda: branch.c.branch_type,
        "risk_grade": lambda: sa.func.coalesce(customer.c.risk_grade, rules.RISK_UNASSESSED),
        "channel": lambda: channel_expr(fact),
    }
    if dimension not in exprs:
        raise ValueError(f"Unknown segment dimension {dimension!r}")
    return exprs[dimension]()


def segment_condition(segment: SegmentFilters, fact, customer, branch) -> ColumnElement:
    conditions = []
    for dimension, name in FILTER_FIELDS.items():
        chosen = getattr(segment, name)
        if chosen:
            conditions.append(dimension_expr(dimension, fact, customer, branch).in_(chosen))
    return sa.and_(sa.true(), *conditions)


def population_condition(
    month: dt.date, filters: Filters, segment: SegmentFilters, fact=F, customer=C, branch=B
) -> ColumnElement:
    """Customers of ``month`` (not closed) inside the global and segment filters."""
    return sa.and_(
        fact.c.month_start == month,
        ~fact.c.is_closed,
        org_condition(filters, fact.c.branch_id),
        tier_condition(filters, fact.c.tier_code),
        segment_condition(segment, fact, customer, branch),
    )


def population_from(fact=F, customer=C, branch=B, dimensions=CUBE_DIMENSIONS):
    """The customer's month joined to their record and branch, as far as ``dimensions`` need
    (a join the statement does not use costs PostgreSQL a hash of a million customers)."""
    source = fact
    if CUSTOMER_DIMENSIONS.intersection(dimensions):
        source = source.join(customer, customer.c.customer_id == fact.c.customer_id)
    if BRANCH_DIMENSIONS.intersection(dimensions):
        source = source.join(branch, branch.c.branch_id == fact.c.branch_id)
    return source


def segment_dimensions(segment: SegmentFilters, *extra: str) -> tuple[str, ...]:
    """The dimensions ``segment`` filters on, plus ``extra``."""
    chosen = [d for d, name in FILTER_FIELDS.items() if getattr(segment, name)]
    return (*chosen, *extra)


def latest_month(viewer: Viewer) -> dt.date | None:
    """The newest month the viewer can see: from the marts, else (a wealth manager, whose scope
    is their own customers and so sees no branch mart) from their customers' months."""
    source = M if marts.can_answer(M, viewer) else F
    value = read_scalar(viewer, sa.select(sa.func.max(source.c.month_start)))
    return pd.Timestamp(value).date() if value is not None else None


def resolve_month(viewer: Viewer, filters: Filters) -> dt.date | None:
    """The month a page looks at: the filter's, else the newest the viewer can see."""
    return filters.month or latest_month(viewer)


# ------------------------------------------------------------------ breakdowns


def _summed(column: ColumnElement) -> ColumnElement:
    # PostgreSQL sums BIGINT as NUMERIC (Decimal in pandas), DuckDB as HUGEINT: plain integers.
    return sa.cast(sa.func.sum(column), sa.BigInteger)


def _mart_where(dimension: str, filters: Filters) -> ColumnElement:
    return sa.and_(
        S.c.dimension == dimension,
        org_condition(filters, S.c.branch_id),
        tier_condition(filters, S.c.tier_code),
    )


def _fact_where(dimension: str, filters: Filters, segment: SegmentFilters) -> ColumnElement:
    where = sa.and_(
        ~F.c.is_closed,
        org_condition(filters, F.c.branch_id),
        tier_condition(filters, F.c.tier_code),
        segment_condition(segment, F, C, B),
    )
    if dimension == "industry":
        where = sa.and_(where, C.c.occupation == "business_owner")
    return where


def breakdown(
    viewer: Viewer,
    filters: Filters,
    dimension: str = "tier",
    segment: SegmentFilters = ALL_SEGMENTS,
    split_by_tier: bool = False,
) -> pd.DataFrame:
    """Customers and AUM of the month by ``dimension`` (and by tier when ``split_by_tier``).

    Columns: ``segment`` (the dimension's code), [``tier_code``], ``count_customers``,
    ``aum_rmb``, ``aum_avg_rmb`` (the month's daily average), ``count_active``,
    ``is_suppressed``. The industry dimension covers private
    business owners only. Read from mart_segment_month unless a segment filter is set
    (``data_access.marts.can_answer``).
    """
    month = resolve_month(viewer, filters)
    if month is None:
        return pd.DataFrame(
            columns=["segment", "count_customers", "aum_rmb", "aum_avg_rmb", "count_active"]
        )
    if marts.can_answer(S, viewer, filters, segment):
        keys = [S.c.segment, S.c.tier_code] if split_by_tier else [S.c.segment]
        stmt = sa.select(
            *keys,
            _summed(S.c.count_customers).label("count_customers"),
            sa.func.sum(S.c.aum_rmb).label("aum_rmb"),
            sa.func.sum(S.c.aum_avg_rmb).label("aum_avg_rmb"),
            _summed(S.c.count_active).label("count_active"),
        ).where(_mart_where(dimension, filters), S.c.month_start == month)
    else:
        key = dimension_expr(dimension, F, C, B).label("segment")
        keys = [key, F.c.tier_code] if split_by_tier else [key]
        stmt = (
            sa.select(
                *keys,
                sa.func.count().label("count_customers"),
                sa.func.sum(F.c.aum_rmb).label("aum_rmb"),
                sa.func.sum(F.c.aum_avg_rmb).label("aum_avg_rmb"),
                sa.func.sum(sa.case((F.c.is_active, 1), else_=0)).label("count_active"),
            )
            .select_from(population_from(dimensions=segment_dimensions(segment, dimension)))
            .where(_fact_where(dimension, filters, segment), F.c.month_start == month)
        )
    stmt = stmt.group_by(*keys).order_by(*keys)
    return suppress_small_cells(read_frame(viewer, stmt), viewer)


def pareto_buckets(
    viewer: Viewer, filters: Filters, segment: SegmentFilters = ALL_SEGMENTS
) -> pd.DataFrame:
    """Customers ranked by AUM (largest first) cut into equal slices, one row per slice.

    Columns: ``bucket`` (1 = the richest slice), ``count_customers``, ``aum_rmb``,
    ``min_aum_rmb``, ``max_aum_rmb``. There are at most ``PARETO_BUCKETS`` slices and never a
    slice smaller than the viewer's minimum group size, so nothing needs suppressing.
    """
    columns = ["bucket", "count_customers", "aum_rmb", "min_aum_rmb", "max_aum_rmb"]
    month = resolve_month(viewer, filters)
    if month is None:
        return pd.DataFrame(columns=columns)
    where = population_condition(month, filters, segment)
    source = population_from(dimensions=segment_dimensions(segment))
    if marts.can_answer(S, viewer, filters, segment):
        total = read_scalar(
            viewer,
            sa.select(_summed(S.c.count_customers)).where(
                _mart_where("tier", filters), S.c.month_start == month
            ),
        )
    else:
        total = read_scalar(viewer, sa.select(sa.func.count()).select_from(source).where(where))
    buckets = min(sr.PARETO_BUCKETS, int(total or 0) // min_group_size(viewer))
    if buckets < 1:
        return pd.DataFrame(columns=columns)
    if buckets == sr.PARETO_BUCKETS and marts.can_answer(PARETO, viewer, filters, segment):
        stored = read_frame(
            viewer,
            sa.select(*[PARETO.c[c] for c in columns])
            .where(PARETO.c.month_start == month)
            .order_by(PARETO.c.bucket),
        )
        if len(stored) == buckets:
            return stored
    return read_frame(viewer, pareto_statement(source, where, buckets))


def pareto_statement(source, where: ColumnElement, buckets: int) -> sa.Select:
    """The customers of ``source`` within ``where`` ranked by AUM and cut into ``buckets``."""
    ranked = (
        sa.select(
            F.c.aum_rmb,
            sa.func.ntile(buckets)
            .over(order_by=(F.c.aum_rmb.desc(), F.c.customer_id))
            .label("bucket"),
        )
        .select_from(source)
        .where(where)
        .subquery("ranked")
    )
    return (
        sa.select(
            ranked.c.bucket,
            sa.func.count().label("count_customers"),
            sa.func.sum(ranked.c.aum_rmb).label("aum_rmb"),
            sa.func.min(ranked.c.aum_rmb).label("min_aum_rmb"),
            sa.func.max(ranked.c.aum_rmb).label("max_aum_rmb"),
        )
        .group_by(ranked.c.bucket)
        .order_by(ranked.c.bucket)
    )


def spending(
    viewer: Viewer,
    filters: Filters,
    dimension: str = "tier",
    segment: SegmentFilters = ALL_SEGMENTS,
) -> pd.DataFrame:
    """Card spending by category per segment over the trend window ending at the month.

    Each customer-month counts in the segment it was in that month. Columns: ``segment``,
    ``count_customers`` (the most customers the segment had in one month of the window: what
    small-cell suppression counts), ``count_customer_months``, one ``spend_<category>_rmb`` sum
    per category of ``rules.SPEND_CATEGORIES``, ``is_suppressed``. Read from mart_segment_month
    unless a segment filter is set (``data_access.marts.can_answer``).
    """
    month = resolve_month(viewer, filters)
    if month is None:
        return pd.DataFrame(columns=["segment", "count_customers", "count_customer_months"])
    start = (pd.Timestamp(month) - pd.DateOffset(months=filters.months_back - 1)).date()
    if marts.can_answer(S, viewer, filters, segment):
        monthly = (
            sa.select(
                S.c.segment,
                S.c.month_start,
                _summed(S.c.count_customers).label("count_customers"),
                *[sa.func.sum(S.c[col]).label(col) for col in rules.SPEND_COLUMNS],
            )
            .where(_mart_where(dimension, filters), S.c.month_start.between(start, month))
            .group_by(S.c.segment, S.c.month_start)
        )
    else:
        key = dimension_expr(dimension, F, C, B).label("segment")
        monthly = (
            sa.select(
                key,
                F.c.month_start,
                sa.func.count().label("count_customers"),
                *[sa.func.sum(F.c[col]).label(col) for col in rules.SPEND_COLUMNS],
            )
            .select_from(population_from(dimensions=segment_dimensions(segment, dimension)))
            .where(_fact_where(dimension, filters, segment), F.c.month_start.between(start, month))
            .group_by(key, F.c.month_start)
        )
    per_month = monthly.subquery("per_month")
    stmt = (
        sa.select(
            per_month.c.segment,
            sa.func.max(per_month.c.count_customers).label("count_customers"),
            _summed(per_month.c.count_customers).label("count_customer_months"),
            *[sa.func.sum(per_month.c[col]).label(col) for col in rules.SPEND_COLUMNS],
        )
        .group_by(per_month.c.segment)
        .order_by(per_month.c.segment)
    )
    return suppress_small_cells(read_frame(viewer, stmt), viewer)


__all__ = [
    "ALL_SEGMENTS",
    "CORE_PRODUCTS",
    "CUBE_DIMENSIONS",
    "FILTER_FIELDS",
    "SegmentFilters",
    "age_band_expr",
    "breakdown",
    "channel_expr",
    "dimension_expr",
    "latest_month",
    "pareto_buckets",
    "pareto_statement",
    "population_condition",
    "population_from",
    "resolve_month",
    "segment_condition",
    "segment_dimensions",
    "spending",
]
