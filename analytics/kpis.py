"""Headline numbers: a metric's value in a month against last month and the same month last year."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analytics import rules
from catalogue import basis, metrics
from catalogue.metrics import HeadlineMetric


@dataclass(frozen=True)
class Kpi:
    metric: str
    value: float | None
    previous: float | None  # the month before
    year_ago: float | None  # the same month a year earlier

    @property
    def mom_pct(self) -> float | None:
        return _growth(self.value, self.previous)

    @property
    def yoy_pct(self) -> float | None:
        return _growth(self.value, self.year_ago)


def _growth(value: float | None, base: float | None) -> float | None:
    if value is None or base is None or base == 0:
        return None
    return (value - base) / abs(base) * 100.0


def _value_at(frame: pd.DataFrame, metric: str, month: pd.Timestamp) -> float | None:
    rows = frame.loc[frame["month_start"] == month, metric]
    return float(rows.iloc[0]) if len(rows) else None


def kpi_snapshot(
    monthly: pd.DataFrame, month: pd.Timestamp, metrics: tuple[str, ...]
) -> dict[str, Kpi]:
    """KPIs for ``month`` from a table with one row per ``month_start`` and a column per metric.

    A comparison month missing from the table gives ``None`` (no growth shown) rather than zero.
    """
    month = pd.Timestamp(month)
    previous = month - pd.DateOffset(months=1)
    year_ago = month - pd.DateOffset(years=1)
    return {
        metric: Kpi(
            metric,
            _value_at(monthly, metric, month),
            _value_at(monthly, metric, previous),
            _value_at(monthly, metric, year_ago),
        )
        for metric in metrics
    }


def headline_column(metric: HeadlineMetric, basis_code: str = basis.MONTH_END) -> str:
    """The column a headline metric reads on ``basis_code``: a balance's (``catalogue.basis``)
    daily-average or month-end column; any other metric its own column."""
    balance = metrics.balance_of_column(metric.column)
    return metric.column if balance is None else balance.column(basis_code)


def headline_kpis(
    monthly: pd.DataFrame, month: pd.Timestamp, basis_code: str = basis.MONTH_END
) -> list[tuple[HeadlineMetric, Kpi]]:
    """The catalogue's headline metrics (``catalogue.metrics.HEADLINE_METRICS``, in order) for
    ``month``, each with its KPI on ``basis_code`` (balances only; counts have one basis);
    ``monthly`` has a column per metric's column on that basis (:func:`headline_column`)."""
    columns = {m.code: headline_column(m, basis_code) for m in metrics.HEADLINE_METRICS}
    snapshot = kpi_snapshot(monthly, month, tuple(columns.values()))
    return [(m, snapshot[columns[m.code]]) for m in metrics.HEADLINE_METRICS]


def asset_class_long(monthly: pd.DataFrame) -> pd.DataFrame:
    """From one column per asset class to one row per month and asset class, with its share."""
    columns = list(rules.ASSET_COLUMNS)
    if monthly.empty:
        return pd.DataFrame(columns=["month_start", "asset_class", "aum_rmb", "share_pct"])
    long = monthly.melt(
        id_vars="month_start", value_vars=columns, var_name="column", value_name="aum_rmb"
    )
    long["asset_class"] = long.pop("column").map({a.column: a.code for a in rules.ASSET_CLASSES})
    totals = long.groupby("month_start")["aum_rmb"].transform("sum")
    long["share_pct"] = (long["aum_rmb"] / totals.where(totals != 0) * 100.0).fillna(0.0)
    return long[["month_start", "asset_class", "aum_rmb", "share_pct"]]
