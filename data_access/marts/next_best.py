"""mart_next_best and mart_propensity_model: every open customer's most likely product lines not
held yet, and the models that scored them."""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from data_access import schema as s
from data_access.marts.base import (
    ORG,
    OWN_BOOK,
    SCOPE,
    TIER,
    Check,
    Mart,
    count_rows,
)

F = s.fact_customer_month


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
        lambda: count_rows(
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


def _score(engine: Engine, train: bool) -> dict[str, float]:
    from data_access.next_best_jobs import refresh_next_best

    return refresh_next_best(engine)


MART = Mart(
    table=s.mart_next_best,
    also_writes=(s.mart_propensity_model,),
    grain=("customer_id", "month_start", "target"),
    depends_on=("fact_customer_month", "dim_customer", "fact_product_holding", "dim_product"),
    score=_score,
    checks=_next_best_checks,
    answers=frozenset({SCOPE, OWN_BOOK, ORG, TIER}),  # one row per customer
    questions=(
        "Which customers are most likely to take up a product line they do not hold, and how "
        "good each line's model is, for any scope (own book included) and organisation or tier "
        "filter."
    ),
)
