"""Tier assignment with the downgrade grace rule, vectorised over customers.

Used by the demo generator and the loader to stamp ``tier_code`` on every customer-month, and by
the segment pages; the thresholds and grace lengths come from ``analytics.rules`` only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics import rules

_FLOORS = np.array([t.floor_rmb for t in rules.TIERS])
_CODES = np.array(rules.TIER_CODES, dtype=object)


def raw_tier_rank(aum_rmb: np.ndarray | pd.Series) -> np.ndarray:
    """Rank (0 = lowest tier) each balance reaches, without any grace."""
    values = np.nan_to_num(np.asarray(aum_rmb, dtype=float), nan=0.0)
    # A negative balance (an overdraft) is below every floor: rank 0, as rules.tier_for_assets.
    return np.clip(np.searchsorted(_FLOORS, values, side="right") - 1, 0, None)


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


def assign_tiers(history: pd.DataFrame) -> pd.DataFrame:
    """Effective tiers for a long table of ``customer_id, month_start, aum_rmb``.

    Returns the same rows (sorted by customer and month) with ``raw_tier_code``, ``tier_code``,
    ``months_below_floor`` and ``grace_state``. A customer's first row starts without history.
    """
    frame = history.sort_values(["customer_id", "month_start"]).reset_index(drop=True)
    raw = raw_tier_rank(frame["aum_rmb"].to_numpy())
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
