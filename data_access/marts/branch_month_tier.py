"""mart_branch_month_tier: customers, balances, flows and transactions per branch, month and tier
(the overview, trends, scorecards and most counts read it)."""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from analytics import rules
from catalogue import metrics
from data_access import schema as s
from data_access.marts.base import (
    BY_BRANCH_AND_TIER,
    Check,
    Mart,
    count_when,
    sum_when,
    tier_rank,
)

F = s.fact_customer_month


def _deposit_expr(rows: sa.Table, column: str) -> sa.ColumnElement:
    """A customer's value of a deposit measure column: a fact column, or the savings-deposit
    total of its lines (demand plus time deposits)."""
    if column in rows.c:
        return rows.c[column]
    total = next(m for m in metrics.DEPOSIT_MEASURES if column in metrics.balance_columns((m,)))
    lines = [m for m in metrics.DEPOSIT_MEASURES if m.part_of == total.code]
    pick = {
        total.month_end_column: "month_end_column",
        total.daily_average_column: "daily_average_column",
        total.interest_column: "interest_column",
    }[column]
    return sum((rows.c[getattr(m, pick)] for m in lines[1:]), rows.c[getattr(lines[0], pick)])


def _build_branch_month_tier(conn: Connection) -> None:
    cur = F.alias("cur")
    prev = F.alias("prev")
    months = s.dim_month
    had_prev = prev.c.customer_id.is_not(None)
    existing = had_prev & ~cur.c.is_new & ~cur.c.is_closed
    change = cur.c.aum_rmb - sa.func.coalesce(prev.c.aum_rmb, 0.0)
    is_vip = (cur.c.aum_rmb >= rules.VIP_THRESHOLD_RMB) & ~cur.c.is_closed
    was_vip = had_prev & (prev.c.aum_rmb >= rules.VIP_THRESHOLD_RMB) & ~prev.c.is_closed
    columns = {
        "branch_id": cur.c.branch_id,
        "month_start": cur.c.month_start,
        "tier_code": cur.c.tier_code,
        "count_customers": count_when(~cur.c.is_closed),
        "count_active": count_when(cur.c.is_active & ~cur.c.is_closed),
        "count_new": count_when(cur.c.is_new),
        "count_churned": count_when(cur.c.is_closed),
        "count_upgraded": count_when(
            had_prev & (tier_rank(cur.c.tier_code) > tier_rank(prev.c.tier_code))
        ),
        "count_downgraded": count_when(
            had_prev & (tier_rank(cur.c.tier_code) < tier_rank(prev.c.tier_code))
        ),
        "count_watch": count_when(
            (cur.c.months_below_floor >= rules.WATCH_AFTER_MONTHS) & ~cur.c.is_closed
        ),
        **{col: sa.func.sum(cur.c[col]) for col in rules.ASSET_COLUMNS},
        "aum_rmb": sa.func.sum(cur.c.aum_rmb),
        # Savings deposits and their lines on both bases, the interest paid, the AUM daily average.
        **{col: sa.func.sum(_deposit_expr(cur, col)) for col in s.MART_DEPOSIT_COLUMNS},
        "loan_rmb": sa.func.sum(cur.c.loan_rmb),
        "count_assets_vip": count_when(
            (cur.c.aum_rmb >= rules.VIP_THRESHOLD_RMB) & ~cur.c.is_closed
        ),
        # The four parts add up to the month's change in AUM: new customers bring their whole
        # balance, existing customers grow or decline, churned customers take theirs away.
        "aum_change_new_rmb": sum_when(cur.c.is_new & ~cur.c.is_closed, change),
        "aum_change_growth_rmb": sum_when(existing & (change > 0), change),
        "aum_change_decline_rmb": sum_when(existing & (change < 0), change),
        "aum_change_churned_rmb": sum_when(cur.c.is_closed, change),
        "count_txn_counter": sa.func.sum(cur.c.count_txn_counter),
        "count_txn_self_service": sa.func.sum(cur.c.count_txn_self_service),
        "count_txn_mobile": sa.func.sum(cur.c.count_txn_mobile),
        # VIP by assets (>= VIP_THRESHOLD_RMB, closed excluded) and who crossed the line: the
        # month's VIP count minus last month's equals entered minus left (a data test checks it).
        "vip_aum_rmb": sum_when(is_vip, cur.c.aum_rmb),
        "count_vip_entered": count_when(is_vip & ~was_vip),
        "count_vip_left": count_when(was_vip & ~is_vip),
        "count_wealth_holders": count_when((cur.c.wealth_rmb > 0) & ~cur.c.is_closed),
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
    target = s.mart_branch_month_tier
    conn.execute(target.insert().from_select(list(columns), select))


def _reconciliation_checks() -> Iterator[Check]:
    f = s.fact_customer_month.c
    m = s.mart_branch_month_tier.c
    fact_totals = (
        sa.select(
            f.month_start,
            sa.func.sum(f.aum_rmb).label("aum"),
            sa.func.sum(f.aum_avg_rmb).label("aum_avg"),
            sa.func.sum(f.demand_deposit_avg_rmb + f.time_deposit_avg_rmb).label("deposit_avg"),
            sa.func.sum(f.demand_deposit_interest_rmb + f.time_deposit_interest_rmb).label(
                "interest"
            ),
            sa.func.count().label("rows"),
        )
        .group_by(f.month_start)
        .subquery("fact_totals")
    )
    mart_totals = (
        sa.select(
            m.month_start,
            sa.func.sum(m.aum_rmb).label("aum"),
            sa.func.sum(m.aum_avg_rmb).label("aum_avg"),
            sa.func.sum(m.deposit_avg_rmb).label("deposit_avg"),
            sa.func.sum(m.interest_paid_rmb).label("interest"),
            sa.func.sum(m.count_customers + m.count_churned).label("rows"),
        )
        .group_by(m.month_start)
        .subquery("mart_totals")
    )
    yield (
        "mart_branch_month_tier: AUM, deposits' daily average, interest paid or customer counts "
        "do not reconcile with fact_customer_month for some month",
        lambda: (
            sa.select(sa.func.count())
            .select_from(
                fact_totals.outerjoin(
                    mart_totals, mart_totals.c.month_start == fact_totals.c.month_start
                )
            )
            .where(
                sa.or_(
                    mart_totals.c.month_start.is_(None),
                    sa.func.abs(fact_totals.c.aum - mart_totals.c.aum) > 1.0,
                    sa.func.abs(fact_totals.c.aum_avg - mart_totals.c.aum_avg) > 1.0,
                    sa.func.abs(fact_totals.c.deposit_avg - mart_totals.c.deposit_avg) > 1.0,
                    sa.func.abs(fact_totals.c.interest - mart_totals.c.interest) > 1.0,
                    fact_totals.c.rows != mart_totals.c.rows,
                )
            )
        ),
    )
    branch_month = (
        sa.select(
            m.branch_id,
            m.month_start,
            sa.func.sum(m.aum_rmb).label("aum"),
            sa.func.sum(
                m.aum_change_new_rmb
                + m.aum_change_growth_rmb
                + m.aum_change_decline_rmb
                + m.aum_change_churned_rmb
            ).label("parts"),
        )
        .group_by(m.branch_id, m.month_start)
        .subquery("branch_month")
    )
    prev = branch_month.alias("prev_branch_month")
    months = s.dim_month.c
    yield (
        "mart_branch_month_tier: the AUM change parts do not add up to the change in AUM",
        lambda: (
            sa.select(sa.func.count())
            .select_from(
                branch_month.join(
                    s.dim_month, months.month_start == branch_month.c.month_start
                ).join(
                    prev,
                    (prev.c.branch_id == branch_month.c.branch_id)
                    & (prev.c.month_start == months.prev_month_start),
                )
            )
            .where(sa.func.abs(branch_month.c.aum - prev.c.aum - branch_month.c.parts) > 1.0)
        ),
    )
    # Change since January (较年初) adds up from the months: the AUM change parts of January to
    # each month of a year, summed, equal that month's AUM minus last December's, per branch.
    this_year = branch_month.alias("this_year")
    so_far = (
        sa.select(
            branch_month.c.branch_id,
            branch_month.c.month_start,
            sa.func.sum(this_year.c.parts).label("parts"),
        )
        .select_from(
            branch_month.join(
                this_year,
                (this_year.c.branch_id == branch_month.c.branch_id)
                & (
                    sa.extract("year", this_year.c.month_start)
                    == sa.extract("year", branch_month.c.month_start)
                )
                & (this_year.c.month_start <= branch_month.c.month_start),
            )
        )
        .group_by(branch_month.c.branch_id, branch_month.c.month_start)
        .subquery("so_far")
    )
    at_month = branch_month.alias("at_month")
    december = branch_month.alias("december")
    yield (
        "mart_branch_month_tier: the months' AUM changes since January do not add up to the "
        "change since last December",
        lambda: (
            sa.select(sa.func.count())
            .select_from(
                so_far.join(
                    at_month,
                    (at_month.c.branch_id == so_far.c.branch_id)
                    & (at_month.c.month_start == so_far.c.month_start),
                ).join(
                    december,
                    (december.c.branch_id == so_far.c.branch_id)
                    & (
                        sa.extract("year", december.c.month_start)
                        == sa.extract("year", so_far.c.month_start) - 1
                    )
                    & (sa.extract("month", december.c.month_start) == 12),
                )
            )
            .where(sa.func.abs(at_month.c.aum - december.c.aum - so_far.c.parts) > 1.0)
        ),
    )
    vip_month = (
        sa.select(
            m.month_start,
            sa.func.sum(m.count_assets_vip).label("vip"),
            sa.func.sum(m.count_vip_entered - m.count_vip_left).label("net"),
        )
        .group_by(m.month_start)
        .subquery("vip_month")
    )
    prev_vip = vip_month.alias("prev_vip_month")
    yield (
        "mart_branch_month_tier: VIPs entered minus left do not equal the change in VIPs",
        lambda: (
            sa.select(sa.func.count())
            .select_from(
                vip_month.join(s.dim_month, months.month_start == vip_month.c.month_start).join(
                    prev_vip, prev_vip.c.month_start == months.prev_month_start
                )
            )
            .where(vip_month.c.vip - prev_vip.c.vip != vip_month.c.net)
        ),
    )


MART = Mart(
    table=s.mart_branch_month_tier,
    grain=("branch_id", "month_start", "tier_code"),
    depends_on=("fact_customer_month", "dim_month"),
    build=_build_branch_month_tier,
    checks=_reconciliation_checks,
    answers=BY_BRANCH_AND_TIER,
    questions=(
        "Customers, active, new, churned, upgraded and downgraded customers, AUM by asset class, "
        "loans, the AUM change by source, transactions by channel and VIPs, per month for any "
        "scope of branches and any organisation or tier filter."
    ),
)
