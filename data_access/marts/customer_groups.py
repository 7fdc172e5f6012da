"""mart_group_centre, mart_group_summary, mart_group_product and mart_group_churn: the
province's customer groups of the latest months as refresh fitted them, and their totals."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from data_access import schema as s
from data_access.marts.base import (
    WHOLE_PROVINCE,
    Check,
    Mart,
    insert,
    open_customers_per_month,
)

F = s.fact_customer_month


def _build_customer_groups(conn: Connection) -> None:
    """mart_group_*: the province's customer groups of the latest months, fitted on the page's
    sample and totalled with the page's own statements (data_access.customer_groups)."""
    from analytics import segment_rules as sr
    from analytics.clustering import fit_groups
    from data_access import customer_groups as cg
    from data_access.filters import Filters
    from data_access.segments import ALL_SEGMENTS

    months = sorted(conn.execute(sa.select(s.dim_month.c.month_start)).scalars().all())
    for month in months[-sr.CLUSTER_STORED_MONTHS :]:
        result = conn.execute(cg.sample_statement(month, Filters()))
        spec = fit_groups(pd.DataFrame(result.fetchall(), columns=list(result.keys())))
        if spec is None:
            continue  # too few customers: pages say so live
        centres = [
            {
                "month_start": month,
                "group_id": group_id,
                "feature": feature,
                "feature_mean": mean,
                "feature_scale": scale,
                "centre": value,
            }
            for group_id, centre in enumerate(spec.centres)
            for feature, mean, scale, value in zip(
                spec.features, spec.means, spec.scales, centre, strict=True
            )
        ]
        conn.execute(s.mart_group_centre.insert(), centres)
        for table, statement in (
            (s.mart_group_summary, cg.summary_statement),
            (s.mart_group_product, cg.products_statement),
            (s.mart_group_churn, cg.churn_statement),
        ):
            totals = statement(month, Filters(), ALL_SEGMENTS, spec).subquery("totals")
            insert(conn, table, sa.select(sa.literal(month, sa.Date).label("month_start"), totals))


def _group_checks() -> Iterator[Check]:
    """mart_group_*: a month's groups hold its open customers; the tables describe the same
    groups; no count exceeds what it counts from."""
    g = s.mart_group_summary.c
    open_per_month = open_customers_per_month()
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


MART = Mart(
    table=s.mart_group_summary,
    also_writes=(s.mart_group_centre, s.mart_group_product, s.mart_group_churn),
    grain=("month_start", "group_id"),
    depends_on=(
        "fact_customer_month",
        "fact_product_holding",
        "dim_customer",
        "dim_product",
        "dim_month",
        "mart_branch_month_tier",
    ),
    build=_build_customer_groups,
    checks=_group_checks,
    answers=WHOLE_PROVINCE,
    questions=(
        "The province's customer groups of a stored month: their centres, customers, AUM, "
        "products held and churn, for the whole province without filters."
    ),
)
