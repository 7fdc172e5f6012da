"""The propensity models on seeded synthetic customers: they learn a planted signal, report an
honest AUC, reproduce their scores as linear weights, and explain suggestions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics import propensity

FEATURES = ("log_aum", "txn_mobile", "age", "holds_wealth", "holds_mobile_banking", "noise")


def _sample(n: int = 2000, seed: int = 7) -> pd.DataFrame:
    """Wealth holders are richer; mobile-banking holders are younger and transact on mobile."""
    rng = np.random.default_rng(seed)
    log_aum = rng.normal(10, 2, n)
    age = rng.uniform(20, 75, n)
    txn_mobile = rng.poisson(3, n).astype(float)
    wealth = rng.random(n) < 1 / (1 + np.exp(-(log_aum - 12) * 2))
    mobile = rng.random(n) < 1 / (1 + np.exp((age - 45) / 6))
    return pd.DataFrame(
        {
            "customer_id": np.arange(1, n + 1),
            "log_aum": log_aum,
            "txn_mobile": txn_mobile * mobile,
            "age": age,
            "holds_wealth": wealth.astype(float),
            "holds_mobile_banking": mobile.astype(float),
            "noise": rng.normal(0, 1, n),
        }
    )


def test_a_planted_signal_is_learned_with_a_high_held_out_auc() -> None:
    models = propensity.fit_models(_sample(), FEATURES, targets=("wealth", "mobile_banking"))
    evaluation = models.evaluation().set_index("target")
    assert evaluation.loc["wealth", "auc"] > 0.85
    assert evaluation.loc["mobile_banking", "auc"] > 0.8
    assert evaluation.loc["wealth", "count_train"] + evaluation.loc["wealth", "count_test"] == 2000
    # Held out: about TEST_BUCKETS / HASH_BUCKETS of the customers, fixed by id.
    assert 500 < evaluation.loc["wealth", "count_test"] < 700


def test_the_label_and_its_leaks_are_not_features() -> None:
    features = propensity.features_for("mobile_banking", FEATURES)
    assert "holds_mobile_banking" not in features and "txn_mobile" not in features
    assert "holds_wealth" in features
    assert "log_wealth" not in propensity.features_for("wealth", ("log_wealth", "age"))


def test_a_line_with_too_few_holders_gets_no_model() -> None:
    sample = _sample(300)
    sample["holds_wealth"] = 0.0
    sample.loc[:5, "holds_wealth"] = 1.0
    model = propensity.fit_models(sample, FEATURES, targets=("wealth",)).models["wealth"]
    assert model.pipeline is None and model.auc is None and model.reason == "too_few"
    assert propensity.linear_weights(model) == ()


def test_linear_weights_reproduce_the_models_probability() -> None:
    sample = _sample()
    model = propensity.fit_models(sample, FEATURES, targets=("wealth",)).models["wealth"]
    weights = dict(propensity.linear_weights(model))
    x = sample[list(model.features)].astype(float)
    log_odds = weights["intercept"] + sum(x[f] * weights[f] for f in model.features)
    expected = model.pipeline.predict_proba(x.to_numpy())[:, 1]
    np.testing.assert_allclose(propensity.probability(log_odds), expected, rtol=1e-9)


def test_the_split_is_deterministic_by_customer_id() -> None:
    ids = pd.Series(range(1, 1001))
    assert (propensity.is_test(ids) == propensity.is_test(ids)).all()
    assert propensity.is_test(ids[::-1]).sum() == propensity.is_test(ids).sum()


def test_suggestions_skip_held_lines_and_name_the_strongest_reason() -> None:
    sample = _sample()
    models = propensity.fit_models(sample, FEATURES, targets=("wealth", "mobile_banking"))
    rich_old = sample.iloc[0].copy()
    rich_old[["log_aum", "age", "holds_wealth", "holds_mobile_banking"]] = [15.0, 70.0, 0.0, 1.0]
    found = propensity.suggestions(models, rich_old)
    assert found["target"].tolist() == ["wealth"]  # mobile banking is held already
    assert found.iloc[0]["probability_pct"] > 90
    assert found.iloc[0]["reason_feature"] == "log_aum"
    assert found.iloc[0]["reason_above"]
    base = models.models["wealth"].base_rate_pct
    assert found.iloc[0]["lift"] == pytest.approx(found.iloc[0]["probability_pct"] / base)


def test_binary_features_are_recognised() -> None:
    assert propensity.is_binary("holds_fund") and propensity.is_binary("occ_farmer")
    assert not propensity.is_binary("log_aum")


def test_scoring_a_frame_gives_each_customers_suggestions() -> None:
    sample = _sample(600)
    models = propensity.fit_models(sample, FEATURES, targets=("wealth", "mobile_banking"))
    scored = propensity.score_customers(models, sample)
    assert list(scored.columns) == list(propensity.SCORE_COLUMNS)
    # Held lines are left out: one row per customer and line not held.
    not_held = int(
        (sample["holds_wealth"] < 0.5).sum() + (sample["holds_mobile_banking"] < 0.5).sum()
    )
    assert len(scored) == not_held
    assert set(scored["reason_direction"]) <= set(propensity.REASON_DIRECTIONS)
    for _, row in sample.head(40).iterrows():
        expected = propensity.suggestions(models, row, top=5)
        got = scored[scored["customer_id"] == row["customer_id"]].sort_values("rank")
        assert got["target"].tolist() == expected["target"].tolist()
        assert got["rank"].tolist() == list(range(1, len(expected) + 1))
        np.testing.assert_allclose(got["probability"] * 100, expected["probability_pct"], rtol=1e-9)
        assert got["reason_feature"].tolist() == expected["reason_feature"].tolist()
        directions = [
            propensity.reason_direction(f, v, mean)
            for f, v, mean in zip(
                expected["reason_feature"],
                expected["reason_value"],
                [
                    models.models[t]
                    .pipeline.named_steps["scale"]
                    .mean_[list(models.models[t].features).index(f)]
                    for t, f in zip(expected["target"], expected["reason_feature"], strict=True)
                ],
                strict=True,
            )
        ]
        assert got["reason_direction"].tolist() == directions


def test_reason_directions() -> None:
    assert propensity.reason_direction("holds_fund", 1.0, 0.3) == "has"
    assert propensity.reason_direction("occ_farmer", 0.0, 0.3) == "lacks"
    assert propensity.reason_direction("log_aum", 12.0, 10.0) == "high"
    assert propensity.reason_direction("age", 30.0, 45.0) == "low"
