"""mart_stickiness: customers open at a month end paired with their next month, by products held
(the cross-selling page's stickiness curve)."""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from data_access import schema as s
from data_access.marts.base import (
    BY_BRANCH_AND_TIER,
    Check,
    Mart,
    count_when,
)

F = s.fact_customer_month

# Products held, as the stickiness curve counts them: the five core products, or every product
# capped at this many (the curve's last point is "8 or more").
STICKINESS_PRODUCTS_CAP: int = 8


def _build_stickiness(conn: Connection) -> None:
    """mart_stickiness: each customer open at a month end, paired with their next month."""
    before = F.alias("before")
    after = F.alias("after")
    months = s.dim_month
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
            "count_churned": count_when(pairs.c.is_closed),
        }
        select = sa.select(*[expr.label(name) for name, expr in columns.items()]).group_by(*keys)
        conn.execute(s.mart_stickiness.insert().from_select(list(columns), select))


def _stickiness_checks() -> Iterator[Check]:
    """mart_stickiness: churned within base; both measures count the same pairs."""
    m = s.mart_stickiness.c
    yield (
        "mart_stickiness.count_churned: more than count_base",
        lambda: (
            sa.select(sa.func.count())
            .select_from(s.mart_stickiness)
            .where(m.count_churned > m.count_base)
        ),
    )
    per_measure = (
        sa.select(
            m.month_start,
            sa.func.sum(sa.case((m.measure == "core", m.count_base), else_=0)).label("core"),
            sa.func.sum(sa.case((m.measure == "products", m.count_base), else_=0)).label("all"),
        )
        .group_by(m.month_start)
        .subquery("per_measure")
    )
    yield (
        "mart_stickiness: the core and products measures count different pairs in a month",
        lambda: (
            sa.select(sa.func.count())
            .select_from(per_measure)
            .where(per_measure.c.core != per_measure.c.all)
        ),
    )


MART = Mart(
    table=s.mart_stickiness,
    grain=("branch_id", "tier_code", "month_start", "measure", "count_held"),
    depends_on=("fact_customer_month", "dim_month"),
    build=_build_stickiness,
    checks=_stickiness_checks,
    answers=BY_BRANCH_AND_TIER,
    questions=(
        "How many customers holding n core products (or n products) at a month end churned by "
        "the next, for any scope of branches and organisation or tier filter."
    ),
)
