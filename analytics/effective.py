"""Effective customers, dormant accounts and wakings on month x customer arrays
(``catalogue.effective`` defines them; the marts apply the same rule in SQL).

Arrays are months x customers in month order; ``alive`` marks the months a customer holds an
account (closed excluded), ``active`` the months with a customer-initiated transaction.
"""

from __future__ import annotations

import numpy as np

from catalogue.effective import EffectiveRule


def _within(flags: np.ndarray, months: int) -> np.ndarray:
    """Per month: how many of the last ``months`` months (this one included) are flagged."""
    counts = np.cumsum(flags, axis=0, dtype=np.int32)
    before = np.zeros_like(counts)
    before[months:] = counts[:-months]
    return counts - before


def effective(
    average_rmb: np.ndarray, active: np.ndarray, alive: np.ndarray, rule: EffectiveRule
) -> np.ndarray:
    """Whether each customer is effective in each month."""
    rich = np.asarray(average_rmb) >= rule.min_avg_rmb
    if rule.active_months > 0:
        rich = rich | (_within(np.asarray(active, dtype=bool), rule.active_months) > 0)
    return rich & np.asarray(alive, dtype=bool)


def dormant(active: np.ndarray, alive: np.ndarray, rule: EffectiveRule) -> np.ndarray:
    """Whether each customer is dormant at each month's end: ``dormant_months`` months in a row
    held and without a customer-initiated transaction."""
    alive = np.asarray(alive, dtype=bool)
    quiet = alive & ~np.asarray(active, dtype=bool)
    return (_within(quiet, rule.dormant_months) == rule.dormant_months) & alive


def woken(active: np.ndarray, alive: np.ndarray, rule: EffectiveRule) -> np.ndarray:
    """Whether each customer woke in each month: a customer-initiated transaction in a month
    that followed a dormant month end. The first month has no month before: never woken."""
    asleep = dormant(active, alive, rule)
    out = np.zeros_like(asleep)
    out[1:] = asleep[:-1] & np.asarray(active, dtype=bool)[1:] & np.asarray(alive, dtype=bool)[1:]
    return out


def newly_effective(effective_now: np.ndarray) -> np.ndarray:
    """Effective in a month and not in the month before (a customer who joins effective counts);
    the first month has no month before: none."""
    out = np.zeros_like(effective_now)
    out[1:] = effective_now[1:] & ~effective_now[:-1]
    return out
