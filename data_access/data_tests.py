"""Data tests run after every refresh: keys, relationships, accepted values, reconciliations.

Each check returns a count of offending rows; any non-zero count is a failure with a message that
names the table, the column and the rule, so a bad load is caught before it is swapped in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from analytics import cross_sell_rules, propensity, rules, segment_rules
from analytics.churn import definition as churn_definition
from analytics.churn import reasons as churn_reasons
from catalogue import codes, metrics
from data_access import schema as s
from data_access import segments
from data_access.suitability import grade_number

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
    (s.mart_tier_mover.c.to_tier, (*rules.TIER_CODES, segment_rules.LEFT_CODE)),
)

ACCEPTED_VALUES: tuple[tuple[sa.Column, tuple[str, ...]], ...] = CODED_VALUES + RULE_VALUES

NON_NEGATIVE: tuple[sa.Column, ...] = tuple(
    s.fact_customer_month.c[col]
    for col in (*rules.ASSET_COLUMNS, "aum_rmb", "loan_rmb", *rules.SPEND_COLUMNS)
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


def _reconciliation_checks() -> Iterator[Check]:
    f = s.fact_customer_month.c
    m = s.mart_branch_month_tier.c
    fact_totals = (
        sa.select(
            f.month_start,
            sa.func.sum(f.aum_rmb).label("aum"),
            sa.func.count().label("rows"),
        )
        .group_by(f.month_start)
        .subquery("fact_totals")
    )
    mart_totals = (
        sa.select(
            m.month_start,
            sa.func.sum(m.aum_rmb).label("aum"),
            sa.func.sum(m.count_customers + m.count_churned).label("rows"),
        )
        .group_by(m.month_start)
        .subquery("mart_totals")
    )
    yield (
        "mart_branch_month_tier: AUM or customer counts do not reconcile with "
        "fact_customer_month for some month",
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


def _churn_score_checks() -> Iterator[Check]:
    """mart_churn_score: probabilities, money and bands agree with each other and the facts."""
    m = s.mart_churn_score.c
    f = s.fact_customer_month.c

    def offending(condition: sa.ColumnElement) -> Callable[[], sa.Select]:
        return lambda: sa.select(sa.func.count()).select_from(s.mart_churn_score).where(condition)

    yield (
        "mart_churn_score.probability: outside 0 .. 1",
        offending(sa.or_(m.probability < 0, m.probability > 1)),
    )
    yield ("mart_churn_score.aum_rmb: negative amounts", offending(m.aum_rmb < 0))
    yield (
        "mart_churn_score.expected_assets_at_risk_rmb: differs from probability x aum_rmb",
        offending(sa.func.abs(m.expected_assets_at_risk_rmb - m.probability * m.aum_rmb) > 0.02),
    )
    floors = churn_definition.SCORE_BANDS
    band = sa.case(
        *[(m.probability >= floor, code) for code, floor, _, _ in floors[:-1]],
        else_=floors[-1][0],
    )
    yield (
        "mart_churn_score.score_band: not the band of the probability",
        offending(band != m.score_band),
    )
    yield (
        "mart_churn_score: a scored customer has no fact_customer_month row that month, or "
        "its AUM or branch differ",
        lambda: (
            sa.select(sa.func.count())
            .select_from(
                s.mart_churn_score.outerjoin(
                    s.fact_customer_month,
                    (f.customer_id == m.customer_id) & (f.month_start == m.month_start),
                )
            )
            .where(
                sa.or_(
                    f.customer_id.is_(None),
                    f.branch_id != m.branch_id,
                    sa.func.abs(f.aum_rmb - m.aum_rmb) > 0.011,
                )
            )
        ),
    )


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


def _segment_month_checks() -> Iterator[Check]:
    """mart_segment_month: every dimension (industry: business owners only) splits each
    branch, month and tier of mart_branch_month_tier into segments without losing anyone."""
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


def _open_per_month() -> sa.Subquery:
    """Open customers per month (``month_start``, ``n``), from mart_branch_month_tier."""
    m = s.mart_branch_month_tier.c
    return (
        sa.select(m.month_start, sa.func.sum(m.count_customers).label("n"))
        .group_by(m.month_start)
        .subquery("open_per_month")
    )


def _pareto_checks() -> Iterator[Check]:
    """mart_pareto: a month's slices hold its open customers and are ranked by AUM."""
    p = s.mart_pareto.c
    open_per_month = _open_per_month()
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


def _listed_unlike_counted(
    listing: sa.Table, counting: sa.Table, keys: tuple[str, ...], counted: sa.ColumnElement
) -> sa.Select:
    """How many ``keys`` groups of ``counting`` sum ``counted`` to another number than the rows
    ``listing`` has for them (a list mart against the count mart it details)."""
    summed = (
        sa.select(*[counting.c[k] for k in keys], sa.func.sum(counted).label("n"))
        .group_by(*[counting.c[k] for k in keys])
        .subquery("counted")
    )
    listed = (
        sa.select(*[listing.c[k] for k in keys], sa.func.count().label("n"))
        .group_by(*[listing.c[k] for k in keys])
        .subquery("listed")
    )
    return (
        sa.select(sa.func.count())
        .select_from(summed.outerjoin(listed, sa.and_(*[listed.c[k] == summed.c[k] for k in keys])))
        .where(sa.func.coalesce(listed.c.n, 0) != summed.c.n)
    )


def _mover_checks() -> Iterator[Check]:
    """mart_tier_mover lists, per month pair and branch, the customers mart_tier_transition counts
    as having changed tier or left."""
    t = s.mart_tier_transition.c
    moved = sa.and_(t.from_tier != t.to_tier, t.from_tier != segment_rules.NEW_CODE)
    yield (
        "mart_tier_mover: a pair's branch lists another number of movers than "
        "mart_tier_transition counts",
        lambda: _listed_unlike_counted(
            s.mart_tier_mover,
            s.mart_tier_transition,
            ("to_month", "from_month", "branch_id"),
            sa.case((moved, t.count_customers), else_=0),
        ),
    )


def _mismatch_checks() -> Iterator[Check]:
    """mart_mismatched_holding lists as many holdings per month and branch as mart_suitability
    counts above their holder's grade."""
    u = s.mart_suitability.c
    above = grade_number(u.product_grade) > grade_number(u.customer_grade)
    yield (
        "mart_mismatched_holding: a branch's month lists another number of holdings than "
        "mart_suitability counts above the holder's grade",
        lambda: _listed_unlike_counted(
            s.mart_mismatched_holding,
            s.mart_suitability,
            ("month_start", "branch_id"),
            sa.case((above, u.count_holdings), else_=0),
        ),
    )


def _group_checks() -> Iterator[Check]:
    """mart_group_*: a month's groups hold its open customers; the tables describe the same
    groups; no count exceeds what it counts from."""
    g = s.mart_group_summary.c
    open_per_month = _open_per_month()
    grouped = (
        sa.select(g.month_start, sa.func.sum(g.count_customers).label("n"))
        .group_by(g.month_start)
        .subquery("grouped")
    )
    yield (
        "mart_group_summary: a month's groups do not hold its open customers",
        lambda: (
            sa.select(sa.func.count())
            .select_from(
                grouped.outerjoin(
                    open_per_month, open_per_month.c.month_start == grouped.c.month_start
                )
            )
            .where(sa.func.coalesce(open_per_month.c.n, -1) != grouped.c.n)
        ),
    )
    c = s.mart_group_centre.c
    fitted = sa.select(c.month_start, c.group_id).distinct().subquery("fitted")
    yield (
        "mart_group_summary: a group without a fitted centre in mart_group_centre",
        lambda: (
            sa.select(sa.func.count())
            .select_from(
                s.mart_group_summary.outerjoin(
                    fitted,
                    (fitted.c.month_start == g.month_start) & (fitted.c.group_id == g.group_id),
                )
            )
            .where(fitted.c.group_id.is_(None))
        ),
    )
    p = s.mart_group_product.c
    yield (
        "mart_group_product: more holders than the group has customers",
        lambda: (
            sa.select(sa.func.count())
            .select_from(
                s.mart_group_product.outerjoin(
                    s.mart_group_summary,
                    (g.month_start == p.month_start) & (g.group_id == p.group_id),
                )
            )
            .where(p.count_holders > sa.func.coalesce(g.count_customers, 0))
        ),
    )
    h = s.mart_group_churn.c
    yield (
        "mart_group_churn: more leavers than customers at the start",
        lambda: (
            sa.select(sa.func.count())
            .select_from(s.mart_group_churn)
            .where(h.count_left > h.count_base)
        ),
    )


def _next_best_checks() -> Iterator[Check]:
    """mart_next_best agrees with the facts and with the models in mart_propensity_model."""
    n = s.mart_next_best.c
    pm = s.mart_propensity_model.c
    f = s.fact_customer_month.c
    yield (
        "mart_next_best.probability: outside 0 .. 1",
        lambda: (
            sa.select(sa.func.count())
            .select_from(s.mart_next_best)
            .where(sa.or_(n.probability < 0, n.probability > 1))
        ),
    )
    yield (
        "mart_next_best.suggestion_rank: not 1 .. n within a customer's month",
        lambda: _count(
            sa.select(n.customer_id, n.month_start)
            .group_by(n.customer_id, n.month_start)
            .having(
                sa.or_(
                    sa.func.min(n.suggestion_rank) != 1,
                    sa.func.max(n.suggestion_rank) != sa.func.count(),
                )
            )
        ),
    )
    yield (
        "mart_next_best: a product line without a model in mart_propensity_model",
        lambda: (
            sa.select(sa.func.count())
            .select_from(s.mart_next_best)
            .where(
                ~sa.exists().where(
                    pm.month_start == n.month_start, pm.target == n.target, pm.has_model
                )
            )
        ),
    )
    yield (
        "mart_next_best: a scored customer has no open fact_customer_month row that month, or "
        "its AUM, branch or tier differ",
        lambda: (
            sa.select(sa.func.count())
            .select_from(
                s.mart_next_best.outerjoin(
                    s.fact_customer_month,
                    (f.customer_id == n.customer_id) & (f.month_start == n.month_start),
                )
            )
            .where(
                sa.or_(
                    f.customer_id.is_(None),
                    f.is_closed,
                    f.branch_id != n.branch_id,
                    f.tier_code != n.tier_code,
                    sa.func.abs(f.aum_rmb - n.aum_rmb) > 0.011,
                )
            )
        ),
    )


def all_checks() -> list[Check]:
    return [
        *_key_checks(),
        *_relationship_checks(),
        *_value_checks(),
        *_reconciliation_checks(),
        *_churn_score_checks(),
        *_stickiness_checks(),
        *_segment_month_checks(),
        *_tier_transition_checks(),
        *_suitability_checks(),
        *_pareto_checks(),
        *_group_checks(),
        *_mismatch_checks(),
        *_mover_checks(),
        *_next_best_checks(),
    ]


def run_data_tests(conn: Connection) -> list[str]:
    """Run every check; return one message per failing check (empty when all pass)."""
    failures = []
    for message, build in all_checks():
        offending = conn.execute(build()).scalar() or 0
        if offending:
            failures.append(f"{message} ({offending} rows)")
    return failures
