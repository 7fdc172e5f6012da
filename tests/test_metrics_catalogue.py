"""The target metrics are declared once (``catalogue.metrics``): the catalogue is complete, a
metric added only there gets actuals, a light and labels, and every reader agrees with it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest

from analytics import targets as calc
from analytics import trend_rules
from catalogue import metrics, units
from data_access import data_tests, scorecards
from data_access import schema as s
from data_access.demo import targets as demo_targets
from data_access.marts import effective_month
from tests.analytics.test_targets import series_of
from ui import components, scorecard_marks
from ui import formatting as fmt
from ui.i18n import CATALOGUE, headline_label, translate

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_target_metric_is_complete() -> None:
    codes = metrics.target_codes()
    assert codes and len(codes) == len(set(codes))
    assert set(metrics.ACTUALS) == set(calc.ACTUAL_RULES)
    for m in metrics.TARGET_METRICS:
        assert re.fullmatch(r"[a-z0-9_]+", m.code), m.code
        assert m.name_en.strip() and CJK.search(m.name_zh), m.code
        assert m.unit in units.UNITS, m.code
        assert m.kind in metrics.KINDS, m.code
        assert isinstance(m.higher_is_better, bool), m.code
        assert m.actual in metrics.ACTUALS, m.code
        assert m.series in scorecards.SERIES, f"{m.code}: no query for series {m.series}"
        assert m.source in s.metadata.tables, f"{m.code}: {m.source} is not a warehouse table"
    # An inspection score is read by date of inspection, every other series by month.
    for m in metrics.TARGET_METRICS:
        when = scorecards.SERIES[m.series].when
        assert (when == "inspected_on") == (m.actual == "latest_inspection"), m.code


def test_names_agree_everywhere() -> None:
    """One name per metric: the light-matrix headers, the cards and the report, the accepted
    values of fact_target.metric and the demo's quarterly split all read the catalogue."""
    for m in metrics.TARGET_METRICS:
        assert CATALOGUE[f"sc.metric_{m.code}"] == (m.name_en, m.name_zh)
    assert [k for k in CATALOGUE if k.startswith("sc.metric_")] == [
        f"sc.metric_{c}" for c in metrics.target_codes()
    ]
    for lang in ("en", "zh"):
        names = scorecard_marks.metric_names(lang)
        assert list(names) == list(metrics.target_codes())
        assert names == {c: translate(f"sc.metric_{c}", lang) for c in metrics.target_codes()}
    accepted = {(c.table.name, c.key): values for c, values in data_tests.ACCEPTED_VALUES}
    assert accepted[("fact_target", "metric")] == metrics.target_codes()
    flows = {m.code for m in metrics.TARGET_METRICS if m.kind == "flow"}
    assert set(demo_targets.QUARTER_SHARE) == flows


def _frames() -> tuple[pd.DataFrame, ...]:
    months = pd.to_datetime(["2025-12-01", "2026-01-01", "2026-02-01"])
    monthly = pd.DataFrame(
        {
            "branch_id": [1, 1, 1],
            "month_start": months,
            "aum_rmb": [1_000.0, 1_050.0, 1_100.0],
            "count_new": [9, 3, 4],
            "count_assets_vip": [10, 10, 11],
        }
    )
    sales = pd.DataFrame({"branch_id": [1], "month_start": months[1:2], "wealth_sales_rmb": [5.0]})
    coverage = pd.DataFrame({"branch_id": [1], "month_start": months[2:], "coverage_pct": [20.0]})
    six_s = pd.DataFrame(
        {"branch_id": [1], "inspected_on": pd.to_datetime(["2026-01-20"]), "overall": [88.0]}
    )
    return monthly, sales, coverage, six_s


def test_a_metric_added_only_to_the_catalogue_gets_actuals_a_light_and_labels(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    aum = metrics.Metric(
        "aum_rmb",
        "AUM",
        "金融资产余额",
        units.MONEY,
        "level",
        True,
        "latest",
        "aum",
        "mart_branch_month_tier",
    )
    monkeypatch.setattr(metrics, "TARGET_METRICS", (*metrics.TARGET_METRICS, aum))
    targets = pd.DataFrame(
        [
            {
                "branch_id": 1,
                "metric": "aum_rmb",
                "period_start": dt.date(2026, 1, 1),
                "period_end": dt.date(2026, 12, 31),
                "target_value": 1_200.0,
            }
        ]
    )
    as_of = pd.Timestamp("2026-02-01")
    series = series_of(*_frames())
    card = calc.scorecard(calc.branch_actuals(targets, series, as_of), as_of).iloc[0]
    elapsed = 59 / 365
    assert card["actual"] == 1_100.0 and card["start_value"] == 1_000.0
    assert card["kind"] == "level"
    assert card["projection"] == pytest.approx(1_000.0 + 100.0 / elapsed)
    assert card["light"] == "green"  # 1,619 projected against 1,200
    assert scorecard_marks.metric_names("en")["aum_rmb"] == "AUM"
    assert scorecard_marks.metric_names("zh")["aum_rmb"] == "金融资产余额"
    assert scorecard_marks.metric_unit_names("zh")["aum_rmb"] == "元"
    money = scorecard_marks.metric_value_text("aum_rmb", 12_345_678.0, "zh")
    assert money == fmt.money(12_345_678.0, "zh")  # its unit's formatter


def test_a_metric_reads_its_series_by_its_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    """Changing only a metric's rule in the catalogue changes how its actual is computed."""
    summed = dataclasses.replace(metrics.target_metric("new_customers"), actual="change")
    others = [m for m in metrics.TARGET_METRICS if m.code != "new_customers"]
    monkeypatch.setattr(metrics, "TARGET_METRICS", (*others, summed))
    targets = pd.DataFrame(
        [
            {
                "branch_id": 1,
                "metric": "new_customers",
                "period_start": dt.date(2026, 1, 1),
                "period_end": dt.date(2026, 12, 31),
                "target_value": 10.0,
            }
        ]
    )
    got = calc.branch_actuals(targets, series_of(*_frames()), pd.Timestamp("2026-02-01"))
    assert got["actual"].iloc[0] == 4 - 9 and got["start_value"].iloc[0] == 9


# ------------------------------------------------------------------ headline metrics (KPI cards)


def test_every_headline_metric_is_complete() -> None:
    codes = [m.code for m in metrics.HEADLINE_METRICS]
    assert codes and len(codes) == len(set(codes))
    for m in metrics.HEADLINE_METRICS:
        assert re.fullmatch(r"[a-z0-9_]+", m.code), m.code
        assert m.name_en.strip() and CJK.search(m.name_zh), m.code
        assert not CJK.search(m.name_en), m.code
        assert m.unit in units.UNITS, m.code
        assert m.kind in metrics.KINDS, m.code
        assert isinstance(m.higher_is_better, bool), m.code
        # The overview's and the trends' monthly totals both sum the branch-tier mart and the
        # effective counts beside it (same grain).
        assert m.column in {*s.mart_branch_month_tier.c.keys(), *effective_month.COUNTS}, m.code
        help_en, help_zh = CATALOGUE[f"kpi.{m.code}_help"]
        assert help_en.strip() and CJK.search(help_zh), m.code


def test_headline_labels_are_the_catalogue_names() -> None:
    """The cards, the branch report, the my-branch page and the glossary read one label per
    headline metric: the catalogue's names, the Chinese term beside the English one."""
    for m in metrics.HEADLINE_METRICS:
        assert CATALOGUE[f"kpi.{m.code}"] == (f"{m.name_en} {m.name_zh}", m.name_zh)
    aum = next(m for m in metrics.HEADLINE_METRICS if m.code == "aum")
    assert headline_label(aum, "zh") == "金融资产（AUM）"
    assert headline_label(aum, "en") == "Financial assets 金融资产（AUM）"


def _headline_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "month_start": pd.to_datetime(["2025-02-01", "2026-01-01", "2026-02-01"]),
            "aum_rmb": [800_000.0, 1_000_000.0, 1_361_000.0],
            "count_customers": [1_000, 1_200, 1_250],
            "count_effective": [700, 900, 960],
            "count_assets_vip": [3, 4, 5],
            "count_active": [600, 700, 650],
        }
    )


def test_a_headline_metric_added_only_to_the_catalogue_gets_a_card(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Adding a KPI card is a definition in the catalogue (and its one-line definition in the
    strings): the cards of every page follow, labelled and formatted by the catalogue."""
    active = metrics.HeadlineMetric(
        "active", "Active customers", "活跃客户数", units.COUNT, "level", True, "count_active"
    )
    monkeypatch.setattr(metrics, "HEADLINE_METRICS", (*metrics.HEADLINE_METRICS, active))
    monkeypatch.setitem(CATALOGUE, "kpi.active_help", ("Active.", "活跃。"))
    monthly = _headline_frame()
    month = pd.Timestamp("2026-02-01")
    for lang in ("en", "zh"):
        cards = components.headline_cards(monthly, month, monthly, lang)
        assert [c.label for c in cards] == [
            components.headline_label_on(m, month, "end", lang) for m in metrics.HEADLINE_METRICS
        ]
        assert cards[-1].label == headline_label(active, lang)  # a count has no basis
        assert [c.value for c in cards] == [
            fmt.by_unit(monthly[m.column].iloc[-1], m.unit, lang) for m in metrics.HEADLINE_METRICS
        ]
        assert cards[-1].help == translate("kpi.active_help", lang)
        assert list(cards[-1].trend) == [600, 700, 650]
    assert cards[0].value == fmt.money(1_361_000.0, "zh")
    assert cards[-1].label == "活跃客户数"


def test_a_balance_card_reads_and_says_the_basis() -> None:
    """The AUM card reads the daily average on the daily-average basis and says so
    ("2月日均", "Feb daily avg"); the counts are the same on both bases."""
    monthly = _headline_frame().assign(aum_avg_rmb=[700_000.0, 950_000.0, 1_200_000.0])
    month = pd.Timestamp("2026-02-01")
    for lang, avg_word, end_word in (
        ("zh", "2月日均", "2月末"),
        ("en", "Feb daily avg", "Feb month-end"),
    ):
        avg = components.headline_cards(monthly, month, monthly, lang, basis_code="avg")
        end = components.headline_cards(monthly, month, monthly, lang, basis_code="end")
        assert avg[0].value == fmt.money(1_200_000.0, lang)
        assert end[0].value == fmt.money(1_361_000.0, lang)
        assert avg[0].label.endswith(avg_word) and end[0].label.endswith(end_word)
        assert list(avg[0].trend) == [700_000.0, 950_000.0, 1_200_000.0]
        assert avg[0].help == translate("kpi.aum_avg_help", lang)
        assert [c.value for c in avg[1:]] == [c.value for c in end[1:]]
    assert avg[0].mom == fmt.delta(1_200_000.0, 950_000.0, "money", "en")


def test_the_ranking_target_is_the_catalogues_target_over_aum() -> None:
    assert trend_rules.RANKING_TARGET_METRICS == {
        "avg": "aum_avg_growth_rmb",
        "end": "aum_growth_rmb",
    }
    assert trend_rules.RANKING_TARGET_METRIC == "aum_growth_rmb"
    assert metrics.target_over("aum").code == trend_rules.RANKING_TARGET_METRIC
    assert metrics.target_over("aum_avg").code == "aum_avg_growth_rmb"
    with pytest.raises(KeyError, match="0 target metrics over the series 'nothing'"):
        metrics.target_over("nothing")


def test_docs_warehouse_lists_the_catalogues_target_codes() -> None:
    """docs/warehouse.md names fact_target.metric's codes: exactly the catalogue's, in order."""
    text = (Path(__file__).parents[1] / "docs" / "warehouse.md").read_text(encoding="utf-8")
    section = text[text.index("### fact_target") :]
    row = next(line for line in section.splitlines() if line.startswith("| `metric` |"))
    listed = re.search(r"TARGET_METRICS\): ([a-z0-9_, ]+) \|", row)
    assert listed, row
    assert tuple(c.strip() for c in listed.group(1).split(",")) == metrics.target_codes()
