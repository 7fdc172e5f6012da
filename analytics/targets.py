"""Targets against actuals: attainment, time elapsed, run-rate projection and traffic lights.

A target (``fact_target``) asks for a metric over a period. The actual so far depends on how the
metric accumulates (``scorecard_rules.TARGET_KIND``): flow metrics (AUM growth, new customers,
wealth sales) add up from the period start, level metrics (VIP customers, core-bundle coverage)
are the position at the latest month, and the 6S score is the latest inspection.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd

from analytics import scorecard_rules as sr

PERIOD_KINDS: tuple[str, ...] = ("year", "quarter")


def _date(value: object) -> dt.date:
    return pd.Timestamp(value).date()


def month_end(month: object) -> dt.date:
    """Last day of the month that ``month`` falls in."""
    stamp = pd.Timestamp(month)
    return (stamp + pd.offsets.MonthEnd(0)).date()


def period_kind(period_start: object, period_end: object) -> str:
    """``year`` for a period longer than a quarter, else ``quarter``."""
    days = (_date(period_end) - _date(period_start)).days + 1
    return "year" if days > 100 else "quarter"


def elapsed_share(period_start: object, period_end: object, as_of_month: object) -> float:
    """Share of the period's days that have passed by the end of ``as_of_month`` (0 to 1)."""
    start, end = _date(period_start), _date(period_end)
    days = (end - start).days + 1
    passed = (min(month_end(as_of_month), end) - start).days + 1
    return float(min(max(passed / days, 0.0), 1.0))


def project(kind: str, actual: float, start_value: float | None, elapsed: float) -> float:
    """The value expected at the period end if the pace so far continues.

    ``flow``: the actual grossed up by the run rate (actual / elapsed share). ``level``: the
    start value plus the change so far grossed up the same way (the actual when the start is
    unknown). ``score``: the latest value. Nothing has elapsed: NaN.
    """
    if actual is None or (isinstance(actual, float) and math.isnan(actual)):
        return math.nan
    if kind == "score":
        return float(actual)
    if elapsed <= 0:
        return math.nan
    if kind == "flow":
        return float(actual) / elapsed
    if start_value is None or (isinstance(start_value, float) and math.isnan(start_value)):
        return float(actual)
    return float(start_value) + (float(actual) - float(start_value)) / elapsed


def attainment_pct(value: float, target: float) -> float:
    """``value`` as a percentage of ``target``; NaN when the target is not positive."""
    if target is None or not target > 0 or value is None:
        return math.nan
    return float(value) / float(target) * 100


def traffic_light(projected_attainment: float) -> str:
    """``green`` / ``amber`` / ``red`` by the projected attainment; ``red`` when unknown."""
    if projected_attainment is None or math.isnan(projected_attainment):
        return "red"
    if projected_attainment >= sr.GREEN_AT_PCT:
        return "green"
    if projected_attainment >= sr.AMBER_AT_PCT:
        return "amber"
    return "red"


class _Monthly:
    """One column of a branch x month frame, summed per branch and month, for fast lookups.

    ``value_at`` is the month's sum (NaN when the branch has no row that month), ``sum_between``
    the sum over the months first .. last (0 when none): dictionary and binary-search lookups
    instead of a boolean mask over the frame per target row.
    """

    def __init__(self, frame: pd.DataFrame, column: str) -> None:
        self.at: dict[tuple[int, pd.Timestamp], float] = {}
        self.runs: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        if frame.empty:
            return
        data = pd.DataFrame(
            {
                "branch_id": frame["branch_id"].to_numpy(),
                "month_start": pd.to_datetime(frame["month_start"]).to_numpy(),
                "value": frame[column].astype(float).to_numpy(),
            }
        )
        sums = data.groupby(["branch_id", "month_start"], sort=True)["value"].sum()
        branches = sums.index.get_level_values("branch_id").to_numpy()
        stamps = sums.index.get_level_values("month_start")
        values = sums.to_numpy(dtype=float)
        keys = zip(branches.tolist(), list(stamps), strict=True)
        self.at = dict(zip(keys, values.tolist(), strict=True))
        # Each branch's run of months, found by slicing the sorted arrays (a groupby over a
        # thousand branches costs a second in pandas overhead).
        months = stamps.to_numpy()
        for lo, hi in _runs(branches):
            cumulative = np.concatenate([[0.0], np.cumsum(values[lo:hi])])
            self.runs[int(branches[lo])] = (months[lo:hi], cumulative)

    def value_at(self, branch: int, month: pd.Timestamp) -> float:
        return self.at.get((int(branch), pd.Timestamp(month)), math.nan)

    def sum_between(self, branch: int, first: pd.Timestamp, last: pd.Timestamp) -> float:
        run = self.runs.get(int(branch))
        if run is None:
            return 0.0
        months, cumulative = run
        lo = np.searchsorted(months, np.datetime64(pd.Timestamp(first)), side="left")
        hi = np.searchsorted(months, np.datetime64(pd.Timestamp(last)), side="right")
        return float(cumulative[hi] - cumulative[lo]) if hi > lo else 0.0


def _runs(keys: np.ndarray) -> list[tuple[int, int]]:
    """(start, stop) of each run of equal values in sorted ``keys``."""
    if len(keys) == 0:
        return []
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    stops = np.r_[starts[1:], len(keys)]
    return list(zip(starts.tolist(), stops.tolist(), strict=True))


def _start_month(months: pd.Series, period_start: pd.Timestamp) -> pd.Timestamp:
    """The month whose month-end opens the period (the month before it, or the data's first)."""
    before = period_start - pd.DateOffset(months=1)
    if len(months) == 0 or (months == before).any():
        return before
    return max(months.min(), before)


class _Inspections:
    """Each branch's scored inspections in date order, for "the latest one by a date"."""

    def __init__(self, six_s: pd.DataFrame) -> None:
        self.by_branch: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        if six_s.empty:
            return
        data = pd.DataFrame(
            {
                "branch_id": six_s["branch_id"].to_numpy(),
                "inspected_on": pd.to_datetime(six_s["inspected_on"]).to_numpy(),
                "overall": six_s["overall"].astype(float).to_numpy(),
            }
        ).sort_values(["branch_id", "inspected_on"], kind="stable")
        branches = data["branch_id"].to_numpy()
        dates, overall = data["inspected_on"].to_numpy(), data["overall"].to_numpy()
        for lo, hi in _runs(branches):
            self.by_branch[int(branches[lo])] = (dates[lo:hi], overall[lo:hi])

    def latest(self, branch: int, by: pd.Timestamp) -> float:
        found = self.by_branch.get(int(branch))
        if found is None:
            return math.nan
        dates, overall = found
        seen = np.searchsorted(dates, np.datetime64(pd.Timestamp(by)), side="right")
        return float(overall[seen - 1]) if seen else math.nan


def branch_actuals(
    targets: pd.DataFrame,
    monthly: pd.DataFrame,
    sales: pd.DataFrame,
    coverage: pd.DataFrame,
    six_s: pd.DataFrame,
    as_of: pd.Timestamp,
) -> pd.DataFrame:
    """The actual so far (and the value at the period start) for every target row.

    ``monthly``: branch_id, month_start, aum_rmb, count_new, count_assets_vip;
    ``sales``: branch_id, month_start, wealth_sales_rmb; ``coverage``: branch_id, month_start,
    coverage_pct; ``six_s``: scored inspections (branch_id, inspected_on, overall).
    """
    aum = _Monthly(monthly, "aum_rmb")
    new = _Monthly(monthly, "count_new")
    vip = _Monthly(monthly, "count_assets_vip")
    wealth = _Monthly(sales, "wealth_sales_rmb")
    covered = _Monthly(coverage, "coverage_pct")
    inspections = _Inspections(six_s)
    months = pd.to_datetime(monthly["month_start"]) if len(monthly) else pd.Series(dtype=object)
    openings: dict[pd.Timestamp, pd.Timestamp] = {}
    records = []
    for row in targets.itertuples(index=False):
        start = pd.Timestamp(row.period_start)
        last = min(pd.Timestamp(as_of), pd.Timestamp(row.period_end).replace(day=1))
        if start not in openings:
            openings[start] = _start_month(months, start)
        opening = openings[start]
        branch = row.branch_id
        metric = row.metric
        actual = start_value = math.nan
        if last < start:
            pass  # the period has not begun
        elif metric == "aum_growth_rmb":
            start_value = aum.value_at(branch, opening)
            actual = aum.value_at(branch, last) - start_value
        elif metric == "new_customers":
            actual = new.sum_between(branch, start, last)
        elif metric == "wealth_sales_rmb":
            actual = wealth.sum_between(branch, start, last)
        elif metric == "vip_customers":
            actual = vip.value_at(branch, last)
            start_value = vip.value_at(branch, opening)
        elif metric == "core_bundle_coverage_pct":
            actual = covered.value_at(branch, last)
            start_value = covered.value_at(branch, opening)
        elif metric == "score_6s":
            actual = inspections.latest(branch, pd.Timestamp(month_end(last)))
        records.append({"actual": actual, "start_value": start_value})
    return pd.concat(
        [targets.reset_index(drop=True), pd.DataFrame(records, columns=["actual", "start_value"])],
        axis=1,
    )


def scorecard(with_actuals: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Attainment, elapsed share, projection, projected attainment and light per target row."""
    frame = with_actuals.copy()
    if frame.empty:
        for column in (
            "kind",
            "elapsed_pct",
            "attainment_pct",
            "projection",
            "projected_attainment_pct",
            "light",
        ):
            frame[column] = pd.Series(dtype=object)
        return frame
    frame["kind"] = frame["metric"].map(sr.TARGET_KIND)
    elapsed = [
        elapsed_share(s, e, as_of)
        for s, e in zip(frame["period_start"], frame["period_end"], strict=True)
    ]
    frame["elapsed_pct"] = np.array(elapsed) * 100
    frame["attainment_pct"] = [
        attainment_pct(a, t) for a, t in zip(frame["actual"], frame["target_value"], strict=True)
    ]
    frame["projection"] = [
        project(k, a, s, e)
        for k, a, s, e in zip(
            frame["kind"], frame["actual"], frame["start_value"], elapsed, strict=True
        )
    ]
    frame["projected_attainment_pct"] = [
        attainment_pct(p, t)
        for p, t in zip(frame["projection"], frame["target_value"], strict=True)
    ]
    frame["light"] = [traffic_light(p) for p in frame["projected_attainment_pct"]]
    return frame


def light_counts(card: pd.DataFrame) -> dict[str, int]:
    """How many targets are green, amber and red."""
    counts = card["light"].value_counts() if len(card) else pd.Series(dtype="int64")
    return {light: int(counts.get(light, 0)) for light in sr.LIGHTS}
