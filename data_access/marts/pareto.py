"""mart_pareto: each month's province-wide Pareto slices of the open customers by AUM."""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from data_access import schema as s
from data_access.marts.base import (
    WHOLE_PROVINCE,
    Check,
    Mart,
    insert,
    open_customers_per_month,
)

F = s.fact_customer_month


def _build_pareto(conn: Connection) -> None:
    """mart_pareto: each month's province-wide Pareto slices (months with enough customers)."""
    from analytics import segment_rules as sr
    from data_access import segments as seg

    months = conn.execute(sa.select(s.dim_month.c.month_start)).scalars().all()
    for month in sorted(months):
        where = sa.and_(F.c.month_start == month, ~F.c.is_closed)
        total = conn.execute(sa.select(sa.func.count()).select_from(F).where(where)).scalar()
        if total < sr.PARETO_BUCKETS:
            continue  # fewer customers than slices: pages cut them live
        slices = seg.pareto_statement(F, where, sr.PARETO_BUCKETS).subquery("slices")
        select = sa.select(sa.literal(month, sa.Date).label("month_start"), slices)
        insert(conn, s.mart_pareto, select)


def _pareto_checks() -> Iterator[Check]:
    """mart_pareto: a month's slices hold its open customers and are ranked by AUM."""
    p = s.mart_pareto.c
    open_per_month = open_customers_per_month()
    sliced = (
        sa.select(
            p.month_start,
            sa.func.sum(p.count_customers).label("n"),
            sa.func.count().label("slices"),
            sa.func.max(p.bucket).label("last"),
        )
        .group_by(p.month_start)
        .subquery("sliced")
    )
    yield (
        "mart_pareto: a month's slices do not hold its open customers, or are not 1 .. n",
        lambda: (
            sa.select(sa.func.count())
            .select_from(
                sliced.outerjoin(
                    open_per_month, open_per_month.c.month_start == sliced.c.month_start
                )
            )
            .where(
                sa.or_(
                    sa.func.coalesce(open_per_month.c.n, -1) != sliced.c.n,
                    sliced.c.slices != sliced.c.last,
                )
            )
        ),
    )
    richer = s.mart_pareto.alias("richer")
    yield (
        "mart_pareto: a slice holds more AUM per customer than the slice before it",
        lambda: (
            sa.select(sa.func.count())
            .select_from(
                s.mart_pareto.join(
                    richer,
                    (richer.c.month_start == p.month_start) & (richer.c.bucket == p.bucket - 1),
                )
            )
            .where(p.max_aum_rmb > richer.c.min_aum_rmb)
        ),
    )


MART = Mart(
    table=s.mart_pareto,
    grain=("month_start", "bucket"),
    depends_on=("fact_customer_month", "dim_month", "mart_branch_month_tier"),
    build=_build_pareto,
    checks=_pareto_checks,
    answers=WHOLE_PROVINCE,
    questions=(
        "The share of AUM each slice of the province's customers holds, ranked by AUM (the "
        "Pareto curve), for the whole province without filters."
    ),
)
