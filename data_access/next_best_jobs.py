"""Next best product at refresh: fit the propensity models, score every customer, write the marts.

Machinery for refresh (like ``data_access.churn_jobs``), not viewer-facing queries: it reads the
whole province on a build engine, so its functions take an engine, never a viewer. Pages read the
results through ``data_access.cross_sell`` (scoped and masked by ``read_frame``).

At the latest month of the build: one logistic model per product line is fitted on the
deterministic training sample (``cross_sell.training_sample_select``, at most
``cross_sell_rules.SAMPLE_SIZE`` customers), with its AUC on the held-out part
(``analytics.propensity.fit_models``), and written to ``mart_propensity_model``; then every
customer open at that month end is scored in chunks of ``SCORE_CHUNK_IDS`` customer ids
(``analytics.propensity.score_customers``) into ``mart_next_best``, one row per customer and
modelled line not held.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from analytics import propensity
from data_access import bulk, cross_sell, schema
from data_access.churn_data import month_range, read_frame

log = logging.getLogger(__name__)

F = schema.fact_customer_month
# Customer ids read, scored and written per step: bounds the memory of a province-wide refresh
# (about 50 feature columns per customer) whatever the number of customers.
SCORE_CHUNK_IDS: int = 250_000

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


def _recreate(engine: Engine) -> None:
    with engine.begin() as conn:
        for table in (schema.mart_next_best, schema.mart_propensity_model):
            table.drop(conn, checkfirst=True)
            table.create(conn)


def model_rows(models: propensity.PropensityModels, month: dt.date, version: str) -> pd.DataFrame:
    """``mart_propensity_model`` rows: the models' evaluation at ``month``."""
    rows = models.evaluation()
    rows["reason"] = rows["reason"].where(rows["reason"] != "", None)
    return rows.assign(month_start=pd.Timestamp(month), model_version=version)


def _id_range(engine: Engine, month: dt.date) -> tuple[int, int] | None:
    stmt = sa.select(sa.func.min(F.c.customer_id), sa.func.max(F.c.customer_id)).where(
        F.c.month_start == month
    )
    with engine.connect() as conn:
        first, last = conn.execute(stmt).one()
    return None if first is None else (int(first), int(last))


def score_month(engine: Engine, models: propensity.PropensityModels, month: dt.date) -> int:
    """Score every customer open at the end of ``month`` into ``mart_next_best``; rows written."""
    ids = _id_range(engine, month)
    if ids is None:
        return 0
    written = 0
    for first in range(ids[0], ids[1] + 1, SCORE_CHUNK_IDS):
        last = min(first + SCORE_CHUNK_IDS - 1, ids[1])
        features = read_frame(engine, cross_sell.scoring_select(month, first, last))
        if features.empty:
            continue
        scored = propensity.score_customers(models, features)
        about = features[["customer_id", "branch_id", "rm_staff_id", "tier_code", "aum_rmb"]]
        rows = scored.merge(about, on="customer_id", how="left").rename(
            columns={"rank": "suggestion_rank"}
        )
        rows["month_start"] = pd.Timestamp(month)
        written += bulk.write_frame(engine, schema.mart_next_best, rows)
    return written


def refresh_next_best(engine: Engine, progress: Progress = _quiet) -> dict[str, float]:
    """Refresh's next-best-product step on a build engine; seconds taken per part.

    Replaces ``mart_propensity_model`` and ``mart_next_best`` for the latest month of
    fact_customer_month. An empty warehouse leaves both empty (the page then says nothing was
    scored); a line with too few holders gets a model row without a model and no scores.
    """
    timings: dict[str, float] = {}
    _recreate(engine)
    try:
        _, month = month_range(engine)
    except ValueError as exc:
        log.warning("next best product not scored: %s", exc)
        return timings
    started = time.perf_counter()
    sample = read_frame(engine, cross_sell.training_sample_select(month))
    models = propensity.fit_models(sample, cross_sell.FEATURES)
    created = dt.datetime.now(dt.UTC).replace(microsecond=0)
    version = f"propensity-{month:%Y%m}-{created:%Y%m%d%H%M%S}"
    bulk.write_frame(engine, schema.mart_propensity_model, model_rows(models, month, version))
    timings["next_best_fit"] = round(time.perf_counter() - started, 3)
    progress(f"propensity models fitted on {len(sample):,} customers at {month:%Y-%m}")
    started = time.perf_counter()
    written = score_month(engine, models, month)
    timings["next_best_score"] = round(time.perf_counter() - started, 3)
    progress(f"next best product: {written:,} customer x product-line rows at {month:%Y-%m}")
    return timings
