"""Known answers for tier boundaries and the downgrade grace rule (analytics/tiers.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics import rules, tiers

RANK = {code: rank for rank, code in enumerate(rules.TIER_CODES)}

BOUNDARIES = [
    (0.0, "mass"),
    (49_999.99, "mass"),
    (50_000.0, "potential"),
    (199_999.99, "potential"),
    (200_000.0, "affluent"),
    (999_999.99, "affluent"),
    (1_000_000.0, "vip"),
    (5_999_999.99, "vip"),
    (6_000_000.0, "private"),
    (250_000_000.0, "private"),
]


def months(n: int, start: str = "2025-01-01") -> list[pd.Timestamp]:
    return list(pd.date_range(start, periods=n, freq="MS"))


def history(*customers: tuple[int, list[float]]) -> pd.DataFrame:
    rows = [
        {"customer_id": cid, "month_start": month, "aum_rmb": aum}
        for cid, balances in customers
        for month, aum in zip(months(len(balances)), balances, strict=True)
    ]
    return pd.DataFrame(rows)


def reference_rule(balances: list[float]) -> list[tuple[str, int]]:
    """The grace rule written out month by month, as docs/rules.md states it."""
    out: list[tuple[str, int]] = []
    tier: int | None = None
    below = 0
    for aum in balances:
        raw = RANK[rules.tier_for_assets(aum)]
        if tier is None or raw >= tier:
            tier, below = raw, 0
        else:
            below += 1
            if below >= rules.DOWNGRADE_AFTER_MONTHS:
                tier, below = raw, 0
        out.append((rules.TIER_CODES[tier], below))
    return out


# ------------------------------------------------------------------ boundaries


def test_tier_table_is_the_documented_one() -> None:
    assert rules.TIER_CODES == ("mass", "potential", "affluent", "vip", "private")
    floors = [t.floor_rmb for t in rules.TIERS]
    assert floors == [0.0, 50_000.0, 200_000.0, 1_000_000.0, 6_000_000.0]
    assert rules.TIER_BY_CODE["vip"].floor_rmb == rules.VIP_THRESHOLD_RMB
    assert (rules.WATCH_AFTER_MONTHS, rules.DOWNGRADE_AFTER_MONTHS) == (3, 6)


@pytest.mark.parametrize(("aum", "code"), BOUNDARIES)
def test_each_boundary_scalar(aum: float, code: str) -> None:
    assert rules.tier_for_assets(aum) == code


def test_each_boundary_vectorised() -> None:
    balances = np.array([aum for aum, _ in BOUNDARIES])
    codes = tiers.tier_codes(tiers.raw_tier_rank(balances))
    assert list(codes) == [code for _, code in BOUNDARIES]
    assert list(tiers.raw_tier_rank(pd.Series(balances))) == [RANK[c] for _, c in BOUNDARIES]


def test_missing_balance_counts_as_nothing() -> None:
    assert list(tiers.tier_codes(tiers.raw_tier_rank(np.array([np.nan, 60_000.0])))) == [
        "mass",
        "potential",
    ]


def test_negative_balance_is_mass_like_the_scalar_rule() -> None:
    assert rules.tier_for_assets(-10.0) == "mass"
    assert list(tiers.tier_codes(tiers.raw_tier_rank(np.array([-10.0])))) == ["mass"]


# ------------------------------------------------------------------ grace rule


def test_upgrade_takes_effect_at_once() -> None:
    out = tiers.assign_tiers(history((1, [10_000.0, 300_000.0, 7_000_000.0])))
    assert list(out["tier_code"]) == ["mass", "affluent", "private"]
    assert list(out["months_below_floor"]) == [0, 0, 0]
    assert list(out["grace_state"]) == ["none", "none", "none"]


def test_grace_then_watch_then_downgrade_at_month_six() -> None:
    # VIP, then six months at an affluent balance.
    out = tiers.assign_tiers(history((1, [1_200_000.0] + [500_000.0] * 7)))
    assert list(out["raw_tier_code"]) == ["vip"] + ["affluent"] * 7
    assert list(out["tier_code"]) == ["vip"] * 6 + ["affluent"] * 2
    assert list(out["months_below_floor"]) == [0, 1, 2, 3, 4, 5, 0, 0]
    assert list(out["grace_state"]) == [
        "none",
        "grace",
        "grace",
        "watch",
        "watch",
        "watch",
        "none",
        "none",
    ]


def test_downgrade_goes_to_the_tier_reached_in_month_six() -> None:
    # Below the VIP floor for six months, ending at a mass balance: straight down to mass.
    balances = [2_000_000.0, 500_000.0, 500_000.0, 150_000.0, 150_000.0, 150_000.0, 20_000.0]
    out = tiers.assign_tiers(history((1, balances)))
    assert list(out["tier_code"]) == ["vip"] * 6 + ["mass"]
    assert out["months_below_floor"].iloc[-1] == 0


def test_recovery_resets_the_count() -> None:
    balances = [1_500_000.0] + [600_000.0] * 4 + [1_000_000.0] + [600_000.0] * 6
    out = tiers.assign_tiers(history((1, balances)))
    assert list(out["months_below_floor"]) == [0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 5, 0]
    assert list(out["tier_code"]) == ["vip"] * 11 + ["affluent"]


def test_partial_recovery_below_the_floor_keeps_counting() -> None:
    balances = [1_000_000.0, 100_000.0, 999_999.99, 300_000.0, 900_000.0, 999_000.0, 999_999.0]
    out = tiers.assign_tiers(history((1, balances)))
    assert list(out["months_below_floor"]) == [0, 1, 2, 3, 4, 5, 0]
    assert list(out["tier_code"]) == ["vip"] * 6 + ["affluent"]


def test_upgrade_during_grace_clears_it() -> None:
    out = tiers.assign_tiers(history((1, [1_100_000.0, 400_000.0, 400_000.0, 6_500_000.0])))
    assert list(out["tier_code"]) == ["vip", "vip", "vip", "private"]
    assert list(out["months_below_floor"]) == [0, 1, 2, 0]


def test_below_the_new_floor_after_a_downgrade_starts_a_new_count() -> None:
    balances = [1_000_000.0] + [300_000.0] * 6 + [40_000.0] * 6
    out = tiers.assign_tiers(history((1, balances)))
    assert list(out["tier_code"]) == ["vip"] * 6 + ["affluent"] * 6 + ["mass"]
    assert list(out["months_below_floor"]) == [0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5, 0]


def test_each_customer_starts_without_history_and_input_order_does_not_matter() -> None:
    frame = history((2, [30_000.0, 30_000.0]), (1, [2_000_000.0, 600_000.0, 600_000.0]))
    shuffled = frame.sample(frac=1.0, random_state=3)
    out = tiers.assign_tiers(shuffled)
    assert list(out["customer_id"]) == [1, 1, 1, 2, 2]
    assert list(out["month_start"]) == months(3) + months(2)
    # Customer 2's first month takes its raw tier, not customer 1's VIP in grace.
    assert list(out["tier_code"]) == ["vip", "vip", "vip", "mass", "mass"]
    assert list(out["months_below_floor"]) == [0, 1, 2, 0, 0]
    assert len(out) == len(frame)
    assert {"raw_tier_code", "tier_code", "months_below_floor", "grace_state"} <= set(out.columns)


def test_first_month_takes_the_raw_tier_even_below_a_previous_rank() -> None:
    effective, below = tiers.step_grace(
        np.array([3, 3]), np.array([2, 2]), np.array([0, 0]), np.array([True, False])
    )
    assert list(effective) == [0, 3]
    assert list(below) == [0, 3]


def test_grace_state_labels() -> None:
    assert list(tiers.grace_state(np.array([0, 1, 2, 3, 4, 5]))) == [
        "none",
        "grace",
        "grace",
        "watch",
        "watch",
        "watch",
    ]


# ------------------------------------------------------------------ vectorised == row-wise

# Balances near every floor, so that tiny moves cross boundaries often.
_near_floor = st.sampled_from([t.floor_rmb for t in rules.TIERS]).flatmap(
    lambda floor: st.floats(min_value=max(floor - 2.0, 0.0), max_value=floor + 2.0)
)
_balance = st.one_of(_near_floor, st.floats(min_value=0.0, max_value=8_000_000.0))


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.lists(_balance, min_size=1, max_size=14),
        min_size=1,
        max_size=6,
    )
)
def test_assign_tiers_matches_the_rule_as_written(customers: list[list[float]]) -> None:
    frame = history(*enumerate(customers, start=1))
    out = tiers.assign_tiers(frame)
    expected = [pair for balances in customers for pair in reference_rule(balances)]
    assert list(zip(out["tier_code"], out["months_below_floor"], strict=True)) == expected


def test_step_grace_over_all_customers_equals_row_wise_assign_tiers() -> None:
    """One call of step_grace per month for every customer at once gives assign_tiers' answer."""
    rng = np.random.default_rng(42)
    n_customers, n_months = 400, 24
    # A random walk in log space around each tier floor: plenty of ups, downs and recoveries.
    start = rng.choice([20_000.0, 60_000.0, 250_000.0, 1_100_000.0, 6_100_000.0], n_customers)
    steps = rng.normal(0.0, 0.35, size=(n_customers, n_months))
    steps[:, 0] = 0.0
    balances = start[:, None] * np.exp(np.cumsum(steps, axis=1))

    rank = np.zeros(n_customers, dtype=int)
    below = np.zeros(n_customers, dtype=int)
    vector_tiers = np.empty((n_customers, n_months), dtype=int)
    vector_below = np.empty((n_customers, n_months), dtype=int)
    for m in range(n_months):
        rank, below = tiers.step_grace(rank, below, tiers.raw_tier_rank(balances[:, m]), m == 0)
        vector_tiers[:, m], vector_below[:, m] = rank, below

    frame = history(*((c, list(balances[c])) for c in range(n_customers)))
    row_wise = tiers.assign_tiers(frame)
    assert list(row_wise["tier_code"]) == list(tiers.tier_codes(vector_tiers.ravel()))
    assert list(row_wise["months_below_floor"]) == list(vector_below.ravel())
    # The walk really exercised the rule: downgrades and watch states both happened.
    assert (vector_below >= rules.WATCH_AFTER_MONTHS).any()
    assert (np.diff(vector_tiers, axis=1) < 0).any()
