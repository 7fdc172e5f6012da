"""fact_customer_month for a chunk of customers: balances, activity, flows, spending, tiers.

Arrays are months x customers (month-major, like the rows written), one vectorised step per
quantity; only the AR(1) wobble and the grace rule loop over months. Balances are a log-normal
level (see customers.py) times the seasonal index of DEMO-DATA-FACTS with occupation-specific
seasons (Spring Festival for migrant workers, harvest for farmers, school fees for parents),
times the behaviour multipliers (churn paths and precursors, drains, dips). January to March
follow each year's Spring Festival, not the calendar (months.festival_position). Flows are
consistent with the change in balances: inflow - outflow = change in AUM.

The month's daily-average balance of each asset class runs from the previous month-end to this
one without their month-end spikes (months.month_end_spike: deposits that come in for the last
days of a month and leave in the first days of the next), so month-end deposits over their daily
average (存款偏离度) is about the branch's spike: 1-5%, more at quarter ends and the year end. The
demand and time deposit averages are written (``*_avg_rmb``); ``aum_avg_rmb`` is the sum of every
class's average, so deposits' and the other classes' daily averages add up to it. 大额存单 and the
interest paid are added once the holdings are drawn (data_access.demo.deposits).
"""

from __future__ import annotations

import calendar as calendar_lib
import datetime as dt
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from analytics import rules, tiers
from data_access import settings
from data_access.demo import leaving
from data_access.demo import months as calendar
from data_access.demo.behaviour import (
    OCCASIONAL_TXN_MEAN,
    Behaviour,
    activity_probability,
    occasional_customers,
    simulate_behaviour,
)
from data_access.demo.customers import (
    AR_SD,
    BUSINESS,
    CIVIL,
    FARMER,
    MIGRANT,
    STUDENT,
    Population,
)
from data_access.demo.organisation import Organisation
from data_access.demo.rng import poissonish, stream
from data_access.demo.terms import Chain, run_chain

AR_RHO = 0.85
WEALTH_MANAGER_FLOOR = rules.TIERS[1].floor_rmb  # from the potential tier up: a wealth manager

# Log deviations of balances from the aggregate season, by occupation and calendar month
# (January to March follow the Spring Festival: migrant workers home with their wages, bonuses).
_SEASON_BY_OCCUPATION = {
    FARMER: [0.0, -0.01, -0.02, -0.035, -0.025, 0.0, 0.0, 0.0, 0.015, 0.035, 0.045, 0.02],
    MIGRANT: [0.05, 0.07, 0.02, -0.01, -0.01, -0.01, -0.01, 0.0, 0.0, 0.0, 0.0, 0.01],
    BUSINESS: [0.02, -0.03, -0.01, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.01, 0.02],
    CIVIL: [0.03, 0.01, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    STUDENT: [0.0, -0.03, -0.02, 0.0, 0.0, 0.0, 0.0, -0.02, -0.05, -0.02, 0.0, 0.0],
}
# School fees for parents (about 33-55): August and September, recovering in October.
_SCHOOL_FEES = np.array([0, -0.01, -0.005, 0, 0, 0, 0, -0.035, -0.055, -0.02, 0, 0])
# Activity by calendar month (Spring Festival, harvest, year end); January to March follow the
# festival.
_ACTIVITY_SEASON = np.array([1.15, 1.2, 1.0, 0.95, 0.95, 0.95, 0.95, 1.0, 1.05, 1.05, 1.0, 1.1])
# Card spending by category and calendar month: spring farm inputs, school terms, Double 11
# (January to March follow the festival).
_SPEND_SEASON = np.array(
    [
        [1.3, 1.4, 1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 1.0, 1.0, 1.1],  # daily
        [0.5, 0.8, 1.8, 2.2, 1.5, 0.8, 0.6, 0.6, 0.7, 1.2, 0.7, 0.4],  # farm inputs
        [0.4, 1.5, 1.3, 0.5, 0.5, 0.5, 0.6, 2.0, 2.5, 0.8, 0.5, 0.4],  # education
        [1.1, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.1],  # health
        [1.6, 1.7, 0.8, 0.8, 0.9, 0.9, 1.2, 1.3, 0.9, 1.3, 0.8, 0.8],  # travel and dining
        [0.9, 0.8, 0.9, 0.9, 0.9, 1.3, 0.9, 0.9, 0.9, 1.0, 1.8, 1.2],  # online
    ]
)


@dataclass
class Context:
    """What every chunk shares: the window, the organisation, the seasonal tables."""

    seed: int
    org: Organisation
    window: list[dt.date]
    season: np.ndarray  # (occupations, 12) log deviations, AUM-weighted mean zero
    level_season: np.ndarray  # (M,) log aggregate level relative to the as-of month
    position_end: np.ndarray  # (M,) festival-keyed position in the seasonal tables, month-ends
    position_mid: np.ndarray  # (M,) the same for flows over the month (its middle)
    spike: np.ndarray  # (M, branches) month-end spikes over the daily average

    @property
    def months(self) -> int:
        return len(self.window)

    @property
    def first_month(self) -> dt.date:
        return self.window[0]

    @property
    def calendar_month(self) -> np.ndarray:
        return np.array([m.month for m in self.window]) - 1


def build_context(seed: int, org: Organisation, pop: Population, window: list[dt.date]):
    """Seasonal tables whose AUM-weighted mean deviation is zero, so totals follow the index."""
    season = np.zeros((8, 12))
    for occupation, values in _SEASON_BY_OCCUPATION.items():
        season[occupation] = values
    weights = np.bincount(pop.occupation, weights=pop.level, minlength=8)
    season -= (weights / weights.sum()) @ season
    level_season = calendar.log_season(window)
    spike = calendar.month_end_spike(stream(seed, "month_end_spike"), len(org.branches), window)
    return Context(
        seed,
        org,
        window,
        season,
        level_season - level_season[-1],
        calendar.festival_position(window, "end"),
        calendar.festival_position(window, "mid"),
        spike,
    )


@dataclass
class ChunkMonths:
    """The chunk's month facts as an Arrow table plus arrays later steps reuse."""

    table: pa.Table
    alive: np.ndarray  # (M, n)
    closing: np.ndarray
    aum: np.ndarray
    assets: dict[str, np.ndarray]  # asset column -> (M, n)
    averages: dict[str, np.ndarray]  # asset column -> the month's daily average (M, n)
    loan: np.ndarray
    rm: np.ndarray  # staff position or -1
    counter: np.ndarray
    off_counter: np.ndarray
    core: np.ndarray
    behaviour: Behaviour
    time_deposits: Chain
    wealth: Chain
    loans: Chain
    held_fund: np.ndarray
    held_insurance: np.ndarray
    held_bond: np.ndarray
    mobile_on: np.ndarray


def _wobble(rng: np.random.Generator, pop: Population, months: int) -> np.ndarray:
    n = len(pop)
    u = np.empty((months, n), dtype=np.float32)
    u[0] = rng.standard_normal(n, dtype=np.float32) * np.where(pop.sleeping, 0.02, AR_SD)
    for t in range(1, months):
        u[t] = AR_RHO * u[t - 1] + pop.wobble * rng.standard_normal(n, dtype=np.float32)
    return u


def _balances(rng, ctx: Context, pop: Population, beh: Behaviour, alive, closing):
    months, n = alive.shape
    t = np.arange(months)[:, None]
    cal = ctx.calendar_month
    log_level = np.log(np.maximum(pop.level, 1.0)).astype(np.float32)
    parent = ((pop.age >= 33) & (pop.age <= 55) & (pop.occupation != STUDENT)).astype(np.float32)
    log_aum = (
        log_level[None, :]
        + ctx.level_season[:, None].astype(np.float32)
        + calendar.seasonal_value(ctx.season, ctx.position_end)[pop.occupation].T.astype(np.float32)
        + _SCHOOL_FEES[cal][:, None].astype(np.float32) * parent[None, :]
        + _wobble(rng, pop, months)
    )
    since_open = t - pop.open_m[None, :]
    ramp = np.select([since_open == 0, since_open == 1, since_open == 2], [0.35, 0.65, 0.85], 1.0)
    aum = np.exp(log_aum, dtype=np.float64) * beh.aum_mult * ramp
    tiny = pop.level[None, :] * np.exp(rng.normal(0, 0.05, (months, n)))
    aum = np.where(pop.near_zero[None, :], tiny, aum)
    left_behind = np.minimum(pop.level, beh.residual)[None, :] * np.exp(rng.normal(0, 0.02, n))
    aum = np.where(beh.gone, left_behind, aum)
    return np.where(alive & ~closing, aum, 0.0)


def _allocate(pop: Population, aum, td: Chain, wealth: Chain, held_f, held_i, held_b):
    """Split assets by class; time deposits ~80% of deposits, investments for the richer."""
    other = (
        wealth.held * pop.wealth_share[None, :]
        + held_f * pop.fund_share[None, :]
        + held_i * pop.insurance_share[None, :]
        + held_b * pop.bond_share[None, :]
    )
    scale = np.where(other > 0.85, 0.85 / np.maximum(other, 1e-9), 1.0)
    deposits = aum * (1 - other * scale)
    time = deposits * (td.held * pop.td_share[None, :])
    assets = {
        "demand_deposit_rmb": deposits - time,
        "time_deposit_rmb": time,
        "wealth_rmb": aum * wealth.held * pop.wealth_share[None, :] * scale,
        "fund_rmb": aum * held_f * pop.fund_share[None, :] * scale,
        "insurance_rmb": aum * held_i * pop.insurance_share[None, :] * scale,
        "bond_rmb": aum * held_b * pop.bond_share[None, :] * scale,
    }
    return {k: np.maximum(np.round(v, 2), 0.0) for k, v in assets.items()}


def _capped_averages(averages: dict, ceiling: np.ndarray) -> dict:
    """Each class's daily average in fen, scaled down where their sum is above ``ceiling``."""
    total = sum(averages.values())
    scale = np.where(total > ceiling, ceiling / np.maximum(total, 1e-9), 1.0)
    capped = {}
    for column, values in averages.items():
        fen = values * scale * 100
        capped[column] = np.where(scale < 1.0, np.floor(fen), np.round(fen)) / 100
    return capped


def _spend_shares(pop: Population) -> np.ndarray:
    age = pop.age
    shares = np.stack(
        [
            np.full(len(pop), 0.45),
            np.where(pop.occupation == FARMER, 0.22, np.where(pop.is_farm_household, 0.08, 0.01)),
            np.where(
                pop.occupation == STUDENT, 0.25, np.where((age >= 33) & (age <= 55), 0.12, 0.02)
            ),
            np.where(age > 55, 0.15, 0.05),
            0.04 + 0.08 * (pop.level >= 50_000) + 0.04 * (age < 35),
            np.select([age < 30, age < 45, age < 60], [0.28, 0.15, 0.05], 0.01),
        ]
    )
    return (shares / shares.sum(axis=0)).astype(np.float32)


def _tiers(ctx: Context, aum: np.ndarray, average: np.ndarray, alive: np.ndarray, first):
    """Raw and effective tier ranks and months below the floor, judged on the organisation's
    tier basis (``settings.tier_basis``): the month-end balance, or the last three months' daily
    average (within the window: a customer's first window month starts their history)."""
    days = np.array([calendar_lib.monthrange(m.year, m.month)[1] for m in ctx.window])
    measure = tiers.tier_measure_matrix(
        aum, np.round(average, 2), days, alive, settings.tier_basis()
    )
    months, n = aum.shape
    raw = np.empty((months, n), dtype=np.int8)
    effective = np.empty((months, n), dtype=np.int8)
    below = np.empty((months, n), dtype=np.int16)
    prev_rank = np.zeros(n, dtype=np.int64)
    prev_below = np.zeros(n, dtype=np.int64)
    for t in range(months):
        raw_t = tiers.raw_tier_rank(measure[t])
        eff, mb = tiers.step_grace(prev_rank, prev_below, raw_t, first[t] | ~alive[t])
        raw[t], effective[t], below[t] = raw_t, eff, mb
        prev_rank, prev_below = eff, mb
    return raw, effective, below


def _tier_column(codes: np.ndarray) -> pa.Array:
    return pa.DictionaryArray.from_arrays(pa.array(codes, pa.int8()), pa.array(rules.TIER_CODES))


def _daily_averages(rng, ctx: Context, pop: Population, prev: dict, assets: dict) -> dict:
    """The month's daily-average balance of each asset class: the mean of a straight line from
    the previous month-end to this one, less this month-end's spike (money in for the last days
    only) on the deposits.

    A branch's spike is carried by the customers who bring money in for the month-end (about
    SPIKE_TAKERS of them, business owners and the better-off more often), each by several times
    the branch's spike, so the branch total shows the branch's spike: 存款偏离度 (on savings
    deposits) is about the spike plus half the month's growth. The spike money sits in demand
    deposits, and in time deposits where a customer's demand deposits cannot hold it.
    """
    months, n = assets[rules.DEPOSIT_CLASS_COLUMNS[0]].shape
    takers_p = SPIKE_TAKERS * np.where(pop.occupation == BUSINESS, 2.0, 1.0)
    takers_p = np.minimum(takers_p * np.where(pop.level >= 50_000, 1.5, 1.0), 0.9)
    take = rng.random((months, n), dtype=np.float32) < takers_p[None, :]
    size = 0.5 + rng.random((months, n), dtype=np.float32)
    share = np.where(take, size / np.float32(np.mean(takers_p)), np.float32(0.0))
    spike = ctx.spike[:, pop.branch].astype(np.float32) * share
    noise = np.exp(rng.standard_normal((months, n), dtype=np.float32) * np.float32(0.02))
    lines = {c: 0.5 * (prev[c] + assets[c]) * noise for c in assets}
    demand, time = rules.DEPOSIT_CLASS_COLUMNS
    money = (lines[demand] + lines[time]) * (spike / (1 + spike))
    from_demand = np.minimum(money, SPIKE_HOLD_MAX * lines[demand])
    lines[demand] = lines[demand] - from_demand
    lines[time] = lines[time] - np.minimum(money - from_demand, SPIKE_HOLD_MAX * lines[time])
    return lines


# Chance of an everyday transfer to another bank in an active month, with and without mobile
# banking (estimate; keeps a transfer out from being a sure sign of leaving).
ROUTINE_TRANSFER_MOBILE = 0.15
ROUTINE_TRANSFER_OTHER = 0.04
# Share of customers who bring money in for a month-end (estimate).
SPIKE_TAKERS = 0.35
# At most this share of a deposit line's straight-line average is month-end money (so a daily
# average stays positive).
SPIKE_HOLD_MAX = 0.95


def simulate_months(ctx: Context, pop: Population, chunk: int) -> ChunkMonths:
    """Simulate the chunk's customers over the window; returns rows for fact_customer_month."""
    rng = stream(ctx.seed, "monthly", chunk)
    months, n = ctx.months, len(pop)
    org = ctx.org
    t = np.arange(months)[:, None]
    alive = (t >= pop.open_m[None, :]) & (t <= pop.close_m[None, :])
    closing = t == pop.close_m[None, :]
    is_new = t == pop.open_m[None, :]
    first = t == np.maximum(pop.open_m, 0)[None, :]
    beh = simulate_behaviour(stream(ctx.seed, "behaviour", chunk), pop, months)
    # Term products of a customer who leaves the passbook open end when the money goes.
    open_leaver = (beh.path == leaving.NON_RENEWAL) | (beh.path == leaving.TRANSFER)
    term_close = np.where(open_leaver, beh.leave_m, pop.close_m)

    td = run_chain(
        stream(ctx.seed, "time_deposits", chunk),
        pop.td_user,
        pop.td_term,
        pop.td_phase,
        pop.open_m,
        term_close,
        beh.blocked,
        beh.renew_p,
    )
    wealth = run_chain(
        stream(ctx.seed, "wealth", chunk),
        pop.wealth_user,
        pop.wealth_term,
        pop.wealth_phase,
        pop.open_m,
        term_close,
        beh.blocked,
        beh.renew_p * np.float32(0.92),
        gap_max=3,
    )
    loans = run_chain(
        stream(ctx.seed, "loans", chunk),
        pop.loan_user,
        pop.loan_term,
        pop.loan_phase,
        pop.open_m,
        pop.close_m,
        beh.drifting,
        np.full((months, n), 0.6, np.float32),
        gap_max=6,
    )
    live = alive & ~closing
    invested = live & ~beh.gone
    held_f = invested & (t >= pop.fund_start[None, :]) & (t < pop.fund_end[None, :])
    held_i = invested & (t >= pop.insurance_start[None, :])
    held_b = invested & (t >= pop.bond_start[None, :])

    aum_raw = _balances(rng, ctx, pop, beh, alive, closing)
    assets = _allocate(pop, aum_raw, td, wealth, held_f, held_i, held_b)
    aum = np.round(sum(assets.values()), 2)
    del aum_raw

    # Previous month-end balances: the first window month of an existing customer looks back.
    looked_back = np.exp(rng.normal(0, 0.06, n))
    prev_assets = {}
    for column, values in assets.items():
        before = np.empty_like(values)
        before[1:] = values[:-1]
        before[0] = values[0] * looked_back
        prev_assets[column] = np.where(is_new, 0.0, before)
    prev = sum(prev_assets.values())
    averages = _daily_averages(rng, ctx, pop, prev_assets, assets)
    opening = rng.uniform(0.3, 0.7, (months, n))
    leaving_share = rng.uniform(0.2, 0.6, (months, n))
    for column in assets:
        average = np.where(is_new, assets[column] * opening, averages[column])
        average = np.where(closing, prev_assets[column] * leaving_share, average)
        averages[column] = np.where(alive, average, 0.0)
    del prev_assets
    loan = np.where(
        loans.held, np.round(pop.loan_principal * 1.06 ** np.maximum(loans.episode - 1, 0), -2), 0
    ).astype(np.float64)

    # -------------------------------------------------------------- activity
    mobile_on = alive & (t >= pop.mobile_m[None, :])
    occasional = occasional_customers(pop, mobile_on)
    in_month = activity_probability(pop, occasional, ctx.position_mid)
    transacts = (rng.random((months, n), dtype=np.float32) < in_month) & live
    rate = np.where(
        occasional, np.minimum(pop.txn_rate, OCCASIONAL_TXN_MEAN)[None, :], pop.txn_rate
    )
    season = calendar.seasonal_value(_ACTIVITY_SEASON, ctx.position_mid)[:, None]
    mean = rate * beh.act_mult * season
    # An active month has at least one transaction.
    total = np.maximum(poissonish(rng, mean.astype(np.float32)), 1) * transacts
    pm = pop.mobile_share[None, :] * mobile_on
    ps = (1 - pm) * pop.self_service_share[None, :]
    jitter = rng.random((2, months, n), dtype=np.float32)
    counter = np.floor(total * (1 - pm - ps) + jitter[0]).astype(np.int32)
    counter = np.minimum(counter, total)
    mobile = np.minimum(np.floor(total * pm + jitter[1]).astype(np.int32), total - counter)
    self_service = total - counter - mobile
    # Closing, and taking out a matured deposit that is not renewed, are done at the counter; a
    # transfer to another bank is one transaction at least (by mobile banking where the customer
    # has it).
    leave_now = (t == beh.leave_m[None, :]) & open_leaver[None, :] & live
    by_mobile = leave_now & mobile_on & (beh.path == leaving.TRANSFER)[None, :]
    mobile = np.where(by_mobile, np.maximum(mobile, 1), mobile)
    at_counter = closing | (leave_now & ~by_mobile)
    counter = np.where(at_counter, np.maximum(counter, 1), counter)
    logins = np.where(
        mobile_on & live & ~pop.sleeping[None, :],
        poissonish(rng, (1.6 * mobile + 2.5 * beh.act_mult * transacts).astype(np.float32)),
        0,
    )
    is_active = (counter + self_service + mobile) > 0

    # -------------------------------------------------------------- flows and spending
    change = aum - prev
    shares = _spend_shares(pop)
    spend_total = (
        pop.spend_rate[None, :] * beh.act_mult * np.exp(rng.normal(0, 0.3, (months, n)))
    ) * (total > 0)
    spend_season = calendar.seasonal_value(_SPEND_SEASON, ctx.position_mid)
    spend = {
        column: np.round(spend_total * shares[k][None, :] * spend_season[k][:, None], 2)
        for k, column in enumerate(rules.SPEND_COLUMNS)
    }
    spend_sum = sum(spend.values())
    falling = np.maximum(-change, 0.0)
    # Everyday transfers to other banks (family, purchases, loans elsewhere): not churn.
    routine_p = np.where(mobile_on, ROUTINE_TRANSFER_MOBILE, ROUTINE_TRANSFER_OTHER)
    routine = (is_active & (rng.random((months, n)) < routine_p)) * (
        pop.turnover[None, :] * rng.uniform(0.1, 0.5, (months, n))
    )
    transfer = beh.transfer_share * falling + routine
    last = prev * np.where(pop.to_other_bank, rng.uniform(0.7, 0.95, n), rng.uniform(0, 0.1, n))
    transfer = np.round(np.where(closing, last, transfer), 2)
    other = is_active * pop.turnover[None, :] * rng.uniform(0.2, 0.8, (months, n))
    outflow = spend_sum + transfer + other
    outflow = np.round(outflow + np.maximum(falling - outflow, 0.0), 2)
    inflow = np.maximum(np.round(outflow + change, 2), 0.0)
    # No day's balance is above the previous month-end plus the month's inflows, nor is the
    # month's daily average (a data test holds every warehouse to it).
    averages = _capped_averages(averages, prev + inflow)
    average = sum(averages[c] for c in rules.ASSET_COLUMNS)

    # -------------------------------------------------------------- products, tiers, managers
    metal = pop.metal[None, :]
    payroll = pop.disbursements[None, :]  # salary, pension, farm subsidy (代发)
    cards = 1 + (pop.ssc_card & pop.feitian_card)[None, :]
    count_products = (
        1
        + cards
        + mobile_on
        + payroll
        + td.held
        + wealth.held
        + held_f
        + held_i
        + held_b
        + metal
        + loans.held
    )
    core = 1 + mobile_on + (payroll > 0) + wealth.held + held_i
    count_products = np.where(live, count_products, 0).astype(np.int16)
    core = np.where(live, core, 0).astype(np.int16)
    raw, effective, below = _tiers(ctx, aum, average, alive, first)
    reached = np.logical_or.accumulate(alive & (aum >= WEALTH_MANAGER_FLOOR), axis=0)
    # A wealth manager promoted during the window takes customers only from then on.
    senior = org.wm_first[pop.branch]
    promoted_later = org.staff_since_month[pop.wealth_manager][None, :] > t
    wm = np.where(promoted_later, senior, pop.wealth_manager)
    rm = np.where(reached, wm, pop.base_rm[None, :])

    # -------------------------------------------------------------- rows
    def cells(values: np.ndarray) -> np.ndarray:
        return values[alive]

    month_dates = calendar.to_datetime64(ctx.window)
    rm_cells = cells(rm)
    columns = {
        "customer_id": pa.array(cells(np.broadcast_to(pop.customer_id, (months, n)))),
        "month_start": pa.array(cells(np.broadcast_to(month_dates[:, None], (months, n)))),
        "branch_id": pa.array(cells(np.broadcast_to(pop.branch + 1, (months, n)))),
        "rm_staff_id": pa.array(rm_cells + 1, mask=rm_cells < 0),
        **{col: pa.array(cells(values)) for col, values in assets.items()},
        "aum_rmb": pa.array(cells(aum)),
        "aum_avg_rmb": pa.array(cells(np.round(average, 2))),
        **{
            column.replace("_rmb", "_avg_rmb"): pa.array(cells(averages[column]))
            for column in rules.DEPOSIT_CLASS_COLUMNS
        },
        "loan_rmb": pa.array(cells(loan)),
        "count_txn_counter": pa.array(cells(counter)),
        "count_txn_self_service": pa.array(cells(self_service)),
        "count_txn_mobile": pa.array(cells(mobile)),
        "count_mobile_logins": pa.array(cells(logins)),
        "inflow_rmb": pa.array(cells(inflow)),
        "outflow_rmb": pa.array(cells(outflow)),
        "transfer_out_other_bank_rmb": pa.array(cells(transfer)),
        **{col: pa.array(cells(values)) for col, values in spend.items()},
        "count_products": pa.array(cells(count_products)),
        "count_core_products": pa.array(cells(core)),
        "raw_tier_code": _tier_column(cells(raw)),
        "tier_code": _tier_column(cells(effective)),
        "months_below_floor": pa.array(cells(below)),
        "is_active": pa.array(cells(is_active)),
        "is_new": pa.array(cells(is_new)),
        "is_closed": pa.array(cells(closing)),
    }
    return ChunkMonths(
        table=pa.table(columns),
        alive=alive,
        closing=closing,
        aum=aum,
        assets=assets,
        averages=averages,
        loan=loan,
        rm=rm,
        counter=counter,
        off_counter=self_service + mobile,
        core=core,
        behaviour=beh,
        time_deposits=td,
        wealth=wealth,
        loans=loans,
        held_fund=held_f,
        held_insurance=held_i,
        held_bond=held_b,
        mobile_on=mobile_on,
    )
