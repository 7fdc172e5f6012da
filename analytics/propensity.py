"""Next best product (下一个最佳产品): one propensity model per product line, with reasons.

For each product line in ``cross_sell_rules.TARGETS`` a logistic regression (standardised
features, L2) learns who holds it from everything else known about the customer: balances by
asset class, channels, spending, age, tenure, risk grade, occupation and the other products
held. A customer who does not hold the line yet but looks like those who do is a likely taker.

Why logistic regression: it ranks well on this kind of tabular data, its AUC is honest on the
held-out customers, each suggestion can name the feature that pushed it most (coefficient x
standardised value), and it is linear (:func:`linear_weights` gives the log-odds as a weighted
sum of the raw features).

The models are fitted once per refresh on a province-wide sample, and every customer is scored
in the same step (:func:`score_customers`, run by ``data_access.next_best_jobs``): pages read the
marts ``mart_next_best`` and ``mart_propensity_model`` and never fit anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from analytics import cross_sell_rules as xr

BINARY_PREFIXES: tuple[str, ...] = ("holds_", "occ_", "has_")
# How the strongest feature pushed a suggestion: a binary feature held / not held, a numeric one
# above / below the sample's mean (rendered in words by ui.next_best.reason_text).
REASON_DIRECTIONS: tuple[str, ...] = ("has", "lacks", "high", "low")
SCORE_COLUMNS: tuple[str, ...] = (
    "customer_id",
    "target",
    "probability",
    "rank",
    "reason_feature",
    "reason_direction",
)


@dataclass
class ProductModel:
    """A fitted model for one product line and how well it ranks held-out customers."""

    target: str
    features: tuple[str, ...]
    pipeline: Pipeline | None
    auc: float | None
    count_train: int
    count_test: int
    count_holders: int
    base_rate_pct: float
    reason: str = ""  # why there is no model (too few holders / non-holders)


@dataclass
class PropensityModels:
    """Every product line's model, fitted on one sample."""

    models: dict[str, ProductModel] = field(default_factory=dict)

    def evaluation(self) -> pd.DataFrame:
        """One row per product line: AUC on held-out customers, sizes, base rate."""
        rows = [
            {
                "target": m.target,
                "auc": m.auc,
                "count_train": m.count_train,
                "count_test": m.count_test,
                "count_holders": m.count_holders,
                "base_rate_pct": m.base_rate_pct,
                "has_model": m.pipeline is not None,
                "reason": m.reason,
            }
            for m in self.models.values()
        ]
        return pd.DataFrame(
            rows,
            columns=list(xr.MODEL_COLUMNS),
        )


def features_for(target: str, all_features: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The features of ``target``'s model: all but its label and the features that restate it."""
    dropped = {f"holds_{target}", *xr.LEAKS.get(target, ())}
    return tuple(f for f in all_features if f not in dropped)


def is_test(customer_ids: pd.Series) -> np.ndarray:
    """The held-out customers: a fixed share of ids by a hash, the same on every run."""
    ids = customer_ids.astype("int64").to_numpy()
    return ((ids * 2_654_435_761) % 2**32) % xr.HASH_BUCKETS >= xr.HASH_BUCKETS - xr.TEST_BUCKETS


def _pipeline() -> Pipeline:
    return Pipeline(
        [
            ("scale", StandardScaler()),
            ("model", LogisticRegression(C=xr.REGULARISATION_C, max_iter=1000)),
        ]
    )


def fit_one(sample: pd.DataFrame, target: str, all_features: tuple[str, ...]) -> ProductModel:
    """Fit ``target``'s model on the training part of ``sample``, score the held-out part."""
    features = features_for(target, all_features)
    label = sample[f"holds_{target}"].astype(float).to_numpy() > 0.5
    test = is_test(sample["customer_id"])
    holders = int(label.sum())
    base = float(label.mean() * 100) if len(label) else 0.0
    sizes = {
        "count_train": int((~test).sum()),
        "count_test": int(test.sum()),
        "count_holders": holders,
        "base_rate_pct": base,
    }
    train_pos, train_neg = int(label[~test].sum()), int((~label[~test]).sum())
    test_pos, test_neg = int(label[test].sum()), int((~label[test]).sum())
    if min(train_pos, train_neg) < xr.MIN_CLASS_COUNT or min(test_pos, test_neg) < 1:
        return ProductModel(target, features, None, None, reason="too_few", **sizes)
    x = sample[list(features)].astype(float).to_numpy()
    pipeline = _pipeline().fit(x[~test], label[~test])
    auc = float(roc_auc_score(label[test], pipeline.predict_proba(x[test])[:, 1]))
    # The model that scores customers is refitted on the whole sample (more holders to learn
    # from); the AUC above is the held-out estimate of how well this recipe ranks.
    pipeline = _pipeline().fit(x, label)
    return ProductModel(target, features, pipeline, auc, **sizes)


def fit_models(
    sample: pd.DataFrame, all_features: tuple[str, ...], targets: tuple[str, ...] = xr.TARGETS
) -> PropensityModels:
    """One model per product line present in ``sample`` (``holds_<target>`` columns)."""
    models = PropensityModels()
    for target in targets:
        if f"holds_{target}" in sample:
            models.models[target] = fit_one(sample, target, all_features)
    return models


def linear_weights(model: ProductModel) -> tuple[tuple[str, float], ...]:
    """The model as weights on the raw features plus ``("intercept", b)``: the log-odds are
    ``b + sum(w_i * x_i)``, which the data layer computes in SQL for a campaign list."""
    if model.pipeline is None:
        return ()
    scaler: StandardScaler = model.pipeline.named_steps["scale"]
    logistic: LogisticRegression = model.pipeline.named_steps["model"]
    coef = logistic.coef_[0] / scaler.scale_
    intercept = float(logistic.intercept_[0] - np.sum(coef * scaler.mean_))
    return (("intercept", intercept),) + tuple(
        (name, float(w)) for name, w in zip(model.features, coef, strict=True)
    )


def probability(log_odds: np.ndarray | pd.Series | float) -> np.ndarray:
    """Logistic function: log-odds to probability."""
    return 1.0 / (1.0 + np.exp(-np.asarray(log_odds, dtype=float)))


def contributions(model: ProductModel, row: pd.Series) -> pd.Series:
    """Each feature's push on the log-odds for one customer (coefficient x standardised value),
    largest first."""
    scaler: StandardScaler = model.pipeline.named_steps["scale"]
    logistic: LogisticRegression = model.pipeline.named_steps["model"]
    x = row[list(model.features)].astype(float).to_numpy()
    z = (x - scaler.mean_) / scaler.scale_
    # Stable: on a tie the earlier feature wins, as np.argmax does in score_customers.
    return pd.Series(logistic.coef_[0] * z, index=list(model.features)).sort_values(
        ascending=False, kind="stable"
    )


def suggestions(
    models: PropensityModels, row: pd.Series, top: int = xr.TOP_SUGGESTIONS
) -> pd.DataFrame:
    """The product lines ``row``'s customer does not hold, most likely taken first.

    Columns: ``target``, ``probability_pct``, ``lift`` (probability over the line's base rate),
    ``reason_feature`` (the feature that pushed the score up most), ``reason_value`` (its raw
    value) and ``reason_above`` (True when the value is above the sample's mean).
    """
    columns = [
        "target",
        "probability_pct",
        "lift",
        "reason_feature",
        "reason_value",
        "reason_above",
    ]
    rows = []
    for target, model in models.models.items():
        if model.pipeline is None or float(row.get(f"holds_{target}", 0)) > 0.5:
            continue
        x = row[list(model.features)].astype(float).to_numpy().reshape(1, -1)
        p = float(model.pipeline.predict_proba(x)[0, 1])
        push = contributions(model, row)
        feature = str(push.index[0])
        scaler: StandardScaler = model.pipeline.named_steps["scale"]
        mean = float(scaler.mean_[list(model.features).index(feature)])
        rows.append(
            {
                "target": target,
                "probability_pct": p * 100,
                "lift": (p * 100 / model.base_rate_pct) if model.base_rate_pct else None,
                "reason_feature": feature,
                "reason_value": float(row[feature]),
                "reason_above": float(row[feature]) > mean,
            }
        )
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(
        "probability_pct", ascending=False, ignore_index=True, kind="stable"
    ).head(top)


def is_binary(feature: str) -> bool:
    return feature.startswith(BINARY_PREFIXES)


def reason_direction(feature: str, value: float, mean: float) -> str:
    """``has`` / ``lacks`` for a binary feature (value above 0.5 or not), ``high`` / ``low``
    for a numeric one (value above the sample's mean or not)."""
    if is_binary(feature):
        return "has" if value > 0.5 else "lacks"
    return "high" if value > mean else "low"


def score_customers(models: PropensityModels, features: pd.DataFrame) -> pd.DataFrame:
    """Every customer of ``features`` with every modelled product line they do not hold.

    ``features`` holds ``customer_id``, the model features and the ``holds_<line>`` columns
    (one row per customer). One row per customer and line: ``probability`` (0-1), ``rank``
    among the customer's lines (1 = most likely; ties in the order of the models), and the
    strongest reason as in :func:`suggestions` (``reason_feature`` and ``reason_direction``,
    one of :data:`REASON_DIRECTIONS`). The same numbers as :func:`suggestions`, for a whole
    frame at once (refresh scores every customer with it).
    """
    parts = []
    for order, (target, model) in enumerate(models.models.items()):
        if model.pipeline is None:
            continue
        held = features[f"holds_{target}"].astype(float).to_numpy() > 0.5
        rows = features.loc[~held]
        if rows.empty:
            continue
        x = rows[list(model.features)].astype(float).to_numpy()
        scaler: StandardScaler = model.pipeline.named_steps["scale"]
        logistic: LogisticRegression = model.pipeline.named_steps["model"]
        probability = model.pipeline.predict_proba(x)[:, 1]
        push = logistic.coef_[0] * ((x - scaler.mean_) / scaler.scale_)
        strongest = push.argmax(axis=1)
        values = x[np.arange(len(x)), strongest]
        means = scaler.mean_[strongest]
        names = np.asarray(model.features, dtype=object)[strongest]
        binary = np.array([is_binary(f) for f in model.features])[strongest]
        direction = np.where(
            binary,
            np.where(values > 0.5, "has", "lacks"),
            np.where(values > means, "high", "low"),
        )
        parts.append(
            pd.DataFrame(
                {
                    "customer_id": rows["customer_id"].to_numpy(),
                    "target": target,
                    "probability": probability,
                    "reason_feature": names,
                    "reason_direction": direction,
                    "order": order,
                }
            )
        )
    if not parts:
        return pd.DataFrame(columns=list(SCORE_COLUMNS))
    scored = pd.concat(parts, ignore_index=True).sort_values(
        ["customer_id", "probability", "order"],
        ascending=[True, False, True],
        kind="stable",
        ignore_index=True,
    )
    scored["rank"] = scored.groupby("customer_id").cumcount() + 1
    return scored[list(SCORE_COLUMNS)]
