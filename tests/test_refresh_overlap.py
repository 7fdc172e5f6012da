"""refresh_engine computes the facts-only scored marts (churn) while the SQL marts build."""

from __future__ import annotations

import threading
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from threadpoolctl import threadpool_info, threadpool_limits

from data_access import data_tests, refresh


def test_prepared_marts_compute_in_a_thread_while_the_sql_marts_build(monkeypatch) -> None:
    prepared = threading.Event()
    seen: dict = {}

    def prepare(engine, train):
        seen["thread"] = threading.current_thread()
        seen["train"] = train
        seen["limits"] = {i["user_api"]: i["num_threads"] for i in threadpool_info()}
        prepared.set()

        def finish(target):
            seen["finished_after_marts"] = seen.get("marts_built", False)
            seen["finish_thread"] = threading.current_thread()
            return {"early_score": 1.0}

        return finish

    def build_marts(conn):
        # Waits for prepare: without the overlap it would never run during the build.
        assert prepared.wait(10), "the prepared mart did not start while the SQL marts built"
        seen["marts_built"] = True
        return {"sql_mart": 2.0}

    def never(engine, train):
        pytest.fail("a mart with prepare must not be scored again")

    monkeypatch.setattr(
        refresh,
        "MARTS",
        [
            SimpleNamespace(name="early", prepare=prepare, score=never),
            SimpleNamespace(name="later", prepare=None, score=lambda e, t: {"later_score": 3.0}),
        ],
    )
    monkeypatch.setattr(refresh, "build_marts", build_marts)
    monkeypatch.setattr(data_tests, "run_data_tests", lambda conn: [])
    engine = sa.create_engine("duckdb:///:memory:")
    with threadpool_limits(limits=1):
        timings = refresh.refresh_engine(engine, train_churn=True)
    assert timings == {"sql_mart": 2.0, "early_score": 1.0, "later_score": 3.0}
    assert seen["thread"] is not threading.main_thread()
    assert seen["finish_thread"] is threading.main_thread()  # writes after the marts, in order
    assert seen["finished_after_marts"] and seen["train"] is True
    # The caller's one-thread limit of the maths libraries holds in the thread too.
    assert seen["limits"] and set(seen["limits"].values()) == {1}


def test_a_failing_sql_mart_build_still_raises(monkeypatch) -> None:
    def build_marts(conn):
        raise RuntimeError("statement failed")

    monkeypatch.setattr(
        refresh,
        "MARTS",
        [SimpleNamespace(name="early", prepare=lambda e, t: lambda x: {}, score=None)],
    )
    monkeypatch.setattr(refresh, "build_marts", build_marts)
    with pytest.raises(RuntimeError, match="statement failed"):
        refresh.refresh_engine(sa.create_engine("duckdb:///:memory:"))
