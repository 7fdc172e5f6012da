"""Lift, capture and the other metrics with known answers; reasons in plain words."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from analytics.churn import metrics, model, reasons


def test_lift_and_capture_known_answers() -> None:
    # 20 customers, 4 churners; the top 10% (2 customers) holds 2 of them.
    y = np.zeros(20, dtype=bool)
    y[[0, 1, 10, 15]] = True
    score = np.linspace(1.0, 0.0, 20)  # customer 0 ranked first, 19 last
    assert metrics.positives_in_top(y, score) == 2
    assert metrics.capture_at(y, score) == pytest.approx(0.5)
    assert metrics.lift_at(y, score) == pytest.approx((2 / 2) / (4 / 20))  # 5.0
    assert metrics.capture_at(y, score, 0.5) == pytest.approx(0.5)  # customers 0 .. 9
    assert metrics.capture_at(y, score, 0.55) == pytest.approx(0.75)  # and customer 10


def test_metrics_by_path_known_answers() -> None:
    # 100 non-churners scored 0.1; 10 closures ranked above them all, 10 asset flights below
    # them all, and 3 dormant churners (too few to report).
    y = np.array([False] * 100 + [True] * 23)
    score = np.r_[np.full(100, 0.1), np.full(10, 0.9), np.full(10, 0.05), np.full(3, 0.5)]
    paths = np.array([None] * 100 + ["closure"] * 10 + ["asset_flight"] * 10 + ["dormant"] * 3)
    found = model.metrics_by_path(y, score, paths)
    assert set(found) == {"closure", "asset_flight"}
    closure, flight = found["closure"], found["asset_flight"]
    assert closure["count"] == 10 and flight["count"] == 10
    assert closure["roc_auc"] == pytest.approx(1.0) and flight["roc_auc"] == pytest.approx(0.0)
    # 110 rows per path; the top 10% is 11 rows: the 10 closures and one tied non-churner.
    assert closure["lift_at_10pct"] == pytest.approx((10 / 11) / (10 / 110))  # 10.0
    assert closure["capture_at_10pct"] == pytest.approx(1.0)
    assert flight["lift_at_10pct"] == pytest.approx(0.0)
    assert flight["capture_at_10pct"] == pytest.approx(0.0)


def test_ties_at_the_boundary_are_shared() -> None:
    # Every score equal: the top 10% holds 10% of the churners in expectation.
    y = np.array([True] * 3 + [False] * 7)
    flat = np.ones(10)
    assert metrics.positives_in_top(y, flat) == pytest.approx(0.3)
    assert metrics.lift_at(y, flat) == pytest.approx(1.0)
    # A rule flagging 4 customers (2 churners): the top 1 of 10 gets half a churner.
    flag = np.array([1, 1, 0, 0, 1, 1, 0, 0, 0, 0], dtype=float)
    assert metrics.positives_in_top(y, flag) == pytest.approx(0.5)


def test_score_metrics_perfect_random_and_missing() -> None:
    y = np.array([1, 0, 1, 0, 0, 0, 0, 0, 0, 0], dtype=bool)
    perfect = metrics.score_metrics(y, y.astype(float))
    assert perfect["roc_auc"] == 1.0 and perfect["pr_auc"] == 1.0 and perfect["brier"] == 0.0
    assert perfect["capture_at_10pct"] == 0.5 and perfect["lift_at_10pct"] == 5.0
    assert perfect["positive_rate"] == 0.2 and perfect["n"] == 10
    inverted = metrics.score_metrics(y, 1 - y.astype(float), probability=False)
    assert inverted["roc_auc"] == 0.0 and "brier" not in inverted
    # A missing score ranks last rather than breaking the metrics.
    partial = metrics.score_metrics(y, np.where(y, 0.9, np.nan))
    assert partial["roc_auc"] == 1.0
    single = metrics.score_metrics(np.zeros(5, dtype=bool), np.arange(5.0))
    assert np.isnan(single["roc_auc"])


def test_lift_curve_reaches_everyone() -> None:
    y = np.array([1, 0, 0, 1], dtype=bool)
    curve = metrics.lift_curve(y, np.array([0.9, 0.8, 0.2, 0.1]), np.array([0.25, 1.0]))
    assert curve[0] == {"share": 0.25, "capture": 0.5, "lift": 2.0}
    assert curve[-1] == {"share": 1.0, "capture": 1.0, "lift": 1.0}


def _frame(**values) -> pd.DataFrame:
    base = {
        "aum_rmb": 300_000.0,
        "aum_change_3m": 0.0,
        "days_to_next_maturity": 999.0,
        "next_maturity_rmb": 0.0,
        "next_maturity_class": None,
        "matured_not_renewed_3m_rmb": 0.0,
        "transfer_out_3m_rmb": 0.0,
        "transfer_out_3m_share": 0.0,
        "months_since_login": 0.0,
        "ever_mobile_login": 1.0,
        "txn_log_ratio": 0.0,
        "txn_prev_3m": 10.0,
        "months_since_active": 0.0,
        "products_change_3m": 0.0,
        "months_below_floor": 0.0,
        "tier_code": "affluent",
        "spend_log_ratio": 0.0,
    }
    base.update(values)
    return pd.DataFrame([base])


def test_reasons_in_english_and_chinese() -> None:
    frame = pd.concat(
        [
            _frame(
                aum_change_3m=-0.45,
                days_to_next_maturity=12.0,
                next_maturity_rmb=200_000.0,
                next_maturity_class="time_deposit",
                months_since_login=3.0,
            ),
            _frame(),
            _frame(months_below_floor=4.0, products_change_3m=-2.0),
        ],
        ignore_index=True,
    )
    texts, top = reasons.reason_codes(frame)
    first = reasons.render_reasons(texts[0], "en")
    assert first == [
        "assets down 45% in 3 months",
        "time deposit of 200,000 matures in 12 days",
        "no mobile login for 90 days",
    ]
    assert reasons.render_reasons(texts[0], "zh") == [
        "3个月内资产下降45%",
        "20万元定期存款12天后到期",
        "90天未登录手机银行",
    ]
    assert top == ["asset_drop", None, "fewer_products"]
    assert json.loads(texts[1]) == []
    assert reasons.render_reasons(texts[2], "en") == [
        "2 fewer products than 3 months ago",
        "below the Affluent floor for 4 months",
    ]
    assert reasons.render_reasons(texts[2], "zh")[1] == "资产低于富裕客户门槛已4个月"
    assert reasons.render_reasons(None) == []


def test_every_reason_renders_in_both_languages() -> None:
    params = {"pct": 50, "amount": 12_345, "days": 30, "product": "wealth", "months": 4}
    params |= {"count": 2, "tier": "vip"}
    for reason in reasons.REASONS:
        for lang in ("en", "zh"):
            text = reasons.render_reason({"code": reason.code, **params}, lang)
            assert "{" not in text and text
    assert reasons.format_amount(12_345, "zh") == "1.2万"
    assert reasons.format_amount(5_000, "zh") == "5,000"
