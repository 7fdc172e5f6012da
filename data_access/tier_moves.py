"""Tier migration (升降级) between two months, upgrade and downgrade rates, and who moved.

A customer's tier in a month is ``fact_customer_month.tier_code`` (after the downgrade grace
rule). The matrix compares each customer of the earlier month (not closed) with the same
customer in the later month: same tier, another tier, or ``left`` (closed or gone); customers of
the later month who were not there before form the ``new`` row. Rates per branch and month come
from the mart. Aggregates pass through small-cell suppression; customer lists are paged and
masked by :func:`~data_access.query.read_frame`.
"""

from __future__ import annotations

import calendar
import datetime as dt

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.sql import ColumnElement

from analytics import rules
from analytics import segment_rules as sr
from catalogue import basis as bases
from data_access import marts, settings
from data_access import schema as s
from data_access.filters import Filters, org_condition, tier_condition
from data_access.query import read_frame, read_scalar
from data_access.segments import resolve_month
from data_access.suppression import suppress_small_cells
from data_access.viewer import Viewer

F = s.fact_customer_month
B = s.dim_branch
C = s.dim_customer
M = s.mart_branch_month_tier
T = s.mart_tier_transition
X = s.mart_tier_mover

DIRECTIONS: tuple[str, ...] = ("all", "up", "down", "left")


def tier_rank(column: ColumnElement) -> ColumnElement:
    return sa.case(*[(column == t.code, t.rank) for t in rules.TIERS], else_=-1)


def _default_months(
    viewer: Viewer, filters: Filters, from_month: dt.date | None, to_month: dt.date | None
) -> tuple[dt.date | None, dt.date | None]:
    """Later month: given or the filter month; earlier month: given or twelve months before."""
    to_month = to_month or resolve_month(viewer, filters)
    if to_month is None:
        return None, None
    if from_month is None:
        from_month = (pd.Timestamp(to_month) - pd.DateOffset(months=12)).date()
    return from_month, to_month


def _pairs(filters: Filters, from_month: dt.date, to_month: dt.date):
    """Customers of the earlier month in the filters, with their later month (outer join)."""
    before = (
        sa.select(F.c.customer_id, F.c.branch_id, F.c.tier_code, F.c.aum_rmb)
        .where(
            F.c.month_start == from_month,
            ~F.c.is_closed,
            org_condition(filters, F.c.branch_id),
            tier_condition(filters, F.c.tier_code),
        )
        .subquery("before")
    )
    after = (
        sa.select(F.c.customer_id, F.c.branch_id, F.c.tier_code, F.c.aum_rmb, F.c.is_closed)
        .where(F.c.month_start == to_month)
        .subquery("after")
    )
    gone = after.c.customer_id.is_(None) | after.c.is_closed
    to_tier = sa.case((gone, sr.LEFT_CODE), else_=after.c.tier_code)
    aum_to = sa.case((gone, 0.0), else_=after.c.aum_rmb)
    joined = before.outerjoin(after, after.c.customer_id == before.c.customer_id)
    return before, after, joined, to_tier, aum_to


def _stored_pair(filters: Filters, from_month: dt.date, to_month: dt.date) -> ColumnElement:
    """mart_tier_transition rows of the pair in the filters: the tier filter on the earlier
    tier, for arrivals on the later one (as :func:`tier_matrix` on the customers' months)."""
    arrival = T.c.from_tier == sr.NEW_CODE
    return sa.and_(
        T.c.to_month == to_month,
        T.c.from_month == from_month,
        org_condition(filters, T.c.branch_id),
        sa.or_(
            ~arrival & tier_condition(filters, T.c.from_tier),
            arrival & tier_condition(filters, T.c.to_tier),
        ),
    )


def tier_matrix(
    viewer: Viewer,
    filters: Filters,
    from_month: dt.date | None = None,
    to_month: dt.date | None = None,
) -> pd.DataFrame:
    """Customers and AUM from each tier of ``from_month`` to each tier of ``to_month``.

    Columns: ``from_tier`` (a tier code or ``new``), ``to_tier`` (a tier code or ``left``),
    ``count_customers``, ``aum_from_rmb``, ``aum_to_rmb``, ``is_suppressed``. The tier filter
    applies to the earlier month's tier (and to the later tier of the ``new`` row); the
    organisation filter to the branch the customer belonged to in that month. Pairs one or
    twelve months apart are read from mart_tier_transition; others (and a wealth manager's own
    book, which the mart does not tell apart) are paired from the customers' months.
    """
    from_month, to_month = _default_months(viewer, filters, from_month, to_month)
    columns = ["from_tier", "to_tier", "count_customers", "aum_from_rmb", "aum_to_rmb"]
    if from_month is None or to_month is None:
        return pd.DataFrame(columns=columns)
    if marts.can_answer(T, viewer, filters):
        stored = read_frame(
            viewer,
            sa.select(
                T.c.from_tier,
                T.c.to_tier,
                sa.cast(sa.func.sum(T.c.count_customers), sa.BigInteger).label("count_customers"),
                sa.func.sum(T.c.aum_from_rmb).label("aum_from_rmb"),
                sa.func.sum(T.c.aum_to_rmb).label("aum_to_rmb"),
            )
            .where(_stored_pair(filters, from_month, to_month))
            .group_by(T.c.from_tier, T.c.to_tier)
            .order_by(T.c.from_tier, T.c.to_tier),
        )
        if not stored.empty:
            return suppress_small_cells(stored, viewer)
    before, _, joined, to_tier, aum_to = _pairs(filters, from_month, to_month)
    moved = (
        sa.select(
            before.c.tier_code.label("from_tier"),
            to_tier.label("to_tier"),
            sa.func.count().label("count_customers"),
            sa.func.sum(before.c.aum_rmb).label("aum_from_rmb"),
            sa.func.sum(aum_to).label("aum_to_rmb"),
        )
        .select_from(joined)
        .group_by(before.c.tier_code, to_tier)
    )
    earlier = sa.select(F.c.customer_id).where(F.c.month_start == from_month).subquery("earlier")
    arrived = (
        sa.select(
            sa.literal(sr.NEW_CODE).label("from_tier"),
            F.c.tier_code.label("to_tier"),
            sa.func.count().label("count_customers"),
            sa.literal(0.0).label("aum_from_rmb"),
            sa.func.sum(F.c.aum_rmb).label("aum_to_rmb"),
        )
        .select_from(F.outerjoin(earlier, earlier.c.customer_id == F.c.customer_id))
        .where(
            F.c.month_start == to_month,
            ~F.c.is_closed,
            earlier.c.customer_id.is_(None),
            org_condition(filters, F.c.branch_id),
            tier_condition(filters, F.c.tier_code),
        )
        .group_by(F.c.tier_code)
    )
    union = sa.union_all(moved, arrived).subquery("matrix")
    stmt = sa.select(union).order_by(union.c.from_tier, union.c.to_tier)
    frame = read_frame(viewer, stmt)
    return suppress_small_cells(frame, viewer)


def _mover_condition(
    earlier_tier: ColumnElement,
    to_tier: ColumnElement,
    direction: str,
    from_tier: str | None,
    to: str | None,
) -> ColumnElement:
    before_rank, after_rank = tier_rank(earlier_tier), tier_rank(to_tier)
    conditions = {
        "all": to_tier != earlier_tier,
        "up": (to_tier != sr.LEFT_CODE) & (after_rank > before_rank),
        "down": (to_tier != sr.LEFT_CODE) & (after_rank < before_rank),
        "left": to_tier == sr.LEFT_CODE,
    }
    if direction not in conditions:
        raise ValueError(f"Unknown direction {direction!r}; expected one of {DIRECTIONS}")
    # Arrivals (mart_tier_transition's "new" rows) are not movers.
    parts = [conditions[direction], earlier_tier != sr.NEW_CODE]
    if from_tier:
        parts.append(earlier_tier == from_tier)
    if to:
        parts.append(to_tier == to)
    return sa.and_(*parts)


def mover_statement(from_month: dt.date, to_month: dt.date) -> sa.Select:
    """Every customer of ``from_month`` whose tier changed or who left by ``to_month``, as
    mart_tier_mover stores them (refresh writes it with this statement)."""
    before, _, joined, to_tier, aum_to = _pairs(Filters(), from_month, to_month)
    return (
        sa.select(
            sa.literal(to_month, sa.Date).label("to_month"),
            sa.literal(from_month, sa.Date).label("from_month"),
            before.c.customer_id,
            before.c.branch_id,
            before.c.tier_code.label("from_tier"),
            to_tier.label("to_tier"),
            before.c.aum_rmb.label("aum_from_rmb"),
            aum_to.label("aum_to_rmb"),
            sa.func.abs(aum_to - before.c.aum_rmb).label("abs_change_rmb"),
        )
        .select_from(joined)
        .where(to_tier != before.c.tier_code)
    )


def _movers_stored(viewer: Viewer, filters: Filters, from_month: dt.date, to_month: dt.date):
    """Whether mart_tier_mover holds the pair for this viewer: the pair is one refresh stores
    (mart_tier_transition has it) and the viewer's scope is one of branches (a wealth manager's
    own book is paired live, as for the matrix)."""
    if not marts.can_answer(X, viewer, filters):
        return False
    stmt = sa.select(T.c.to_month).where(_stored_pair(filters, from_month, to_month)).limit(1)
    return read_scalar(viewer, stmt) is not None


def movers(
    viewer: Viewer,
    filters: Filters,
    from_month: dt.date | None = None,
    to_month: dt.date | None = None,
    direction: str = "all",
    from_tier: str | None = None,
    to_tier: str | None = None,
    limit: int = sr.LIST_PAGE_SIZE,
    offset: int = 0,
) -> pd.DataFrame:
    """Customers whose tier changed (or who left) between the months, largest AUM change first.

    Columns: ``customer_id, full_name`` (masked unless the viewer holds an unmask grant),
    ``branch_id, branch_name_en, branch_name_zh, from_tier, to_tier, aum_from_rmb, aum_to_rmb,
    aum_change_rmb``. At most ``limit`` rows from ``offset``. Read from mart_tier_mover for the
    pairs refresh stores; other pairs are joined from the customers' months.
    """
    from_month, to_month = _default_months(viewer, filters, from_month, to_month)
    if from_month is None or to_month is None:
        return pd.DataFrame(columns=["customer_id", "full_name", "from_tier", "to_tier"])
    if _movers_stored(viewer, filters, from_month, to_month):
        source = X
        customer, branch = X.c.customer_id, X.c.branch_id
        earlier_tier, later_tier = X.c.from_tier, X.c.to_tier
        aum_from, aum_to, size = X.c.aum_from_rmb, X.c.aum_to_rmb, X.c.abs_change_rmb
        where = sa.and_(
            X.c.to_month == to_month,
            X.c.from_month == from_month,
            org_condition(filters, X.c.branch_id),
            tier_condition(filters, X.c.from_tier),
        )
    else:
        before, _, source, later_tier, aum_to = _pairs(filters, from_month, to_month)
        customer, branch = before.c.customer_id, before.c.branch_id
        earlier_tier, aum_from = before.c.tier_code, before.c.aum_rmb
        size = sa.func.abs(aum_to - aum_from)
        where = sa.true()
    stmt = (
        sa.select(
            customer,
            C.c.full_name,
            branch,
            B.c.name_en.label("branch_name_en"),
            B.c.name_zh.label("branch_name_zh"),
            earlier_tier.label("from_tier"),
            later_tier.label("to_tier"),
            aum_from.label("aum_from_rmb"),
            aum_to.label("aum_to_rmb"),
            (aum_to - aum_from).label("aum_change_rmb"),
        )
        .select_from(source.join(C, C.c.customer_id == customer).join(B, B.c.branch_id == branch))
        .where(where, _mover_condition(earlier_tier, later_tier, direction, from_tier, to_tier))
        .order_by(size.desc(), customer)
        .limit(max(int(limit), 0))
        .offset(max(int(offset), 0))
    )
    return read_frame(viewer, stmt)


def count_movers(
    viewer: Viewer,
    filters: Filters,
    from_month: dt.date | None = None,
    to_month: dt.date | None = None,
    direction: str = "all",
    from_tier: str | None = None,
    to_tier: str | None = None,
) -> int:
    """How many customers :func:`movers` would list without a limit (for paging)."""
    from_month, to_month = _default_months(viewer, filters, from_month, to_month)
    if from_month is None or to_month is None:
        return 0
    is_mover = _mover_condition(T.c.from_tier, T.c.to_tier, direction, from_tier, to_tier)
    if marts.can_answer(T, viewer, filters):
        stored = read_frame(
            viewer,
            sa.select(
                sa.cast(sa.func.sum(T.c.count_customers), sa.BigInteger).label("pairs"),
                sa.cast(
                    sa.func.sum(sa.case((is_mover, T.c.count_customers), else_=0)), sa.BigInteger
                ).label("movers"),
            ).where(_stored_pair(filters, from_month, to_month)),
        )
        if stored["pairs"].notna().all():
            return int(stored["movers"].iloc[0])
    before, _, joined, after_tier, _ = _pairs(filters, from_month, to_month)
    stmt = (
        sa.select(sa.func.count())
        .select_from(joined)
        .where(_mover_condition(before.c.tier_code, after_tier, direction, from_tier, to_tier))
    )
    return int(read_scalar(viewer, stmt) or 0)


def branch_rates(viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """Upgraded, downgraded and customers per branch and month, from the mart.

    Covers the trend window plus the month before it (the first month's denominator). Columns:
    ``branch_id, branch_name_en, branch_name_zh, month_start, count_customers, count_upgraded,
    count_downgraded, is_suppressed``. All tiers: a rate is over the branch's whole base.
    """
    month = resolve_month(viewer, filters)
    if month is None:
        return pd.DataFrame(columns=["branch_id", "month_start", "count_customers"])
    start = (pd.Timestamp(month) - pd.DateOffset(months=filters.months_back)).date()
    stmt = (
        sa.select(
            M.c.branch_id,
            B.c.name_en.label("branch_name_en"),
            B.c.name_zh.label("branch_name_zh"),
            M.c.month_start,
            sa.cast(sa.func.sum(M.c.count_customers), sa.BigInteger).label("count_customers"),
            sa.cast(sa.func.sum(M.c.count_upgraded), sa.BigInteger).label("count_upgraded"),
            sa.cast(sa.func.sum(M.c.count_downgraded), sa.BigInteger).label("count_downgraded"),
        )
        .select_from(M.join(B, B.c.branch_id == M.c.branch_id))
        .where(M.c.month_start.between(start, month), org_condition(filters, M.c.branch_id))
        .group_by(M.c.branch_id, B.c.name_en, B.c.name_zh, M.c.month_start)
        .order_by(M.c.branch_id, M.c.month_start)
    )
    return suppress_small_cells(
        read_frame(viewer, stmt), viewer, value_columns=["count_upgraded", "count_downgraded"]
    )


__all__ = [
    "DIRECTIONS",
    "branch_rates",
    "count_movers",
    "mover_statement",
    "movers",
    "tier_matrix",
]


# ------------------------------------------------------------------ 保级期 (the grace period)
def _in_grace(filters: Filters, month: dt.date) -> ColumnElement:
    """Open customers of ``month`` below their tier's floor, keeping the tier for now."""
    return sa.and_(
        F.c.month_start == month,
        sa.not_(F.c.is_closed),
        F.c.months_below_floor > 0,
        org_condition(filters, F.c.branch_id),
        tier_condition(filters, F.c.tier_code),
    )


def _month_before(month: dt.date) -> dt.date:
    return (month - dt.timedelta(days=1)).replace(day=1)


def tier_measure(month: dt.date, basis: str) -> tuple[sa.FromClause, ColumnElement]:
    """``fact_customer_month`` joined to what the tier ``basis`` reads at ``month``, and the
    balance a customer's tier is judged on (``analytics.tiers.tier_measure`` in SQL): the
    month-end balance, or the day-weighted mean of the daily averages of ``month`` and the months
    before it the customer has a row for."""
    spec = bases.check_tier_basis(basis)
    value = F.c[spec.column]  # money columns are DOUBLE (schema._money)
    if spec.months == 1:
        return F, value
    source: sa.FromClause = F
    days = calendar.monthrange(month.year, month.month)[1]
    total, span = value * days, sa.literal(days)
    earlier_month = month
    for lag in range(1, spec.months):
        earlier_month = _month_before(earlier_month)
        days = calendar.monthrange(earlier_month.year, earlier_month.month)[1]
        earlier = F.alias(f"tier_basis_{lag}")
        source = source.outerjoin(
            earlier,
            sa.and_(
                earlier.c.customer_id == F.c.customer_id,
                earlier.c.month_start == earlier_month,
            ),
        )
        total = total + sa.func.coalesce(earlier.c[spec.column] * days, 0.0)
        span = span + sa.case((earlier.c.customer_id.is_not(None), days), else_=0)
    return source, total / span


def _floor_of(tier: ColumnElement) -> ColumnElement:
    return sa.case(*[(tier == t.code, t.floor_rmb) for t in rules.TIERS], else_=0.0)


def grace_customers(
    viewer: Viewer,
    filters: Filters,
    limit: int = sr.LIST_PAGE_SIZE,
    offset: int = 0,
    basis: str | None = None,
) -> pd.DataFrame:
    """Customers inside the tier grace period (保级期) at the filter month: below their tier's
    floor, keeping the tier until ``rules.DOWNGRADE_AFTER_MONTHS`` months in a row below it.

    Columns: ``customer_id, full_name`` (masked), ``branch_id, branch_name_en, branch_name_zh,
    tier_code`` (kept), ``raw_tier_code`` (what the balance reaches), ``months_below_floor``,
    ``months_left`` (before the downgrade), ``aum_rmb`` (month-end), ``basis_rmb`` (the balance
    the tier is judged on, on the tier ``basis``; the organisation's ``settings.tier_basis`` by
    default), ``floor_rmb`` and ``needed_rmb`` (the floor minus ``basis_rmb``: what brings the
    customer back to the floor). Nearest the downgrade first, then largest balance.
    """
    month = resolve_month(viewer, filters)
    if month is None:
        return pd.DataFrame(columns=["customer_id", "full_name", "tier_code", "needed_rmb"])
    floor = _floor_of(F.c.tier_code)
    source, measure = tier_measure(month, basis or settings.tier_basis())
    stmt = (
        sa.select(
            F.c.customer_id,
            C.c.full_name,
            F.c.branch_id,
            B.c.name_en.label("branch_name_en"),
            B.c.name_zh.label("branch_name_zh"),
            F.c.tier_code,
            F.c.raw_tier_code,
            F.c.months_below_floor,
            (rules.DOWNGRADE_AFTER_MONTHS - F.c.months_below_floor).label("months_left"),
            F.c.aum_rmb,
            measure.label("basis_rmb"),
            floor.label("floor_rmb"),
            (floor - measure).label("needed_rmb"),
        )
        .select_from(
            source.join(C, C.c.customer_id == F.c.customer_id).join(
                B, B.c.branch_id == F.c.branch_id
            )
        )
        .where(_in_grace(filters, month))
        .order_by(F.c.months_below_floor.desc(), measure.desc(), F.c.customer_id)
        .limit(max(int(limit), 0))
        .offset(max(int(offset), 0))
    )
    return read_frame(viewer, stmt)


def grace_summary(viewer: Viewer, filters: Filters, basis: str | None = None) -> pd.DataFrame:
    """Per tier at the filter month: customers inside the 保级期 (``count_grace``), of them on
    downgrade watch (``count_watch``: ``rules.WATCH_AFTER_MONTHS`` months or more below the
    floor) and the amount that brings them all back to their floors on the tier ``basis``
    (``needed_rmb``, as in :func:`grace_customers`)."""
    month = resolve_month(viewer, filters)
    columns = ["tier_code", "count_grace", "count_watch", "needed_rmb"]
    if month is None:
        return pd.DataFrame(columns=columns)
    source, measure = tier_measure(month, basis or settings.tier_basis())
    stmt = (
        sa.select(
            F.c.tier_code,
            sa.func.count().label("count_grace"),
            sa.func.count()
            .filter(F.c.months_below_floor >= rules.WATCH_AFTER_MONTHS)
            .label("count_watch"),
            sa.func.sum(_floor_of(F.c.tier_code) - measure).label("needed_rmb"),
        )
        .select_from(source)
        .where(_in_grace(filters, month))
        .group_by(F.c.tier_code)
    )
    frame = read_frame(viewer, stmt)
    order = {code: rank for rank, code in enumerate(rules.TIER_CODES)}
    frame = frame.sort_values("tier_code", key=lambda c: c.map(order), ascending=False)
    for column in ("count_grace", "count_watch"):
        frame[column] = frame[column].astype("int64")
    return frame.reset_index(drop=True)[columns]
