"""mart_suitability and mart_mismatched_holding: open graded holdings per month, branch, tier and
grade pair, and the holdings above their holder's risk grade."""

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
    insert,
    listed_unlike_counted,
)

F = s.fact_customer_month


def _build_suitability(conn: Connection) -> None:
    """mart_suitability and mart_mismatched_holding: month by month, the open graded holdings of
    the month's customers, and those above their holder's grade."""
    from data_access import suitability as suit
    from data_access.filters import Filters

    months = conn.execute(sa.select(s.dim_month.c.month_start)).scalars().all()
    for month in sorted(months):
        joined, where = suit.holdings_of(month, Filters())
        held = (
            sa.select(
                suit.H.c.customer_id,
                F.c.branch_id,
                F.c.tier_code,
                suit.customer_grade().label("customer_grade"),
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
            count_when(ranked.c.product_grade == ranked.c.top_grade).label("count_top_grade"),
            sa.func.sum(ranked.c.count_holdings).label("count_holdings"),
            sa.func.sum(ranked.c.amount_rmb).label("amount_rmb"),
        ).group_by(*keys)
        insert(conn, s.mart_suitability, select)
        insert(conn, s.mart_mismatched_holding, suit.mismatch_list_statement(month))


def _suitability_checks() -> Iterator[Check]:
    """mart_suitability: riskiest-grade holders within holders within holdings."""
    c = s.mart_suitability.c
    yield (
        "mart_suitability: count_top_grade above count_holders, or count_holders above "
        "count_holdings",
        lambda: (
            sa.select(sa.func.count())
            .select_from(s.mart_suitability)
            .where(
                sa.or_(
                    c.count_top_grade > c.count_holders,
                    c.count_holders > c.count_holdings,
                    c.count_holders < 1,
                )
            )
        ),
    )


def _mismatch_checks() -> Iterator[Check]:
    """mart_mismatched_holding lists as many holdings per month and branch as mart_suitability
    counts above their holder's grade."""
    from data_access.suitability import grade_number

    u = s.mart_suitability.c
    above = grade_number(u.product_grade) > grade_number(u.customer_grade)
    yield (
        "mart_mismatched_holding: a branch's month lists another number of holdings than "
        "mart_suitability counts above the holder's grade",
        lambda: listed_unlike_counted(
            s.mart_mismatched_holding,
            s.mart_suitability,
            ("month_start", "branch_id"),
            sa.case((above, u.count_holdings), else_=0),
        ),
    )


MART = Mart(
    table=s.mart_suitability,
    also_writes=(s.mart_mismatched_holding,),
    grain=("month_start", "branch_id", "tier_code", "customer_grade", "product_grade"),
    depends_on=(
        "fact_customer_month",
        "fact_product_holding",
        "dim_customer",
        "dim_product",
        "dim_month",
    ),
    build=_build_suitability,
    checks=lambda: (*_suitability_checks(), *_mismatch_checks()),
    answers=BY_BRANCH_AND_TIER,
    questions=(
        "Holders and holdings per customer and product risk grade, the holdings above their "
        "holder's grade and their list, for any scope of branches and organisation or tier "
        "filter."
    ),
)
