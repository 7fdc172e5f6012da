"""Build the small valid extract in this folder (run ``python make_sample.py`` from anywhere).

A hand-crafted warehouse of two prefectures, two county cooperatives and three branches in Gansu
(安定营业部, 巉口支行, 泾川城关分社), 12 staff, 30 customers over July-September 2026, written
with ``export_warehouse`` in the encodings a core-banking system really uses: ``dim_branch`` in
GBK, ``dim_customer`` in GB18030 (the first customer, 王𠮷, has a character GBK lacks),
``dim_household`` in UTF-8 with a BOM and the rest in UTF-8. Every file is therefore exactly
what the exporter writes, and loading then re-exporting gives the same bytes.

tests/test_extracts.py breaks single cells of these files by line number, so the layout is part
of the test contract: keep the customers, staff, products and targets in this order. In short:
30 customers (one opened in August, one closed in August, so 29 + 30 + 29 = 88 customer-months),
12 staff (the second a wealth manager), 8 products, targets with ids from 50001, and personal
data that passes every format rule (ID numbers with their GB 11643 check character, cards with a
Luhn digit). Tier fields follow the grace rule of ``analytics.tiers``, so a load that leaves them
blank computes the same ones. Everything is fixed: no clock, no random numbers.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
import tempfile
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from analytics import rules, tiers  # noqa: E402
from data_access import bulk, schema  # noqa: E402
from data_access.extracts import export_warehouse, load_extracts  # noqa: E402
from data_access.extracts.manifest import MANIFEST_NAME  # noqa: E402
from data_access.refresh import refresh_engine  # noqa: E402
from data_access.warehouse import Warehouse  # noqa: E402

MONTHS = (dt.date(2026, 7, 1), dt.date(2026, 8, 1), dt.date(2026, 9, 1))
ENCODINGS = {"dim_branch": "gbk", "dim_customer": "gb18030", "dim_household": "utf-8-sig"}
CREATED_AT = "2026-10-03T02:00:00"  # fixed, so the manifest is reproducible too
PRODUCER = "tests/data/extract_sample/make_sample.py"
D = dt.date.fromisoformat

# ------------------------------------------------------------------ organisation

PREFECTURES = [
    (1, "Dingxi", "定西市", 252.4),
    (2, "Pingliang", "平凉市", 184.8),
]
COOPERATIVES = [
    (11, 1, "Dingxi Anding Rural Commercial Bank", "定西安定农村商业银行", "rural_commercial_bank"),
    (21, 2, "Jingchuan County Rural Credit Union", "泾川县农村信用合作联社", "credit_union"),
]
# branch_id, cooperative, prefecture, name_en, name_zh, type, opened_on
BRANCHES = [
    (101, 11, 1, "Anding Business Department", "安定营业部", "community", "1996-04-18"),
    (102, 11, 1, "Chankou Sub-branch", "巉口支行", "township", "1985-10-08"),
    (201, 21, 2, "Jingchuan Chengguan Branch", "泾川城关分社", "county_town", "1992-06-30"),
]
# staff_id, branch, name, role, hongyan level, hired_on, previous_role, role_since
STAFF = [
    (1001, 101, "李建国", "branch_head", None, "1998-07-15", "account_manager", "2017-03-01"),
    (1002, 101, "张晓燕", "wealth_manager", 2, "2011-08-01", "teller", "2019-05-01"),
    (1003, 101, "马文涛", "wealth_manager", 3, "2008-07-20", "account_manager", "2016-09-01"),
    (1004, 101, "王丽", "account_manager", None, "2015-07-10", "teller", "2021-01-04"),
    (1005, 101, "赵敏", "teller", None, "2022-08-15", None, "2022-08-15"),
    (1006, 102, "陈永福", "branch_head", None, "1993-09-01", "account_manager", "2014-01-02"),
    (1007, 102, "杨春花", "wealth_manager", 1, "2016-07-18", "teller", "2023-07-01"),
    (1008, 102, "牛小军", "teller", None, "2020-09-01", None, "2020-09-01"),
    (1009, 201, "周志刚", "branch_head", None, "2001-07-01", "wealth_manager", "2018-11-05"),
    (1010, 201, "何丽娟", "wealth_manager", 2, "2012-07-09", "teller", "2020-03-02"),
    (1011, 201, "党晓峰", "account_manager", None, "2014-08-11", None, "2014-08-11"),
    (1012, 201, "朱莉", "teller", None, "2023-07-17", None, "2023-07-17"),
]
# employer_id, branch, name_en, name_zh, industry, employees
EMPLOYERS = [
    (3001, 101, "Anding District No. 1 Middle School", "定西市安定区第一中学", "services", 186),
    (3002, 201, "Jingchuan Ruifeng Apple Processing Co.", "泾川县瑞丰果品加工有限公司",
     "manufacturing", 240),
]  # fmt: skip
# household_id, branch, is_farm_household, village
HOUSEHOLDS = [
    (4001, 101, False, "中华路街道西岩社区"),
    (4002, 101, False, "永定路街道东河社区"),
    (4003, 101, False, "福台路街道福台社区"),
    (4004, 101, False, "中华路街道北关社区"),
    (4005, 101, True, "凤翔镇安家坡村"),
    (4006, 101, False, "永定路街道玉湖社区"),
    (4007, 101, False, "福台路街道南川社区"),
    (4008, 102, True, "巉口镇巉口村"),
    (4009, 102, True, "巉口镇汪家坪村"),
    (4010, 102, True, "巉口镇新堡村"),
    (4011, 102, True, "巉口镇杨家寨村"),
    (4012, 102, True, "巉口镇三十墩村"),
    (4013, 201, False, "城关镇东街社区"),
    (4014, 201, True, "城关镇共池村"),
    (4015, 201, True, "王村镇王村"),
    (4016, 201, False, "城关镇西街社区"),
    (4017, 201, True, "玉都镇太平村"),
    (4018, 201, True, "城关镇蒋家村"),
]

# ------------------------------------------------------------------ products

DEBIT, MOBILE, PAYROLL, TIME12, WEALTH6, ANNUITY, FARM_LOAN, EXCLUSIVE = range(1, 9)
# product_id, code, name_en, name_zh, category, asset_class, risk, term, exclusive employer
PRODUCTS = [
    (DEBIT, "DC-FEITIAN", "Feitian debit card", "飞天借记卡", "debit_card", None, None, None, None),
    (MOBILE, "MB-APP", "Mobile banking", "手机银行", "mobile_banking", None, None, None, None),
    (PAYROLL, "PAY-SALARY", "Payroll (salary disbursement)", "代发工资", "payroll", None, None,
     None, None),
    (TIME12, "TD-12M", "Time deposit 1 year", "整存整取一年", "time_deposit", "time_deposit",
     "R1", 12, None),
    (WEALTH6, "WM-R2-06M", "Longyuan Steady 6 months", "陇原理财·稳盈六个月", "wealth", "wealth",
     "R2", 6, None),
    (ANNUITY, "INS-ANNUITY", "Participating annuity (agency)", "代理分红型年金保险", "insurance",
     "insurance", "R1", None, None),
    (FARM_LOAN, "LN-FARM-12M", "Farm household micro-credit", "农户小额信用贷款", "loan", None,
     None, 12, None),
    (EXCLUSIVE, "WM-EXCL-3001", "Teachers' exclusive 1 year", "园丁专享理财一年", "wealth",
     "wealth", "R2", 12, 3001),
]  # fmt: skip

# ------------------------------------------------------------------ customers

# How each customer's assets split over (demand, time deposit, wealth, fund, insurance, bond).
MIXES = {
    "cash": (1.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    "farm": (0.4, 0.6, 0.0, 0.0, 0.0, 0.0),
    "saver": (0.2, 0.8, 0.0, 0.0, 0.0, 0.0),
    "wealth": (0.15, 0.45, 0.3, 0.0, 0.1, 0.0),
    "investor": (0.1, 0.25, 0.35, 0.12, 0.1, 0.08),
}
# id, branch, rm, household, employer, gender, born (YYYYMMDD), occupation, industry, risk,
# opened_on, closed_on, name, mobile, mix, month-end AUM Jul/Aug/Sep, loan, region code
CUSTOMERS = [
    (1, 101, 1002, 4001, 3001, "M", "19850612", "civil_servant", None, "C3", "2012-03-15", None,
     "王𠮷", "13893210457", "wealth", (186_000, 192_500, 204_800), 0, "621102"),
    (2, 101, 1002, 4002, None, "F", "19580304", "retiree", None, "C1", "1998-06-20", None,
     "李秀兰", "13919084416", "saver", (420_000, 425_300, 431_150), 0, "621102"),
    (3, 101, 1002, 4003, None, "M", "19790921", "business_owner", "trade", "C4", "2009-11-02", None,
     "张伟", "18993256610", "investor", (1_350_000, 980_400, 995_600), 0, "621102"),
    (4, 101, 1003, 4001, 3001, "F", "19900118", "civil_servant", None, "C2", "2014-09-01", None,
     "刘芳", "15193204876", "wealth", (88_000, 91_200, 95_450), 0, "621102"),
    (5, 101, 1003, 4004, None, "M", "19680725", "business_owner", "catering", "C3", "2003-05-26",
     None, "陈建华", "13830278193", "wealth", (620_000, 640_800, 598_300), 0, "621102"),
    (6, 101, 1004, 4006, None, "F", "19950830", "enterprise_staff", None, "C3", "2018-07-09", None,
     "杨丽", "17793217365", "cash", (52_000, 48_500.5, 51_020.8), 0, "621102"),
    (7, 101, 1002, 4002, None, "F", "19500117", "retiree", None, "C1", "1995-03-08", None,
     "赵桂英", None, "saver", (268_000, 268_450, 268_900), 0, "621102"),
    (8, 101, 1003, 4003, None, "F", "19720509", "business_owner", "services", "C3", "2006-10-16",
     None, "马玉梅", "13993218842", "wealth", (315_600, 322_100, 318_750), 0, "621102"),
    (9, 101, None, 4007, None, "M", "19880213", "enterprise_staff", None, "C4", "2016-04-22", None,
     "何伟东", "18893255021", "cash", (15_300, 12_860, 17_420.5), 0, "621102"),
    (10, 101, 1003, 4004, None, "M", "19640402", "business_owner", "construction", "C4",
     "2001-08-30", None, "马德胜", "13909321688", "investor", (2_150_000, 2_210_000, 2_245_500),
     0, "621102"),
    (11, 101, 1004, 4005, None, "M", "19830927", "migrant_worker", None, "C2", "2010-02-19",
     "2026-08-21", "孙强", "15097134428", "cash", (23_000, 0, None), 0, "621102"),
    (12, 101, None, 4006, None, "F", "20070311", "student", None, "C1", "2026-08-28", None,
     "周欣怡", "19193208830", "cash", (None, 3_200, 2_860.4), 0, "621102"),
    (13, 102, 1007, 4008, None, "M", "19701105", "farmer", "agriculture", "C2", "1996-12-03",
     None, "牛建平", "13519323416", "farm", (46_800, 45_300, 58_900), 30_000, "621102"),
    (14, 102, 1007, 4009, None, "F", "19760618", "farmer", "agriculture", "C1", "2002-03-28",
     None, "汪秀英", "13609329178", "farm", (33_600, 31_200, 39_800), 0, "621102"),
    (15, 102, 1007, 4010, None, "M", "19620901", "farmer", "agriculture", "C1", "1989-05-11",
     None, "杨有福", None, "farm", (128_000, 121_500, 136_200), 50_000, "621102"),
    (16, 102, None, 4011, None, "M", "19910223", "migrant_worker", None, "C3", "2013-01-25", None,
     "牛小龙", "18719324405", "cash", (8_650, 6_120, 4_980), 0, "621102"),
    (17, 102, 1007, 4012, None, "F", "19810514", "farmer", "agriculture", "C2", "2005-09-19",
     None, "陈淑霞", "15339320761", "farm", (72_400, 69_900, 83_100), 20_000, "621102"),
    (18, 102, None, 4008, None, "M", "19970708", "migrant_worker", None, "C3", "2016-02-05", None,
     "牛军", "17393286619", "cash", (21_500, 18_300, 16_750), 0, "621102"),
    (19, 102, 1007, 4009, None, "M", "19560320", "retiree", None, "C1", "1986-11-14", None,
     "汪德明", None, "saver", (212_000, 213_100, 214_350), 0, "621102"),
    (20, 102, None, 4010, None, "F", "19930411", "business_owner", "trade", "C3", "2019-06-03",
     None, "杨梅", "13689321927", "cash", (61_300, 64_800, 59_100), 0, "621102"),
    (21, 102, None, 4011, None, "M", "19480806", "farmer", "agriculture", "C1", "1984-04-02",
     None, "牛占海", None, "farm", (5_200, 5_200, 5_200), 0, "621102"),
    (22, 201, 1010, 4013, None, "M", "19660122", "business_owner", "manufacturing", "C4",
     "1999-07-07", None, "周振华", "13993327708", "investor",
     (6_480_000, 6_535_000, 6_612_400), 0, "620821"),
    (23, 201, 1010, 4013, 3002, "F", "19680917", "enterprise_staff", None, "C3", "2004-10-11",
     None, "何淑珍", "13830352286", "wealth", (540_000, 547_600, 556_300), 0, "620821"),
    (24, 201, 1011, 4014, None, "M", "19740228", "farmer", "agriculture", "C2", "1995-01-17", None,
     "党文斌", "15193361452", "farm", (96_500, 92_800, 141_600), 0, "620821"),
    (25, 201, 1011, 4015, 3002, "F", "19890604", "enterprise_staff", None, "C3", "2015-03-09", None,
     "王娟", "18309336297", "cash", (36_900, 41_200, 44_850), 0, "620821"),
    (26, 201, 1010, 4016, None, "M", "19520913", "retiree", None, "C1", "1991-08-24", None,
     "朱国庆", None, "saver", (1_080_000, 1_086_500, 1_093_100), 0, "620821"),
    (27, 201, None, 4017, None, "F", "19860710", "migrant_worker", None, "C2", "2012-12-20", None,
     "党春燕", "19993325514", "cash", (12_400, 9_850, 14_320), 0, "620821"),
    (28, 201, 1011, 4018, None, "M", "19771030", "business_owner", "transport", "C4", "2008-04-15",
     None, "蒋文军", "13884335019", "wealth", (238_000, 226_400, 243_900), 0, "620821"),
    (29, 201, 1010, 4016, None, "F", "19920503", "civil_servant", None, "C2", "2017-09-11", None,
     "朱敏", "17789330642", "wealth", (158_000, 163_400, 171_250), 0, "620821"),
    (30, 201, None, 4014, None, "M", "20040915", "student", None, "C2", "2022-09-05", None,
     "党一鸣", "16693328857", "cash", (1_850, 4_600, 2_300), 0, "620821"),
]  # fmt: skip

# Sales in the window: (customer, product, staff, sold_on, amount). Each opens a holding.
SALES = [
    (3, ANNUITY, 1002, "2026-07-14", 100_000),
    (12, DEBIT, 1005, "2026-08-28", 0),
    (12, MOBILE, 1005, "2026-08-28", 0),
    (24, TIME12, 1011, "2026-09-20", 80_000),
    (1, EXCLUSIVE, 1002, "2026-09-08", 61_000),
    (13, FARM_LOAN, 1007, "2026-07-03", 30_000),
    (22, WEALTH6, 1010, "2026-08-12", 1_500_000),
]
# Fee income per RMB sold (中间业务收入): the own wealth product's fee for its 6 months, the
# insurance commission; loans and deposits earn none.
FEE_RATES = {WEALTH6: 0.002, ANNUITY: 0.03, EXCLUSIVE: 0.004}
# Customers who hold wealth products were risk-assessed; the others never were (未评估).
ASSESSED_MIXES = ("wealth", "investor")


def _assessed_on(cid: int) -> dt.date:
    """The latest assessment: within the year for buyers in the window, else some expired."""
    buyers = {c for c, p, *_ in SALES if p in (WEALTH6, EXCLUSIVE)}
    if cid % 3 == 0 and cid not in buyers:
        return dt.date(2025, 1 + cid % 12, 3 + cid % 20)
    return dt.date(2026, 1 + cid % 6, 3 + cid % 20)


# VIP value-added services used: (customer, service, used_on).
VIP_USES = [
    (3, "hospital_guidance", "2026-07-22"),
    (10, "priority_service", "2026-08-09"),
    (22, "festival_care", "2026-07-30"),
    (22, "roadside_rescue", "2026-09-16"),
    (26, "health_checkup", "2026-09-03"),
]
# 6S inspections of the third quarter: (inspection, branch, date, inspector, base score).
INSPECTIONS = [
    (70001, 101, "2026-08-18", "省联社稽核 刘卫东", 92.0),
    (70002, 102, "2026-08-19", "省联社稽核 刘卫东", 84.5),
    (70003, 201, "2026-09-09", "平凉审计中心 苏静", 88.0),
]
AREA_OFFSETS = {"cash": 2.0, "low_counter": 0.5, "lobby": -1.0, "self_service": -2.5}
S_OFFSETS = {
    "sort": 1.0,
    "set_in_order": 0.5,
    "shine": 0.0,
    "standardise": -0.5,
    "safety": 2.0,
    "self_discipline": -1.5,
}
# (branch, month): satisfaction %, mystery shopper, complaints, wait minutes, counter, off-counter
SERVICE = {
    101: [(95.2, 90.5, 1, 8.4, 4120, 9870), (94.6, 89.0, 2, 9.1, 4385, 10240),
          (95.8, 91.5, 0, 7.9, 4010, 10610)],
    102: [(92.1, 84.0, 2, 12.6, 2630, 2210), (91.4, 83.5, 3, 13.8, 2890, 2340),
          (93.0, 86.0, 1, 11.2, 3350, 2580)],
    201: [(93.7, 87.5, 1, 10.3, 3470, 5120), (93.2, 88.0, 1, 10.9, 3610, 5290),
          (94.4, 89.5, 0, 9.6, 3580, 5460)],
}  # fmt: skip
# Annual 2026 targets: (level, branch, staff, metric, value).
TARGETS = [
    ("branch", 101, None, "aum_growth_rmb", 8_000_000),
    ("branch", 101, None, "new_customers", 120),
    ("branch", 101, None, "vip_customers", 6),
    ("branch", 101, None, "core_bundle_coverage_pct", 35.5),
    ("branch", 102, None, "aum_growth_rmb", 3_500_000),
    ("branch", 102, None, "new_customers", 80),
    ("branch", 102, None, "score_6s", 88),
    ("branch", 201, None, "aum_growth_rmb", 6_000_000),
    ("branch", 201, None, "new_customers", 100),
    ("branch", 201, None, "wealth_sales_rmb", 12_000_000),
    ("staff", 101, 1002, "wealth_sales_rmb", 800_000),
    ("staff", 101, 1003, "wealth_sales_rmb", 650_000),
    ("staff", 102, 1007, "wealth_sales_rmb", 300_000),
    ("staff", 201, 1010, "wealth_sales_rmb", 5_000_000),
]


# ------------------------------------------------------------------ personal data


def id_number(region: str, born: str, serial: int, male: bool) -> str:
    """An 18-character resident ID number (GB 11643) with its ISO 7064 MOD 11-2 check."""
    order = serial * 2 + (1 if male else 0)  # the 17th digit is odd for men
    body = f"{region}{born}{order:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(body, weights, strict=True))
    return body + "10X98765432"[total % 11]


def card_number(customer_id: int) -> str:
    """A 19-digit card number on a fictitious 62xxxx BIN with a Luhn check digit."""
    payload = f"621759{customer_id * 7919 % 10**12:012d}"
    digits = [int(d) for d in payload]
    total = 0
    for i, digit in enumerate(reversed(digits)):
        doubled = digit * 2 if i % 2 == 0 else digit
        total += doubled - 9 if doubled > 9 else doubled
    return payload + str((10 - total % 10) % 10)


# ------------------------------------------------------------------ frames


def _month_end(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def _holdings() -> list[dict]:
    """Products each customer holds: the standing ones, then those sold in the window."""
    rows = []
    sold = {(c, p) for c, p, *_ in SALES}
    for c in CUSTOMERS:
        cid, _, _, _, employer, _, born, *_ = c
        opened, closed, mobile, mix, aums, loan = c[10], c[11], c[13], c[14], c[15], c[16]
        july = aums[0] if aums[0] is not None else aums[1]
        shares = MIXES[mix]
        standing = [(DEBIT, 0.0, None)]
        if mobile and int(born[:4]) >= 1960:
            standing.append((MOBILE, 0.0, None))
        if employer:
            standing.append((PAYROLL, 0.0, None))
        if shares[1]:
            standing.append((TIME12, round(july * shares[1], -2), 12))
        if shares[2]:
            product = EXCLUSIVE if employer == 3001 else WEALTH6
            standing.append((product, round(july * shares[2], -2), 6 if product == WEALTH6 else 12))
        if shares[4]:
            standing.append((ANNUITY, round(july * shares[4], -2), None))
        if loan:
            standing.append((FARM_LOAN, float(loan), 12))
        for product, amount, term in standing:
            if (cid, product) in sold and product in (DEBIT, MOBILE, FARM_LOAN):
                continue  # opened by a sale in the window (below)
            start = D(opened)
            if term:
                # Term products roll over: the current term started 3 to term-1 months before
                # the as-of month, so it is still running at the end of the window.
                back = 3 + cid % (term - 3)
                year, month = divmod(MONTHS[-1].month - 1 - back, 12)
                start = max(start, dt.date(MONTHS[-1].year + year, month + 1, 10 + cid % 15))
            elif product == ANNUITY:
                start = max(start, dt.date(2019 + cid % 6, 1 + cid % 12, 5 + cid % 20))
            maturity = None
            if term:
                year, month = divmod(start.month - 1 + term, 12)
                maturity = dt.date(start.year + year, month + 1, start.day)
            rows.append(_holding(cid, product, start, closed, maturity, amount))
    for cid, product, _, sold_on, amount in SALES:
        start = D(sold_on)
        term = next(p[7] for p in PRODUCTS if p[0] == product)
        maturity = None
        if term:
            year, month = divmod(start.month - 1 + term, 12)
            maturity = dt.date(start.year + year, month + 1, start.day)
        rows.append(_holding(cid, product, start, None, maturity, float(amount)))
    rows.sort(key=lambda r: (r["customer_id"], r["opened_on"], r["product_id"]))
    for number, row in enumerate(rows, start=60001):
        row["holding_id"] = number
    return rows


def _holding(cid, product, start, closed, maturity, amount) -> dict:
    branch = next(c[1] for c in CUSTOMERS if c[0] == cid)
    if closed and maturity and maturity > D(closed):
        maturity = None if product == FARM_LOAN else maturity
    return {
        "customer_id": cid,
        "product_id": product,
        "branch_id": branch,
        "opened_on": start,
        "closed_on": D(closed) if closed else None,
        "maturity_on": maturity,
        "amount_rmb": amount,
        "is_renewed": None if maturity is None else False,
    }


def _spend(cid: int, occupation: str, month_index: int, aum: float) -> dict[str, float]:
    """Card spending by category: farm inputs for farmers, school fees before September."""
    scale = 0.4 + (cid % 5) * 0.15
    daily = round(min(aum * 0.01, 2_400) * scale + 180 + 11.5 * cid, 2)
    farm = round((900 + 35 * cid) * (1.6 if month_index == 0 else 0.7), 2)
    education = round(1_150 + 40 * cid, 2) if month_index == 1 and cid % 3 != 2 else 0.0
    health = round(260 + 17 * cid, 2) if (cid + month_index) % 4 == 0 else 0.0
    travel = round(aum * 0.002 + 60, 2) if aum > 150_000 else 0.0
    online = round(95 + 23.5 * cid * (1 + month_index) % 700, 2) if occupation != "farmer" else 0.0
    return {
        "spend_daily_rmb": daily,
        "spend_farm_rmb": farm if occupation == "farmer" else 0.0,
        "spend_education_rmb": education,
        "spend_health_rmb": health,
        "spend_travel_rmb": travel,
        "spend_online_rmb": online,
    }


def _customer_months(holdings: list[dict]) -> pd.DataFrame:
    rows = []
    core = {p[0] for p in PRODUCTS if p[4] in rules.CORE_PRODUCT_CATEGORIES}
    for c in CUSTOMERS:
        cid, branch, rm = c[0], c[1], c[2]
        occupation, opened, closed, mix, aums, loan = c[7], c[10], c[11], c[14], c[15], c[16]
        previous = None
        for index, (month, aum_value) in enumerate(zip(MONTHS, aums, strict=True)):
            if aum_value is None:
                continue
            end = _month_end(month)
            is_new = D(opened) >= month
            is_closed = bool(closed) and month <= D(closed) <= end
            parts = [round(aum_value * share, 2) for share in MIXES[mix]]
            parts[0] = round(aum_value - sum(parts[1:]), 2)
            aum = round(sum(parts), 2)
            before = 0.0 if is_new else (previous if previous is not None else aum * 0.985)
            average = round(aum * 0.5 if is_new else (before + aum) / 2, 2)
            if is_closed:
                average = round(before * 0.4, 2)
            # The deposits' daily averages in their month-end shares (no 大额存单 in the sample:
            # its product list has none); interest at 0.15% (demand) and 1.4% (time) a year.
            demand_avg = round(average * parts[0] / aum, 2) if aum else 0.0
            time_avg = round(average * parts[1] / aum, 2) if aum else 0.0
            if not aum:
                demand_avg = average
            days = (end - month).days + 1
            held = [
                h
                for h in holdings
                if h["customer_id"] == cid
                and h["opened_on"] <= end
                and (h["closed_on"] is None or h["closed_on"] > end)
            ]
            sleeping = cid == 21
            uses_mobile = any(h["product_id"] == MOBILE for h in held) and not is_closed
            base = 0 if sleeping else 2 + cid % 4 + index
            counter = base if occupation in ("farmer", "retiree") else base // 2
            counter = 1 if is_closed else counter  # closing is done at the counter
            mobile_txn = (3 + cid % 7 + 2 * index) if uses_mobile else 0
            self_service = 0 if sleeping or is_closed else 1 + (cid + index) % 3
            change = aum - before
            inflow = round(max(change, 0.0) + 1_200 + 37.5 * cid, 2)
            outflow = round(max(-change, 0.0) + 1_200 + 37.5 * cid, 2)
            if sleeping:
                inflow = outflow = 0.0
            transfer_out = round(before, 2) if is_closed else 0.0
            if cid == 3 and index == 1:
                transfer_out = 360_000.0  # wealth moved to another bank: a churn precursor
            spend = {k: 0.0 for k in rules.SPEND_COLUMNS}
            if not sleeping and not is_closed:
                spend = _spend(cid, occupation, index, aum)
            rows.append(
                {
                    "customer_id": cid,
                    "month_start": month,
                    "branch_id": branch,
                    "rm_staff_id": rm,
                    **dict(zip(rules.ASSET_COLUMNS, parts, strict=True)),
                    "aum_rmb": aum,
                    "aum_avg_rmb": average,
                    "demand_deposit_avg_rmb": demand_avg,
                    "demand_deposit_interest_rmb": round(demand_avg * 0.0015 * days / 360, 2),
                    "time_deposit_avg_rmb": time_avg,
                    "time_deposit_interest_rmb": round(time_avg * 0.014 * days / 360, 2),
                    "large_cd_rmb": 0.0,
                    "large_cd_avg_rmb": 0.0,
                    "large_cd_interest_rmb": 0.0,
                    "loan_rmb": 0.0 if is_closed else float(loan),
                    "count_txn_counter": counter,
                    "count_txn_self_service": self_service,
                    "count_txn_mobile": mobile_txn,
                    "count_mobile_logins": round(mobile_txn * 1.6 + 2) if mobile_txn else 0,
                    "inflow_rmb": inflow,
                    "outflow_rmb": outflow,
                    "transfer_out_other_bank_rmb": transfer_out,
                    **spend,
                    "count_products": len(held),
                    "count_core_products": len({h["product_id"] for h in held} & core),
                    "is_active": counter + self_service + mobile_txn > 0,
                    "is_new": is_new,
                    "is_closed": is_closed,
                }
            )
            previous = aum
    frame = pd.DataFrame(rows)
    tiered = tiers.assign_tiers(frame[["customer_id", "month_start", "aum_rmb"]])
    frame = frame.sort_values(["customer_id", "month_start"]).reset_index(drop=True)
    for name in ("raw_tier_code", "tier_code", "months_below_floor"):
        frame[name] = tiered[name].to_numpy()
    return frame


def frames() -> dict[str, pd.DataFrame]:
    """Every source table of the sample warehouse."""
    holdings = _holdings()
    sales = []
    for number, (cid, product, staff, sold_on, amount) in enumerate(SALES, start=80001):
        day = D(sold_on)
        branch = next(s[1] for s in STAFF if s[0] == staff)
        fee = round(amount * FEE_RATES.get(product, 0.0), 2)
        sales.append((number, staff, branch, cid, product, day, day.replace(day=1), amount, fee))
    customers = []
    for serial, c in enumerate(CUSTOMERS, start=11):
        cid, branch, rm, household, employer, gender, born, occupation, industry, risk = c[:10]
        assessed = c[14] in ASSESSED_MIXES
        customers.append(
            {
                "customer_id": cid,
                "branch_id": branch,
                "rm_staff_id": rm,
                "household_id": household,
                "employer_id": employer,
                "gender": gender,
                "birth_year": int(born[:4]),
                "occupation": occupation,
                "industry_class": industry,
                "risk_grade": risk if assessed else None,
                "risk_assessed_on": _assessed_on(cid) if assessed else None,
                "opened_on": D(c[10]),
                "closed_on": D(c[11]) if c[11] else None,
                "full_name": c[12],
                "id_number": id_number(c[17], born, serial, gender == "M"),
                "mobile": c[13],
                "card_number": card_number(cid),
            }
        )
    inspections = []
    for inspection, branch, day, inspector, base in INSPECTIONS:
        for area, area_offset in AREA_OFFSETS.items():
            scores = {f"score_{s}": base + area_offset + o for s, o in S_OFFSETS.items()}
            inspections.append(
                {
                    "inspection_id": inspection,
                    "area": area,
                    "branch_id": branch,
                    "inspected_on": D(day),
                    "quarter_start": dt.date(2026, 7, 1),
                    "inspector_name": inspector,
                    **scores,
                }
            )
    service = [
        (branch, month, *values)
        for branch, per_month in SERVICE.items()
        for month, values in zip(MONTHS, per_month, strict=True)
    ]
    return {
        "dim_prefecture": pd.DataFrame(
            PREFECTURES, columns=["prefecture_id", "name_en", "name_zh", "population_10k"]
        ),
        "dim_cooperative": pd.DataFrame(
            COOPERATIVES,
            columns=["cooperative_id", "prefecture_id", "name_en", "name_zh", "legal_form"],
        ),
        "dim_branch": pd.DataFrame(
            [
                (*b[:6], D(b[6]), sum(1 for s in STAFF if s[1] == b[0]))
                for b in BRANCHES
            ],
            columns=[c.name for c in schema.dim_branch.columns],
        ),
        "dim_staff": pd.DataFrame(
            [(*s[:4], s[4], D(s[5]), s[6], D(s[7])) for s in STAFF],
            columns=[c.name for c in schema.dim_staff.columns],
        ).astype({"hongyan_level": "Int64"}),
        "dim_partner_employer": pd.DataFrame(
            EMPLOYERS, columns=[c.name for c in schema.dim_partner_employer.columns]
        ),
        "dim_household": pd.DataFrame(
            HOUSEHOLDS, columns=[c.name for c in schema.dim_household.columns]
        ),
        "dim_customer": pd.DataFrame(customers).astype(
            {"rm_staff_id": "Int64", "employer_id": "Int64"}
        ),
        "dim_product": pd.DataFrame(
            [(*p[:4], p[4], p[5], p[6], p[7], p[4] in rules.CORE_PRODUCT_CATEGORIES, p[8])
             for p in PRODUCTS],
            columns=[c.name for c in schema.dim_product.columns],
        ).astype({"term_months": "Int64", "exclusive_employer_id": "Int64"}),
        "fact_customer_month": _customer_months(holdings),
        "fact_product_holding": pd.DataFrame(holdings),
        "fact_product_sale": pd.DataFrame(
            sales, columns=[c.name for c in schema.fact_product_sale.columns]
        ),
        "fact_6s_inspection": pd.DataFrame(inspections),
        "fact_service_quality_month": pd.DataFrame(
            service, columns=[c.name for c in schema.fact_service_quality_month.columns]
        ),
        "fact_target": pd.DataFrame(
            [
                (n, level, branch, staff, metric, D("2026-01-01"), D("2026-12-31"), float(v))
                for n, (level, branch, staff, metric, v) in enumerate(TARGETS, start=50001)
            ],
            columns=[c.name for c in schema.fact_target.columns],
        ).astype({"staff_id": "Int64"}),
        "fact_vip_service_use": pd.DataFrame(
            [
                (n, cid, next(c[1] for c in CUSTOMERS if c[0] == cid), service, D(day),
                 D(day).replace(day=1))
                for n, (cid, service, day) in enumerate(VIP_USES, start=90001)
            ],
            columns=[c.name for c in schema.fact_vip_service_use.columns],
        ),
    }  # fmt: skip


# ------------------------------------------------------------------ build, export, check


def build(warehouse: Warehouse) -> None:
    """Write the sample as a warehouse version, refresh it (the data tests must pass)."""
    data = frames()
    with warehouse.build() as engine:
        bulk.create_tables(engine)
        for table in schema.SOURCE_TABLES:
            bulk.write_frame(engine, table, data[table.name])
        meta = {
            "version_id": "extract-sample",
            "built_at": dt.datetime(2026, 10, 3, 2, 0),
            "source": "load",
            "is_demo": False,
            "first_month": MONTHS[0],
            "as_of_month": MONTHS[-1],
            "count_customers": len(CUSTOMERS),
            "seed": None,
            "refreshed_at": None,
        }
        bulk.write_frame(engine, schema.meta_warehouse, pd.DataFrame([meta]))
        refresh_engine(engine)


def export(warehouse: Warehouse, folder: Path) -> dict[str, str]:
    """Export in the sample's encodings, with a fixed creation time; returns file -> sha256."""
    manifest = export_warehouse(warehouse, folder, "csv", encodings=ENCODINGS, producer=PRODUCER)
    path = folder / MANIFEST_NAME
    raw = json.loads(path.read_text("utf-8"))
    raw["created_at"] = CREATED_AT
    path.write_text(json.dumps(raw, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return {f.file: f.sha256 for f in manifest.files}


def main() -> None:
    for stale in HERE.iterdir():
        if stale.suffix in (".csv", ".json"):
            stale.unlink()
    with tempfile.TemporaryDirectory(prefix="extract-sample-") as scratch:
        work = Path(scratch)
        built = Warehouse(f"duckdb:///{work / 'built.duckdb'}")
        build(built)
        written = export(built, HERE)
        # The sample must load cleanly and export back to the same bytes.
        loaded = Warehouse(f"duckdb:///{work / 'loaded.duckdb'}")
        load_extracts(loaded, HERE, "full", today=dt.date(2026, 11, 28), report=work / "r.csv")
        again = work / "again"
        assert export(loaded, again) == written, "the sample does not round-trip byte for byte"
        shutil.rmtree(again)
    size = sum(p.stat().st_size for p in HERE.iterdir())
    print(f"wrote {len(written)} files to {HERE} ({size:,} bytes)")


if __name__ == "__main__":
    main()
