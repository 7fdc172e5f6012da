"""Business rules kept in one place: tiers, the grace rule, asset classes, core products.

Every page, the demo generator, refresh and the analytics read these values from here, so a
cooperative that draws its tiers differently changes one file (documented in docs/rules.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from catalogue import codes


@dataclass(frozen=True)
class Tier:
    """A customer tier by financial assets (客户分层); ``floor_rmb`` is inclusive. Its names are
    the code list's (``catalogue.codes.TIER``)."""

    code: str
    rank: int
    floor_rmb: float

    @property
    def name_en(self) -> str:
        return codes.TIER[self.code].name_en

    @property
    def name_zh(self) -> str:
        return codes.TIER[self.code].name_zh


# The floor of each tier of catalogue.codes.TIER (lowest first). A customer belongs to the
# highest tier whose floor they reach.
TIER_FLOORS_RMB: dict[str, float] = {
    "mass": 0.0,
    "potential": 50_000.0,
    "affluent": 200_000.0,
    "vip": 1_000_000.0,
    "private": 6_000_000.0,
}
TIERS: tuple[Tier, ...] = tuple(
    Tier(code, rank, TIER_FLOORS_RMB[code]) for rank, code in enumerate(codes.TIER.codes)
)
TIER_BY_CODE: dict[str, Tier] = {t.code: t for t in TIERS}
TIER_CODES: tuple[str, ...] = tuple(t.code for t in TIERS)

# The seed article's threshold for VIP value-added services (贵宾增值服务): assets >= 1,000,000 RMB.
VIP_THRESHOLD_RMB: float = 1_000_000.0

# Grace rule for downgrades (保级期), as Chinese banks run it: upgrades take effect at once. A
# customer whose month-end assets fall below their tier's floor keeps the tier: the first months
# are "grace", after WATCH_AFTER_MONTHS consecutive months below the floor the customer is on
# "watch" (a downgrade warning for the relationship manager), and after DOWNGRADE_AFTER_MONTHS
# consecutive months below it the customer is downgraded to the tier their assets then reach.
WATCH_AFTER_MONTHS: int = 3
DOWNGRADE_AFTER_MONTHS: int = 6
GRACE_STATES: tuple[str, ...] = ("none", "grace", "watch")


@dataclass(frozen=True)
class AssetClass:
    """A class of financial assets (金融资产; loans are not assets) of
    ``catalogue.codes.ASSET_CLASS`` and its balance column."""

    code: str
    column: str
    name_en: str
    name_zh: str


ASSET_CLASSES: tuple[AssetClass, ...] = tuple(
    AssetClass(a.code, f"{a.code}_rmb", a.name_en, a.name_zh) for a in codes.ASSET_CLASS
)
ASSET_COLUMNS: tuple[str, ...] = tuple(a.column for a in ASSET_CLASSES)

# Deposits (储蓄存款, household savings deposits): demand and time deposits add up to them; large
# certificates of deposit (大额存单, from 200,000 RMB) are part of the time deposits. The lines of
# the deposits view, each with its month-end balance, daily average and interest paid, are the
# deposit measures of catalogue.metrics (DEPOSIT_MEASURES).
DEPOSIT_CLASS_COLUMNS: tuple[str, ...] = ("demand_deposit_rmb", "time_deposit_rmb")

# 存款偏离度 (deposit deviation) = month-end deposits / the month's daily average - 1. The regulator
# caps it at 4% a month (《中国银保监会办公厅关于进一步加强存款偏离度管理有关事项的通知》,
# 银保监办发〔2018〕111号: 月末存款偏离度不得超过 4%; docs/rules.md).
DEPOSIT_DEVIATION_CAP: float = 0.04
# Quarter-end months, where month-end deposit pushes concentrate (the deviation view marks them).
QUARTER_END_MONTHS: tuple[int, ...] = (3, 6, 9, 12)
# Day count of deposit interest in China: a day's interest is the annual rate / 360 (人民银行
# 《人民币利率管理规定》: 日利率 = 年利率 ÷ 360); 存款付息率 is annualised on the same basis.
INTEREST_DAY_COUNT: int = 360

# The five-core-product bundle (五花大绑): product categories whose holding counts towards it.
CORE_PRODUCT_CATEGORIES: tuple[str, ...] = tuple(
    codes.PRODUCT_CATEGORY.code(c)
    for c in ("debit_card", "mobile_banking", "payroll", "wealth", "insurance")
)

# Card spending categories (消费习惯); each is a column ``spend_<code>_rmb`` in fact_customer_month.
SPEND_CATEGORIES: tuple[tuple[str, str, str], ...] = codes.SPEND_CATEGORY.triples()
SPEND_COLUMNS: tuple[str, ...] = tuple(f"spend_{code}_rmb" for code, _, _ in SPEND_CATEGORIES)

# A customer is active in a month with at least one customer-initiated transaction (any channel).
ACTIVE_MIN_TRANSACTIONS: int = 1

BRANCH_TYPES: tuple[tuple[str, str, str], ...] = codes.BRANCH_TYPE.triples()

OCCUPATIONS: tuple[tuple[str, str, str], ...] = codes.OCCUPATION.triples()

INDUSTRY_CLASSES: tuple[tuple[str, str, str], ...] = codes.INDUSTRY_CLASS.triples()

RISK_GRADES: tuple[str, ...] = codes.RISK_GRADE.codes
# Most rural customers were never risk-assessed (未评估): no grade (dim_customer.risk_grade NULL).
# Breakdowns by risk grade file them under this code. An assessment is valid this many months
# from dim_customer.risk_assessed_on; a wealth or fund sale needs a valid one.
RISK_UNASSESSED: str = "unassessed"
RISK_ASSESSMENT_VALID_MONTHS: int = 12
PRODUCT_RISK_GRADES: tuple[str, ...] = codes.PRODUCT_RISK_GRADE.codes

STAFF_ROLES: tuple[tuple[str, str, str], ...] = codes.STAFF_ROLE.triples()

SIX_S: tuple[tuple[str, str, str], ...] = codes.SIX_S.triples()
SIX_S_AREAS: tuple[tuple[str, str, str], ...] = codes.SIX_S_AREA.triples()

VIP_SERVICES: tuple[tuple[str, str, str], ...] = codes.VIP_SERVICE.triples()


def tier_for_assets(aum_rmb: float) -> str:
    """The tier code a balance reaches, ignoring the grace rule."""
    code = TIERS[0].code
    for tier in TIERS:
        if aum_rmb >= tier.floor_rmb:
            code = tier.code
    return code
