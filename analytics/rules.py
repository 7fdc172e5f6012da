"""Business rules kept in one place: tiers, the grace rule, asset classes, core products.

Every page, the demo generator, refresh and the analytics read these values from here, so a
cooperative that draws its tiers differently changes one file (documented in docs/rules.md).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tier:
    """A customer tier by financial assets (客户分层); ``floor_rmb`` is inclusive."""

    code: str
    rank: int
    floor_rmb: float
    name_en: str
    name_zh: str


# Ordered from lowest to highest. A customer belongs to the highest tier whose floor they reach.
TIERS: tuple[Tier, ...] = (
    Tier("mass", 0, 0.0, "Mass", "大众客户"),
    Tier("potential", 1, 50_000.0, "Potential", "潜力客户"),
    Tier("affluent", 2, 200_000.0, "Affluent", "富裕客户"),
    Tier("vip", 3, 1_000_000.0, "VIP", "贵宾客户"),
    Tier("private", 4, 6_000_000.0, "Private banking", "私人银行客户"),
)
TIER_BY_CODE: dict[str, Tier] = {t.code: t for t in TIERS}
TIER_CODES: tuple[str, ...] = tuple(t.code for t in TIERS)

# The seed article's threshold for VIP value-added services (贵宾增值服务): assets >= 1,000,000 RMB.
VIP_THRESHOLD_RMB: float = 1_000_000.0

# Grace rule for downgrades (降级宽限), as Chinese banks run it: upgrades take effect at once. A
# customer whose month-end assets fall below their tier's floor keeps the tier: the first months
# are "grace", after WATCH_AFTER_MONTHS consecutive months below the floor the customer is on
# "watch" (a downgrade warning for the relationship manager), and after DOWNGRADE_AFTER_MONTHS
# consecutive months below it the customer is downgraded to the tier their assets then reach.
WATCH_AFTER_MONTHS: int = 3
DOWNGRADE_AFTER_MONTHS: int = 6
GRACE_STATES: tuple[str, ...] = ("none", "grace", "watch")


@dataclass(frozen=True)
class AssetClass:
    """A class of financial assets (金融资产); loans are not assets."""

    code: str
    column: str
    name_en: str
    name_zh: str


ASSET_CLASSES: tuple[AssetClass, ...] = (
    AssetClass("demand_deposit", "demand_deposit_rmb", "Demand deposits", "活期存款"),
    AssetClass("time_deposit", "time_deposit_rmb", "Time deposits", "定期存款"),
    AssetClass("wealth", "wealth_rmb", "Wealth management", "理财产品"),
    AssetClass("fund", "fund_rmb", "Funds", "基金"),
    AssetClass("insurance", "insurance_rmb", "Agency insurance", "代理保险"),
    AssetClass("bond", "bond_rmb", "Bonds", "债券"),
)
ASSET_COLUMNS: tuple[str, ...] = tuple(a.column for a in ASSET_CLASSES)

# The five-core-product bundle (五花大绑): product categories whose holding counts towards it.
CORE_PRODUCT_CATEGORIES: tuple[str, ...] = (
    "debit_card",
    "mobile_banking",
    "payroll",
    "wealth",
    "insurance",
)

# Card spending categories (消费习惯); each is a column ``spend_<code>_rmb`` in fact_customer_month.
SPEND_CATEGORIES: tuple[tuple[str, str, str], ...] = (
    ("daily", "Daily necessities", "日常消费"),
    ("farm", "Farm inputs", "农资"),
    ("education", "Education", "教育"),
    ("health", "Health care", "医疗"),
    ("travel", "Travel and dining", "出行餐饮"),
    ("online", "Online shopping", "网购"),
)
SPEND_COLUMNS: tuple[str, ...] = tuple(f"spend_{code}_rmb" for code, _, _ in SPEND_CATEGORIES)

# A customer is active in a month with at least one customer-initiated transaction (any channel).
ACTIVE_MIN_TRANSACTIONS: int = 1

BRANCH_TYPES: tuple[tuple[str, str, str], ...] = (
    ("county_town", "County town", "县城网点"),
    ("township", "Township", "乡镇网点"),
    ("community", "City / community", "城区社区网点"),
)

OCCUPATIONS: tuple[tuple[str, str, str], ...] = (
    ("farmer", "Farmer / herder", "农牧民"),
    ("migrant_worker", "Migrant worker", "外出务工人员"),
    ("business_owner", "Private business owner", "个体工商户"),
    ("enterprise_staff", "Enterprise employee", "企业职工"),
    ("civil_servant", "Civil servant / teacher", "公务员及教师"),
    ("retiree", "Retiree", "退休人员"),
    ("student", "Student", "学生"),
    ("other", "Other", "其他"),
)

INDUSTRY_CLASSES: tuple[tuple[str, str, str], ...] = (
    ("agriculture", "Agriculture and herding", "农林牧渔"),
    ("trade", "Wholesale and retail", "批发零售"),
    ("catering", "Catering and lodging", "住宿餐饮"),
    ("transport", "Transport and logistics", "交通物流"),
    ("construction", "Construction", "建筑业"),
    ("manufacturing", "Processing and manufacturing", "加工制造"),
    ("services", "Resident services", "居民服务"),
)

RISK_GRADES: tuple[str, ...] = ("C1", "C2", "C3", "C4", "C5")
PRODUCT_RISK_GRADES: tuple[str, ...] = ("R1", "R2", "R3", "R4", "R5")

STAFF_ROLES: tuple[tuple[str, str, str], ...] = (
    ("teller", "Teller", "柜员"),
    ("account_manager", "Account manager", "客户经理"),
    ("wealth_manager", "Wealth manager", "理财经理"),
    ("branch_head", "Branch head", "网点负责人"),
)

SIX_S: tuple[tuple[str, str, str], ...] = (
    ("sort", "Sort", "整理"),
    ("set_in_order", "Set in order", "整顿"),
    ("shine", "Shine", "清扫"),
    ("standardise", "Standardise", "清洁"),
    ("safety", "Safety", "安全"),
    ("self_discipline", "Self-discipline", "素养"),
)
SIX_S_AREAS: tuple[tuple[str, str, str], ...] = (
    ("cash", "Cash area", "现金区"),
    ("low_counter", "Low counter", "低柜区"),
    ("lobby", "Lobby", "大堂"),
    ("self_service", "Self-service area", "自助区"),
)

VIP_SERVICES: tuple[tuple[str, str, str], ...] = (
    ("airport_lounge", "Airport lounge", "机场贵宾厅"),
    ("roadside_rescue", "Roadside rescue", "道路救援"),
    ("hospital_guidance", "Hospital guidance", "医院导诊"),
    ("health_checkup", "Health check-up", "健康体检"),
)


def tier_for_assets(aum_rmb: float) -> str:
    """The tier code a balance reaches, ignoring the grace rule."""
    code = TIERS[0].code
    for tier in TIERS:
        if aum_rmb >= tier.floor_rmb:
            code = tier.code
    return code
