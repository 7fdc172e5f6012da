"""Targets against actuals: attainment, time elapsed, run-rate projection and traffic lights.

A target (``fact_target``) asks for a metric over a period. Each metric of the catalogue
(``catalogue.metrics``) names the series it reads and the rule its actual so far follows
(:data:`ACTUAL_RULES`): the ``change`` of a month-end series since the month opening the period
(AUM growth), the ``sum`` of a monthly series over the period (new customers, wealth-product
sales), the ``latest`` value of a series (VIP customers, core-bundle coverage) or the
``latest_inspection`` score (6S). Its kind (flow / level / score) sets the projection.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics import scorecard_rules as sr
from catalogue import metrics as catalogue

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


def opening_months(period_starts: Sequence) -> set[dt.date]:
    """The months whose month-end opens each period (the month before its start)."""
    return {(pd.Timestamp(start) - pd.DateOffset(months=1)).date() for start in set(period_starts)}


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
    return float(projections([kind], [actual], [start_value], [elapsed])[0])


def projections(
    kinds: Sequence[str], actuals: Sequence, start_values: Sequence, elapsed: Sequence
) -> np.ndarray:
    """:func:`project` over arrays (one target per position)."""
    kind = np.asarray(kinds, dtype=object)
    actual = _floats(actuals)
    start = _floats(start_values)
    share = _floats(elapsed)
    with np.errstate(divide="ignore", invalid="ignore"):
        flow = np.where(share > 0, actual / share, np.nan)
        level = np.where(
            share > 0, np.where(np.isnan(start), actual, start + (actual - start) / share), np.nan
        )
    return np.select([kind == "score", kind == "flow"], [actual, flow], level)


def attainment_pct(value: float, target: float) -> float:
    """``value`` as a percentage of ``target``; NaN when the target is not positive."""
    return float(attainment_pcts([value], [target])[0])


def attainment_pcts(values: Sequence, targets: Sequence) -> np.ndarray:
    """:func:`attainment_pct` over arrays."""
    value, target = _floats(values), _floats(targets)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(target > 0, value / target * 100, np.nan)


def traffic_light(projected_attainment: float) -> str:
    """``green`` / ``amber`` / ``red`` by the projected attainment; ``red`` when unknown."""
    return str(traffic_lights([projected_attainment])[0])


def traffic_lights(projected_attainment: Sequence) -> np.ndarray:
    """:func:`traffic_light` over an array (NaN compares false: red)."""
    projected = _floats(projected_attainment)
    with np.errstate(invalid="ignore"):
        return np.select(
            [projected >= sr.GREEN_AT_PCT, projected >= sr.AMBER_AT_PCT],
            ["green", "amber"],
            "red",
        ).astype(object)


def _floats(values: Sequence) -> np.ndarray:
    """Floats with None as NaN."""
    return pd.to_numeric(pd.Series(list(values), dtype=object), errors="coerce").to_numpy(
        dtype=float
    )


def _wide(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """``column`` summed per branch (rows) and month (columns, in order); NaN where a branch has
    no row in a month."""
    if frame.empty:
        return pd.DataFrame(dtype=float)
    data = pd.DataFrame(
        {
            "branch_id": frame["branch_id"].astype("int64").to_numpy(),
            "month_start": pd.to_datetime(frame["month_start"]).to_numpy(),
            "value": frame[column].astype(float).to_numpy(),
        }
    )
    return data.groupby(["branch_id", "month_start"])["value"].sum().unstack("month_start")


def _value_at(wide: pd.DataFrame, branches: np.ndarray, month: pd.Timestamp) -> np.ndarray:
    """Each branch's value in ``month`` (NaN when it has none)."""
    if month not in wide.columns:
        return np.full(len(branches), np.nan)
    return wide[month].reindex(branches).to_numpy(dtype=float)


def _sum_between(
    wide: pd.DataFrame, branches: np.ndarray, first: pd.Timestamp, last: pd.Timestamp
) -> np.ndarray:
    """Each branch's sum over the months ``first`` .. ``last`` (0 when it has none)."""
    if wide.empty:
        return np.zeros(len(branches))
    months = wide.columns[(wide.columns >= first) & (wide.columns <= last)]
    totals = wide[months].sum(axis=1) if len(months) else pd.Series(0.0, index=wide.index)
    return totals.reindex(branches).fillna(0.0).to_numpy(dtype=float)


def _latest_scores(scores: pd.DataFrame, branches: np.ndarray, by: pd.Timestamp) -> np.ndarray:
    """Each branch's score (``value``) of its latest inspection on or before ``by``."""
    if scores.empty:
        return np.full(len(branches), np.nan)
    data = pd.DataFrame(
        {
            "branch_id": scores["branch_id"].astype("int64").to_numpy(),
            "inspected_on": pd.to_datetime(scores["inspected_on"]).to_numpy(),
            "value": scores["value"].astype(float).to_numpy(),
        }
    )
    seen = data[data["inspected_on"] <= by].sort_values(
        ["branch_id", "inspected_on"], kind="stable"
    )
    latest = seen.drop_duplicates("branch_id", keep="last").set_index("branch_id")["value"]
    return latest.reindex(branches).to_numpy(dtype=float)


def _start_month(months: pd.Index, period_start: pd.Timestamp) -> pd.Timestamp:
    """The month whose month-end opens the period (the month before it, or the data's first)."""
    before = period_start - pd.DateOffset(months=1)
    if len(months) == 0 or (months == before).any():
        return before
    return max(months.min(), before)


class _Series:
    """One series frame, pivoted to branch x month once when a rule first needs it."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self._wide: pd.DataFrame | None = None

    @property
    def wide(self) -> pd.DataFrame:
        if self._wide is None:
            self._wide = _wide(self.frame, "value")
        return self._wide


@dataclass(frozen=True)
class _Window:
    """A target period as the rules see it: its first month, the month opening it (whose
    month-end is the start value) and the latest month of data in it."""

    start: pd.Timestamp
    opening: pd.Timestamp
    last: pd.Timestamp


# A rule: (series, branches, window) -> (actual, start value), one position per branch.
ActualRule = Callable[[_Series, np.ndarray, _Window], tuple[np.ndarray, np.ndarray]]


def _change(series: _Series, branches: np.ndarray, w: _Window) -> tuple[np.ndarray, np.ndarray]:
    begin = _value_at(series.wide, branches, w.opening)
    return _value_at(series.wide, branches, w.last) - begin, begin


def _sum(series: _Series, branches: np.ndarray, w: _Window) -> tuple[np.ndarray, np.ndarray]:
    return _sum_between(series.wide, branches, w.start, w.last), np.full(len(branches), np.nan)


def _latest(series: _Series, branches: np.ndarray, w: _Window) -> tuple[np.ndarray, np.ndarray]:
    return _value_at(series.wide, branches, w.last), _value_at(series.wide, branches, w.opening)


def _latest_inspection(
    series: _Series, branches: np.ndarray, w: _Window
) -> tuple[np.ndarray, np.ndarray]:
    by = pd.Timestamp(month_end(w.last))
    return _latest_scores(series.frame, branches, by), np.full(len(branches), np.nan)


# The rule of each ``actual`` code of ``catalogue.metrics.ACTUALS``.
ACTUAL_RULES: dict[str, ActualRule] = {
    "change": _change,
    "sum": _sum,
    "latest": _latest,
    "latest_inspection": _latest_inspection,
}


def _months(series: Mapping[str, pd.DataFrame]) -> pd.DatetimeIndex:
    """Every month any monthly series has data for (the calendar the opening month is read on)."""
    stamps = [
        pd.to_datetime(frame["month_start"]).unique()
        for frame in series.values()
        if "month_start" in frame and len(frame)
    ]
    if not stamps:
        return pd.DatetimeIndex([])
    return pd.DatetimeIndex(np.unique(np.concatenate(stamps)))


def branch_actuals(
    targets: pd.DataFrame, series: Mapping[str, pd.DataFrame], as_of: pd.Timestamp
) -> pd.DataFrame:
    """The actual so far (and the value at the period start) for every target row.

    ``series``: by series name (``Metric.series``), a frame of branch_id, month_start, value (or
    branch_id, inspected_on, value for an inspection score). Each target's metric is computed by
    its catalogue rule; a metric not in the catalogue gets no actual. Computed per period and
    metric over arrays of branches (a thousand branches x six metrics x two periods row by row
    cost seconds).
    """
    out = targets.reset_index(drop=True)
    actual = np.full(len(out), np.nan)
    start_value = np.full(len(out), np.nan)
    known = catalogue.target_metrics()
    frames: dict[str, _Series] = {}
    months = _months(series)
    if len(out):
        branch_ids = out["branch_id"].astype("int64").to_numpy()
        codes = out["metric"].to_numpy(dtype=object)
        periods = out.groupby(["period_start", "period_end"], sort=False).indices
        for (period_start, period_end), rows in periods.items():
            start = pd.Timestamp(period_start)
            last = min(pd.Timestamp(as_of), pd.Timestamp(period_end).replace(day=1))
            if last < start:
                continue  # the period has not begun
            window = _Window(start, _start_month(months, start), last)
            for code in np.unique(codes[rows]):
                metric = known.get(code)
                if metric is None:
                    continue
                if metric.series not in frames:
                    frames[metric.series] = _Series(series[metric.series])
                at = rows[codes[rows] == code]
                rule = ACTUAL_RULES[metric.actual]
                actual[at], start_value[at] = rule(frames[metric.series], branch_ids[at], window)
    return out.assign(actual=actual, start_value=start_value)


def scorecard(with_actuals: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Attainment, elapsed share, projection, projected attainment, light and the period's kind
    (year / quarter) per target row."""
    frame = with_actuals.copy()
    if frame.empty:
        for column in (
            "kind",
            "elapsed_pct",
            "attainment_pct",
            "projection",
            "projected_attainment_pct",
            "light",
            "period_kind",
        ):
            frame[column] = pd.Series(dtype=object)
        return frame
    frame["kind"] = frame["metric"].map({m.code: m.kind for m in catalogue.TARGET_METRICS})
    # A few distinct periods among thousands of rows: compute per period, spread by code.
    codes, periods = pd.MultiIndex.from_arrays(
        [frame["period_start"], frame["period_end"]]
    ).factorize()
    elapsed = np.array([elapsed_share(start, end, as_of) for start, end in periods])[codes]
    frame["period_kind"] = np.array([period_kind(start, end) for start, end in periods])[codes]
    frame["elapsed_pct"] = elapsed * 100
    frame["attainment_pct"] = attainment_pcts(frame["actual"], frame["target_value"])
    frame["projection"] = projections(
        frame["kind"].to_numpy(), frame["actual"], frame["start_value"], elapsed
    )
    frame["projected_attainment_pct"] = attainment_pcts(frame["projection"], frame["target_value"])
    frame["light"] = traffic_lights(frame["projected_attainment_pct"])
    return frame


def light_matrix(card: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """Branch x metric: the projected attainment and the light of each target, and each
    branch's count of green lights; rows in one order, most green lights first (then by
    branch id)."""
    values = card.pivot_table(
        index="branch_id", columns="metric", values="projected_attainment_pct", aggfunc="first"
    )
    lights = card.pivot_table(
        index="branch_id", columns="metric", values="light", aggfunc="first"
    ).reindex(index=values.index, columns=values.columns)
    greens = (lights == "green").sum(axis=1)
    # Most greens first, then by branch id: sort on (-greens, id) as plain arrays.
    order = greens.index[np.lexsort((greens.index.to_numpy(), -greens.to_numpy()))]
    return values.loc[order], lights.loc[order], greens.loc[order]


def light_counts(card: pd.DataFrame) -> dict[str, int]:
    """How many targets are green, amber and red."""
    counts = card["light"].value_counts() if len(card) else pd.Series(dtype="int64")
    return {light: int(counts.get(light, 0)) for light in sr.LIGHTS}
