"""mart_segment_month: open customers, activity, AUM and card spending per month, branch, tier
and segment of every breakdown dimension (the segments page, core-product counts)."""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from analytics import rules
from data_access import schema as s
from data_access.marts.base import (
    BY_BRANCH_AND_TIER,
    Check,
    Mart,
    count_when,
    insert,
)

F = s.fact_customer_month


def _build_segment_month(conn: Connection) -> None:
    """mart_segment_month: every dimension in one pass over the customers' months (GROUPING
    SETS: one grouping per dimension), by the expressions pages filter by."""
    from data_access import segments as seg

    summed = ("aum_rmb", "aum_avg_rmb", *rules.SPEND_COLUMNS)
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
            count_when(rows.c.is_active).label("count_active"),
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
    insert(conn, s.mart_segment_month, select)


def _segment_month_checks() -> Iterator[Check]:
    """mart_segment_month: every dimension (industry: business owners only) splits each
    branch, month and tier of mart_branch_month_tier into segments without losing anyone."""
    from data_access import segments

    c = s.mart_segment_month.c
    m = s.mart_branch_month_tier.c
    keys = (c.dimension, c.month_start, c.branch_id, c.tier_code)
    cells = (
        sa.select(*keys, sa.func.sum(c.count_customers).label("count_customers"))
        .where(c.dimension != "industry")
        .group_by(*keys)
        .subquery("cells")
    )
    yield (
        "mart_segment_month: a dimension's customers differ from mart_branch_month_tier",
        lambda: (
            sa.select(sa.func.count())
            .select_from(
                cells.outerjoin(
                    s.mart_branch_month_tier,
                    (m.month_start == cells.c.month_start)
                    & (m.branch_id == cells.c.branch_id)
                    & (m.tier_code == cells.c.tier_code),
                )
            )
            .where(sa.or_(m.branch_id.is_(None), m.count_customers != cells.c.count_customers))
        ),
    )
    per_cell = (
        sa.select(
            cells.c.month_start,
            cells.c.branch_id,
            cells.c.tier_code,
            sa.func.count().label("dimensions"),
        )
        .group_by(cells.c.month_start, cells.c.branch_id, cells.c.tier_code)
        .subquery("per_cell")
    )
    yield (
        "mart_segment_month: customers of mart_branch_month_tier missing from a dimension",
        lambda: (
            sa.select(sa.func.count())
            .select_from(
                s.mart_branch_month_tier.outerjoin(
                    per_cell,
                    (per_cell.c.month_start == m.month_start)
                    & (per_cell.c.branch_id == m.branch_id)
                    & (per_cell.c.tier_code == m.tier_code),
                )
            )
            .where(
                m.count_customers > 0,
                sa.func.coalesce(per_cell.c.dimensions, 0) != len(segments.CUBE_DIMENSIONS) - 1,
            )
        ),
    )


MART = Mart(
    table=s.mart_segment_month,
    grain=("dimension", "month_start", "branch_id", "tier_code", "segment"),
    depends_on=("fact_customer_month", "dim_customer", "dim_branch", "mart_branch_month_tier"),
    build=_build_segment_month,
    checks=_segment_month_checks,
    answers=BY_BRANCH_AND_TIER,
    questions=(
        "Customers, active customers, AUM and card spending by one breakdown dimension "
        "(occupation, industry, age band, gender, ..., core products held), for any scope of "
        "branches and organisation or tier filter; not within a segment filter."
    ),
)
