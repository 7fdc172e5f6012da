"""Months of the demo window and the seasonal shape of balances.

The seasonal index comes from DEMO-DATA-FACTS (month-end personal balances, previous December =
100): Spring Festival inflows in January and February, the April dip, school fees in August and
September, harvest income from September to November and quarter-end spikes.

The Spring Festival moves between 21 January and 20 February, and what follows it (migrant
workers coming home with their wages, year-end bonuses, the first-quarter deposit campaign 开门红)
moves with it. The monthly tables are written for a festival on TYPICAL_FESTIVAL (5 February);
:func:`festival_position` shifts the January-March months of each year by that year's festival
date, so a festival on 29 January (2025) puts the peak into January's month-end and one on
17 February (2026) pushes it into February. The dates are a table (no lunar-calendar library is
pinned); a window outside it raises ValueError.

Month-end spikes (存款偏离度): the month-end balance carries money that comes in for the last
days of the month and leaves in the first days of the next (a branch pushing its month-end
figure); :func:`month_end_spike` draws how much, per branch and month, larger at quarter ends.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from catalogue.calendar import FESTIVAL_MONTHS, SPRING_FESTIVAL, spring_festival

__all__ = ["FESTIVAL_MONTHS", "SPRING_FESTIVAL", "spring_festival"]  # the demo's calendar

# Month-end balance index by calendar month (January first), previous December = 100.
SEASONAL_INDEX = np.array(
    [102.0, 103.5, 103.6, 102.8, 102.9, 104.0, 103.6, 103.0, 103.8, 105.0, 106.5, 108.0]
)
QUARTER_END_MONTHS = (3, 6, 9, 12)

# The festival date the monthly tables (SEASONAL_INDEX and monthly.py's) are written for: the
# middle of its range (estimate).
TYPICAL_FESTIVAL = (2, 5)

# New customers by month (estimate; facts: Q1 brings 40-50% of the year's new deposits): the
# first quarter, plus the 30 days before and 10 after the festival.
OPENING_OTHER = 0.85
OPENING_Q1 = 1.4
OPENING_RUN_UP = 1.2

# Month-end spike over the month's daily average, per branch and month (estimate, calibrated so
# that 存款偏离度 = month-end / daily average - 1 lands at 1-5% per branch, a few branches above
# the regulator's 4% cap (RCC-PRACTICE.md), more at quarter ends and most at the year end).
SPIKE_MEDIAN = 0.016  # a branch's usual month-end spike
SPIKE_BRANCH_SD = 0.3  # log-sd between branches (some push their month-end figure harder)
SPIKE_MONTH_SD = 0.35  # log-sd from month to month
SPIKE_QUARTER_END = 2.0  # multiplier at March, June and September month-ends
SPIKE_YEAR_END = 2.4  # multiplier at the December month-end


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


def _month_end(year: int, month: int) -> dt.date:
    return add_months(dt.date(year, month, 1), 1) - dt.timedelta(days=1)


def festival_position(months: list[dt.date], anchor: str = "end") -> np.ndarray:
    """Fractional calendar-month position (0 = January) of each month for the seasonal tables.

    Outside FESTIVAL_MONTHS the position is the calendar month. In January to March the month's
    anchor day (its last day for stocks such as month-end balances, ``anchor="end"``; its middle
    for flows such as transactions, ``anchor="mid"``) is moved by how far that year's festival
    falls from TYPICAL_FESTIVAL, and the position is read off the table's own anchors: with a
    festival 12 days late, January's month-end looks like 19 January of a typical year (between
    December's and January's values). Raises ValueError for a year outside SPRING_FESTIVAL.
    """
    if anchor not in ("end", "mid"):
        raise ValueError(f"anchor must be 'end' or 'mid', not {anchor!r}")
    out = np.array([m.month - 1 for m in months], dtype=float)
    for i, m in enumerate(months):
        if m.month not in FESTIVAL_MONTHS:
            continue
        festival = spring_festival(m.year)
        typical = dt.date(m.year, *TYPICAL_FESTIVAL)
        # Anchor days of December (previous year) to April of this year, and their positions.
        anchors = [
            _anchor(m.year - 1, 12, anchor),
            *(_anchor(m.year, k, anchor) for k in range(1, 5)),
        ]
        days = np.array([(a - typical).days for a in anchors], dtype=float)
        here = (_anchor(m.year, m.month, anchor) - festival).days
        out[i] = float(np.interp(here, days, np.arange(-1.0, 4.0)))
    return out


def _anchor(year: int, month: int, anchor: str) -> dt.date:
    end = _month_end(year, month)
    return end if anchor == "end" else dt.date(year, month, (end.day + 1) // 2)


def seasonal_value(table: np.ndarray, position: np.ndarray) -> np.ndarray:
    """Values of a 12-month table (January first, last axis) at fractional positions (cyclic).

    ``table`` may be (12,) or (k, 12); the result has the positions on the last axis.
    """
    table = np.asarray(table, dtype=float)
    low = np.floor(position).astype(int)
    weight = position - low
    return table[..., low % 12] * (1 - weight) + table[..., (low + 1) % 12] * weight


def festival_run_up(months: list[dt.date], before: int = 30, after: int = 10) -> np.ndarray:
    """Share of the days from ``before`` days before the festival to ``after`` days after it that
    fall in each month (the weeks of the 开门红 push and of migrant workers' return)."""
    share = np.zeros(len(months))
    for i, m in enumerate(months):
        if m.month not in (12, *FESTIVAL_MONTHS):
            continue
        festival = spring_festival(m.year + 1 if m.month == 12 else m.year)
        start = festival - dt.timedelta(days=before)
        end = festival + dt.timedelta(days=after)
        overlap = (min(end, _month_end(m.year, m.month)) - max(start, m)).days + 1
        share[i] = max(overlap, 0) / (before + after + 1)
    return share


def opening_weight(months: list[dt.date]) -> np.ndarray:
    """Relative number of new customers opening in each month: the first-quarter campaign
    (开门红) lifts January to March, most of all the weeks before the Spring Festival."""
    quarter = np.isin([m.month for m in months], FESTIVAL_MONTHS)
    return np.where(quarter, OPENING_Q1, OPENING_OTHER) + OPENING_RUN_UP * festival_run_up(months)


def log_season(months: list[dt.date]) -> np.ndarray:
    """Log of the aggregate balance level per month: seasonal index on top of yearly growth,
    January to March keyed to each year's Spring Festival (see :func:`festival_position`)."""
    years = np.array([m.year for m in months], dtype=float)
    annual = np.log(SEASONAL_INDEX[11] / 100.0)
    # The index is a level over the previous December (= 100), so before January it is 100.
    position = festival_position(months)
    index = np.interp(position, np.arange(-1.0, 12.0), np.r_[100.0, SEASONAL_INDEX])
    return annual * (years - years[-1]) + np.log(index / 100.0)


def month_end_spike(rng: np.random.Generator, branches: int, months: list[dt.date]) -> np.ndarray:
    """(months, branches) month-end spike over the daily-average level (0.022 = 2.2%)."""
    branch = rng.normal(0.0, SPIKE_BRANCH_SD, branches)
    noise = rng.normal(0.0, SPIKE_MONTH_SD, (len(months), branches))
    calendar = np.array([m.month for m in months])
    factor = np.select(
        [calendar == 12, np.isin(calendar, QUARTER_END_MONTHS)],
        [SPIKE_YEAR_END, SPIKE_QUARTER_END],
        1.0,
    )
    return SPIKE_MEDIAN * factor[:, None] * np.exp(branch[None, :] + noise)
