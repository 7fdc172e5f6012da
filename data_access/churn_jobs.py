"""Train, score and backtest the churn model against a warehouse (CLI, refresh, demo, bench).

The modelling is pure (``analytics.churn``); this module reads its inputs through
``data_access.churn_data`` and writes ``mart_churn_score``. Scoring and training work on any
engine, so refresh and the demo run them inside the build they are making (one new version,
swapped in once); the ``Warehouse`` wrappers are for the command line.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import sklearn
from sqlalchemy.engine import Engine, make_url

from analytics.churn import artifacts, definition, features, model
from analytics.churn.panel import add_months, as_month, month_index
from data_access import churn_data as data
from data_access.warehouse import Warehouse

log = logging.getLogger(__name__)

BACKTEST_ORIGINS: int = artifacts.BACKTEST_ORIGINS
# Months scored by refresh, newest last: the watchlist of earlier months stays readable, so the
# retention follow-up can compare what happened to contacted and not-contacted customers.
SCORE_HISTORY_MONTHS: int = 4

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


def _load_dataset(
    engine: Engine,
    cutoffs: list[dt.date],
    last: dt.date,
    max_rows_per_cutoff: int | None,
    progress: Progress,
    who: data.CustomerFilter | None = None,
) -> pd.DataFrame:
    started = time.perf_counter()
    inputs = data.read_inputs(engine, cutoffs[0], last, who)
    progress(
        f"read {len(inputs['panel']):,} customer-months, {len(inputs['holdings']):,} term "
        f"holdings in {time.perf_counter() - started:.1f}s"
    )
    started = time.perf_counter()
    dataset = model.labelled_dataset(
        inputs.pop("panel"),
        cutoffs,
        inputs["customers"],
        inputs["holdings"],
        max_rows_per_cutoff=max_rows_per_cutoff,
        progress=progress,
    )
    progress(f"features and labels in {time.perf_counter() - started:.1f}s")
    return dataset


def train_engine(
    engine: Engine,
    models: str | Path | None = None,
    as_of: dt.date | None = None,
    train_cutoffs: int = model.TRAIN_CUTOFFS,
    max_rows: int = model.MAX_TRAIN_ROWS,
    validate: bool = True,
    compare: bool = True,
    warehouse_label: str = "",
    progress: Progress = _quiet,
) -> dict:
    """Train on the latest labelled cut-offs of ``engine`` and save the model; returns metadata.

    With ``validate`` the metadata carries out-of-time metrics: a model trained on earlier
    cut-offs scored on the latest labelled cut-off, beside the rule and (with ``compare``) the
    logistic baseline, with the curves and permutation importance the analysts' page draws.
    Each cut-off contributes at most ``max_rows / train_cutoffs`` customers (a uniform sample).
    Raises ValueError when the warehouse has too few months or a single class.
    """
    started = time.perf_counter()
    first, last = data.month_range(engine)
    last = min(last, as_month(as_of)) if as_of else last
    cutoffs = artifacts.training_cutoffs(first, last)
    if not cutoffs:
        raise ValueError(
            f"the warehouse has {month_index(last) - month_index(first) + 1} months; "
            f"training needs at least "
            f"{definition.MIN_HISTORY_MONTHS + definition.LABEL_WINDOW_MONTHS}"
        )
    final = cutoffs[-train_cutoffs:]
    needed = final
    validation_origin = cutoffs[-1]
    window = definition.LABEL_WINDOW_MONTHS
    before = [c for c in cutoffs if c <= add_months(validation_origin, -window)]
    validate = validate and bool(before)
    if validate:
        needed = sorted(set(before[-train_cutoffs:]) | set(final))
    per_cutoff = max(1, max_rows // max(1, len(final)))
    # Read only as many customers as the per-cut-off sample can use (about half of them are
    # eligible at a cut-off): a million customers are not pivoted to train on 24,000 rows.
    customers = data.customer_id_bounds(engine)[2]
    nth = max(1, customers // (TRAIN_READ_FACTOR * per_cutoff))
    if nth > 1:
        progress(f"reading every {nth}th customer of {customers:,} for training")
    dataset = _load_dataset(
        engine, needed, last, per_cutoff, progress, data.every_nth_customer(nth)
    )

    metrics = None
    if validate:
        progress(f"validating out of time at {validation_origin:%Y-%m}")
        validation_started = time.perf_counter()
        metrics = model.evaluate_origin(
            dataset,
            validation_origin,
            train_cutoffs=train_cutoffs,
            max_train_rows=max_rows,
            compare=compare,
            curves=True,
        )
        seconds = time.perf_counter() - validation_started
        progress(
            f"validation ROC AUC {metrics['model']['roc_auc']}, capture at 10% "
            f"{metrics['model']['capture_at_10pct']} in {seconds:.1f}s"
        )
    rows = model.sample_rows(
        dataset[dataset["cutoff"].isin([pd.Timestamp(c) for c in final])], max_rows
    )
    y = rows["churned"].to_numpy(bool)
    if y.all() or not y.any():
        raise ValueError("the training rows hold a single class: no churners or no non-churners")
    progress(f"fitting on {len(rows):,} rows from {len(final)} cut-offs ({y.mean():.2%} churned)")
    fit_started = time.perf_counter()
    fitted = model.fit_model(
        rows[list(features.FEATURES)],
        y,
        features.NUMERIC_FEATURES,
        features.CATEGORICAL_FEATURES,
    )
    fit_seconds = time.perf_counter() - fit_started
    created = dt.datetime.now(dt.UTC).replace(microsecond=0)
    version = f"churn-{last:%Y%m}-{created:%Y%m%d%H%M%S}"
    meta = {
        "version": version,
        "model_family": model.MODEL_FAMILY,
        "created_at": created.isoformat(),
        "data_as_of_month": f"{last:%Y-%m}",
        "data_first_month": f"{first:%Y-%m}",
        "warehouse": warehouse_label,
        "train_cutoffs": [f"{c:%Y-%m}" for c in final],
        "n_train": int(len(rows)),
        "train_positive_rate": round(float(y.mean()), 4),
        "numeric_features": list(features.NUMERIC_FEATURES),
        "categorical_features": list(features.CATEGORICAL_FEATURES),
        "definition": artifacts.definition_constants(),
        "metrics": metrics,
        "fit_seconds": round(fit_seconds, 1),
        "total_seconds": round(time.perf_counter() - started, 1),
        "sklearn_version": sklearn.__version__,
    }
    artifacts.save_model(fitted, meta, models)
    return meta


def score_engine(
    engine: Engine,
    models: str | Path | None = None,
    month: dt.date | None = None,
    months: int = 1,
    version: str | None = None,
    progress: Progress = _quiet,
) -> dict:
    """Score every eligible customer at ``month`` (default: the latest) and the ``months - 1``
    months before it into mart_churn_score on a writable ``engine``; returns a summary.

    Raises FileNotFoundError when no model was trained and ValueError for a month without data.
    """
    fitted, meta = artifacts.load_model(models, version)
    timings: dict[str, float] = {"read": 0.0, "score": 0.0, "write": 0.0}
    first, last = data.month_range(engine)
    month = as_month(month) if month else last
    if not first <= month <= last:
        raise ValueError(f"no data for {month:%Y-%m} (the warehouse has {first} .. {last})")
    scored_months = [
        m for m in (add_months(month, -k) for k in range(max(1, months) - 1, -1, -1)) if m >= first
    ]
    frames = []
    low, high, _ = data.customer_id_bounds(engine)
    # Customers in id ranges of SCORE_CHUNK_IDS: memory stays bounded however many there are.
    for start in range(low, high + 1, SCORE_CHUNK_IDS):
        started = time.perf_counter()
        who = data.customer_id_range(start, start + SCORE_CHUNK_IDS)
        inputs = data.read_inputs(engine, scored_months[0], month, who)
        timings["read"] += time.perf_counter() - started
        if inputs["panel"].empty:
            continue
        started = time.perf_counter()
        grid = artifacts.score_grid(inputs["panel"], scored_months[0], month)
        for scored in scored_months:
            frames.append(artifacts.score_frame(fitted, meta, inputs, scored, grid))
        del grid, inputs
        timings["score"] += time.perf_counter() - started
    if not frames:
        raise ValueError("no customers to score")
    scores = pd.concat(frames, ignore_index=True).sort_values(
        ["month_start", "customer_id"], ignore_index=True
    )
    started = time.perf_counter()
    written = data.write_scores(engine, scores)
    timings["write"] += time.perf_counter() - started
    latest = scores[scores["month_start"] == pd.Timestamp(month)]
    progress(f"scored {written:,} customer-months ({len(latest):,} at {month:%Y-%m})")
    bands = latest["score_band"].value_counts().to_dict()
    return {
        "scored": int(len(latest)),
        "rows_written": int(written),
        "month": f"{month:%Y-%m}",
        "months": [f"{m:%Y-%m}" for m in scored_months],
        "model_version": meta["version"],
        "model_as_of_month": meta["data_as_of_month"],
        "bands": {k: int(v) for k, v in bands.items()},
        "mean_probability": round(float(latest["probability"].mean()), 4) if len(latest) else None,
        "expected_assets_at_risk_rmb": round(float(latest["expected_assets_at_risk_rmb"].sum()), 2),
        "seconds": {k: round(v, 2) for k, v in timings.items()},
    }


def _label(warehouse: Warehouse) -> str:
    return make_url(warehouse.url).render_as_string(hide_password=True)


def train(
    warehouse: Warehouse,
    models: str | Path | None = None,
    as_of: dt.date | None = None,
    train_cutoffs: int = model.TRAIN_CUTOFFS,
    max_rows: int = model.MAX_TRAIN_ROWS,
    validate: bool = True,
    compare: bool = True,
    progress: Progress = _quiet,
) -> dict:
    """:func:`train_engine` on the live version of ``warehouse`` (read-only)."""
    engine = warehouse.reader()
    try:
        return train_engine(
            engine,
            models,
            as_of=as_of,
            train_cutoffs=train_cutoffs,
            max_rows=max_rows,
            validate=validate,
            compare=compare,
            warehouse_label=_label(warehouse),
            progress=progress,
        )
    finally:
        engine.dispose()


def score(
    warehouse: Warehouse,
    models: str | Path | None = None,
    month: dt.date | None = None,
    months: int = 1,
    version: str | None = None,
    progress: Progress = _quiet,
) -> dict:
    """Score into mart_churn_score as a new version of ``warehouse`` (readers switch at once).

    The model is loaded first, so a missing model fails before any copy is made.
    """
    if version is None:
        artifacts.latest_version(models)  # no model: fail before copying the warehouse
    timings: dict[str, float] = {}
    with warehouse.build(copy_current=True) as engine:
        summary = score_engine(engine, models, month, months, version, progress)
        progress("swapping the new version in")
        started = time.perf_counter()
    timings["swap"] = time.perf_counter() - started
    summary["seconds"].update({k: round(v, 2) for k, v in timings.items()})
    return summary


def backtest(
    warehouse: Warehouse,
    origins: int = BACKTEST_ORIGINS,
    train_cutoffs: int = model.TRAIN_CUTOFFS,
    max_rows: int = model.MAX_TRAIN_ROWS,
    models: str | Path | None = None,
    save: bool = True,
    progress: Progress = _quiet,
) -> dict:
    """Rolling-origin backtest over the last ``origins`` labelled cut-offs of the warehouse.

    With ``save`` the result is kept in the models folder for the analysts' page.
    """
    engine = warehouse.reader()
    try:
        first, last = data.month_range(engine)
        cutoffs = artifacts.training_cutoffs(first, last)
        window = definition.LABEL_WINDOW_MONTHS
        tests = [c for c in cutoffs if any(t <= add_months(c, -window) for t in cutoffs)]
        tests = tests[-origins:]
        if not tests:
            raise ValueError(
                "too few months for a backtest: an origin needs earlier cut-offs whose label "
                f"window ({window} months) ended by it"
            )
        first_train = add_months(tests[0], -window - train_cutoffs + 1)
        needed = [c for c in cutoffs if c >= first_train]
        per_cutoff = max(1, max_rows // max(1, train_cutoffs))
        dataset = _load_dataset(engine, needed, last, per_cutoff, progress)
    finally:
        engine.dispose()
    result = model.backtest(
        dataset, tests, progress=progress, train_cutoffs=train_cutoffs, max_train_rows=max_rows
    )
    result["data_as_of_month"] = f"{last:%Y-%m}"
    result["label_window_months"] = window
    result["warehouse"] = _label(warehouse)
    result["run_at"] = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    if save:
        artifacts.save_backtest(result, models)
    return result


# Training reads every n-th customer so that about this many times the per-cut-off sample
# are read (half of them eligible at a cut-off, so the sample is still drawn from a surplus).
TRAIN_READ_FACTOR: int = 4
# Scoring reads and pivots customers in id ranges this wide (about 2 GB at 13 months).
SCORE_CHUNK_IDS: int = 250_000

# Training settings of the demo build: a few cut-offs and a sample of customers, so the demo
# stays quick; the command line trains on the defaults of analytics.churn.model.
DEMO_TRAIN_CUTOFFS: int = 4
DEMO_TRAIN_MAX_ROWS: int = 24_000


def refresh_scores(
    engine: Engine, train: bool = False, models: str | Path | None = None
) -> dict[str, float]:
    """Refresh's churn step on a build engine: train (demo only), then score; seconds taken.

    Scores SCORE_HISTORY_MONTHS months up to the latest. Without a trained model, or with too few
    months to train or score, the mart stays empty and the reason is logged: the watchlist then
    says no scores exist, and every other mart is refreshed as usual.
    """
    return prepare_scores(engine, train, models)(engine)


def prepare_scores(
    engine: Engine, train: bool = False, models: str | Path | None = None
) -> Callable[[Engine], dict[str, float]]:
    """:func:`refresh_scores` in two steps: this one trains the model (demo only), reading only
    a sample of the facts, so refresh runs it in a thread while the SQL marts build; the step it
    returns scores and writes mart_churn_score (after the marts, whose rebuild recreates it) and
    returns the seconds taken.

    Scoring stays after the marts: it holds SCORE_CHUNK_IDS customers' months in memory at a
    time, which beside the marts' joins took a 1,000,000-customer build from 5.3 GB to 7.7 GB
    (the issue's bar is 6 GB), while training reads a sample of at most
    TRAIN_READ_FACTOR x DEMO_TRAIN_MAX_ROWS customers.
    """
    timings: dict[str, float] = {}
    if train:
        started = time.perf_counter()
        try:
            train_engine(
                engine,
                models,
                train_cutoffs=DEMO_TRAIN_CUTOFFS,
                max_rows=DEMO_TRAIN_MAX_ROWS,
                warehouse_label="demo build",
            )
        except ValueError as exc:
            log.warning("churn model not trained: %s", exc)
        timings["churn_train"] = round(time.perf_counter() - started, 3)

    def finish(target: Engine) -> dict[str, float]:
        if not artifacts.has_model(models):
            log.info("no trained churn model in %s: mart_churn_score left empty", models or "")
            return timings
        started = time.perf_counter()
        try:
            score_engine(target, models, months=SCORE_HISTORY_MONTHS)
        except ValueError as exc:
            log.warning("churn scores not written: %s", exc)
        timings["churn_score"] = round(time.perf_counter() - started, 3)
        return timings

    return finish
