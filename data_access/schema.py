"""The warehouse contract as SQLAlchemy Core tables: one definition for DuckDB and PostgreSQL.

Every table and column is documented in docs/warehouse.md (a test keeps the two in step). Ids
are assigned by the producer (generator or loader), never by the database: DuckDB has no SERIAL.
Money is in RMB (``*_rmb``, double precision, rounded to the fen), months are the first day of
the month (``month_start``).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Double,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
)

from analytics import rules
from catalogue import metrics

metadata = MetaData()


def _id(name: str, **kw) -> Column:
    return Column(name, BigInteger, autoincrement=False, **kw)


def _money(name: str, nullable: bool = False) -> Column:
    return Column(name, Double, nullable=nullable)


# ---------------------------------------------------------------- organisation
dim_prefecture = Table(
    "dim_prefecture",
    metadata,
    _id("prefecture_id", primary_key=True),
    Column("name_en", String(64), nullable=False),
    Column("name_zh", String(64), nullable=False),
    Column("population_10k", Double),
)

dim_cooperative = Table(
    "dim_cooperative",
    metadata,
    _id("cooperative_id", primary_key=True),
    _id("prefecture_id", nullable=False),
    Column("name_en", String(96), nullable=False),
    Column("name_zh", String(96), nullable=False),
    Column("legal_form", String(32), nullable=False),
)

dim_branch = Table(
    "dim_branch",
    metadata,
    _id("branch_id", primary_key=True),
    _id("cooperative_id", nullable=False),
    _id("prefecture_id", nullable=False),
    Column("name_en", String(96), nullable=False),
    Column("name_zh", String(96), nullable=False),
    Column("branch_type", String(16), nullable=False),
    Column("opened_on", Date, nullable=False),
    Column("count_staff", Integer, nullable=False),
)

dim_staff = Table(
    "dim_staff",
    metadata,
    _id("staff_id", primary_key=True),
    _id("branch_id", nullable=False),
    Column("full_name", String(32), nullable=False),
    Column("role", String(24), nullable=False),
    Column("hongyan_level", SmallInteger),
    Column("hired_on", Date, nullable=False),
    Column("previous_role", String(24)),
    Column("role_since", Date, nullable=False),
)

dim_partner_employer = Table(
    "dim_partner_employer",
    metadata,
    _id("employer_id", primary_key=True),
    _id("branch_id", nullable=False),
    Column("name_en", String(96), nullable=False),
    Column("name_zh", String(96), nullable=False),
    Column("industry_class", String(24), nullable=False),
    Column("count_employees", Integer, nullable=False),
)

dim_household = Table(
    "dim_household",
    metadata,
    _id("household_id", primary_key=True),
    _id("branch_id", nullable=False),
    Column("is_farm_household", Boolean, nullable=False),
    Column("village_zh", String(64), nullable=False),
)

dim_customer = Table(
    "dim_customer",
    metadata,
    _id("customer_id", primary_key=True),
    _id("branch_id", nullable=False),
    _id("rm_staff_id"),
    _id("household_id", nullable=False),
    _id("employer_id"),
    Column("gender", String(1), nullable=False),
    Column("birth_year", SmallInteger, nullable=False),
    Column("occupation", String(24), nullable=False),
    Column("industry_class", String(24)),
    Column("risk_grade", String(2)),
    Column("risk_assessed_on", Date),
    Column("opened_on", Date, nullable=False),
    Column("closed_on", Date),
    Column("full_name", String(32), nullable=False),
    Column("id_number", String(18), nullable=False),
    Column("mobile", String(11)),
    Column("card_number", String(19), nullable=False),
)

# ---------------------------------------------------------------- products
dim_product = Table(
    "dim_product",
    metadata,
    _id("product_id", primary_key=True),
    Column("product_code", String(32), nullable=False, unique=True),
    Column("name_en", String(96), nullable=False),
    Column("name_zh", String(96), nullable=False),
    Column("category", String(24), nullable=False),
    Column("asset_class", String(24)),
    Column("risk_grade", String(2)),
    Column("term_months", SmallInteger),
    Column("is_core_bundle", Boolean, nullable=False),
    _id("exclusive_employer_id"),
)

# ---------------------------------------------------------------- facts
_asset_columns = [_money(col) for col in rules.ASSET_COLUMNS]
_spend_columns = [_money(col) for col in rules.SPEND_COLUMNS]
# The deposit lines' daily averages and interest paid, and the 大额存单 month-end balance (the
# demand and time month-end balances are asset-class columns; savings deposits are their sum).
FACT_DEPOSIT_COLUMNS: tuple[str, ...] = tuple(
    c for c in metrics.balance_columns(metrics.DEPOSIT_MEASURES[1:]) if c not in rules.ASSET_COLUMNS
)
# The marts carry them summed, with the savings-deposit totals and the AUM daily average.
MART_DEPOSIT_COLUMNS: tuple[str, ...] = tuple(
    c
    for c in metrics.balance_columns((*metrics.DEPOSIT_MEASURES, metrics.AUM_MEASURE))
    if c not in rules.ASSET_COLUMNS and c != "aum_rmb"
)

fact_customer_month = Table(
    "fact_customer_month",
    metadata,
    _id("customer_id", nullable=False),
    Column("month_start", Date, nullable=False),
    _id("branch_id", nullable=False),
    _id("rm_staff_id"),
    *_asset_columns,
    _money("aum_rmb"),
    _money("aum_avg_rmb"),
    *[_money(col) for col in FACT_DEPOSIT_COLUMNS],
    _money("loan_rmb"),
    Column("count_txn_counter", Integer, nullable=False),
    Column("count_txn_self_service", Integer, nullable=False),
    Column("count_txn_mobile", Integer, nullable=False),
    Column("count_mobile_logins", Integer, nullable=False),
    _money("inflow_rmb"),
    _money("outflow_rmb"),
    _money("transfer_out_other_bank_rmb"),
    *_spend_columns,
    Column("count_products", SmallInteger, nullable=False),
    Column("count_core_products", SmallInteger, nullable=False),
    Column("raw_tier_code", String(16), nullable=False),
    Column("tier_code", String(16), nullable=False),
    Column("months_below_floor", SmallInteger, nullable=False),
    Column("is_active", Boolean, nullable=False),
    Column("is_new", Boolean, nullable=False),
    Column("is_closed", Boolean, nullable=False),
    PrimaryKeyConstraint("customer_id", "month_start"),
)

# PostgreSQL only: most pages read one month (or a window of months) of customers, optionally one
# branch; the primary key leads with customer_id. DuckDB skips row groups by month without it.
Index(
    "ix_fact_customer_month_month",
    fact_customer_month.c.month_start,
    fact_customer_month.c.branch_id,
).ddl_if(dialect="postgresql")

fact_product_holding = Table(
    "fact_product_holding",
    metadata,
    _id("holding_id", primary_key=True),
    _id("customer_id", nullable=False),
    _id("product_id", nullable=False),
    _id("branch_id", nullable=False),
    Column("opened_on", Date, nullable=False),
    Column("closed_on", Date),
    Column("maturity_on", Date),
    _money("amount_rmb"),
    Column("is_renewed", Boolean),
)

# PostgreSQL only: one customer's holdings (the customer view) and the holdings of a few
# products (payroll, an employer's exclusive products) without reading millions of holdings.
Index("ix_fact_product_holding_customer", fact_product_holding.c.customer_id).ddl_if(
    dialect="postgresql"
)
Index("ix_fact_product_holding_product", fact_product_holding.c.product_id).ddl_if(
    dialect="postgresql"
)

fact_product_sale = Table(
    "fact_product_sale",
    metadata,
    _id("sale_id", primary_key=True),
    _id("staff_id", nullable=False),
    _id("branch_id", nullable=False),
    _id("customer_id", nullable=False),
    _id("product_id", nullable=False),
    Column("sold_on", Date, nullable=False),
    Column("month_start", Date, nullable=False),
    _money("amount_rmb"),
    _money("fee_income_rmb"),
)

fact_6s_inspection = Table(
    "fact_6s_inspection",
    metadata,
    _id("inspection_id", nullable=False),
    Column("area", String(16), nullable=False),
    _id("branch_id", nullable=False),
    Column("inspected_on", Date, nullable=False),
    Column("quarter_start", Date, nullable=False),
    Column("inspector_name", String(32), nullable=False),
    *[Column(f"score_{code}", Double, nullable=False) for code, _, _ in rules.SIX_S],
    PrimaryKeyConstraint("inspection_id", "area"),
)

fact_service_quality_month = Table(
    "fact_service_quality_month",
    metadata,
    _id("branch_id", nullable=False),
    Column("month_start", Date, nullable=False),
    Column("satisfaction_pct", Double, nullable=False),
    Column("mystery_shopper_score", Double, nullable=False),
    Column("count_complaints", Integer, nullable=False),
    Column("avg_wait_minutes", Double, nullable=False),
    Column("count_txn_counter", BigInteger, nullable=False),
    Column("count_txn_off_counter", BigInteger, nullable=False),
    PrimaryKeyConstraint("branch_id", "month_start"),
)

fact_target = Table(
    "fact_target",
    metadata,
    _id("target_id", primary_key=True),
    Column("target_level", String(8), nullable=False),
    _id("branch_id", nullable=False),
    _id("staff_id"),
    Column("metric", String(32), nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("target_value", Double, nullable=False),
)

fact_vip_service_use = Table(
    "fact_vip_service_use",
    metadata,
    _id("use_id", primary_key=True),
    _id("customer_id", nullable=False),
    _id("branch_id", nullable=False),
    Column("service_type", String(24), nullable=False),
    Column("used_on", Date, nullable=False),
    Column("month_start", Date, nullable=False),
)

# ---------------------------------------------------------------- marts (written by refresh)
dim_month = Table(
    "dim_month",
    metadata,
    Column("month_start", Date, primary_key=True),
    Column("month_index", Integer, nullable=False),
    Column("prev_month_start", Date, nullable=False),
    Column("year_ago_month_start", Date, nullable=False),
)

mart_branch_month_tier = Table(
    "mart_branch_month_tier",
    metadata,
    _id("branch_id", nullable=False),
    Column("month_start", Date, nullable=False),
    Column("tier_code", String(16), nullable=False),
    Column("count_customers", BigInteger, nullable=False),
    Column("count_active", BigInteger, nullable=False),
    Column("count_new", BigInteger, nullable=False),
    Column("count_churned", BigInteger, nullable=False),
    Column("count_upgraded", BigInteger, nullable=False),
    Column("count_downgraded", BigInteger, nullable=False),
    Column("count_watch", BigInteger, nullable=False),
    *[_money(col) for col in rules.ASSET_COLUMNS],
    _money("aum_rmb"),
    *[_money(col) for col in MART_DEPOSIT_COLUMNS],
    _money("loan_rmb"),
    Column("count_assets_vip", BigInteger, nullable=False),
    _money("aum_change_new_rmb"),
    _money("aum_change_growth_rmb"),
    _money("aum_change_decline_rmb"),
    _money("aum_change_churned_rmb"),
    Column("count_txn_counter", BigInteger, nullable=False),
    Column("count_txn_self_service", BigInteger, nullable=False),
    Column("count_txn_mobile", BigInteger, nullable=False),
    _money("vip_aum_rmb"),
    Column("count_vip_entered", BigInteger, nullable=False),
    Column("count_vip_left", BigInteger, nullable=False),
    Column("count_wealth_holders", BigInteger, nullable=False),
    PrimaryKeyConstraint("branch_id", "month_start", "tier_code"),
)

mart_effective_month = Table(
    "mart_effective_month",
    metadata,
    _id("branch_id", nullable=False),
    Column("month_start", Date, nullable=False),
    Column("tier_code", String(16), nullable=False),
    Column("count_effective", BigInteger, nullable=False),
    Column("count_effective_new", BigInteger, nullable=False),
    Column("count_dormant", BigInteger, nullable=False),
    Column("count_dormant_woken", BigInteger, nullable=False),
    PrimaryKeyConstraint("branch_id", "month_start", "tier_code"),
)

mart_staff_month = Table(
    "mart_staff_month",
    metadata,
    _id("rm_staff_id", nullable=False),
    _id("branch_id", nullable=False),
    Column("month_start", Date, nullable=False),
    Column("count_customers", BigInteger, nullable=False),
    Column("count_vip", BigInteger, nullable=False),
    Column("count_new", BigInteger, nullable=False),
    Column("count_churned", BigInteger, nullable=False),
    _money("aum_rmb"),
    _money("aum_avg_rmb"),
    PrimaryKeyConstraint("rm_staff_id", "month_start"),
)

# Consecutive month pairs of customers, counted: per branch and tier in the earlier month, later
# month and number of products then held, how many customers were open in the earlier month and
# how many had closed by the later one (the cross-selling page's stickiness curve).
mart_stickiness = Table(
    "mart_stickiness",
    metadata,
    _id("branch_id", nullable=False),
    Column("tier_code", String(16), nullable=False),
    Column("month_start", Date, nullable=False),
    Column("measure", String(8), nullable=False),
    Column("count_held", SmallInteger, nullable=False),
    Column("count_base", BigInteger, nullable=False),
    Column("count_churned", BigInteger, nullable=False),
    PrimaryKeyConstraint("branch_id", "tier_code", "month_start", "measure", "count_held"),
)

# Customers of a month by segment (the segments page's breakdowns and card spending, the
# cross-selling core-product coverage): per breakdown dimension, segment, month, branch and tier,
# the open customers, how many were active, their AUM and card spending. ``dimension`` is one of
# data_access.segments.CUBE_DIMENSIONS; ``industry`` rows count private business owners only.
# Keyed dimension first, then month: a page reads one dimension over a month or a window.
mart_segment_month = Table(
    "mart_segment_month",
    metadata,
    Column("dimension", String(16), nullable=False),
    Column("month_start", Date, nullable=False),
    _id("branch_id", nullable=False),
    Column("tier_code", String(16), nullable=False),
    Column("segment", String(24), nullable=False),
    Column("count_customers", BigInteger, nullable=False),
    Column("count_active", BigInteger, nullable=False),
    _money("aum_rmb"),
    _money("aum_avg_rmb"),
    *[_money(col) for col in rules.SPEND_COLUMNS],
    PrimaryKeyConstraint("dimension", "month_start", "branch_id", "tier_code", "segment"),
)

# Tier matrices between a month and the month one and twelve months before it
# (analytics.segment_rules.TRANSITION_GAPS), per branch: customers of the earlier month by their
# tier then and now (``left``: closed or gone), and the later month's arrivals (from ``new``).
# The branch is the earlier month's, for arrivals the later month's.
mart_tier_transition = Table(
    "mart_tier_transition",
    metadata,
    Column("to_month", Date, nullable=False),
    Column("from_month", Date, nullable=False),
    _id("branch_id", nullable=False),
    Column("from_tier", String(16), nullable=False),
    Column("to_tier", String(16), nullable=False),
    Column("count_customers", BigInteger, nullable=False),
    _money("aum_from_rmb"),
    _money("aum_to_rmb"),
    PrimaryKeyConstraint("to_month", "from_month", "branch_id", "from_tier", "to_tier"),
)

# The customers behind mart_tier_transition's moves: one row per pair of months it holds and per
# customer of the earlier month whose tier changed or who left, with the branch and tier then.
# The movers list (largest change in AUM first) reads it instead of joining two months of every
# customer; abs_change_rmb is what it sorts by.
mart_tier_mover = Table(
    "mart_tier_mover",
    metadata,
    Column("to_month", Date, nullable=False),
    Column("from_month", Date, nullable=False),
    _id("customer_id", nullable=False),
    _id("branch_id", nullable=False),
    Column("from_tier", String(16), nullable=False),
    Column("to_tier", String(16), nullable=False),
    _money("aum_from_rmb"),
    _money("aum_to_rmb"),
    _money("abs_change_rmb"),
    PrimaryKeyConstraint("to_month", "from_month", "customer_id"),
)
# PostgreSQL only: a page of the list is the top of one pair by the size of the change.
Index(
    "ix_mart_tier_mover_change",
    mart_tier_mover.c.to_month,
    mart_tier_mover.c.from_month,
    mart_tier_mover.c.abs_change_rmb,
).ddl_if(dialect="postgresql")

# Open holdings of graded products at each month end (the suitability views), per month, branch
# and tier of the holder, the holder's risk-preference grade and the product's risk grade:
# customers holding such a product, customers for whom it is their riskiest grade held (so
# customers holding anything above their grade add up without counting anyone twice), the
# holdings and their amount.
mart_suitability = Table(
    "mart_suitability",
    metadata,
    Column("month_start", Date, nullable=False),
    _id("branch_id", nullable=False),
    Column("tier_code", String(16), nullable=False),
    Column("customer_grade", String(16), nullable=False),
    Column("product_grade", String(2), nullable=False),
    Column("count_holders", BigInteger, nullable=False),
    Column("count_top_grade", BigInteger, nullable=False),
    Column("count_holdings", BigInteger, nullable=False),
    _money("amount_rmb"),
    PrimaryKeyConstraint(
        "month_start", "branch_id", "tier_code", "customer_grade", "product_grade"
    ),
)

# The holdings above their holder's risk-preference grade at each month end (the suitability
# list), one row per month and holding, with the holder's branch and tier that month: a few
# thousand a month where the holdings are millions, so the list reads this instead of joining
# every open holding to the month's customers. Names and grades are joined at read time.
mart_mismatched_holding = Table(
    "mart_mismatched_holding",
    metadata,
    Column("month_start", Date, nullable=False),
    _id("holding_id", nullable=False),
    _id("customer_id", nullable=False),
    _id("branch_id", nullable=False),
    Column("tier_code", String(16), nullable=False),
    _id("product_id", nullable=False),
    _money("amount_rmb"),
    Column("opened_on", Date, nullable=False),
    PrimaryKeyConstraint("month_start", "holding_id"),
)

# The province's Pareto curve per month: the open customers ranked by AUM (largest first, ties by
# id) cut into analytics.segment_rules.PARETO_BUCKETS equal slices, exactly as
# data_access.segments.pareto_buckets cuts them. Whole-province rows without a branch: only roles
# that see the whole warehouse read them; any filter or narrower scope ranks its customers live.
mart_pareto = Table(
    "mart_pareto",
    metadata,
    Column("month_start", Date, nullable=False),
    Column("bucket", SmallInteger, nullable=False),
    Column("count_customers", BigInteger, nullable=False),
    _money("aum_rmb"),
    _money("min_aum_rmb"),
    _money("max_aum_rmb"),
    PrimaryKeyConstraint("month_start", "bucket"),
)

# The province's customer groups (客群) of the latest analytics.segment_rules.CLUSTER_STORED_MONTHS
# months, fitted at refresh on the same deterministic sample and totalled with the same statements
# as data_access.customer_groups does live. Whole-province rows without a branch: only roles that
# see the whole warehouse read them, without filters; everything else is fitted live.
# The fitted model: per group and feature the centre (standardised units) and the scaler's mean
# and scale (the same for every group of a month).
mart_group_centre = Table(
    "mart_group_centre",
    metadata,
    Column("month_start", Date, nullable=False),
    Column("group_id", SmallInteger, nullable=False),
    Column("feature", String(24), nullable=False),
    Column("feature_mean", Double, nullable=False),
    Column("feature_scale", Double, nullable=False),
    Column("centre", Double, nullable=False),
    PrimaryKeyConstraint("month_start", "group_id", "feature"),
)

# Per group: customers, AUM and the sums behind the cards' averages (customer_groups.group_summary).
mart_group_summary = Table(
    "mart_group_summary",
    metadata,
    Column("month_start", Date, nullable=False),
    Column("group_id", SmallInteger, nullable=False),
    Column("count_customers", BigInteger, nullable=False),
    _money("aum_rmb"),
    Column("sum_age", Double, nullable=False),
    Column("sum_mobile_share", Double, nullable=False),
    Column("sum_invest_share", Double, nullable=False),
    Column("sum_txns", BigInteger, nullable=False),
    _money("sum_loan_rmb"),
    Column("sum_core_products", BigInteger, nullable=False),
    *[_money(col) for col in rules.SPEND_COLUMNS],
    PrimaryKeyConstraint("month_start", "group_id"),
)

# Per group and product category: customers holding one at month end (group_products).
mart_group_product = Table(
    "mart_group_product",
    metadata,
    Column("month_start", Date, nullable=False),
    Column("group_id", SmallInteger, nullable=False),
    Column("category", String(24), nullable=False),
    Column("count_holders", BigInteger, nullable=False),
    PrimaryKeyConstraint("month_start", "group_id", "category"),
)

# Per group: customers of CHURN_LOOKBACK_MONTHS before assigned with the month's centres, and how
# many of them had left by the month (group_churn).
mart_group_churn = Table(
    "mart_group_churn",
    metadata,
    Column("month_start", Date, nullable=False),
    Column("group_id", SmallInteger, nullable=False),
    Column("count_base", BigInteger, nullable=False),
    Column("count_left", BigInteger, nullable=False),
    PrimaryKeyConstraint("month_start", "group_id"),
)

# One row per scored customer per scoring month, written by refresh when a trained churn model
# exists (analytics/churn, docs/churn.md); the watchlist page reads it.
mart_churn_score = Table(
    "mart_churn_score",
    metadata,
    _id("customer_id", nullable=False),
    _id("branch_id", nullable=False),
    _id("rm_staff_id"),
    Column("month_start", Date, nullable=False),
    Column("tier_code", String(16), nullable=False),
    Column("probability", Double, nullable=False),
    _money("aum_rmb"),
    _money("expected_assets_at_risk_rmb"),
    Column("score_band", String(8), nullable=False),
    Column("top_reason", String(24)),
    Column("reason_codes", String(600), nullable=False),
    Column("model_version", String(64), nullable=False),
    PrimaryKeyConstraint("customer_id", "month_start"),
)
# PostgreSQL only: the watchlist reads one month of scores (its months, its ranked page, its
# follow-up) out of several: without it each read scanned all 1.9 million rows at 1,000,000
# customers (0.1-0.25 s per query). The ranked page walks the month in its default order; the
# follow-up reads the high and medium bands, a few percent of a month's scores.
Index(
    "ix_mart_churn_score_month",
    mart_churn_score.c.month_start,
    mart_churn_score.c.expected_assets_at_risk_rmb,
).ddl_if(dialect="postgresql")
Index(
    "ix_mart_churn_score_band",
    mart_churn_score.c.month_start,
    mart_churn_score.c.score_band,
).ddl_if(dialect="postgresql")

# One row per customer, scoring month and modelled product line the customer does not hold at
# that month end, written by refresh (data_access.next_best_jobs): the cross-selling page's
# campaign lists and the customer view's suggestions read it. Refresh scores the latest month.
mart_next_best = Table(
    "mart_next_best",
    metadata,
    _id("customer_id", nullable=False),
    Column("month_start", Date, nullable=False),
    Column("target", String(24), nullable=False),
    _id("branch_id", nullable=False),
    _id("rm_staff_id"),
    Column("tier_code", String(16), nullable=False),
    _money("aum_rmb"),
    Column("probability", Double, nullable=False),
    Column("suggestion_rank", SmallInteger, nullable=False),
    Column("reason_feature", String(32), nullable=False),
    Column("reason_direction", String(8), nullable=False),
    PrimaryKeyConstraint("customer_id", "month_start", "target"),
)
# PostgreSQL only (DuckDB scans and takes the top N without them): a campaign list is the top N
# of one line in one month, for the province, a branch or a wealth manager's own customers.
for _name, _columns in (
    ("ix_mart_next_best_target", ("month_start", "target", "probability")),
    ("ix_mart_next_best_branch", ("branch_id", "month_start", "target", "probability")),
    ("ix_mart_next_best_rm", ("rm_staff_id", "month_start", "target", "probability")),
):
    Index(_name, *[mart_next_best.c[c] for c in _columns]).ddl_if(dialect="postgresql")

# One row per scoring month and modelled product line: how the propensity model refresh fitted on
# a province-wide sample ranks held-out customers (the cross-selling page's model quality).
mart_propensity_model = Table(
    "mart_propensity_model",
    metadata,
    Column("month_start", Date, nullable=False),
    Column("target", String(24), nullable=False),
    Column("has_model", Boolean, nullable=False),
    Column("auc", Double),
    Column("count_train", Integer, nullable=False),
    Column("count_test", Integer, nullable=False),
    Column("count_holders", Integer, nullable=False),
    Column("base_rate_pct", Double, nullable=False),
    Column("reason", String(16)),
    Column("model_version", String(64), nullable=False),
    PrimaryKeyConstraint("month_start", "target"),
)

# ---------------------------------------------------------------- metadata of the build
meta_warehouse = Table(
    "meta_warehouse",
    metadata,
    Column("version_id", String(40), primary_key=True),
    Column("built_at", DateTime, nullable=False),
    Column("source", String(16), nullable=False),
    Column("is_demo", Boolean, nullable=False),
    Column("first_month", Date, nullable=False),
    Column("as_of_month", Date, nullable=False),
    Column("count_customers", BigInteger, nullable=False),
    Column("seed", BigInteger),
    Column("refreshed_at", DateTime),
)

# One row per table per successful load of core-banking extracts (data_access/extracts), carried
# from version to version so the data-quality page can show the load history.
meta_load = Table(
    "meta_load",
    metadata,
    Column("load_id", String(40), nullable=False),
    Column("loaded_at", DateTime, nullable=False),
    Column("mode", String(8), nullable=False),
    Column("table_name", String(64), nullable=False),
    Column("file_name", String(128), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("rows", BigInteger, nullable=False),
    Column("rejected_rows", BigInteger, nullable=False),
    Column("as_of_month", Date, nullable=False),
    PrimaryKeyConstraint("load_id", "table_name"),
)

# Rows of every table of the version, counted as the version is built (Warehouse.build, the one
# way a version is made, after whatever wrote it): the data-quality page reads these instead of
# counting tens of millions of rows on every visit. Counts of the whole warehouse, so only roles
# that see all of it read them (no branch column: any narrower scope is denied).
meta_table_rows = Table(
    "meta_table_rows",
    metadata,
    Column("table_name", String(64), primary_key=True),
    Column("rows", BigInteger, nullable=False),
)

# Source tables come from the generator or the loader; derived tables are rebuilt by refresh.
DIM_TABLES = tuple(
    t for name, t in metadata.tables.items() if name.startswith("dim_") and t is not dim_month
)
FACT_TABLES = tuple(t for name, t in metadata.tables.items() if name.startswith("fact_"))
SOURCE_TABLES = DIM_TABLES + FACT_TABLES
MART_TABLES = (dim_month,) + tuple(
    t for name, t in metadata.tables.items() if name.startswith("mart_")
)
