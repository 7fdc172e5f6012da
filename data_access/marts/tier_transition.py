"""mart_tier_transition: the tier matrix of every month against one and twelve months before."""

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
)

F = s.fact_customer_month


def _build_tier_transition(conn: Connection) -> None:
    """mart_tier_transition: the tier matrix of every month against one and twelve before."""
    from analytics import segment_rules as sr

    months, earlier_months = s.dim_month, s.dim_month.alias("earlier_months")
    target = s.mart_tier_transition
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
        insert(conn, target, select)


def _tier_transition_checks() -> Iterator[Check]:
    """mart_tier_transition: each pair's earlier customers are the earlier month's open
    customers (per branch), and its later ones (arrivals and stayers) the later month's."""
    t = s.mart_tier_transition.c
    m = s.mart_branch_month_tier.c
    open_per_branch = (
        sa.select(m.month_start, m.branch_id, sa.func.sum(m.count_customers).label("n"))
        .group_by(m.month_start, m.branch_id)
        .subquery("open_per_branch")
    )
    earlier = (
        sa.select(t.from_month, t.branch_id, t.to_month, sa.func.sum(t.count_customers).label("n"))
        .where(t.from_tier != segment_rules.NEW_CODE)
        .group_by(t.from_month, t.branch_id, t.to_month)
        .subquery("earlier")
    )
    yield (
        "mart_tier_transition: a branch's earlier customers differ from its open customers then",
        lambda: (
            sa.select(sa.func.count())
            .select_from(
                earlier.outerjoin(
                    open_per_branch,
                    (open_per_branch.c.month_start == earlier.c.from_month)
                    & (open_per_branch.c.branch_id == earlier.c.branch_id),
                )
            )
            .where(sa.func.coalesce(open_per_branch.c.n, -1) != earlier.c.n)
        ),
    )
    open_per_month = (
        sa.select(m.month_start, sa.func.sum(m.count_customers).label("n"))
        .group_by(m.month_start)
        .subquery("open_per_month")
    )
    later = (
        sa.select(t.to_month, t.from_month, sa.func.sum(t.count_customers).label("n"))
        .where(t.to_tier != segment_rules.LEFT_CODE)
        .group_by(t.to_month, t.from_month)
        .subquery("later")
    )
    yield (
        "mart_tier_transition: a pair's later customers differ from the open customers then",
        lambda: (
            sa.select(sa.func.count())
            .select_from(
                later.outerjoin(open_per_month, open_per_month.c.month_start == later.c.to_month)
            )
            .where(sa.func.coalesce(open_per_month.c.n, -1) != later.c.n)
        ),
    )


MART = Mart(
    table=s.mart_tier_transition,
    grain=("to_month", "from_month", "branch_id", "from_tier", "to_tier"),
    depends_on=("fact_customer_month", "dim_month", "mart_branch_month_tier"),
    build=_build_tier_transition,
    checks=_tier_transition_checks,
    answers=BY_BRANCH_AND_TIER,
    questions=(
        "Customers and AUM moving from each tier to each tier (or arriving, or leaving) between "
        "two months one or twelve months apart, for any scope of branches and organisation or "
        "tier filter."
    ),
)
