"""mart_tier_mover: the customers behind mart_tier_transition's moves."""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from analytics import segment_rules
from data_access import schema as s
from data_access.marts.base import (
    BY_BRANCH_AND_TIER,
    Check,
    Mart,
    insert,
    listed_unlike_counted,
)

F = s.fact_customer_month


def _build_tier_movers(conn: Connection) -> None:
    """mart_tier_mover: the customers who moved, for each month pair mart_tier_transition holds."""
    from data_access import tier_moves

    pairs = conn.execute(
        sa.select(s.mart_tier_transition.c.to_month, s.mart_tier_transition.c.from_month)
        .distinct()
        .order_by(s.mart_tier_transition.c.to_month, s.mart_tier_transition.c.from_month)
    ).all()
    for to_month, from_month in pairs:
        insert(conn, s.mart_tier_mover, tier_moves.mover_statement(from_month, to_month))


def _mover_checks() -> Iterator[Check]:
    """mart_tier_mover lists, per month pair and branch, the customers mart_tier_transition counts
    as having changed tier or left."""
    t = s.mart_tier_transition.c
    moved = sa.and_(t.from_tier != t.to_tier, t.from_tier != segment_rules.NEW_CODE)
    yield (
        "mart_tier_mover: a pair's branch lists another number of movers than "
        "mart_tier_transition counts",
        lambda: listed_unlike_counted(
            s.mart_tier_mover,
            s.mart_tier_transition,
            ("to_month", "from_month", "branch_id"),
            sa.case((moved, t.count_customers), else_=0),
        ),
    )


MART = Mart(
    table=s.mart_tier_mover,
    grain=("to_month", "from_month", "customer_id"),
    depends_on=("fact_customer_month", "dim_customer", "mart_tier_transition"),
    build=_build_tier_movers,
    checks=_mover_checks,
    answers=BY_BRANCH_AND_TIER,
    questions=(
        "Which customers changed tier or left between the month pairs mart_tier_transition "
        "holds, largest AUM change first, for any scope of branches and organisation or tier "
        "filter."
    ),
)
