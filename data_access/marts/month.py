"""dim_month: the calendar of the months in the warehouse, with each month's previous month and
the same month a year before (every month-on-month and year-on-year join goes through it)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from data_access import schema as s
from data_access.marts.base import (
    DIMENSIONS,
    Mart,
)

F = s.fact_customer_month


def _add_months(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _month_rows(months: list[dt.date]) -> list[dict]:
    return [
        {
            "month_start": m,
            "month_index": i,
            "prev_month_start": _add_months(m, -1),
            "year_ago_month_start": _add_months(m, -12),
        }
        for i, m in enumerate(sorted(months))
    ]


def _build_dim_month(conn: Connection) -> None:
    months = [
        m if isinstance(m, dt.date) else m.date()
        for m in conn.execute(sa.select(F.c.month_start).distinct()).scalars()
    ]
    if months:
        conn.execute(s.dim_month.insert(), _month_rows(months))


MART = Mart(
    table=s.dim_month,
    grain=("month_start",),
    depends_on=("fact_customer_month",),
    build=_build_dim_month,
    answers=frozenset(DIMENSIONS),  # a calendar: the same for every viewer and filter
    questions="Which months the warehouse holds; each month's previous month and year-ago month.",
)
