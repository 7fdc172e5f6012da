"""Customer groups (客群) in SQL: the deterministic fitting sample and per-group aggregates.

The behaviour features are SQL expressions (:func:`feature_exprs`). The sample the model is
fitted on is picked by a fixed hash of the customer id, so the same data always yields the same
sample; every customer is then assigned to the nearest centre of a fitted
:class:`~analytics.clustering.GroupSpec` inside the database (:func:`group_expr`), and only
per-group totals come back. Aggregates pass through small-cell suppression.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.sql import ColumnElement

from analytics import rules
from analytics import segment_rules as sr
from analytics.clustering import GroupSpec, fit_groups
from data_access import schema as s
from data_access.filters import Filters
from data_access.query import read_frame
from data_access.segments import (
    ALL_SEGMENTS,
    SegmentFilters,
    age_expr,
    population_condition,
    population_from,
    resolve_month,
    total_txns_expr,
)
from data_access.suppression import suppress_small_cells
from data_access.viewer import Viewer

F = s.fact_customer_month
C = s.dim_customer
H = s.fact_product_holding
P = s.dim_product

_INVEST_COLUMNS = ("wealth_rmb", "fund_rmb", "insurance_rmb", "bond_rmb")


def _ln1p(value: ColumnElement) -> ColumnElement:
    return sa.func.ln(1.0 + sa.func.greatest(sa.cast(value, sa.Double), 0.0))


def feature_exprs(fact=F, customer=C) -> dict[str, ColumnElement]:
    """Each clustering feature of ``segment_rules.CLUSTER_FEATURES`` as a SQL expression."""
    aum = sa.cast(fact.c.aum_rmb, sa.Double)
    invest = sum((fact.c[col] for col in _INVEST_COLUMNS[1:]), fact.c[_INVEST_COLUMNS[0]])
    txns = total_txns_expr(fact)
    spend = sum((fact.c[col] for col in rules.SPEND_COLUMNS[1:]), fact.c[rules.SPEND_COLUMNS[0]])
    exprs = {
        "log_aum": _ln1p(aum),
        "invest_share": sa.case((aum > 0, sa.cast(invest, sa.Double) / aum), else_=0.0),
        "log_loan": _ln1p(sa.func.coalesce(fact.c.loan_rmb, 0.0)),
        "mobile_share": sa.case(
            (txns > 0, sa.cast(fact.c.count_txn_mobile, sa.Double) / txns), else_=0.0
        ),
        "log_txns": _ln1p(txns),
        "log_spend": _ln1p(spend),
        "count_products": sa.cast(fact.c.count_products, sa.Double),
        "age": sa.cast(age_expr(fact, customer), sa.Double),
    }
    return {name: exprs[name] for name in sr.CLUSTER_FEATURES}


def group_expr(spec: GroupSpec, fact=F, customer=C) -> ColumnElement:
    """The index of the nearest centre (squared Euclidean distance in standardised units), as
    one expression over the fact and customer columns (the queries use :func:`_assigned`, which
    computes the same in stages)."""
    exprs = feature_exprs(fact, customer)
    return _nearest([_distance(spec, exprs, centre) for centre in spec.centres])


def _distance(spec: GroupSpec, values: dict, centre: tuple[float, ...]) -> ColumnElement:
    terms = []
    for name, mean, scale, c in zip(spec.features, spec.means, spec.scales, centre, strict=True):
        z = (values[name] - sa.literal(mean + c * scale)) / sa.literal(scale)
        terms.append(z * z)
    return sum(terms[1:], terms[0])


def _nearest(distances: list[ColumnElement]) -> ColumnElement:
    """The index of the smallest distance (the first on a tie)."""
    if len(distances) == 1:
        return sa.literal(0)
    nearest = sa.func.least(*distances)
    return sa.case(*[(d == nearest, i) for i, d in enumerate(distances)], else_=0)


def _month(viewer: Viewer, filters: Filters) -> dt.date | None:
    return resolve_month(viewer, filters)


def cluster_sample(
    viewer: Viewer,
    filters: Filters,
    segment: SegmentFilters = ALL_SEGMENTS,
    sample_size: int = sr.CLUSTER_SAMPLE_SIZE,
) -> pd.DataFrame:
    """Behaviour features of a deterministic sample of the month's customers.

    The sample is the first ``sample_size`` customers by a fixed multiplicative hash of their id
    (ties by id): independent of row order, the same for the same data. Columns:
    ``customer_id`` and one per feature.
    """
    month = _month(viewer, filters)
    if month is None:
        return pd.DataFrame(columns=["customer_id", *sr.CLUSTER_FEATURES])
    hashed = sa.func.mod(
        F.c.customer_id * sa.literal(sr.CLUSTER_SAMPLE_MULTIPLIER, sa.BigInteger),
        sa.literal(sr.CLUSTER_SAMPLE_MODULUS, sa.BigInteger),
    )
    stmt = (
        sa.select(
            F.c.customer_id,
            *[expr.label(name) for name, expr in feature_exprs().items()],
        )
        .select_from(population_from())
        .where(population_condition(month, filters, segment))
        .order_by(hashed, F.c.customer_id)
        .limit(sample_size)
    )
    return read_frame(viewer, stmt)


def fitted_groups(
    viewer: Viewer, filters: Filters, segment: SegmentFilters = ALL_SEGMENTS
) -> GroupSpec | None:
    """Fit the groups of the month's customers inside the filters (None: too few customers)."""
    return fit_groups(cluster_sample(viewer, filters, segment))


def _spec(viewer, filters, segment, spec):
    return spec if spec is not None else fitted_groups(viewer, filters, segment)


def _assigned(month: dt.date, filters: Filters, segment: SegmentFilters, spec: GroupSpec):
    """The month's customers in the filters with their group, as a subquery.

    Computed in three stages, each a subquery kept apart by ``OFFSET 0`` (PostgreSQL then does
    not fold it into the query around it, and DuckDB accepts it as is): the eight features once
    per customer, the distance to each centre from those columns, the nearest centre from the
    distances. As one expression the features were repeated for every centre and every
    comparison (about 40 times per row), which made the statement huge to scope and compile and
    slow to evaluate on PostgreSQL, and joins (holdings) evaluated it again on every joined row.
    """
    features = feature_exprs()
    kept = [
        F.c.customer_id,
        F.c.branch_id,
        F.c.aum_rmb,
        F.c.loan_rmb,
        F.c.count_core_products,
        F.c.count_txn_mobile,
        total_txns_expr(F).label("count_txns"),
        *[F.c[col] for col in rules.SPEND_COLUMNS],
    ]
    featured = (
        sa.select(*kept, *[expr.label(name) for name, expr in features.items()])
        .select_from(population_from())
        .where(population_condition(month, filters, segment))
        .offset(0)
        .subquery("featured")
    )
    values = {name: featured.c[name] for name in features}
    distances = (
        sa.select(
            *featured.c,
            *[
                _distance(spec, values, centre).label(f"distance_{i}")
                for i, centre in enumerate(spec.centres)
            ],
        )
        .offset(0)
        .subquery("distances")
    )
    out = [c for c in distances.c if not c.name.startswith("distance_")]
    nearest = _nearest([distances.c[f"distance_{i}"] for i in range(spec.count)])
    return sa.select(*out, nearest.label("group_id")).subquery("assigned")


def group_summary(
    viewer: Viewer,
    filters: Filters,
    segment: SegmentFilters = ALL_SEGMENTS,
    spec: GroupSpec | None = None,
) -> pd.DataFrame:
    """Per group: customers, AUM, sums for the card averages and card spending by category.

    Columns: ``group_id, count_customers, aum_rmb, sum_age, sum_mobile_share,
    sum_invest_share, sum_txns, sum_loan_rmb, sum_core_products`` and ``spend_<category>_rmb``.
    ``spec`` None fits the groups first (as :func:`fitted_groups`).
    """
    month = _month(viewer, filters)
    spec = _spec(viewer, filters, segment, spec)
    if month is None or spec is None:
        return pd.DataFrame(columns=["group_id", "count_customers", "aum_rmb"])
    a = _assigned(month, filters, segment, spec)
    stmt = (
        sa.select(
            a.c.group_id,
            sa.func.count().label("count_customers"),
            sa.func.sum(a.c.aum_rmb).label("aum_rmb"),
            sa.func.sum(a.c.age).label("sum_age"),
            sa.func.sum(a.c.mobile_share).label("sum_mobile_share"),
            sa.func.sum(a.c.invest_share).label("sum_invest_share"),
            sa.func.sum(a.c.count_txns).label("sum_txns"),
            sa.func.sum(a.c.loan_rmb).label("sum_loan_rmb"),
            sa.func.sum(a.c.count_core_products).label("sum_core_products"),
            *[sa.func.sum(a.c[col]).label(col) for col in rules.SPEND_COLUMNS],
        )
        .group_by(a.c.group_id)
        .order_by(a.c.group_id)
    )
    return suppress_small_cells(read_frame(viewer, stmt), viewer)


def group_products(
    viewer: Viewer,
    filters: Filters,
    segment: SegmentFilters = ALL_SEGMENTS,
    spec: GroupSpec | None = None,
) -> pd.DataFrame:
    """Per group and product category: customers holding at least one product of it at month end.

    Columns: ``group_id, category, count_holders``.
    """
    month = _month(viewer, filters)
    spec = _spec(viewer, filters, segment, spec)
    if month is None or spec is None:
        return pd.DataFrame(columns=["group_id", "category", "count_holders"])
    month_end = (pd.Timestamp(month) + pd.offsets.MonthEnd(0)).date()
    a = _assigned(month, filters, segment, spec)
    stmt = (
        sa.select(
            a.c.group_id,
            P.c.category,
            sa.func.count(sa.distinct(H.c.customer_id)).label("count_holders"),
        )
        .select_from(
            a.join(H, H.c.customer_id == a.c.customer_id).join(P, P.c.product_id == H.c.product_id)
        )
        .where(
            H.c.opened_on <= month_end,
            sa.or_(H.c.closed_on.is_(None), H.c.closed_on > month_end),
            P.c.category != "loan",
        )
        .group_by(a.c.group_id, P.c.category)
        .order_by(a.c.group_id, P.c.category)
    )
    return suppress_small_cells(read_frame(viewer, stmt), viewer, "count_holders")


def group_churn(
    viewer: Viewer,
    filters: Filters,
    segment: SegmentFilters = ALL_SEGMENTS,
    spec: GroupSpec | None = None,
) -> pd.DataFrame:
    """Per group: how many of its customers ``CHURN_LOOKBACK_MONTHS`` earlier had left by now.

    Customers of the earlier month are assigned to groups with the same centres on that month's
    behaviour; ``count_left`` counts those with no open relationship in the month. Columns:
    ``group_id, count_base, count_left, base_month``.
    """
    month = _month(viewer, filters)
    spec = _spec(viewer, filters, segment, spec)
    columns = ["group_id", "count_base", "count_left", "base_month"]
    if month is None or spec is None:
        return pd.DataFrame(columns=columns)
    base_month = (pd.Timestamp(month) - pd.DateOffset(months=sr.CHURN_LOOKBACK_MONTHS)).date()
    a = _assigned(base_month, filters, segment, spec)
    now = (
        sa.select(F.c.customer_id)
        .where(F.c.month_start == month, ~F.c.is_closed)
        .subquery("still_here")
    )
    stmt = (
        sa.select(
            a.c.group_id,
            sa.func.count().label("count_base"),
            sa.func.sum(sa.case((now.c.customer_id.is_(None), 1), else_=0)).label("count_left"),
        )
        .select_from(a.outerjoin(now, now.c.customer_id == a.c.customer_id))
        .group_by(a.c.group_id)
        .order_by(a.c.group_id)
    )
    frame = suppress_small_cells(read_frame(viewer, stmt), viewer, "count_base")
    frame["base_month"] = pd.Timestamp(base_month)
    return frame


__all__ = [
    "cluster_sample",
    "feature_exprs",
    "fitted_groups",
    "group_churn",
    "group_expr",
    "group_products",
    "group_summary",
]
