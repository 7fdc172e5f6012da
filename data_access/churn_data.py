"""The churn model's SQL: read the panel its features need, write and read the scores mart.

Machinery for training and scoring (``data_access.churn_jobs``), not viewer-facing queries: it
reads the whole customer population of a build engine, so its functions take a connection or
engine, never a viewer, and pages never call them (the watchlist reads ``data_access.watchlist``).

Reads select only the columns the features use and filter months in SQL (a year of history plus
the label window, never whole tables). On DuckDB the compiled SQLAlchemy Core statement runs on
the driver connection and comes back as Arrow (a million customer-months in about a second);
elsewhere ``pandas.read_sql`` runs the same statement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from analytics import rules
from analytics.churn import features
from analytics.churn.panel import add_months, as_month, month_end
from data_access import bulk, schema

mart_churn_score = schema.mart_churn_score
F = schema.fact_customer_month
C = schema.dim_customer
B = schema.dim_branch
H = schema.fact_product_holding
P = schema.dim_product


# Limits the customers read: a condition on a ``customer_id`` column (a sample, an id range).
CustomerFilter = Callable[[sa.ColumnElement], sa.ColumnElement]


def _limit(stmt: sa.Select, column: sa.ColumnElement, who: CustomerFilter | None) -> sa.Select:
    return stmt if who is None else stmt.where(who(column))


def every_nth_customer(n: int) -> CustomerFilter | None:
    """A repeatable sample without a seed: customers whose id is a multiple of ``n`` (None: all)."""
    return None if n <= 1 else (lambda column: column % n == 0)


def customer_id_range(low: int, high: int) -> CustomerFilter:
    """Customers with ``low <= customer_id < high``."""
    return lambda column: (column >= low) & (column < high)


def read_frame(conn: Connection | Engine, stmt: sa.Select) -> pd.DataFrame:
    """Run a Core select and return a DataFrame (Arrow fast path on DuckDB)."""
    if isinstance(conn, Engine):
        with conn.connect() as c:
            return read_frame(c, stmt)
    if conn.dialect.name == "duckdb":
        compiled = stmt.compile(dialect=conn.dialect)
        params = compiled.params
        args = [params[name] for name in compiled.positiontup] if compiled.positional else params
        relation = conn.connection.driver_connection.sql(compiled.string, params=args)
        return relation.to_arrow_table().to_pandas(date_as_object=False)
    return pd.read_sql(stmt, conn)


def month_range(conn: Connection | Engine) -> tuple[dt.date, dt.date]:
    """First and last month in fact_customer_month; ValueError when it is empty."""
    stmt = sa.select(sa.func.min(F.c.month_start), sa.func.max(F.c.month_start))
    if isinstance(conn, Engine):
        with conn.connect() as c:
            first, last = c.execute(stmt).one()
    else:
        first, last = conn.execute(stmt).one()
    if first is None:
        raise ValueError("fact_customer_month is empty: nothing to train on or score")
    return as_month(first), as_month(last)


def read_panel(
    conn: Connection | Engine, first: dt.date, last: dt.date, who: CustomerFilter | None = None
) -> pd.DataFrame:
    """fact_customer_month rows for months first .. last: the feature columns, branch and RM.

    The spend columns come summed (``spend_total_rmb``): the features use only the total.
    """
    spend = [name for name in features.PANEL_COLUMNS if name in rules.SPEND_COLUMNS]
    names = [n for n in (*features.PANEL_COLUMNS, "branch_id", "rm_staff_id") if n not in spend]
    total = sum((F.c[n] for n in spend[1:]), F.c[spend[0]]).label(features.SPEND_TOTAL)
    stmt = sa.select(*[F.c[name] for name in names], total).where(
        F.c.month_start >= as_month(first), F.c.month_start <= as_month(last)
    )
    frame = read_frame(conn, _limit(stmt, F.c.customer_id, who))
    frame["month_start"] = pd.to_datetime(frame["month_start"])
    return frame


def read_customers(conn: Connection | Engine, who: CustomerFilter | None = None) -> pd.DataFrame:
    """Static customer attributes the features use (no personal data, no closing date)."""
    stmt = sa.select(
        C.c.customer_id,
        C.c.birth_year,
        C.c.gender,
        C.c.occupation,
        C.c.risk_grade,
        C.c.opened_on,
        sa.case((C.c.employer_id.is_not(None), 1), else_=0).label("has_payroll"),
        B.c.branch_type,
    ).select_from(C.outerjoin(B, B.c.branch_id == C.c.branch_id))
    frame = read_frame(conn, _limit(stmt, C.c.customer_id, who))
    for name in ("gender", "occupation", "risk_grade", "branch_type"):
        frame[name] = frame[name].astype("category")
    return frame


def read_holdings(
    conn: Connection | Engine, first: dt.date, last: dt.date, who: CustomerFilter | None = None
) -> pd.DataFrame:
    """Term holdings (with a maturity date) that matter to cut-offs first .. last."""
    earliest = month_end(add_months(as_month(first), -1)) - dt.timedelta(days=92)
    stmt = (
        sa.select(
            H.c.customer_id,
            P.c.asset_class,
            H.c.opened_on,
            H.c.closed_on,
            H.c.maturity_on,
            H.c.amount_rmb,
            H.c.is_renewed,
        )
        .select_from(H.join(P, P.c.product_id == H.c.product_id))
        .where(
            H.c.maturity_on.is_not(None),
            H.c.maturity_on >= earliest,
            H.c.opened_on <= month_end(as_month(last)),
        )
    )
    return read_frame(conn, _limit(stmt, H.c.customer_id, who))


def read_assignment(conn: Connection | Engine, month: dt.date) -> pd.DataFrame:
    """Branch and relationship manager of each customer in ``month``."""
    stmt = sa.select(F.c.customer_id, F.c.branch_id, F.c.rm_staff_id).where(
        F.c.month_start == as_month(month)
    )
    return read_frame(conn, stmt)


def read_inputs(
    conn: Connection | Engine,
    first_cutoff: dt.date,
    last_month: dt.date,
    who: CustomerFilter | None = None,
) -> dict[str, pd.DataFrame]:
    """Everything features and labels need for cut-offs from ``first_cutoff`` to ``last_month``
    (for the customers ``who`` selects; default all)."""
    first = add_months(as_month(first_cutoff), -(features.FEATURE_MONTHS - 1))
    return {
        "panel": read_panel(conn, first, last_month, who),
        "customers": read_customers(conn, who),
        "holdings": read_holdings(conn, first_cutoff, last_month, who),
    }


def customer_id_bounds(conn: Connection | Engine) -> tuple[int, int, int]:
    """Smallest and largest customer_id and the number of customers (0, 0, 0 when none)."""
    stmt = sa.select(sa.func.min(C.c.customer_id), sa.func.max(C.c.customer_id), sa.func.count())
    if isinstance(conn, Engine):
        with conn.connect() as c:
            low, high, count = c.execute(stmt).one()
    else:
        low, high, count = conn.execute(stmt).one()
    return int(low or 0), int(high or 0), int(count)


def write_scores(engine: Engine, scores: pd.DataFrame) -> int:
    """Replace mart_churn_score with ``scores`` (one transaction for the DDL, one bulk insert).

    Call it on a build engine (``Warehouse.build(copy_current=True)``) so readers switch to the
    new scores all at once.
    """
    with engine.begin() as conn:
        mart_churn_score.drop(conn, checkfirst=True)
        mart_churn_score.create(conn)
    return bulk.write_frame(engine, mart_churn_score, scores)


def read_scores(conn: Connection | Engine, limit: int | None = None) -> pd.DataFrame:
    """The scores mart ordered by expected assets at risk (for checks and the CLI)."""
    stmt = sa.select(mart_churn_score).order_by(
        mart_churn_score.c.expected_assets_at_risk_rmb.desc(), mart_churn_score.c.customer_id
    )
    if limit:
        stmt = stmt.limit(limit)
    return read_frame(conn, stmt)
