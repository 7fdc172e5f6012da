"""Tier assignment with the downgrade grace rule, vectorised over customers.

Used by the demo generator and the loader to stamp ``tier_code`` on every customer-month, and by
the segment pages; the thresholds and grace lengths come from ``analytics.rules`` only. The
balance a tier is judged on follows the organisation's tier basis (``catalogue.basis.TIER_BASES``:
the month-end balance, or the last three months' daily average): :func:`tier_measure` and
:func:`tier_measure_matrix` compute it from a customer's history.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics import rules
from catalogue import basis as bases

_FLOORS = np.array([t.floor_rmb for t in rules.TIERS])
_CODES = np.array(rules.TIER_CODES, dtype=object)


def raw_tier_rank(aum_rmb: np.ndarray | pd.Series) -> np.ndarray:
    """Rank (0 = lowest tier) each balance reaches, without any grace."""
    values = np.nan_to_num(np.asarray(aum_rmb, dtype=float), nan=0.0)
    # A negative balance (an overdraft) is below every floor: rank 0, as rules.tier_for_assets.
    return np.clip(np.searchsorted(_FLOORS, values, side="right") - 1, 0, None)


def tier_measure_matrix(
    month_end: np.ndarray,
    daily_avg: np.ndarray,
    days: np.ndarray,
    present: np.ndarray,
    basis: str,
) -> np.ndarray:
    """The balance each customer's tier is judged on, for months x customers arrays.

    ``month_end`` and ``daily_avg`` are the month-end and daily-average financial assets,
    ``days`` the number of days of each month and ``present`` whether the customer has the month.
    On ``end`` the measure is the month-end balance; on ``avg3`` the day-weighted mean of the
    daily averages of the month and the two before it, over the months the customer has (a new
    customer's first month is its own daily average). Cells where the customer is absent are 0.
    """
    spec = bases.check_tier_basis(basis)
    present = np.asarray(present, dtype=bool)
    if spec.column == "aum_rmb":
        values = np.nan_to_num(np.asarray(month_end, dtype=float), nan=0.0)
        return np.where(present, values, 0.0)
    values = np.nan_to_num(np.asarray(daily_avg, dtype=float), nan=0.0)
    weight = np.where(present, np.asarray(days, dtype=float)[:, None], 0.0)
    amount = values * weight
    total = np.zeros_like(amount)
    span = np.zeros_like(weight)
    for lag in range(spec.months):
        total[lag:] += amount[: len(amount) - lag]
        span[lag:] += weight[: len(weight) - lag]
    measure = np.divide(total, span, out=np.zeros_like(total), where=span > 0)
    return np.where(present, measure, 0.0)


def tier_measure(history: pd.DataFrame, basis: str) -> np.ndarray:
    """The balance each row's tier is judged on, for a long table of ``customer_id,
    month_start, aum_rmb`` (and ``aum_avg_rmb`` on a daily-average basis), one row per customer
    and month, sorted by customer and month.

    On ``avg3`` a row's measure is the day-weighted mean of the customer's daily averages over
    the calendar months ``month - 2`` to ``month`` that have a row (a customer with fewer months
    uses those they have). The result is aligned with ``history``'s rows.
    """
    spec = bases.check_tier_basis(basis)
    if spec.column == "aum_rmb":
        return np.nan_to_num(history["aum_rmb"].to_numpy(dtype=float), nan=0.0)
    if "aum_avg_rmb" not in history:
        raise ValueError(f"the {basis} tier basis needs aum_avg_rmb in the history")
    month = pd.to_datetime(history["month_start"])
    index = (month.dt.year * 12 + month.dt.month).to_numpy()
    customer = history["customer_id"].to_numpy()
    if len(history) > 1 and (((customer[1:] == customer[:-1]) & (index[1:] <= index[:-1])).any()):
        raise ValueError("history must have one row per customer and month, sorted by month")
    days = month.dt.days_in_month.to_numpy(dtype=float)
    amount = np.nan_to_num(history["aum_avg_rmb"].to_numpy(dtype=float), nan=0.0) * days
    total, span = amount.copy(), days.copy()
    for lag in range(1, spec.months):
        same = np.zeros(len(history), dtype=bool)
        same[lag:] = (customer[lag:] == customer[:-lag]) & (
            index[lag:] - index[:-lag] < spec.months
        )
        total[lag:] += np.where(same[lag:], amount[:-lag], 0.0)
        span[lag:] += np.where(same[lag:], days[:-lag], 0.0)
    return total / span


def tier_codes(ranks: np.ndarray) -> np.ndarray:
    """Tier codes for an array of ranks."""
    return _CODES[np.asarray(ranks, dtype=int)]


def step_grace(
    previous_rank: np.ndarray,
    previous_months_below: np.ndarray,
    raw_rank: np.ndarray,
    is_first_month: np.ndarray | bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Advance the grace rule by one month for many customers at once.

    Returns the effective tier rank and the count of consecutive months below the effective tier's
    floor. A customer in their first month (or with no history) takes the raw tier.
    """
    first = np.broadcast_to(np.asarray(is_first_month, dtype=bool), raw_rank.shape)
    below = (raw_rank < previous_rank) & ~first
    months_below = np.where(below, previous_months_below + 1, 0)
    downgrade = below & (months_below >= rules.DOWNGRADE_AFTER_MONTHS)
    effective = np.where(below & ~downgrade, previous_rank, raw_rank)
    months_below = np.where(downgrade, 0, months_below)
    return effective, months_below


def grace_state(months_below: np.ndarray) -> np.ndarray:
    """``none`` at or above the floor, ``grace`` for the first months below it, then ``watch``."""
    months_below = np.asarray(months_below)
    return np.where(
        months_below == 0,
        "none",
        np.where(months_below >= rules.WATCH_AFTER_MONTHS, "watch", "grace"),
    ).astype(object)


def assign_tiers(history: pd.DataFrame, basis: str = bases.TIER_END) -> pd.DataFrame:
    """Effective tiers for a long table of ``customer_id, month_start, aum_rmb`` (and
    ``aum_avg_rmb`` on a daily-average ``basis``).

    Returns the same rows (sorted by customer and month) with ``tier_measure_rmb`` (the balance
    the tier is judged on), ``raw_tier_code``, ``tier_code``, ``months_below_floor`` and
    ``grace_state``. A customer's first row starts without history.
    """
    frame = history.sort_values(["customer_id", "month_start"]).reset_index(drop=True)
    frame["tier_measure_rmb"] = tier_measure(frame, basis)
    raw = raw_tier_rank(frame["tier_measure_rmb"].to_numpy())
    first = (frame["customer_id"] != frame["customer_id"].shift()).to_numpy()
    effective = np.empty_like(raw)
    below = np.zeros_like(raw)
    # Customers are independent; walking rows in order is the rule's definition (one month at a
    # time), and stays linear in the number of rows.
    prev_rank, prev_below = 0, 0
    for i in range(len(frame)):
        eff, mb = step_grace(
            np.array([prev_rank]), np.array([prev_below]), raw[i : i + 1], bool(first[i])
        )
        effective[i], below[i] = eff[0], mb[0]
        prev_rank, prev_below = effective[i], below[i]
    frame["raw_tier_code"] = tier_codes(raw)
    frame["tier_code"] = tier_codes(effective)
    frame["months_below_floor"] = below
    frame["grace_state"] = grace_state(below)
    return frame
