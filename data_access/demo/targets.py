"""fact_target: what head office asked of each branch and wealth manager, per year and quarter.

Targets are set the way a cooperative sets them: from the position at the start of the period
(AUM, customers, VIPs, coverage) with a growth ask that differs by branch, so some branches beat
their targets and some miss. Quarterly targets split the year by the usual rhythm: the first
quarter carries about 45% of the year's deposit growth (the 开门红 campaign). Wealth managers
get a share of their branch's AUM-growth and wealth-sales targets by the size of their book.

The growth targets of savings deposits and financial assets are on the daily-average basis
(日均增量: ``deposit_avg_growth_rmb``, ``aum_avg_growth_rmb``), as the regulator asks since 2018;
``target_frame(..., growth_basis="end")`` sets the month-end growth targets instead. An ask is
sized on the branch's month-end position at the start of the year (the daily average is a few
percent under it: the month-end spike).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from catalogue import basis, codes, metrics, units
from data_access import settings
from data_access.demo import months as calendar
from data_access.demo.monthly import Context
from data_access.demo.rng import stream
from data_access.demo.totals import Totals

# The share of a flow metric's annual ask (catalogue kind ``flow``) each quarter carries.
QUARTER_SHARE = {
    "deposit_avg_growth_rmb": (0.5, 0.2, 0.1, 0.2),
    "deposit_growth_rmb": (0.5, 0.2, 0.1, 0.2),
    "aum_avg_growth_rmb": (0.45, 0.2, 0.15, 0.2),
    "aum_growth_rmb": (0.45, 0.2, 0.15, 0.2),
    "new_customers": (0.35, 0.22, 0.2, 0.23),
    "wealth_sales_rmb": (0.25, 0.25, 0.25, 0.25),
    # Dormant accounts are woken most when migrant workers come home for the Spring Festival.
    "dormant_woken": (0.4, 0.2, 0.15, 0.25),
    "effective_new": (0.35, 0.22, 0.2, 0.23),
}


# The year's ask for VIP customers (assets of 1,000,000 RMB or more): the start count times
# VIP_GROWTH, spread by the branch's ambition (estimate: VIP counts grow with deposits, about 8%
# a year, plus the upgrades a campaign wins), and at least one more VIP. Relative, so that it
# holds at real branch size (about 15 VIPs per branch) as at test size (one or two).
VIP_GROWTH = 1.1
# Counts whose quarterly target steps evenly from the year's start to its annual target.
STEPPED = {"vip_customers": "vip", "effective_customers": "effective"}
VIP_GROWTH_SPREAD = 0.04


def _periods(ctx: Context) -> list[tuple[str, dt.date, dt.date, int | None]]:
    """(kind, start, end, quarter number) of every year and quarter touching the window."""
    years = sorted({m.year for m in ctx.window})
    periods = []
    for year in years:
        periods.append(("year", dt.date(year, 1, 1), dt.date(year, 12, 31), None))
        for q in range(4):
            start = dt.date(year, 3 * q + 1, 1)
            end = calendar.add_months(start, 3) - dt.timedelta(days=1)
            if end >= ctx.window[0] and start <= ctx.window[-1]:
                periods.append(("quarter", start, end, q))
    return periods


def _start_index(ctx: Context, year: int) -> int:
    """Window month whose month-end opens the year (December before, or the first month)."""
    december = dt.date(year - 1, 12, 1)
    return ctx.window.index(december) if december in ctx.window else 0


def _year_months(ctx: Context, year: int) -> np.ndarray:
    return np.array([i for i, m in enumerate(ctx.window) if m.year == year])


def target_frame(
    ctx: Context, totals: Totals, six_s: pd.DataFrame, growth_basis: str = basis.DAILY_AVG
) -> pd.DataFrame:
    growth = metrics.growth_target("aum", growth_basis)
    deposit_growth = metrics.growth_target("deposits", growth_basis)
    rng = stream(ctx.seed, "targets")
    org = ctx.org
    n = len(org.branches)
    b = totals.by_branch
    customers = np.maximum(b["customers"], 1)
    coverage = b["covered"] / customers * 100
    score = six_s.groupby("branch_id")[[c for c in six_s.columns if c.startswith("score_")]]
    score_6s = score.mean().mean(axis=1).reindex(org.branches["branch_id"]).fillna(85.0)
    ambition = rng.normal(0.0, 1.0, n)  # branches with high asks miss more often
    records = []
    staff = org.staff
    wm = np.flatnonzero(staff["role"].to_numpy() == "wealth_manager")
    wm_branch = staff["branch_id"].to_numpy()[wm] - 1
    for _kind, start, end, quarter in _periods(ctx):
        s = _start_index(ctx, start.year)
        months = _year_months(ctx, start.year)
        annualise = 12 / max(len(months), 1)
        asks = {
            # Estimate: deposits grow 6-9% a year at rural cooperatives; asks of 2-15%.
            deposit_growth: b["deposits"][:, s] * np.clip(0.07 + 0.03 * ambition, 0.02, 0.15),
            growth: b["aum"][:, s] * np.clip(0.08 + 0.03 * ambition, 0.02, 0.18),
            "new_customers": np.round(customers[:, s] * np.clip(0.1 + 0.02 * ambition, 0.03, 0.2)),
            "wealth_sales_rmb": b["wealth_sales"][:, months].sum(axis=1)
            * annualise
            * np.clip(1.0 + 0.15 * ambition, 0.6, 1.6),
            "vip_customers": np.maximum(
                b["vip"][:, s] * np.clip(VIP_GROWTH + VIP_GROWTH_SPREAD * ambition, 1.02, 1.25),
                b["vip"][:, s] + 1,
            ),
            # Estimates: effective customers up 3-10% a year (customers grow about 6%); 12-30% of
            # the dormant accounts at the year's start woken in the year (a campaign's reach).
            "effective_customers": np.round(
                b["effective"][:, s] * np.clip(1.06 + 0.015 * ambition, 1.03, 1.10)
            ),
            # Estimate: a quarter of the effective base becomes newly effective in a year
            # (new customers, balances crossing the line, activity), asks of 15-35%.
            "effective_new": np.round(
                b["effective"][:, s] * np.clip(0.25 + 0.03 * ambition, 0.15, 0.35)
            ),
            "dormant_woken": np.round(
                b["dormant"][:, s] * np.clip(0.2 + 0.04 * ambition, 0.12, 0.3)
            ),
            "core_bundle_coverage_pct": coverage[:, s] + np.clip(1.5 + ambition, 0.2, 4.0),
            "score_6s": np.clip(np.round(score_6s.to_numpy() + 2 + ambition), 80, 95),
        }
        if s < settings.effective_rule().dormant_months - 1:
            # Dormancy needs 12 months of history before the period: no ask without it.
            del asks["dormant_woken"]
        values = {}
        # Flow metrics first (split by quarter), then the levels and scores, each in catalogue
        # order: the order target ids are given in.
        for m in sorted(metrics.TARGET_METRICS, key=lambda m: m.kind != "flow"):
            if m.code not in asks:
                continue  # no demo ask yet (test_demo_generator names the metric)
            value = asks[m.code]
            if quarter is not None and m.kind == "flow":
                value = value * QUARTER_SHARE[m.code][quarter]
            elif quarter is not None and m.code in STEPPED:
                start_value = b[STEPPED[m.code]][:, s]
                value = start_value + (value - start_value) * (quarter + 1) / 4
            values[m.code] = value
        for metric, value in values.items():
            unit = metrics.target_metric(metric).unit
            rounding = 0 if unit == units.COUNT else 2
            if metric in (growth, deposit_growth):
                rounding = -3
            records.append(
                pd.DataFrame(
                    {
                        "target_level": codes.TARGET_LEVEL.code("branch"),
                        "branch_id": org.branches["branch_id"].to_numpy(),
                        "staff_id": pd.array([pd.NA] * n, dtype="Int64"),
                        "metric": metric,
                        "period_start": start,
                        "period_end": end,
                        "target_value": np.round(
                            np.ceil(value) if rounding == 0 else value, rounding
                        ),
                    }
                )
            )
        # Wealth managers share their branch's growth and sales asks by the size of their book.
        book = totals.by_staff["aum"][wm, s] + 1.0
        branch_book = np.bincount(wm_branch, weights=book, minlength=n)
        weight = book / branch_book[wm_branch]
        for metric in (growth, "wealth_sales_rmb"):
            records.append(
                pd.DataFrame(
                    {
                        "target_level": codes.TARGET_LEVEL.code("staff"),
                        "branch_id": wm_branch + 1,
                        "staff_id": pd.array(wm + 1, dtype="Int64"),
                        "metric": metric,
                        "period_start": start,
                        "period_end": end,
                        "target_value": np.round(values[metric][wm_branch] * weight, -2),
                    }
                )
            )
    frame = pd.concat(records, ignore_index=True)
    frame.insert(0, "target_id", np.arange(1, len(frame) + 1))
    return frame
