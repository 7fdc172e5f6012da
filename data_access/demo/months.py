"""Months of the demo window and the seasonal shape of balances.

The seasonal index comes from DEMO-DATA-FACTS (month-end personal balances, previous December =
100): Spring Festival inflows in January and February, the April dip, school fees in August and
September, harvest income from September to November and quarter-end spikes.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

# Month-end balance index by calendar month (January first), previous December = 100.
SEASONAL_INDEX = np.array(
    [102.0, 103.5, 103.6, 102.8, 102.9, 104.0, 103.6, 103.0, 103.8, 105.0, 106.5, 108.0]
)
QUARTER_END_MONTHS = (3, 6, 9, 12)
# Quarter-end spikes reverse within a week: the month-end balance carries them, the average not.
QUARTER_END_BUMP = 0.012


def default_as_of(today: dt.date | None = None) -> dt.date:
    """First day of the previous complete calendar month."""
    today = today or dt.date.today()
    return add_months(dt.date(today.year, today.month, 1), -1)


def add_months(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_starts(as_of: dt.date, months: int) -> list[dt.date]:
    """The window's months, oldest first, ending with ``as_of``."""
    as_of = dt.date(as_of.year, as_of.month, 1)
    return [add_months(as_of, i - months + 1) for i in range(months)]


def month_index(day: dt.date) -> int:
    """Months since year 0: differences give month offsets."""
    return day.year * 12 + day.month - 1


def to_datetime64(months: list[dt.date]) -> np.ndarray:
    return np.array(months, dtype="datetime64[D]")


def month_days(first_month: dt.date, offsets: np.ndarray, days: np.ndarray) -> np.ndarray:
    """Dates ``days`` (1-28) into the months ``offsets`` after ``first_month`` (vectorised)."""
    base = np.datetime64(f"{first_month.year:04d}-{first_month.month:02d}", "M")
    month = base + np.asarray(offsets, dtype="timedelta64[M]")
    return month.astype("datetime64[D]") + (np.asarray(days) - 1).astype("timedelta64[D]")


def log_season(months: list[dt.date]) -> np.ndarray:
    """Log of the aggregate balance level per month: seasonal index on top of yearly growth."""
    years = np.array([m.year for m in months], dtype=float)
    calendar = np.array([m.month for m in months]) - 1
    annual = np.log(SEASONAL_INDEX[11] / 100.0)
    return annual * (years - years[-1]) + np.log(SEASONAL_INDEX[calendar] / 100.0)
