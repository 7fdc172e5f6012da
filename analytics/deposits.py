"""Deposits first: savings deposits (储蓄存款) and their lines, their cost (存款付息率), the
structure's effect on that cost, and the deposit deviation (存款偏离度).

Pure functions on monthly frames carrying the deposit measures' columns of
``catalogue.metrics.DEPOSIT_MEASURES`` (as mart_branch_month_tier sums them). Definitions and a
worked example are in docs/rules.md ("Deposits").

- 存款付息率 = interest paid in the month / the month's daily-average deposits, annualised on the
  360-day year of deposit interest (``rules.INTEREST_DAY_COUNT``): x 360 / days in the month.
  Year to date: the interest since January over the day-weighted daily average since January,
  x 360 / days since January (= interest / sum of daily average x days, x 360).
- The structure's effect: the cost is the mix-weighted mean of the lines' rates (demand, time
  without 大额存单, 大额存单). Its change between two months splits exactly into a mix effect (the
  weights' change at the two months' mean rates) and a rate effect (the rates' change at the
  two months' mean weights).
- 存款偏离度 = month-end deposits / the month's daily average - 1, against the regulator's cap
  (``rules.DEPOSIT_DEVIATION_CAP``, 4%).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics import rules
from catalogue import metrics

_M = {m.code: m for m in metrics.DEPOSIT_MEASURES}
DEPOSITS, DEMAND, TIME, LARGE_CD = (
    _M["deposits"],
    _M["demand_deposits"],
    _M["time_deposits"],
    _M["large_cds"],
)

# The lines of the cost decomposition: they add up to savings deposits without overlap.
SEGMENTS: tuple[str, ...] = ("demand", "time_other", "large_cd")


def days_in_month(month: object) -> int:
    stamp = pd.Timestamp(month)
    return calendar.monthrange(stamp.year, stamp.month)[1]


def annualised_pct(interest: float, average_x_days: float) -> float:
    """Interest over (daily-average balance x days), annualised on the 360-day year, in percent;
    NaN without a balance."""
    if not average_x_days or average_x_days <= 0 or not np.isfinite(average_x_days):
        return float("nan")
    return float(interest) / float(average_x_days) * rules.INTEREST_DAY_COUNT * 100.0


def deviation_pct(month_end: float, daily_average: float) -> float:
    """存款偏离度 in percent: month end over the daily average, minus one; NaN without a daily
    average."""
    if not daily_average or daily_average <= 0 or not np.isfinite(daily_average):
        return float("nan")
    return (float(month_end) / float(daily_average) - 1.0) * 100.0


def with_deposit_measures(monthly: pd.DataFrame, by: tuple[str, ...] = ()) -> pd.DataFrame:
    """The frame with the deposits view's derived columns, row by row (``by``: the unit columns;
    year to date runs within each unit and calendar year):

    - ``deviation_pct`` (存款偏离度) and ``above_cap`` (above the 4% line), ``quarter_end``;
    - ``cost_pct`` (the month's 存款付息率) and ``cost_ytd_pct`` (year to date), and the cost of
      each line (``demand_cost_pct``, ``time_cost_pct``, ``large_cd_cost_pct``);
    - ``time_share_pct`` and ``large_cd_share_pct`` of deposits at month end and on the daily
      average (``*_avg_share_pct``), ``deposit_share_of_aum_pct``.
    """
    frame = monthly.reset_index(drop=True)
    if frame.empty:
        for col in (
            "deviation_pct",
            "above_cap",
            "quarter_end",
            "cost_pct",
            "cost_ytd_pct",
            "demand_cost_pct",
            "time_cost_pct",
            "large_cd_cost_pct",
            "time_share_pct",
            "large_cd_share_pct",
            "time_avg_share_pct",
            "large_cd_avg_share_pct",
            "deposit_share_of_aum_pct",
        ):
            frame[col] = pd.Series(dtype="float64")
        return frame
    months = pd.to_datetime(frame["month_start"])
    days = months.map(days_in_month).astype("float64")
    end, avg = frame[DEPOSITS.month_end_column], frame[DEPOSITS.daily_average_column]
    frame["deviation_pct"] = [deviation_pct(e, a) for e, a in zip(end, avg, strict=True)]
    # Above the line, not on it (rounded to a billionth of a point against float noise).
    frame["above_cap"] = frame["deviation_pct"].round(9) > rules.DEPOSIT_DEVIATION_CAP * 100.0
    frame["quarter_end"] = months.dt.month.isin(rules.QUARTER_END_MONTHS).to_numpy()
    for name, measure in (
        ("cost_pct", DEPOSITS),
        ("demand_cost_pct", DEMAND),
        ("time_cost_pct", TIME),
        ("large_cd_cost_pct", LARGE_CD),
    ):
        frame[name] = [
            annualised_pct(i, a * d)
            for i, a, d in zip(
                frame[measure.interest_column],
                frame[measure.daily_average_column],
                days,
                strict=True,
            )
        ]
    weighted = frame[DEPOSITS.daily_average_column] * days
    year = months.dt.year
    keys = [frame[c] for c in by] + [year]
    order = np.argsort(months.to_numpy(), kind="stable")
    interest_ytd = (
        frame[DEPOSITS.interest_column].iloc[order].groupby([k.iloc[order] for k in keys]).cumsum()
    )
    base_ytd = weighted.iloc[order].groupby([k.iloc[order] for k in keys]).cumsum()
    frame["cost_ytd_pct"] = [
        annualised_pct(i, b)
        for i, b in zip(
            interest_ytd.reindex(frame.index), base_ytd.reindex(frame.index), strict=True
        )
    ]

    def share(part: pd.Series, whole: pd.Series) -> pd.Series:
        return (part / whole.where(whole > 0)) * 100.0

    frame["time_share_pct"] = share(frame[TIME.month_end_column], end)
    frame["large_cd_share_pct"] = share(frame[LARGE_CD.month_end_column], end)
    frame["time_avg_share_pct"] = share(frame[TIME.daily_average_column], avg)
    frame["large_cd_avg_share_pct"] = share(frame[LARGE_CD.daily_average_column], avg)
    if "aum_rmb" in frame:
        frame["deposit_share_of_aum_pct"] = share(end, frame["aum_rmb"])
    return frame


@dataclass(frozen=True)
class CostChange:
    """The change of 存款付息率 between two months, split into the mix and the rate effects
    (percentage points; ``mix_pp + rate_pp == change_pp``), and per line (``lines``: one row per
    segment with its weight and rate at both months and its two effects)."""

    base_month: pd.Timestamp
    month: pd.Timestamp
    base_pct: float
    cost_pct: float
    mix_pp: float
    rate_pp: float
    lines: pd.DataFrame

    @property
    def change_pp(self) -> float:
        return self.cost_pct - self.base_pct


def segment_balances(row: pd.Series) -> pd.DataFrame:
    """The three lines of one month (demand, time without 大额存单, 大额存单): daily average and
    interest, indexed by segment."""
    time_avg = row[TIME.daily_average_column] - row[LARGE_CD.daily_average_column]
    time_interest = row[TIME.interest_column] - row[LARGE_CD.interest_column]
    return pd.DataFrame(
        {
            "average_rmb": [
                row[DEMAND.daily_average_column],
                time_avg,
                row[LARGE_CD.daily_average_column],
            ],
            "interest_rmb": [
                row[DEMAND.interest_column],
                time_interest,
                row[LARGE_CD.interest_column],
            ],
        },
        index=pd.Index(SEGMENTS, name="segment"),
    ).astype("float64")


def _weights_and_rates(row: pd.Series) -> tuple[pd.Series, pd.Series]:
    lines = segment_balances(row)
    total = lines["average_rmb"].sum()
    days = days_in_month(row["month_start"])
    weights = lines["average_rmb"] / total if total > 0 else lines["average_rmb"] * np.nan
    rates = pd.Series(
        [
            annualised_pct(i, a * days)
            for i, a in zip(lines["interest_rmb"], lines["average_rmb"], strict=True)
        ],
        index=lines.index,
    ).fillna(0.0)
    return weights, rates


def cost_change(monthly: pd.DataFrame, month: object, base_month: object) -> CostChange | None:
    """Split the change of 存款付息率 from ``base_month`` to ``month`` (rows of ``monthly``, one per
    month, with the deposit measures' columns) into mix and rate effects; None when either month
    is missing or has no deposits.

    With weights w (each line's share of the daily-average deposits) and annualised rates r:
    cost = sum(w * r); mix effect = sum((w1 - w0) * (r0 + r1) / 2); rate effect =
    sum((r1 - r0) * (w0 + w1) / 2). The two add up to the change exactly. A line without a
    balance in a month counts with rate 0 there (its weight is 0 too).
    """
    frame = monthly.assign(month_start=pd.to_datetime(monthly["month_start"]))
    month, base_month = pd.Timestamp(month), pd.Timestamp(base_month)
    now = frame[frame["month_start"] == month]
    then = frame[frame["month_start"] == base_month]
    if now.empty or then.empty:
        return None
    w1, r1 = _weights_and_rates(now.iloc[0])
    w0, r0 = _weights_and_rates(then.iloc[0])
    if w1.isna().any() or w0.isna().any():
        return None
    # A line absent in one month takes the other month's rate there (its weight is zero), so its
    # appearance or disappearance counts as mix, not as a rate change.
    r0 = r0.where(w0 > 0, r1)
    r1 = r1.where(w1 > 0, r0)
    mix = (w1 - w0) * (r0 + r1) / 2.0
    rate = (r1 - r0) * (w0 + w1) / 2.0
    lines = pd.DataFrame(
        {
            "base_weight_pct": w0 * 100.0,
            "weight_pct": w1 * 100.0,
            "base_rate_pct": r0,
            "rate_pct": r1,
            "mix_pp": mix,
            "rate_pp": rate,
        }
    )
    return CostChange(
        base_month=base_month,
        month=month,
        base_pct=float((w0 * r0).sum()),
        cost_pct=float((w1 * r1).sum()),
        mix_pp=float(mix.sum()),
        rate_pp=float(rate.sum()),
        lines=lines.reset_index(),
    )


def above_cap(unit_month: pd.DataFrame, month: object) -> pd.DataFrame:
    """The units (one row each, ``unit_id``) whose 存款偏离度 in ``month`` is above the cap,
    highest first, with their deviation, month-end deposits and daily average."""
    frame = unit_month[pd.to_datetime(unit_month["month_start"]) == pd.Timestamp(month)]
    frame = with_deposit_measures(frame, ("unit_id",))
    frame = frame[frame["above_cap"]]
    return frame.sort_values("deviation_pct", ascending=False).reset_index(drop=True)


def months_above_cap(unit_month: pd.DataFrame) -> pd.DataFrame:
    """Per unit, over every month of the frame: months above the cap, of them quarter-end
    months, the highest deviation and the mean (``unit_id``, ``count_months``,
    ``count_above``, ``count_quarter_end_above``, ``max_deviation_pct``, ``mean_deviation_pct``)."""
    frame = with_deposit_measures(unit_month, ("unit_id",))
    if frame.empty:
        return pd.DataFrame(
            columns=[
                "unit_id",
                "count_months",
                "count_above",
                "count_quarter_end_above",
                "max_deviation_pct",
                "mean_deviation_pct",
            ]
        )
    frame["quarter_end_above"] = frame["above_cap"] & frame["quarter_end"]
    return (
        frame.groupby("unit_id")
        .agg(
            count_months=("deviation_pct", "count"),
            count_above=("above_cap", "sum"),
            count_quarter_end_above=("quarter_end_above", "sum"),
            max_deviation_pct=("deviation_pct", "max"),
            mean_deviation_pct=("deviation_pct", "mean"),
        )
        .reset_index()
        .astype(
            {"count_months": "int64", "count_above": "int64", "count_quarter_end_above": "int64"}
        )
    )
