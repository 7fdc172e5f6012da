"""``python -m cli churn evaluate`` on small labelled tables with known structure."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cli
from analytics.churn import tabular


def _messy_number(rng: np.random.Generator, value: float) -> str:
    """The same number as an analyst's extract might hold it."""
    forms = (f"{value:,.1f}", f" {value:.0f} ", f"{value:.2f}", f"¥{value:,.0f}")
    return forms[int(rng.integers(len(forms)))]


def _table(rng: np.random.Generator, n: int, signal: bool) -> pd.DataFrame:
    balance = rng.lognormal(10, 1, n)
    falling = rng.normal(0, 1, n)
    logit = (2.5 * falling - 3.0) if signal else np.full(n, -1.5)
    churned = rng.random(n) < 1 / (1 + np.exp(-logit))
    frame = pd.DataFrame(
        {
            "customer_no": [f"C{i:06d}" for i in range(n)],
            "balance": [_messy_number(rng, v) for v in balance],
            "fall_3m": [_messy_number(rng, v * 1000) for v in falling],
            "occupation": rng.choice(["farmer", "retiree", "teacher", "migrant"], n),
            "opened": pd.Timestamp("2015-01-01") + pd.to_timedelta(rng.integers(0, 3000, n), "D"),
            "churned": np.where(churned, "yes", "no"),
        }
    )
    frame["opened"] = frame["opened"].dt.strftime("%Y/%m/%d")
    for column in ("balance", "fall_3m", "occupation"):
        frame.loc[rng.random(n) < 0.08, column] = rng.choice(["", "NULL", "-"])
    return frame


def _run(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, list[str], str]:
    code = cli.main(["churn", "evaluate", *args])
    captured = capsys.readouterr()
    return code, captured.out.strip().splitlines(), captured.err


def test_signal_is_found_through_messy_numbers(tmp_path: Path, capsys) -> None:
    path = tmp_path / "signal.csv"
    _table(np.random.default_rng(1), 900, signal=True).to_csv(path, index=False)
    code, lines, _ = _run(
        capsys, "--csv", str(path), "--label", "churned", "--id", "customer_no", "--folds", "3"
    )
    assert code == 0
    result = json.loads(lines[-1])
    assert len(lines) > 3  # progress lines come first
    assert result["roc_auc"] > 0.8  # about 0.85-0.89 across seeds
    assert result["lift_at_10pct"] > 2.0
    assert result["n"] == 900
    assert result["positive_value"] == "yes"
    assert 0.05 < result["positive_rate"] < 0.3
    assert set(result["numeric_columns"]) == {"balance", "fall_3m"}
    assert result["date_columns"] == ["opened"]
    assert result["categorical_columns"] == ["occupation"]
    assert "customer_no" not in json.dumps(result)


def test_pure_noise_scores_near_a_coin_toss(tmp_path: Path, capsys) -> None:
    path = tmp_path / "noise.csv"
    _table(np.random.default_rng(2), 900, signal=False).to_csv(path, index=False)
    code, lines, _ = _run(capsys, "--csv", str(path), "--label", "churned", "--folds", "3")
    assert code == 0
    result = json.loads(lines[-1])
    assert 0.38 < result["roc_auc"] < 0.62
    # customer_no has a distinct value per row: ignored as an identifier even without --id.
    assert "customer_no" in result["ignored_columns"]


def test_gbk_file_with_chinese_labels_and_explicit_positive(tmp_path: Path, capsys) -> None:
    rng = np.random.default_rng(3)
    n = 300
    x = rng.normal(size=n)
    frame = pd.DataFrame(
        {
            "余额": [f"{v * 1000:,.2f}" for v in x],
            "状态": np.where(rng.random(n) < 1 / (1 + np.exp(-3 * x)), "流失", "正常"),
        }
    )
    path = tmp_path / "gbk.csv"
    frame.to_csv(path, index=False, sep=";", encoding="gb18030")
    code, lines, _ = _run(
        capsys, "--csv", str(path), "--label", "状态", "--positive", "流失", "--folds", "3"
    )
    assert code == 0
    result = json.loads(lines[-1])
    assert result["positive_value"] == "流失" and result["roc_auc"] > 0.8


def test_clear_errors(tmp_path: Path, capsys) -> None:
    path = tmp_path / "t.csv"
    pd.DataFrame({"x": [1, 2, 3, 4], "y": ["no", "no", "no", "no"]}).to_csv(path, index=False)
    code, _, err = _run(capsys, "--csv", str(path), "--label", "churn")
    assert code == 2 and "'churn'" in err and str(path) in err and "x, y" in err
    code, _, err = _run(capsys, "--csv", str(path), "--label", "y")
    assert code == 2 and "single class" in err and "'y'" in err
    code, _, err = _run(capsys, "--csv", str(tmp_path / "missing.csv"), "--label", "y")
    assert code == 2 and "missing.csv" in err
    code, _, err = _run(capsys, "--csv", str(path), "--label", "y", "--id", "nope")
    assert code == 2 and "'nope'" in err
    (tmp_path / "empty.csv").write_text("")
    code, _, err = _run(capsys, "--csv", str(tmp_path / "empty.csv"), "--label", "y")
    assert code == 2 and "empty.csv" in err
    pd.DataFrame({"x": [1, 2, 3], "y": ["a", "b", "c"]}).to_csv(path, index=False)
    code, _, err = _run(capsys, "--csv", str(path), "--label", "y")
    assert code == 2 and "--positive" in err


def test_numbers_stored_as_text() -> None:
    raw = pd.Series(["1,234.5", " 12 ", "(500)", "¥800", "12%", "１２３", "abc", "", "NULL", "3e2"])
    got = tabular.parse_numbers(tabular.clean_text(raw)).tolist()
    assert got[:6] == [1234.5, 12.0, -500.0, 800.0, 12.0, 123.0]
    assert np.isnan(got[6]) and np.isnan(got[7]) and np.isnan(got[8])
    assert got[9] == 300.0


def test_label_values_are_understood() -> None:
    label, chosen = tabular.label_vector(pd.Series(["0", "1", "1", ""]), "c", None)
    assert chosen == "1" and label.tolist()[:3] == [False, True, True] and pd.isna(label[3])
    label, chosen = tabular.label_vector(pd.Series(["1.0", "1", "0"]), "c", "1")
    assert label.tolist() == [True, True, False]
    _, chosen = tabular.label_vector(pd.Series(["Retained", "Churned"]), "c", None)
    assert chosen == "Churned"


def test_model_copes_with_an_entirely_missing_column() -> None:
    from analytics.churn import model

    rng = np.random.default_rng(4)
    frame = pd.DataFrame({"x": rng.normal(size=400), "empty": np.nan, "kind": "a"})
    y = rng.random(400) < 1 / (1 + np.exp(-3 * frame["x"]))
    fitted = model.fit_model(frame, y, ["x", "empty"], ["kind"])
    assert fitted.predict_proba(frame)[:, 1].std() > 0.05


def test_permutation_importance_on_prepared_columns_equals_the_raw_one() -> None:
    """feature_importance shuffles the prepared matrix once prepared; the numbers (and so the
    ranking the analysts' page shows) are exactly those of shuffling the raw frame."""
    from sklearn.inspection import permutation_importance

    from analytics.churn import model

    rng = np.random.default_rng(5)
    n = 3_000
    frame = pd.DataFrame(
        {
            "fall": rng.normal(size=n),
            "balance": rng.lognormal(8, 1, n),
            "empty": np.nan,  # left out by fit_model: importance exactly 0
            "kind": rng.choice(["farmer", "retiree", None], n),
            "tier": rng.choice(["mass", "silver", "gold"], n),
        }
    )
    logit = 2 * frame["fall"] + (frame["kind"] == "retiree") - 2
    y = rng.random(n) < 1 / (1 + np.exp(-logit))
    fitted = model.fit_model(frame, y, ["fall", "balance", "empty"], ["kind", "tier"])
    fast = model.feature_importance(fitted, frame, y, max_rows=2_000, repeats=3, random_state=2)
    assert model._prepared_once(fitted, frame) is not None  # the fast path was taken

    keep = model.train_test_split(
        np.arange(n), train_size=2_000, stratify=y.astype(int), random_state=2
    )[0]
    sample, labels = frame.iloc[np.sort(keep)], y.astype(int)[np.sort(keep)]
    slow = permutation_importance(
        fitted, sample, labels, scoring="roc_auc", n_repeats=3, random_state=2
    )
    expected = {
        name: (round(float(m), 5), round(float(s), 5))
        for name, m, s in zip(
            frame.columns, slow.importances_mean, slow.importances_std, strict=True
        )
    }
    assert {r["feature"]: (r["importance"], r["std"]) for r in fast} == expected
    assert fast[0]["feature"] == "fall"
    assert expected["empty"] == (0.0, 0.0)


def test_numbers_block_is_the_same_on_the_fast_and_the_parsing_path() -> None:
    from analytics.churn import model

    numeric = pd.DataFrame(
        {
            "f": [1.5, np.nan, -2.0],
            "i": np.array([1, 2, 3], dtype=np.int64),
            "b": [True, False, True],
            "u": np.array([7, 8, 9], dtype=np.uint8),
        }
    )
    parsed = numeric.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=np.float64)
    np.testing.assert_array_equal(model.as_numbers(numeric), parsed)
    mixed = numeric.assign(o=pd.Series(["4", None, "x"], dtype=object))
    np.testing.assert_array_equal(
        model.as_numbers(mixed),
        [[1.5, 1, 1, 7, 4], [np.nan, 2, 0, 8, np.nan], [-2, 3, 1, 9, np.nan]],
    )
