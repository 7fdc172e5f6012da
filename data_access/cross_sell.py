"""Cross-selling (交叉销售) queries: core-bundle coverage, stickiness, next best product and
partner employers.

Everything is aggregated in SQL. Next best product is fitted and scored at refresh
(``data_access.next_best_jobs``, which uses the feature statements defined here): the viewer's
queries only read ``mart_next_best`` (one row per customer and product line not held) and
``mart_propensity_model`` (one row per line), and a campaign list is a LIMITed top N of the mart.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from analytics import cross_sell_rules as xr
from analytics import rules
from data_access import marts
from data_access import schema as s
from data_access.filters import Filters, org_condition, tier_condition
from data_access.query import read_frame, read_scalar
from data_access.segments import CORE_PRODUCTS
from data_access.viewer import Viewer

F = s.fact_customer_month
S = s.mart_segment_month
C = s.dim_customer
H = s.fact_product_holding
P = s.dim_product
DIMENSIONS: tuple[str, ...] = ("branch", "tier", "occupation", "wealth_manager")


# ------------------------------------------------------------------ months


def _first_of_next(month: dt.date) -> dt.date:
    return dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def months_before(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 - n
    return dt.date(index // 12, index % 12 + 1, 1)


def _as_date(value: object) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return pd.Timestamp(value).date()


def resolve_month(viewer: Viewer, filters: Filters) -> dt.date | None:
    """The month the filters look at, or the latest month of the viewer's data."""
    if filters.month is not None:
        return _as_date(filters.month).replace(day=1)
    return _as_date(read_scalar(viewer, sa.select(sa.func.max(F.c.month_start))))


def _month_index(column: sa.ColumnElement) -> sa.ColumnElement:
    """Months since year 0 (portable: EXTRACT works the same on DuckDB and PostgreSQL)."""
    return sa.cast(sa.extract("year", column), sa.Integer) * 12 + sa.cast(
        sa.extract("month", column), sa.Integer
    )


def _filtered(filters: Filters) -> sa.ColumnElement:
    return sa.and_(org_condition(filters, F.c.branch_id), tier_condition(filters, F.c.tier_code))


# ------------------------------------------------------------------ core-bundle coverage


def core_coverage(viewer: Viewer, filters: Filters, dimension: str = "branch") -> pd.DataFrame:
    """Customers at month end by group and number of core products held (0-5).

    ``dimension``: ``branch``, ``tier`` (segment), ``occupation`` or ``wealth_manager``. One row
    per group and count: ``group_key``, ``count_core_products``, ``count_customers`` plus the
    group's id / name columns. Closed customers are left out.
    """
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}; known: {DIMENSIONS}")
    month = resolve_month(viewer, filters)
    if month is None:
        return pd.DataFrame(columns=["group_key", "count_core_products", "count_customers"])
    b, staff = s.dim_branch, s.dim_staff
    if dimension in ("branch", "tier") and marts.can_answer(S, viewer, filters):
        return _core_coverage_from_mart(viewer, filters, dimension, month)
    count = sa.func.count().label("count_customers")
    where = sa.and_(F.c.month_start == month, sa.not_(F.c.is_closed), _filtered(filters))
    if dimension == "branch":
        stmt = (
            sa.select(
                F.c.branch_id.label("group_key"),
                F.c.branch_id,
                b.c.name_en.label("branch_name_en"),
                b.c.name_zh.label("branch_name_zh"),
                F.c.count_core_products,
                count,
            )
            .select_from(F.join(b, b.c.branch_id == F.c.branch_id))
            .group_by(F.c.branch_id, b.c.name_en, b.c.name_zh, F.c.count_core_products)
        )
    elif dimension == "tier":
        stmt = sa.select(F.c.tier_code.label("group_key"), F.c.count_core_products, count).group_by(
            F.c.tier_code, F.c.count_core_products
        )
    elif dimension == "occupation":
        stmt = (
            sa.select(C.c.occupation.label("group_key"), F.c.count_core_products, count)
            .select_from(F.join(C, C.c.customer_id == F.c.customer_id))
            .group_by(C.c.occupation, F.c.count_core_products)
        )
    else:
        stmt = (
            sa.select(
                sa.func.coalesce(F.c.rm_staff_id, -1).label("group_key"),
                F.c.rm_staff_id,
                staff.c.full_name,
                F.c.count_core_products,
                count,
            )
            .select_from(F.outerjoin(staff, staff.c.staff_id == F.c.rm_staff_id))
            .group_by(F.c.rm_staff_id, staff.c.full_name, F.c.count_core_products)
        )
    return read_frame(viewer, stmt.where(where).order_by("group_key", F.c.count_core_products))


def _core_products_of_mart(filters: Filters) -> tuple[sa.ColumnElement, sa.ColumnElement]:
    """The core-product count and the filter on mart_segment_month's ``core_products`` rows."""
    where = sa.and_(
        S.c.dimension == CORE_PRODUCTS,
        org_condition(filters, S.c.branch_id),
        tier_condition(filters, S.c.tier_code),
    )
    return sa.cast(S.c.segment, sa.Integer).label("count_core_products"), where


def _core_coverage_from_mart(
    viewer: Viewer, filters: Filters, dimension: str, month: dt.date
) -> pd.DataFrame:
    held, where = _core_products_of_mart(filters)
    count = sa.cast(sa.func.sum(S.c.count_customers), sa.BigInteger).label("count_customers")
    if dimension == "branch":
        b = s.dim_branch
        keys = [S.c.branch_id, b.c.name_en, b.c.name_zh, held]
        stmt = sa.select(
            S.c.branch_id.label("group_key"),
            S.c.branch_id,
            b.c.name_en.label("branch_name_en"),
            b.c.name_zh.label("branch_name_zh"),
            held,
            count,
        ).select_from(S.join(b, b.c.branch_id == S.c.branch_id))
    else:
        keys = [S.c.tier_code, held]
        stmt = sa.select(S.c.tier_code.label("group_key"), held, count)
    stmt = stmt.where(where, S.c.month_start == month).group_by(*keys)
    return read_frame(viewer, stmt.order_by("group_key", "count_core_products"))


def core_coverage_trend(viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """Customers by month and number of core products over the trend window (month x 0-5)."""
    month = resolve_month(viewer, filters)
    if month is None:
        return pd.DataFrame(columns=["month_start", "count_core_products", "count_customers"])
    start = months_before(month, max(filters.months_back, 1) - 1)
    if marts.can_answer(S, viewer, filters):
        held, where = _core_products_of_mart(filters)
        count = sa.cast(sa.func.sum(S.c.count_customers), sa.BigInteger)
        stmt = (
            sa.select(S.c.month_start, held, count.label("count_customers"))
            .where(where, S.c.month_start.between(start, month))
            .group_by(S.c.month_start, held)
            .order_by(S.c.month_start, "count_core_products")
        )
        return read_frame(viewer, stmt)
    stmt = (
        sa.select(
            F.c.month_start, F.c.count_core_products, sa.func.count().label("count_customers")
        )
        .where(
            F.c.month_start.between(start, month),
            sa.not_(F.c.is_closed),
            _filtered(filters),
        )
        .group_by(F.c.month_start, F.c.count_core_products)
        .order_by(F.c.month_start, F.c.count_core_products)
    )
    return read_frame(viewer, stmt)


def stickiness(viewer: Viewer, filters: Filters, measure: str = "core") -> pd.DataFrame:
    """Customer-months by products held at a month end, and how many closed the next month.

    Pools every pair of consecutive months whose second month lies in the trend window; the
    organisation and tier filters (and the scope) apply to the earlier month. ``measure``:
    ``core`` (core products 0-5) or ``products`` (all products, capped at 8). Columns:
    ``count_core_products`` (the number held, whatever the measure), ``count_base``,
    ``count_churned``. Read from mart_stickiness (branch x tier x month), except for a
    viewer whose scope is their own customers, which the mart cannot tell apart: their (small)
    book is paired in SQL from fact_customer_month.
    """
    month = resolve_month(viewer, filters)
    if month is None:
        return pd.DataFrame(columns=["count_core_products", "count_base", "count_churned"])
    start = months_before(month, max(filters.months_back, 1) - 1)
    m = s.mart_stickiness
    if not marts.can_answer(m, viewer, filters):
        return _stickiness_from_facts(viewer, filters, measure, start, month)
    stmt = (
        sa.select(
            m.c.count_held.label("count_core_products"),
            sa.func.sum(m.c.count_base).label("count_base"),
            sa.func.sum(m.c.count_churned).label("count_churned"),
        )
        .where(
            m.c.measure == ("core" if measure == "core" else "products"),
            m.c.month_start.between(start, month),
            org_condition(filters, m.c.branch_id),
            tier_condition(filters, m.c.tier_code),
        )
        .group_by(m.c.count_held)
        .order_by(m.c.count_held)
    )
    return read_frame(viewer, stmt)


def _stickiness_from_facts(
    viewer: Viewer, filters: Filters, measure: str, start: dt.date, month: dt.date
) -> pd.DataFrame:
    # Subqueries, not table aliases: the scope is applied to every use of a warehouse table
    # inside a select, and each of these selects reads fact_customer_month directly.
    held_now = (
        F.c.count_core_products if measure == "core" else sa.func.least(F.c.count_products, 8)
    )
    before = (
        sa.select(
            F.c.customer_id,
            _month_index(F.c.month_start).label("month_index"),
            held_now.label("held"),
        )
        .where(
            sa.not_(F.c.is_closed),
            F.c.month_start.between(months_before(start, 1), months_before(month, 1)),
            _filtered(filters),
        )
        .subquery("before")
    )
    after = (
        sa.select(
            F.c.customer_id,
            _month_index(F.c.month_start).label("month_index"),
            F.c.is_closed,
        )
        .where(F.c.month_start.between(start, month))
        .subquery("after")
    )
    stmt = (
        sa.select(
            before.c.held.label("count_core_products"),
            sa.func.count().label("count_base"),
            sa.func.sum(sa.case((after.c.is_closed, 1), else_=0)).label("count_churned"),
        )
        .select_from(
            before.join(
                after,
                sa.and_(
                    after.c.customer_id == before.c.customer_id,
                    after.c.month_index == before.c.month_index + 1,
                ),
            )
        )
        .group_by(before.c.held)
        .order_by(before.c.held)
    )
    return read_frame(viewer, stmt)


# ------------------------------------------------------------------ propensity features


def _holdings_at(month: dt.date, customers: tuple[int, int] | None = None) -> sa.Subquery:
    """Per customer, 1/0 for each product category held open at the end of ``month``
    (``customers``: only ids first .. last, so a chunk aggregates only its own holdings)."""
    end = _first_of_next(month)
    open_at_end = sa.and_(
        H.c.opened_on < end, sa.or_(H.c.closed_on.is_(None), H.c.closed_on >= end)
    )
    in_range = sa.true() if customers is None else H.c.customer_id.between(*customers)
    return (
        sa.select(
            H.c.customer_id,
            *[
                sa.func.max(sa.case((sa.and_(P.c.category == cat, open_at_end), 1), else_=0)).label(
                    f"holds_{cat}"
                )
                for cat in xr.HOLDING_CATEGORIES
            ],
        )
        .select_from(H.join(P, P.c.product_id == H.c.product_id))
        .where(H.c.opened_on < end, in_range)
        .group_by(H.c.customer_id)
        .subquery("holdings_at")
    )


def _ln1p(column: sa.ColumnElement) -> sa.ColumnElement:
    return sa.func.ln(1.0 + sa.func.greatest(sa.func.coalesce(column, 0.0), 0.0))


def feature_expressions(holdings: sa.Subquery) -> dict[str, sa.ColumnElement]:
    """The model's features as SQL expressions over fact_customer_month, dim_customer and the
    holdings subquery: one definition for the training sample and for scoring at refresh."""
    risk = sa.case(
        *[(C.c.risk_grade == grade, float(i + 1)) for i, grade in enumerate(rules.RISK_GRADES)],
        else_=1.0,
    )
    tier = sa.case(
        *[(F.c.tier_code == tier.code, float(tier.rank)) for tier in rules.TIERS], else_=0.0
    )
    year = sa.cast(sa.extract("year", F.c.month_start), sa.Float)
    features: dict[str, sa.ColumnElement] = {
        "log_aum": _ln1p(F.c.aum_rmb),
        **{f"log_{a.code}": _ln1p(F.c[a.column]) for a in rules.ASSET_CLASSES},
        "log_loan": _ln1p(F.c.loan_rmb),
        "txn_counter": _ln1p(F.c.count_txn_counter),
        "txn_self_service": _ln1p(F.c.count_txn_self_service),
        "txn_mobile": _ln1p(F.c.count_txn_mobile),
        "mobile_logins": _ln1p(F.c.count_mobile_logins),
        "log_inflow": _ln1p(F.c.inflow_rmb),
        "log_transfer_out": _ln1p(F.c.transfer_out_other_bank_rmb),
        **{
            f"log_spend_{code}": _ln1p(F.c[f"spend_{code}_rmb"])
            for code, _, _ in rules.SPEND_CATEGORIES
        },
        "age": year - sa.cast(C.c.birth_year, sa.Float),
        "tenure_years": year - sa.cast(sa.extract("year", C.c.opened_on), sa.Float),
        "risk_level": risk,
        "tier_rank": tier,
        "has_employer": sa.case((C.c.employer_id.is_not(None), 1.0), else_=0.0),
        **{
            f"occ_{code}": sa.case((C.c.occupation == code, 1.0), else_=0.0)
            for code, _, _ in rules.OCCUPATIONS
        },
        **{
            f"holds_{cat}": sa.cast(sa.func.coalesce(holdings.c[f"holds_{cat}"], 0), sa.Float)
            for cat in xr.HOLDING_CATEGORIES
        },
    }
    return features


FEATURES: tuple[str, ...] = tuple(feature_expressions(_holdings_at(dt.date(2000, 1, 1))).keys())


def _feature_select(month: dt.date, customers: tuple[int, int] | None = None) -> sa.Select:
    holdings = _holdings_at(month, customers)
    features = feature_expressions(holdings)
    stmt = (
        sa.select(
            F.c.customer_id,
            F.c.branch_id,
            F.c.rm_staff_id,
            F.c.tier_code,
            F.c.aum_rmb,
            *[expr.label(name) for name, expr in features.items()],
        )
        .select_from(
            F.join(C, C.c.customer_id == F.c.customer_id).outerjoin(
                holdings, holdings.c.customer_id == F.c.customer_id
            )
        )
        .where(F.c.month_start == month, sa.not_(F.c.is_closed))
    )
    if customers is not None:
        stmt = stmt.where(F.c.customer_id.between(*customers))
    return stmt


def _hash(column: sa.ColumnElement) -> sa.ColumnElement:
    """A deterministic pseudo-random order of customers (same on DuckDB and PostgreSQL)."""
    return (column * 7919 + 104_729) % 1_000_003


def training_sample_select(month: dt.date, limit: int = xr.SAMPLE_SIZE) -> sa.Select:
    """Refresh's training sample (not a viewer query: the whole province, unscoped): features,
    holdings, branch, manager, tier and AUM of at most ``limit`` customers open at the end of
    ``month``, the first by ``(customer_id * 7919 + 104729) mod 1000003`` (ties by id), so the
    sample is the same every time and spreads over branches and ages."""
    stmt = _feature_select(month).order_by(_hash(F.c.customer_id), F.c.customer_id)
    return stmt.limit(max(1, min(int(limit), xr.SAMPLE_SIZE)))


def scoring_select(month: dt.date, first_id: int, last_id: int) -> sa.Select:
    """Refresh's scoring read (unscoped): the same columns for every customer open at the end of
    ``month`` with an id in ``first_id .. last_id`` (one chunk)."""
    return _feature_select(month, (int(first_id), int(last_id))).order_by(F.c.customer_id)


# ------------------------------------------------------------------ next best product (marts)

NB = s.mart_next_best
PM = s.mart_propensity_model
MODEL_COLUMNS = xr.MODEL_COLUMNS


def scored_month(viewer: Viewer, month: dt.date | None = None) -> dt.date | None:
    """The month the next-best-product marts answer for ``month``: that month if refresh scored
    it, else the latest scored month before it, else the latest scored month; None when nothing
    was scored (or the warehouse predates the marts)."""
    stmt = sa.select(PM.c.month_start).distinct().order_by(PM.c.month_start)
    try:
        frame = read_frame(viewer, stmt)
    except sa.exc.DBAPIError:  # a warehouse built before the marts existed
        return None
    months = [_as_date(value) for value in frame["month_start"]]
    if not months:
        return None
    wanted = _as_date(month)
    if wanted is None:
        return months[-1]
    earlier = [m for m in months if m <= wanted.replace(day=1)]
    return earlier[-1] if earlier else months[-1]


def propensity_models(viewer: Viewer, month: dt.date | None = None) -> pd.DataFrame:
    """Per modelled product line (in ``TARGETS`` order): the model refresh fitted for the scored
    month of ``month`` and how it ranks held-out customers. Columns: ``MODEL_COLUMNS``
    (``auc`` NULL and ``reason`` set when the line had too few holders to get a model)."""
    scored = scored_month(viewer, month)
    if scored is None:
        return pd.DataFrame(columns=list(MODEL_COLUMNS))
    stmt = sa.select(*[PM.c[name] for name in MODEL_COLUMNS]).where(PM.c.month_start == scored)
    frame = read_frame(viewer, stmt)
    order = {target: i for i, target in enumerate(xr.TARGETS)}
    frame = frame.assign(order=frame["target"].map(order)).sort_values("order")
    return frame.drop(columns="order").reset_index(drop=True)


def campaign_list(viewer: Viewer, filters: Filters, target: str, limit: int = 200) -> pd.DataFrame:
    """Customers who do not hold ``target`` yet, most likely takers first (``mart_next_best``).

    At most ``limit`` rows (capped at ``CAMPAIGN_MAX_ROWS``) with the customer's masked contact
    data and ``probability`` (0-1), at the scored month of the filters' month, within the
    filters' organisation and tiers. Raises ValueError for a line without a model.
    """
    if target not in xr.TARGETS:
        raise ValueError(f"unknown product line {target!r}")
    month = scored_month(viewer, filters.month)
    columns = ["customer_id", "full_name", "mobile", "branch_id", "rm_staff_id", "tier_code"]
    if month is None:
        return pd.DataFrame(columns=[*columns, "aum_rmb", "probability"])
    stmt = (
        sa.select(
            NB.c.customer_id,
            C.c.full_name,
            C.c.mobile,
            NB.c.branch_id,
            NB.c.rm_staff_id,
            NB.c.tier_code,
            NB.c.aum_rmb,
            NB.c.probability,
        )
        .select_from(NB.join(C, C.c.customer_id == NB.c.customer_id))
        .where(
            NB.c.month_start == month,
            NB.c.target == target,
            org_condition(filters, NB.c.branch_id),
            tier_condition(filters, NB.c.tier_code),
        )
        .order_by(NB.c.probability.desc(), NB.c.customer_id)
        .limit(max(1, min(int(limit), xr.CAMPAIGN_MAX_ROWS)))
    )
    return read_frame(viewer, stmt)


def customer_suggestions(
    viewer: Viewer, customer_id: int, top: int = xr.TOP_SUGGESTIONS
) -> pd.DataFrame:
    """One customer's most likely product lines at the latest scored month (empty when out of
    scope or not scored): ``target``, ``probability_pct``, ``lift`` (probability over the line's
    holder rate in the training sample), ``reason_feature`` and ``reason_direction``."""
    columns = ["target", "probability_pct", "lift", "reason_feature", "reason_direction"]
    month = scored_month(viewer)
    if month is None:
        return pd.DataFrame(columns=columns)
    stmt = (
        sa.select(
            NB.c.target,
            NB.c.probability,
            NB.c.reason_feature,
            NB.c.reason_direction,
            PM.c.base_rate_pct,
        )
        .select_from(
            NB.join(PM, sa.and_(PM.c.month_start == NB.c.month_start, PM.c.target == NB.c.target))
        )
        .where(
            NB.c.customer_id == int(customer_id),
            NB.c.month_start == month,
            NB.c.suggestion_rank <= max(1, int(top)),
        )
        .order_by(NB.c.suggestion_rank)
    )
    frame = read_frame(viewer, stmt)
    pct = frame["probability"].astype(float) * 100
    base = frame["base_rate_pct"].astype(float)
    frame["probability_pct"] = pct
    frame["lift"] = (pct / base).where(base > 0)
    return frame[columns]


# ------------------------------------------------------------------ partner employers


def partner_employers(viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """Per partner employer: employees, staff who bank with us, payroll coverage and the uptake
    of the employer's exclusive products (专享产品) at the month end.

    ``count_staff_customers``: customers paid by the employer (``dim_customer.employer_id``) and
    not closed; ``count_payroll``: of them, holding an open payroll product;
    ``count_exclusive_holders`` / ``exclusive_amount_rmb``: of them, holding an open product
    exclusive to the employer.
    """
    month = resolve_month(viewer, filters)
    e, b = s.dim_partner_employer, s.dim_branch
    if month is None:
        return pd.DataFrame(columns=["employer_id", "branch_id"])
    end = _first_of_next(month)
    open_at_end = sa.and_(
        H.c.opened_on < end, sa.or_(H.c.closed_on.is_(None), H.c.closed_on >= end)
    )
    staff = (
        sa.select(C.c.customer_id, C.c.employer_id)
        .where(C.c.employer_id.is_not(None), sa.or_(C.c.closed_on.is_(None), C.c.closed_on >= end))
        .subquery("staff")
    )
    payroll = (
        sa.select(H.c.customer_id)
        .select_from(H.join(P, P.c.product_id == H.c.product_id))
        .where(P.c.category == "payroll", open_at_end)
        .group_by(H.c.customer_id)
        .subquery("payroll")
    )
    # The exclusive products by id: given only "the product has an employer", PostgreSQL
    # expects most holdings to match and reads all of them; given the ids, it uses the index.
    exclusive_ids = read_frame(
        viewer, sa.select(P.c.product_id).where(P.c.exclusive_employer_id.is_not(None))
    )["product_id"].tolist()
    exclusive = (
        sa.select(
            H.c.customer_id,
            P.c.exclusive_employer_id,
            sa.func.sum(H.c.amount_rmb).label("amount_rmb"),
        )
        .select_from(H.join(P, P.c.product_id == H.c.product_id))
        .where(H.c.product_id.in_([int(i) for i in exclusive_ids]), open_at_end)
        .group_by(H.c.customer_id, P.c.exclusive_employer_id)
        .subquery("exclusive")
    )
    per_employer = (
        sa.select(
            staff.c.employer_id,
            sa.func.count(staff.c.customer_id).label("count_staff_customers"),
            sa.func.count(payroll.c.customer_id).label("count_payroll"),
            sa.func.count(exclusive.c.customer_id).label("count_exclusive_holders"),
            sa.func.coalesce(sa.func.sum(exclusive.c.amount_rmb), 0.0).label(
                "exclusive_amount_rmb"
            ),
        )
        .select_from(
            staff.outerjoin(payroll, payroll.c.customer_id == staff.c.customer_id).outerjoin(
                exclusive,
                sa.and_(
                    exclusive.c.customer_id == staff.c.customer_id,
                    exclusive.c.exclusive_employer_id == staff.c.employer_id,
                ),
            )
        )
        .group_by(staff.c.employer_id)
        .subquery("per_employer")
    )
    products = (
        sa.select(P.c.exclusive_employer_id, sa.func.count().label("count_exclusive_products"))
        .where(P.c.exclusive_employer_id.is_not(None))
        .group_by(P.c.exclusive_employer_id)
        .subquery("products")
    )
    stmt = (
        sa.select(
            e.c.employer_id,
            e.c.name_en,
            e.c.name_zh,
            e.c.industry_class,
            e.c.branch_id,
            b.c.name_en.label("branch_name_en"),
            b.c.name_zh.label("branch_name_zh"),
            e.c.count_employees,
            sa.func.coalesce(per_employer.c.count_staff_customers, 0).label(
                "count_staff_customers"
            ),
            sa.func.coalesce(per_employer.c.count_payroll, 0).label("count_payroll"),
            sa.func.coalesce(products.c.count_exclusive_products, 0).label(
                "count_exclusive_products"
            ),
            sa.func.coalesce(per_employer.c.count_exclusive_holders, 0).label(
                "count_exclusive_holders"
            ),
            sa.func.coalesce(per_employer.c.exclusive_amount_rmb, 0.0).label(
                "exclusive_amount_rmb"
            ),
        )
        .select_from(
            e.join(b, b.c.branch_id == e.c.branch_id)
            .outerjoin(per_employer, per_employer.c.employer_id == e.c.employer_id)
            .outerjoin(products, products.c.exclusive_employer_id == e.c.employer_id)
        )
        .where(org_condition(filters, e.c.branch_id))
        .order_by(e.c.count_employees.desc(), e.c.employer_id)
    )
    return read_frame(viewer, stmt)
