"""Customer groups: deterministic fit and names for a seed, nearest-centre assignment, cards."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics import clustering
from analytics import segment_rules as sr


def _customers(seed: int = 3, per_group: int = 40) -> pd.DataFrame:
    """Three clearly different kinds of customer, with a little noise."""
    rng = np.random.default_rng(seed)
    kinds = [
        # young mobile-first small balances
        {"log_aum": 8.0, "invest_share": 0.0, "log_loan": 0.0, "mobile_share": 0.9,
         "log_txns": np.log1p(25), "log_spend": 7.5, "count_products": 3, "age": 26},
        # senior counter-going savers
        {"log_aum": 11.5, "invest_share": 0.05, "log_loan": 0.0, "mobile_share": 0.05,
         "log_txns": np.log1p(4), "log_spend": 5.0, "count_products": 3, "age": 66},
        # middle-aged investors
        {"log_aum": 13.5, "invest_share": 0.6, "log_loan": 0.0, "mobile_share": 0.3,
         "log_txns": np.log1p(10), "log_spend": 8.5, "count_products": 6, "age": 47},
    ]  # fmt: skip
    rows = []
    for kind in kinds:
        for _ in range(per_group):
            rows.append({k: v + rng.normal(0, 0.02) for k, v in kind.items()})
    frame = pd.DataFrame(rows)
    frame.insert(0, "customer_id", np.arange(1, len(frame) + 1))
    return frame


def test_fit_finds_the_three_kinds_and_orders_them_by_assets() -> None:
    sample = _customers()
    spec = clustering.fit_groups(sample, n_groups=3, seed=7)
    assert spec is not None and spec.count == 3
    centres = spec.raw_centres()
    # Group 0 holds the smallest balances.
    assert list(centres["log_aum"]) == pytest.approx([8.0, 11.5, 13.5], abs=0.05)
    groups = clustering.assign(sample, spec)
    assert list(np.bincount(groups)) == [40, 40, 40]
    assert (groups[:40] == 0).all() and (groups[40:80] == 1).all()


def test_same_data_same_groups_whatever_the_row_order() -> None:
    sample = _customers()
    first = clustering.fit_groups(sample, n_groups=3, seed=7)
    again = clustering.fit_groups(sample, n_groups=3, seed=7)
    shuffled = clustering.fit_groups(sample.sample(frac=1.0, random_state=1), n_groups=3, seed=7)
    assert first == again == shuffled
    assert hash(first) == hash(shuffled)  # usable as a cache key


def test_names_from_the_centres() -> None:
    spec = clustering.fit_groups(_customers(), n_groups=3, seed=7)
    names = clustering.group_names(spec)
    assert names == [
        ("young", "mobile_first", "small_balances", 0),
        ("senior", "counter_going", "savers", 0),
        ("middle_aged", "counter_going", "investors", 0),
    ]


def test_name_rules_at_their_thresholds() -> None:
    base = {"age": 35.0, "log_txns": np.log1p(2.0), "mobile_share": 0.5, "invest_share": 0.0,
            "log_aum": np.log1p(50_000.0), "log_loan": 0.0}  # fmt: skip
    assert clustering.name_parts(base) == ("middle_aged", "mobile_first", "savers")
    assert clustering.name_parts({**base, "age": 34.9})[0] == "young"
    assert clustering.name_parts({**base, "age": 55.0})[0] == "senior"
    assert clustering.name_parts({**base, "log_txns": np.log1p(1.9)})[1] == "low_activity"
    assert clustering.name_parts({**base, "mobile_share": 0.49})[1] == "counter_going"
    assert clustering.name_parts({**base, "log_loan": np.log1p(50_000.0)})[2] == "borrowers"
    assert clustering.name_parts({**base, "invest_share": 0.25})[2] == "investors"
    assert clustering.name_parts({**base, "log_aum": np.log1p(1e6)})[2] == "wealthy_savers"
    assert clustering.name_parts({**base, "log_aum": np.log1p(49_999.0)})[2] == "small_balances"


def test_groups_named_alike_get_ordinals() -> None:
    spec = clustering.GroupSpec(
        features=sr.CLUSTER_FEATURES,
        means=(0.0,) * 8,
        scales=(1.0,) * 8,
        centres=((8.0, 0, 0, 0.9, 3.0, 7, 3, 25), (8.5, 0, 0, 0.9, 3.0, 7, 3, 27)),
    )
    assert [n[3] for n in clustering.group_names(spec)] == [1, 2]


def test_too_few_customers_gives_no_groups() -> None:
    assert clustering.fit_groups(_customers(per_group=1).head(1), n_groups=6) is None


def test_actions_follow_the_rules_in_priority_order() -> None:
    card = {"churn_rate_pct": 6.0, "avg_aum_rmb": 80_000.0, "invest_share_pct": 5.0,
            "mobile_share_pct": 10.0, "avg_core_products": 1.0, "avg_txns": 1.0,
            "avg_age": 30.0, "avg_loan_rmb": 0.0}  # fmt: skip
    actions = clustering.suggest_actions(card)
    assert actions == ["retention_callbacks", "wealth_advice", "mobile_activation", "core_bundle"]
    assert len(actions) == sr.MAX_ACTIONS
    quiet = {"churn_rate_pct": 1.0, "avg_aum_rmb": 10_000.0, "invest_share_pct": 50.0,
             "mobile_share_pct": 80.0, "avg_core_products": 4.0, "avg_txns": 20.0,
             "avg_age": 45.0, "avg_loan_rmb": 0.0}  # fmt: skip
    assert clustering.suggest_actions(quiet) == [sr.DEFAULT_ACTION]
    assert clustering.suggest_actions({**quiet, "avg_aum_rmb": 1e6}) == ["vip_services"]


def test_group_cards_known_answer() -> None:
    summary = pd.DataFrame(
        {
            "group_id": [0, 1, 2],
            "count_customers": [10.0, 30.0, np.nan],  # group 2 suppressed
            "aum_rmb": [100_000.0, 300_000.0, np.nan],
            "sum_age": [300.0, 1500.0, np.nan],
            "sum_mobile_share": [9.0, 3.0, np.nan],
            "sum_invest_share": [0.0, 6.0, np.nan],
            "sum_txns": [200.0, 60.0, np.nan],
            "sum_loan_rmb": [0.0, 0.0, np.nan],
            "sum_core_products": [40.0, 60.0, np.nan],
        }
    )
    products = pd.DataFrame(
        {
            "group_id": [0, 0, 1, 1, 1],
            "category": ["debit_card", "mobile_banking", "debit_card", "time_deposit", "wealth"],
            "count_holders": [10, 9, 30, 24, 6],
        }
    )
    churn = pd.DataFrame({"group_id": [0, 1], "count_base": [20, 40], "count_left": [1, 4]})
    cards = clustering.group_cards(summary, products, churn).set_index("group_id")
    assert cards.loc[0, "customer_share_pct"] == 25.0
    assert cards.loc[1, "aum_share_pct"] == 75.0
    assert cards.loc[0, "avg_age"] == 30.0
    assert cards.loc[0, "mobile_share_pct"] == 90.0
    assert cards.loc[1, "invest_share_pct"] == 20.0
    assert cards.loc[0, "churn_rate_pct"] == 5.0
    assert cards.loc[1, "churn_rate_pct"] == 10.0
    # Mobile banking is held by 9 of 10 in group 0 and nobody in group 1: most distinctive.
    assert cards.loc[0, "typical_products"] == ["mobile_banking", "debit_card"]
    # Wealth is held by 20% of group 1 (the minimum share): it qualifies.
    assert cards.loc[1, "typical_products"][0] in {"time_deposit", "wealth"}
    assert "wealth" in cards.loc[1, "typical_products"]
    assert cards.loc[2, "actions"] == []
    assert "retention_callbacks" in cards.loc[1, "actions"]


def test_fit_runs_k_means_on_one_thread(monkeypatch) -> None:
    """k-means fits in one OpenMP thread whatever the process allows: threads cost a branch's
    live fit at 1,000,000 customers 10-50 times the CPU on a shared machine (issue 19)."""
    from sklearn.cluster import KMeans
    from threadpoolctl import threadpool_info, threadpool_limits

    seen: list[int] = []
    fit = KMeans.fit

    def recording_fit(self, *args, **kwargs):
        seen.extend(i["num_threads"] for i in threadpool_info() if i["user_api"] == "openmp")
        return fit(self, *args, **kwargs)

    monkeypatch.setattr(KMeans, "fit", recording_fit)
    with threadpool_limits(limits=2, user_api="openmp"):
        spec = clustering.fit_groups(_customers(), n_groups=3, seed=7)
    assert spec is not None and seen and set(seen) == {1}
