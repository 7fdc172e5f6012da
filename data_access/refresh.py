"""Refresh: rebuild the marts pages read, then prove the warehouse is consistent.

Runs inside a build (a new version beside the live one), so a failed data test aborts the swap
and the app keeps the previous version. The marts and their build order are
``data_access.marts.MARTS`` (one module per mart); most are plain INSERT ... SELECT statements in
SQLAlchemy Core, identical on DuckDB and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy.engine import Connection, Engine
from threadpoolctl import threadpool_info, threadpool_limits

from data_access import schema
from data_access.marts import MARTS
from data_access.warehouse import Warehouse

log = logging.getLogger(__name__)


class DataTestFailed(RuntimeError):
    """Raised when a data test fails; its message lists every failing check."""


def build_marts(conn: Connection) -> dict[str, float]:
    """Drop and rebuild every derived table, building the marts in registry order (the
    model-scored ones are left empty for :func:`refresh_engine`); returns seconds per mart."""
    tables = [table for mart in MARTS for table in mart.tables]
    for table in reversed(tables):
        table.drop(conn, checkfirst=True)
    for table in tables:
        table.create(conn)
    # Versions built before the load history existed lack it; the data tests read every table.
    schema.meta_load.create(conn, checkfirst=True)
    schema.meta_table_rows.create(conn, checkfirst=True)  # filled as the version is swapped in
    timings: dict[str, float] = {}
    for mart in MARTS:
        if mart.build is None:
            continue
        started = time.perf_counter()
        mart.build(conn)
        timings[mart.name] = round(time.perf_counter() - started, 3)
    conn.execute(
        schema.meta_warehouse.update().values(
            refreshed_at=dt.datetime.now(dt.UTC).replace(tzinfo=None)
        )
    )
    return timings


def refresh_engine(engine: Engine, train_churn: bool = False) -> dict[str, float]:
    """Build the marts on a writable engine and run the data tests (raising on failure).

    The churn scores (mart_churn_score) are part of the same build: with ``train_churn`` (the
    demo) a model is trained on this build first; then, when a trained model exists, the
    latest months are scored (see data_access.churn_jobs.refresh_scores). So is next best
    product: the propensity models are fitted and every customer scored into mart_next_best
    and mart_propensity_model (data_access.next_best_jobs.refresh_next_best).
    """
    from data_access.data_tests import run_data_tests

    ahead = [mart for mart in MARTS if mart.prepare is not None]
    # What reads only the facts (the churn model's training) runs in a thread while the SQL
    # marts build: the database works on its statements while the model works in Python and
    # NumPy, so the two cores are both busy. Scoring and writing follow the marts.
    limits = {found["user_api"]: found["num_threads"] for found in threadpool_info()}
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="refresh-ahead") as pool:
        started = {
            mart.name: pool.submit(_within_limits, limits, mart.prepare, engine, train_churn)
            for mart in ahead
        }
        try:
            with engine.begin() as conn:
                timings = build_marts(conn)
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        for mart in MARTS:
            if mart.name in started:
                timings.update(started[mart.name].result()(engine))
            elif mart.score is not None:
                timings.update(mart.score(engine, train_churn))
    with engine.connect() as conn:
        failures = run_data_tests(conn)
    if failures:
        raise DataTestFailed("Data tests failed:\n" + "\n".join(f"- {f}" for f in failures))
    return timings


def _within_limits(limits: dict[str, int], task, *args):
    """``task(*args)`` under the caller's thread limits of the native maths libraries: OpenMP's
    is per thread, so a new thread would otherwise use every core (see demo.build's
    MODEL_THREADS)."""
    with threadpool_limits(limits=limits):
        return task(*args)


def refresh(warehouse: Warehouse, train_churn: bool = False) -> dict[str, float]:
    """Rebuild the marts of the live warehouse as a new version and swap it in (with
    ``train_churn``, train a new churn model on it first, as :func:`refresh_engine`)."""
    with warehouse.build(copy_current=True) as engine:
        return refresh_engine(engine, train_churn=train_churn)
