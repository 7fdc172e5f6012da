"""The demo generator: invariants every page and model relies on, on a small seeded build.

One build of 3,000 customers x 14 months is shared by the module (about a second); tiny builds
check determinism, PostgreSQL and the bulk writer. The shape checks use wide bands: they catch a
generator that lost its realism (no concentration, no seasons, no dormant accounts), not noise.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from analytics import rules, tiers
from catalogue import metrics
from data_access import bulk, schema, settings
from data_access.demo import build_demo
from data_access.warehouse import Warehouse
from tests.conftest import TEST_CUSTOMERS_PER_BRANCH

AS_OF = dt.date(2026, 4, 1)
MONTHS = 14
CUSTOMERS = 3_000


def _build(path: Path, customers: int, months: int, seed: int) -> Path:
    build_demo(
        Warehouse(f"duckdb:///{path}"),
        customers=customers,
        months=months,
        seed=seed,
        as_of=AS_OF,
        progress=False,
        customers_per_branch=TEST_CUSTOMERS_PER_BRANCH,
    )
    return path


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    path = _build(tmp_path_factory.mktemp("demo") / "w.duckdb", CUSTOMERS, MONTHS, seed=7)
    conn = duckdb.connect(str(path), read_only=True)
    yield conn
    conn.close()


def _df(conn: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    # A cursor per query: a failing query must not leave the shared connection unusable.
    with conn.cursor() as cursor:
        return cursor.sql(sql).df()


def _count(conn: duckdb.DuckDBPyConnection, sql: str) -> int:
    return int(conn.execute(sql).fetchone()[0])


# ------------------------------------------------------------------ completeness and keys


@pytest.mark.parametrize("table", [t.name for t in schema.SOURCE_TABLES] + ["meta_warehouse"])
def test_every_table_has_rows(db, table):
    assert _count(db, f"SELECT count(*) FROM {table}") > 0


def test_meta_row_describes_the_build(db):
    meta = _df(db, "SELECT * FROM meta_warehouse")
    assert len(meta) == 1
    row = meta.iloc[0]
    assert row.source == "demo" and bool(row.is_demo)
    assert row.count_customers == CUSTOMERS and row.seed == 7
    assert pd.Timestamp(row.as_of_month).date() == AS_OF
    assert pd.Timestamp(row.first_month).date() == dt.date(2025, 3, 1)
    assert len(row.version_id) == 32


REFERENCES = [
    ("fact_customer_month", "customer_id", "dim_customer", "customer_id"),
    ("fact_customer_month", "branch_id", "dim_branch", "branch_id"),
    ("fact_customer_month", "rm_staff_id", "dim_staff", "staff_id"),
    ("fact_product_holding", "customer_id", "dim_customer", "customer_id"),
    ("fact_product_holding", "product_id", "dim_product", "product_id"),
    ("fact_product_holding", "branch_id", "dim_branch", "branch_id"),
    ("fact_product_sale", "staff_id", "dim_staff", "staff_id"),
    ("fact_product_sale", "customer_id", "dim_customer", "customer_id"),
    ("fact_product_sale", "branch_id", "dim_branch", "branch_id"),
    ("fact_vip_service_use", "customer_id", "dim_customer", "customer_id"),
    ("fact_6s_inspection", "branch_id", "dim_branch", "branch_id"),
    ("fact_service_quality_month", "branch_id", "dim_branch", "branch_id"),
    ("fact_target", "branch_id", "dim_branch", "branch_id"),
    ("fact_target", "staff_id", "dim_staff", "staff_id"),
    ("dim_customer", "household_id", "dim_household", "household_id"),
    ("dim_customer", "employer_id", "dim_partner_employer", "employer_id"),
    ("dim_customer", "rm_staff_id", "dim_staff", "staff_id"),
    ("dim_staff", "branch_id", "dim_branch", "branch_id"),
    ("dim_branch", "cooperative_id", "dim_cooperative", "cooperative_id"),
    ("dim_product", "exclusive_employer_id", "dim_partner_employer", "employer_id"),
]


@pytest.mark.parametrize(("child", "column", "parent", "key"), REFERENCES)
def test_references_resolve(db, child, column, parent, key):
    orphans = _count(
        db,
        f"SELECT count(*) FROM {child} c WHERE c.{column} IS NOT NULL "
        f"AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE p.{key} = c.{column})",
    )
    assert orphans == 0


def test_fact_rows_keep_to_the_branch_of_the_customer(db):
    assert (
        _count(
            db,
            """
        SELECT count(*) FROM fact_customer_month f JOIN dim_customer d USING (customer_id)
        WHERE f.branch_id <> d.branch_id""",
        )
        == 0
    )


# ------------------------------------------------------------------ money


def test_aum_is_the_sum_of_the_asset_classes(db):
    parts = " + ".join(rules.ASSET_COLUMNS)
    assert (
        _count(
            db, f"SELECT count(*) FROM fact_customer_month WHERE abs(aum_rmb - ({parts})) > 0.01"
        )
        == 0
    )


def test_amounts_are_never_negative(db):
    columns = [
        *rules.ASSET_COLUMNS,
        "aum_rmb",
        "aum_avg_rmb",
        "loan_rmb",
        "inflow_rmb",
        "outflow_rmb",
        "transfer_out_other_bank_rmb",
        *rules.SPEND_COLUMNS,
    ]
    negative = " OR ".join(f"{c} < 0" for c in columns)
    assert _count(db, f"SELECT count(*) FROM fact_customer_month WHERE {negative}") == 0


def test_flows_explain_the_change_in_assets(db):
    frame = _df(
        db,
        """
        SELECT f.aum_rmb - coalesce(p.aum_rmb, 0) AS change, f.inflow_rmb - f.outflow_rmb AS net,
               f.transfer_out_other_bank_rmb AS transfer, f.outflow_rmb AS outflow,
               """
        + " + ".join(f"f.{c}" for c in rules.SPEND_COLUMNS)
        + """ AS spend
        FROM fact_customer_month f
        LEFT JOIN fact_customer_month p ON p.customer_id = f.customer_id
             AND p.month_start = f.month_start - INTERVAL 1 MONTH
        WHERE p.customer_id IS NOT NULL OR f.is_new""",
    )
    assert (frame.net - frame.change).abs().max() < 0.05
    assert (frame.transfer <= frame.outflow + 0.01).all()
    assert (frame.spend <= frame.outflow + 0.05).all()


def test_closing_month_empties_the_accounts(db):
    closing = _df(db, "SELECT * FROM fact_customer_month WHERE is_closed")
    assert len(closing) > 0
    assert (closing.aum_rmb == 0).all() and (closing.count_products == 0).all()
    assert (closing.transfer_out_other_bank_rmb > 0).mean() > 0.3


# ------------------------------------------------------------------ life cycle and tiers


def test_rows_run_from_opening_to_closing_month(db):
    frame = _df(
        db,
        """
        SELECT d.customer_id, d.opened_on, d.closed_on, min(f.month_start) AS first,
               max(f.month_start) AS last, count(*) AS rows,
               count(*) FILTER (WHERE f.is_closed) AS closed_rows,
               count(*) FILTER (WHERE f.is_new) AS new_rows
        FROM dim_customer d JOIN fact_customer_month f USING (customer_id)
        GROUP BY ALL""",
    )
    month = lambda s: pd.to_datetime(s).dt.to_period("M")  # noqa: E731
    first, last = pd.Period("2025-03", "M"), pd.Period("2026-04", "M")
    opened, closed = month(frame.opened_on), month(frame.closed_on)
    assert (month(frame["first"]) == opened.where(opened > first, first)).all()
    expected_last = closed.where(closed.notna() & (closed < last), last)
    assert (month(frame["last"]) == expected_last).all()
    span = (month(frame["last"]) - month(frame["first"])).apply(lambda d: d.n) + 1
    assert (frame.rows == span).all()
    assert (frame.closed_rows == frame.closed_on.notna().astype(int)).all()
    assert (frame.new_rows == (opened >= first).astype(int)).all()
    assert _count(db, "SELECT count(*) FROM dim_customer") == CUSTOMERS


def test_tiers_follow_the_grace_rule(db):
    # On the organisation's tier basis (settings.tier_basis; the avg3 default judges the last
    # three months' daily average, so whole histories are read: every row of a picked customer).
    history = _df(
        db,
        """
        SELECT customer_id, month_start, aum_rmb, aum_avg_rmb, raw_tier_code, tier_code,
               months_below_floor
        FROM fact_customer_month WHERE customer_id % 7 = 0 OR customer_id IN
            (SELECT customer_id FROM fact_customer_month WHERE aum_rmb >= 50000)""",
    )
    derived = tiers.assign_tiers(
        history[["customer_id", "month_start", "aum_rmb", "aum_avg_rmb"]], settings.tier_basis()
    )
    ours = history.sort_values(["customer_id", "month_start"]).reset_index(drop=True)
    # Customers picked by a balance test may lack early rows: compare whole histories only.
    whole = ours.groupby("customer_id")["month_start"].transform("count") == ours.groupby(
        "customer_id"
    )["customer_id"].transform("size")
    assert whole.all()
    assert (ours.raw_tier_code == derived.raw_tier_code).all()
    assert (ours.tier_code == derived.tier_code).all()
    assert (ours.months_below_floor == derived.months_below_floor).all()
    assert (ours.tier_code != ours.raw_tier_code).any(), "the grace rule never applied"


def test_potential_customers_and_up_have_a_wealth_manager_of_their_branch(db):
    rows = _df(
        db,
        """
        SELECT f.rm_staff_id, s.role, s.branch_id = f.branch_id AS same_branch
        FROM fact_customer_month f LEFT JOIN dim_staff s ON s.staff_id = f.rm_staff_id
        WHERE f.aum_rmb >= 50000""",
    )
    assert rows.rm_staff_id.notna().all()
    assert (rows.role == "wealth_manager").all() and rows.same_branch.all()
    current = _df(
        db,
        """
        SELECT d.rm_staff_id AS dim_rm, f.rm_staff_id AS fact_rm
        FROM dim_customer d JOIN fact_customer_month f USING (customer_id)
        WHERE f.month_start = (SELECT max(month_start) FROM fact_customer_month g
                               WHERE g.customer_id = d.customer_id)""",
    )
    assert current.dim_rm.fillna(-1).eq(current.fact_rm.fillna(-1)).all()


# ------------------------------------------------------------------ holdings


@pytest.mark.parametrize(
    ("column", "category"),
    [
        ("wealth_rmb", "wealth"),
        ("time_deposit_rmb", "time_deposit"),
        ("fund_rmb", "fund"),
        ("insurance_rmb", "insurance"),
        ("bond_rmb", "bond"),
        ("loan_rmb", "loan"),
    ],
)
def test_balances_come_with_a_holding(db, column, category):
    missing = _count(
        db,
        f"""
        SELECT count(*) FROM fact_customer_month f WHERE f.{column} > 0 AND NOT EXISTS (
            SELECT 1 FROM fact_product_holding h JOIN dim_product p USING (product_id)
            WHERE h.customer_id = f.customer_id AND p.category = '{category}'
              AND h.opened_on < f.month_start + INTERVAL 1 MONTH
              AND (h.closed_on IS NULL OR h.closed_on >= f.month_start + INTERVAL 1 MONTH))""",
    )
    assert missing == 0


def test_large_cds_are_the_time_deposits_held_as_a_large_cd_at_month_end(db):
    """large_cd_rmb is the month's time deposits exactly when the time deposit held at the month
    end is a 大额存单 product, and 0 otherwise; so are its daily average and interest."""
    wrong = _count(
        db,
        """
        SELECT count(*) FROM fact_customer_month f
        WHERE (f.large_cd_rmb > 0) <> EXISTS (
            SELECT 1 FROM fact_product_holding h JOIN dim_product p USING (product_id)
            WHERE h.customer_id = f.customer_id AND p.product_code LIKE 'CD-%'
              AND h.opened_on < f.month_start + INTERVAL 1 MONTH
              AND (h.closed_on IS NULL OR h.closed_on >= f.month_start + INTERVAL 1 MONTH))
           OR (f.large_cd_rmb > 0 AND (f.large_cd_rmb <> f.time_deposit_rmb
               OR f.large_cd_avg_rmb <> f.time_deposit_avg_rmb
               OR f.large_cd_interest_rmb <> f.time_deposit_interest_rmb))
           OR (f.large_cd_rmb = 0 AND (f.large_cd_avg_rmb <> 0 OR f.large_cd_interest_rmb <> 0))
        """,
    )
    assert wrong == 0
    assert _count(db, "SELECT count(*) FROM fact_customer_month WHERE large_cd_rmb > 0") > 0


def test_daily_averages_add_up_and_interest_follows_the_rates(db):
    """Deposits' daily average within financial assets'; interest = daily average x rate x days
    / 360 with the demand rate and the time rates of data_access.demo.deposits."""
    from data_access.demo import deposits

    assert (
        _count(
            db,
            "SELECT count(*) FROM fact_customer_month "
            "WHERE demand_deposit_avg_rmb + time_deposit_avg_rmb > aum_avg_rmb + 0.011",
        )
        == 0
    )
    frame = _df(
        db,
        """
        SELECT sum(demand_deposit_interest_rmb) AS i, sum(demand_deposit_avg_rmb
                   * extract(day FROM last_day(month_start))) AS b,
               sum(time_deposit_interest_rmb) AS ti,
               sum(time_deposit_avg_rmb * extract(day FROM last_day(month_start))) AS tb
        FROM fact_customer_month
        """,
    ).iloc[0]
    assert frame["i"] / frame["b"] * 360 == pytest.approx(deposits.DEMAND_RATE, rel=0.01)
    time_rate = frame["ti"] / frame["tb"] * 360
    assert min(deposits.TIME_RATES.values()) < time_rate < max(deposits.TIME_RATES.values())


def test_holdings_live_within_the_customer_relationship(db):
    outside = _count(
        db,
        """
        SELECT count(*) FROM fact_product_holding h JOIN dim_customer d USING (customer_id)
        WHERE h.opened_on < d.opened_on OR h.closed_on < h.opened_on
           OR h.closed_on > d.closed_on OR (d.closed_on IS NOT NULL AND h.closed_on IS NULL)
           OR h.closed_on >= DATE '2026-05-01'""",
    )
    assert outside == 0


def test_sales_are_holdings_opened_in_the_window_by_managers(db):
    sales = _df(
        db,
        """
        SELECT s.*, st.role, h.holding_id FROM fact_product_sale s
        JOIN dim_staff st USING (staff_id)
        LEFT JOIN fact_product_holding h ON h.customer_id = s.customer_id
             AND h.product_id = s.product_id AND h.opened_on = s.sold_on""",
    )
    assert sales.holding_id.notna().all()
    assert set(sales.role) == {"wealth_manager", "account_manager"}
    assert (sales.sold_on >= pd.Timestamp("2025-03-01")).all()


def test_term_holdings_mature_and_some_are_not_renewed(db):
    term = _df(
        db,
        """
        SELECT h.*, p.term_months FROM fact_product_holding h JOIN dim_product p USING (product_id)
        WHERE p.category = 'time_deposit'""",
    )
    assert term.maturity_on.notna().all()
    assert (term.opened_on <= term.closed_on.fillna(term.opened_on)).all()
    matured = term[term.is_renewed.notna()]
    assert 0.05 < (~matured.is_renewed.astype(bool)).mean() < 0.5
    months = (term.maturity_on.dt.to_period("M") - term.opened_on.dt.to_period("M")).apply(
        lambda d: d.n
    )
    assert (months == term.term_months).all()


def test_counts_of_products_match_holdings_at_month_end(db):
    frame = _df(
        db,
        """
        SELECT f.count_products, f.count_core_products, count(h.holding_id) AS held,
               count(DISTINCT CASE WHEN p.is_core_bundle THEN p.category END) AS core
        FROM fact_customer_month f
        LEFT JOIN fact_product_holding h ON h.customer_id = f.customer_id
             AND h.opened_on < f.month_start + INTERVAL 1 MONTH
             AND (h.closed_on IS NULL OR h.closed_on >= f.month_start + INTERVAL 1 MONTH)
        LEFT JOIN dim_product p USING (product_id)
        WHERE f.month_start = '2026-04-01' AND NOT f.is_closed
        GROUP BY f.customer_id, f.count_products, f.count_core_products""",
    )
    assert (frame.count_core_products == frame.core).mean() > 0.99
    assert (frame.count_products == frame.held).mean() > 0.99


# ------------------------------------------------------------------ branch facts


def test_six_s_inspections_cover_every_area(db):
    frame = _df(db, "SELECT * FROM fact_6s_inspection")
    per = frame.groupby("inspection_id").agg(
        areas=("area", "nunique"), branches=("branch_id", "nunique")
    )
    assert (per.areas == len(rules.SIX_S_AREAS)).all() and (per.branches == 1).all()
    scores = frame[[f"score_{code}" for code, _, _ in rules.SIX_S]]
    assert scores.min().min() >= 0 and scores.max().max() <= 100


def test_service_quality_counts_match_the_customers(db):
    merged = _df(
        db,
        """
        SELECT s.count_txn_counter AS sq, f.counter, s.count_txn_off_counter AS sq_off, f.off
        FROM fact_service_quality_month s JOIN (
            SELECT branch_id, month_start, sum(count_txn_counter) AS counter,
                   sum(count_txn_self_service + count_txn_mobile) AS off
            FROM fact_customer_month GROUP BY ALL) f USING (branch_id, month_start)""",
    )
    assert (merged.sq == merged.counter).all() and (merged.sq_off == merged.off).all()
    assert _count(db, "SELECT count(*) FROM fact_service_quality_month") == _count(
        db, "SELECT count(*) * 14 FROM dim_branch"
    )


def test_targets_cover_every_metric_for_branches_and_wealth_managers(db):
    targets = _df(db, "SELECT * FROM fact_target")
    branch = targets[targets.target_level == "branch"]
    span = _df(db, "SELECT min(month_start) AS a, max(month_start) AS b FROM fact_customer_month")
    first, last = pd.Timestamp(span.a.iloc[0]), pd.Timestamp(span.b.iloc[0])
    # Woken dormant accounts are asked for only when the December opening the last year is at
    # least 11 months after the first month (catalogue.effective: dormant after 12 quiet months).
    months_before = (last.year - 1 - first.year) * 12 + 12 - first.month
    needs_history = {"dormant_woken"} if months_before < 11 else set()
    # Every metric but the month-end growth targets, which the daily-average ones replace.
    month_end = {"aum_growth_rmb", "deposit_growth_rmb"}
    assert set(branch.metric) == set(metrics.target_codes()) - month_end - needs_history
    staff = targets[targets.target_level == "staff"]
    assert set(staff.metric) == {"aum_avg_growth_rmb", "wealth_sales_rmb"}
    roles = _df(db, "SELECT staff_id, role FROM dim_staff").set_index("staff_id").role
    assert (roles[staff.staff_id.astype(int)] == "wealth_manager").all()
    years = branch[branch.period_start.dt.month.eq(1) & branch.period_end.dt.month.eq(12)]
    assert len(years) and (years.period_end.dt.day == 31).all()


# ------------------------------------------------------------------ personal data


def test_personal_data_looks_real(db):
    people = _df(db, "SELECT * FROM dim_customer")
    ids = people.id_number
    assert ids.str.fullmatch(r"62\d{15}[\dX]").all() and ids.is_unique
    weights = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
    digits = np.array([[int(c) for c in s[:17]] for s in ids])
    check = np.array(list("10X98765432"))[(digits * weights).sum(axis=1) % 11]
    assert (check == ids.str[17].to_numpy()).all()
    assert (ids.str[6:10].astype(int) == people.birth_year).all()
    assert (ids.str[16].astype(int) % 2 == (people.gender == "M")).all()
    assert people.mobile.dropna().str.fullmatch(r"1[3589]\d{9}").all()
    assert 0.01 < people.mobile.isna().mean() < 0.2
    cards = people.card_number
    assert cards.str.fullmatch(r"62\d{17}").all() and cards.is_unique
    luhn = [
        sum(
            int(d) if i % 2 == 0 else sum(divmod(2 * int(d), 10)) for i, d in enumerate(reversed(c))
        )
        % 10
        for c in cards
    ]
    assert not any(luhn)
    assert people.full_name.str.len().between(2, 4).all()


# ------------------------------------------------------------------ realism


@pytest.fixture(scope="module")
def as_of_rows(db) -> pd.DataFrame:
    return _df(
        db, "SELECT * FROM fact_customer_month WHERE month_start = '2026-04-01' AND NOT is_closed"
    )


def test_assets_are_concentrated_with_a_quarter_near_zero(as_of_rows):
    aum = np.sort(as_of_rows.aum_rmb.to_numpy())[::-1]
    assert 0.18 < (aum < 100).mean() < 0.35
    assert aum[: int(len(aum) * 0.02)].sum() / aum.sum() > 0.40
    assert 3_000 < np.median(aum[aum >= 100]) < 12_000
    assert 12_000 < aum.mean() < 40_000


def test_tier_shares_are_roughly_the_facts(as_of_rows):
    shares = as_of_rows.tier_code.value_counts(normalize=True)
    assert 0.85 < shares["mass"] < 0.95
    assert 0.04 < shares["potential"] < 0.12
    assert 0.005 < shares.get("affluent", 0) < 0.04


def test_occupations_and_ages_follow_the_facts(db):
    people = _df(db, "SELECT occupation, birth_year FROM dim_customer")
    share = people.occupation.value_counts(normalize=True)
    assert 0.28 < share["farmer"] < 0.42 and 0.15 < share["migrant_worker"] < 0.28
    assert 0.01 < share["student"] < 0.07
    assert set(share.index) == {code for code, _, _ in rules.OCCUPATIONS}
    over_60 = (AS_OF.year - people.birth_year > 60).mean()
    assert 0.18 < over_60 < 0.35


def test_spring_festival_brings_money_in(db):
    totals = _df(
        db,
        """
        SELECT f.month_start, sum(f.aum_rmb) AS aum,
               sum(f.aum_rmb) FILTER (WHERE d.occupation = 'migrant_worker') AS migrant
        FROM fact_customer_month f JOIN dim_customer d USING (customer_id) GROUP BY 1""",
    ).set_index("month_start")
    december, february = totals.loc["2025-12-01"], totals.loc["2026-02-01"]
    assert february.aum > december.aum
    # Migrant workers bring the year's wages home for the Spring Festival.
    assert february.migrant > december.migrant * 1.05


def test_churn_dormancy_and_penetration_are_plausible(db, as_of_rows):
    closed = _count(db, "SELECT count(*) FROM fact_customer_month WHERE is_closed")
    open_at_start = _count(
        db,
        "SELECT count(*) FROM fact_customer_month "
        "WHERE month_start = '2025-03-01' AND NOT is_closed",
    )
    # Most leavers keep the passbook with a few yuan in it (data_access/demo/leaving.py).
    left = _count(
        db,
        """
        SELECT count(*) FROM (
            SELECT customer_id FROM fact_customer_month GROUP BY 1
            HAVING NOT bool_or(is_closed) AND max(aum_rmb) >= 1000
                AND arg_max(aum_rmb, month_start) < 100)""",
    )
    annual = closed / open_at_start * 12 / MONTHS
    assert 0.015 < annual < 0.05
    assert 0.04 < (closed + left) / open_at_start * 12 / MONTHS < 0.13
    dormant = _df(
        db,
        """
        SELECT customer_id, bool_or(is_active) AS active FROM fact_customer_month
        WHERE month_start > DATE '2026-04-01' - INTERVAL 6 MONTH
        GROUP BY 1 HAVING NOT bool_or(is_closed)""",
    )
    assert 0.2 < (~dormant.active).mean() < 0.35
    mobile = (as_of_rows.count_txn_mobile > 0) | (as_of_rows.count_mobile_logins > 0)
    assert 0.25 < mobile.mean() < 0.55
    assert 0.1 < (as_of_rows.loan_rmb > 0).mean() < 0.22
    assert 0.02 < (as_of_rows.wealth_rmb > 0).mean() < 0.08


def test_churners_drift_before_they_close_but_not_all_of_them(db):
    frame = _df(
        db,
        """
        WITH c AS (SELECT customer_id, month_start AS closed FROM fact_customer_month
                   WHERE is_closed AND month_start >= '2025-10-01')
        SELECT c.customer_id,
            avg(f.aum_rmb) FILTER (WHERE f.month_start = c.closed - INTERVAL 1 MONTH) AS last,
            avg(f.aum_rmb) FILTER (WHERE f.month_start BETWEEN c.closed - INTERVAL 7 MONTH
                                   AND c.closed - INTERVAL 6 MONTH) AS before,
            sum(f.count_txn_counter + f.count_txn_self_service + f.count_txn_mobile)
                FILTER (WHERE f.month_start = c.closed - INTERVAL 1 MONTH) AS txn_last
        FROM c JOIN fact_customer_month f USING (customer_id) GROUP BY c.customer_id""",
    )
    frame = frame[frame.before > 1_000]
    ratio = frame["last"] / frame.before
    assert len(frame) > 20
    assert 0.3 < (ratio < 0.6).mean() < 0.9  # most drift down, some leave abruptly
    assert (ratio > 0.8).mean() > 0.05


# ------------------------------------------------------------------ determinism


def _tables(path: Path) -> dict[str, pd.DataFrame]:
    conn = duckdb.connect(str(path), read_only=True)
    try:
        return {
            name: conn.sql(f"SELECT * FROM {name} ORDER BY ALL").df()
            for name in (
                "dim_customer",
                "fact_customer_month",
                "fact_product_holding",
                "fact_target",
                "fact_6s_inspection",
            )
        }
    finally:
        conn.close()


def test_same_seed_same_tables_other_seed_other_tables(tmp_path):
    first = _tables(_build(tmp_path / "a.duckdb", 1_200, 6, seed=3))
    again = _tables(_build(tmp_path / "b.duckdb", 1_200, 6, seed=3))
    other = _tables(_build(tmp_path / "c.duckdb", 1_200, 6, seed=4))
    for name, frame in first.items():
        pd.testing.assert_frame_equal(frame, again[name], obj=name)
    assert not first["fact_customer_month"].equals(other["fact_customer_month"])
    assert not first["dim_customer"].equals(other["dim_customer"])


# ------------------------------------------------------------------ bulk writer and PostgreSQL


_ROUND_TRIP = sa.Table(
    "bulk_round_trip",
    sa.MetaData(),
    sa.Column("id", sa.BigInteger),
    sa.Column("day", sa.Date),
    sa.Column("flag", sa.Boolean),
    sa.Column("label", sa.String(8)),
    sa.Column("amount", sa.Double),
)


def _round_trip(engine: sa.Engine) -> list[dict]:
    bulk.create_tables(engine, [_ROUND_TRIP])
    frame = pd.DataFrame(
        {
            "id": pd.array([1, 2, None], dtype="Int64"),
            "day": [dt.date(2026, 1, 31), None, dt.date(2024, 2, 29)],
            "flag": pd.array([True, None, False], dtype="boolean"),
            "label": ["甲", None, 'c,"d'],
            "amount": [1.25, np.nan, 1e12 + 0.01],
        }
    )
    assert bulk.write_frame(engine, _ROUND_TRIP, frame) == 3
    with engine.connect() as conn:
        return [dict(row) for row in conn.execute(sa.select(_ROUND_TRIP)).mappings()]


def _check_round_trip(back: list[dict]) -> None:
    rows = sorted(back, key=lambda row: -1.0 if row["amount"] is None else row["amount"])
    assert rows[0]["id"] == 2 and rows[0]["day"] is None and rows[0]["flag"] is None
    assert rows[0]["label"] is None and rows[0]["amount"] is None
    assert rows[1] == {
        "id": 1,
        "day": dt.date(2026, 1, 31),
        "flag": True,
        "label": "甲",
        "amount": 1.25,
    }
    assert rows[2]["id"] is None and rows[2]["label"] == 'c,"d'
    assert rows[2]["day"] == dt.date(2024, 2, 29) and rows[2]["amount"] == 1e12 + 0.01


def test_bulk_writer_keeps_types_and_nulls_on_duckdb(tmp_path):
    engine = sa.create_engine(f"duckdb:///{tmp_path / 'bulk.duckdb'}")
    try:
        _check_round_trip(_round_trip(engine))
    finally:
        engine.dispose()


@pytest.mark.pg
def test_bulk_writer_and_demo_on_postgresql(pg_url, pg_schema):
    base = sa.create_engine(pg_url)
    try:
        with base.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{pg_schema}"'))
        engine = base.execution_options(schema_translate_map={None: pg_schema})
        _check_round_trip(_round_trip(engine))
        with base.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{pg_schema}" CASCADE'))
    finally:
        base.dispose()
    warehouse = Warehouse(pg_url, pg_schema=pg_schema)
    summary = build_demo(warehouse, customers=1_000, months=6, seed=5, as_of=AS_OF, progress=False)
    reader = warehouse.reader()
    try:
        with reader.connect() as conn:
            count = conn.execute(
                sa.select(sa.func.count()).select_from(schema.fact_customer_month)
            ).scalar()
            closed = conn.execute(
                sa.select(sa.func.count())
                .select_from(schema.dim_customer)
                .where(schema.dim_customer.c.closed_on.is_not(None))
            ).scalar()
    finally:
        reader.dispose()
    assert count == summary["rows"]["fact_customer_month"] > 0
    assert closed > 0
