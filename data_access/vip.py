"""VIP value-added services (贵宾增值服务): who is eligible (financial assets >= 1M at month
end, ``rules.VIP_THRESHOLD_RMB``) and who uses the services (airport lounge, roadside rescue,
hospital guidance, health check-up), by branch and by service type.

"Using" means at least one use in the ``VIP_USE_WINDOW_MONTHS`` months up to the month looked at.
All counts are aggregated in SQL; the customer list is LIMITed.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from analytics import cross_sell_rules as xr
from analytics import rules
from data_access import schema as s
from data_access.cross_sell import months_before, resolve_month
from data_access.filters import Filters, org_condition, tier_condition
from data_access.query import read_frame
from data_access.viewer import Viewer

F = s.fact_customer_month
U = s.fact_vip_service_use
C = s.dim_customer
B = s.dim_branch


def _window(month) -> tuple:
    return months_before(month, xr.VIP_USE_WINDOW_MONTHS - 1), month


def _eligible(month, filters: Filters) -> sa.Subquery:
    return (
        sa.select(F.c.customer_id, F.c.branch_id, F.c.aum_rmb, F.c.rm_staff_id)
        .where(
            F.c.month_start == month,
            sa.not_(F.c.is_closed),
            F.c.aum_rmb >= rules.VIP_THRESHOLD_RMB,
            org_condition(filters, F.c.branch_id),
            tier_condition(filters, F.c.tier_code),
        )
        .subquery("eligible")
    )


def _uses(month) -> sa.Subquery:
    start, end = _window(month)
    return (
        sa.select(
            U.c.customer_id,
            sa.func.count().label("count_uses"),
            sa.func.max(U.c.used_on).label("last_used_on"),
        )
        .where(U.c.month_start.between(start, end))
        .group_by(U.c.customer_id)
        .subquery("uses")
    )


def vip_by_branch(viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """Per branch: customers eligible at month end, of them using a service in the window, and
    their uses (``count_eligible``, ``count_using``, ``count_uses``)."""
    month = resolve_month(viewer, filters)
    if month is None:
        return pd.DataFrame(columns=["branch_id", "count_eligible", "count_using", "count_uses"])
    eligible, uses = _eligible(month, filters), _uses(month)
    stmt = (
        sa.select(
            eligible.c.branch_id,
            B.c.name_en.label("branch_name_en"),
            B.c.name_zh.label("branch_name_zh"),
            sa.func.count().label("count_eligible"),
            sa.func.count(uses.c.customer_id).label("count_using"),
            sa.func.coalesce(sa.func.sum(uses.c.count_uses), 0).label("count_uses"),
        )
        .select_from(
            eligible.join(B, B.c.branch_id == eligible.c.branch_id).outerjoin(
                uses, uses.c.customer_id == eligible.c.customer_id
            )
        )
        .group_by(eligible.c.branch_id, B.c.name_en, B.c.name_zh)
        .order_by(sa.desc("count_eligible"), eligible.c.branch_id)
    )
    return read_frame(viewer, stmt)


def vip_by_service(viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """Per service type in the window: users, uses, and how many users are eligible now."""
    month = resolve_month(viewer, filters)
    if month is None:
        return pd.DataFrame(columns=["service_type", "count_users", "count_uses"])
    start, end = _window(month)
    eligible = _eligible(month, filters)
    stmt = (
        sa.select(
            U.c.service_type,
            sa.func.count(sa.distinct(U.c.customer_id)).label("count_users"),
            sa.func.count().label("count_uses"),
            sa.func.count(sa.distinct(eligible.c.customer_id)).label("count_eligible_users"),
        )
        .select_from(U.outerjoin(eligible, eligible.c.customer_id == U.c.customer_id))
        .where(U.c.month_start.between(start, end), org_condition(filters, U.c.branch_id))
        .group_by(U.c.service_type)
        .order_by(U.c.service_type)
    )
    return read_frame(viewer, stmt)


def vip_customers(viewer: Viewer, filters: Filters, limit: int = 200) -> pd.DataFrame:
    """Eligible customers at month end, largest assets first, with their uses in the window
    (masked contact data; at most ``limit`` rows, capped at 1,000)."""
    month = resolve_month(viewer, filters)
    if month is None:
        return pd.DataFrame(columns=["customer_id", "branch_id"])
    eligible, uses = _eligible(month, filters), _uses(month)
    stmt = (
        sa.select(
            eligible.c.customer_id,
            C.c.full_name,
            C.c.mobile,
            eligible.c.branch_id,
            eligible.c.rm_staff_id,
            eligible.c.aum_rmb,
            sa.func.coalesce(uses.c.count_uses, 0).label("count_uses"),
            uses.c.last_used_on,
        )
        .select_from(
            eligible.join(C, C.c.customer_id == eligible.c.customer_id).outerjoin(
                uses, uses.c.customer_id == eligible.c.customer_id
            )
        )
        .order_by(eligible.c.aum_rmb.desc(), eligible.c.customer_id)
        .limit(max(1, min(int(limit), 1_000)))
    )
    return read_frame(viewer, stmt)
