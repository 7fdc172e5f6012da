"""January to March aligned on the Spring Festival, and the first-quarter campaign (开门红).

The festival moves between late January and mid February (``catalogue.calendar``), and the
deposits that follow it (migrant workers' wages, year-end bonuses) move with it, so January and
February compared by the calendar compare different things: a festival on 29 January (2025) puts
the inflow into January, one on 17 February (2026) into February. With monthly figures, the
alignment is by the month that holds the festival: each month of January to March gets a *slot*,
its distance in months from the festival's month (-1 the month before it, 0 the festival's month,
+1 and +2 the months after), and is compared with the same slot of other years; its month-end is
also given as days from the festival (节前 / 节后 N 天).

Frames are one row per month (``month_start``) with the measure's column, as the trends page's
monthly totals.
"""

from __future__ import annotations

import pandas as pd

from analytics.trends import with_growth
from catalogue.calendar import FESTIVAL_MONTHS, KAIMENHONG_MONTHS, spring_festival


def festival_month(year: int) -> pd.Timestamp:
    """The first day of the month holding ``year``'s Spring Festival."""
    day = spring_festival(year)
    return pd.Timestamp(day.year, day.month, 1)


def _month_number(month: pd.Timestamp) -> int:
    return month.year * 12 + month.month - 1


def slot(month: object) -> int | None:
    """Months from the festival's month for a month of January to March (-1 .. +2); None for
    the other months."""
    month = pd.Timestamp(month)
    if month.month not in FESTIVAL_MONTHS:
        return None
    return _month_number(month) - _month_number(festival_month(month.year))


def days_from_festival(month: object) -> int:
    """Days from the year's festival to the month's last day (negative: before the festival)."""
    month = pd.Timestamp(month)
    end = (month + pd.offsets.MonthEnd(0)).date()
    return (end - spring_festival(month.year)).days


def _slot_month(year: int, position: int) -> pd.Timestamp:
    return festival_month(year) + pd.DateOffset(months=position)


def _values(monthly: pd.DataFrame, column: str) -> pd.Series:
    """``column`` of a one-row-per-month frame as floats indexed by month."""
    months = pd.to_datetime(monthly["month_start"])
    return pd.Series(monthly[column].astype("float64").to_numpy(), index=months)


def _frame(rows: list[dict], columns: list[str], numeric: tuple[str, ...]) -> pd.DataFrame:
    """``rows`` as a frame of ``columns``, the ``numeric`` ones as floats (a missing one NaN)."""
    out = pd.DataFrame(rows, columns=columns)
    for name in numeric:
        out[name] = pd.to_numeric(out[name], errors="coerce").astype("float64")
    return out


def aligned_seasonality(monthly: pd.DataFrame, column: str) -> pd.DataFrame:
    """The month-of-year profile (``analytics.trends.seasonality``) with January to March
    grouped by slot instead of calendar month: one row per ``period`` (``slot:-1`` ..
    ``slot:2``, then ``month:4`` .. ``month:12``) with the mean month-on-month change (percent
    and amount) and the number of years behind it."""
    grown = with_growth(monthly[["month_start", column]], (column,))
    grown = grown.dropna(subset=[f"{column}_mom"])
    months = pd.to_datetime(grown["month_start"])
    grown["period"] = [
        f"slot:{slot(m)}" if m.month in FESTIVAL_MONTHS else f"month:{m.month}" for m in months
    ]
    grouped = grown.groupby("period")
    profile = pd.DataFrame(
        {
            "mean_mom_pct": grouped[f"{column}_mom_pct"].mean(),
            "mean_mom_rmb": grouped[f"{column}_mom"].mean(),
            "count_years": grouped[f"{column}_mom"].count().astype("int64"),
        }
    )
    order = [f"slot:{s}" for s in (-1, 0, 1, 2)] + [f"month:{m}" for m in range(4, 13)]
    profile = profile.reindex(pd.Index(order, name="period"))
    profile["count_years"] = profile["count_years"].fillna(0).astype("int64")
    return profile.reset_index()


def aligned_year_on_year(monthly: pd.DataFrame, column: str) -> pd.DataFrame:
    """January to March of each year against the same slot a year before: per month, its
    ``slot`` and ``days_from_festival``, the ``base_month`` compared with (last year's month at
    the same distance from last year's festival), the two values and the change (amount and
    percent; NaN where last year's month is not in the data). The calendar comparison is beside
    it (``calendar_change_pct``: against the same calendar month)."""
    values = _values(monthly, column)
    rows = []
    for month in values.index:
        if month.month not in FESTIVAL_MONTHS:
            continue
        position = slot(month)
        base_month = _slot_month(month.year - 1, position)
        base = values.get(base_month)
        calendar_base = values.get(month - pd.DateOffset(years=1))
        value = values[month]
        rows.append(
            {
                "month_start": month,
                "slot": position,
                "days_from_festival": days_from_festival(month),
                "base_month": base_month,
                "value": value,
                "base_value": base,
                "change": None if base is None else value - base,
                "change_pct": None if not base else (value - base) / abs(base) * 100.0,
                "calendar_change_pct": None
                if not calendar_base
                else (value - calendar_base) / abs(calendar_base) * 100.0,
            }
        )
    columns = [
        "month_start",
        "slot",
        "days_from_festival",
        "base_month",
        "value",
        "base_value",
        "change",
        "change_pct",
        "calendar_change_pct",
    ]
    return _frame(
        rows, columns, ("value", "base_value", "change", "change_pct", "calendar_change_pct")
    )


def kaimenhong(monthly: pd.DataFrame, column: str) -> pd.DataFrame:
    """The first-quarter campaign (开门红) of each year as its own period: the balance at the
    end of the December before (``start_value``), at the end of the festival's month and at the
    end of March, the campaign's change (start to March) and how much of it was in by the end of
    the festival's month; years without their December or March in the data are left out."""
    values = _values(monthly, column)
    rows = []
    last = KAIMENHONG_MONTHS[-1]
    for year in sorted({m.year for m in values.index}):
        start, end = pd.Timestamp(year - 1, 12, 1), pd.Timestamp(year, last, 1)
        if start not in values.index or end not in values.index:
            continue
        festival = festival_month(year)
        by_festival = values.get(festival)
        change = values[end] - values[start]
        rows.append(
            {
                "year": year,
                "festival": spring_festival(year),
                "start_value": values[start],
                "end_value": values[end],
                "change": change,
                "change_pct": change / abs(values[start]) * 100.0 if values[start] else None,
                "by_festival_change": None if by_festival is None else by_festival - values[start],
            }
        )
    columns = [
        "year",
        "festival",
        "start_value",
        "end_value",
        "change",
        "change_pct",
        "by_festival_change",
    ]
    return _frame(
        rows, columns, ("start_value", "end_value", "change", "change_pct", "by_festival_change")
    )


__all__ = [
    "aligned_seasonality",
    "aligned_year_on_year",
    "days_from_festival",
    "festival_month",
    "kaimenhong",
    "slot",
]
