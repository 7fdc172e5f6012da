"""Calibration of the demo's behaviour: churn paths, month-end deviation, festival, activity.

One simulation of 30,000 customers x 24 months (seed 7, as of September 2026) is shared by the
module; nothing is written to a warehouse. Each test holds a measured distribution within the
band docs/demo-data.md states ("Behaviour: churn paths, balances, calendar, activity").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

from analytics.churn import definition
from data_access.demo import leaving
from data_access.demo import months as calendar
from data_access.demo.behaviour import occasional_customers
from data_access.demo.build import draw
from data_access.demo.customers import MIGRANT, Population
from data_access.demo.monthly import ChunkMonths, Context, simulate_months

AS_OF = dt.date(2026, 9, 1)
MONTHS = 24
CUSTOMERS = 30_000
SEED = 7
BRANCH_SIZE = 2_500


@dataclass
class Simulated:
    pop: Population
    ctx: Context
    facts: ChunkMonths
    window: list[dt.date]
    frame: pd.DataFrame  # the written month rows


@pytest.fixture(scope="module")
def sim() -> Simulated:
    # A dozen branches of a fixed size, whatever the default branch size is.
    window, org, pop, ctx = draw(SEED, CUSTOMERS, MONTHS, AS_OF, BRANCH_SIZE)
    facts = simulate_months(ctx, pop, 0)
    columns = (
        "customer_id",
        "month_start",
        "branch_id",
        "aum_rmb",
        "aum_avg_rmb",
        "demand_deposit_rmb",
        "time_deposit_rmb",
        "demand_deposit_avg_rmb",
        "time_deposit_avg_rmb",
        "is_active",
        "is_closed",
        "transfer_out_other_bank_rmb",
    )
    frame = pd.DataFrame({c: facts.table.column(c).to_numpy() for c in columns})
    return Simulated(pop, ctx, facts, window, frame)


# ------------------------------------------------------------------ churn paths
@pytest.fixture(scope="module")
def labelled(sim: Simulated) -> pd.DataFrame:
    """Labelled churners at eight cut-offs, with the path the generator gave them."""
    cutoffs = definition.labelled_cutoffs(sim.window[0], sim.window[-1])[-8:]
    labels = pd.concat([definition.churn_labels(sim.frame, c) for c in cutoffs])
    churners = labels[labels["churned"]].drop_duplicates("customer_id")
    position = churners["customer_id"].to_numpy() - sim.pop.customer_id[0]
    path = sim.facts.behaviour.path[position]
    soft = sim.pop.soft_start[position] < MONTHS
    churners = churners.assign(
        generated=np.where(
            path > 0,
            np.array(leaving.PATH_CODES, dtype=object)[path],
            np.where(soft, "soft", "dip"),
        )
    )
    return churners


def test_closures_are_about_a_quarter_of_labelled_churners(labelled: pd.DataFrame) -> None:
    share = labelled["churn_path"].value_counts(normalize=True)
    assert len(labelled) > 500
    assert 0.18 <= share["closure"] <= 0.32, share
    assert 0.68 <= share["asset_flight"] <= 0.82, share


def test_non_renewal_and_transfers_make_up_the_rest(labelled: pd.DataFrame) -> None:
    generated = labelled["generated"].value_counts(normalize=True)
    assert 0.15 <= generated["non_renewal"] <= 0.40, generated
    assert 0.20 <= generated["transfer"] <= 0.45, generated
    assert generated["non_renewal"] + generated["transfer"] >= 0.45, generated
    # Generated closers are labelled closures (a few drift below the asset-flight line first),
    # open-account leavers never.
    closers = labelled.loc[labelled["generated"] == "closure", "churn_path"]
    assert (closers == "closure").mean() >= 0.85
    opened = labelled["generated"].isin(["non_renewal", "transfer"])
    assert (labelled.loc[opened, "churn_path"] == "asset_flight").all()


def test_open_account_leavers_leave_a_few_yuan_and_transfers_show(sim: Simulated) -> None:
    beh, facts = sim.facts.behaviour, sim.facts
    t = np.arange(MONTHS)[:, None]
    gone = beh.gone & facts.alive
    assert gone.any()
    assert np.all(facts.aum[gone] < 100) and np.all(facts.aum[gone] >= 0)
    assert not facts.closing[
        :, (beh.path == leaving.NON_RENEWAL) | (beh.path == leaving.TRANSFER)
    ].any()
    transfer = np.zeros_like(facts.aum)
    transfer[facts.alive] = sim.frame["transfer_out_other_bank_rmb"].to_numpy()
    leave_now = (t == beh.leave_m[None, :]) & facts.alive
    prev = np.vstack([facts.aum[:1], facts.aum[:-1]])
    moved = transfer / np.maximum(prev, 1.0)
    big = prev >= 1_000
    by_transfer = leave_now & big & (beh.path == leaving.TRANSFER)[None, :]
    by_maturity = leave_now & big & (beh.path == leaving.NON_RENEWAL)[None, :]
    # Transfers carry most of the money of the transfer path, less of the non-renewals'.
    assert np.median(moved[by_transfer]) >= 0.7
    assert 0.1 <= np.median(moved[by_maturity]) <= 0.6
    # The money goes by a transaction the customer makes (counter or mobile banking).
    active = np.zeros_like(facts.alive)
    active[facts.alive] = sim.frame["is_active"].to_numpy()
    assert active[leave_now & ~facts.closing].all()
    # A non-renewer leaves in the month the time deposit matures and is not renewed.
    td = facts.time_deposits
    lapsed = td.renewed == 0
    matured_at = set(zip(td.customer[lapsed].tolist(), td.end_m[lapsed].tolist(), strict=True))
    who = np.flatnonzero(beh.path == leaving.NON_RENEWAL)
    hits = [(c, int(beh.leave_m[c])) in matured_at for c in who]
    assert np.mean(hits) >= 0.8


# ------------------------------------------------------------------ month-end deviation
def _deviation(sim: Simulated) -> pd.DataFrame:
    """存款偏离度 per branch and month: savings deposits at month end over their daily average."""
    rows = sim.frame.assign(
        deposit=sim.frame["demand_deposit_rmb"] + sim.frame["time_deposit_rmb"],
        deposit_avg=sim.frame["demand_deposit_avg_rmb"] + sim.frame["time_deposit_avg_rmb"],
    )
    frame = rows.groupby(["branch_id", "month_start"])[["deposit", "deposit_avg"]].sum()
    frame = frame.reset_index()
    frame["deviation"] = frame["deposit"] / frame["deposit_avg"] - 1
    frame["quarter_end"] = pd.to_datetime(frame["month_start"]).dt.month.isin((3, 6, 9, 12))
    return frame


def test_month_end_deviation_by_branch(sim: Simulated) -> None:
    frame = _deviation(sim)
    frame = frame[frame["month_start"] > frame["month_start"].min()]  # the first looks back
    usual = frame.loc[~frame["quarter_end"], "deviation"]
    quarter = frame.loc[frame["quarter_end"], "deviation"]
    assert 0.012 <= usual.median() <= 0.03
    assert usual.between(0.0, 0.05).mean() >= 0.75
    assert 0.02 <= (usual > 0.04).mean() <= 0.2  # a few branch-months above the 4% cap
    assert quarter.median() >= usual.median() + 0.008  # quarter-end spikes
    assert (quarter > 0.04).mean() > (usual > 0.04).mean()


def test_month_end_spikes_across_many_branches() -> None:
    months = calendar.month_starts(dt.date(2026, 12, 1), 12)
    spike = calendar.month_end_spike(np.random.default_rng(0), 2_000, months)
    usual = spike[[m.month not in calendar.QUARTER_END_MONTHS for m in months]]
    assert 0.013 <= np.median(usual) <= 0.019
    assert 0.01 <= (usual > 0.04).mean() <= 0.06
    assert np.median(spike[-1]) == pytest.approx(
        calendar.SPIKE_MEDIAN * calendar.SPIKE_YEAR_END, rel=0.1
    )


# ------------------------------------------------------------------ Spring Festival
def test_festival_dates_and_their_range() -> None:
    assert calendar.spring_festival(2025) == dt.date(2025, 1, 29)
    assert calendar.spring_festival(2026) == dt.date(2026, 2, 17)
    for day in calendar.SPRING_FESTIVAL.values():
        assert dt.date(day.year, 1, 21) <= day <= dt.date(day.year, 2, 20)
    with pytest.raises(ValueError, match="Spring Festival"):
        calendar.festival_position([dt.date(2040, 1, 1)])


def test_seasons_follow_the_festival_not_the_calendar() -> None:
    months = calendar.month_starts(dt.date(2026, 4, 1), 28)
    position = dict(zip(months, calendar.festival_position(months), strict=True))
    # Early festival (29 Jan 2025): January's month-end is already past it; late (17 Feb 2026):
    # January's month-end comes before the festival's run-up has ended.
    assert position[dt.date(2025, 1, 1)] > 0.2
    assert position[dt.date(2026, 1, 1)] < -0.3
    assert position[dt.date(2025, 4, 1)] == 3.0  # April onwards: the calendar
    run_up = dict(zip(months, calendar.festival_run_up(months), strict=True))
    assert run_up[dt.date(2025, 1, 1)] > 0.7 and run_up[dt.date(2025, 2, 1)] < 0.3
    assert run_up[dt.date(2026, 1, 1)] < 0.4 and run_up[dt.date(2026, 2, 1)] > 0.6
    # The 开门红 campaign: new customers open most in the festival's run-up, about 1.8 times a
    # usual month over the first quarter.
    opening = dict(zip(months, calendar.opening_weight(months), strict=True))
    assert opening[dt.date(2025, 1, 1)] > opening[dt.date(2025, 2, 1)] + 0.5
    assert opening[dt.date(2026, 2, 1)] > opening[dt.date(2026, 1, 1)] + 0.2
    quarter = [opening[dt.date(2026, k, 1)] for k in (1, 2, 3)]
    assert np.mean(quarter) / opening[dt.date(2025, 7, 1)] == pytest.approx(1.8 / 0.85, rel=0.08)


def test_migrant_balances_follow_the_festival(sim: Simulated) -> None:
    # The seasonal deviation of migrant workers' balances as the generator applies it.
    season = calendar.seasonal_value(sim.ctx.season, sim.ctx.position_end)[MIGRANT]
    at = dict(zip(sim.window, season, strict=True))
    jan25, feb25 = at[dt.date(2025, 1, 1)], at[dt.date(2025, 2, 1)]
    jan26, feb26 = at[dt.date(2026, 1, 1)], at[dt.date(2026, 2, 1)]
    # Festival on 29 January 2025: migrants are home with their wages by January's month-end;
    # on 17 February 2026 the January month-end catches only part of it, the rise comes later.
    assert jan25 > jan26 + 0.015
    assert feb26 - jan26 > feb25 - jan25 + 0.01
    # Outside January to March the calendar rules: the same value in both years.
    assert at[dt.date(2025, 7, 1)] == pytest.approx(at[dt.date(2026, 7, 1)])


# ------------------------------------------------------------------ activity
def test_monthly_activity_share(sim: Simulated) -> None:
    facts = sim.facts
    live = facts.alive & ~facts.closing
    active = np.zeros_like(live)
    active[facts.alive] = sim.frame["is_active"].to_numpy()
    assert 0.45 <= active[live].mean() <= 0.55
    # Farmers and older customers without mobile banking or payroll: a few months a year.
    occasional = occasional_customers(sim.pop, facts.mobile_on) & live
    assert 0.15 <= occasional[live].mean() <= 0.35
    per_year = active[occasional].mean() * 12
    assert 2.5 <= per_year <= 5.0
    # Their active months gather around the Spring Festival (January 2025, February 2026).
    by_month = dict(
        zip(sim.window, (active & occasional).sum(axis=1) / occasional.sum(axis=1), strict=True)
    )
    assert by_month[dt.date(2025, 1, 1)] > by_month[dt.date(2025, 3, 1)] * 1.3
    assert by_month[dt.date(2026, 2, 1)] > by_month[dt.date(2026, 3, 1)] * 1.3
    # January busier than February with the festival in January, the reverse in 2026.
    early = by_month[dt.date(2025, 1, 1)] / by_month[dt.date(2025, 2, 1)]
    late = by_month[dt.date(2026, 1, 1)] / by_month[dt.date(2026, 2, 1)]
    assert early > 1.05 and late < 0.97
