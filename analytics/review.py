"""The opening line of the monthly business review (月度经营分析会): a balance, its change since
the start of the year (较年初) and of the quarter (较季初), the annual plan's attainment
(年计划完成率) against the share of the year elapsed (时间进度), and the quarter's and the
year's daily averages (季日均, 年日均). Pure functions on monthly frames (one row per
``month_start``, a column per balance on each basis, ``catalogue.basis``); explained with worked
examples in docs/rules.md ("The monthly business review").
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass

import pandas as pd

from analytics import targets
from catalogue import basis, metrics

# Why a figure of the opening line is missing (a dash on screen, and the reason beside it).
NO_YEAR_BASE = "no_year_base"  # last December is not in the data: no change since 1 January
NO_QUARTER_BASE = "no_quarter_base"  # the month closing the last quarter is not in the data
NO_PLAN = "no_plan"  # no annual plan (or a plan that is not positive) for the units shown


@dataclass(frozen=True)
class Opening:
    """The opening line for one balance on one basis in ``month``.

    ``change_ytd`` is the value minus last December's (较年初), ``change_qtd`` minus the value
    of the month closing the previous quarter (较季初; for January to March that is December
    too); ``attainment_pct`` is ``change_ytd`` over ``plan`` (年计划完成率), ``elapsed_pct``
    the share of the year's days passed at the month's end (时间进度); ``gap_pts`` attainment
    minus elapsed (percentage points) and ``light`` the targets' light of the pace
    (``analytics.targets.traffic_light`` of attainment over elapsed: green at or ahead of time,
    amber within 10% behind it, red further behind). ``missing`` names what could not be
    computed (:data:`NO_YEAR_BASE`, :data:`NO_QUARTER_BASE`, :data:`NO_PLAN`).
    """

    month: pd.Timestamp
    value: float | None
    year_base: float | None
    change_ytd: float | None
    quarter_base: float | None
    change_qtd: float | None
    plan: float | None
    attainment_pct: float | None
    elapsed_pct: float
    gap_pts: float | None
    light: str | None
    missing: tuple[str, ...]


def _value_at(monthly: pd.DataFrame, column: str, month: pd.Timestamp) -> float | None:
    rows = monthly.loc[pd.to_datetime(monthly["month_start"]) == month, column]
    if not len(rows) or pd.isna(rows.iloc[0]):
        return None
    return float(rows.iloc[0])


def year_base_month(month: object) -> pd.Timestamp:
    """December of the year before ``month``'s year (its month-end is 1 January's position)."""
    return pd.Timestamp(year=pd.Timestamp(month).year - 1, month=12, day=1)


def quarter_base_month(month: object) -> pd.Timestamp:
    """The month closing the quarter before ``month``'s (December for January to March)."""
    stamp = pd.Timestamp(month)
    first = (stamp.month - 1) // 3 * 3 + 1
    return pd.Timestamp(year=stamp.year, month=first, day=1) - pd.DateOffset(months=1)


def year_elapsed_pct(month: object) -> float:
    """Share of the year's days passed at the end of ``month`` (时间进度), 0 to 100: 30 June
    of 2026 is 181 of 365 days, 49.6%."""
    stamp = pd.Timestamp(month)
    start = pd.Timestamp(year=stamp.year, month=1, day=1)
    end = pd.Timestamp(year=stamp.year, month=12, day=31)
    return targets.elapsed_share(start, end, stamp) * 100.0


def opening(
    monthly: pd.DataFrame, column: str, month: object, plan: float | None = None
) -> Opening:
    """The opening line of ``column`` (a balance on one basis) for ``month`` of ``monthly``.

    ``plan``: the year's planned growth of that balance on that basis (the annual target summed
    over the units shown); None or not positive: no attainment (:data:`NO_PLAN`). A month whose
    December before is not in the data (the data's first year) has no change since January and
    says so (:data:`NO_YEAR_BASE`) rather than measuring from another month.
    """
    month = pd.Timestamp(month)
    value = _value_at(monthly, column, month)
    year_base = _value_at(monthly, column, year_base_month(month))
    quarter_base = _value_at(monthly, column, quarter_base_month(month))
    missing: list[str] = []
    change_ytd = None if value is None or year_base is None else value - year_base
    if year_base is None:
        missing.append(NO_YEAR_BASE)
    change_qtd = None if value is None or quarter_base is None else value - quarter_base
    if quarter_base is None:
        missing.append(NO_QUARTER_BASE)
    usable_plan = plan if plan is not None and not pd.isna(plan) and plan > 0 else None
    if usable_plan is None:
        missing.append(NO_PLAN)
    elapsed = year_elapsed_pct(month)
    attainment = gap = light = None
    if change_ytd is not None and usable_plan is not None:
        attainment = change_ytd / usable_plan * 100.0
        gap = attainment - elapsed
        light = targets.traffic_light(attainment / elapsed * 100.0)
    return Opening(
        month=month,
        value=value,
        year_base=year_base,
        change_ytd=change_ytd,
        quarter_base=quarter_base,
        change_qtd=change_qtd,
        plan=usable_plan,
        attainment_pct=attainment,
        elapsed_pct=elapsed,
        gap_pts=gap,
        light=light,
        missing=tuple(missing),
    )


PERIODS: tuple[str, ...] = ("quarter", "year")


def period_months(month: object, period: str) -> list[pd.Timestamp]:
    """The months of ``period`` (``quarter`` or ``year``) that contain ``month``, up to it."""
    stamp = pd.Timestamp(month)
    if period == "year":
        first = pd.Timestamp(year=stamp.year, month=1, day=1)
    elif period == "quarter":
        first = quarter_base_month(stamp) + pd.DateOffset(months=1)
    else:
        raise ValueError(f"unknown period {period!r}: expected one of {', '.join(PERIODS)}")
    return list(pd.date_range(first, stamp, freq="MS"))


def days_in(month: object) -> int:
    stamp = pd.Timestamp(month)
    return calendar.monthrange(stamp.year, stamp.month)[1]


def period_daily_average(
    monthly: pd.DataFrame, avg_column: str, month: object, period: str
) -> float | None:
    """The quarter's or year's daily average so far (季日均 / 年日均): the months' daily averages
    (``avg_column``) weighted by their days, from the period's first month to ``month``.

    January 100 (31 days) and February 130 (28 days) give a year's daily average of
    (100 x 31 + 130 x 28) / 59 = 114.24. None when a month of the period is not in the data.
    """
    total = 0.0
    days = 0
    for m in period_months(month, period):
        value = _value_at(monthly, avg_column, m)
        if value is None:
            return None
        total += value * days_in(m)
        days += days_in(m)
    return total / days


def on_basis(frame: pd.DataFrame, basis_code: str) -> pd.DataFrame:
    """``frame`` with each balance measure's month-end column holding the ``basis_code`` figure
    (the daily average copied over it on ``avg``; unchanged on ``end``): for the analytics that
    compute growth, rankings and shares from the month-end column name (``analytics.trends``).
    Label such figures with the basis (``ui.formatting.basis_month``)."""
    basis.check(basis_code)
    if basis_code == basis.MONTH_END:
        return frame
    out = frame.copy()
    for m in metrics.BALANCE_MEASURES:
        if m.daily_average_column in out.columns:
            out[m.month_end_column] = out[m.daily_average_column]
    return out
