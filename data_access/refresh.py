"""Refresh: rebuild the marts pages read, then prove the warehouse is consistent.

Runs inside a build (a new version beside the live one), so a failed data test aborts the swap
and the app keeps the previous version. Marts are plain INSERT ... SELECT statements in
SQLAlchemy Core, identical on DuckDB and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import logging
import time

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from analytics import rules
from data_access import schema
from data_access.warehouse import Warehouse

log = logging.getLogger(__name__)

F = schema.fact_customer_month


class DataTestFailed(RuntimeError):
    """Raised when a data test fails; its message lists every failing check."""


def _tier_rank(column: sa.ColumnElement) -> sa.ColumnElement:
    return sa.case({t.code: t.rank for t in rules.TIERS}, value=column, else_=-1)


def _add_months(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _month_rows(months: list[dt.date]) -> list[dict]:
    return [
        {
            "month_start": m,
            "month_index": i,
            "prev_month_start": _add_months(m, -1),
            "year_ago_month_start": _add_months(m, -12),
        }
        for i, m in enumerate(sorted(months))
    ]


def _build_dim_month(conn: Connection) -> None:
    months = [
        m if isinstance(m, dt.date) else m.date()
        for m in conn.execute(sa.select(F.c.month_start).distinct()).scalars()
    ]
    if months:
        conn.execute(schema.dim_month.insert(), _month_rows(months))


def _sum_when(condition: sa.ColumnElement, value: sa.ColumnElement) -> sa.ColumnElement:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, value), else_=0.0)), 0.0)


def _count_when(condition: sa.ColumnElement) -> sa.ColumnElement:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def _build_branch_month_tier(conn: Connection) -> None:
    cur = F.alias("cur")
    prev = F.alias("prev")
    months = schema.dim_month
    had_prev = prev.c.customer_id.is_not(None)
    existing = had_prev & ~cur.c.is_new & ~cur.c.is_closed
    change = cur.c.aum_rmb - sa.func.coalesce(prev.c.aum_rmb, 0.0)
    is_vip = (cur.c.aum_rmb >= rules.VIP_THRESHOLD_RMB) & ~cur.c.is_closed
    was_vip = had_prev & (prev.c.aum_rmb >= rules.VIP_THRESHOLD_RMB) & ~prev.c.is_closed
    columns = {
        "branch_id": cur.c.branch_id,
        "month_start": cur.c.month_start,
        "tier_code": cur.c.tier_code,
        "count_customers": _count_when(~cur.c.is_closed),
        "count_active": _count_when(cur.c.is_active & ~cur.c.is_closed),
        "count_new": _count_when(cur.c.is_new),
        "count_churned": _count_when(cur.c.is_closed),
        "count_upgraded": _count_when(
            had_prev & (_tier_rank(cur.c.tier_code) > _tier_rank(prev.c.tier_code))
        ),
        "count_downgraded": _count_when(
            had_prev & (_tier_rank(cur.c.tier_code) < _tier_rank(prev.c.tier_code))
        ),
        "count_watch": _count_when(
            (cur.c.months_below_floor >= rules.WATCH_AFTER_MONTHS) & ~cur.c.is_closed
        ),
        **{col: sa.func.sum(cur.c[col]) for col in rules.ASSET_COLUMNS},
        "aum_rmb": sa.func.sum(cur.c.aum_rmb),
        "loan_rmb": sa.func.sum(cur.c.loan_rmb),
        "count_assets_vip": _count_when(
            (cur.c.aum_rmb >= rules.VIP_THRESHOLD_RMB) & ~cur.c.is_closed
        ),
        # The four parts add up to the month's change in AUM: new customers bring their whole
        # balance, existing customers grow or decline, churned customers take theirs away.
        "aum_change_new_rmb": _sum_when(cur.c.is_new & ~cur.c.is_closed, change),
        "aum_change_growth_rmb": _sum_when(existing & (change > 0), change),
        "aum_change_decline_rmb": _sum_when(existing & (change < 0), change),
        "aum_change_churned_rmb": _sum_when(cur.c.is_closed, change),
        "count_txn_counter": sa.func.sum(cur.c.count_txn_counter),
        "count_txn_self_service": sa.func.sum(cur.c.count_txn_self_service),
        "count_txn_mobile": sa.func.sum(cur.c.count_txn_mobile),
        # VIP by assets (>= VIP_THRESHOLD_RMB, closed excluded) and who crossed the line: the
        # month's VIP count minus last month's equals entered minus left (a data test checks it).
        "vip_aum_rmb": _sum_when(is_vip, cur.c.aum_rmb),
        "count_vip_entered": _count_when(is_vip & ~was_vip),
        "count_vip_left": _count_when(was_vip & ~is_vip),
        "count_wealth_holders": _count_when((cur.c.wealth_rmb > 0) & ~cur.c.is_closed),
    }
    select = (
        sa.select(*[expr.label(name) for name, expr in columns.items()])
        .select_from(
            cur.join(months, months.c.month_start == cur.c.month_start).outerjoin(
                prev,
                (prev.c.customer_id == cur.c.customer_id)
                & (prev.c.month_start == months.c.prev_month_start),
            )
        )
        .group_by(cur.c.branch_id, cur.c.month_start, cur.c.tier_code)
    )
    target = schema.mart_branch_month_tier
    conn.execute(target.insert().from_select(list(columns), select))


def _build_staff_month(conn: Connection) -> None:
    columns = {
        "rm_staff_id": F.c.rm_staff_id,
        "branch_id": sa.func.min(F.c.branch_id),
        "month_start": F.c.month_start,
        "count_customers": _count_when(~F.c.is_closed),
        "count_vip": _count_when((F.c.aum_rmb >= rules.VIP_THRESHOLD_RMB) & ~F.c.is_closed),
        "count_new": _count_when(F.c.is_new),
        "count_churned": _count_when(F.c.is_closed),
        "aum_rmb": sa.func.sum(F.c.aum_rmb),
    }
    select = (
        sa.select(*[expr.label(name) for name, expr in columns.items()])
        .where(F.c.rm_staff_id.is_not(None))
        .group_by(F.c.rm_staff_id, F.c.month_start)
    )
    conn.execute(schema.mart_staff_month.insert().from_select(list(columns), select))


# Products held, as the stickiness curve counts them: the five core products, or every product
# capped at this many (the curve's last point is "8 or more").
STICKINESS_PRODUCTS_CAP: int = 8


def _build_stickiness(conn: Connection) -> None:
    """mart_stickiness: each customer open at a month end, paired with their next month."""
    before = F.alias("before")
    after = F.alias("after")
    months = schema.dim_month
    for measure, held in (
        ("core", before.c.count_core_products),
        ("products", sa.func.least(before.c.count_products, STICKINESS_PRODUCTS_CAP)),
    ):
        # Label the pairs in a subquery, then group by the labels: PostgreSQL cannot match a
        # GROUP BY expression holding a bound parameter (the cap) to the one in SELECT.
        pairs = (
            sa.select(
                before.c.branch_id,
                before.c.tier_code,
                after.c.month_start,
                held.label("count_held"),
                after.c.is_closed,
            )
            .select_from(
                before.join(months, months.c.prev_month_start == before.c.month_start).join(
                    after,
                    (after.c.customer_id == before.c.customer_id)
                    & (after.c.month_start == months.c.month_start),
                )
            )
            .where(~before.c.is_closed)
            .subquery("pairs")
        )
        keys = [pairs.c.branch_id, pairs.c.tier_code, pairs.c.month_start, pairs.c.count_held]
        columns = {
            "branch_id": pairs.c.branch_id,
            "tier_code": pairs.c.tier_code,
            "month_start": pairs.c.month_start,
            "measure": sa.literal(measure, sa.String(8)),
            "count_held": pairs.c.count_held,
            "count_base": sa.func.count(),
            "count_churned": _count_when(pairs.c.is_closed),
        }
        select = sa.select(*[expr.label(name) for name, expr in columns.items()]).group_by(*keys)
        conn.execute(schema.mart_stickiness.insert().from_select(list(columns), select))


def _insert(conn: Connection, table: sa.Table, select: sa.Select) -> None:
    """Write ``select``'s rows into ``table``, column by column name."""
    conn.execute(table.insert().from_select([c.name for c in select.selected_columns], select))


def _build_segment_month(conn: Connection) -> None:
    """mart_segment_month: every dimension in one pass over the customers' months (GROUPING
    SETS: one grouping per dimension), by the expressions pages filter by."""
    from data_access import segments as seg

    summed = ("aum_rmb", *rules.SPEND_COLUMNS)
    dimensions = seg.CUBE_DIMENSIONS
    values = []
    for i, dimension in enumerate(dimensions):
        value = seg.dimension_expr(dimension, F, seg.C, seg.B)
        if dimension == "industry":  # business owners only: NULL for everyone else
            value = sa.case((seg.C.c.occupation == "business_owner", value))
        values.append(value.label(f"segment_{i}"))
    rows = (
        sa.select(F.c.month_start, F.c.branch_id, F.c.tier_code, *values, F.c.is_active)
        .add_columns(*[F.c[col] for col in summed])
        .select_from(seg.population_from(dimensions=dimensions))
        .where(~F.c.is_closed)
        .subquery("rows")
    )
    keys = [rows.c.month_start, rows.c.branch_id, rows.c.tier_code]
    segments = [rows.c[f"segment_{i}"] for i in range(len(dimensions))]
    grouped = (
        sa.select(
            *keys,
            *segments,
            *[sa.func.grouping(s).label(f"grouping_{i}") for i, s in enumerate(segments)],
            sa.func.count().label("count_customers"),
            _count_when(rows.c.is_active).label("count_active"),
            *[sa.func.sum(rows.c[col]).label(col) for col in summed],
        )
        .group_by(sa.func.grouping_sets(*[sa.tuple_(*keys, s) for s in segments]))
        .subquery("grouped")
    )
    # The grouping a row belongs to names its dimension; its segment is that grouping's value.
    which = [grouped.c[f"grouping_{i}"] == 0 for i in range(len(dimensions))]
    segment = sa.case(*[(w, grouped.c[f"segment_{i}"]) for i, w in enumerate(which)])
    select = sa.select(
        sa.case(*[(w, d) for w, d in zip(which, dimensions, strict=True)]).label("dimension"),
        grouped.c.month_start,
        grouped.c.branch_id,
        grouped.c.tier_code,
        segment.label("segment"),
        grouped.c.count_customers,
        grouped.c.count_active,
        *[grouped.c[col] for col in summed],
    ).where(segment.is_not(None))
    _insert(conn, schema.mart_segment_month, select)


def _build_pareto(conn: Connection) -> None:
    """mart_pareto: each month's province-wide Pareto slices (months with enough customers)."""
    from analytics import segment_rules as sr
    from data_access import segments as seg

    months = conn.execute(sa.select(schema.dim_month.c.month_start)).scalars().all()
    for month in sorted(months):
        where = sa.and_(F.c.month_start == month, ~F.c.is_closed)
        total = conn.execute(sa.select(sa.func.count()).select_from(F).where(where)).scalar()
        if total < sr.PARETO_BUCKETS:
            continue  # fewer customers than slices: pages cut them live
        slices = seg.pareto_statement(F, where, sr.PARETO_BUCKETS).subquery("slices")
        select = sa.select(sa.literal(month, sa.Date).label("month_start"), slices)
        _insert(conn, schema.mart_pareto, select)


def _build_customer_groups(conn: Connection) -> None:
    """mart_group_*: the province's customer groups of the latest months, fitted on the page's
    sample and totalled with the page's own statements (data_access.customer_groups)."""
    from analytics import segment_rules as sr
    from analytics.clustering import fit_groups
    from data_access import customer_groups as cg
    from data_access.filters import Filters
    from data_access.segments import ALL_SEGMENTS

    months = sorted(conn.execute(sa.select(schema.dim_month.c.month_start)).scalars().all())
    for month in months[-sr.CLUSTER_STORED_MONTHS :]:
        result = conn.execute(cg.sample_statement(month, Filters()))
        spec = fit_groups(pd.DataFrame(result.fetchall(), columns=list(result.keys())))
        if spec is None:
            continue  # too few customers: pages say so live
        centres = [
            {
                "month_start": month,
                "group_id": group_id,
                "feature": feature,
                "feature_mean": mean,
                "feature_scale": scale,
                "centre": value,
            }
            for group_id, centre in enumerate(spec.centres)
            for feature, mean, scale, value in zip(
                spec.features, spec.means, spec.scales, centre, strict=True
            )
        ]
        conn.execute(schema.mart_group_centre.insert(), centres)
        for table, statement in (
            (schema.mart_group_summary, cg.summary_statement),
            (schema.mart_group_product, cg.products_statement),
            (schema.mart_group_churn, cg.churn_statement),
        ):
            totals = statement(month, Filters(), ALL_SEGMENTS, spec).subquery("totals")
            _insert(conn, table, sa.select(sa.literal(month, sa.Date).label("month_start"), totals))


def _build_tier_transition(conn: Connection) -> None:
    """mart_tier_transition: the tier matrix of every month against one and twelve before."""
    from analytics import segment_rules as sr

    months, earlier_months = schema.dim_month, schema.dim_month.alias("earlier_months")
    target = schema.mart_tier_transition
    for gap in sr.TRANSITION_GAPS:
        earlier = {1: months.c.prev_month_start, 12: months.c.year_ago_month_start}[gap]
        # Only pairs whose earlier month is in the warehouse (otherwise everyone would be new).
        pairs = months.join(earlier_months, earlier_months.c.month_start == earlier)
        before, after = F.alias("before"), F.alias("after")
        gone = after.c.customer_id.is_(None) | after.c.is_closed
        moved = (
            sa.select(
                months.c.month_start.label("to_month"),
                earlier.label("from_month"),
                before.c.branch_id,
                before.c.tier_code.label("from_tier"),
                sa.case((gone, sr.LEFT_CODE), else_=after.c.tier_code).label("to_tier"),
                before.c.aum_rmb.label("aum_from_rmb"),
                sa.case((gone, 0.0), else_=after.c.aum_rmb).label("aum_to_rmb"),
            )
            .select_from(
                pairs.join(before, before.c.month_start == earlier).outerjoin(
                    after,
                    (after.c.customer_id == before.c.customer_id)
                    & (after.c.month_start == months.c.month_start),
                )
            )
            .where(~before.c.is_closed)
        )
        arrived = (
            sa.select(
                months.c.month_start.label("to_month"),
                earlier.label("from_month"),
                after.c.branch_id,
                sa.literal(sr.NEW_CODE, sa.String(16)).label("from_tier"),
                after.c.tier_code.label("to_tier"),
                sa.literal(0.0).label("aum_from_rmb"),
                after.c.aum_rmb.label("aum_to_rmb"),
            )
            .select_from(
                pairs.join(after, after.c.month_start == months.c.month_start).outerjoin(
                    before,
                    (before.c.customer_id == after.c.customer_id)
                    & (before.c.month_start == earlier),
                )
            )
            .where(~after.c.is_closed, before.c.customer_id.is_(None))
        )
        # Labelled in a subquery, then grouped by the labels (CASE with bound parameters).
        rows = sa.union_all(moved, arrived).subquery("rows")
        keys = [rows.c[k] for k in ("to_month", "from_month", "branch_id", "from_tier", "to_tier")]
        select = sa.select(
            *keys,
            sa.func.count().label("count_customers"),
            sa.func.sum(rows.c.aum_from_rmb).label("aum_from_rmb"),
            sa.func.sum(rows.c.aum_to_rmb).label("aum_to_rmb"),
        ).group_by(*keys)
        _insert(conn, target, select)


def _build_tier_movers(conn: Connection) -> None:
    """mart_tier_mover: the customers who moved, for each month pair mart_tier_transition holds."""
    from data_access import migration

    pairs = conn.execute(
        sa.select(schema.mart_tier_transition.c.to_month, schema.mart_tier_transition.c.from_month)
        .distinct()
        .order_by(schema.mart_tier_transition.c.to_month, schema.mart_tier_transition.c.from_month)
    ).all()
    for to_month, from_month in pairs:
        _insert(conn, schema.mart_tier_mover, migration.mover_statement(from_month, to_month))


def _build_suitability(conn: Connection) -> None:
    """mart_suitability and mart_mismatched_holding: month by month, the open graded holdings of
    the month's customers, and those above their holder's grade."""
    from data_access import suitability as suit
    from data_access.filters import Filters

    months = conn.execute(sa.select(schema.dim_month.c.month_start)).scalars().all()
    for month in sorted(months):
        joined, where = suit.holdings_of(month, Filters())
        held = (
            sa.select(
                suit.H.c.customer_id,
                F.c.branch_id,
                F.c.tier_code,
                suit.C.c.risk_grade.label("customer_grade"),
                suit.P.c.risk_grade.label("product_grade"),
                sa.func.count().label("count_holdings"),
                sa.func.sum(suit.H.c.amount_rmb).label("amount_rmb"),
            )
            .select_from(joined)
            .where(where)
            .group_by(
                suit.H.c.customer_id,
                F.c.branch_id,
                F.c.tier_code,
                suit.C.c.risk_grade,
                suit.P.c.risk_grade,
            )
            .subquery("held")
        )
        ranked = sa.select(
            held,
            sa.func.max(held.c.product_grade)
            .over(partition_by=held.c.customer_id)
            .label("top_grade"),
        ).subquery("ranked")
        keys = [ranked.c[k] for k in ("branch_id", "tier_code", "customer_grade", "product_grade")]
        select = sa.select(
            sa.literal(month, sa.Date).label("month_start"),
            *keys,
            sa.func.count().label("count_holders"),
            _count_when(ranked.c.product_grade == ranked.c.top_grade).label("count_top_grade"),
            sa.func.sum(ranked.c.count_holdings).label("count_holdings"),
            sa.func.sum(ranked.c.amount_rmb).label("amount_rmb"),
        ).group_by(*keys)
        _insert(conn, schema.mart_suitability, select)
        _insert(conn, schema.mart_mismatched_holding, suit.mismatch_list_statement(month))


def build_marts(conn: Connection) -> dict[str, float]:
    """Drop and rebuild every derived table; returns seconds per table."""
    timings: dict[str, float] = {}
    for table in reversed(schema.MART_TABLES):
        table.drop(conn, checkfirst=True)
    for table in schema.MART_TABLES:
        table.create(conn)
    # Versions built before the load history existed lack it; the data tests read every table.
    schema.meta_load.create(conn, checkfirst=True)
    schema.meta_table_rows.create(conn, checkfirst=True)  # filled as the version is swapped in
    for table, builder in (
        (schema.dim_month, _build_dim_month),
        (schema.mart_branch_month_tier, _build_branch_month_tier),
        (schema.mart_staff_month, _build_staff_month),
        (schema.mart_stickiness, _build_stickiness),
        (schema.mart_segment_month, _build_segment_month),
        (schema.mart_tier_transition, _build_tier_transition),
        (schema.mart_tier_mover, _build_tier_movers),
        (schema.mart_suitability, _build_suitability),
        (schema.mart_pareto, _build_pareto),
        (schema.mart_group_summary, _build_customer_groups),
    ):
        started = time.perf_counter()
        builder(conn)
        timings[table.name] = round(time.perf_counter() - started, 3)
    conn.execute(
        schema.meta_warehouse.update().values(
            refreshed_at=dt.datetime.now(dt.UTC).replace(tzinfo=None)
        )
    )
    return timings


def refresh_engine(engine: Engine, train_churn: bool = False) -> dict[str, float]:
    """Build the marts on a writable engine and run the data tests (raising on failure).

    The churn scores (mart_churn_score) are part of the same build: with ``train_churn`` (the
    demo) a model is trained on this build first; then, when a trained model exists, the
    latest months are scored (see data_access.churn_jobs.refresh_scores). So is next best
    product: the propensity models are fitted and every customer scored into mart_next_best
    and mart_propensity_model (data_access.next_best_jobs.refresh_next_best).
    """
    from data_access.churn_jobs import refresh_scores
    from data_access.data_tests import run_data_tests
    from data_access.next_best_jobs import refresh_next_best

    with engine.begin() as conn:
        timings = build_marts(conn)
    timings.update(refresh_scores(engine, train=train_churn))
    timings.update(refresh_next_best(engine))
    with engine.connect() as conn:
        failures = run_data_tests(conn)
    if failures:
        raise DataTestFailed("Data tests failed:\n" + "\n".join(f"- {f}" for f in failures))
    return timings


def refresh(warehouse: Warehouse, train_churn: bool = False) -> dict[str, float]:
    """Rebuild the marts of the live warehouse as a new version and swap it in (with
    ``train_churn``, train a new churn model on it first, as :func:`refresh_engine`)."""
    with warehouse.build(copy_current=True) as engine:
        return refresh_engine(engine, train_churn=train_churn)
