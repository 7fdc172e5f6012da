"""The seasonality tab's Spring Festival parts: labels and tables around the festival.

January to March aligned on the festival (``analytics.festival``) are labelled by their place
around it (节前月 / 春节当月 / 节后第1月 / 节后第2月) and their month-end's days from it (节前 /
节后 N 天); the first-quarter campaign (开门红) has its own table. Frames come from
``analytics.festival``; this module only names and formats.
"""

from __future__ import annotations

import pandas as pd

from analytics import festival, trends
from catalogue.calendar import FESTIVAL_MONTHS
from ui import formatting as fmt
from ui.i18n import t
from ui.tables import Column
from ui.trend_charts import MONTH_OF_YEAR_KEYS

# The place of January to March around the festival's month (``analytics.festival.slot``).
SLOT_KEYS: dict[int, str] = {
    -1: "trends.slot_before",
    0: "trends.slot_festival",
    1: "trends.slot_after_1",
    2: "trends.slot_after_2",
}


def period_of(month: object, aligned: bool) -> str:
    """The profile's row of a month: ``slot:-1`` .. ``slot:2`` for January to March when
    aligned on the festival, else ``month:1`` .. ``month:12``."""
    month = pd.Timestamp(month)
    if aligned and month.month in FESTIVAL_MONTHS:
        return f"slot:{festival.slot(month)}"
    return f"month:{month.month}"


def period_label(period: str) -> str:
    """节前月 / 春节当月 / 节后第N月 for a slot, the month's name for a calendar month."""
    kind, _, number = period.partition(":")
    if kind == "slot":
        return t(SLOT_KEYS[int(number)])
    if kind == "month":
        return t(MONTH_OF_YEAR_KEYS[int(number) - 1])
    raise ValueError(f"unknown seasonality period {period!r}: expected slot:N or month:N")


def days_label(days: int) -> str:
    """节前 N 天 / 节后 N 天 (春节当天 on the day)."""
    if days < 0:
        return t("trends.days_before", n=-days)
    if days > 0:
        return t("trends.days_after", n=days)
    return t("trends.days_on")


def festival_dates(months: pd.Series, lang: str) -> str:
    """The Spring Festival of each year whose January to March ``months`` hold:
    ``29 Jan 2025 · 17 Feb 2026`` (empty when none)."""
    stamps = (pd.Timestamp(m) for m in months)
    years = sorted({m.year for m in stamps if m.month in FESTIVAL_MONTHS})
    return " · ".join(fmt.date(festival.spring_festival(y), lang) for y in years)


def profile(monthly: pd.DataFrame, column: str, aligned: bool) -> pd.DataFrame:
    """The month-of-year profile with a ``period`` and its ``label`` per row: January to March
    by their place around the festival when ``aligned``, else by calendar month."""
    if aligned:
        rows = festival.aligned_seasonality(monthly, column)
    else:
        rows = trends.seasonality(monthly, column)
        rows.insert(0, "period", [f"month:{m}" for m in rows.pop("calendar_month")])
    rows["label"] = [period_label(p) for p in rows["period"]]
    return rows


def year_on_year(monthly: pd.DataFrame, column: str, shown: pd.Series) -> pd.DataFrame:
    """January to March of the months ``shown`` against last year's month at the same distance
    from its festival, newest first, with the days and the slot as text."""
    rows = festival.aligned_year_on_year(monthly, column)
    rows = rows[rows["month_start"].isin(pd.to_datetime(shown))]
    rows = rows.sort_values("month_start", ascending=False).reset_index(drop=True)
    rows["days_text"] = [days_label(int(d)) for d in rows["days_from_festival"]]
    rows["slot_text"] = [period_label(f"slot:{int(s)}") for s in rows["slot"]]
    return rows


def year_on_year_columns(value_label: str) -> list[Column]:
    return [
        Column("month_start", "trends.col_month", "month"),
        Column("days_text", "trends.col_month_end_days", "text", "trends.month_end_days_help"),
        Column("slot_text", "trends.col_slot", "text", "trends.fest_align_help"),
        Column("value", "trends.col_value", "money", "trends.value_help", label=value_label),
        Column("base_month", "trends.col_base_month", "month", "trends.base_month_help"),
        Column("base_value", "trends.col_base_value", "money", "trends.value_help"),
        Column("change", "trends.col_fest_change", "signed_money", "trends.fest_change_help"),
        Column("change_pct", "trends.col_fest_change_pct", "signed_pct", "trends.fest_change_help"),
        Column(
            "calendar_change_pct",
            "trends.col_calendar_yoy",
            "signed_pct",
            "trends.calendar_yoy_help",
        ),
    ]


KAIMENHONG_COLUMNS = [
    Column("year", "trends.col_year", "year", "trends.kmh_year_help"),
    Column("festival", "trends.col_festival", "date", "trends.festival_help"),
    Column("start_value", "trends.col_kmh_start", "money", "trends.value_help"),
    Column("end_value", "trends.col_kmh_end", "money", "trends.value_help"),
    Column("change", "trends.col_kmh_change", "signed_money", "trends.kmh_change_help"),
    Column("change_pct", "trends.col_kmh_change_pct", "signed_pct", "trends.kmh_change_help"),
    Column(
        "by_festival_change",
        "trends.col_kmh_by_festival",
        "signed_money",
        "trends.kmh_by_festival_help",
    ),
]
