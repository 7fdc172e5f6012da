"""The product catalogue (dim_product): one cooperative, many products (1+N).

Deposits with the usual terms, wealth-management products R2-R4 with 3-12 month terms, funds
R3-R5, agency insurance, savings bonds, accumulated gold, farm and business loans, the Feitian
debit card and the social-security card, mobile banking and payroll; plus exclusive wealth
products for the staff of some partner employers (专享产品). ``is_core_bundle`` marks the
categories of the five-core-product bundle in ``analytics.rules``.
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
    ("WM-R2-03M", "wealth", "wealth", "R2", 3, "陇原理财·稳盈三个月", "Longyuan Steady 3 months"),
    ("WM-R2-06M", "wealth", "wealth", "R2", 6, "陇原理财·稳盈六个月", "Longyuan Steady 6 months"),
    ("WM-R2-12M", "wealth", "wealth", "R2", 12, "陇原理财·稳盈一年", "Longyuan Steady 1 year"),
    ("WM-R3-06M", "wealth", "wealth", "R3", 6, "陇原理财·平衡六个月", "Longyuan Balanced 6 months"),
    ("WM-R3-12M", "wealth", "wealth", "R3", 12, "陇原理财·平衡一年", "Longyuan Balanced 1 year"),
    ("WM-R4-12M", "wealth", "wealth", "R4", 12, "陇原理财·进取一年", "Longyuan Growth 1 year"),
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
)

EXCLUSIVE_SHARE = 0.3  # share of partner employers with an exclusive wealth product


@dataclass
class Catalogue:
    """dim_product plus lookups from product codes to ids."""

    frame: pd.DataFrame
    ids: dict[str, int]
    exclusive_by_employer: np.ndarray  # product_id of each employer's exclusive product, or 0

    def id(self, code: str) -> int:
        return self.ids[code]


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


def time_deposit_product(catalogue: Catalogue, term: np.ndarray) -> np.ndarray:
    lookup = {t: catalogue.id(f"TD-{t:02d}M") for t in (3, 6, 12, 24, 36, 60)}
    return np.select([term == t for t in lookup], list(lookup.values()), 0)


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
    return product
