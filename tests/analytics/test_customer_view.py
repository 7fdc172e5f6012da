"""Known answers for the customer view's computations and the uptake rates."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from analytics import customer_view, rules, uptake


def _months() -> pd.DataFrame:
    rows = []
    for i, (aum, below) in enumerate([(1_200_000, 0), (900_000, 1), (800_000, 3)]):
        row = {c: 0.0 for c in (*rules.ASSET_COLUMNS, *rules.SPEND_COLUMNS)}
        row.update(
            month_start=dt.date(2026, 7 + i, 1),
            aum_rmb=float(aum),
            raw_tier_code=rules.tier_for_assets(aum),
            tier_code="vip",
            months_below_floor=below,
            count_txn_counter=1,
            count_txn_self_service=2,
            count_txn_mobile=7,
            spend_daily_rmb=300.0,
            spend_education_rmb=100.0 if i == 2 else 0.0,
        )
        rows.append(row)
    return pd.DataFrame(rows)


def test_tier_history_has_the_grace_state_of_the_rule() -> None:
    history = customer_view.tier_history(_months())
    assert history["grace_state"].tolist() == ["none", "grace", "watch"]
    assert history["raw_tier_code"].tolist() == ["vip", "affluent", "affluent"]
    assert customer_view.months_until_downgrade(3) == rules.DOWNGRADE_AFTER_MONTHS - 3
    assert customer_view.months_until_downgrade(0) is None


def _holdings() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "product_code": ["DC-FEITIAN", "MB-APP", "WM-R4-12M", "FD-EQUITY", "INS-LIFE"],
            "name_en": ["card", "mobile", "growth", "equity", "life"],
            "name_zh": ["卡", "手机", "进取", "股票", "两全"],
            "category": ["debit_card", "mobile_banking", "wealth", "fund", "insurance"],
            "product_risk_grade": [None, None, "R4", "R4", "R2"],
            "amount_rmb": [0.0, 0.0, 50_000.0, 20_000.0, 10_000.0],
            "is_open": [True, True, True, True, False],
        }
    )


def test_core_products_held_follow_the_rule_order_and_ignore_closed_holdings() -> None:
    core = customer_view.core_products_held(_holdings())
    assert core["category"].tolist() == list(rules.CORE_PRODUCT_CATEGORIES)
    assert core["is_held"].tolist() == [True, True, False, True, False]  # insurance closed
    assert core.set_index("category").loc["wealth", "product_codes"] == "WM-R4-12M"


def test_risk_fit_flags_products_above_the_customers_grade() -> None:
    fit = customer_view.risk_fit("C3", _holdings())
    assert fit["product_code"].tolist() == ["WM-R4-12M", "FD-EQUITY"]  # cards ungraded, closed
    assert fit["fit"].tolist() == ["above", "above"]
    assert customer_view.risk_fit("C5", _holdings())["fit"].tolist() == ["within", "within"]


def test_an_unassessed_customer_suits_only_r1_products() -> None:
    """未评估: no grade, so anything above R1 (here R4 and R2) is above it."""
    for grade in (None, rules.RISK_UNASSESSED):
        assert customer_view.risk_fit(grade, _holdings())["fit"].tolist() == ["above", "above"]
        assert customer_view.grade_limit(grade) == 1
    assert customer_view.grade_limit("C4") == 4


def test_assessment_status_expires_after_twelve_months() -> None:
    status = customer_view.assessment_status
    assert status(None, None, dt.date(2026, 9, 30)) == "unassessed"
    assert status("C2", dt.date(2025, 10, 1), dt.date(2026, 9, 30)) == "valid"
    assert status("C2", dt.date(2025, 9, 30), dt.date(2026, 9, 30)) == "expired"
    assert status("C2", pd.NaT, dt.date(2026, 9, 30)) == "unassessed"


def test_spending_mix_and_channel_shares() -> None:
    mix = customer_view.spending_mix(_months()).set_index("category")
    assert mix.loc["daily", "spend_rmb"] == 900.0 and mix.loc["education", "spend_rmb"] == 100.0
    assert mix.loc["daily", "share_pct"] == 90.0
    assert mix["share_pct"].sum() == 100.0
    shares = customer_view.channel_shares(_months())
    assert shares == {"counter": 10.0, "self_service": 20.0, "mobile": 70.0}
    long = customer_view.channel_long(_months())
    assert len(long) == 9 and long["count"].sum() == 30


def test_employer_rates_and_totals() -> None:
    employers = pd.DataFrame(
        {
            "count_employees": [100, 0],
            "count_staff_customers": [50, 0],
            "count_payroll": [40, 0],
            "count_exclusive_holders": [10, 0],
        }
    )
    rates = uptake.employer_rates(employers)
    assert rates.loc[
        0, ["staff_coverage_pct", "payroll_coverage_pct", "exclusive_uptake_pct"]
    ].tolist() == [
        50.0,
        40.0,
        20.0,
    ]
    assert math.isnan(rates.loc[1, "payroll_coverage_pct"])  # no employees: no rate, not zero
    totals = uptake.employer_totals(employers)
    assert totals["payroll_coverage_pct"] == 40.0 and totals["count_employers"] == 2


def test_vip_rates() -> None:
    by_branch = pd.DataFrame({"count_eligible": [10, 0], "count_using": [4, 0]})
    rates = uptake.vip_rates(by_branch)
    assert rates["using_pct"].iloc[0] == 40.0 and math.isnan(rates["using_pct"].iloc[1])
    assert rates["count_not_using"].tolist() == [6, 0]
    assert uptake.vip_totals(by_branch) == {
        "count_eligible": 10.0,
        "count_using": 4.0,
        "using_pct": 40.0,
    }
