"""The churn model, its two comparators, and the honest out-of-time evaluation.

- **model**: a scikit-learn ``Pipeline`` (``ColumnTransformer`` ->
  ``HistGradientBoostingClassifier``, with native categorical splits and missing values) inside
  ``CalibratedClassifierCV`` (isotonic), so that "0.2" means one customer in five churns and
  probability x AUM is money at risk;
- **baseline**: logistic regression on the same features (signed-log money, one-hot categories);
- **rule**: what a branch can do without a model, "assets down 30% in 3 months"; as a ranking it
  sorts customers by their 3-month fall.

Training rows are customers at several cut-offs (each with its own label window); evaluation is
always out of time: a model evaluated at origin T0 was trained only on cut-offs whose whole label
window ended by T0, so nothing it learnt was unknown at T0.
"""

from __future__ import annotations

import copy as copy_module
import datetime as dt
import statistics
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV, calibration_curve
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.impute import SimpleImputer
from sklearn.inspection import permutation_importance
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, OrdinalEncoder, StandardScaler

from analytics.churn import definition, features
from analytics.churn.metrics import lift_curve, pr_points, roc_points, score_metrics
from analytics.churn.panel import MonthPanel, add_months, as_month

MODEL_FAMILY = "calibrated_hist_gradient_boosting"
# Training rows beyond this are sampled (uniformly, seeded): the trees gain little past it and
# training on a million customers x several cut-offs must stay within minutes on two cores.
MAX_TRAIN_ROWS: int = 400_000
# Cross-fitted calibration (3 folds, one final model) up to this many rows; above it one fit
# and a held-out calibration slice, which is as good with this much data and three times faster.
CALIBRATION_CV_MAX_ROWS: int = 150_000
CALIBRATION_HOLDOUT: float = 0.15
# A numeric column needs this many non-missing training values to be used (see fit_model).
MIN_FILLED_VALUES: int = 20
# Cut-offs stacked for training (the most recent ones whose labels are complete).
TRAIN_CUTOFFS: int = 6
# The comparison rule: assets down at least this share over RULE_MONTHS months.
RULE_FALL_SHARE: float = 0.30
RULE_MONTHS: int = 3
# Permutation importance (analysts' page) on a sample of the validation customers: enough rows
# to rank the features, few enough to keep training quick.
IMPORTANCE_MAX_ROWS: int = 2_500
IMPORTANCE_REPEATS: int = 2


# ------------------------------------------------------------------ column preparation
def as_numbers(frame: pd.DataFrame) -> np.ndarray:
    """Numeric block as float64 (None and unparsable values become NaN)."""
    if all(isinstance(d, np.dtype) and d.kind in "fiub" for d in frame.dtypes):
        # Already numbers (the churn features always are): one conversion, no parsed copy.
        return frame.to_numpy(dtype=np.float64)
    return frame.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=np.float64)


MISSING_CATEGORY = "(missing)"


def as_categories(frame: pd.DataFrame) -> np.ndarray:
    """Categorical block as object strings, MISSING_CATEGORY for missing.

    Missing is a category of its own (an unknown occupation is information), and an array
    without NaN keeps scikit-learn's encoders on their fast path.
    """
    return frame.astype("string").fillna(MISSING_CATEGORY).to_numpy(dtype=object)


def signed_log(values: np.ndarray) -> np.ndarray:
    """sign(x) log(1 + |x|): money spans six orders of magnitude; a linear model needs this."""
    return np.sign(values) * np.log1p(np.abs(values))


def make_model(
    numeric: Sequence[str],
    categorical: Sequence[str],
    n_rows: int = 0,
    random_state: int = 0,
    max_iter: int = 200,
) -> CalibratedClassifierCV:
    """Calibrated gradient boosting over ``numeric`` and ``categorical`` columns.

    With ``n_rows`` above CALIBRATION_CV_MAX_ROWS the returned estimator must be fitted with
    :func:`fit_model` (it freezes a fitted pipeline and calibrates on a held-out slice).
    """
    prep = ColumnTransformer(
        [
            ("num", FunctionTransformer(as_numbers), list(numeric)),
            (
                "cat",
                make_pipeline(
                    FunctionTransformer(as_categories),
                    OrdinalEncoder(
                        handle_unknown="use_encoded_value",
                        unknown_value=np.nan,
                        max_categories=250,
                    ),
                ),
                list(categorical),
            ),
        ],
        verbose_feature_names_out=False,
    )
    trees = HistGradientBoostingClassifier(
        learning_rate=0.1,
        max_iter=max_iter,
        max_leaf_nodes=31,
        min_samples_leaf=40,
        l2_regularization=1.0,
        categorical_features=[False] * len(numeric) + [True] * len(categorical),
        early_stopping=True,
        validation_fraction=0.1,
        n_iter_no_change=20,
        random_state=random_state,
    )
    pipeline = Pipeline([("prepare", prep), ("trees", trees)])
    if n_rows > CALIBRATION_CV_MAX_ROWS:
        return CalibratedClassifierCV(FrozenEstimator(pipeline), method="isotonic")
    # One final model calibrated on out-of-fold predictions (not an ensemble of the three fold
    # models): scoring a million customers then costs one prediction instead of three.
    return CalibratedClassifierCV(pipeline, method="isotonic", cv=3, ensemble=False)


def make_baseline(numeric: Sequence[str], categorical: Sequence[str]) -> Pipeline:
    """Logistic regression: signed-log numbers (median-imputed, with indicators), one-hot."""
    prep = ColumnTransformer(
        [
            (
                "num",
                make_pipeline(
                    FunctionTransformer(as_numbers),
                    FunctionTransformer(signed_log),
                    SimpleImputer(strategy="median", add_indicator=True, keep_empty_features=True),
                    StandardScaler(),
                ),
                list(numeric),
            ),
            (
                "cat",
                make_pipeline(
                    FunctionTransformer(as_categories),
                    OneHotEncoder(
                        handle_unknown="infrequent_if_exist", min_frequency=20, max_categories=30
                    ),
                ),
                list(categorical),
            ),
        ]
    )
    return Pipeline([("prepare", prep), ("logistic", LogisticRegression(C=0.5, max_iter=1000))])


def fit_model(
    X: pd.DataFrame,
    y: np.ndarray,
    numeric: Sequence[str],
    categorical: Sequence[str],
    random_state: int = 0,
) -> CalibratedClassifierCV:
    """Fit the calibrated model, choosing cross-fitted or held-out calibration by size.

    Numeric columns with fewer than MIN_FILLED_VALUES values are left out (a column that is
    entirely missing, e.g. a 6-month change on 6 months of data, breaks the trees' binning);
    the fitted pipeline selects its columns by name, so callers pass the same frame as ever.
    """
    y = np.asarray(y).astype(int)
    numeric = [c for c in numeric if int(X[c].notna().sum()) >= MIN_FILLED_VALUES]
    model = make_model(numeric, categorical, n_rows=len(X), random_state=random_state)
    if isinstance(model.estimator, FrozenEstimator):
        fit_idx, cal_idx = train_test_split(
            np.arange(len(X)),
            test_size=CALIBRATION_HOLDOUT,
            stratify=y,
            random_state=random_state,
        )
        model.estimator.estimator.fit(X.iloc[fit_idx], y[fit_idx])
        model.fit(X.iloc[cal_idx], y[cal_idx])
    else:
        model.fit(X, y)
    return model


def rule_score(frame: pd.DataFrame) -> np.ndarray:
    """The rule as a ranking: the share of assets lost over RULE_MONTHS months (gains are 0)."""
    change = pd.to_numeric(frame[f"aum_change_{RULE_MONTHS}m"], errors="coerce").to_numpy(float)
    return np.clip(-np.nan_to_num(change, nan=0.0), 0.0, 1.0)


def rule_flag(frame: pd.DataFrame) -> np.ndarray:
    """The rule as a branch applies it: flag customers with assets down >= 30% in 3 months."""
    return rule_score(frame) >= RULE_FALL_SHARE


# ------------------------------------------------------------------ datasets
def labelled_dataset(
    panel: pd.DataFrame | MonthPanel,
    cutoffs: Sequence[dt.date],
    customers: pd.DataFrame | None = None,
    holdings: pd.DataFrame | None = None,
    contacts: pd.DataFrame | None = None,
    max_rows_per_cutoff: int | None = None,
    random_state: int = 0,
    progress: Callable[[str], None] | None = None,
) -> pd.DataFrame:
    """Features and labels of the eligible customers at each cut-off, stacked.

    A long ``panel`` is pivoted once for all cut-offs (features and labels then slice it). With
    ``max_rows_per_cutoff`` a uniform sample of each cut-off's eligible customers (seeded) gets
    features: labels are cheap, features for a million customers at many cut-offs are not.
    """
    if not cutoffs:
        raise ValueError("no cut-off has a complete label window in the data")
    cutoffs = sorted(as_month(c) for c in cutoffs)
    if not isinstance(panel, MonthPanel):
        panel = MonthPanel(
            panel,
            add_months(cutoffs[0], -(features.FEATURE_MONTHS - 1)),
            add_months(cutoffs[-1], definition.LABEL_WINDOW_MONTHS),
        )
    parts = []
    for i, cutoff in enumerate(cutoffs):
        labels = definition.churn_labels(panel, cutoff)
        if max_rows_per_cutoff and len(labels) > max_rows_per_cutoff:
            labels = labels.sample(n=max_rows_per_cutoff, random_state=random_state + i)
            labels = labels.sort_values("customer_id")
        ids = labels["customer_id"].to_numpy()
        feats = features.build_features(
            panel, cutoff, customers, holdings, contacts, customer_ids=ids
        )
        part = feats.merge(
            labels[["customer_id", "churned", "churn_path"]], on="customer_id", how="inner"
        )
        parts.append(part)
        if progress:
            sampled = " (sampled)" if len(ids) == max_rows_per_cutoff else ""
            progress(
                f"cut-off {cutoff:%Y-%m}: {len(part):,} eligible customers{sampled}, "
                f"{part['churned'].mean():.2%} churned"
            )
    return pd.concat(parts, ignore_index=True)


def sample_rows(frame: pd.DataFrame, max_rows: int, random_state: int = 0) -> pd.DataFrame:
    if len(frame) <= max_rows:
        return frame
    return frame.sample(n=max_rows, random_state=random_state).sort_index()


def _clean_float(value: float) -> float | None:
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else value


def evaluate_origin(
    dataset: pd.DataFrame,
    origin: dt.date,
    train_cutoffs: int = TRAIN_CUTOFFS,
    max_train_rows: int = MAX_TRAIN_ROWS,
    numeric: Sequence[str] = features.NUMERIC_FEATURES,
    categorical: Sequence[str] = features.CATEGORICAL_FEATURES,
    random_state: int = 0,
    compare: bool = True,
    curves: bool = False,
) -> dict:
    """Train on cut-offs whose label window ended by ``origin``; test on ``origin``'s customers.

    Metrics for the model, the rule and (with ``compare``) the logistic baseline; with
    ``curves`` also the model's lift curve and calibration table (for the analysts' page).
    """
    origin = pd.Timestamp(as_month(origin))
    last_train = pd.Timestamp(add_months(origin.date(), -definition.LABEL_WINDOW_MONTHS))
    available = sorted(c for c in dataset["cutoff"].unique() if c <= last_train)
    chosen = available[-train_cutoffs:]
    if not chosen:
        raise ValueError(f"no training cut-off ends its label window by {origin:%Y-%m}")
    train = sample_rows(dataset[dataset["cutoff"].isin(chosen)], max_train_rows, random_state)
    test = dataset[dataset["cutoff"] == origin]
    if test.empty:
        raise ValueError(f"no labelled customers at origin {origin:%Y-%m}")
    cols = list(numeric) + list(categorical)
    y_train, y_test = train["churned"].to_numpy(bool), test["churned"].to_numpy(bool)
    model = fit_model(train[cols], y_train, numeric, categorical, random_state)
    probability = model.predict_proba(test[cols])[:, 1]
    result = {
        "origin": f"{origin:%Y-%m}",
        "train_cutoffs": [f"{pd.Timestamp(c):%Y-%m}" for c in chosen],
        "n_train": int(len(train)),
        "n_test": int(len(test)),
        "positive_rate": round(float(y_test.mean()), 4),
        "model": score_metrics(y_test, probability),
    }
    scores = {"model": probability, "rule": rule_score(test)}
    if compare:
        baseline = make_baseline(numeric, categorical).fit(train[cols], y_train)
        scores["logistic"] = baseline.predict_proba(test[cols])[:, 1]
        result["logistic"] = score_metrics(y_test, scores["logistic"])
    result["rule"] = score_metrics(y_test, scores["rule"], probability=False)
    if curves:
        result["roc"] = {name: roc_points(y_test, s) for name, s in scores.items()}
        result["pr"] = {name: pr_points(y_test, s) for name, s in scores.items()}
        result["lift_curves"] = {name: lift_curve(y_test, s) for name, s in scores.items()}
        result["importance"] = feature_importance(
            model, test[cols], y_test, random_state=random_state
        )
        result["lift_curve"] = lift_curve(y_test, probability)
        observed, predicted = calibration_curve(y_test, probability, n_bins=10, strategy="quantile")
        result["calibration"] = [
            {"predicted": round(float(p), 5), "observed": round(float(o), 5)}
            for p, o in zip(predicted, observed, strict=True)
        ]
    flag = rule_flag(test)
    result["rule"]["flag_rate"] = round(float(flag.mean()), 4)
    result["rule"]["flag_precision"] = _clean_float(
        round(float(y_test[flag].mean()), 4) if flag.any() else float("nan")
    )
    result["rule"]["flag_recall"] = round(float(flag[y_test].mean()), 4) if y_test.any() else None
    result["model_by_path"] = metrics_by_path(y_test, probability, test["churn_path"].to_numpy())
    return result


# A churn path is reported only with at least this many churners in the test month.
MIN_PATH_CHURNERS: int = 10


def metrics_by_path(y: np.ndarray, score: np.ndarray, paths: np.ndarray) -> dict[str, dict]:
    """ROC AUC, lift and capture at the top 10% for each churn path of definition.PATHS.

    Each path is scored against the non-churners only (the other paths' churners left out), so
    a path the model misses shows a low figure even when the others lift the overall one. Paths
    with fewer than MIN_PATH_CHURNERS churners are left out.
    """
    y = np.asarray(y).astype(bool)
    paths = np.asarray(paths, dtype=object)
    result = {}
    for path, _, _ in definition.PATHS:
        hit = paths == path
        if hit.sum() < MIN_PATH_CHURNERS:
            continue
        rows = ~y | hit
        found = score_metrics(y[rows], np.asarray(score)[rows])
        result[path] = {
            "count": int(hit.sum()),
            "roc_auc": found["roc_auc"],
            "lift_at_10pct": found["lift_at_10pct"],
            "capture_at_10pct": found["capture_at_10pct"],
        }
    return result


def feature_importance(
    fitted,
    X: pd.DataFrame,
    y: np.ndarray,
    max_rows: int = IMPORTANCE_MAX_ROWS,
    repeats: int = IMPORTANCE_REPEATS,
    random_state: int = 0,
) -> list[dict[str, float]]:
    """Permutation importance on held-out customers: the fall in ROC AUC when one column is
    shuffled (mean and spread over ``repeats``), largest first.

    Measured on the validation customers, never the training rows, so a feature the model
    merely memorised scores nothing. Returns [] when the sample holds a single class.
    """
    y = np.asarray(y).astype(int)
    if len(X) > max_rows:
        keep = train_test_split(
            np.arange(len(X)), train_size=max_rows, stratify=y, random_state=random_state
        )[0]
        X, y = X.iloc[np.sort(keep)], y[np.sort(keep)]
    if not 0 < y.sum() < len(y):
        return []
    prepared = _prepared_once(fitted, X)
    if prepared is None:
        found = permutation_importance(
            fitted, X, y, scoring="roc_auc", n_repeats=repeats, random_state=random_state
        )
        means = dict(zip(X.columns, found.importances_mean, strict=True))
        stds = dict(zip(X.columns, found.importances_std, strict=True))
    else:
        estimator, matrix, used = prepared
        found = permutation_importance(
            estimator, matrix, y, scoring="roc_auc", n_repeats=repeats, random_state=random_state
        )
        # A column the model does not read (fit_model leaves near-empty ones out) changes no
        # prediction when shuffled: its importance is exactly 0, as the slow path finds.
        means = dict.fromkeys(X.columns, 0.0) | dict(zip(used, found.importances_mean, strict=True))
        stds = dict.fromkeys(X.columns, 0.0) | dict(zip(used, found.importances_std, strict=True))
    rows = [
        {
            "feature": str(name),
            "importance": round(float(means[name]), 5),
            "std": round(float(stds[name]), 5),
        }
        for name in X.columns
    ]
    return sorted(rows, key=lambda r: -r["importance"])


def _prepared_once(fitted, X: pd.DataFrame) -> tuple | None:
    """(a copy of ``fitted`` that skips its column preparation, X prepared, the raw column of
    each prepared one) for a calibrated model of :func:`make_model`; None for anything else.

    The preparation maps each raw column to one column on its own (numbers parsed, categories
    encoded), so shuffling a prepared column gives exactly the predictions of shuffling the raw
    one, and permutation_importance shuffles every column with the same seeded order: the
    importances are identical, without preparing the frame again for every shuffle (the
    preparation costs more than the trees' prediction on a sample this size).
    """
    calibrated = getattr(fitted, "calibrated_classifiers_", None)
    if not calibrated or len(calibrated) != 1:
        return None
    pipeline = calibrated[0].estimator
    pipeline = getattr(pipeline, "estimator", pipeline)  # FrozenEstimator
    if not isinstance(pipeline, Pipeline) or pipeline.steps[0][0] != "prepare":
        return None
    prep = pipeline.steps[0][1]
    if not isinstance(prep, ColumnTransformer):
        return None
    used = [
        column
        for _, transformer, columns in prep.transformers_
        if not (isinstance(transformer, str) and transformer == "drop")
        for column in columns
    ]
    matrix = prep.transform(X)
    if matrix.ndim != 2 or matrix.shape[1] != len(used) or not set(used) <= set(X.columns):
        return None
    copy = copy_module.deepcopy(fitted)
    inner = copy.calibrated_classifiers_[0].estimator
    inner = getattr(inner, "estimator", inner)
    inner.steps[0] = ("prepare", "passthrough")
    return copy, np.asarray(matrix, dtype=np.float64), used


def summarise(origins: list[dict]) -> dict:
    """Per-origin results plus the median of each metric for the model, logistic and rule."""
    summary: dict = {"origins": origins}
    for name in ("model", "logistic", "rule"):
        if name not in origins[0]:
            continue
        keys = [k for k in origins[0][name] if k not in ("n", "positive_rate")]
        summary[name] = {
            key: round(
                statistics.median(
                    o[name][key]
                    for o in origins
                    if o[name].get(key) is not None and not np.isnan(o[name][key])
                ),
                4,
            )
            for key in keys
            if any(o[name].get(key) is not None for o in origins)
        }
    return summary


def backtest(
    dataset: pd.DataFrame,
    origins: Sequence[dt.date],
    progress: Callable[[str], None] | None = None,
    **kwargs,
) -> dict:
    """Rolling-origin evaluation (see :func:`evaluate_origin`) and the medians over origins."""
    results = []
    for origin in origins:
        result = evaluate_origin(dataset, origin, **kwargs)
        results.append(result)
        if progress:
            progress(
                f"origin {result['origin']}: ROC AUC model {result['model']['roc_auc']}, "
                f"logistic {result.get('logistic', {}).get('roc_auc')}, "
                f"rule {result['rule']['roc_auc']}"
            )
    return summarise(results)
