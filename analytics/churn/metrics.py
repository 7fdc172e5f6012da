"""Ranking and calibration metrics for churn scores, as a retention team reads them.

- ``roc_auc``: chance that a churner is ranked above a non-churner (0.5 = coin toss).
- ``pr_auc``: average precision; compare it with the positive rate, not with 1.
- ``lift_at_10pct``: churn rate among the top 10% by score, divided by the overall churn rate.
- ``capture_at_10pct``: share of all churners who are in the top 10% (= lift x 10%).
- ``brier``: mean squared error of the probabilities (calibration and sharpness together).

Ties in the score are shared fairly at the top-10% boundary (each tied customer counts in
proportion), so a rule that gives many customers the same score is not flattered or punished
by the order they happen to be sorted in.
"""

from __future__ import annotations

import math

import numpy as np
from sklearn.metrics import (
    average_precision_score,
    brier_score_loss,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)

TOP_SHARE: float = 0.10


def _arrays(y_true, score) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(y_true).astype(bool)
    s = np.asarray(score, dtype=float)
    if y.shape != s.shape:
        raise ValueError(f"labels {y.shape} and scores {s.shape} differ in shape")
    missing = np.isnan(s)
    if missing.any():  # a customer without a score ranks last
        low = float(s[~missing].min()) - 1.0 if (~missing).any() else 0.0
        s = np.where(missing, low, s)
    return y, s


def positives_in_top(y_true, score, share: float = TOP_SHARE) -> float:
    """Expected number of positives among the top ``share`` of customers by score (tie-fair)."""
    y, s = _arrays(y_true, score)
    n = len(y)
    k = math.ceil(share * n - 1e-9)
    if n == 0 or k == 0:
        return 0.0
    order = np.sort(s)[::-1]
    threshold = order[k - 1]
    above = s > threshold
    tied = s == threshold
    room = k - int(above.sum())
    tied_positives = int((tied & y).sum())
    return float((above & y).sum()) + room * tied_positives / int(tied.sum())


def capture_at(y_true, score, share: float = TOP_SHARE) -> float:
    """Share of all positives found in the top ``share`` by score."""
    y, _ = _arrays(y_true, score)
    positives = int(y.sum())
    return positives_in_top(y_true, score, share) / positives if positives else float("nan")


def lift_at(y_true, score, share: float = TOP_SHARE) -> float:
    """Positive rate in the top ``share`` divided by the overall positive rate."""
    y, _ = _arrays(y_true, score)
    n, positives = len(y), int(y.sum())
    k = math.ceil(share * n - 1e-9)
    if not positives or not k:
        return float("nan")
    return (positives_in_top(y_true, score, share) / k) / (positives / n)


def score_metrics(y_true, score, probability: bool = True) -> dict[str, float]:
    """All metrics for one set of scores; ``brier`` only when the scores are probabilities."""
    y, s = _arrays(y_true, score)
    both = 0 < y.sum() < len(y)
    result = {
        "roc_auc": float(roc_auc_score(y, s)) if both else float("nan"),
        "pr_auc": float(average_precision_score(y, s)) if both else float("nan"),
        "lift_at_10pct": lift_at(y, s),
        "capture_at_10pct": capture_at(y, s),
        "n": int(len(y)),
        "positive_rate": float(y.mean()) if len(y) else float("nan"),
    }
    if probability:
        result["brier"] = float(brier_score_loss(y, np.clip(s, 0.0, 1.0)))
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in result.items()}


def lift_curve(y_true, score, shares: np.ndarray | None = None) -> list[dict[str, float]]:
    """Capture and lift at each share of customers contacted (for the analysts' chart)."""
    shares = np.linspace(0.05, 1.0, 20) if shares is None else np.asarray(shares)
    return [
        {
            "share": round(float(q), 4),
            "capture": round(capture_at(y_true, score, float(q)), 4),
            "lift": round(lift_at(y_true, score, float(q)), 4),
        }
        for q in shares
    ]


def _thin(points: list[dict[str, float]], max_points: int) -> list[dict[str, float]]:
    """Keep at most ``max_points`` evenly spaced points, always the first and the last."""
    if len(points) <= max_points:
        return points
    keep = np.unique(np.linspace(0, len(points) - 1, max_points).round().astype(int))
    return [points[i] for i in keep]


def roc_points(y_true, score, max_points: int = 60) -> list[dict[str, float]]:
    """The ROC curve as (false positive rate, true positive rate) points, thinned for a chart."""
    y, s = _arrays(y_true, score)
    if not 0 < y.sum() < len(y):
        return []
    fpr, tpr, _ = roc_curve(y, s)
    points = [
        {"fpr": round(float(f), 4), "tpr": round(float(t), 4)}
        for f, t in zip(fpr, tpr, strict=True)
    ]
    return _thin(points, max_points)


def pr_points(y_true, score, max_points: int = 60) -> list[dict[str, float]]:
    """The precision-recall curve as (recall, precision) points, thinned for a chart."""
    y, s = _arrays(y_true, score)
    if not 0 < y.sum() < len(y):
        return []
    precision, recall, _ = precision_recall_curve(y, s)
    points = [
        {"recall": round(float(r), 4), "precision": round(float(p), 4)}
        for p, r in zip(precision[::-1], recall[::-1], strict=True)
    ]
    return _thin(points, max_points)
