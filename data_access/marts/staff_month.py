"""mart_staff_month: each relationship manager's book per month."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from analytics import rules
from data_access import schema as s
from data_access.marts.base import (
    ORG,
    SCOPE,
    Mart,
    count_when,
)

F = s.fact_customer_month


def _build_staff_month(conn: Connection) -> None:
    columns = {
        "rm_staff_id": F.c.rm_staff_id,
        "branch_id": sa.func.min(F.c.branch_id),
        "month_start": F.c.month_start,
        "count_customers": count_when(~F.c.is_closed),
        "count_vip": count_when((F.c.aum_rmb >= rules.VIP_THRESHOLD_RMB) & ~F.c.is_closed),
        "count_new": count_when(F.c.is_new),
        "count_churned": count_when(F.c.is_closed),
        "aum_rmb": sa.func.sum(F.c.aum_rmb),
        "aum_avg_rmb": sa.func.sum(F.c.aum_avg_rmb),
    }
    select = (
        sa.select(*[expr.label(name) for name, expr in columns.items()])
        .where(F.c.rm_staff_id.is_not(None))
        .group_by(F.c.rm_staff_id, F.c.month_start)
    )
    conn.execute(s.mart_staff_month.insert().from_select(list(columns), select))


MART = Mart(
    table=s.mart_staff_month,
    grain=("rm_staff_id", "month_start"),
    depends_on=("fact_customer_month",),
    build=_build_staff_month,
    answers=frozenset({SCOPE, ORG}),  # no tier column: every tier of the book
    questions=(
        "Each relationship manager's customers, VIPs, new and churned customers and AUM per "
        "month (every tier), for any scope of branches and organisation filter."
    ),
)
