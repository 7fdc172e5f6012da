"""Churn labels and feature windows on hand-built histories with known answers, and no leakage."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from analytics import rules
from analytics.churn import definition, features
from analytics.churn.panel import add_months

START = dt.date(2025, 1, 1)
CUTOFF = dt.date(2025, 6, 1)  # column 5; the label window is 2025-07 .. 2025-09


def month(i: int) -> dt.date:
    return add_months(START, i)


def history(customer_id: int, aum, active=None, closed_at=None, start=0, **columns) -> list[dict]:
    """Rows of one customer from month ``start``; ``columns`` give per-month lists or scalars."""
    rows = []
    for i, value in enumerate(aum):
        row = {name: 0.0 for name in features.PANEL_COLUMNS}
        row.update(
            customer_id=customer_id,
            month_start=pd.Timestamp(month(start + i)),
            aum_rmb=float(value),
            aum_avg_rmb=float(value),
            demand_deposit_rmb=0.2 * value,
            time_deposit_rmb=0.8 * value,
            count_txn_counter=2,
            count_products=3,
            count_core_products=2,
            tier_code=rules.tier_for_assets(value),
            months_below_floor=0,
            is_active=True if active is None else bool(active[i]),
            is_closed=closed_at is not None and start + i == closed_at,
            branch_id=1,
            rm_staff_id=10,
        )
        for name, values in columns.items():
            row[name] = values[i] if isinstance(values, list | tuple) else values
        rows.append(row)
    return rows


def panel(*histories: list[dict]) -> pd.DataFrame:
    return pd.DataFrame([row for rows in histories for row in rows])


def labels_by_id(frame: pd.DataFrame) -> dict[int, tuple[bool, str | None, dt.date | None]]:
    return {
        int(r.customer_id): (
            bool(r.churned),
            None if pd.isna(r.churn_path) else r.churn_path,
            None if pd.isna(r.churn_month) else r.churn_month.date(),
        )
        for r in frame.itertuples()
    }


FLAT = [10_000.0] * 9  # months 0 .. 8 (2025-01 .. 2025-09)


# ------------------------------------------------------------------ labels
def test_labels_on_hand_built_histories(monkeypatch: pytest.MonkeyPatch) -> None:
    data = panel(
        history(1, FLAT),  # stable
        history(2, [*FLAT[:7], 0.0], closed_at=7),  # closes in August
        history(3, FLAT[:7]),  # vanishes after July
        history(4, [*FLAT[:6], 2_000, 2_500, 2_000]),  # asset flight from July
        history(5, [*FLAT[:6], 10_000, 2_000, 10_000]),  # one low month only
        history(6, [*FLAT[:8], 2_000]),  # low in September: not confirmed in the window
        history(7, [*FLAT[:6], 3_000, 3_000, 3_000]),  # exactly 70% down
        history(8, [*FLAT[:6], 3_001, 3_001, 3_001]),  # just under 70% down
        history(9, FLAT, active=[1, 1, 1, 0, 0, 0, 0, 0, 0]),  # dormant in September
        history(10, FLAT, active=[0] * 9),  # already dormant at the cut-off
        history(11, [500.0] * 9),  # too small to call
        history(12, [*FLAT[:5], 2_000, 2_000, 2_000, 2_000]),  # already down at the cut-off
        history(13, FLAT[:5], start=4),  # opened in May: two months of history
        history(14, FLAT[:6], start=3),  # opened in April: three months, eligible
        history(15, [10_000, 10_000, 0.0], closed_at=2),  # closed before the cut-off
        history(16, [*FLAT[:6], 1_000, 0.0], closed_at=7),  # falls, then closes
    )
    monkeypatch.setattr(definition, "DORMANT_COUNTS_AS_CHURN", True)
    got = labels_by_id(definition.churn_labels(data, CUTOFF))
    assert got == {
        1: (False, None, None),
        2: (True, "closure", dt.date(2025, 8, 1)),
        3: (True, "closure", dt.date(2025, 8, 1)),
        4: (True, "asset_flight", dt.date(2025, 7, 1)),
        5: (False, None, None),
        6: (False, None, None),
        7: (True, "asset_flight", dt.date(2025, 7, 1)),
        8: (False, None, None),
        9: (True, "dormant", dt.date(2025, 9, 1)),
        14: (False, None, None),
        16: (True, "closure", dt.date(2025, 7, 1)),
    }
    # By default going dormant is not churn (customer 9 stays eligible, unlabelled).
    monkeypatch.setattr(definition, "DORMANT_COUNTS_AS_CHURN", False)
    got = labels_by_id(definition.churn_labels(data, CUTOFF))
    assert got[9] == (False, None, None)
    assert got[4] == (True, "asset_flight", dt.date(2025, 7, 1))


def test_baseline_is_the_average_of_the_six_months_to_the_cutoff() -> None:
    aum = [1_000, 2_000, 3_000, 4_000, 5_000, 6_000, 7_000, 8_000, 9_000]
    frame = definition.churn_labels(panel(history(1, aum)), CUTOFF)
    assert frame.loc[0, "baseline_aum_rmb"] == pytest.approx(3_500.0)
    # Over the months the customer has (three) when younger than the baseline.
    frame = definition.churn_labels(
        panel(history(2, [2_000, 4_000, 6_000, 6_000, 6_000, 6_000], start=3)), CUTOFF
    )
    assert frame.loc[0, "baseline_aum_rmb"] == pytest.approx(4_000.0)


def test_labels_need_the_whole_window() -> None:
    with pytest.raises(ValueError, match="need data up to 2025-09"):
        definition.churn_labels(panel(history(1, FLAT[:8])), CUTOFF)


def test_eligible_customers_match_the_labelled_population() -> None:
    data = panel(
        history(1, FLAT), history(11, [500.0] * 9), history(12, [*FLAT[:5], 2_000, 0, 0, 0])
    )
    scored = definition.eligible_customers(data, CUTOFF)
    labelled = definition.churn_labels(data, CUTOFF)
    assert scored["customer_id"].tolist() == labelled["customer_id"].tolist() == [1]


def test_labelled_cutoffs_leave_room_for_history_and_window() -> None:
    cutoffs = definition.labelled_cutoffs(dt.date(2025, 1, 1), dt.date(2025, 12, 1))
    assert cutoffs[0] == dt.date(2025, 3, 1)
    assert cutoffs[-1] == dt.date(2025, 9, 1)


def test_score_bands() -> None:
    assert definition.score_band(np.array([0.5, 0.3, 0.1, 0.0999, 0.0])).tolist() == [
        "high",
        "high",
        "medium",
        "low",
        "low",
    ]


# ------------------------------------------------------------------ features
def test_feature_windows_on_a_hand_built_history() -> None:
    aum = [10_000, 10_000, 10_000, 10_000, 10_000, 12_000, 13_000, 14_000, 15_000]
    txn = [1, 1, 1, 2, 2, 2, 3, 3, 3]
    logins = [4, 0, 0, 0, 0, 0, 0, 0, 0]
    transfer = [0, 0, 0, 500, 0, 0, 0, 0, 0]
    rows = history(
        1,
        aum,
        active=[1, 1, 1, 1, 0, 0, 1, 1, 1],
        count_txn_counter=txn,
        count_mobile_logins=logins,
        transfer_out_other_bank_rmb=transfer,
        count_products=[3, 3, 3, 4, 4, 4, 4, 4, 4],
    )
    got = features.panel_features(panel(rows), CUTOFF).iloc[0]
    assert got["aum_rmb"] == 12_000
    assert got["aum_change_1m"] == pytest.approx(0.2)
    assert got["aum_change_3m"] == pytest.approx(0.2)  # vs March
    assert np.isnan(got["aum_change_6m"])  # no December row
    assert got["txn_3m"] == 2 + 2 + 2  # April .. June, not July
    assert got["txn_prev_3m"] == 1 + 1 + 1
    assert got["months_since_active"] == 2  # last active in April
    assert got["months_since_login"] == 5  # January
    assert got["ever_mobile_login"] == 1
    assert got["transfer_out_3m_rmb"] == 500
    assert got["products_change_3m"] == 1
    assert got["share_time_deposit"] == pytest.approx(0.8)


def test_holdings_as_they_stood_at_the_cutoff() -> None:
    end = pd.Timestamp("2025-06-30")
    day = pd.Timedelta(days=1)
    holdings = pd.DataFrame(
        [
            # matures 12 days after the cut-off's month end
            (1, "time_deposit", end - 300 * day, None, end + 12 * day, 200_000.0, None),
            # opened after the cut-off: unknown at the cut-off
            (1, "time_deposit", end + 5 * day, None, end + 20 * day, 50_000.0, None),
            # closed before the cut-off's month end
            (1, "wealth", end - 200 * day, end - 10 * day, end + 40 * day, 70_000.0, None),
            # matured a month ago, not renewed
            (1, "time_deposit", end - 400 * day, None, end - 30 * day, 30_000.0, False),
            # matured two months ago, renewed
            (1, "time_deposit", end - 400 * day, None, end - 60 * day, 20_000.0, True),
            # wealth product maturing in 60 days
            (1, "wealth", end - 100 * day, end + 70 * day, end + 60 * day, 40_000.0, None),
        ],
        columns=list(features.HOLDING_COLUMNS),
    )
    got = features.holding_features(holdings, np.array([1, 2]), CUTOFF).set_index("customer_id")
    assert got.loc[1, "days_to_next_maturity"] == 12
    assert got.loc[1, "next_maturity_rmb"] == 200_000
    assert got.loc[1, "next_maturity_class"] == "time_deposit"
    assert got.loc[1, "maturing_30d_rmb"] == 200_000
    assert got.loc[1, "maturing_90d_rmb"] == 240_000
    assert got.loc[1, "matured_not_renewed_3m_rmb"] == 30_000
    assert got.loc[1, "matured_renewed_3m_rmb"] == 20_000
    assert got.loc[2, "days_to_next_maturity"] == features.NO_MATURITY_DAYS
    assert got.loc[2, "maturing_90d_rmb"] == 0


def test_customer_and_contact_features() -> None:
    customers = pd.DataFrame(
        {
            "customer_id": [1],
            "birth_year": [1970],
            "gender": ["F"],
            "occupation": ["farmer"],
            "risk_grade": ["C2"],
            "opened_on": [dt.date(2020, 3, 15)],
            "has_payroll": [1],
            "branch_type": ["township"],
        }
    )
    contacts = pd.DataFrame(
        {
            "customer_id": [1, 1, 1, 1],
            "contacted_on": pd.to_datetime(
                ["2024-06-01", "2025-05-02", "2025-06-30", "2025-07-01"]
            ),
        }
    )
    got = features.build_features(panel(history(1, FLAT)), CUTOFF, customers, None, contacts)
    row = got.iloc[0]
    assert row["tenure_months"] == 63  # 2020-03 .. 2025-06
    assert row["age"] == 55
    assert row["occupation"] == "farmer"
    assert row["contacts_3m"] == 2
    assert row["contacts_12m"] == 2  # 2024-06-01 is over a year before 2025-06-30
    assert row["days_to_next_maturity"] == features.NO_MATURITY_DAYS
    assert set(features.FEATURES) <= set(got.columns)


# ------------------------------------------------------------------ no leakage
def _random_world(rng: np.random.Generator, months: int = 20, customers: int = 60) -> dict:
    rows = []
    for cid in range(1, customers + 1):
        start = int(rng.integers(0, 6))
        n = months - start
        aum = rng.lognormal(9, 1.5, n)
        rows += history(
            cid,
            aum,
            active=rng.random(n) < 0.6,
            start=start,
            count_txn_counter=rng.integers(0, 5, n).tolist(),
            count_txn_mobile=rng.integers(0, 9, n).tolist(),
            count_mobile_logins=rng.integers(0, 4, n).tolist(),
            inflow_rmb=rng.lognormal(7, 1, n).tolist(),
            outflow_rmb=rng.lognormal(7, 1, n).tolist(),
            transfer_out_other_bank_rmb=(rng.random(n) * 1000).tolist(),
            spend_daily_rmb=(rng.random(n) * 800).tolist(),
            count_products=rng.integers(1, 6, n).tolist(),
            months_below_floor=rng.integers(0, 4, n).tolist(),
        )
    base = pd.Timestamp(START)
    day = pd.Timedelta(days=1)
    holdings = pd.DataFrame(
        {
            "customer_id": rng.integers(1, customers + 1, 300),
            "asset_class": rng.choice(["time_deposit", "wealth"], 300),
            "opened_on": base + rng.integers(0, 600, 300) * day,
            "closed_on": [
                base + int(d) * day if d < 700 else None for d in rng.integers(0, 900, 300)
            ],
            "maturity_on": base + rng.integers(100, 900, 300) * day,
            "amount_rmb": rng.lognormal(10, 1, 300),
            "is_renewed": rng.random(300) < 0.5,
        }
    )
    contacts = pd.DataFrame(
        {
            "customer_id": rng.integers(1, customers + 1, 100),
            "contacted_on": base + rng.integers(0, 600, 100) * day,
        }
    )
    customers_frame = pd.DataFrame(
        {
            "customer_id": np.arange(1, customers + 1),
            "birth_year": rng.integers(1950, 2000, customers),
            "gender": rng.choice(["F", "M"], customers),
            "occupation": rng.choice(["farmer", "retiree"], customers),
            "risk_grade": "C2",
            "opened_on": dt.date(2020, 1, 1),
            "has_payroll": 0,
            "branch_type": "township",
        }
    )
    return {
        "panel": pd.DataFrame(rows),
        "holdings": holdings,
        "contacts": contacts,
        "customers": customers_frame,
    }


def _change_the_future(world: dict, cutoff: dt.date, rng: np.random.Generator) -> dict:
    """Every fact dated after ``cutoff`` (its month end for dates) replaced by something else."""
    end = pd.Timestamp(add_months(cutoff, 1)) - pd.Timedelta(days=1)
    day = pd.Timedelta(days=1)
    future = world["panel"].copy()
    after = future["month_start"] > pd.Timestamp(cutoff)
    for name in features.PANEL_COLUMNS:
        if name in ("customer_id", "month_start", "tier_code"):
            continue
        kind = future[name].dtype.kind
        if kind == "b":
            future.loc[after, name] = rng.random(int(after.sum())) < 0.5
        elif kind == "i":
            future.loc[after, name] = rng.integers(0, 50, int(after.sum()))
        elif kind == "f":
            future.loc[after, name] = rng.random(int(after.sum())) * 1e6
    future.loc[after, "tier_code"] = "private"
    future = future.drop(future.index[after & (rng.random(len(future)) < 0.3)])
    holdings = world["holdings"].copy()
    opened_later = holdings["opened_on"] > end
    holdings.loc[opened_later, "amount_rmb"] *= 7
    holdings.loc[opened_later, "opened_on"] = end + 3 * day
    closes_later = holdings["closed_on"].notna() & (holdings["closed_on"] > end)
    holdings.loc[closes_later, "closed_on"] = end + 1 * day
    matures_later = holdings["maturity_on"] > end
    holdings.loc[matures_later, "is_renewed"] = ~holdings.loc[matures_later, "is_renewed"]
    extra = holdings.head(20).assign(opened_on=end + 2 * day, maturity_on=end + 9 * day)
    contacts = pd.concat(
        [
            world["contacts"],
            pd.DataFrame({"customer_id": [1, 2, 3], "contacted_on": [end + day] * 3}),
        ]
    )
    return {
        "panel": future,
        "holdings": pd.concat([holdings, extra], ignore_index=True),
        "contacts": contacts,
        "customers": world["customers"],
    }


@pytest.mark.parametrize("cutoff", [dt.date(2025, 9, 1), dt.date(2026, 1, 1)])
def test_no_feature_can_see_past_the_cutoff(cutoff: dt.date) -> None:
    rng = np.random.default_rng(5)
    world = _random_world(rng)
    changed = _change_the_future(world, cutoff, rng)
    kwargs = {name: world[name] for name in ("customers", "holdings", "contacts")}
    before = features.build_features(world["panel"], cutoff, **kwargs)
    kwargs = {name: changed[name] for name in ("customers", "holdings", "contacts")}
    after = features.build_features(changed["panel"], cutoff, **kwargs)
    assert len(before) > 40
    pd.testing.assert_frame_equal(before, after)
    # The scored population uses the past only, too; the labels, of course, do change.
    pd.testing.assert_frame_equal(
        definition.eligible_customers(world["panel"], cutoff),
        definition.eligible_customers(changed["panel"], cutoff),
    )
    assert not definition.churn_labels(world["panel"], cutoff)["churned"].equals(
        definition.churn_labels(changed["panel"], cutoff)["churned"]
    )
