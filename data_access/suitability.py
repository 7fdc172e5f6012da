"""Suitability (适当性): customers holding products riskier than their risk-preference grade.

A product of risk grade R\\ *n* suits a customer of grade C\\ *m* when n <= m (R1 suits all, R5
only C5). A holding is counted when it is open at the end of the month and the customer is a
customer that month (not closed, inside the filters). Products without a risk grade (cards,
loans, e-channel services) never count. Counts come from mart_suitability and the list from
mart_mismatched_holding (both written at refresh from :func:`holdings_of`); everything for a
wealth manager's own book from the holdings themselves.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.sql import ColumnElement

from analytics import rules
from analytics import segment_rules as sr
from data_access import marts
from data_access import schema as s
from data_access.filters import Filters, org_condition, tier_condition
from data_access.query import read_frame, read_scalar
from data_access.segments import resolve_month
from data_access.suppression import suppress_small_cells
from data_access.viewer import Viewer

F = s.fact_customer_month
C = s.dim_customer
B = s.dim_branch
H = s.fact_product_holding
P = s.dim_product
M = s.mart_branch_month_tier
S = s.mart_suitability
X = s.mart_mismatched_holding


def grade_number(column: ColumnElement) -> ColumnElement:
    """The digit of a ``C3`` / ``R4`` grade as an integer. A customer never assessed (NULL, or
    ``rules.RISK_UNASSESSED`` in the mart) counts as 1: only R1 products suit them."""
    known = sa.func.coalesce(sa.func.replace(column, rules.RISK_UNASSESSED, "C1"), "C1")
    return sa.cast(sa.func.substr(known, 2, 1), sa.Integer)


def customer_grade() -> ColumnElement:
    """The customer's risk grade, ``rules.RISK_UNASSESSED`` when never assessed (未评估)."""
    return sa.func.coalesce(C.c.risk_grade, rules.RISK_UNASSESSED)


def _month_end(month: dt.date) -> dt.date:
    return (pd.Timestamp(month) + pd.offsets.MonthEnd(0)).date()


def holdings_of(month: dt.date, filters: Filters):
    """Open graded holdings at month end of the month's customers, with both grades."""
    month_end = _month_end(month)
    return (
        H.join(P, P.c.product_id == H.c.product_id)
        .join(C, C.c.customer_id == H.c.customer_id)
        .join(F, (F.c.customer_id == H.c.customer_id) & (F.c.month_start == month))
    ), sa.and_(
        H.c.opened_on <= month_end,
        sa.or_(H.c.closed_on.is_(None), H.c.closed_on > month_end),
        P.c.risk_grade.is_not(None),
        ~F.c.is_closed,
        org_condition(filters, F.c.branch_id),
        tier_condition(filters, F.c.tier_code),
    )


def _customers_of(month: dt.date, filters: Filters) -> ColumnElement:
    """The month's customers in the filters (from the fact: a wealth manager's book included)."""
    return sa.and_(
        F.c.month_start == month,
        ~F.c.is_closed,
        org_condition(filters, F.c.branch_id),
        tier_condition(filters, F.c.tier_code),
    )


def _mismatch() -> ColumnElement:
    return grade_number(P.c.risk_grade) > grade_number(C.c.risk_grade)


def _mart_where(month: dt.date, filters: Filters) -> ColumnElement:
    return sa.and_(
        S.c.month_start == month,
        org_condition(filters, S.c.branch_id),
        tier_condition(filters, S.c.tier_code),
    )


def _mart_mismatch() -> ColumnElement:
    return grade_number(S.c.product_grade) > grade_number(S.c.customer_grade)


def _summed(column: ColumnElement, when: ColumnElement | None = None) -> ColumnElement:
    value = column if when is None else sa.case((when, column), else_=0)
    kind = sa.Double if column.name.endswith("_rmb") else sa.BigInteger
    return sa.cast(sa.func.coalesce(sa.func.sum(value), 0), kind)


def _mart_mismatched() -> list[ColumnElement]:
    """Mismatched customers (each counted at their riskiest grade), holdings and amount."""
    mismatch = _mart_mismatch()
    return [
        _summed(S.c.count_top_grade, mismatch).label("count_mismatched_customers"),
        _summed(S.c.count_holdings, mismatch).label("count_mismatched_holdings"),
        _summed(S.c.amount_rmb, mismatch).label("mismatched_amount_rmb"),
    ]


def _open_customers(month: dt.date, filters: Filters) -> sa.Select:
    """The month's open customers in the filters per branch, from mart_branch_month_tier."""
    return (
        sa.select(M.c.branch_id, _summed(M.c.count_customers).label("count_customers"))
        .where(
            M.c.month_start == month,
            org_condition(filters, M.c.branch_id),
            tier_condition(filters, M.c.tier_code),
        )
        .group_by(M.c.branch_id)
        .having(sa.func.sum(M.c.count_customers) > 0)
    )


def suitability_by_branch(viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """Per branch: customers, customers holding a product above their grade, those holdings.

    Columns: ``branch_id, branch_name_en, branch_name_zh, count_customers,
    count_mismatched_customers, count_mismatched_holdings, mismatched_amount_rmb,
    is_suppressed`` (suppressed on the mismatched customers).
    """
    month = resolve_month(viewer, filters)
    columns = ["branch_id", "count_customers", "count_mismatched_customers"]
    if month is None:
        return pd.DataFrame(columns=columns)
    if marts.can_answer(S, viewer, filters):
        mismatched = (
            sa.select(S.c.branch_id, *_mart_mismatched())
            .where(_mart_where(month, filters))
            .group_by(S.c.branch_id)
            .subquery("mismatched")
        )
        base = _open_customers(month, filters).subquery("base")
        return _by_branch(viewer, base, mismatched)
    joined, where = holdings_of(month, filters)
    mismatched = (
        sa.select(
            F.c.branch_id,
            sa.func.count(sa.distinct(H.c.customer_id)).label("count_mismatched_customers"),
            sa.func.count().label("count_mismatched_holdings"),
            sa.func.sum(H.c.amount_rmb).label("mismatched_amount_rmb"),
        )
        .select_from(joined)
        .where(where, _mismatch())
        .group_by(F.c.branch_id)
        .subquery("mismatched")
    )
    base = (
        sa.select(F.c.branch_id, sa.func.count().label("count_customers"))
        .where(_customers_of(month, filters))
        .group_by(F.c.branch_id)
        .subquery("base")
    )
    return _by_branch(viewer, base, mismatched)


def _by_branch(viewer: Viewer, base, mismatched) -> pd.DataFrame:
    stmt = (
        sa.select(
            base.c.branch_id,
            B.c.name_en.label("branch_name_en"),
            B.c.name_zh.label("branch_name_zh"),
            base.c.count_customers,
            sa.func.coalesce(mismatched.c.count_mismatched_customers, 0).label(
                "count_mismatched_customers"
            ),
            sa.func.coalesce(mismatched.c.count_mismatched_holdings, 0).label(
                "count_mismatched_holdings"
            ),
            sa.func.coalesce(mismatched.c.mismatched_amount_rmb, 0.0).label(
                "mismatched_amount_rmb"
            ),
        )
        .select_from(
            base.join(B, B.c.branch_id == base.c.branch_id).outerjoin(
                mismatched, mismatched.c.branch_id == base.c.branch_id
            )
        )
        .order_by(base.c.branch_id)
    )
    return suppress_small_cells(
        read_frame(viewer, stmt),
        viewer,
        "count_mismatched_customers",
        ["count_mismatched_holdings", "mismatched_amount_rmb"],
    )


def suitability_summary(viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """One row for everything in the filters: the totals of :func:`suitability_by_branch`.

    Summed in SQL rather than from the branch rows, so a total stays visible when every
    branch's own count is too small to show. Columns: ``count_customers,
    count_mismatched_customers, count_mismatched_holdings, mismatched_amount_rmb,
    is_suppressed``.
    """
    month = resolve_month(viewer, filters)
    columns = [
        "count_customers",
        "count_mismatched_customers",
        "count_mismatched_holdings",
        "mismatched_amount_rmb",
    ]
    if month is None:
        return pd.DataFrame(columns=columns)
    if marts.can_answer(S, viewer, filters):
        mismatched = read_frame(
            viewer, sa.select(*_mart_mismatched()).where(_mart_where(month, filters))
        )
        base = _open_customers(month, filters).subquery("base")
        customers = read_scalar(viewer, sa.select(sa.func.sum(base.c.count_customers)))
        return _summary(viewer, mismatched, customers)
    joined, where = holdings_of(month, filters)
    mismatched = read_frame(
        viewer,
        sa.select(
            sa.func.count(sa.distinct(H.c.customer_id)).label("count_mismatched_customers"),
            sa.func.count().label("count_mismatched_holdings"),
            sa.func.coalesce(sa.func.sum(H.c.amount_rmb), 0.0).label("mismatched_amount_rmb"),
        )
        .select_from(joined)
        .where(where, _mismatch()),
    )
    customers = read_scalar(
        viewer, sa.select(sa.func.count()).select_from(F).where(_customers_of(month, filters))
    )
    return _summary(viewer, mismatched, customers)


def _summary(viewer: Viewer, mismatched: pd.DataFrame, customers) -> pd.DataFrame:
    mismatched.insert(0, "count_customers", int(customers or 0))
    return suppress_small_cells(
        mismatched,
        viewer,
        "count_mismatched_customers",
        ["count_mismatched_holdings", "mismatched_amount_rmb"],
    )


def suitability_grid(viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """Customers and amounts held by customer grade x product risk grade (the diagonal fits).

    Columns: ``customer_grade, product_grade, count_customers, amount_rmb, is_suppressed``.
    """
    month = resolve_month(viewer, filters)
    if month is None:
        return pd.DataFrame(columns=["customer_grade", "product_grade", "count_customers"])
    if marts.can_answer(S, viewer, filters):
        grades = [S.c.customer_grade, S.c.product_grade]
        stmt = (
            sa.select(
                *grades,
                _summed(S.c.count_holders).label("count_customers"),
                _summed(S.c.amount_rmb).label("amount_rmb"),
            )
            .where(_mart_where(month, filters))
            .group_by(*grades)
            .order_by(*grades)
        )
        return suppress_small_cells(read_frame(viewer, stmt), viewer)
    joined, where = holdings_of(month, filters)
    stmt = (
        sa.select(
            customer_grade().label("customer_grade"),
            P.c.risk_grade.label("product_grade"),
            sa.func.count(sa.distinct(H.c.customer_id)).label("count_customers"),
            sa.func.sum(H.c.amount_rmb).label("amount_rmb"),
        )
        .select_from(joined)
        .where(where)
        # Grouped by the raw grade: the selected expression depends on it alone.
        .group_by(C.c.risk_grade, P.c.risk_grade)
        .order_by(C.c.risk_grade, P.c.risk_grade)
    )
    return suppress_small_cells(read_frame(viewer, stmt), viewer)


def _mismatch_rows(month: dt.date, filters: Filters, branch_id: int | None):
    joined, where = holdings_of(month, filters)
    if branch_id is not None:
        where = sa.and_(where, F.c.branch_id == branch_id)
    return joined, sa.and_(where, _mismatch())


def mismatch_list_statement(month: dt.date) -> sa.Select:
    """Every holding above its holder's grade at the end of ``month``, as mart_mismatched_holding
    stores it (refresh writes it with this statement)."""
    joined, where = _mismatch_rows(month, Filters(), None)
    return (
        sa.select(
            sa.literal(month, sa.Date).label("month_start"),
            H.c.holding_id,
            H.c.customer_id,
            F.c.branch_id,
            F.c.tier_code,
            H.c.product_id,
            H.c.amount_rmb,
            H.c.opened_on,
        )
        .select_from(joined)
        .where(where)
    )


def mismatched_holdings(
    viewer: Viewer,
    filters: Filters,
    branch_id: int | None = None,
    limit: int = sr.LIST_PAGE_SIZE,
    offset: int = 0,
) -> pd.DataFrame:
    """Holdings above the customer's grade, largest amount first (paged, masked).

    Columns: ``customer_id, full_name, branch_id, branch_name_en, branch_name_zh,
    customer_grade, product_code, product_name_en, product_name_zh, product_grade, amount_rmb,
    opened_on``. Read from mart_mismatched_holding, except for a wealth manager's own book.
    """
    month = resolve_month(viewer, filters)
    if month is None:
        return pd.DataFrame(columns=["customer_id", "full_name", "product_grade"])
    if marts.can_answer(X, viewer, filters):
        holding, branch = X, X.c.branch_id
        joined = X.join(C, C.c.customer_id == X.c.customer_id).join(
            P, P.c.product_id == X.c.product_id
        )
        where = sa.and_(
            X.c.month_start == month,
            org_condition(filters, X.c.branch_id),
            tier_condition(filters, X.c.tier_code),
        )
        if branch_id is not None:
            where = sa.and_(where, X.c.branch_id == branch_id)
    else:
        holding, branch = H, F.c.branch_id
        joined, where = _mismatch_rows(month, filters, branch_id)
    stmt = (
        sa.select(
            holding.c.customer_id,
            C.c.full_name,
            branch.label("branch_id"),
            B.c.name_en.label("branch_name_en"),
            B.c.name_zh.label("branch_name_zh"),
            customer_grade().label("customer_grade"),
            P.c.product_code,
            P.c.name_en.label("product_name_en"),
            P.c.name_zh.label("product_name_zh"),
            P.c.risk_grade.label("product_grade"),
            holding.c.amount_rmb,
            holding.c.opened_on,
        )
        .select_from(joined.join(B, B.c.branch_id == branch))
        .where(where)
        .order_by(holding.c.amount_rmb.desc(), holding.c.holding_id)
        .limit(max(int(limit), 0))
        .offset(max(int(offset), 0))
    )
    return read_frame(viewer, stmt)


def count_mismatched_holdings(
    viewer: Viewer, filters: Filters, branch_id: int | None = None
) -> int:
    """How many rows :func:`mismatched_holdings` would list without a limit."""
    month = resolve_month(viewer, filters)
    if month is None:
        return 0
    if marts.can_answer(S, viewer, filters):
        where = _mart_where(month, filters)
        if branch_id is not None:
            where = sa.and_(where, S.c.branch_id == branch_id)
        stmt = sa.select(_summed(S.c.count_holdings, _mart_mismatch())).where(where)
        return int(read_scalar(viewer, stmt) or 0)
    joined, where = _mismatch_rows(month, filters, branch_id)
    return int(read_scalar(viewer, sa.select(sa.func.count()).select_from(joined).where(where)))


__all__ = [
    "count_mismatched_holdings",
    "grade_number",
    "holdings_of",
    "mismatch_list_statement",
    "mismatched_holdings",
    "suitability_by_branch",
    "suitability_grid",
    "suitability_summary",
]
