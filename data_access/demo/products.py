"""The product catalogue (dim_product): one cooperative, many products (1+N).

Deposits with the usual terms, large-denomination certificates of deposit (大额存单, from
200,000 RMB), installment savings (零存整取) and 7-day notice deposits (通知存款, from 50,000 RMB);
wealth-management products R2-R4 with 3-12 month terms, the cooperative's own and those it sells
as agent for bank wealth subsidiaries (代销); funds R3-R5, agency insurance, savings bonds,
accumulated gold, farm and business loans, the Feitian debit card and the social-security card,
mobile banking and the disbursements (代发: salary, pension, farm subsidy); plus exclusive
wealth products for the staff of some partner employers (专享产品). ``is_core_bundle`` marks the
categories of the five-core-product bundle in ``analytics.rules``. Every product carries the fee
rate a sale of it earns (``FEE_RATES``, fee income 中间业务收入).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics import rules
from catalogue import codes

# (code, category, asset_class, risk, term, name_zh, name_en)
_CATALOGUE: tuple[tuple[str, str, str | None, str | None, int | None, str, str], ...] = (
    ("DD-SAVINGS", "demand_deposit", "demand_deposit", "R1", None, "活期储蓄", "Demand savings"),
    ("TD-03M", "time_deposit", "time_deposit", "R1", 3, "整存整取三个月", "Time deposit 3 months"),
    ("TD-06M", "time_deposit", "time_deposit", "R1", 6, "整存整取六个月", "Time deposit 6 months"),
    ("TD-12M", "time_deposit", "time_deposit", "R1", 12, "整存整取一年", "Time deposit 1 year"),
    ("TD-24M", "time_deposit", "time_deposit", "R1", 24, "整存整取二年", "Time deposit 2 years"),
    ("TD-36M", "time_deposit", "time_deposit", "R1", 36, "整存整取三年", "Time deposit 3 years"),
    ("TD-60M", "time_deposit", "time_deposit", "R1", 60, "整存整取五年", "Time deposit 5 years"),
    ("CD-12M", "time_deposit", "time_deposit", "R1", 12, "个人大额存单一年", "Large CD 1 year"),
    ("CD-36M", "time_deposit", "time_deposit", "R1", 36, "个人大额存单三年", "Large CD 3 years"),
    (
        "TD-LC-12M",
        "time_deposit",
        "time_deposit",
        "R1",
        12,
        "零存整取一年",
        "Installment savings 1 year",
    ),
    ("TD-NOTICE-7D", "time_deposit", "time_deposit", "R1", None, "七天通知存款", "Notice deposit"),
    ("WM-R2-03M", "wealth", "wealth", "R2", 3, "陇原理财·稳盈三个月", "Longyuan Steady 3 months"),
    ("WM-R2-06M", "wealth", "wealth", "R2", 6, "陇原理财·稳盈六个月", "Longyuan Steady 6 months"),
    ("WM-R2-12M", "wealth", "wealth", "R2", 12, "陇原理财·稳盈一年", "Longyuan Steady 1 year"),
    ("WM-R3-06M", "wealth", "wealth", "R3", 6, "陇原理财·平衡六个月", "Longyuan Balanced 6 months"),
    ("WM-R3-12M", "wealth", "wealth", "R3", 12, "陇原理财·平衡一年", "Longyuan Balanced 1 year"),
    ("WM-R4-12M", "wealth", "wealth", "R4", 12, "陇原理财·进取一年", "Longyuan Growth 1 year"),
    (
        "WM-AG-R2-03M",
        "wealth",
        "wealth",
        "R2",
        3,
        "代销中银理财·稳享三个月",
        "BOC Wealth Wenxiang 3 months (agency)",
    ),
    (
        "WM-AG-R2-06M",
        "wealth",
        "wealth",
        "R2",
        6,
        "代销农银理财·安心六个月",
        "ABC Wealth Anxin 6 months (agency)",
    ),
    (
        "WM-AG-R2-12M",
        "wealth",
        "wealth",
        "R2",
        12,
        "代销中邮理财·鸿锦一年",
        "PSBC Wealth Hongjin 1 year (agency)",
    ),
    (
        "WM-AG-R3-12M",
        "wealth",
        "wealth",
        "R3",
        12,
        "代销兴银理财·稳利一年",
        "CIB Wealth Wenli 1 year (agency)",
    ),
    ("FD-MIXED", "fund", "fund", "R3", None, "代销混合型基金", "Mixed fund (agency)"),
    ("FD-EQUITY", "fund", "fund", "R4", None, "代销股票型基金", "Equity fund (agency)"),
    ("FD-INDEX", "fund", "fund", "R5", None, "代销指数增强基金", "Enhanced index fund (agency)"),
    (
        "INS-ANNUITY",
        "insurance",
        "insurance",
        "R1",
        None,
        "代理分红型年金保险",
        "Participating annuity (agency)",
    ),
    (
        "INS-LIFE",
        "insurance",
        "insurance",
        "R2",
        None,
        "代理两全保险",
        "Endowment insurance (agency)",
    ),
    ("BD-SAV-3Y", "bond", "bond", "R1", 36, "储蓄国债（电子式）三年", "Savings bond 3 years"),
    ("BD-SAV-5Y", "bond", "bond", "R1", 60, "储蓄国债（电子式）五年", "Savings bond 5 years"),
    ("PM-GOLD", "precious_metal", None, "R3", None, "积存金", "Gold accumulation"),
    ("LN-FARM-12M", "loan", None, None, 12, "农户小额信用贷款", "Farm household micro-credit"),
    ("LN-FARM-24M", "loan", None, None, 24, "农户联保贷款", "Farm household joint-guarantee loan"),
    ("LN-BIZ-36M", "loan", None, None, 36, "个人经营贷款", "Personal business loan"),
    ("DC-FEITIAN", "debit_card", None, None, None, "飞天借记卡", "Feitian debit card"),
    ("DC-SSC", "debit_card", None, None, None, "社会保障卡（金融功能）", "Social-security card"),
    ("MB-APP", "mobile_banking", None, None, None, "手机银行", "Mobile banking"),
    ("PAY-SALARY", "payroll", None, None, None, "代发工资", "Payroll (salary disbursement)"),
    ("PAY-PENSION", "payroll", None, None, None, "代发养老金", "Pension disbursement"),
    ("PAY-SUBSIDY", "payroll", None, None, None, "惠农补贴代发", "Farm subsidy disbursement"),
)

EXCLUSIVE_SHARE = 0.3  # share of partner employers with an exclusive wealth product

# Deposit floors (People's Bank of China rules): an individual's 大额存单 starts at 200,000 RMB,
# a notice deposit at 50,000 RMB.
CD_FLOOR_RMB = 200_000.0
NOTICE_FLOOR_RMB = 50_000.0
# Which time deposits take the special forms (estimate): a 1- or 3-year deposit at or above the CD
# floor is a 大额存单 this often; a small 1-year deposit is installment savings this often; a
# 3-month deposit at or above the notice floor is a notice deposit this often.
CD_SHARE = 0.55
INSTALLMENT_SHARE = 0.2
INSTALLMENT_CEILING_RMB = 50_000.0
NOTICE_SHARE = 0.4
# Share of wealth sales that are agency products (代销) where one of the term and grade exists.
AGENCY_WEALTH_SHARE = 0.5

# Fee income of a sale (中间业务收入) as a share of its amount (estimate): fees of term products
# are per year, times the term; insurance earns the commission on the premium (代理保险佣金),
# funds, agency wealth, bonds and gold the agency fee (代销手续费); loans earn interest, no fee.
FEE_RATES: dict[str, tuple[float, bool]] = {  # code prefix -> (rate, per year of term)
    "WM-AG-": (0.003, True),
    "WM-": (0.004, True),
    "FD-": (0.01, False),
    "INS-ANNUITY": (0.03, False),
    "INS-LIFE": (0.05, False),
    "BD-SAV-3Y": (0.001, False),
    "BD-SAV-5Y": (0.0015, False),
    "PM-GOLD": (0.005, False),
}


def fee_rate(code: str, term_months: int | None) -> float:
    """The fee income of a sale of product ``code`` as a share of its amount (0 for none)."""
    for prefix, (rate, per_year) in FEE_RATES.items():
        if code.startswith(prefix):
            return rate * (term_months or 12) / 12 if per_year else rate
    return 0.0


@dataclass
class Catalogue:
    """dim_product plus lookups from product codes to ids."""

    frame: pd.DataFrame
    ids: dict[str, int]
    exclusive_by_employer: np.ndarray  # product_id of each employer's exclusive product, or 0

    def id(self, code: str) -> int:
        return self.ids[code]

    @property
    def fee_rates(self) -> np.ndarray:
        """Fee rate of each product, indexed by product_id (index 0 unused)."""
        rates = np.zeros(len(self.frame) + 1)
        terms = self.frame["term_months"].astype("float").fillna(0).astype(int)
        for pid, code, term in zip(
            self.frame["product_id"], self.frame["product_code"], terms, strict=True
        ):
            rates[pid] = fee_rate(code, term or None)
        return rates


def build_catalogue(rng: np.random.Generator, employers: pd.DataFrame) -> Catalogue:
    """The standard products, then one exclusive product for some partner employers."""
    records = [
        {
            "product_code": code,
            "name_zh": zh,
            "name_en": en,
            "category": codes.PRODUCT_CATEGORY.code(category),
            "asset_class": asset_class and codes.ASSET_CLASS.code(asset_class),
            "risk_grade": risk and codes.PRODUCT_RISK_GRADE.code(risk),
            "term_months": term,
            "exclusive_employer_id": None,
        }
        for code, category, asset_class, risk, term, zh, en in _CATALOGUE
    ]
    chosen = np.flatnonzero(rng.random(len(employers)) < EXCLUSIVE_SHARE)
    exclusive = np.zeros(len(employers), dtype=np.int64)
    for position in chosen:
        employer = employers.iloc[position]
        exclusive[position] = len(records) + 1
        records.append(
            {
                "product_code": f"WM-EX-{int(employer['employer_id']):05d}",
                "name_zh": f"{employer['name_zh']}职工专享理财",
                "name_en": f"{employer['name_en']} staff exclusive wealth product",
                "category": codes.PRODUCT_CATEGORY.code("wealth"),
                "asset_class": codes.ASSET_CLASS.code("wealth"),
                "risk_grade": codes.PRODUCT_RISK_GRADE.code("R2"),
                "term_months": 6,
                "exclusive_employer_id": int(employer["employer_id"]),
            }
        )
    frame = pd.DataFrame.from_records(records)
    frame.insert(0, "product_id", np.arange(1, len(frame) + 1))
    frame["is_core_bundle"] = frame["category"].isin(rules.CORE_PRODUCT_CATEGORIES)
    frame["term_months"] = frame["term_months"].astype("Int64")
    frame["exclusive_employer_id"] = frame["exclusive_employer_id"].astype("Int64")
    ids = dict(zip(frame["product_code"], frame["product_id"], strict=True))
    return Catalogue(frame, ids, exclusive)


def time_deposit_product(
    rng: np.random.Generator, catalogue: Catalogue, term: np.ndarray, amount: np.ndarray
) -> np.ndarray:
    """The time deposit of the holding's term; above the floors some are 大额存单 or notice
    deposits, small 1-year ones some installment savings (零存整取)."""
    lookup = {t: catalogue.id(f"TD-{t:02d}M") for t in (3, 6, 12, 24, 36, 60)}
    product = np.select([term == t for t in lookup], list(lookup.values()), 0)
    draw = rng.random(len(term))
    cd = np.isin(term, (12, 36)) & (amount >= CD_FLOOR_RMB) & (draw < CD_SHARE)
    product = np.where(
        cd, np.where(term == 12, catalogue.id("CD-12M"), catalogue.id("CD-36M")), product
    )
    small = (term == 12) & (amount < INSTALLMENT_CEILING_RMB) & (draw < INSTALLMENT_SHARE)
    product = np.where(small, catalogue.id("TD-LC-12M"), product)
    notice = (term == 3) & (amount >= NOTICE_FLOOR_RMB) & (draw < NOTICE_SHARE)
    return np.where(notice, catalogue.id("TD-NOTICE-7D"), product)


def wealth_product(
    rng: np.random.Generator, catalogue: Catalogue, term: np.ndarray, risk: np.ndarray
) -> np.ndarray:
    """A wealth product of the holding's term within the customer's risk grade (C2 -> R2 ...)."""
    grade = np.clip(np.floor(rng.random(len(term)) * np.maximum(risk, 1)) + 1, 1, 3)
    # The R2 product of the holding's term, unless a riskier one of that term suits the grade.
    product = np.select(
        [term == t for t in (3, 6, 12)],
        [catalogue.id(f"WM-R2-{t:02d}M") for t in (3, 6, 12)],
        catalogue.id("WM-R2-06M"),
    )
    for t, g, code in ((6, 2, "WM-R3-06M"), (12, 2, "WM-R3-12M"), (12, 3, "WM-R4-12M")):
        product = np.where((term == t) & (grade == g), catalogue.id(code), product)
    # Half of the sales, where the bank wealth subsidiaries offer the term and grade, are 代销.
    agency = rng.random(len(term)) < AGENCY_WEALTH_SHARE
    for t, g, code in (
        (3, 1, "WM-AG-R2-03M"),
        (6, 1, "WM-AG-R2-06M"),
        (12, 1, "WM-AG-R2-12M"),
        (12, 2, "WM-AG-R3-12M"),
    ):
        product = np.where(agency & (term == t) & (grade == g), catalogue.id(code), product)
    return product
