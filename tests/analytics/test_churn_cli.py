"""``python -m cli churn train|score|backtest`` on the small shared demo warehouse."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

import cli
from analytics.churn import definition, reasons
from analytics.churn.panel import add_months
from data_access import churn_data as data
from data_access import schema
from data_access.warehouse import Warehouse


@pytest.fixture(scope="module")
def churn_demo(demo_duckdb: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """A private copy of the shared demo (scoring swaps a new version in)."""
    path = tmp_path_factory.mktemp("churn-demo") / "warehouse.duckdb"
    shutil.copyfile(demo_duckdb.path, path)
    return Warehouse(f"duckdb:///{path}")


def _run(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, list[str], str]:
    code = cli.main(["churn", *args])
    captured = capsys.readouterr()
    return code, captured.out.strip().splitlines(), captured.err


def _count(warehouse: Warehouse, table: sa.Table) -> int:
    engine = warehouse.reader()
    try:
        with engine.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar()
    finally:
        engine.dispose()


def test_train_then_score_writes_the_mart(churn_demo: Warehouse, tmp_path: Path, capsys) -> None:
    models = tmp_path / "models"
    url = churn_demo.url
    code, lines, err = _run(
        capsys, "train", "--url", url, "--model-dir", str(models), "--train-cutoffs", "3"
    )
    assert code == 0, err
    meta = json.loads(lines[-1])
    assert meta["data_as_of_month"] == "2026-09"
    assert meta["train_cutoffs"][-1] == "2026-06"  # the last cut-off with a whole label window
    assert meta["metrics"]["model"]["roc_auc"] > 0.5
    assert {"lift_curve", "calibration"} <= set(meta["metrics"])
    assert "aum_change_3m" in meta["numeric_features"]
    saved = json.loads((models / f"{meta['version']}.json").read_text())
    assert saved["version"] == json.loads((models / "latest.json").read_text())["version"]
    assert (models / f"{meta['version']}.joblib").exists()

    facts_before = _count(churn_demo, schema.fact_customer_month)
    version_before = churn_demo.version()
    code, lines, err = _run(capsys, "score", "--url", url, "--model-dir", str(models))
    assert code == 0, err
    summary = json.loads(lines[-1])
    assert churn_demo.version() != version_before  # a new version was swapped in
    assert _count(churn_demo, schema.fact_customer_month) == facts_before
    engine = churn_demo.reader()
    try:
        scores = data.read_scores(engine)
        panel = data.read_panel(engine, dt.date(2026, 1, 1), dt.date(2026, 9, 1))
    finally:
        engine.dispose()
    eligible = definition.eligible_customers(panel, dt.date(2026, 9, 1))
    assert summary["scored"] == len(scores) == len(eligible) > 0
    assert set(scores["customer_id"]) == set(eligible["customer_id"])
    assert (pd.to_datetime(scores["month_start"]) == pd.Timestamp("2026-09-01")).all()
    assert scores["probability"].between(0, 1).all()
    expected = scores["probability"] * scores["aum_rmb"]
    assert (scores["expected_assets_at_risk_rmb"] - expected).abs().max() < 0.02
    assert scores["expected_assets_at_risk_rmb"].is_monotonic_decreasing
    assert set(scores["score_band"]) <= {code for code, *_ in definition.SCORE_BANDS}
    assert (scores["model_version"] == meta["version"]).all()
    assert scores["branch_id"].notna().all()
    some = scores.loc[scores["top_reason"].notna()].iloc[0]
    assert reasons.render_reasons(some["reason_codes"], "zh")
    assert json.loads(some["reason_codes"])[0]["code"] == some["top_reason"]


def test_backtest_prints_one_json_line_without_leakage(churn_demo: Warehouse, capsys) -> None:
    code, lines, err = _run(
        capsys, "backtest", "--url", churn_demo.url, "--origins", "2", "--train-cutoffs", "3"
    )
    assert code == 0, err
    result = json.loads(lines[-1])
    for name in ("model", "logistic", "rule"):
        assert {"roc_auc", "pr_auc", "lift_at_10pct", "capture_at_10pct"} <= set(result[name])
    assert [o["origin"] for o in result["origins"]] == ["2026-05", "2026-06"]
    for origin in result["origins"]:
        start = pd.Timestamp(origin["origin"] + "-01").date()
        last_allowed = add_months(start, -definition.LABEL_WINDOW_MONTHS)
        assert all(pd.Timestamp(c + "-01").date() <= last_allowed for c in origin["train_cutoffs"])


def test_score_without_a_model_and_train_without_a_warehouse(tmp_path: Path, capsys) -> None:
    code, _, err = _run(
        capsys,
        "score",
        "--url",
        f"duckdb:///{tmp_path / 'w.duckdb'}",
        "--model-dir",
        str(tmp_path / "none"),
    )
    assert code == 1 and "no trained churn model" in err
    code, _, err = _run(capsys, "train", "--url", f"duckdb:///{tmp_path / 'absent.duckdb'}")
    assert code == 1 and "absent.duckdb" in err
