"""Why balances and activity move: churn precursors, soft churn, temporary dips.

The churn model another engineer trains on this data must find signal without finding a
certainty. Customers who will leave usually drift first (balances and transactions fall over
2-6 months, renewals stop, money goes to other banks), but about a third leave abruptly with no
sign, and many customers who stay show the same kind of dip for a few months before recovering;
soft churners drain 70-95% of their assets and stay down without closing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from data_access.demo.customers import Population

DIP_START_PER_MONTH = 0.022
RENEWAL_P = 0.86


@dataclass
class Behaviour:
    """Months x customers multipliers on assets and activity, and where renewals stop."""

    aum_mult: np.ndarray  # float32
    act_mult: np.ndarray  # float32
    transfer_share: np.ndarray  # float32: share of falling balances sent to other banks
    blocked: np.ndarray  # bool: no renewals or new term products
    renew_p: np.ndarray  # float32: renewal probability at a maturity
    drifting: np.ndarray  # bool: in a churn precursor or soft-churn drain


def simulate_behaviour(rng: np.random.Generator, pop: Population, months: int) -> Behaviour:
    """Draw the chunk's precursors, drains and dips (vectorised over customers)."""
    n = len(pop)
    t = np.arange(months)[:, None]
    aum = np.ones((months, n), dtype=np.float32)
    act = np.ones((months, n), dtype=np.float32)
    transfer = np.zeros((months, n), dtype=np.float32)

    # Churners who drift: the last ``lead`` months before closing.
    c = pop.close_m[None, :]
    lead = pop.churn_lead[None, :]
    in_lead = pop.churn_gradual[None, :] & (t >= c - lead) & (t < c)
    progress = np.where(in_lead, (t - (c - lead) + 1) / (lead + 1), 0.0)
    depth = pop.churn_depth[None, :]
    aum *= (1 - depth * progress**1.3).astype(np.float32)
    act *= (1 - 0.8 * depth * progress).astype(np.float32)
    send = np.where(pop.to_other_bank, rng.uniform(0.5, 0.9, n), rng.uniform(0.0, 0.15, n))
    transfer = np.where(in_lead, send[None, :], transfer).astype(np.float32)
    blocked = (pop.churn_gradual[None, :] & (t >= c - lead)) | (t >= c)

    # Soft churners drain to 5-30% of their assets and stay there.
    s = pop.soft_start[None, :]
    draining = t >= s
    drain = np.where(draining, np.minimum((t - s + 1) / pop.soft_length[None, :], 1.0), 0.0)
    floor = pop.soft_floor[None, :]
    aum *= (1 - (1 - floor) * drain).astype(np.float32)
    act *= (1 - 0.6 * (1 - floor) * drain).astype(np.float32)
    in_drain = draining & (t < s + pop.soft_length[None, :])
    transfer = np.where(in_drain, send[None, :], transfer).astype(np.float32)
    blocked |= draining
    drifting = in_lead | draining

    # Temporary dips among everyone else: same signs, then recovery.
    renew = np.full((months, n), RENEWAL_P, dtype=np.float32)
    left = np.zeros(n, dtype=np.int64)
    recover = np.zeros(n, dtype=np.int64)
    dip_depth = np.zeros(n)
    dip_transfer = np.zeros(n)
    eligible = ~pop.sleeping
    for m in range(months):
        start = eligible & (left == 0) & (recover == 0) & ~drifting[m]
        start &= rng.random(n) < DIP_START_PER_MONTH
        left[start] = rng.integers(2, 6, int(start.sum()))
        dip_depth[start] = rng.uniform(0.25, 0.7, int(start.sum()))
        dip_transfer[start] = np.where(
            rng.random(int(start.sum())) < 0.3, rng.uniform(0.3, 0.7, int(start.sum())), 0.0
        )
        in_dip = left > 0
        level = np.where(in_dip, dip_depth, np.where(recover > 0, dip_depth * recover / 3, 0.0))
        aum[m] *= (1 - level).astype(np.float32)
        act[m] *= (1 - 0.55 * level).astype(np.float32)
        transfer[m] = np.where(in_dip & (transfer[m] == 0), dip_transfer, transfer[m])
        renew[m] = np.where(in_dip, RENEWAL_P * 0.55, renew[m])
        ending = in_dip & (left == 1)
        left = np.maximum(left - 1, 0)
        recover = np.where(ending, 2, np.maximum(recover - (~in_dip), 0))
    return Behaviour(aum, act, transfer, blocked, renew, drifting)
