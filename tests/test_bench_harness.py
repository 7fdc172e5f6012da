"""The page benchmark harness (bench/bench_pages.py) works: one page, one persona, tiny warehouse.

A proof that the harness runs, not a timed test: no number is compared with a target here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import bench_pages
from bench.pagebench import querylog, report, summary
from data_access import app_store, query
from data_access.warehouse import Warehouse


@pytest.fixture
def isolated_env(monkeypatch: pytest.MonkeyPatch):
    """The harness points this process at its warehouse: put everything back afterwards."""
    for name in ("PCRM_WAREHOUSE_URL", "PCRM_WAREHOUSE_SCHEMA", "PCRM_APP_DB_URL"):
        monkeypatch.setenv(name, "unset-by-test")
    yield
    query.use_warehouse(None)
    app_store.dispose_engines()


def test_the_harness_times_a_page_and_attributes_its_queries(
    demo_duckdb: Warehouse, isolated_env: None, tmp_path: Path
) -> None:
    status = bench_pages.main(
        [
            "--warehouse-url", demo_duckdb.url, "--pages", "overview", "--personas", "analyst",
            "--repeats", "1", "--no-browser", "--out", str(tmp_path),
        ]
    )  # fmt: skip
    assert status == 0
    result = json.loads((tmp_path / "pages-3000x15-duckdb.json").read_text())
    assert result["meta"]["customers"] == 3000 and result["meta"]["months"] == 15
    [run] = result["apptest"]
    assert (run["page"], run["persona"]) == ("overview", "analyst")
    assert run["problems"] == []
    assert run["cold_median_s"] > 0 and run["warm_median_s"] > 0
    functions = {q["function"]: q for q in result["queries"]}
    # The page's own query and the shell's are named by the data_access function that sent them.
    page_query = functions["data_access.overview.monthly_totals"]
    assert page_query["cold_calls_per_run"] == 1
    assert page_query["warm_calls_per_run"] == 0  # served by the cache on the warm rerun
    assert "data_access.catalog.available_months" in functions
    table = (tmp_path / "pages-3000x15-duckdb.md").read_text()
    assert "| overview | analyst |" in table

    written = summary.write(tmp_path, docs=tmp_path)
    assert "| 3,000 | duckdb |" in written.read_text()
    assert (tmp_path / "performance-growth.svg").read_text().startswith("<svg")


def test_tabs_are_timed_one_by_one_and_each_really_opens(
    demo_duckdb: Warehouse, isolated_env: None, tmp_path: Path
) -> None:
    status = bench_pages.main(
        [
            "--warehouse-url", demo_duckdb.url, "--pages", "segments", "--personas", "analyst",
            "--repeats", "1", "--no-browser", "--tabs", "--out", str(tmp_path),
        ]
    )  # fmt: skip
    assert status == 0
    result = json.loads((tmp_path / "pages-3000x15-duckdb.json").read_text())
    pages = [run["page"] for run in result["apptest"]]
    assert pages == ["segments", "segments:groups", "segments:suitability", "segments:spending"]
    assert all(run["problems"] == [] for run in result["apptest"])
    functions = {(q["page"], q["function"]) for q in result["queries"]}
    # The groups tab reads the customer groups (the province's, as refresh fitted them, for the
    # analyst); the default tab does not.
    assert ("segments:groups", "data_access.customer_groups.stored_spec") in functions
    assert ("segments:groups", "data_access.customer_groups.cluster_sample") not in functions
    assert ("segments", "data_access.customer_groups.stored_spec") not in functions


def test_queries_are_attributed_to_the_calling_data_access_function() -> None:
    def send() -> str:
        return querylog.calling_function()

    namespace = {"__name__": "data_access.trends", "send": send}
    exec("def monthly():\n    return send()\n", namespace)
    assert namespace["monthly"]() == "data_access.trends.monthly"


def test_the_table_marks_each_target() -> None:
    result = {
        "meta": {
            "customers": 10,
            "months": 2,
            "backend": "duckdb",
            "repeats": 1,
            "commit": "x",
            "measured_at": "now",
        },
        "apptest": [
            {"page": "a", "persona": "analyst", "cold_median_s": 0.5, "warm_median_s": 0.3,
             "problems": []},
        ],
        "queries": [],
        "browser": {"pages": {"analyst": {"a": {"cold_s": 1.0, "warm_median_s": 2.5}}},
                    "server_memory_mb": {"VmHWM": 800.0}},
    }  # fmt: skip
    line = next(row for row in report.markdown(result).splitlines() if row.startswith("| a |"))
    assert line.endswith("| pass | **FAIL** | **FAIL** |")
    assert "800 MB (pass" in report.markdown(result)


def test_the_load_test_runs_sessions_side_by_side_without_crossings(
    demo_duckdb: Warehouse, isolated_env: None, chromium_path: Path, tmp_path: Path
) -> None:
    """Three sessions (executive, branch head, analyst) for a few seconds: every render timed,
    no error box, and the branch head's pages name their own branch and no other."""
    from bench import bench_concurrency

    status = bench_concurrency.main(
        [
            "--warehouse-url", demo_duckdb.url, "--sessions", "3", "--seconds", "8",
            "--chromium", str(chromium_path), "--out", str(tmp_path),
        ]
    )  # fmt: skip
    result = json.loads((tmp_path / "load-3000x15-duckdb.json").read_text())
    assert status == 0, [(s["errors"], s["crossings"]) for s in result["sessions"]]
    assert [s["persona"] for s in result["sessions"]] == ["executive", "branch_head", "analyst"]
    assert all(s["renders"] > 0 for s in result["sessions"])
    assert result["errors"] == 0 and result["crossings"] == 0
    assert result["server_tracebacks"] == []
    head = result["sessions"][1]
    assert head["branch"] and head["own_branch_seen_on_renders"] > 0
    assert result["overall"]["p95_s"] >= result["overall"]["p50_s"] > 0
    assert "| 1 | branch_head |" in (tmp_path / "load-3000x15-duckdb.md").read_text()


def test_a_page_showing_another_branch_counts_as_a_crossing() -> None:
    from bench import bench_concurrency

    session = bench_concurrency.Session(0, "branch_head", "my_branch", ["my_branch"])
    session.branch_name = "Dongcheng Township Branch"
    others = ["Lanzhou Xinqu Branch"]
    text = "My branch: Dongcheng Township Branch. Compare: Lanzhou Xinqu Branch"
    bench_concurrency._check_crossings(session, others, text, "my_branch")
    assert session.own_name_seen == 1
    assert session.crossings == ["my_branch: shows 'Lanzhou Xinqu Branch'"]


def test_the_load_test_names_the_command_that_builds_a_missing_bench_warehouse(
    capsys: pytest.CaptureFixture,
) -> None:
    from bench import bench_concurrency

    with pytest.raises(SystemExit) as stopped:
        bench_concurrency.main(["--customers", "7", "--months", "2", "--sessions", "1"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "warehouse-7x2.duckdb" in err
    assert "bench_pages.py --customers 7 --months 2 --backend duckdb --build-only" in err
