"""The data-quality page in AppTest: last load, as-of month, rows per table and month, refused
extracts and the data tests, checked against independent SQL and the load journal."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from data_access import app_store
from data_access.extracts import ExtractRejected, load_extracts
from data_access.viewer import Viewer
from data_access.warehouse import Warehouse
from tests.test_app_shell import new_app, use_stores, warehouse_sql
from tests.test_extracts import CUSTOMERS, SAMPLE, TODAY, copy_sample, set_value
from ui import formatting as fmt
from ui.i18n import translate

PAGE = "pages/data_quality.py"


@pytest.fixture
def loaded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Warehouse]:
    """The sample loaded once, then a refused extract (one bad mobile number), in the journal."""
    monkeypatch.setenv("PCRM_LOAD_JOURNAL_DIR", str(tmp_path / "journal"))
    warehouse = Warehouse(f"duckdb:///{tmp_path / 'warehouse.duckdb'}")
    load_extracts(warehouse, SAMPLE, today=TODAY)
    bad = copy_sample(tmp_path / "bad")
    set_value(CUSTOMERS, 6, "mobile", "12345678901")(bad)
    with pytest.raises(ExtractRejected):
        load_extracts(warehouse, bad, today=TODAY)
    use_stores(monkeypatch, warehouse.url, tmp_path)
    yield warehouse
    app_store.dispose_engines()


def open_page(role: str) -> AppTest:
    at = new_app()
    at.session_state["pcrm_viewer"] = Viewer(f"t-{role}", role, role.title())
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def find(at: AppTest, column_key: str):
    """The first table on the page with the column labelled ``column_key`` (None if none)."""
    column = label(column_key)
    return next((f.value for f in at.dataframe if column in f.value.columns), None)


def label(key: str) -> str:
    return translate(key, "en")


def test_analyst_sees_the_load_rows_and_the_refused_extract(loaded: Warehouse) -> None:
    at = open_page("analyst")
    assert at.title[0].value == translate("page.data_quality", "en")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[label("quality.as_of")] == fmt.month(dt.date(2026, 9, 1), "en")
    assert f"**{label('quality.source_load')}**" in " ".join(c.value for c in at.caption)
    assert metrics[label("quality.refused")] == "1"
    loads = find(at, "quality.col_tables")
    total = sum(
        warehouse_sql(loaded, f"SELECT count(*) FROM {name}")[0][0]
        for name in ("dim_customer", "fact_customer_month", "dim_branch")
    )
    assert len(loads) == 1 and loads[label("quality.col_tables")].iloc[0] == 15
    assert loads[label("quality.col_rows")].iloc[0] > total
    counts = find(at, "quality.col_layer").set_index(label("quality.col_table"))
    assert counts.loc["fact_customer_month", label("quality.col_rows")] == 88
    by_month = find(at, "quality.col_month").set_index(label("quality.col_month"))
    expected = dict(
        warehouse_sql(
            loaded, "SELECT month_start, count(*) FROM fact_customer_month GROUP BY 1 ORDER BY 1"
        )
    )
    assert {m: by_month.loc[fmt.month(m, "en"), "fact_customer_month"] for m in expected} == (
        expected
    )
    attempts = find(at, "quality.col_started_at")
    assert list(attempts[label("quality.col_status")]) == [
        label("quality.status_rejected"),
        label("quality.status_loaded"),
    ]
    report = find(at, "quality.col_rule")
    row = report[report[label("quality.col_rule")] == "mobile_format"].iloc[0]
    assert (row[label("quality.col_line")], row[label("quality.col_value")]) == (6, "123****8901")


def test_the_data_tests_run_again_on_demand(loaded: Warehouse) -> None:
    at = open_page("executive")
    at.button(key="quality_run_tests").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("All ") and at.success[0].value.endswith("pass.")
    checks = find(at, "quality.col_check")
    assert checks[label("quality.col_passed")].all()


def test_admin_sees_loads_but_no_rows(loaded: Warehouse) -> None:
    at = open_page("admin")
    assert label("quality.no_rows_scope") in [i.value for i in at.info]
    assert find(at, "quality.col_tables") is not None
    assert find(at, "quality.col_started_at") is not None
    assert find(at, "quality.col_layer") is None and find(at, "quality.col_month") is None
    assert not [b for b in at.button if b.key == "quality_run_tests"]


def test_branch_heads_cannot_open_the_page(loaded: Warehouse) -> None:
    at = new_app()
    at.session_state["pcrm_viewer"] = Viewer("t-head", "branch_head", "Head", branch_id=101)
    at.switch_page(PAGE).run()
    assert translate("page.data_quality", "en") not in [t.value for t in at.title]


def test_old_data_raises_the_stale_banner(loaded: Warehouse, monkeypatch) -> None:
    # Built and refreshed ten days ago, with a limit of one day (the smallest the setting takes).
    old = dt.datetime.now() - dt.timedelta(days=10)
    with duckdb.connect(str(loaded.path)) as conn:
        conn.execute("UPDATE meta_warehouse SET built_at = ?, refreshed_at = ?", [old, old])
    monkeypatch.setenv("PCRM_STALE_AFTER_DAYS", "1")
    at = open_page("analyst")
    warnings = [w.value for w in at.warning]
    assert any("days ago" in w for w in warnings)  # the banner every page shows
    assert any("PCRM_STALE_AFTER_DAYS" in w for w in warnings)  # the page's own notice


def test_a_demo_warehouse_says_nothing_was_loaded(
    demo_duckdb: Warehouse, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PCRM_LOAD_JOURNAL_DIR", str(tmp_path / "journal"))
    copy = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_duckdb.path, copy)
    use_stores(monkeypatch, f"duckdb:///{copy}", tmp_path)
    try:
        at = open_page("analyst")
        infos = [i.value for i in at.info]
        assert label("quality.no_loads_demo") in infos and label("quality.no_attempts") in infos
        captions = " ".join(c.value for c in at.caption)
        assert f"**{label('quality.source_demo')}**" in captions
    finally:
        app_store.dispose_engines()
