"""ui/formatting.py: known answers in English and Chinese."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from ui import formatting as fmt


@pytest.mark.parametrize(
    ("value", "en", "zh"),
    [
        (0, "¥0", "0元"),
        (950, "¥950", "950元"),
        (12_345, "¥12.3 K", "1.23万元"),
        (456_000, "¥456 K", "45.6万元"),
        (45_600_000, "¥45.6 M", "4,560万元"),
        (612_400_000, "¥612 M", "6.12亿元"),
        (1_234_567_890, "¥1.23 bn", "12.3亿元"),
        (1.2e12, "¥1.20 tn", "1.20万亿元"),
        (-45_600_000, "-¥45.6 M", "-4,560万元"),
        # Values that round into the next scale take it (never "1,000 K" or "10,000万").
        (999_999, "¥1.00 M", "100万元"),
        (99_999_999, "¥100 M", "1.00亿元"),
        (9_999.7, "¥10.0 K", "1.00万元"),
    ],
)
def test_money(value: float, en: str, zh: str) -> None:
    assert fmt.money(value, "en") == en
    assert fmt.money(value, "zh") == zh


@pytest.mark.parametrize(
    ("value", "en", "zh"),
    [
        (0, "0", "0"),
        (9_876, "9,876", "9,876"),
        (9_999, "9,999", "9,999"),
        (12_345, "12,345", "1.23万"),
        (3_456_789, "3,456,789", "346万"),
        (123_456_789, "123,456,789", "1.23亿"),
        (-12, "-12", "-12"),
    ],
)
def test_count(value: float, en: str, zh: str) -> None:
    assert fmt.count(value, "en") == en
    assert fmt.count(value, "zh") == zh


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA])
def test_missing_values_show_a_dash(missing: object) -> None:
    for func in (fmt.money, fmt.count, fmt.pct, fmt.signed_pct):
        assert func(missing, "en") == fmt.DASH
        assert func(missing, "zh") == fmt.DASH


def test_percentages() -> None:
    assert fmt.pct(12.345, "en") == "12.3%"
    assert fmt.pct(12.3456, "zh", digits=2) == "12.35%"
    assert fmt.signed_pct(3.44) == "+3.4%"
    assert fmt.signed_pct(-2.06) == "-2.1%"
    # A change that rounds to zero has no sign (st.metric then shows no arrow).
    assert fmt.signed_pct(0.04) == "0.0%"
    assert fmt.signed_pct(-0.04) == "0.0%"


def test_sig3() -> None:
    assert [fmt.sig3(v) for v in (1.234, 9.996, 45.61, 99.96, 612.4, 1234.5)] == [
        "1.23",
        "10.0",
        "45.6",
        "100",
        "612",
        "1,234",
    ]


@pytest.mark.parametrize(
    "value", [dt.date(2026, 9, 1), dt.datetime(2026, 9, 1, 8, 30), pd.Timestamp("2026-09-01")]
)
def test_months_and_dates(value: object) -> None:
    assert fmt.month(value, "en") == "Sep 2026"
    assert fmt.month(value, "zh") == "2026年9月"
    assert fmt.date(value, "en") == "1 Sep 2026"
    assert fmt.date(value, "zh") == "2026年9月1日"


def test_month_from_iso_text() -> None:
    assert fmt.month("2025-12-01", "en") == "Dec 2025"
    assert fmt.date("2025-12-31", "zh") == "2025年12月31日"


def test_axis_units() -> None:
    assert fmt.money_unit(6.1e8, "en") == (1e6, "¥ M")
    assert fmt.money_unit(6.1e9, "en") == (1e9, "¥ bn")
    assert fmt.money_unit(6.1e8, "zh") == (1e8, "亿元")
    assert fmt.money_unit(6.1e7, "zh") == (1e4, "万元")
    assert fmt.money_unit(500, "zh") == (1.0, "元")
    assert fmt.count_unit(3_000, "en") == (1.0, "")
    assert fmt.count_unit(3_000, "zh") == (1.0, "户")
    assert fmt.count_unit(2_000_000, "zh") == (1e4, "万户")
    assert fmt.plotly_month_format("zh") == "%Y年%-m月"


def test_default_language_outside_streamlit_is_english() -> None:
    assert fmt.money(12_345) == "¥12.3 K"


@pytest.mark.parametrize(
    ("value", "unit", "en", "zh"),
    [
        (1_361_000.0, "money", "¥1.36 M", "136万元"),
        (89_006_423.3, "money", "¥89.0 M", "8,901万元"),
        (-1_500.5, "money", "-¥1.50 K", "-1,500元"),
        (12_345.0, "count", "12,345", "1.23万"),
        (7.0, "count", "7", "7"),
        (-3, "count", "-3", "-3"),
        (12.345, "pct", "12.3%", "12.3%"),
        (-0.06, "pct", "-0.1%", "-0.1%"),
        (87.46, "points", "87.5", "87.5"),
        (100, "points", "100.0", "100.0"),
        (None, "money", "—", "—"),
        (float("nan"), "count", "—", "—"),
        (pd.NA, "pct", "—", "—"),
        (float("nan"), "points", "—", "—"),
    ],
)
def test_by_unit(value: object, unit: str, en: str, zh: str) -> None:
    assert fmt.by_unit(value, unit, "en") == en
    assert fmt.by_unit(value, unit, "zh") == zh


def test_by_unit_refuses_an_unknown_unit() -> None:
    with pytest.raises(ValueError, match="unknown unit"):
        fmt.by_unit(1, "ratio", "en")


@pytest.mark.parametrize(
    ("change", "unit", "en", "zh"),
    [
        (1_234_567, "money", "+¥1.23 M", "+123万元"),
        (-45_600, "money", "-¥45.6 K", "-4.56万元"),
        (3, "count", "+3", "+3户"),
        (-1, "count", "-1", "-1户"),
        (0.2, "count", "0", "0户"),
        (1.25, "pct", "+1.2 pp", "+1.2个百分点"),
        (-0.5, "points", "-0.5", "-0.5"),
        (0.04, "points", "0.0", "0.0"),
        (None, "count", "—", "—"),
    ],
)
def test_signed_by_unit(change: object, unit: str, en: str, zh: str) -> None:
    assert fmt.signed_by_unit(change, unit, "en", measure="户") == en
    assert fmt.signed_by_unit(change, unit, "zh", measure="户") == zh


@pytest.mark.parametrize(
    ("current", "previous", "unit", "en", "zh"),
    [
        # Counts on a base under 20 change by units, not by "+50%".
        (3, 2, "count", "+1", "+1户"),
        (17, 19, "count", "-2", "-2户"),
        (5, 0, "count", "+5", "+5户"),
        (19, 19, "count", "0", "0户"),
        # From 20 up, by percent.
        (21, 20, "count", "+5.0%", "+5.0%"),
        (1_100, 1_000, "count", "+10.0%", "+10.0%"),
        # Money by percent whatever the base; a zero base has no percentage.
        (12, 10, "money", "+20.0%", "+20.0%"),
        (-90, 100, "money", "-190.0%", "-190.0%"),
        (5, 0, "money", "—", "—"),
        # Rates by percentage points, scores by points.
        (12.5, 10.0, "pct", "+2.5 pp", "+2.5个百分点"),
        (85.0, 87.5, "points", "-2.5", "-2.5"),
        # Missing either side: a dash.
        (None, 5, "count", "—", "—"),
        (5, float("nan"), "money", "—", "—"),
    ],
)
def test_delta(current: object, previous: object, unit: str, en: str, zh: str) -> None:
    assert fmt.delta(current, previous, unit, "en", measure="户") == en
    assert fmt.delta(current, previous, unit, "zh", measure="户") == zh


@pytest.mark.parametrize("missing", [None, pd.NaT, float("nan")])
def test_missing_months_and_dates_show_a_dash(missing: object) -> None:
    assert fmt.month(missing, "en") == fmt.DASH
    assert fmt.date(missing, "zh") == fmt.DASH


def test_a_balance_says_its_month_and_basis_in_both_languages() -> None:
    september = dt.date(2026, 9, 1)
    assert fmt.basis_month(september, "avg", "zh") == "9月日均"
    assert fmt.basis_month(september, "end", "zh") == "9月末"
    assert fmt.basis_month(september, "avg", "en") == "Sep daily avg"
    assert fmt.basis_month("2026-12-01", "end", "en") == "Dec month-end"
    assert fmt.basis_month(None, "avg", "en") == fmt.DASH
    with pytest.raises(ValueError, match="unknown basis 'eom'"):
        fmt.basis_month(september, "eom", "en")


def test_rates_have_two_decimals_and_change_by_points() -> None:
    assert fmt.rate(1.284) == "1.28%"
    assert fmt.by_unit(1.08, "rate", "zh") == "1.08%"
    assert fmt.rate(None) == fmt.DASH
    assert fmt.signed_by_unit(-0.054, "rate", "en") == "-0.05 pp"
    assert fmt.signed_by_unit(0.204, "rate", "zh") == "+0.20个百分点"
    assert fmt.delta(1.08, 1.284, "rate", "en") == "-0.20 pp"
