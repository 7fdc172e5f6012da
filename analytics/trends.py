"""Asset trends as numbers: growth, the AUM change waterfall, rankings, seasonality, deposits, VIPs.

Pure functions on the monthly frames of ``data_access.trends`` (one row per month, or per unit
and month, with ``month_start`` as a timestamp). Comparison months are looked up by date, never
by position, so a gap in the data gives "no comparison" rather than a wrong one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics import trend_rules

WATERFALL_PARTS: tuple[str, ...] = (
    "aum_change_new_rmb",
    "aum_change_growth_rmb",
    "aum_change_decline_rmb",
    "aum_change_churned_rmb",
)


def shift_month(month: object, months: int) -> pd.Timestamp:
    """The first day of the month ``months`` after ``month`` (negative: before)."""
    stamp = pd.Timestamp(month).to_period("M") + months
    return stamp.to_timestamp()


def base_month(month: object, period: str) -> pd.Timestamp:
    """The month whose month end a period starts from (see ``analytics.trend_rules.PERIODS``).

    Raises:
        ValueError: for a period that is not in ``trend_rules.PERIODS``.
    """
    month = pd.Timestamp(month).to_period("M")
    if period == "mom":
        base = month - 1
    elif period == "qtd":
        base = pd.Period(year=month.year, month=3 * ((month.month - 1) // 3) + 1, freq="M") - 1
    elif period == "ytd":
        base = pd.Period(year=month.year - 1, month=12, freq="M")
    elif period == "yoy":
        base = month - 12
    else:
        raise ValueError(f"unknown period {period!r}")
    return base.to_timestamp()


def growth_pct(value: object, base: object) -> float:
    """Growth in percent of ``base``; NaN when the base is missing or zero."""
    if value is None or base is None or pd.isna(value) or pd.isna(base) or base == 0:
        return float("nan")
    return (float(value) - float(base)) / abs(float(base)) * 100.0


def _lookup(frame: pd.DataFrame, column: str, months_back: int, by: Sequence[str]) -> pd.Series:
    """``column`` of the row ``months_back`` months earlier (same ``by`` keys), aligned to frame."""
    shifted = frame[[*by, "month_start", column]].copy()
    shifted["month_start"] = [shift_month(m, months_back) for m in shifted["month_start"]]
    merged = frame[[*by, "month_start"]].merge(
        shifted.rename(columns={column: "_base"}), on=[*by, "month_start"], how="left"
    )
    return pd.Series(merged["_base"].to_numpy(dtype="float64"), index=frame.index)


def with_growth(
    frame: pd.DataFrame, columns: Sequence[str] = ("aum_rmb",), by: Sequence[str] = ()
) -> pd.DataFrame:
    """Add month-on-month and year-on-year change of each column: ``<col>_mom`` (amount),
    ``<col>_mom_pct``, ``<col>_yoy`` and ``<col>_yoy_pct``; NaN where the base month is absent.
    """
    out = frame.copy()
    if out.empty:
        for column in columns:
            for suffix in ("mom", "mom_pct", "yoy", "yoy_pct"):
                out[f"{column}_{suffix}"] = pd.Series(dtype="float64")
        return out
    for column in columns:
        for label, months in (("mom", 1), ("yoy", 12)):
            base = _lookup(out, column, months, by)
            value = out[column].astype("float64")
            out[f"{column}_{label}"] = value - base
            out[f"{column}_{label}_pct"] = (value - base) / base.abs().where(base != 0) * 100.0
    return out


def value_at(frame: pd.DataFrame, column: str, month: object) -> float | None:
    """``column`` in ``month`` of a one-row-per-month frame, or None when the month is absent."""
    rows = frame.loc[frame["month_start"] == pd.Timestamp(month), column]
    return float(rows.iloc[0]) if len(rows) else None


# ------------------------------------------------------------------ waterfall


@dataclass(frozen=True)
class Waterfall:
    """A period's AUM change split into its parts, in fen (分) so that they add up exactly.

    ``moved`` is what the four mart parts do not explain: customers who changed branch or tier
    between the two month ends when the view is limited to some branches or tiers. It is zero
    for the whole province and all tiers.
    """

    start_month: pd.Timestamp
    end_month: pd.Timestamp
    start_fen: int
    end_fen: int
    parts_fen: dict[str, int]  # WATERFALL_PARTS, then "moved"

    @property
    def change_fen(self) -> int:
        return self.end_fen - self.start_fen

    def rmb(self) -> dict[str, float]:
        """Start, each part and end in RMB, in waterfall order."""
        out = {"start": self.start_fen / 100.0}
        out.update({name: fen / 100.0 for name, fen in self.parts_fen.items()})
        out["end"] = self.end_fen / 100.0
        return out


def _fen(value: float) -> int:
    return int(round(float(value) * 100.0))


def waterfall(monthly: pd.DataFrame, month: object, period: str) -> Waterfall | None:
    """The AUM change from the base month of ``period`` to ``month``, split into new customers,
    growth and decline of existing ones, churned customers' outflow, and (residual) moves.

    The parts are the mart's monthly parts summed over the months after the base month up to
    ``month``: each month's parts add up to that month's change, so their sums add up to the
    period's change. None when either month end is not in the data.
    """
    end = pd.Timestamp(month)
    start = base_month(end, period)
    start_aum = value_at(monthly, "aum_rmb", start)
    end_aum = value_at(monthly, "aum_rmb", end)
    if start_aum is None or end_aum is None:
        return None
    months = pd.to_datetime(monthly["month_start"])
    inside = monthly[(months > start) & (months <= end)]
    parts = {name: _fen(inside[name].sum()) for name in WATERFALL_PARTS}
    start_fen, end_fen = _fen(start_aum), _fen(end_aum)
    parts["moved"] = end_fen - start_fen - sum(parts.values())
    return Waterfall(start, end, start_fen, end_fen, parts)


# ------------------------------------------------------------------ rankings


def period_targets(
    targets: pd.DataFrame,
    month: object,
    period: str,
    unit_of_branch: dict[int, int],
    metric: str = trend_rules.RANKING_TARGET_METRIC,
) -> pd.Series:
    """The AUM-growth target (``metric``: one of ``trend_rules.RANKING_TARGET_METRICS``) of
    each unit for the target period around ``month``.

    ``targets`` has one row per branch and period (``data_access.trends.branch_targets``);
    branch targets are summed into their units (``unit_of_branch``: branch id -> unit id). A
    period without targets (month on month, year on year) gives an empty series.
    """
    kind = trend_rules.TARGET_PERIOD.get(period)
    if kind is None or targets.empty:
        return pd.Series(dtype="float64")
    month = pd.Timestamp(month)
    if kind == "year":
        start_wanted = pd.Timestamp(year=month.year, month=1, day=1)
        end_wanted = pd.Timestamp(year=month.year, month=12, day=31)
    else:
        start_wanted = shift_month(base_month(month, "qtd"), 1)
        end_wanted = shift_month(start_wanted, 3) - pd.Timedelta(days=1)
    rows = targets[
        (targets["metric"] == metric)
        & (pd.to_datetime(targets["period_start"]) == start_wanted)
        & (pd.to_datetime(targets["period_end"]) == end_wanted)
    ]
    units = rows["branch_id"].map(unit_of_branch)
    return rows["target_value"].groupby(units.to_numpy()).sum().astype("float64")


RANKING_MEASURES: tuple[str, ...] = (
    "aum_rmb",
    "growth_rmb",
    "growth_pct",
    "aum_per_customer_rmb",
    "aum_per_staff_rmb",
)


def rankings(
    unit_monthly: pd.DataFrame,
    month: object,
    period: str,
    staff: pd.Series,
    targets: pd.Series,
    measure: str = "aum_rmb",
) -> pd.DataFrame:
    """One row per unit: AUM, growth over the period, growth rate, AUM per customer and per
    staff member, the target and its attainment, and the same figures a year earlier.

    ``staff`` and ``targets`` are indexed by unit id (missing = unknown, shown as a dash). Rows
    are sorted by ``measure`` (largest first) and ranked 1, 2, ... (ties share the better rank).
    """
    month = pd.Timestamp(month)
    base = base_month(month, period)
    shift = trend_rules.LAST_YEAR_MONTHS
    frame = unit_monthly.set_index(["unit_id", "month_start"])

    def at(column: str, when: pd.Timestamp) -> pd.Series:
        try:
            return frame.xs(when, level="month_start")[column].astype("float64")
        except KeyError:
            return pd.Series(dtype="float64")

    units = sorted(set(unit_monthly.loc[unit_monthly["month_start"] == month, "unit_id"]))
    out = pd.DataFrame(index=pd.Index(units, name="unit_id"))
    out["aum_rmb"] = at("aum_rmb", month)
    out["base_aum_rmb"] = at("aum_rmb", base)
    out["growth_rmb"] = out["aum_rmb"] - out["base_aum_rmb"]
    out["growth_pct"] = out["growth_rmb"] / out["base_aum_rmb"].where(out["base_aum_rmb"] != 0)
    out["growth_pct"] *= 100.0
    out["count_customers"] = at("count_customers", month)
    out["aum_per_customer_rmb"] = out["aum_rmb"] / out["count_customers"].where(
        out["count_customers"] > 0
    )
    out["count_staff"] = staff.reindex(out.index).astype("float64")
    out["aum_per_staff_rmb"] = out["aum_rmb"] / out["count_staff"].where(out["count_staff"] > 0)
    out["target_rmb"] = targets.reindex(out.index).astype("float64")
    out["attainment_pct"] = out["growth_rmb"] / out["target_rmb"].where(out["target_rmb"] > 0)
    out["attainment_pct"] *= 100.0
    out["ly_aum_rmb"] = at("aum_rmb", shift_month(month, -shift))
    ly_base = at("aum_rmb", shift_month(base, -shift)).reindex(out.index)
    out["ly_growth_rmb"] = out["ly_aum_rmb"] - ly_base
    out["ly_growth_pct"] = out["ly_growth_rmb"] / ly_base.where(ly_base != 0) * 100.0
    out = out.reset_index()
    if measure not in RANKING_MEASURES:
        raise ValueError(f"unknown ranking measure {measure!r}")
    out["rank"] = out[measure].rank(ascending=False, method="min").astype("Int64")
    return out.sort_values(["rank", "unit_id"], na_position="last").reset_index(drop=True)


# ------------------------------------------------------------------ seasonality


def seasonality(monthly: pd.DataFrame, column: str = "aum_rmb") -> pd.DataFrame:
    """Month-of-year profile: for each calendar month, the average month-on-month change of
    ``column`` (percent and amount) over every year in the data, and how many years that is.

    A February that is always up after the Spring Festival shows up here as a tall bar, so this
    year's February can be read against it rather than as growth.
    """
    grown = with_growth(monthly[["month_start", column]], (column,))
    grown = grown.dropna(subset=[f"{column}_mom"])
    grown["calendar_month"] = pd.to_datetime(grown["month_start"]).dt.month
    grouped = grown.groupby("calendar_month")
    profile = pd.DataFrame(
        {
            "mean_mom_pct": grouped[f"{column}_mom_pct"].mean(),
            "mean_mom_rmb": grouped[f"{column}_mom"].mean(),
            "count_years": grouped[f"{column}_mom"].count().astype("int64"),
        }
    )
    profile = profile.reindex(pd.RangeIndex(1, 13, name="calendar_month"))
    profile["count_years"] = profile["count_years"].fillna(0).astype("int64")
    return profile.reset_index()


# ------------------------------------------------------------------ deposits and VIPs


def deposit_structure(unit_month: pd.DataFrame) -> pd.DataFrame:
    """Per unit (one month): demand and time deposits, the demand share of deposits (cheap
    funds), the wealth-management share of AUM and penetration (customers holding any)."""
    out = unit_month[
        [
            "unit_id",
            "demand_deposit_rmb",
            "time_deposit_rmb",
            "wealth_rmb",
            "aum_rmb",
            "count_customers",
            "count_wealth_holders",
        ]
    ].copy()
    deposits = out["demand_deposit_rmb"] + out["time_deposit_rmb"]
    out["demand_share_pct"] = out["demand_deposit_rmb"] / deposits.where(deposits > 0) * 100.0
    out["time_share_pct"] = out["time_deposit_rmb"] / deposits.where(deposits > 0) * 100.0
    out["wealth_share_pct"] = out["wealth_rmb"] / out["aum_rmb"].where(out["aum_rmb"] > 0) * 100
    customers = out["count_customers"].where(out["count_customers"] > 0)
    out["wealth_penetration_pct"] = out["count_wealth_holders"] / customers * 100.0
    return out.reset_index(drop=True)


def vip_flows(monthly: pd.DataFrame, first_month: object) -> pd.DataFrame:
    """VIP customers (assets >= 1M) per month: count, assets, entered, left and net change.

    In the first month of the data nobody can be compared with a month before, so that month's
    flows are NaN rather than "every VIP is new".
    """
    out = pd.DataFrame(
        {
            "month_start": monthly["month_start"],
            "count_vip": monthly["count_assets_vip"].astype("int64"),
            "vip_aum_rmb": monthly["vip_aum_rmb"].astype("float64"),
            "count_vip_entered": monthly["count_vip_entered"].astype("float64"),
            "count_vip_left": monthly["count_vip_left"].astype("float64"),
        }
    )
    first = pd.to_datetime(out["month_start"]) <= pd.Timestamp(first_month)
    out.loc[first, ["count_vip_entered", "count_vip_left"]] = np.nan
    out["net_vip"] = out["count_vip_entered"] - out["count_vip_left"]
    return out.reset_index(drop=True)


def snapshot(frame: pd.DataFrame, month: object, key: str) -> pd.DataFrame:
    """Rows of ``month`` from a per-``key``-per-month frame, with MoM and YoY growth of AUM."""
    grown = with_growth(frame, ("aum_rmb",), by=(key,))
    return grown[grown["month_start"] == pd.Timestamp(month)].reset_index(drop=True)
