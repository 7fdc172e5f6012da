"""The scorecard data layer on DuckDB and PostgreSQL: numbers equal independent SQL on the
facts, a branch head gets only their branch, contacts respect the scope, and the inspection
upload saves everything or nothing."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import uuid
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from analytics import targets as target_calc
from catalogue import metrics
from data_access import app_store, branch, inspections, query, scorecards
from data_access.audit_search import AuditQuery, search_audit
from data_access.filters import Filters
from data_access.viewer import Viewer
from data_access.warehouse import Warehouse
from tests import test_app_shell


def warehouse_sql(warehouse: Warehouse, sql: str, **params: object) -> list[tuple]:
    """Raw SQL on the warehouse, independent of the data layer (PostgreSQL: in its schema)."""
    if warehouse.pg_schema is None or warehouse.is_duckdb:
        return test_app_shell.warehouse_sql(warehouse, sql, **params)
    engine = sa.create_engine(
        warehouse.url, connect_args={"options": f"-csearch_path={warehouse.pg_schema}"}
    )
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(sa.text(sql), params)]
    finally:
        engine.dispose()


def as_of_month(warehouse: Warehouse) -> dt.date:
    return warehouse_sql(warehouse, "SELECT as_of_month FROM meta_warehouse")[0][0]


@pytest.fixture(params=["duckdb", "pg"])
def warehouse(request: pytest.FixtureRequest) -> Warehouse:
    name = "demo_duckdb" if request.param == "duckdb" else "demo_pg"
    found = request.getfixturevalue(name)
    query.use_warehouse(found)
    return found


def _executive() -> Viewer:
    return Viewer("t-exec", "executive")


def test_six_s_rows_and_service_months_match_the_facts(warehouse: Warehouse) -> None:
    month = as_of_month(warehouse)
    rows = scorecards.six_s_rows(_executive(), Filters(month=month))
    expected = warehouse_sql(
        warehouse,
        "SELECT count(*), sum(score_safety) FROM fact_6s_inspection WHERE quarter_start <= :m",
        m=month,
    )[0]
    assert len(rows) == expected[0]
    assert rows["score_safety"].sum() == pytest.approx(float(expected[1]))
    service = scorecards.service_months(_executive(), Filters(month=month))
    count = warehouse_sql(
        warehouse,
        "SELECT count(*) FROM fact_service_quality_month WHERE month_start <= :m",
        m=month,
    )[0][0]
    assert len(service) == count


def test_branch_months_and_coverage_match_customer_facts(warehouse: Warehouse) -> None:
    month = as_of_month(warehouse)
    totals = scorecards.branch_months(_executive(), Filters(month=month))
    now = totals[totals["month_start"] == pd.Timestamp(month)].set_index("branch_id")
    facts = warehouse_sql(
        warehouse,
        """
        SELECT branch_id, sum(aum_rmb),
               sum(CASE WHEN NOT is_closed THEN 1 ELSE 0 END),
               sum(CASE WHEN is_new THEN 1 ELSE 0 END),
               sum(CASE WHEN NOT is_closed AND count_core_products >= 3 THEN 1 ELSE 0 END)
        FROM fact_customer_month WHERE month_start = :m GROUP BY branch_id
        """,
        m=month,
    )
    coverage = scorecards.core_coverage(_executive(), Filters(month=month), (month,))
    coverage = coverage.set_index("branch_id")
    for branch_id, aum, customers, new, covered in facts:
        assert now.loc[branch_id, "aum_rmb"] == pytest.approx(float(aum))
        assert now.loc[branch_id, "count_customers"] == customers
        assert now.loc[branch_id, "count_new"] == new
        assert coverage.loc[branch_id, "coverage_pct"] == pytest.approx(covered / customers * 100)


def test_targets_and_sales_match_the_facts(warehouse: Warehouse) -> None:
    month = as_of_month(warehouse)
    targets = scorecards.branch_targets(_executive(), Filters(month=month))
    expected = warehouse_sql(
        warehouse,
        "SELECT count(*) FROM fact_target WHERE target_level = 'branch' "
        "AND period_start <= :m AND period_end >= :m",
        m=month,
    )[0][0]
    assert len(targets) == expected > 0
    sales = scorecards.wealth_sales_months(_executive(), Filters(month=month))
    total = warehouse_sql(
        warehouse,
        "SELECT sum(s.amount_rmb) FROM fact_product_sale s JOIN dim_product p "
        "ON p.product_id = s.product_id WHERE p.category = 'wealth' AND s.month_start <= :m",
        m=month,
    )[0][0]
    assert sales["wealth_sales_rmb"].sum() == pytest.approx(float(total))
    staff = branch.staff_sales(_executive(), Filters(month=month))
    count = warehouse_sql(
        warehouse,
        "SELECT count(*) FROM fact_product_sale s JOIN dim_product p "
        "ON p.product_id = s.product_id WHERE p.category <> 'loan' AND s.month_start = :m",
        m=month,
    )[0][0]
    assert staff["count_products_sold"].sum() == count


def test_the_series_of_the_target_metrics_and_the_target_card(warehouse: Warehouse) -> None:
    """metric_series returns each series a list of metrics reads (branch_id, date, value) from
    its one query; the target card's AUM growth is the month's AUM minus the opening month's."""
    month = as_of_month(warehouse)
    everything = Filters(month=month)
    targets = scorecards.branch_targets(_executive(), everything)
    openings = target_calc.opening_months(targets["period_start"])
    months = tuple(sorted(openings | {month}))
    series = scorecards.metric_series(_executive(), everything, metrics.target_codes(), months)
    assert set(series) == {m.series for m in metrics.TARGET_METRICS}
    totals = scorecards.branch_months(_executive(), everything)
    assert series["aum"]["value"].sum() == pytest.approx(totals["aum_rmb"].sum())
    assert series["aum_avg"]["value"].sum() == pytest.approx(totals["aum_avg_rmb"].sum())
    assert list(series["six_s_score"].columns) == ["branch_id", "inspected_on", "value"]
    read = pd.to_datetime(series["core_bundle_coverage"]["month_start"])
    assert {stamp.date() for stamp in read} <= set(months)
    only = scorecards.metric_series(_executive(), everything, ["vip_customers", "unknown"], months)
    assert list(only) == ["vip_customers"]

    card = scorecards.target_card(_executive(), everything)
    assert len(card) == len(targets) and set(card["light"]) <= {"green", "amber", "red"}
    assert card["actual"].notna().all()
    # The demo's AUM-growth target is on the daily average (日均增量).
    year = card[(card["metric"] == "aum_avg_growth_rmb") & (card["period_kind"] == "year")]
    year = year.iloc[0]
    mine = totals[totals["branch_id"] == year["branch_id"]].set_index("month_start")
    aum = mine["aum_avg_rmb"]
    opening = pd.Timestamp(year["period_start"]) - pd.DateOffset(months=1)
    assert year["start_value"] == pytest.approx(aum[opening])
    assert year["actual"] == pytest.approx(aum[pd.Timestamp(month)] - aum[opening])
    assert scorecards.target_card(_executive(), Filters()).empty


def test_a_branch_head_gets_only_their_branch(warehouse: Warehouse, viewers) -> None:
    head = viewers(warehouse)["branch_head"]
    month = as_of_month(warehouse)
    everything = Filters(month=month)
    frames = [
        scorecards.six_s_rows(head, everything),
        scorecards.service_months(head, everything),
        scorecards.branch_months(head, everything),
        scorecards.wealth_sales_months(head, everything),
        scorecards.core_coverage(head, everything, (month,)),
        scorecards.branch_targets(head, everything),
        branch.wealth_managers(head, everything),
        branch.staff_roles(head, everything),
        branch.staff_books(head, everything, (month,)),
    ]
    for frame in frames:
        assert not frame.empty
        assert set(frame["branch_id"]) == {head.branch_id}
    watch = branch.watchlist_by_branch(head, everything)
    assert watch is None or set(watch["branch_id"]) <= {head.branch_id}
    staff = set(branch.wealth_managers(head, everything)["staff_id"])
    sold = set(branch.staff_sales(head, everything)["staff_id"])
    own = {
        r[0]
        for r in warehouse_sql(
            warehouse, "SELECT staff_id FROM dim_staff WHERE branch_id = :b", b=head.branch_id
        )
    }
    assert staff <= own and sold <= own


def test_contacts_follow_the_scope(
    demo_duckdb: Warehouse, viewers, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PCRM_APP_DB_URL", f"sqlite:///{tmp_path / 'app.sqlite'}")
    app_store.dispose_engines()
    query.use_warehouse(demo_duckdb)
    head = viewers()["branch_head"]
    wm = viewers()["wealth_manager"]
    month = as_of_month(demo_duckdb)
    other = warehouse_sql(
        demo_duckdb,
        "SELECT min(branch_id) FROM dim_branch WHERE branch_id <> :b",
        b=head.branch_id,
    )[0][0]
    with app_store.app_engine().begin() as conn:
        for branch_id, staff, customer in (
            (head.branch_id, 11, 1),
            (head.branch_id, 11, 2),
            (other, 12, 3),
            (wm.branch_id, wm.staff_id, 4),
        ):
            conn.execute(
                sa.insert(app_store.contact_log).values(
                    contact_id=str(uuid.uuid4()),
                    customer_id=customer,
                    branch_id=branch_id,
                    staff_id=staff,
                    user_id="t",
                    contact_type="callback",
                    outcome="reached",
                    created_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
                )
            )
    seen = branch.contacts_by_staff(head, Filters(month=month)).set_index("staff_id")
    assert seen.loc[11, "count_contacted"] == 2
    assert 12 not in seen.index
    everyone = branch.contacts_by_staff(Viewer("t-exec", "executive"), Filters(month=month))
    assert set(everyone["staff_id"]) >= {11, 12}
    own = branch.contacts_by_staff(wm, Filters(month=month))
    assert set(own["staff_id"]) == {wm.staff_id}
    app_store.dispose_engines()


# ------------------------------------------------------------------ inspection upload

GOOD = {
    f"score_{code}": "88.5"
    for code in ("sort", "set_in_order", "shine", "standardise", "safety", "self_discipline")
}


def _upload(branch_id: int, day: str, areas=inspections.AREAS, **override) -> pd.DataFrame:
    rows = [
        {
            "branch_id": str(branch_id),
            "inspected_on": day,
            "area": area,
            "inspector_name": "王伟",
            **GOOD,
        }
        for area in areas
    ]
    frame = pd.DataFrame(rows)
    for column, value in override.items():
        frame.loc[0, column] = value
    return frame


def test_validation_reports_every_problem_with_its_row() -> None:
    today = dt.date(2026, 11, 1)
    check = inspections.validate(_upload(1, "2026-10-12"), {1, 2}, {1}, recorded=set(), today=today)
    assert check.ok and len(check.rows) == 4
    bad = pd.concat(
        [
            _upload(1, "2026-10-12", score_safety="101"),
            _upload(2, "2026-10-13"),
            _upload(9, "2026-10-14"),
            _upload(1, "2026-12-01"),
            _upload(1, "2026-10-15", areas=("cash", "lobby", "lobby")),
            _upload(1, "12/10/2026"),
        ],
        ignore_index=True,
    )
    problems = inspections.validate(
        bad, {1, 2}, {1}, recorded={(1, dt.date(2026, 10, 12))}, today=today
    ).problems
    reasons = set(problems["reason"])
    assert {
        "bad_score",
        "out_of_scope",
        "unknown_branch",
        "future_date",
        "duplicate_row",
        "incomplete_inspection",
        "bad_date",
        "already_recorded",
    } <= reasons
    assert problems.loc[problems["reason"] == "bad_score", "row"].tolist() == [2]
    missing = inspections.validate(pd.DataFrame({"branch_id": ["1"]}), {1}, {1}, set())
    assert missing.problems.loc[0, "reason"] == "missing_columns" and not missing.ok


def test_a_valid_upload_is_saved_as_a_new_version(
    demo_duckdb: Warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PCRM_APP_DB_URL", f"sqlite:///{tmp_path / 'app.sqlite'}")
    app_store.dispose_engines()
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(demo_duckdb.path, copy)
    target = Warehouse(f"duckdb:///{copy}")
    executive = Viewer("t-exec", "executive")
    query.use_warehouse(target)
    before = warehouse_sql(target, "SELECT count(*), max(inspection_id) FROM fact_6s_inspection")[0]
    check = inspections.validate(_upload(1, "2026-10-20"), {1}, {1}, set())
    analyst = Viewer("t-analyst", "analyst")
    with pytest.raises(inspections.UploadRejected):
        inspections.save_inspections(analyst, check, target)
    assert inspections.save_inspections(executive, check, target) == 4
    after = warehouse_sql(
        target,
        "SELECT count(*), min(inspection_id), max(inspection_id), min(quarter_start) "
        "FROM fact_6s_inspection WHERE inspected_on = :d AND branch_id = 1",
        d=dt.date(2026, 10, 20),
    )[0]
    assert after[0] == 4 and after[1] == after[2] == before[1] + 1
    assert after[3] == dt.date(2026, 10, 1)
    assert (1, dt.date(2026, 10, 20)) in inspections.recorded_inspections(executive, target)
    # The same upload again is rejected inside the build; nothing more is written.
    with pytest.raises(inspections.UploadRejected):
        inspections.save_inspections(executive, check, target)
    total = warehouse_sql(target, "SELECT count(*) FROM fact_6s_inspection")[0][0]
    assert total == before[0] + 4
    # The one upload that went in is on record, with what it wrote.
    logged, count = search_audit(AuditQuery(events=("inspection_upload",)))
    assert count == 1 and logged["user_id"].tolist() == ["t-exec"]
    assert json.loads(logged["detail"][0]) == {
        "branches": [1],
        "inspected_on": ["2026-10-20"],
        "rows": 4,
    }
