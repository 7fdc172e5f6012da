"""mart_churn_score: the churn model's scores of the latest months (the watchlist, retention)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from analytics.churn import definition as churn_definition
from data_access import schema as s
from data_access.marts.base import (
    ORG,
    OWN_BOOK,
    SCOPE,
    TIER,
    Check,
    Mart,
)

F = s.fact_customer_month


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


def _score(engine: Engine, train: bool) -> dict[str, float]:
    from data_access.churn_jobs import refresh_scores

    return refresh_scores(engine, train=train)


def _prepare(engine: Engine, train: bool) -> Callable[[Engine], dict[str, float]]:
    from data_access.churn_jobs import prepare_scores

    return prepare_scores(engine, train=train)


MART = Mart(
    table=s.mart_churn_score,
    grain=("customer_id", "month_start"),
    depends_on=(
        "fact_customer_month",
        "dim_customer",
        "dim_branch",
        "fact_product_holding",
        "dim_product",
    ),
    score=_score,
    prepare=_prepare,
    checks=_churn_score_checks,
    answers=frozenset({SCOPE, OWN_BOOK, ORG, TIER}),  # one row per customer
    questions=(
        "Each scored customer's churn probability, expected assets at risk, band and reasons, "
        "for any scope (own book included) and organisation or tier filter."
    ),
)
