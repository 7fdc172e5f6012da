"""The churn definition (流失定义): documented constants and the pure labelling function.

A customer is *observed* at a cut-off month T (the last month whose data the features may use)
and *churns* if, during the label window T+1 .. T+LABEL_WINDOW_MONTHS, any of these happens:

1. **closure** (销户): the customer closes every account (``is_closed`` in a window month, or the
   customer's rows stop: a customer who vanishes from the monthly snapshot has left);
2. **asset flight** (资产流失): month-end financial assets fall to at most
   ``1 - ASSET_FALL_SHARE`` (30%) of the customer's average over the BASELINE_MONTHS months up to
   T, and stay that low for ASSET_FALL_CONFIRM_MONTHS consecutive month-ends inside the window.
   This is how a rural customer usually leaves: the passbook stays open with a few yuan in it
   while the time deposit that matured moves to a big bank's county branch;
3. **going dormant** (转为睡眠), only when DORMANT_COUNTS_AS_CHURN (off by default, see there):
   the customer's run of months without any customer-initiated transaction reaches
   DORMANT_MONTHS inside the window.

Only customers a retention team would call are labelled (*eligible*): open at T, with at least
MIN_HISTORY_MONTHS months of history, a baseline of at least MIN_BASELINE_AUM_RMB, not already
down to the asset-flight level at T and not already dormant at T. Customers below the minimum
are not worth a call and their "falls" are noise (a quarter of rural customers hold < 100 RMB).

Every number is a constant here, documented in docs/churn.md; a cooperative that draws churn
differently edits this file only.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from analytics.churn.panel import MonthPanel, PanelWindow, add_months, as_month, panel_window
from catalogue import codes

# Months after the cut-off in which a churn event counts: one quarter, the horizon a retention
# team acts on (callbacks are planned monthly; deposits maturing within 90 days are visible).
LABEL_WINDOW_MONTHS: int = 3
# Months up to and including the cut-off whose average month-end AUM is the asset-flight baseline.
BASELINE_MONTHS: int = 6
# Asset flight: month-end AUM at most (1 - ASSET_FALL_SHARE) x baseline ...
ASSET_FALL_SHARE: float = 0.70
# ... at this many consecutive month-ends inside the window (one low month-end may be a payment).
ASSET_FALL_CONFIRM_MONTHS: int = 2
# Going dormant: this many consecutive months without a customer-initiated transaction.
DORMANT_MONTHS: int = 6
# Whether going dormant counts as churn. Off: within a 3-month window a customer can only reach
# 6 silent months if they were already silent for 3+ months at the cut-off, so the label is a
# near-certain continuation of what the features already show (ROC AUC 0.9998 on that path on
# the demo) and says nothing a report of silent customers would not; and a silent customer's
# money is still in the cooperative. Dormant customers are activation (激活) targets, shown
# apart from the retention watchlist. Already-dormant customers are never eligible either way.
DORMANT_COUNTS_AS_CHURN: bool = False
# Eligibility: baseline AUM at least this (RMB) and at least this many months of history.
MIN_BASELINE_AUM_RMB: float = 1_000.0
MIN_HISTORY_MONTHS: int = 3

# Paths in priority order (a customer who matches several is reported under the first).
PATHS: tuple[tuple[str, str, str], ...] = codes.CHURN_PATH.triples()

# Watchlist score bands (catalogue.codes.SCORE_BAND) by calibrated probability of churning
# within the label window: the floor of each band, highest first.
SCORE_BAND_FLOORS: dict[str, float] = {"high": 0.30, "medium": 0.10, "low": 0.0}
SCORE_BANDS: tuple[tuple[str, float, str, str], ...] = tuple(
    (b.code, SCORE_BAND_FLOORS[b.code], b.name_en, b.name_zh) for b in codes.SCORE_BAND
)

SCORE_BAND_CODES: tuple[str, ...] = tuple(code for code, *_ in SCORE_BANDS)

LABEL_COLUMNS: tuple[str, ...] = ("customer_id", "month_start", "aum_rmb", "is_active", "is_closed")


def score_band(probability: np.ndarray | pd.Series) -> np.ndarray:
    """Band code for each probability (``high`` / ``medium`` / ``low``)."""
    p = np.asarray(probability, dtype=float)
    bands = np.full(p.shape, SCORE_BANDS[-1][0], dtype=object)
    for code, floor, _, _ in reversed(SCORE_BANDS[:-1]):
        bands[p >= floor] = code
    return bands


def labelled_cutoffs(first_month: dt.date, last_month: dt.date) -> list[dt.date]:
    """Cut-offs whose history and whole label window lie within ``first .. last``."""
    start = add_months(as_month(first_month), MIN_HISTORY_MONTHS - 1)
    end = add_months(as_month(last_month), -LABEL_WINDOW_MONTHS)
    months = []
    month = start
    while month <= end:
        months.append(month)
        month = add_months(month, 1)
    return months


def _inactive_run(active: np.ndarray, present: np.ndarray) -> np.ndarray:
    """Per cell, consecutive months without a customer transaction ending there (rows only)."""
    run = np.zeros(active.shape, dtype=np.int32)
    current = np.zeros(active.shape[0], dtype=np.int32)
    for j in range(active.shape[1]):
        current = np.where(present[:, j], np.where(active[:, j], 0, current + 1), current)
        run[:, j] = current
    return run


def _eligibility(grid: MonthPanel | PanelWindow, t: int) -> tuple[np.ndarray, ...]:
    """(eligible, baseline, inactive run) at column ``t`` of ``grid``."""
    present = grid.present
    aum = grid.values("aum_rmb")
    base = aum[:, t + 1 - BASELINE_MONTHS : t + 1]
    counted = (~np.isnan(base)).sum(axis=1)
    baseline = np.where(counted > 0, np.nansum(base, axis=1) / np.maximum(counted, 1), np.nan)
    floor = (1.0 - ASSET_FALL_SHARE) * baseline
    run = _inactive_run(grid.flags("is_active"), present)
    closed_by_cutoff = grid.flags("is_closed")[:, : t + 1].any(axis=1)
    eligible = (
        present[:, t]
        & ~closed_by_cutoff
        & (present[:, : t + 1].sum(axis=1) >= MIN_HISTORY_MONTHS)
        & (np.nan_to_num(baseline) >= MIN_BASELINE_AUM_RMB)
        & (np.nan_to_num(aum[:, t]) > floor)
        & (run[:, t] < DORMANT_MONTHS)
    )
    return eligible, baseline, run


def _lookback_start(cutoff: dt.date) -> dt.date:
    return add_months(cutoff, -(max(BASELINE_MONTHS, DORMANT_MONTHS) - 1))


def eligible_customers(panel: pd.DataFrame | MonthPanel, cutoff: dt.date) -> pd.DataFrame:
    """Customers a retention team would call at ``cutoff`` (the population that is scored).

    Uses months up to ``cutoff`` only. Returns ``customer_id`` and ``baseline_aum_rmb``.
    """
    cutoff = as_month(cutoff)
    grid = panel_window(panel, _lookback_start(cutoff), cutoff)
    eligible, baseline, _ = _eligibility(grid, grid.n_months - 1)
    frame = pd.DataFrame({"customer_id": grid.customer_ids, "baseline_aum_rmb": baseline})
    return frame.loc[eligible].reset_index(drop=True)


def churn_labels(panel: pd.DataFrame | MonthPanel, cutoff: dt.date) -> pd.DataFrame:
    """Label the customers eligible at ``cutoff`` from a customer-month panel.

    ``panel`` needs ``customer_id, month_start, aum_rmb, is_active, is_closed`` for the months
    ``cutoff - max(BASELINE_MONTHS, DORMANT_MONTHS) + 1 .. cutoff + LABEL_WINDOW_MONTHS`` (more
    is fine). Returns one row per eligible customer: ``customer_id``, ``cutoff``, ``churned``
    (bool), ``churn_path`` (a code of PATHS or None), ``churn_month`` (first event month or NaT)
    and ``baseline_aum_rmb``. ``panel`` may also be a :class:`MonthPanel` pivot covering those
    months. Raises ValueError when the panel does not cover the label window.
    """
    cutoff = as_month(cutoff)
    window_end = add_months(cutoff, LABEL_WINDOW_MONTHS)
    if isinstance(panel, MonthPanel):
        last = panel.last_with_data
    else:
        last = as_month(pd.to_datetime(panel["month_start"]).max()) if len(panel) else None
    if last is None or last < window_end:
        raise ValueError(
            f"labels at cut-off {cutoff:%Y-%m} need data up to {window_end:%Y-%m}; "
            f"the panel ends at {last or 'nothing'}"
        )
    grid = panel_window(panel, _lookback_start(cutoff), window_end)
    t = grid.n_months - 1 - LABEL_WINDOW_MONTHS  # column of the cut-off
    eligible, baseline, run = _eligibility(grid, t)
    present = grid.present
    aum = grid.values("aum_rmb")
    floor = (1.0 - ASSET_FALL_SHARE) * baseline

    window = slice(t + 1, t + 1 + LABEL_WINDOW_MONTHS)
    w_present = present[:, window]
    w_closed = grid.flags("is_closed")[:, window] | ~w_present
    w_low = np.nan_to_num(aum[:, window], nan=0.0) <= floor[:, None]
    w_low &= w_present
    n = LABEL_WINDOW_MONTHS
    k = ASSET_FALL_CONFIRM_MONTHS
    onset = np.zeros(w_low.shape, dtype=bool)
    for j in range(n - k + 1):
        onset[:, j] = w_low[:, j : j + k].all(axis=1)
    w_dormant = (run[:, window] >= DORMANT_MONTHS) & w_present

    events = {"closure": w_closed, "asset_flight": onset}
    if DORMANT_COUNTS_AS_CHURN:
        events["dormant"] = w_dormant
    path = np.full(len(present), None, dtype=object)
    first_event = np.full(len(present), n, dtype=np.int64)
    for code in reversed([code for code, _, _ in PATHS if code in events]):
        hit = events[code].any(axis=1)
        path[hit] = code
        first_event = np.where(
            hit, np.minimum(first_event, events[code].argmax(axis=1)), first_event
        )
    churned = path != None  # noqa: E711 (element-wise on an object array)

    event_month = np.datetime64(cutoff, "M") + (first_event + 1).astype("timedelta64[M]")
    event_month = event_month.astype("datetime64[ns]")
    event_month[first_event >= n] = np.datetime64("NaT")
    result = pd.DataFrame(
        {
            "customer_id": grid.customer_ids,
            "cutoff": pd.Timestamp(cutoff),
            "churned": churned,
            "churn_path": path,
            "churn_month": event_month,
            "baseline_aum_rmb": baseline,
        }
    )
    return result.loc[eligible].reset_index(drop=True)
