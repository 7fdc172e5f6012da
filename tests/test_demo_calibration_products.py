"""The demo generator's products, service and risk against the facts (docs/demo-data.md,
"Products, service and risk"): 6S star shares, VIP service use, unassessed customers, the
disbursements (代发), the new deposit products and the fee income of sales.

Drawn in memory on a fixed seed, without writing a warehouse: the population, one chunk of month
facts and the tables the generator would write from them.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from analytics import rules, scorecards
from data_access.demo import branch_facts, deposits, holdings, people, products, vip
from data_access.demo import months as calendar
from data_access.demo.build import draw
from data_access.demo.customers import FARMER
from data_access.demo.monthly import simulate_months
from data_access.demo.organisation import COMMUNITY, COUNTY_TOWN, TOWNSHIP
from data_access.demo.rng import stream

SEED = 7
AS_OF = dt.date(2026, 9, 1)
MONTHS = 24
CUSTOMERS = 20_000


@pytest.fixture(scope="module")
def drawn() -> SimpleNamespace:
    """The generator's tables for one chunk holding every customer (as build_demo draws them)."""
    _, org, pop, ctx = draw(SEED, CUSTOMERS, MONTHS, AS_OF)
    catalogue = products.build_catalogue(stream(SEED, "products"), org.employers)
    facts = simulate_months(ctx, pop, 0)
    identity = people.Identity(ctx, pop, AS_OF)
    customers = people.customer_table(ctx, pop, facts, identity, 0, 0).to_pandas()
    rows = holdings.build_rows(ctx, pop, facts, catalogue, 0)
    held = holdings.holding_table(ctx, pop, rows, 1).to_pandas()
    sales, _ = holdings.sale_table(ctx, pop, facts, rows, 1)
    product = catalogue.frame.set_index("product_id")
    held = held.join(product[["product_code", "category"]], on="product_id")
    sales = sales.to_pandas().join(product[["product_code", "category"]], on="product_id")
    alive = facts.alive[-1] & ~facts.closing[-1]
    months = deposits.with_deposit_columns(ctx, pop, facts, rows, catalogue).to_pandas()
    return SimpleNamespace(
        pop=pop,
        customers=customers,
        held=held,
        sales=sales,
        alive=alive,
        catalogue=catalogue,
        months=months,
    )


# ------------------------------------------------------------------ 6S stars


def _star_shares(branches: int) -> pd.Series:
    frame = pd.DataFrame(
        {"branch_id": np.arange(1, branches + 1), "prefecture_id": np.arange(branches) % 14 + 1}
    )
    window = calendar.month_starts(AS_OF, MONTHS)
    ctx = SimpleNamespace(
        seed=SEED, org=SimpleNamespace(branches=frame), window=window, first_month=window[0]
    )
    base, slope = branch_facts.branch_quality(ctx)
    rows = branch_facts.inspection_frame(ctx, base, slope)
    latest = scorecards.latest_per_branch(scorecards.score_inspections(rows))
    return latest["stars"].value_counts(normalize=True).reindex(range(1, 6), fill_value=0.0)


def test_six_s_stars_follow_the_facts() -> None:
    """Facts: five stars 3%, four 15%, three 40% of outlets; the rest lower."""
    shares = _star_shares(1_500)
    assert 0.015 <= shares[5] <= 0.05, shares
    assert 0.12 <= shares[4] <= 0.21, shares
    assert 0.35 <= shares[3] <= 0.46, shares
    assert shares[1] + shares[2] >= 0.30, shares


# ------------------------------------------------------------------ VIP services


def _vip_use(per_type: int = 3_000) -> tuple[pd.DataFrame, np.ndarray]:
    """A year of use by VIPs eligible every month, ``per_type`` at each outlet type."""
    n, months = 3 * per_type, 12
    branch_type = np.repeat([COUNTY_TOWN, TOWNSHIP, COMMUNITY], per_type)
    pop = SimpleNamespace(
        customer_id=np.arange(1, n + 1), branch=np.zeros(n, dtype=np.int64), branch_type=branch_type
    )
    facts = SimpleNamespace(
        alive=np.ones((months, n), dtype=bool),
        closing=np.zeros((months, n), dtype=bool),
        aum=np.full((months, n), 2 * rules.VIP_THRESHOLD_RMB),
    )
    ctx = SimpleNamespace(seed=SEED, first_month=dt.date(2025, 10, 1))
    table = vip.vip_use_table(ctx, _Sized(pop, n), facts, 0, 1).to_pandas()
    return table, branch_type


class _Sized:
    """A namespace with a length (the population protocol vip_use_table uses)."""

    def __init__(self, namespace: SimpleNamespace, n: int) -> None:
        self.__dict__.update(vars(namespace))
        self._n = n

    def __len__(self) -> int:
        return self._n


def test_vip_service_use_is_about_half_and_lower_in_townships() -> None:
    """VIPs eligible all year: about half use a service (the demo's VIPs, many eligible only
    some months, less); township VIPs less often; lounges rare."""
    uses, branch_type = _vip_use()
    users = np.zeros(len(branch_type), dtype=bool)
    users[uses["customer_id"].to_numpy() - 1] = True
    assert 0.45 <= users.mean() <= 0.62
    township = users[branch_type == TOWNSHIP].mean()
    assert township < users[branch_type == COUNTY_TOWN].mean() - 0.05
    assert 0.38 <= township <= 0.50
    mix = uses["service_type"].value_counts(normalize=True)
    assert mix.index[0] == "priority_service"
    assert mix.get("airport_lounge", 0.0) < 0.02
    rural = {"priority_service", "dedicated_manager", "festival_care", "fee_waiver"}
    assert mix[list(rural)].sum() >= 0.7


# ------------------------------------------------------------------ risk assessment


def test_most_customers_were_never_risk_assessed(drawn) -> None:
    customers = drawn.customers[drawn.alive]
    unassessed = customers["risk_grade"].isna().mean()
    assert 0.85 <= unassessed <= 0.91
    # The grade and its date come together.
    assert (
        drawn.customers["risk_grade"].isna() == drawn.customers["risk_assessed_on"].isna()
    ).all()


def test_wealth_and_fund_sales_go_only_to_customers_with_a_valid_assessment(drawn) -> None:
    needs = drawn.sales[drawn.sales["category"].isin(["wealth", "fund"])]
    assert len(needs) > 100
    customers = drawn.customers.set_index("customer_id")
    grade = customers.loc[needs["customer_id"], "risk_grade"]
    assert grade.notna().all()
    # The latest assessment covers each customer's latest such sale (valid 12 months).
    last = needs.groupby("customer_id")["sold_on"].max()
    assessed = pd.to_datetime(customers.loc[last.index, "risk_assessed_on"])
    sold = pd.to_datetime(last)
    assert (assessed <= sold).all()
    assert (sold < assessed + pd.DateOffset(months=rules.RISK_ASSESSMENT_VALID_MONTHS)).all()
    # Nothing above R1 was sold to a customer never assessed.
    graded = drawn.catalogue.frame.set_index("product_id")["risk_grade"]
    above = drawn.sales[drawn.sales["product_id"].map(graded).fillna("R1") > "R1"]
    assert customers.loc[above["customer_id"], "risk_grade"].notna().all()


# ------------------------------------------------------------------ disbursements


def test_pensions_and_farm_subsidies_are_paid_beside_salaries(drawn) -> None:
    open_now = drawn.held[drawn.held["closed_on"].isna()]
    alive_ids = drawn.pop.customer_id[drawn.alive]
    share = {
        code: open_now.loc[open_now["product_code"] == code, "customer_id"].isin(alive_ids).sum()
        / len(alive_ids)
        for code in ("PAY-SALARY", "PAY-PENSION", "PAY-SUBSIDY")
    }
    assert 0.08 <= share["PAY-SALARY"] <= 0.15, share  # facts: payroll 12%
    assert 0.15 <= share["PAY-PENSION"] <= 0.26, share
    assert 0.17 <= share["PAY-SUBSIDY"] <= 0.30, share
    paid = open_now.loc[open_now["category"] == "payroll", "customer_id"].unique()
    farmers = drawn.pop.customer_id[drawn.alive & (drawn.pop.occupation == FARMER)]
    assert np.isin(farmers, paid).mean() >= 0.5


# ------------------------------------------------------------------ products and fees


def test_large_cds_respect_the_floor_and_the_new_deposits_exist(drawn) -> None:
    held = drawn.held
    cds = held[held["product_code"].str.startswith("CD-")]
    assert len(cds) > 20
    assert (cds["amount_rmb"] >= products.CD_FLOOR_RMB).all()
    notice = held[held["product_code"] == "TD-NOTICE-7D"]
    assert len(notice) > 10 and (notice["amount_rmb"] >= products.NOTICE_FLOOR_RMB).all()
    assert (held["product_code"] == "TD-LC-12M").sum() > 100


def test_agency_wealth_is_sold_beside_the_cooperatives_own(drawn) -> None:
    wealth = drawn.sales[drawn.sales["category"] == "wealth"]
    agency = wealth["product_code"].str.startswith("WM-AG-").mean()
    assert 0.2 <= agency <= 0.5


def test_every_sale_carries_its_fee_income(drawn) -> None:
    sales = drawn.sales
    fee_earning = sales[sales["category"] != "loan"]
    assert (fee_earning["fee_income_rmb"] > 0).mean() > 0.99
    assert (sales.loc[sales["category"] == "loan", "fee_income_rmb"] == 0).all()
    insurance = sales[sales["product_code"] == "INS-ANNUITY"]
    rate = insurance["fee_income_rmb"].sum() / insurance["amount_rmb"].sum()
    assert rate == pytest.approx(products.FEE_RATES["INS-ANNUITY"][0], rel=0.01)


# ------------------------------------------------------------------ deposits and their cost


def test_deposit_cost_and_structure_follow_the_rates(drawn) -> None:
    """The province in the as-of month: 存款付息率 within the demo's rates, deposits most of the
    assets, time deposits most of the deposits, 大额存单 a tenth of them (docs/demo-data.md)."""
    from analytics import deposits as calc

    rows = drawn.months.assign(
        deposit_rmb=lambda f: f["demand_deposit_rmb"] + f["time_deposit_rmb"],
        deposit_avg_rmb=lambda f: f["demand_deposit_avg_rmb"] + f["time_deposit_avg_rmb"],
        interest_paid_rmb=lambda f: (
            f["demand_deposit_interest_rmb"] + f["time_deposit_interest_rmb"]
        ),
    )
    columns = [c for c in rows.columns if c.endswith("_rmb")]
    province = rows.groupby("month_start")[columns].sum().reset_index()
    province["month_start"] = pd.to_datetime(province["month_start"])
    now = calc.with_deposit_measures(province).iloc[-1]
    assert 1.1 <= now["cost_pct"] <= 1.6
    assert 1.1 <= now["cost_ytd_pct"] <= 1.6
    assert now["demand_cost_pct"] == pytest.approx(deposits.DEMAND_RATE * 100, rel=0.02)
    assert 1.6 <= now["large_cd_cost_pct"] <= 2.05
    assert 65 <= now["deposit_share_of_aum_pct"] <= 85
    assert 70 <= now["time_share_pct"] <= 85
    assert 5 <= now["large_cd_share_pct"] <= 20
