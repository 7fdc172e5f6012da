"""The trained model on disk, and scoring a panel with it: no database, no Streamlit.

Models are saved as ``<version>.joblib`` with ``<version>.json`` metadata (data as-of month,
cut-offs, validation metrics and curves, feature lists, the churn definition in force) in the
models directory; ``latest.json`` names the newest. A rolling-origin backtest is kept beside them
as ``backtest-latest.json`` so the analysts' page can show it without re-running it.
``data_access.churn_jobs`` reads the warehouse and calls these.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import joblib
import numpy as np
import pandas as pd

from analytics.churn import definition, features, reasons
from analytics.churn.panel import MonthPanel, add_months, month_index

MODEL_DIR_ENV = "PCRM_MODEL_DIR"
DEFAULT_MODEL_DIR = Path(__file__).resolve().parents[2] / "data" / "models"
BACKTEST_FILE = "backtest-latest.json"
BACKTEST_ORIGINS: int = 4
# Cut-offs whose features see at least this many months of history are preferred for training.
PREFERRED_HISTORY_MONTHS: int = 6


def model_dir(path: str | Path | None = None) -> Path:
    """``path``, else ``$PCRM_MODEL_DIR``, else ``data/models``."""
    return Path(path or os.environ.get(MODEL_DIR_ENV) or DEFAULT_MODEL_DIR)


def definition_constants() -> dict:
    """The churn definition in force, recorded in each model's metadata."""
    names = (
        "LABEL_WINDOW_MONTHS",
        "BASELINE_MONTHS",
        "ASSET_FALL_SHARE",
        "ASSET_FALL_CONFIRM_MONTHS",
        "DORMANT_MONTHS",
        "DORMANT_COUNTS_AS_CHURN",
        "MIN_BASELINE_AUM_RMB",
        "MIN_HISTORY_MONTHS",
    )
    return {name: getattr(definition, name) for name in names}


def training_cutoffs(first: dt.date, last: dt.date) -> list[dt.date]:
    """Labelled cut-offs, without those with under PREFERRED_HISTORY_MONTHS when others exist."""
    cutoffs = definition.labelled_cutoffs(first, last)
    preferred = [
        c for c in cutoffs if month_index(c) - month_index(first) + 1 >= PREFERRED_HISTORY_MONTHS
    ]
    return preferred or cutoffs


def _write_json(path: Path, payload: dict) -> None:
    """Write beside the target and rename, so a reader never sees half a file."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(payload, indent=2, default=str), encoding="utf-8")
    os.replace(tmp, path)


def save_model(fitted, meta: dict, models: str | Path | None = None) -> Path:
    """Save the model and its metadata, then point ``latest.json`` at it."""
    folder = model_dir(models)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{meta['version']}.joblib"
    joblib.dump(fitted, path)
    _write_json(folder / f"{meta['version']}.json", meta)
    _write_json(folder / "latest.json", {"version": meta["version"]})
    return path


def has_model(models: str | Path | None = None) -> bool:
    return (model_dir(models) / "latest.json").exists()


def latest_version(models: str | Path | None = None) -> str:
    """Version named by ``latest.json``; FileNotFoundError when no model was trained."""
    pointer = model_dir(models) / "latest.json"
    if not pointer.exists():
        raise FileNotFoundError(
            f"no trained churn model in {model_dir(models)}: run `python -m cli churn train`"
        )
    return json.loads(pointer.read_text(encoding="utf-8"))["version"]


def load_metadata(models: str | Path | None = None, version: str | None = None) -> dict:
    """Metadata of ``version`` or the latest model; FileNotFoundError if none."""
    version = version or latest_version(models)
    return json.loads((model_dir(models) / f"{version}.json").read_text(encoding="utf-8"))


def load_model(models: str | Path | None = None, version: str | None = None) -> tuple:
    """(fitted model, metadata) of ``version`` or the latest; FileNotFoundError if none."""
    meta = load_metadata(models, version)
    return joblib.load(model_dir(models) / f"{meta['version']}.joblib"), meta


def save_backtest(result: dict, models: str | Path | None = None) -> Path:
    folder = model_dir(models)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / BACKTEST_FILE
    _write_json(path, result)
    return path


def load_backtest(models: str | Path | None = None) -> dict | None:
    """The last saved backtest, or None when none was run."""
    path = model_dir(models) / BACKTEST_FILE
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def score_grid(panel: pd.DataFrame, first_month: dt.date, last_month: dt.date) -> MonthPanel:
    """One pivot of ``panel`` that serves scoring every month from ``first_month`` to
    ``last_month``: pivoting once instead of once per scored month."""
    return MonthPanel(panel, add_months(first_month, -(features.FEATURE_MONTHS - 1)), last_month)


def score_frame(
    fitted,
    meta: dict,
    inputs: dict[str, pd.DataFrame],
    month: dt.date,
    grid: MonthPanel | None = None,
) -> pd.DataFrame:
    """Scores of the customers eligible at ``month``: the rows of ``mart_churn_score``.

    ``grid`` (from :func:`score_grid`) must cover ``month`` and its feature months.
    """
    panel = inputs["panel"]
    grid = grid if grid is not None else score_grid(panel, month, month)
    eligible = definition.eligible_customers(grid, month)
    feats = features.build_features(
        grid,
        month,
        inputs["customers"],
        inputs["holdings"],
        customer_ids=eligible["customer_id"].to_numpy(),
    )
    columns = meta["numeric_features"] + meta["categorical_features"]
    if len(feats):
        probability = np.round(fitted.predict_proba(feats[columns])[:, 1], 6)
    else:
        probability = np.zeros(0)
    reason_json, top = reasons.reason_codes(feats)
    at_month = panel.loc[panel["month_start"] == pd.Timestamp(month)]
    assignment = at_month.drop_duplicates("customer_id").set_index("customer_id")
    aum = feats["aum_rmb"].fillna(0.0).to_numpy(float)
    return pd.DataFrame(
        {
            "customer_id": feats["customer_id"].to_numpy(),
            "branch_id": assignment["branch_id"].reindex(feats["customer_id"]).to_numpy(),
            "rm_staff_id": assignment["rm_staff_id"].reindex(feats["customer_id"]).to_numpy(),
            "month_start": pd.Timestamp(month),
            "tier_code": feats["tier_code"].fillna("mass").to_numpy(),
            "probability": probability,
            "aum_rmb": aum,
            "expected_assets_at_risk_rmb": np.round(probability * aum, 2),
            "score_band": definition.score_band(probability),
            "top_reason": top,
            "reason_codes": reason_json,
            "model_version": meta["version"],
        }
    )
