"""Customer groups (客群) in SQL: the deterministic fitting sample and per-group aggregates.

The behaviour features are SQL expressions (:func:`feature_exprs`). The sample the model is
fitted on is picked by a fixed hash of the customer id, so the same data always yields the same
sample; every customer is then assigned to the nearest centre of a fitted
:class:`~analytics.clustering.GroupSpec` inside the database (:func:`group_expr`), and only
per-group totals come back. Aggregates pass through small-cell suppression.

The province's groups of the latest ``CLUSTER_STORED_MONTHS`` months are fitted and totalled at
refresh with these same statements (mart_group_*): a viewer of the whole province without
filters reads them instead of scanning, assigning and joining a million customers per view.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.sql import ColumnElement

from analytics import rules
from analytics import segment_rules as sr
from analytics.clustering import GroupSpec, fit_groups
from data_access import marts
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
    segment_dimensions,
    total_txns_expr,
)
from data_access.suppression import suppress_small_cells
from data_access.viewer import Viewer

F = s.fact_customer_month
C = s.dim_customer
H = s.fact_product_holding
P = s.dim_product
GC, GS, GP, GH = s.mart_group_centre, s.mart_group_summary, s.mart_group_product, s.mart_group_churn

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


def _population(month: dt.date, filters: Filters, segment: SegmentFilters):
    """The month's customers in the filters, joined to their record (age) and, only when the
    segment asks for it, their branch: (FROM clause, WHERE condition)."""
    source = population_from(dimensions=segment_dimensions(segment, "age_band"))
    return source, population_condition(month, filters, segment)


def sample_statement(
    month: dt.date,
    filters: Filters,
    segment: SegmentFilters = ALL_SEGMENTS,
    sample_size: int = sr.CLUSTER_SAMPLE_SIZE,
) -> sa.Select:
    """The deterministic fitting sample of :func:`cluster_sample` (also used by refresh)."""
    hashed = sa.func.mod(
        F.c.customer_id * sa.literal(sr.CLUSTER_SAMPLE_MULTIPLIER, sa.BigInteger),
        sa.literal(sr.CLUSTER_SAMPLE_MODULUS, sa.BigInteger),
    )
    source, where = _population(month, filters, segment)
    return (
        sa.select(
            F.c.customer_id,
            *[expr.label(name) for name, expr in feature_exprs().items()],
        )
        .select_from(source)
        .where(where)
        .order_by(hashed, F.c.customer_id)
        .limit(sample_size)
    )


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
    return read_frame(viewer, sample_statement(month, filters, segment, sample_size))


def fitted_groups(
    viewer: Viewer, filters: Filters, segment: SegmentFilters = ALL_SEGMENTS
) -> GroupSpec | None:
    """Fit the groups of the month's customers inside the filters (None: too few customers).

    A viewer of the whole province without filters gets the groups refresh fitted on the same
    sample (mart_group_centre), when the month is one refresh stored.
    """
    month = _month(viewer, filters)
    if month is not None and marts.can_answer(GC, viewer, filters, segment):
        stored = stored_spec(viewer, month)
        if stored is not None:
            return stored
    return fit_groups(cluster_sample(viewer, filters, segment))


def stored_spec(viewer: Viewer, month: dt.date) -> GroupSpec | None:
    """The province's groups of ``month`` as refresh fitted them (None: not stored)."""
    frame = read_frame(
        viewer,
        sa.select(GC.c.group_id, GC.c.feature, GC.c.feature_mean, GC.c.feature_scale, GC.c.centre)
        .where(GC.c.month_start == month)
        .order_by(GC.c.group_id, GC.c.feature),
    )
    features = list(sr.CLUSTER_FEATURES)
    if frame.empty or set(frame["feature"]) != set(features):
        return None  # not stored, or stored before the features changed
    by_feature = frame.groupby("feature")[["feature_mean", "feature_scale"]].first().loc[features]
    centres = frame.pivot(index="group_id", columns="feature", values="centre")[features]
    return GroupSpec(
        features=tuple(features),
        means=tuple(float(v) for v in by_feature["feature_mean"]),
        scales=tuple(float(v) for v in by_feature["feature_scale"]),
        centres=tuple(tuple(float(v) for v in row) for row in centres.to_numpy()),
    )


def _spec(viewer, filters, segment, spec):
    return spec if spec is not None else fitted_groups(viewer, filters, segment)


def _stored_totals_answer(
    viewer: Viewer, filters: Filters, segment: SegmentFilters, month: dt.date, spec: GroupSpec
) -> bool:
    """Whether the stored per-group totals answer: the whole province, and ``spec`` is the
    groups refresh stored for the month (any other centres are assigned live)."""
    return marts.can_answer(GS, viewer, filters, segment) and stored_spec(viewer, month) == spec


def _stored(table: sa.Table, month: dt.date) -> sa.Select:
    """A mart_group_* table's rows of ``month``: the columns of its live statement, in order."""
    keys = [c for c in table.primary_key.columns if c.name != "month_start"]
    return (
        sa.select(*[c for c in table.c if c.name != "month_start"])
        .where(table.c.month_start == month)
        .order_by(*keys)
    )


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
    source, where = _population(month, filters, segment)
    featured = (
        sa.select(*kept, *[expr.label(name) for name, expr in features.items()])
        .select_from(source)
        .where(where)
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


def summary_statement(
    month: dt.date, filters: Filters, segment: SegmentFilters, spec: GroupSpec
) -> sa.Select:
    """Per group totals of :func:`group_summary` (also used by refresh)."""
    a = _assigned(month, filters, segment, spec)
    return (
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
    if _stored_totals_answer(viewer, filters, segment, month, spec):
        stmt = _stored(GS, month)
    else:
        stmt = summary_statement(month, filters, segment, spec)
    return suppress_small_cells(read_frame(viewer, stmt), viewer)


def products_statement(
    month: dt.date, filters: Filters, segment: SegmentFilters, spec: GroupSpec
) -> sa.Select:
    """Per group and category holders of :func:`group_products` (also used by refresh)."""
    month_end = (pd.Timestamp(month) + pd.offsets.MonthEnd(0)).date()
    a = _assigned(month, filters, segment, spec)
    return (
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
    if _stored_totals_answer(viewer, filters, segment, month, spec):
        stmt = _stored(GP, month)
    else:
        stmt = products_statement(month, filters, segment, spec)
    return suppress_small_cells(read_frame(viewer, stmt), viewer, "count_holders")


def churn_base_month(month: dt.date) -> dt.date:
    """The month whose customers a group's churn rate follows (``CHURN_LOOKBACK_MONTHS`` back)."""
    return (pd.Timestamp(month) - pd.DateOffset(months=sr.CHURN_LOOKBACK_MONTHS)).date()


def churn_statement(
    month: dt.date, filters: Filters, segment: SegmentFilters, spec: GroupSpec
) -> sa.Select:
    """Per group base and leavers of :func:`group_churn` (also used by refresh)."""
    a = _assigned(churn_base_month(month), filters, segment, spec)
    now = (
        sa.select(F.c.customer_id)
        .where(F.c.month_start == month, ~F.c.is_closed)
        .subquery("still_here")
    )
    return (
        sa.select(
            a.c.group_id,
            sa.func.count().label("count_base"),
            sa.func.sum(sa.case((now.c.customer_id.is_(None), 1), else_=0)).label("count_left"),
        )
        .select_from(a.outerjoin(now, now.c.customer_id == a.c.customer_id))
        .group_by(a.c.group_id)
        .order_by(a.c.group_id)
    )


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
    if _stored_totals_answer(viewer, filters, segment, month, spec):
        stmt = _stored(GH, month)
    else:
        stmt = churn_statement(month, filters, segment, spec)
    frame = suppress_small_cells(read_frame(viewer, stmt), viewer, "count_base")
    frame["base_month"] = pd.Timestamp(churn_base_month(month))
    return frame


__all__ = [
    "churn_base_month",
    "churn_statement",
    "cluster_sample",
    "feature_exprs",
    "fitted_groups",
    "group_churn",
    "group_expr",
    "group_products",
    "group_summary",
    "products_statement",
    "sample_statement",
    "stored_spec",
    "summary_statement",
]
