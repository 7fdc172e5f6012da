"""The deposits view's blocks (储蓄存款 first), shared by the overview and the trends page: the
deposits KPI row, the units above the 4% deviation line, the lines with their cost, and what
moved the cost. Numbers come from ``analytics.deposits`` on the mart frames the pages read."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import deposits as calc
from analytics import kpis, rules
from catalogue import units
from data_access.filters import Filters
from data_access.viewer import Viewer
from ui import components, tables
from ui import formatting as fmt
from ui.i18n import current_lang, t
from ui.tables import Column

CAP_PCT = rules.DEPOSIT_DEVIATION_CAP * 100.0

# (column of the derived frame, label key, unit): the cards of the deposits KPI row, in order.
CARDS: tuple[tuple[str, str, str], ...] = (
    (calc.DEPOSITS.month_end_column, "dep.kpi_month_end", units.MONEY),
    (calc.DEPOSITS.daily_average_column, "dep.kpi_daily_average", units.MONEY),
    (calc.LARGE_CD.month_end_column, "dep.kpi_large_cd", units.MONEY),
    ("cost_pct", "dep.kpi_cost", units.RATE),
    ("deviation_pct", "dep.kpi_deviation", units.RATE),
)
_CARD_HELP = {
    "dep.kpi_month_end": "dep.kpi_month_end_help",
    "dep.kpi_daily_average": "dep.kpi_daily_average_help",
    "dep.kpi_large_cd": "dep.kpi_large_cd_help",
    "dep.kpi_cost": "dep.kpi_cost_help",
    "dep.kpi_deviation": "dep.kpi_deviation_help",
}


def deposit_cards(
    monthly: pd.DataFrame, month: pd.Timestamp, window: pd.DataFrame, lang: str | None = None
) -> list[components.KpiCard]:
    """The deposits KPI row for ``month``: deposits at month end and on the daily average, of
    which 大额存单, the month's cost and the deviation, each against last month and last year."""
    lang = lang or current_lang()
    derived = calc.with_deposit_measures(monthly)
    shown = derived[derived["month_start"].isin(set(window["month_start"]))]
    snapshot = kpis.kpi_snapshot(derived, month, tuple(c for c, _, _ in CARDS))
    return [
        components.kpi_card(
            snapshot[column], t(key), t(_CARD_HELP[key]), unit, shown[column].dropna(), lang
        )
        for column, key, unit in CARDS
    ]


def above_cap_units(
    unit_month: pd.DataFrame, names: pd.Series, month: pd.Timestamp, window_months: set
) -> pd.DataFrame:
    """The units above the line in ``month`` (highest first) with their names and, over the
    window's months, how many months were above it and how many of those were quarter ends."""
    above = calc.above_cap(unit_month, month)
    counts = calc.months_above_cap(unit_month[unit_month["month_start"].isin(window_months)])
    above = above.merge(counts, on="unit_id", how="left")
    above["name"] = above["unit_id"].map(names).fillna(above["unit_id"].astype(str))
    return above


def above_cap_table(
    frame: pd.DataFrame,
    level_label: str,
    key: str,
    viewer: Viewer,
    filters: Filters,
    extra: dict[str, object] | None = None,
) -> None:
    """The executive's list of units above the 4% line (or a line saying there are none)."""
    if frame.empty:
        st.caption(t("dep.above_none"))
        return
    tables.table(
        frame,
        [
            Column("name", "dep.col_unit", "text"),
            Column("deviation_pct", "dep.col_deviation", "rate", "dep.kpi_deviation_help"),
            Column("deposit_rmb", "dep.col_month_end", "money", "dep.kpi_month_end_help"),
            Column(
                "deposit_avg_rmb", "dep.col_daily_average", "money", "dep.kpi_daily_average_help"
            ),
            Column("count_above", "dep.col_months_above", "count", "dep.months_above_help"),
            Column(
                "count_quarter_end_above",
                "dep.col_quarter_end_above",
                "count",
                "dep.months_above_help",
            ),
            Column("max_deviation_pct", "dep.col_max_deviation", "rate", "dep.above_help"),
        ],
        key=key,
        title=t("dep.above_title", level=level_label),
        extra=extra,
        viewer=viewer,
        filters=filters,
    )


def summary(monthly: pd.DataFrame, month: pd.Timestamp, count_above: int, level_label: str) -> str:
    """One line under the KPI row: the cost since January, the line, and the units above it."""
    lang = current_lang()
    derived = calc.with_deposit_measures(monthly)
    row = derived[derived["month_start"] == month]
    ytd = float(row["cost_ytd_pct"].iloc[0]) if len(row) else float("nan")
    fields = {
        "ytd": fmt.rate(ytd, lang),
        "cap": fmt.pct(CAP_PCT, lang, digits=0),
        "level": level_label,
        "month": fmt.month(month, lang),
    }
    if count_above:
        return t("dep.summary", count=fmt.count(count_above, lang), **fields)
    return t("dep.summary_none", **fields)


def lines_frame(monthly: pd.DataFrame, month: pd.Timestamp) -> pd.DataFrame:
    """One row per deposit line in ``month``: month end, daily average, interest, its cost (month
    and year to date) and share of the daily average."""
    derived = calc.with_deposit_measures(monthly)
    row = derived[derived["month_start"] == month]
    if row.empty:
        return pd.DataFrame()
    row = row.iloc[0]
    days = calc.days_in_month(month)
    ytd_rows = derived[
        (derived["month_start"].dt.year == month.year) & (derived["month_start"] <= month)
    ]
    ytd_days = ytd_rows["month_start"].map(calc.days_in_month)
    total_avg = row[calc.DEPOSITS.daily_average_column]
    records = []
    for measure, key in (
        (calc.DEPOSITS, "dep.line_deposits"),
        (calc.DEMAND, "dep.line_demand"),
        (calc.TIME, "dep.line_time"),
        (calc.LARGE_CD, "dep.line_large_cd"),
    ):
        average = row[measure.daily_average_column]
        records.append(
            {
                "line": t(key),
                "month_end_rmb": row[measure.month_end_column],
                "average_rmb": average,
                "interest_rmb": row[measure.interest_column],
                "cost_pct": calc.annualised_pct(row[measure.interest_column], average * days),
                "cost_ytd_pct": calc.annualised_pct(
                    ytd_rows[measure.interest_column].sum(),
                    (ytd_rows[measure.daily_average_column] * ytd_days).sum(),
                ),
                "share_pct": average / total_avg * 100.0 if total_avg > 0 else float("nan"),
            }
        )
    return pd.DataFrame.from_records(records)


LINE_COLUMNS: tuple[Column, ...] = (
    Column("line", "dep.col_line", "text"),
    Column("month_end_rmb", "dep.col_month_end", "money", "dep.kpi_month_end_help"),
    Column("average_rmb", "dep.col_daily_average", "money", "dep.kpi_daily_average_help"),
    Column("share_pct", "dep.col_share", "pct", "dep.share_help"),
    Column("interest_rmb", "dep.col_interest", "money", "dep.interest_help"),
    Column("cost_pct", "dep.col_cost", "rate", "dep.kpi_cost_help"),
    Column("cost_ytd_pct", "dep.col_cost_ytd", "rate", "dep.cost_help"),
)

SEGMENT_KEYS = {
    "demand": "dep.line_demand",
    "time_other": "dep.line_time_other",
    "large_cd": "dep.line_large_cd",
}

MIX_COLUMNS: tuple[Column, ...] = (
    Column("line", "dep.col_line", "text"),
    Column("base_weight_pct", "dep.col_base_share", "pct", "dep.share_help"),
    Column("weight_pct", "dep.col_share", "pct", "dep.share_help"),
    Column("base_rate_pct", "dep.col_base_rate", "rate", "dep.kpi_cost_help"),
    Column("rate_pct", "dep.col_rate", "rate", "dep.kpi_cost_help"),
    Column("mix_pp", "dep.col_mix", "signed_rate_pp", "dep.mix_help"),
    Column("rate_pp", "dep.col_rate_effect", "signed_rate_pp", "dep.mix_help"),
)


def mix_summary(change: calc.CostChange) -> str:
    lang = current_lang()
    return t(
        "dep.mix_summary",
        base=fmt.month(change.base_month, lang),
        base_cost=fmt.rate(change.base_pct, lang),
        month=fmt.month(change.month, lang),
        cost=fmt.rate(change.cost_pct, lang),
        change=fmt.signed_by_unit(change.change_pp, units.RATE, lang),
        mix=fmt.signed_by_unit(change.mix_pp, units.RATE, lang),
        rate=fmt.signed_by_unit(change.rate_pp, units.RATE, lang),
    )


def mix_lines(change: calc.CostChange) -> pd.DataFrame:
    """The decomposition's lines with their names, and a total row."""
    lines = change.lines.copy()
    lines["line"] = [t(SEGMENT_KEYS[s]) for s in lines["segment"]]
    total = pd.DataFrame(
        [
            {
                "line": t("dep.line_deposits"),
                "base_weight_pct": 100.0,
                "weight_pct": 100.0,
                "base_rate_pct": change.base_pct,
                "rate_pct": change.cost_pct,
                "mix_pp": change.mix_pp,
                "rate_pp": change.rate_pp,
            }
        ]
    )
    return pd.concat([lines, total], ignore_index=True)
