"""Why balances and activity move: churn paths and precursors, soft churn, dips, activity.

The churn model another engineer trains on this data must find signal without finding a
certainty, and without leaning on one feature. Leavers take one of three paths (leaving.py):
they close every account (about a quarter of churners), let a time deposit mature and not renew
it, or transfer their money to another bank; the last two keep the passbook with a few yuan in
it. Most leavers drift first (balances and transactions fall over 2-6 months, renewals stop,
transfers to other banks show on the transfer path), but about a third leave abruptly with no
sign, and many customers who stay show the same kind of dip for a few months before recovering;
soft churners drain 70-95% of their assets and stay down without closing.

Monthly activity (a customer-initiated transaction in the month): regular customers nearly
every month; farmers, retirees and older customers without mobile banking or payroll only a few
times a year, around pension and subsidy days and the Spring Festival; sleeping accounts almost
never (see ACTIVITY_* below and docs/demo-data.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from data_access.demo import leaving
from data_access.demo import months as calendar
from data_access.demo.customers import FARMER, NEVER, OTHER, RETIREE, Population

DIP_START_PER_MONTH = 0.022
# Share of temporary dips in which the money goes to another bank (and comes back later).
DIP_TRANSFER_P = 0.45
RENEWAL_P = 0.86
# Depth of the drift before leaving, relative to the closer's, by path: a non-renewer's money
# is mostly in the deposit that matures, so the demand balance falls less beforehand.
LEAD_DEPTH = {leaving.CLOSURE: 1.0, leaving.NON_RENEWAL: 0.45, leaving.TRANSFER: 1.0}
# Chance that a drifting leaver's falling balance goes out by transfer to another bank (else as
# cash at the counter or spending), by path (closers: half of those going to another bank), and
# that their transactions thin out beforehand (estimates).
LEAD_TRANSFER_P = {leaving.TRANSFER: 0.55, leaving.NON_RENEWAL: 0.2}
LEAD_FEWER_TXN_P = 0.6
# Activity multiplier once the money has gone (the passbook is hardly used).
GONE_ACTIVITY = 0.05

# Monthly activity (estimate, see docs/demo-data.md): probability of a customer-initiated
# transaction in a month for regular customers, for those who transact a few times a year and
# for sleeping accounts.
ACTIVITY_REGULAR = 0.9
ACTIVITY_OCCASIONAL = 0.3
ACTIVITY_SLEEPING = 0.012
# Months of the occasional customers' transactions, January first (mean 1): the Spring Festival
# (keyed to its date), farm subsidies in spring (耕地地力保护补贴) and the year-end top-ups.
ACTIVITY_OCCASIONAL_SEASON = np.array(
    [1.45, 1.35, 0.8, 1.15, 1.25, 0.95, 0.75, 0.75, 0.85, 0.95, 0.8, 0.95]
)
# Transactions in an occasional customer's active month (a withdrawal, perhaps a deposit).
OCCASIONAL_TXN_MEAN = 2.2


@dataclass
class Behaviour:
    """Months x customers multipliers on assets and activity, and where renewals stop."""

    aum_mult: np.ndarray  # float32
    act_mult: np.ndarray  # float32
    transfer_share: np.ndarray  # float32: share of falling balances sent to other banks
    blocked: np.ndarray  # bool: no renewals or new term products
    renew_p: np.ndarray  # float32: renewal probability at a maturity
    drifting: np.ndarray  # bool: in a churn precursor or soft-churn drain
    path: np.ndarray  # int8 per customer: leaving.STAYS, CLOSURE, NON_RENEWAL or TRANSFER
    leave_m: np.ndarray  # month the money leaves (NEVER: stays)
    gone: np.ndarray  # bool (M, n): an open-account leaver after leaving (a few yuan left)
    residual: np.ndarray  # RMB left behind by an open-account leaver


def first_maturity_from(pop: Population, month: np.ndarray) -> np.ndarray:
    """The first month >= ``month`` in which the customer's time deposit matures, if it ran
    on its term from its phase (NEVER for customers without one)."""
    term = np.maximum(pop.td_term.astype(np.int64), 1)
    first = np.where(pop.open_m < 0, pop.td_phase, pop.td_phase + term).astype(np.int64)
    steps = np.maximum(np.ceil((month - first) / term), 0).astype(np.int64)
    return np.where(pop.td_user, first + steps * term, NEVER)


def leave_paths(pop: Population, months: int):
    """(path, leave month) per customer: non-renewal when a deposit matures near the drawn month."""
    leaves = pop.leave_m < months
    closes = pop.close_m < months
    maturity = first_maturity_from(pop, pop.leave_m - leaving.MATURITY_REACH_BEFORE)
    near = (
        (maturity <= pop.leave_m + leaving.MATURITY_REACH_AFTER)
        & (maturity >= np.maximum(pop.open_m, 0) + 1)
        & (maturity < months)
    )
    non_renewal = leaves & ~closes & near
    path = np.select(
        [closes, non_renewal, leaves], [leaving.CLOSURE, leaving.NON_RENEWAL, leaving.TRANSFER], 0
    ).astype(np.int8)
    leave_m = np.where(non_renewal, maturity, pop.leave_m)
    return path, leave_m


def simulate_behaviour(rng: np.random.Generator, pop: Population, months: int) -> Behaviour:
    """Draw the chunk's leaving paths, precursors, drains and dips (vectorised over customers)."""
    n = len(pop)
    t = np.arange(months)[:, None]
    aum = np.ones((months, n), dtype=np.float32)
    act = np.ones((months, n), dtype=np.float32)
    transfer = np.zeros((months, n), dtype=np.float32)
    path, leave_m = leave_paths(pop, months)
    open_leaver = (path == leaving.NON_RENEWAL) | (path == leaving.TRANSFER)

    # Leavers who drift: the last ``lead`` months before the money goes.
    c = leave_m[None, :]
    lead = pop.churn_lead[None, :]
    in_lead = pop.churn_gradual[None, :] & (t >= c - lead) & (t < c)
    progress = np.where(in_lead, (t - (c - lead) + 1) / (lead + 1), 0.0)
    relative = np.select(
        [path == leaving.NON_RENEWAL, path == leaving.TRANSFER, path == leaving.CLOSURE],
        [
            LEAD_DEPTH[leaving.NON_RENEWAL],
            LEAD_DEPTH[leaving.TRANSFER],
            LEAD_DEPTH[leaving.CLOSURE],
        ],
        1.0,
    )
    depth = (pop.churn_depth * relative)[None, :]
    # Each drifting leaver shows some of the signs, not all: the model has to combine them.
    fewer_txn = rng.random(n) < LEAD_FEWER_TXN_P
    by_transfer = rng.random(n) < np.select(
        [path == leaving.TRANSFER, path == leaving.NON_RENEWAL, pop.to_other_bank],
        [LEAD_TRANSFER_P[leaving.TRANSFER], LEAD_TRANSFER_P[leaving.NON_RENEWAL], 0.35],
        0.15,
    )
    aum *= (1 - depth * progress**1.3).astype(np.float32)
    act *= (1 - 0.8 * depth * progress * fewer_txn[None, :]).astype(np.float32)
    send = np.where(by_transfer, rng.uniform(0.3, 0.9, n), 0.0)
    transfer = np.where(in_lead, send[None, :], transfer).astype(np.float32)
    blocked = (pop.churn_gradual[None, :] & (t >= c - lead)) | (t >= c)

    # Open-account leavers: the money goes in the leave month, a few yuan stay.
    gone = open_leaver[None, :] & (t >= c)
    leave_now = open_leaver[None, :] & (t == c)
    out_share = np.where(
        path == leaving.TRANSFER, rng.uniform(0.8, 0.98, n), rng.uniform(0.15, 0.6, n)
    )
    transfer = np.where(leave_now, out_share[None, :], transfer).astype(np.float32)
    act = np.where(gone & ~leave_now, act * GONE_ACTIVITY, act).astype(np.float32)

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
    drifting = in_lead | draining | gone

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
            rng.random(int(start.sum())) < DIP_TRANSFER_P,
            rng.uniform(0.3, 0.8, int(start.sum())),
            0.0,
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
    residual = leaving.residual_rmb(rng, n)
    return Behaviour(aum, act, transfer, blocked, renew, drifting, path, leave_m, gone, residual)


def occasional_customers(pop: Population, mobile_on: np.ndarray) -> np.ndarray:
    """(M, n) customers who transact only a few times a year: farmers, retirees and older
    customers without payroll or mobile banking (sleeping accounts aside)."""
    kind = np.isin(pop.occupation, (FARMER, RETIREE)) | (
        (pop.occupation == OTHER) & (pop.age >= 55)
    )
    kind |= pop.age >= 65
    kind &= (pop.employer_id == 0) & ~pop.sleeping
    return kind[None, :] & ~mobile_on


def activity_probability(
    pop: Population, occasional: np.ndarray, position_mid: np.ndarray
) -> np.ndarray:
    """(M, n) probability of a customer-initiated transaction in each month."""
    season = calendar.seasonal_value(ACTIVITY_OCCASIONAL_SEASON, position_mid)[:, None]
    regular = np.where(pop.sleeping, ACTIVITY_SLEEPING, ACTIVITY_REGULAR)[None, :]
    return np.where(occasional, ACTIVITY_OCCASIONAL * season, regular).astype(np.float32)
