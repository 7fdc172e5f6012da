"""The churn scores mart and the watchlist data layer, on DuckDB and PostgreSQL.

The shared demo warehouses are built with a trained churn model, so refresh wrote
mart_churn_score in the same build. Expected values come from raw SQL on the mart and the facts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from analytics import retention_rules, scorecard_rules
from analytics.churn import definition
from data_access import app_store, churn_data, churn_jobs, query, retention
from data_access import watchlist as wl
from data_access.data_tests import run_data_tests
from data_access.filters import Filters
from data_access.viewer import Viewer
from data_access.warehouse import Warehouse
from tests.test_app_shell import warehouse_sql


@pytest.fixture(params=["duckdb", "pg"])
def warehouse(request: pytest.FixtureRequest) -> Warehouse:
    return request.getfixturevalue("demo_duckdb" if request.param == "duckdb" else "demo_pg")


def _latest(warehouse: Warehouse) -> dt.date:
    (month,) = warehouse_sql(warehouse, "SELECT max(month_start) FROM mart_churn_score")[0]
    return pd.Timestamp(month).date()


def test_refresh_scored_the_latest_months_and_the_data_tests_pass(warehouse: Warehouse) -> None:
    rows = warehouse_sql(
        warehouse,
        "SELECT month_start, count(*) FROM mart_churn_score GROUP BY month_start "
        "ORDER BY month_start",
    )
    assert len(rows) == churn_jobs.SCORE_HISTORY_MONTHS
    (as_of,) = warehouse_sql(warehouse, "SELECT as_of_month FROM meta_warehouse")[0]
    assert pd.Timestamp(rows[-1][0]) == pd.Timestamp(as_of)
    assert all(count > 100 for _, count in rows)
    engine = warehouse.reader()
    try:
        with engine.connect() as conn:
            assert run_data_tests(conn) == []
    finally:
        engine.dispose()


def test_a_wrong_score_row_fails_a_data_test(demo_duckdb: Warehouse, tmp_path: Path) -> None:
    copy = Warehouse(f"duckdb:///{tmp_path / 'w.duckdb'}")
    copy.path.write_bytes(demo_duckdb.path.read_bytes())
    engine = sa.create_engine(copy.url)
    try:
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "UPDATE mart_churn_score SET score_band = 'low', probability = 0.9 "
                    "WHERE customer_id = (SELECT min(customer_id) FROM mart_churn_score)"
                )
            )
        with engine.connect() as conn:
            failures = run_data_tests(conn)
    finally:
        engine.dispose()
    assert any("score_band" in f for f in failures)
    assert any("expected_assets_at_risk_rmb" in f for f in failures)


def test_the_ranking_follows_value_at_risk_and_the_totals_match(
    warehouse: Warehouse, viewers: Callable
) -> None:
    query.use_warehouse(warehouse)
    executive = viewers(warehouse)["executive"]
    month = _latest(warehouse)
    result = wl.watchlist(executive, Filters(), month, page_size=25)
    expected = warehouse_sql(
        warehouse,
        "SELECT customer_id, expected_assets_at_risk_rmb FROM mart_churn_score "
        "WHERE month_start = :m ORDER BY expected_assets_at_risk_rmb DESC, customer_id LIMIT 25",
        m=month,
    )
    assert result["rows"]["customer_id"].tolist() == [r[0] for r in expected]
    total, risk = warehouse_sql(
        warehouse,
        "SELECT count(*), sum(expected_assets_at_risk_rmb) FROM mart_churn_score "
        "WHERE month_start = :m",
        m=month,
    )[0]
    assert result["total"] == total
    assert result["total_at_risk_rmb"] == pytest.approx(float(risk), rel=1e-9)
    # Names leave the data layer masked.
    assert result["rows"]["full_name"].str.contains(r"\*").all()
    second = wl.watchlist(executive, Filters(), month, page=1, page_size=25)
    assert second["rows"]["rank"].iloc[0] == 26
    assert not set(second["rows"]["customer_id"]) & set(result["rows"]["customer_id"])
    by_probability = wl.watchlist(
        executive, Filters(), month, wl.WatchCriteria(order="probability"), page_size=10
    )
    assert by_probability["rows"]["probability"].is_monotonic_decreasing


def test_branch_head_and_wealth_manager_see_only_their_customers(
    warehouse: Warehouse, viewers: Callable
) -> None:
    query.use_warehouse(warehouse)
    people = viewers(warehouse)
    month = _latest(warehouse)
    head = people["branch_head"]
    rows = wl.watchlist(head, Filters(), month, page_size=100)
    (count,) = warehouse_sql(
        warehouse,
        "SELECT count(*) FROM mart_churn_score WHERE month_start = :m AND branch_id = :b",
        m=month,
        b=head.branch_id,
    )[0]
    assert rows["total"] == count > 0
    assert set(rows["rows"]["branch_id"]) == {head.branch_id}
    manager = people["wealth_manager"]
    own = wl.watchlist(manager, Filters(), month, page_size=100)
    assert own["total"] > 0
    assert set(own["rows"]["rm_staff_id"]) == {manager.staff_id}


def test_filters_and_capacity(warehouse: Warehouse, viewers: Callable) -> None:
    query.use_warehouse(warehouse)
    executive = viewers(warehouse)["executive"]
    month = _latest(warehouse)
    high = wl.watchlist(executive, Filters(), month, wl.WatchCriteria(bands=("high",)))
    (count,) = warehouse_sql(
        warehouse,
        "SELECT count(*) FROM mart_churn_score WHERE month_start = :m AND probability >= :p",
        m=month,
        p=definition.SCORE_BANDS[0][1],
    )[0]
    assert high["total"] == count
    capped = wl.watchlist(executive, Filters(), month, wl.WatchCriteria(top_n=2), page_size=100)
    (managers,) = warehouse_sql(
        warehouse,
        "SELECT count(DISTINCT coalesce(rm_staff_id, -1)) FROM mart_churn_score "
        "WHERE month_start = :m",
        m=month,
    )[0]
    assert capped["total"] <= 2 * managers
    per_rm = capped["rows"].groupby(capped["rows"]["rm_staff_id"].fillna(-1)).size()
    assert per_rm.max() <= 2
    reason = wl.watchlist(
        executive, Filters(), month, wl.WatchCriteria(reasons=("asset_drop",)), page_size=10
    )
    assert set(reason["rows"]["top_reason"]) <= {"asset_drop"}


def _customer(warehouse: Warehouse, month: dt.date, branch_id: int | None = None) -> int:
    sql = "SELECT min(customer_id) FROM mart_churn_score WHERE month_start = :m"
    if branch_id is not None:
        sql += " AND branch_id = :b"
        return warehouse_sql(warehouse, sql, m=month, b=branch_id)[0][0]
    return warehouse_sql(warehouse, sql, m=month)[0][0]


def test_recording_an_action_is_validated_idempotent_scoped_and_audited(
    warehouse: Warehouse, viewers: Callable, settings_store: str
) -> None:
    query.use_warehouse(warehouse)
    people = viewers(warehouse)
    head = people["branch_head"]
    month = _latest(warehouse)
    customer = _customer(warehouse, month, head.branch_id)
    action = retention.RetentionAction(
        customer_id=customer,
        watch_month=month,
        contact_type="callback",
        outcome="follow_up",
        next_step="bring the renewal form",
        follow_up_on=dt.date.today() + dt.timedelta(days=7),
        note="maturing deposit discussed",
        contact_id=retention.new_contact_id(),
    )
    first = retention.record_action(action, by=head)
    again = retention.record_action(action, by=head)  # a double submit
    assert first == again == action.contact_id
    history = retention.action_history(head, customer)
    assert history["contact_id"].tolist() == [action.contact_id]
    assert history["note"].iloc[0] == "maturing deposit discussed"
    assert retention.case_statuses(month) == {customer: "contacted"}
    audit = app_store.recent_audit(event="contact_record")
    assert len(audit) == 1 and app_store.parse_customer_ids(audit["customer_ids"][0]) == [customer]
    # The list shows the status, and the status filter finds it.
    row = wl.watchlist_customer(head, customer, month)
    assert row["status"].iloc[0] == "contacted"
    contacted = wl.watchlist(head, Filters(), month, wl.WatchCriteria(statuses=("contacted",)))
    assert contacted["rows"]["customer_id"].tolist() == [customer]
    still_open = wl.watchlist(head, Filters(), month, wl.WatchCriteria(statuses=("open",)))
    assert customer not in set(still_open["rows"]["customer_id"])
    assert still_open["total"] == wl.count_in_scope(head, month) - 1

    with pytest.raises(retention.RetentionError):
        retention.record_action(
            retention.RetentionAction(customer, month, "telepathy", "reached"), by=head
        )
    with pytest.raises(retention.RetentionError):
        retention.record_action(
            retention.RetentionAction(
                customer, month, "visit", "reached", follow_up_on=dt.date(2000, 1, 1)
            ),
            by=head,
        )
    other = _customer(warehouse, month)
    other_branch = warehouse_sql(
        warehouse,
        "SELECT min(customer_id) FROM mart_churn_score WHERE month_start = :m AND branch_id <> :b",
        m=month,
        b=head.branch_id,
    )[0][0]
    assert other is not None
    with pytest.raises(PermissionError):
        retention.record_action(
            retention.RetentionAction(other_branch, month, "callback", "reached"), by=head
        )
    with pytest.raises(PermissionError):
        retention.record_action(
            retention.RetentionAction(customer, month, "callback", "reached"),
            by=people["analyst"],
        )
    assert len(app_store.recent_audit(event="contact_record")) == 1


def test_assigning_a_case(warehouse: Warehouse, viewers: Callable, settings_store: str) -> None:
    query.use_warehouse(warehouse)
    people = viewers(warehouse)
    head = people["branch_head"]
    month = _latest(warehouse)
    customer = _customer(warehouse, month, head.branch_id)
    (staff,) = warehouse_sql(
        warehouse,
        "SELECT min(staff_id) FROM dim_staff WHERE branch_id = :b AND role = 'wealth_manager'",
        b=head.branch_id,
    )[0]
    retention.assign_case(customer, month, staff, by=head)
    row = wl.watchlist_customer(head, customer, month)
    assert int(row["assigned_staff_id"].iloc[0]) == staff
    assert row["status"].iloc[0] == "open"
    assert len(app_store.recent_audit(event="retention_update")) == 1
    (elsewhere,) = warehouse_sql(
        warehouse, "SELECT min(staff_id) FROM dim_staff WHERE branch_id <> :b", b=head.branch_id
    )[0]
    with pytest.raises(PermissionError):
        retention.assign_case(customer, month, elsewhere, by=head)
    with pytest.raises(PermissionError):
        retention.assign_case(customer, month, staff, by=people["wealth_manager"])


def test_the_follow_up_counts_retention_from_the_facts(
    warehouse: Warehouse, viewers: Callable, settings_store: str
) -> None:
    query.use_warehouse(warehouse)
    executive: Viewer = viewers(warehouse)["executive"]
    months = wl.scored_months(executive)
    watch = months[0]
    contacted = warehouse_sql(
        warehouse,
        "SELECT customer_id FROM mart_churn_score WHERE month_start = :m "
        "AND score_band IN ('high', 'medium') ORDER BY customer_id LIMIT 12",
        m=watch,
    )
    for (customer,) in contacted:
        retention.record_action(
            retention.RetentionAction(customer, watch, "visit", "reached"), by=executive
        )
    frame = wl.retention_followup(executive, Filters())
    assert set(frame["watch_month"]) == {pd.Timestamp(m) for m in months[:-1]}
    first = frame[frame["watch_month"] == pd.Timestamp(watch)]
    assert int(first.loc[first["action_type"] == "visit", "count_customers"].sum()) == 12
    check = pd.Timestamp(first["check_month"].iloc[0]).date()
    share = retention_rules.RETAINED_ASSET_SHARE
    expected = warehouse_sql(
        warehouse,
        """
        SELECT count(*),
               sum(CASE WHEN f.customer_id IS NOT NULL AND NOT f.is_closed
                         AND f.aum_rmb > :share * m.aum_rmb THEN 1 ELSE 0 END)
        FROM mart_churn_score m
        LEFT JOIN fact_customer_month f
          ON f.customer_id = m.customer_id AND f.month_start = :check
        WHERE m.month_start = :m AND m.score_band IN ('high', 'medium')
        """,
        m=watch,
        check=check,
        share=share,
    )[0]
    assert int(first["count_customers"].sum()) == expected[0]
    assert int(first["count_retained"].sum()) == expected[1]


def test_one_shared_pivot_scores_like_a_pivot_per_month(demo_duckdb: Warehouse) -> None:
    from analytics.churn import artifacts
    from analytics.churn.panel import add_months

    fitted, meta = artifacts.load_model()
    engine = demo_duckdb.reader()
    try:
        last = churn_data.month_range(engine)[1]
        first = add_months(last, -(churn_jobs.SCORE_HISTORY_MONTHS - 1))
        inputs = churn_data.read_inputs(engine, first, last)
    finally:
        engine.dispose()
    grid = artifacts.score_grid(inputs["panel"], first, last)
    for k in range(churn_jobs.SCORE_HISTORY_MONTHS):
        month = add_months(first, k)
        alone = artifacts.score_frame(fitted, meta, inputs, month)
        shared = artifacts.score_frame(fitted, meta, inputs, month, grid)
        assert len(alone) > 100
        pd.testing.assert_frame_equal(shared, alone)


def test_scoring_in_customer_chunks_gives_the_same_mart(
    demo_duckdb: Warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = Warehouse(f"duckdb:///{tmp_path / 'w.duckdb'}")
    copy.path.write_bytes(demo_duckdb.path.read_bytes())
    sql = "SELECT * FROM mart_churn_score ORDER BY month_start, customer_id"

    def scored() -> pd.DataFrame:
        engine = sa.create_engine(copy.url)
        try:
            churn_jobs.score_engine(engine, months=churn_jobs.SCORE_HISTORY_MONTHS)
            with engine.connect() as conn:
                return pd.read_sql(sa.text(sql), conn)
        finally:
            engine.dispose()

    whole = scored()
    monkeypatch.setattr(churn_jobs, "SCORE_CHUNK_IDS", 700)  # the demo's 3,000 in 5 chunks
    chunked = scored()
    assert whole["month_start"].nunique() == churn_jobs.SCORE_HISTORY_MONTHS
    pd.testing.assert_frame_equal(chunked, whole)


def test_cached_contact_counts_follow_a_new_contact(
    demo_duckdb: Warehouse, viewers: Callable, settings_store: str
) -> None:
    """Hongyan and My branch cache the contact counts under the contact log's stamp: a recorded
    contact shows on the next rerun, an unchanged log is served from the cache."""
    from data_access.filters import Filters
    from ui import scorecard_common as common

    query.use_warehouse(demo_duckdb)
    head = viewers(demo_duckdb)["branch_head"]
    month = _latest(demo_duckdb)
    filters = Filters(month=month)
    before = retention.contact_log_stamp()
    assert common.contacts_by_staff(head, filters).empty
    bands = ", ".join(f"'{band}'" for band in scorecard_rules.WATCHLIST_BANDS)
    (customer,) = warehouse_sql(
        demo_duckdb,
        "SELECT min(customer_id) FROM mart_churn_score WHERE month_start = :m "
        f"AND branch_id = :b AND rm_staff_id IS NOT NULL AND score_band IN ({bands})",
        m=month,
        b=head.branch_id,
    )[0]
    retention.record_action(
        retention.RetentionAction(
            customer_id=customer,
            watch_month=month,
            contact_type="callback",
            outcome="follow_up",
            contact_id=retention.new_contact_id(),
        ),
        by=head,
    )
    assert retention.contact_log_stamp() != before
    counts = common.contacts_by_staff(head, filters)
    assert counts["count_contacted"].sum() == 1
    watch = common.watchlist_by_manager(head, filters)
    assert watch["count_watchlist_contacted"].sum() == 1
