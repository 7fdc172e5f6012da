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


# ------------------------------------------------------------------ the tier basis (层级口径)
def basis_history(*customers: tuple[int, str, list[tuple[float, float]]]) -> pd.DataFrame:
    """Rows of ``(customer, first month, [(month-end, daily average), ...])``."""
    rows = [
        {"customer_id": cid, "month_start": month, "aum_rmb": end, "aum_avg_rmb": avg}
        for cid, start, balances in customers
        for month, (end, avg) in zip(months(len(balances), start), balances, strict=True)
    ]
    return pd.DataFrame(rows)


def test_avg3_is_the_day_weighted_mean_of_the_last_three_daily_averages() -> None:
    # January 31 days, February 2025 28, March 31: (70,000 x 31 + 20,000 x 28 + 59,000 x 31) / 90
    # = 4,559,000 / 90 = 50,655.56: potential. The plain mean (49,666.67) would be mass.
    frame = basis_history((1, "2025-01-01", [(0, 70_000), (0, 20_000), (0, 59_000), (0, 0)]))
    measure = tiers.tier_measure(frame, "avg3")
    assert measure[:3] == pytest.approx([70_000, (70_000 * 31 + 20_000 * 28) / 59, 50_655.5556])
    # April: February, March and April (30 days) = (560,000 + 1,829,000 + 0) / 89.
    assert measure[3] == pytest.approx(2_389_000 / 89)
    assert tiers.assign_tiers(frame, "avg3").raw_tier_code[2] == "potential"


def test_a_new_customer_uses_the_months_they_have() -> None:
    # Opened in March 2025: March alone, then March (31 days) and April (30 days).
    frame = basis_history((5, "2025-03-01", [(95_000, 90_000), (20_000, 30_000)]))
    measure = tiers.tier_measure(frame, "avg3")
    assert measure == pytest.approx([90_000, 3_690_000 / 61])  # 60,491.80
    assigned = tiers.assign_tiers(frame, "avg3")
    assert assigned.raw_tier_code.tolist() == ["potential", "potential"]
    # On the month-end basis April's 20,000 falls below the floor and starts the grace count.
    assert tiers.assign_tiers(frame, "end").months_below_floor.tolist() == [0, 1]


def test_a_month_end_spike_does_not_lift_the_tier_on_avg3() -> None:
    # Steady at 40,000; in March 210,000 comes in for the last days: month-end 250,000, the
    # month's daily average 60,000. On end March is affluent; on avg3 it is
    # (40,000 x 31 + 40,000 x 28 + 60,000 x 31) / 90 = 46,888.89: still mass.
    frame = basis_history(
        (7, "2025-01-01", [(40_000, 40_000), (40_000, 40_000), (250_000, 60_000), (40_000, 40_000)])
    )
    end = tiers.assign_tiers(frame, "end")
    avg3 = tiers.assign_tiers(frame, "avg3")
    assert end.tier_code.tolist() == ["mass", "mass", "affluent", "affluent"]
    assert end.months_below_floor.tolist() == [0, 0, 0, 1]
    assert avg3.tier_measure_rmb[2] == pytest.approx(4_220_000 / 90)
    assert avg3.tier_code.tolist() == ["mass"] * 4
    assert avg3.months_below_floor.tolist() == [0] * 4


def test_avg3_spans_calendar_months_not_rows() -> None:
    # Rows in January, March and May: March reaches back to January (both 31 days: 55,000), May
    # to March (May - 2) and not to January: (10,000 + 40,000) / 2.
    frame = pd.DataFrame(
        {
            "customer_id": [3, 3, 3],
            "month_start": pd.to_datetime(["2025-01-01", "2025-03-01", "2025-05-01"]),
            "aum_rmb": [0.0, 0.0, 0.0],
            "aum_avg_rmb": [100_000.0, 10_000.0, 40_000.0],
        }
    )
    assert tiers.tier_measure(frame, "avg3") == pytest.approx([100_000, 55_000, 25_000])


def test_end_is_the_month_end_balance_and_customers_do_not_mix() -> None:
    frame = basis_history(
        (1, "2025-01-01", [(10.0, 99.0), (20.0, 99.0)]),
        (2, "2025-03-01", [(300.0, 60.0), (400.0, 30.0)]),
    )
    assert tiers.tier_measure(frame, "end").tolist() == [10.0, 20.0, 300.0, 400.0]
    avg3 = tiers.tier_measure(frame, "avg3")
    assert avg3[2] == pytest.approx(60.0)  # customer 2's first month ignores customer 1's rows


def test_the_matrix_form_equals_the_long_form() -> None:
    rng = np.random.default_rng(3)
    window = months(7, "2025-11-01")
    end = rng.uniform(0, 300_000, (7, 4))
    avg = rng.uniform(0, 300_000, (7, 4))
    present = np.ones((7, 4), dtype=bool)
    present[:3, 1] = False  # opened in the fourth month
    present[5:, 2] = False  # closed after the fifth
    days = np.array([m.days_in_month for m in window])
    for basis in ("end", "avg3"):
        matrix = tiers.tier_measure_matrix(end, avg, days, present, basis)
        rows = [
            {
                "customer_id": c,
                "month_start": window[t],
                "aum_rmb": end[t, c],
                "aum_avg_rmb": avg[t, c],
            }
            for c in range(4)
            for t in range(7)
            if present[t, c]
        ]
        long = tiers.tier_measure(pd.DataFrame(rows), basis)
        assert long == pytest.approx(matrix.T[present.T])
        assert (matrix[~present] == 0).all()


def test_bad_basis_and_bad_history_are_refused() -> None:
    frame = basis_history((1, "2025-01-01", [(1.0, 1.0), (2.0, 2.0)]))
    with pytest.raises(ValueError, match="unknown tier basis 'avg': expected one of avg3, end"):
        tiers.tier_measure(frame, "avg")
    with pytest.raises(ValueError, match="needs aum_avg_rmb"):
        tiers.tier_measure(frame.drop(columns="aum_avg_rmb"), "avg3")
    with pytest.raises(ValueError, match="sorted by month"):
        tiers.tier_measure(frame.iloc[::-1], "avg3")
