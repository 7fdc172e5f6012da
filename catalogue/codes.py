"""Code lists: every coded value the warehouse and the app store hold, with its English and
Chinese names, declared once.

A :class:`CodeList` is one coded concept (tiers, occupations, product categories ...): its codes
in display order and the columns that hold them. Everything else derives from these lists: the
labels on screen (``ui``), the extract loader's accepted values and the warehouse data tests
(``data_access.data_tests``), the demo generator, and the rule modules of ``analytics`` (which
add their own values, such as tier floors or score-band cut-offs, to the codes named here).

Columns are written ``table.column``: ``columns`` for the warehouse, ``app_columns`` for the app
store. ``column_patterns`` are columns named after each code (``spend_{code}_rmb``). Adding a
code is one line here; adding a list is one :class:`CodeList` here, listed in ``CODE_LISTS``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    """One coded value: what is stored (``code``) and what is shown (``name_en``, ``name_zh``)."""

    code: str
    name_en: str
    name_zh: str

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en


@dataclass(frozen=True)
class CodeList:
    """A coded concept: its codes in display order and the columns that hold them."""

    name: str
    entries: tuple[Code, ...]
    columns: tuple[str, ...] = ()
    app_columns: tuple[str, ...] = ()
    column_patterns: tuple[str, ...] = ()

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes, in display order."""
        return tuple(c.code for c in self.entries)

    def __iter__(self) -> Iterator[Code]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, code: object) -> bool:
        return code in self.codes

    def __getitem__(self, code: str) -> Code:
        """The entry of ``code``; ``KeyError`` naming the list for a code it does not hold."""
        for entry in self.entries:
            if entry.code == code:
                return entry
        raise KeyError(f"{code!r} is not a code of {self.name} ({', '.join(self.codes)})")

    def code(self, code: str) -> str:
        """``code`` itself, checked: for modules that name one code in their rules."""
        return self[code].code

    def label(self, code: object, lang: str) -> str:
        """The name of ``code`` in ``lang`` (``en`` / ``zh``); the code itself when unknown."""
        code = str(code)
        return self[code].name(lang) if code in self else code

    def triples(self) -> tuple[tuple[str, str, str], ...]:
        """(code, English, Chinese) per code, in display order."""
        return tuple((c.code, c.name_en, c.name_zh) for c in self.entries)

    def named_columns(self) -> tuple[str, ...]:
        """The ``table.column`` names ``column_patterns`` give, one per code and pattern."""
        return tuple(p.format(code=c) for p in self.column_patterns for c in self.codes)


def _list(name: str, *entries: tuple[str, str, str], **columns: tuple[str, ...]) -> CodeList:
    return CodeList(name, tuple(Code(*e) for e in entries), **columns)


_TIER_COLUMNS = tuple(
    f"{table}.tier_code"
    for table in (
        "mart_branch_month_tier",
        "mart_effective_month",
        "mart_stickiness",
        "mart_segment_month",
        "mart_suitability",
        "mart_mismatched_holding",
        "mart_churn_score",
        "mart_next_best",
    )
)

# Customer tiers by financial assets (客户分层), lowest first; floors in analytics.rules.TIERS.
TIER = _list(
    "tier",
    ("mass", "Mass", "大众客户"),
    ("potential", "Potential", "潜力客户"),
    ("affluent", "Affluent", "富裕客户"),
    ("vip", "VIP", "贵宾客户"),
    ("private", "Private banking", "私人银行客户"),
    columns=("fact_customer_month.raw_tier_code", "fact_customer_month.tier_code", *_TIER_COLUMNS),
)

# Product lines (产品类别) of dim_product; the first six are also the asset classes.
PRODUCT_CATEGORY = _list(
    "product_category",
    ("demand_deposit", "Demand deposits", "活期存款"),
    ("time_deposit", "Time deposits", "定期存款"),
    ("wealth", "Wealth management", "理财产品"),
    ("fund", "Funds", "基金"),
    ("insurance", "Agency insurance", "代理保险"),
    ("bond", "Bonds", "债券"),
    ("precious_metal", "Precious metals", "贵金属"),
    ("loan", "Loans", "贷款"),
    ("debit_card", "Debit / social-security card", "借记卡/社保卡"),
    ("mobile_banking", "Mobile banking", "手机银行"),
    ("payroll", "Disbursements (salary, pension, subsidy)", "代发（工资、养老金、补贴）"),
    columns=(
        "dim_product.category",
        "mart_group_product.category",
        "mart_next_best.target",
        "mart_propensity_model.target",
    ),
)

# Classes of financial assets (金融资产; loans are not assets): the deposit and investment lines,
# named as their product category. Each is a balance column ``<code>_rmb``.
ASSET_CLASS = CodeList(
    "asset_class",
    tuple(
        PRODUCT_CATEGORY[c]
        for c in ("demand_deposit", "time_deposit", "wealth", "fund", "insurance", "bond")
    ),
    columns=("dim_product.asset_class",),
    column_patterns=(
        "fact_customer_month.{code}_rmb",
        "mart_branch_month_tier.{code}_rmb",
    ),
)

# Channels a customer transacts through; counted in ``count_txn_<code>``.
CHANNEL = _list(
    "channel",
    ("counter", "Counter", "柜面"),
    ("self_service", "Self-service", "自助设备"),
    ("mobile", "Mobile banking", "手机银行"),
    column_patterns=(
        "fact_customer_month.count_txn_{code}",
        "mart_branch_month_tier.count_txn_{code}",
    ),
)

# Card spending categories (消费习惯); each is a column ``spend_<code>_rmb``.
SPEND_CATEGORY = _list(
    "spend_category",
    ("daily", "Daily necessities", "日常消费"),
    ("farm", "Farm inputs", "农资"),
    ("education", "Education", "教育"),
    ("health", "Health care", "医疗"),
    ("travel", "Travel and dining", "出行餐饮"),
    ("online", "Online shopping", "网购"),
    column_patterns=(
        "fact_customer_month.spend_{code}_rmb",
        "mart_segment_month.spend_{code}_rmb",
        "mart_group_summary.spend_{code}_rmb",
    ),
)

BRANCH_TYPE = _list(
    "branch_type",
    ("county_town", "County town", "县城{@branch}"),
    ("township", "Township", "乡镇{@branch}"),
    ("community", "City / community", "城区社区{@branch}"),
    columns=("dim_branch.branch_type",),
)

# Legal forms of the county-level legal entities (法人机构).
LEGAL_FORM = _list(
    "legal_form",
    ("rural_commercial_bank", "Rural commercial bank", "农村商业银行"),
    ("rural_cooperative_bank", "Rural cooperative bank", "农村合作银行"),
    ("credit_union", "Rural credit union", "农村信用合作联社"),
    columns=("dim_cooperative.legal_form",),
)

# Names may hold level markers ({@branch}, catalogue.levels), resolved where they are shown.

# Staff positions at a branch (岗位); not the app's sign-in roles (catalogue.roles).
STAFF_ROLE = _list(
    "staff_role",
    ("teller", "Teller", "柜员"),
    ("account_manager", "Account manager", "客户经理"),
    ("wealth_manager", "Wealth manager", "理财经理"),
    ("branch_head", "{@Branch} head", "{@branch}负责人"),
    columns=("dim_staff.role", "dim_staff.previous_role"),
)

OCCUPATION = _list(
    "occupation",
    ("farmer", "Farmer / herder", "农牧民"),
    ("migrant_worker", "Migrant worker", "外出务工人员"),
    ("business_owner", "Private business owner", "个体工商户"),
    ("enterprise_staff", "Enterprise employee", "企业职工"),
    ("civil_servant", "Civil servant / teacher", "公务员及教师"),
    ("retiree", "Retiree", "退休人员"),
    ("student", "Student", "学生"),
    ("other", "Other", "其他"),
    columns=("dim_customer.occupation",),
)

# Industry of private business owners and of partner employers.
INDUSTRY_CLASS = _list(
    "industry_class",
    ("agriculture", "Agriculture and herding", "农林牧渔"),
    ("trade", "Wholesale and retail", "批发零售"),
    ("catering", "Catering and lodging", "住宿餐饮"),
    ("transport", "Transport and logistics", "交通物流"),
    ("construction", "Construction", "建筑业"),
    ("manufacturing", "Processing and manufacturing", "加工制造"),
    ("services", "Resident services", "居民服务"),
    columns=("dim_customer.industry_class", "dim_partner_employer.industry_class"),
)

GENDER = _list(
    "gender",
    ("F", "Female", "女"),
    ("M", "Male", "男"),
    columns=("dim_customer.gender",),
)

# Customer risk grade (风险承受能力等级, C1-C5).
RISK_GRADE = _list(
    "risk_grade",
    ("C1", "C1 Conservative", "C1 保守型"),
    ("C2", "C2 Cautious", "C2 稳健型"),
    ("C3", "C3 Balanced", "C3 平衡型"),
    ("C4", "C4 Growth", "C4 成长型"),
    ("C5", "C5 Aggressive", "C5 进取型"),
    columns=("dim_customer.risk_grade",),
)

# Product risk grade (产品风险等级, R1-R5).
PRODUCT_RISK_GRADE = _list(
    "product_risk_grade",
    ("R1", "R1 Low", "R1 低风险"),
    ("R2", "R2 Medium-low", "R2 中低风险"),
    ("R3", "R3 Medium", "R3 中风险"),
    ("R4", "R4 Medium-high", "R4 中高风险"),
    ("R5", "R5 High", "R5 高风险"),
    columns=("dim_product.risk_grade", "mart_suitability.product_grade"),
)

# The six S of branch inspections; each is a column ``score_<code>``.
SIX_S = _list(
    "six_s",
    ("sort", "Sort", "整理"),
    ("set_in_order", "Set in order", "整顿"),
    ("shine", "Shine", "清扫"),
    ("standardise", "Standardise", "清洁"),
    ("safety", "Safety", "安全"),
    ("self_discipline", "Self-discipline", "素养"),
    column_patterns=("fact_6s_inspection.score_{code}",),
)

SIX_S_AREA = _list(
    "six_s_area",
    ("cash", "Cash area", "现金区"),
    ("low_counter", "Low counter", "低柜区"),
    ("lobby", "Lobby", "大堂"),
    ("self_service", "Self-service area", "自助区"),
    columns=("fact_6s_inspection.area",),
)

# VIP value-added services (贵宾增值服务): first what rural VIPs use most (served first at the
# counter, their own manager, festival visits, fees waived), then the city-bank services.
VIP_SERVICE = _list(
    "vip_service",
    ("priority_service", "Priority service", "优先办理"),
    ("dedicated_manager", "Dedicated manager", "专属客户经理服务"),
    ("festival_care", "Festival care", "节日关怀"),
    ("fee_waiver", "Fee waivers", "费用减免"),
    ("health_checkup", "Health check-up", "健康体检"),
    ("hospital_guidance", "Hospital guidance", "医院导诊"),
    ("roadside_rescue", "Roadside rescue", "道路救援"),
    ("airport_lounge", "Airport lounge", "机场贵宾厅"),
    columns=("fact_vip_service_use.service_type",),
)

# What a disbursement (代发) pays into a customer's account: the products of the "payroll"
# category. Pensions and farm subsidies are the rural anchor; a salary only reaches employees.
DISBURSEMENT_KIND = _list(
    "disbursement_kind",
    ("salary", "Salary", "代发工资"),
    ("pension", "Pension", "代发养老金"),
    ("farm_subsidy", "Farm subsidy", "惠农补贴"),
)

# Who a target is set for.
TARGET_LEVEL = _list(
    "target_level",
    ("branch", "{@Branch}", "{@branch}"),
    ("staff", "Staff member", "员工"),
    columns=("fact_target.target_level",),
)

# Churn paths in priority order (a customer who matches several is reported under the first).
CHURN_PATH = _list(
    "churn_path",
    ("closure", "Closed all accounts", "销户"),
    ("asset_flight", "Assets moved out", "资产流失"),
    ("dormant", "Went dormant", "转为睡眠"),
)

# Churn bands (流失风险档位), highest first; cut-offs in analytics.churn.definition.
SCORE_BAND = _list(
    "score_band",
    ("high", "High", "高"),
    ("medium", "Medium", "中"),
    ("low", "Low", "低"),
    columns=("mart_churn_score.score_band",),
)

CONTACT_TYPE = _list(
    "contact_type",
    ("callback", "Phone callback", "电话回访"),
    ("visit", "Visit", "上门走访"),
    ("branch_meeting", "Meeting at the {@branch}", "{@branch}面谈"),
    ("retention_offer", "Retention offer", "挽留方案"),
    ("product_offer", "Product offer", "产品推荐"),
    ("message", "Text / WeChat message", "短信或微信"),
    app_columns=("contact_log.contact_type",),
)

CONTACT_OUTCOME = _list(
    "contact_outcome",
    ("reached", "Reached, no decision", "已联系，未决定"),
    ("accepted", "Accepted the offer", "接受推荐"),
    ("declined", "Declined", "拒绝"),
    ("no_answer", "No answer", "未接通"),
    ("follow_up", "Follow-up agreed", "约定再次跟进"),
    app_columns=("contact_log.outcome",),
)

# Where a retention case of the churn watchlist stands.
RETENTION_STATUS = _list(
    "retention_status",
    ("open", "Not contacted", "未联系"),
    ("contacted", "Contacted", "已联系"),
    ("retained", "Retained", "已挽留"),
    ("lost", "Lost", "已流失"),
    app_columns=("retention_case.status",),
)

CODE_LISTS: dict[str, CodeList] = {
    cl.name: cl
    for cl in (
        TIER,
        PRODUCT_CATEGORY,
        ASSET_CLASS,
        CHANNEL,
        SPEND_CATEGORY,
        BRANCH_TYPE,
        LEGAL_FORM,
        STAFF_ROLE,
        OCCUPATION,
        INDUSTRY_CLASS,
        GENDER,
        RISK_GRADE,
        PRODUCT_RISK_GRADE,
        SIX_S,
        SIX_S_AREA,
        VIP_SERVICE,
        DISBURSEMENT_KIND,
        TARGET_LEVEL,
        CHURN_PATH,
        SCORE_BAND,
        CONTACT_TYPE,
        CONTACT_OUTCOME,
        RETENTION_STATUS,
    )
}


def code_list(name: str) -> CodeList:
    """The code list called ``name``; ``KeyError`` for a name no list has."""
    return CODE_LISTS[name]


def list_of_column(column: str) -> CodeList | None:
    """The code list a warehouse or app-store column (``table.column``) holds, if any."""
    for cl in CODE_LISTS.values():
        if column in cl.columns or column in cl.app_columns:
            return cl
    return None
