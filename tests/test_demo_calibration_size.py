"""Organisation and branch size of the demo, against docs/demo-data.md ("Organisation and branch
size"), on a fixed seed.

The default demo's organisation is drawn without simulating its customers (a fraction of a
second); VIP counts and wealth managers' books come from the default demo's population simulated
over the last three months only (a second or two), which has the same branches and the same
distributions as the full 24-month build. Bands are wide enough for the other calibrations
(churn, balances, activity) to move the numbers a little without failing these tests.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from analytics import rules
from analytics import scorecard_rules as sr
from catalogue import codes
from data_access.demo import months as calendar
from data_access.demo.build import DEFAULT_CUSTOMERS, draw
from data_access.demo.monthly import simulate_months
from data_access.demo.organisation import (
    CUSTOMERS_PER_BRANCH,
    build_organisation,
    prefecture_count,
)

SEED = 7  # the default demo's
AS_OF = dt.date(2026, 9, 1)
MONTHS = 3


@pytest.fixture(scope="module")
def org():
    window = calendar.month_starts(AS_OF, 24)
    return build_organisation(SEED, DEFAULT_CUSTOMERS, window[0], AS_OF)


@pytest.fixture(scope="module")
def last_month():
    """(organisation, population, month facts) of the default demo over its last three months."""
    _, org, pop, ctx = draw(SEED, DEFAULT_CUSTOMERS, MONTHS, AS_OF)
    return org, pop, simulate_months(ctx, pop.take(0, len(pop)), 0)


def _sizes_by_type(org) -> dict[str, np.ndarray]:
    types = np.array(codes.BRANCH_TYPE.codes)[org.branch_type]
    return {t: org.branch_customers[types == t] for t in set(types)}


def test_branches_hold_a_real_outlets_customers_on_average():
    # facts: about 16 million personal customers over about 1,904 outlets.
    assert 8_000 <= CUSTOMERS_PER_BRANCH <= 8_800
    assert round(16_000_000 / 1_904, -2) == CUSTOMERS_PER_BRANCH


def test_default_demo_is_a_slice_of_at_least_three_cooperatives_and_twenty_branches(org):
    assert DEFAULT_CUSTOMERS == 20 * CUSTOMERS_PER_BRANCH
    assert len(org.branches) >= 20
    assert len(org.cooperatives) >= 3
    assert len(org.prefectures) == 4
    per_coop = np.bincount(org.branch_coop)
    assert per_coop.min() >= 2
    assert org.branch_customers.sum() == DEFAULT_CUSTOMERS


def test_branch_sizes_average_a_real_outlet_with_townships_smaller_than_county_towns(org):
    sizes = _sizes_by_type(org)
    assert 8_000 <= org.branch_customers.mean() <= 8_800
    township, county_town = sizes["township"], sizes["county_town"]
    assert 5_000 <= township.mean() <= 8_000
    assert 9_000 <= county_town.mean() <= 14_000
    assert 1.3 <= county_town.mean() / township.mean() <= 2.2
    # A spread, not one size: the largest branch at least twice the smallest.
    assert org.branch_customers.max() >= 2 * org.branch_customers.min()
    # Township branches are the majority (facts: 62%).
    assert 0.5 <= len(township) / len(org.branches) <= 0.7


def test_staff_per_branch_stays_near_the_provinces(org):
    # facts: 21,000+ staff for about 1,904 outlets (about 11 each, head offices included).
    per_branch = len(org.staff) / len(org.branches)
    assert 9 <= per_branch <= 14
    tellers = (org.staff["role"] == "teller").sum() / len(org.branches)
    assert 3 <= tellers <= 8


def test_prefectures_follow_the_number_of_branches():
    assert prefecture_count(4) == 2
    assert prefecture_count(20) == 4
    assert prefecture_count(1_100) == 14
    counts = [prefecture_count(b) for b in (2, 10, 22, 50, 119, 300, 1_100, 5_000)]
    assert counts == sorted(counts) and counts[-1] == 14


def test_small_test_branches_keep_several_branches_and_cooperatives():
    from tests.conftest import DEMO_SIZE

    window = calendar.month_starts(DEMO_SIZE["as_of"], DEMO_SIZE["months"])
    small = build_organisation(
        DEMO_SIZE["seed"],
        DEMO_SIZE["customers"],
        window[0],
        DEMO_SIZE["as_of"],
        DEMO_SIZE["customers_per_branch"],
    )
    assert len(small.branches) >= 4 and len(small.cooperatives) >= 2


def test_vip_counts_per_branch_are_real_size(last_month):
    org, pop, facts = last_month
    vip = facts.alive[-1] & (facts.aum[-1] >= rules.VIP_THRESHOLD_RMB)
    per_branch = np.bincount(pop.branch[vip], minlength=len(org.branches))
    # facts: 0.2% of customers at 1,000,000 or more, about 17 per 8,400; branches differ a lot.
    assert 8 <= per_branch.mean() <= 30
    assert np.median(per_branch) >= 3
    assert (per_branch >= 10).sum() >= 5


def test_hongyan_aum_levels_spread_the_wealth_managers(last_month):
    org, _pop, facts = last_month
    wm = np.flatnonzero(org.staff["role"].to_numpy() == "wealth_manager")
    rm, aum, alive = facts.rm[-1], facts.aum[-1], facts.alive[-1]
    held = alive & (rm >= 0)
    book = np.bincount(rm[held], weights=aum[held], minlength=len(org.staff))[wm]
    share = {h.level: (book >= h.min_aum_rmb).mean() for h in sr.HONGYAN_LEVELS}
    # Most managers reach level 1's book, about half level 2's, a few level 4's: the league
    # shows managers on every step, not everyone above the top one.
    assert share[1] >= 0.75
    assert 0.35 <= share[2] <= 0.8
    assert 0.15 <= share[3] <= 0.6
    assert 0.05 <= share[4] <= 0.4
    assert share[1] > share[2] > share[3] > share[4]


@pytest.mark.parametrize(
    ("argv", "customers", "per_branch"),
    [
        ([], 20 * CUSTOMERS_PER_BRANCH, CUSTOMERS_PER_BRANCH),
        (["--customers-per-branch", "500"], 10_000, 500),
        (["--customers", "3000", "--customers-per-branch", "900"], 3_000, 900),
    ],
)
def test_cli_demo_passes_the_branch_size_on(argv, customers, per_branch, tmp_path, monkeypatch):
    import data_access.demo
    from cli import main

    calls = []
    monkeypatch.setattr(data_access.demo, "build_demo", lambda *a, **kw: calls.append(kw) or {})
    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    assert main(["demo", "--quiet", "--url", url, *argv]) == 0
    assert calls[0]["customers"] == customers
    assert calls[0]["customers_per_branch"] == per_branch
