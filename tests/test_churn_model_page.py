"""The churn model page in AppTest: the numbers come from the saved model's metadata, and only
analysts and managers may open it."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from analytics.churn import artifacts
from data_access.warehouse import Warehouse
from tests.test_app_shell import first_branches, new_app, sign_in, texts
from tests.test_numbers_on_screen import shown_cells

PAGE = "pages/churn_model.py"


def test_the_analyst_sees_the_validation_of_the_model_in_use(
    demo_duckdb: Warehouse, app_store_url: str
) -> None:
    at = sign_in(new_app().switch_page(PAGE), "analyst")
    assert not at.exception, at.exception
    meta = artifacts.load_metadata()
    model = meta["metrics"]["model"]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["ROC AUC"] == f"{model['roc_auc']:.3f}"
    assert metrics["Lift at 10% 前10%提升度"] == f"{model['lift_at_10pct']:.2f}×"
    shown = texts(at)
    assert meta["version"] in shown
    comparison = next(d.value for d in at.dataframe if "Method" in d.value.columns)
    assert comparison["Method"].tolist() == [
        "Model (gradient boosting)",
        "Logistic regression",
        "Rule: assets down 30% in 3 months",
    ]
    assert comparison["ROC AUC"].tolist()[1] == meta["metrics"]["logistic"]["roc_auc"]
    # ROC, precision-recall, calibration, capture and importance charts are drawn.
    assert len(at.get("plotly_chart")) >= 5


def test_each_churn_path_shows_its_auc_lift_and_capture(
    demo_duckdb: Warehouse, app_store_url: str
) -> None:
    at = sign_in(new_app().switch_page(PAGE), "analyst")
    assert not at.exception, at.exception
    by_path = artifacts.load_metadata()["metrics"]["model_by_path"]
    assert by_path  # the test demo has enough churners on at least one path
    table = next(d for d in at.dataframe if "How they churned" in d.value.columns)
    cells = shown_cells(table)
    assert len(cells) == len(by_path)
    lifts = [f"{values['lift_at_10pct']:.2f}" for values in by_path.values()]
    assert cells["Lift at 10% 前10%提升度"].tolist() == lifts
    assert "Captured in top 10% 前10%捕获率" in cells.columns


def test_a_saved_backtest_is_shown_by_month(
    demo_duckdb: Warehouse, app_store_url: str, tmp_path: Path
) -> None:
    origin = {
        "origin": "2026-05",
        "n_test": 1200,
        "positive_rate": 0.031,
        "model": {"roc_auc": 0.81, "capture_at_10pct": 0.5},
        "logistic": {"roc_auc": 0.78},
        "rule": {"roc_auc": 0.66},
    }
    saved = {"origins": [origin], "data_as_of_month": "2026-09", "run_at": "2026-10-02T08:00"}
    path = artifacts.save_backtest(saved)
    try:
        at = sign_in(new_app().switch_page(PAGE), "executive")
        assert not at.exception, at.exception
        table = next(d for d in at.dataframe if "Month" in d.value.columns)
        # Each origin month as the app writes a month; its month start underneath, to sort by.
        assert shown_cells(table)["Month"].tolist() == ["May 2026"]
        assert table.value["Month"].tolist() == [pd.Timestamp("2026-05-01")]
        assert shown_cells(table)["Customers"].tolist() == ["1,200"]
        assert "Run on 2 Oct 2026" in texts(at)
    finally:
        path.unlink()
    assert json.loads(json.dumps(saved))  # the file format is plain JSON


def test_a_branch_head_may_not_open_it(demo_duckdb: Warehouse, app_store_url: str) -> None:
    branch = first_branches(demo_duckdb, 1)[0]
    at = sign_in(new_app().switch_page(PAGE), "branch_head", branch)
    assert not at.exception, at.exception
    shown = texts(at)
    # The page is not in a branch head's navigation: the app opens their home page instead
    # (or refuses, when reached directly); the model's evaluation is never shown.
    assert "Out-of-time validation" not in shown and "ROC AUC" not in shown
