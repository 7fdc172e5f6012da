"""mart_effective_month: effective customers (有效客户), dormant accounts (睡眠户) and wakings
(睡眠户激活) per branch, month and tier, by the rule of ``catalogue.effective`` under the settings
of the refresh (``data_access.settings.effective_rule``).

Each customer-month is judged from its own row and the rows before it (window functions over the
customer's months, which are consecutive: a customer has a row every month from opening to
closing), the same rule ``analytics.effective`` applies to arrays.
"""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from data_access import schema as s
from data_access import settings
from data_access.marts.base import BY_BRANCH_AND_TIER, Check, Mart, count_when

F = s.fact_customer_month


def _flags() -> sa.Subquery:
    """fact_customer_month's branch, month and tier with each row's flags: effective, effective
    the month before, dormant, and dormant at the end of the month before."""
    rule = settings.effective_rule()
    one = sa.case((F.c.is_active, 1), else_=0)
    quiet = sa.case((F.c.is_active | F.c.is_closed, 0), else_=1)  # held, no transaction
    by_customer = {"partition_by": F.c.customer_id, "order_by": F.c.month_start}
    rich = F.c.aum_avg_rmb >= rule.min_avg_rmb
    rich_before = sa.func.lag(F.c.aum_avg_rmb).over(**by_customer) >= rule.min_avg_rmb
    held_before = sa.func.lag(sa.not_(F.c.is_closed)).over(**by_customer)
    effective = sa.not_(F.c.is_closed) & rich
    effective_before = sa.func.coalesce(held_before, False) & sa.func.coalesce(rich_before, False)
    if rule.active_months > 0:
        window = rule.active_months
        recent = sa.func.max(one).over(**by_customer, rows=(-(window - 1), 0)) > 0
        recent_before = sa.func.max(one).over(**by_customer, rows=(-window, -1)) > 0
        effective = sa.not_(F.c.is_closed) & (rich | recent)
        effective_before = sa.func.coalesce(held_before, False) & (
            sa.func.coalesce(rich_before, False) | sa.func.coalesce(recent_before, False)
        )
    months = rule.dormant_months
    dormant = sa.func.sum(quiet).over(**by_customer, rows=(-(months - 1), 0)) == months
    dormant_before = sa.func.sum(quiet).over(**by_customer, rows=(-months, -1)) == months
    return (
        sa.select(
            F.c.branch_id,
            F.c.month_start,
            F.c.tier_code,
            F.c.is_closed,
            F.c.is_active,
            effective.label("is_effective"),
            effective_before.label("was_effective"),
            dormant.label("is_dormant"),
            sa.func.coalesce(dormant_before, False).label("was_dormant"),
        )
    ).subquery("flags")


def _build(conn: Connection) -> None:
    f = _flags()
    months = s.dim_month
    columns = {
        "branch_id": f.c.branch_id,
        "month_start": f.c.month_start,
        "tier_code": f.c.tier_code,
        "count_effective": count_when(f.c.is_effective),
        # The first month of the data has no month before it: nobody is newly effective there.
        "count_effective_new": count_when(
            f.c.is_effective & ~f.c.was_effective & (months.c.month_index > 0)
        ),
        "count_dormant": count_when(f.c.is_dormant & ~f.c.is_closed),
        "count_dormant_woken": count_when(f.c.was_dormant & f.c.is_active & ~f.c.is_closed),
    }
    select = (
        sa.select(*[expr.label(name) for name, expr in columns.items()])
        .select_from(f.join(months, months.c.month_start == f.c.month_start))
        .group_by(f.c.branch_id, f.c.month_start, f.c.tier_code)
    )
    conn.execute(s.mart_effective_month.insert().from_select(list(columns), select))


def _checks() -> Iterator[Check]:
    e, m = s.mart_effective_month.c, s.mart_branch_month_tier.c
    joined = s.mart_effective_month.join(
        s.mart_branch_month_tier,
        (m.branch_id == e.branch_id)
        & (m.month_start == e.month_start)
        & (m.tier_code == e.tier_code),
    )
    yield (
        "mart_effective_month: more effective or dormant customers than customers, or more "
        "newly effective than effective, in some branch, month and tier",
        lambda: (
            sa.select(sa.func.count())
            .select_from(joined)
            .where(
                sa.or_(
                    e.count_effective > m.count_customers,
                    e.count_dormant > m.count_customers,
                    e.count_effective_new > e.count_effective,
                    e.count_dormant_woken > m.count_active,
                )
            )
        ),
    )
    yield (
        "mart_effective_month: a branch, month and tier of mart_branch_month_tier is missing",
        lambda: (
            sa.select(sa.func.count())
            .select_from(
                s.mart_branch_month_tier.outerjoin(
                    s.mart_effective_month,
                    (m.branch_id == e.branch_id)
                    & (m.month_start == e.month_start)
                    & (m.tier_code == e.tier_code),
                )
            )
            .where(e.branch_id.is_(None))
        ),
    )


# The mart's counts, in its column order.
COUNTS: tuple[str, ...] = (
    "count_effective",
    "count_effective_new",
    "count_dormant",
    "count_dormant_woken",
)


def beside(mart: sa.Table) -> sa.Join:
    """``mart`` (cut by branch, month and tier, as mart_branch_month_tier) with the effective
    counts of each row beside it; outer, so a row without them reads zeros (:func:`sums`)."""
    e, m = s.mart_effective_month.c, mart.c
    return mart.outerjoin(
        s.mart_effective_month,
        (e.branch_id == m.branch_id)
        & (e.month_start == m.month_start)
        & (e.tier_code == m.tier_code),
    )


def sums() -> list[sa.ColumnElement]:
    """The effective counts summed over a group of :func:`beside`'s rows, as whole numbers."""
    e = s.mart_effective_month.c
    return [
        sa.cast(sa.func.coalesce(sa.func.sum(e[name]), 0), sa.BigInteger).label(name)
        for name in COUNTS
    ]


MART = Mart(
    table=s.mart_effective_month,
    grain=("branch_id", "month_start", "tier_code"),
    depends_on=("fact_customer_month", "dim_month", "mart_branch_month_tier"),
    build=_build,
    checks=_checks,
    answers=BY_BRANCH_AND_TIER,
    questions=(
        "Effective customers (有效客户), newly effective customers, dormant accounts and dormant "
        "accounts woken (睡眠户激活) per month, for any scope of branches and any organisation or "
        "tier filter."
    ),
)
