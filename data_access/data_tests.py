"""Data tests run after every refresh: keys, relationships, accepted values, reconciliations.

Each check returns a count of offending rows; any non-zero count is a failure with a message that
names the table, the column and the rule, so a bad load is caught before it is swapped in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from analytics import cross_sell_rules, propensity, rules, segment_rules
from analytics.churn import reasons as churn_reasons
from catalogue import codes, metrics
from data_access import marts, segments
from data_access import schema as s

Check = tuple[str, Callable[[], sa.Select]]

RELATIONSHIPS: tuple[tuple[sa.Column, sa.Column], ...] = (
    (s.dim_cooperative.c.prefecture_id, s.dim_prefecture.c.prefecture_id),
    (s.dim_branch.c.cooperative_id, s.dim_cooperative.c.cooperative_id),
    (s.dim_branch.c.prefecture_id, s.dim_prefecture.c.prefecture_id),
    (s.dim_staff.c.branch_id, s.dim_branch.c.branch_id),
    (s.dim_partner_employer.c.branch_id, s.dim_branch.c.branch_id),
    (s.dim_household.c.branch_id, s.dim_branch.c.branch_id),
    (s.dim_customer.c.branch_id, s.dim_branch.c.branch_id),
    (s.dim_customer.c.rm_staff_id, s.dim_staff.c.staff_id),
    (s.dim_customer.c.household_id, s.dim_household.c.household_id),
    (s.dim_customer.c.employer_id, s.dim_partner_employer.c.employer_id),
    (s.dim_product.c.exclusive_employer_id, s.dim_partner_employer.c.employer_id),
    (s.fact_customer_month.c.customer_id, s.dim_customer.c.customer_id),
    (s.fact_customer_month.c.branch_id, s.dim_branch.c.branch_id),
    (s.fact_customer_month.c.rm_staff_id, s.dim_staff.c.staff_id),
    (s.fact_product_holding.c.customer_id, s.dim_customer.c.customer_id),
    (s.fact_product_holding.c.product_id, s.dim_product.c.product_id),
    (s.fact_product_sale.c.staff_id, s.dim_staff.c.staff_id),
    (s.fact_product_sale.c.customer_id, s.dim_customer.c.customer_id),
    (s.fact_product_sale.c.product_id, s.dim_product.c.product_id),
    (s.fact_6s_inspection.c.branch_id, s.dim_branch.c.branch_id),
    (s.fact_service_quality_month.c.branch_id, s.dim_branch.c.branch_id),
    (s.fact_target.c.branch_id, s.dim_branch.c.branch_id),
    (s.fact_target.c.staff_id, s.dim_staff.c.staff_id),
    (s.fact_vip_service_use.c.customer_id, s.dim_customer.c.customer_id),
    (s.mart_churn_score.c.customer_id, s.dim_customer.c.customer_id),
    (s.mart_churn_score.c.branch_id, s.dim_branch.c.branch_id),
    (s.mart_churn_score.c.rm_staff_id, s.dim_staff.c.staff_id),
    (s.mart_churn_score.c.month_start, s.dim_month.c.month_start),
    (s.mart_stickiness.c.branch_id, s.dim_branch.c.branch_id),
    (s.mart_stickiness.c.month_start, s.dim_month.c.month_start),
    (s.mart_next_best.c.customer_id, s.dim_customer.c.customer_id),
    (s.mart_next_best.c.branch_id, s.dim_branch.c.branch_id),
    (s.mart_next_best.c.rm_staff_id, s.dim_staff.c.staff_id),
    (s.mart_next_best.c.month_start, s.dim_month.c.month_start),
    (s.mart_propensity_model.c.month_start, s.dim_month.c.month_start),
    (s.mart_segment_month.c.branch_id, s.dim_branch.c.branch_id),
    (s.mart_segment_month.c.month_start, s.dim_month.c.month_start),
    (s.mart_tier_transition.c.branch_id, s.dim_branch.c.branch_id),
    (s.mart_tier_transition.c.to_month, s.dim_month.c.month_start),
    (s.mart_tier_transition.c.from_month, s.dim_month.c.month_start),
    (s.mart_suitability.c.branch_id, s.dim_branch.c.branch_id),
    (s.mart_suitability.c.month_start, s.dim_month.c.month_start),
    (s.mart_mismatched_holding.c.month_start, s.dim_month.c.month_start),
    (s.mart_tier_mover.c.to_month, s.dim_month.c.month_start),
    (s.mart_tier_mover.c.from_month, s.dim_month.c.month_start),
    (s.mart_tier_mover.c.branch_id, s.dim_branch.c.branch_id),
    (s.mart_mismatched_holding.c.branch_id, s.dim_branch.c.branch_id),
    (s.mart_mismatched_holding.c.customer_id, s.dim_customer.c.customer_id),
    (s.mart_pareto.c.month_start, s.dim_month.c.month_start),
    (s.mart_group_centre.c.month_start, s.dim_month.c.month_start),
    (s.mart_group_summary.c.month_start, s.dim_month.c.month_start),
)


def _column(name: str) -> sa.Column:
    table, column = name.split(".")
    return s.metadata.tables[table].c[column]


# Every warehouse column a code list of catalogue.codes names holds only that list's codes.
CODED_VALUES: tuple[tuple[sa.Column, tuple[str, ...]], ...] = tuple(
    (_column(name), code_list.codes)
    for code_list in codes.CODE_LISTS.values()
    for name in code_list.columns
)

# Columns whose codes the analytics define with their rules: a subset of a code list (the
# modelled product lines), markers beside one (new / left customers), or rule-owned codes.
RULE_VALUES: tuple[tuple[sa.Column, tuple[str, ...]], ...] = (
    (s.fact_target.c.metric, metrics.target_codes()),
    (s.mart_churn_score.c.top_reason, churn_reasons.REASON_CODES),
    (s.mart_stickiness.c.measure, ("core", "products")),
    (s.mart_next_best.c.target, cross_sell_rules.TARGETS),
    (s.mart_next_best.c.reason_direction, propensity.REASON_DIRECTIONS),
    (s.mart_propensity_model.c.target, cross_sell_rules.TARGETS),
    (s.mart_segment_month.c.dimension, segments.CUBE_DIMENSIONS),
    (s.mart_tier_transition.c.from_tier, (*rules.TIER_CODES, segment_rules.NEW_CODE)),
    (s.mart_tier_transition.c.to_tier, (*rules.TIER_CODES, segment_rules.LEFT_CODE)),
    (s.mart_tier_mover.c.from_tier, rules.TIER_CODES),
    (s.mart_suitability.c.customer_grade, (*rules.RISK_GRADES, rules.RISK_UNASSESSED)),
    (s.mart_tier_mover.c.to_tier, (*rules.TIER_CODES, segment_rules.LEFT_CODE)),
)

ACCEPTED_VALUES: tuple[tuple[sa.Column, tuple[str, ...]], ...] = CODED_VALUES + RULE_VALUES

NON_NEGATIVE: tuple[sa.Column, ...] = (
    *(
        s.fact_customer_month.c[col]
        for col in (
            *rules.ASSET_COLUMNS,
            "aum_rmb",
            "aum_avg_rmb",
            *s.FACT_DEPOSIT_COLUMNS,
            "loan_rmb",
            *rules.SPEND_COLUMNS,
        )
    ),
    s.fact_product_sale.c.fee_income_rmb,
)


def _count(stmt: sa.Select) -> sa.Select:
    return sa.select(sa.func.count()).select_from(stmt.subquery())


def _key_checks() -> Iterator[Check]:
    for table in s.metadata.sorted_tables:
        key = list(table.primary_key.columns)
        if not key:
            continue
        names = ", ".join(c.name for c in key)
        yield (
            f"{table.name}: primary key ({names}) is not unique",
            lambda table=table, key=key: _count(
                sa.select(*key).group_by(*key).having(sa.func.count() > 1)
            ),
        )
        nulls = sa.or_(*[c.is_(None) for c in key])
        yield (
            f"{table.name}: primary key ({names}) has NULLs",
            lambda table=table, nulls=nulls: (
                sa.select(sa.func.count()).select_from(table).where(nulls)
            ),
        )


def _relationship_checks() -> Iterator[Check]:
    for child, parent in RELATIONSHIPS:
        yield (
            f"{child.table.name}.{child.name}: values missing from "
            f"{parent.table.name}.{parent.name}",
            lambda child=child, parent=parent: (
                sa.select(sa.func.count())
                .select_from(child.table)
                .where(child.is_not(None), ~sa.exists().where(parent == child))
            ),
        )


def _value_checks() -> Iterator[Check]:
    for column, allowed in ACCEPTED_VALUES:
        yield (
            f"{column.table.name}.{column.name}: values outside {', '.join(allowed)}",
            lambda column=column, allowed=allowed: (
                sa.select(sa.func.count())
                .select_from(column.table)
                .where(column.is_not(None), column.not_in(allowed))
            ),
        )
    for column in NON_NEGATIVE:
        yield (
            f"{column.table.name}.{column.name}: negative amounts",
            lambda column=column: (
                sa.select(sa.func.count()).select_from(column.table).where(column < 0)
            ),
        )
    c = s.dim_customer.c
    yield (
        "dim_customer: a risk grade without its assessment date, or a date without a grade",
        lambda: (
            sa.select(sa.func.count())
            .select_from(s.dim_customer)
            .where(
                sa.or_(
                    c.risk_grade.is_(None) & c.risk_assessed_on.is_not(None),
                    c.risk_grade.is_not(None) & c.risk_assessed_on.is_(None),
                )
            )
        ),
    )
    f = s.fact_customer_month.c
    parts = sum((f[col] for col in rules.ASSET_COLUMNS[1:]), f[rules.ASSET_COLUMNS[0]])
    yield (
        "fact_customer_month.aum_rmb: differs from the sum of the asset classes by > 0.01",
        lambda: (
            sa.select(sa.func.count())
            .select_from(s.fact_customer_month)
            .where(sa.func.abs(f.aum_rmb - parts) > 0.011)
        ),
    )


def _deposit_checks() -> Iterator[Check]:
    """Deposits against financial assets, 大额存单 inside time deposits, and daily averages no
    higher than the month allows."""
    f = s.fact_customer_month.c
    yield (
        "fact_customer_month: the deposits' daily average (demand + time) is above the daily "
        "average of financial assets (the other classes' average would be negative)",
        lambda: (
            sa.select(sa.func.count())
            .select_from(s.fact_customer_month)
            .where(f.demand_deposit_avg_rmb + f.time_deposit_avg_rmb > f.aum_avg_rmb + 0.011)
        ),
    )
    yield (
        "fact_customer_month: a 大额存单 balance, daily average or interest above the time "
        "deposits' it is part of",
        lambda: (
            sa.select(sa.func.count())
            .select_from(s.fact_customer_month)
            .where(
                sa.or_(
                    f.large_cd_rmb > f.time_deposit_rmb + 0.011,
                    f.large_cd_avg_rmb > f.time_deposit_avg_rmb + 0.011,
                    f.large_cd_interest_rmb > f.time_deposit_interest_rmb + 0.011,
                )
            )
        ),
    )
    cur = s.fact_customer_month.alias("cur")
    prev = s.fact_customer_month.alias("prev")
    months = s.dim_month.c
    yield (
        "fact_customer_month: a daily average of financial assets above the month's possible "
        "maximum (the previous month-end plus the month's inflows)",
        lambda: (
            sa.select(sa.func.count())
            .select_from(
                cur.join(s.dim_month, months.month_start == cur.c.month_start).outerjoin(
                    prev,
                    (prev.c.customer_id == cur.c.customer_id)
                    & (prev.c.month_start == months.prev_month_start),
                )
            )
            .where(
                prev.c.customer_id.is_not(None) | cur.c.is_new,
                cur.c.aum_avg_rmb
                > sa.func.coalesce(prev.c.aum_rmb, 0.0) + cur.c.inflow_rmb + 0.011,
            )
        ),
    )


def all_checks() -> list[Check]:
    """The warehouse-wide checks, then each mart's own (``data_access.marts``, build order)."""
    return [
        *_key_checks(),
        *_relationship_checks(),
        *_value_checks(),
        *_deposit_checks(),
        *marts.all_checks(),
    ]


def run_data_tests(conn: Connection) -> list[str]:
    """Run every check; return one message per failing check (empty when all pass)."""
    failures = []
    for message, build in all_checks():
        offending = conn.execute(build()).scalar() or 0
        if offending:
            failures.append(f"{message} ({offending} rows)")
    return failures
