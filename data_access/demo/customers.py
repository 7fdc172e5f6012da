"""Who the customers are: households, demographics, wealth, life cycle and product propensities.

Everything here is static per customer and drawn for the whole population at once (a few dozen
arrays of a million values), so the monthly simulation can then run chunk by chunk. Shares come
from DEMO-DATA-FACTS: occupations, ages, 25% of customers with almost nothing and the rest
log-normal (median ~6,300 RMB, sigma ~1.8) shifted by occupation and branch type, churn of ~8% a
year for mass customers and ~4% for VIPs, product penetration, 25-30% sleeping accounts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

import numpy as np

from analytics import rules
from catalogue import codes
from data_access.demo import disbursements, leaving
from data_access.demo.months import month_starts, opening_weight
from data_access.demo.organisation import COMMUNITY, COUNTY_TOWN, TOWNSHIP, Organisation
from data_access.demo.rng import row_choice, stream

OCCUPATION_CODES = codes.OCCUPATION.codes
FARMER, MIGRANT, BUSINESS, ENTERPRISE, CIVIL, RETIREE, STUDENT, OTHER = (
    OCCUPATION_CODES.index(c)
    for c in (
        "farmer",
        "migrant_worker",
        "business_owner",
        "enterprise_staff",
        "civil_servant",
        "retiree",
        "student",
        "other",
    )
)
INDUSTRY_CODES = codes.INDUSTRY_CLASS.codes
NEVER = 10_000  # month offset meaning "not in this window"

# Occupation mix in farm households and in town households; the blend gives the facts' shares
# (farmers 35%, migrant workers 22%, business 10%, enterprise 8%, civil servants 7%, ...).
OCCUPATION_FARM = np.array([0.55, 0.33, 0.03, 0.01, 0.005, 0.03, 0.03, 0.045])
OCCUPATION_TOWN = np.array([0.08, 0.09, 0.20, 0.16, 0.15, 0.17, 0.04, 0.11])
FARM_HOUSEHOLD_SHARE = {TOWNSHIP: 0.82, COUNTY_TOWN: 0.45, COMMUNITY: 0.08}
HOUSEHOLD_SIZES = np.array([1, 2, 3, 4])
HOUSEHOLD_SIZE_SHARES = np.array([0.35, 0.35, 0.2, 0.1])

# Age by occupation: mean, sd, min, max (gives 18-30 ~14%, 31-45 ~26%, 46-60 ~32%, 60+ ~28%).
AGE = np.array(
    [
        [58, 13, 20, 88],
        [37, 10.5, 18, 62],
        [45, 10, 22, 72],
        [35, 10, 20, 60],
        [40, 10, 22, 60],
        [69, 7, 50, 92],
        [20.5, 1.8, 18, 25],
        [50, 19, 18, 90],
    ]
)
MALE_SHARE = np.array([0.5, 0.66, 0.58, 0.55, 0.5, 0.45, 0.5, 0.45])
INDUSTRY_SHARES = np.array([0.12, 0.32, 0.18, 0.14, 0.07, 0.05, 0.12])

# Wealth: share with almost nothing, and shifts of log assets by occupation and branch type.
NEAR_ZERO = np.array([0.30, 0.28, 0.12, 0.18, 0.08, 0.15, 0.55, 0.35])
LOG_SHIFT_OCCUPATION = np.array([-0.25, -0.1, 0.75, 0.15, 0.55, 0.45, -1.2, -0.1])
LOG_SHIFT_BRANCH = np.array([0.15, -0.15, 0.4])  # county_town, township, community
MEDIAN_RMB = 6_300.0
SIGMA = 1.8
HOUSEHOLD_SD = 0.45
AR_SD = 0.23  # stationary sd of the month-to-month wobble (see monthly.py)

RISK_SHARES = np.array([0.30, 0.38, 0.22, 0.08, 0.02])
# Share of customers ever risk-assessed (estimate; practice: most rural customers never were, 85-90%
# 未评估): every wealth, fund and gold customer, then others, more often the better-off.
ASSESSED_SHARE = 0.12
ASSESSED_BEFORE_MONTHS = 36  # others' latest assessment lies up to this far back
PAYROLL_BY_OCCUPATION = np.array([0.01, 0.02, 0.0, 0.6, 0.85, 0.05, 0.0, 0.05])
LOAN_BY_OCCUPATION = np.array([0.24, 0.1, 0.34, 0.08, 0.12, 0.02, 0.0, 0.07])

ANNUAL_CHURN_MASS = 0.092
NEW_PER_YEAR = 0.10
SOFT_CHURN_PER_YEAR = 0.035
SLEEPING_TARGET = 0.31


@dataclass
class Population:
    """Static attributes of every customer, as parallel arrays (customer ``i`` at index ``i``)."""

    customer_id: np.ndarray
    branch: np.ndarray  # branch position (branch_id - 1)
    branch_type: np.ndarray
    household_id: np.ndarray
    household_member: np.ndarray
    is_farm_household: np.ndarray
    occupation: np.ndarray
    industry: np.ndarray  # -1 unless business owner
    age: np.ndarray
    is_male: np.ndarray
    risk: np.ndarray  # 0..4 = C1..C5
    employer_id: np.ndarray  # 0 = none
    level: np.ndarray  # long-run assets at the as-of month (RMB)
    near_zero: np.ndarray
    sleeping: np.ndarray
    open_m: np.ndarray  # month offset from the window's first month (negative: before)
    open_day: np.ndarray
    close_m: np.ndarray  # NEVER unless the customer closes every account
    close_day: np.ndarray
    churn_gradual: np.ndarray  # leaves with warning signs (else abruptly)
    churn_lead: np.ndarray
    churn_depth: np.ndarray
    to_other_bank: np.ndarray
    leave_m: np.ndarray  # NEVER when the customer stays; close_m too when the account is closed
    soft_start: np.ndarray  # NEVER unless a soft churner
    soft_length: np.ndarray
    soft_floor: np.ndarray
    mobile_m: np.ndarray  # month mobile banking was opened (NEVER: not a user)
    ssc_card: np.ndarray
    feitian_card: np.ndarray
    td_user: np.ndarray
    td_term: np.ndarray
    td_phase: np.ndarray
    td_share: np.ndarray
    wealth_user: np.ndarray
    wealth_term: np.ndarray
    wealth_phase: np.ndarray
    wealth_share: np.ndarray
    fund_start: np.ndarray
    fund_end: np.ndarray
    fund_share: np.ndarray
    insurance_start: np.ndarray
    insurance_share: np.ndarray
    bond_start: np.ndarray
    bond_share: np.ndarray
    metal: np.ndarray
    loan_user: np.ndarray
    loan_term: np.ndarray
    loan_phase: np.ndarray
    loan_principal: np.ndarray
    base_rm: np.ndarray  # staff position of the account manager, -1 for none
    wealth_manager: np.ndarray  # staff position of the branch wealth manager for upgrades
    txn_rate: np.ndarray
    mobile_share: np.ndarray
    self_service_share: np.ndarray
    turnover: np.ndarray
    spend_rate: np.ndarray
    wobble: np.ndarray  # sd of monthly innovations of log assets
    pension: np.ndarray  # paid a pension through the cooperative (代发养老金)
    farm_subsidy: np.ndarray  # paid farm subsidies through the cooperative (惠农补贴)
    assessed: np.ndarray  # ever risk-assessed (else 未评估: no grade)
    assessed_ago: np.ndarray  # months before the as-of month of the latest assessment

    @property
    def disbursements(self) -> np.ndarray:
        """Kinds of disbursement (代发: salary, pension, farm subsidy) each customer is paid."""
        return ((self.employer_id > 0).astype(np.int8) + self.pension + self.farm_subsidy).astype(
            np.int8
        )

    def __len__(self) -> int:
        return len(self.customer_id)

    def take(self, start: int, stop: int) -> Population:
        """The customers ``start:stop`` (views, no copies)."""
        return Population(**{f.name: getattr(self, f.name)[start:stop] for f in fields(self)})


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _calibrate(p: np.ndarray, target: float, cap: float = 0.97) -> np.ndarray:
    """Scale probabilities so they average ``target`` (a few fixed-point steps with a cap)."""
    scaled = p.copy()
    for _ in range(6):
        scaled = np.minimum(scaled * target / max(scaled.mean(), 1e-12), cap)
    return scaled


def _ranked_grades(score: np.ndarray, shares: np.ndarray) -> np.ndarray:
    order = np.argsort(score, kind="stable")
    cuts = np.round(np.cumsum(shares)[:-1] * len(score)).astype(int)
    grades = np.empty(len(score), dtype=np.int8)
    grades[order] = np.searchsorted(cuts, np.arange(len(score)), side="right")
    return grades


def _assessments(seed: int, n: int, buyer: np.ndarray, log_level: np.ndarray):
    """Who was ever risk-assessed and how many months before the as-of month (a separate stream,
    so the other draws stay as they were). Buyers' dates follow their sales (people.py)."""
    rng = stream(seed, "risk_assessment")
    others = max(ASSESSED_SHARE * n - buyer.sum(), 0.0) / max((~buyer).sum(), 1)
    p = _calibrate(_sigmoid((log_level - np.log(30_000)) / 1.2), others)
    assessed = buyer | (rng.random(n) < p)
    return assessed, rng.integers(0, ASSESSED_BEFORE_MONTHS, n)


def _households(rng: np.random.Generator, org: Organisation, n: int):
    branch = np.repeat(np.arange(len(org.branch_customers)), org.branch_customers)
    sizes = HOUSEHOLD_SIZES[row_choice(rng, np.tile(HOUSEHOLD_SIZE_SHARES, (n // 2 + 2, 1)))]
    raw = np.searchsorted(np.cumsum(sizes), np.arange(n), side="right")
    boundary = np.r_[True, (raw[1:] != raw[:-1]) | (branch[1:] != branch[:-1])]
    household = np.cumsum(boundary)
    starts = np.flatnonzero(boundary)
    member = np.arange(n) - np.repeat(starts, np.diff(np.r_[starts, n]))
    farm_p = np.array([FARM_HOUSEHOLD_SHARE[t] for t in range(3)])[org.branch_type]
    farm_household = rng.random(household[-1]) < farm_p[branch[starts]]
    return branch, household, member, farm_household


def _ages(rng: np.random.Generator, occupation: np.ndarray) -> np.ndarray:
    mean, sd, low, high = (AGE[occupation, k] for k in range(4))
    return np.clip(np.round(rng.normal(mean, sd)), low, high).astype(np.int16)


def _levels(rng, occupation, branch_type, branch_effect, household, age):
    n = len(occupation)
    near_zero = rng.random(n) < NEAR_ZERO[occupation]
    shift = LOG_SHIFT_OCCUPATION[occupation] + LOG_SHIFT_BRANCH[branch_type] + branch_effect
    shift = shift + 0.25 * np.clip((age - 45) / 20, -1, 1)  # savings grow with age
    shift = shift + rng.normal(0, HOUSEHOLD_SD, household.max() + 1)[household]
    rest = ~near_zero
    explained = shift[rest].var()
    idio = np.sqrt(max(SIGMA**2 - explained - AR_SD**2, 0.5))
    log_level = np.log(MEDIAN_RMB) + shift - shift[rest].mean() + rng.normal(0, idio, n)
    level = np.where(near_zero, rng.uniform(0.0, 95.0, n) * (rng.random(n) < 0.8), 0.0)
    return np.where(near_zero, level, np.exp(log_level)), near_zero


def _new_customers(rng, months: int, age, occupation) -> np.ndarray:
    """Who opened during the window (about 10% of the stock a year, younger more often)."""
    n = len(age)
    years = months / 12
    p_new = NEW_PER_YEAR * years / (1 + NEW_PER_YEAR * years)
    tilt = np.where(age < 30, 1.6, np.where(age > 60, 0.6, 1.0)) * np.where(
        occupation == STUDENT, 1.8, 1.0
    )
    return rng.random(n) < _calibrate(p_new * tilt, p_new)


def build_population(seed: int, org: Organisation, months: int, as_of: dt.date) -> Population:
    """Draw every customer's static attributes (deterministic in ``seed``)."""
    rng = stream(seed, "customers")
    n = int(org.branch_customers.sum())
    window = month_starts(as_of, months)
    branch, household, member, farm_household = _households(rng, org, n)
    branch_type = org.branch_type[branch]
    is_farm = farm_household[household - 1]
    occupation = row_choice(
        rng, np.where(is_farm[:, None], OCCUPATION_FARM, OCCUPATION_TOWN)
    ).astype(np.int8)
    age = _ages(rng, occupation)
    is_male = rng.random(n) < MALE_SHARE[occupation]
    industry = np.where(
        occupation == BUSINESS, row_choice(rng, np.tile(INDUSTRY_SHARES, (n, 1))), -1
    ).astype(np.int8)
    level, near_zero = _levels(
        rng, occupation, branch_type, org.branch_effect[branch], household, age
    )
    log_level = np.log(np.maximum(level, 1.0))
    rank = np.searchsorted([t.floor_rmb for t in rules.TIERS], level, side="right") - 1

    # -------------------------------------------------------------- products
    adult = age >= 18
    mobile_p = np.select([age <= 30, age <= 45, age <= 60], [0.8, 0.62, 0.35], 0.12)
    mobile_p = (
        mobile_p
        * np.where(occupation == FARMER, 0.8, 1.0)
        * np.where(occupation == CIVIL, 1.2, 1.0)
    )
    ssc_p = np.select(
        [occupation == FARMER, occupation == RETIREE, occupation == MIGRANT, occupation == STUDENT],
        [0.75, 0.8, 0.55, 0.2],
        0.4,
    )
    ssc_card = rng.random(n) < _calibrate(ssc_p, 0.55)
    feitian_card = ~ssc_card | (rng.random(n) < 0.35)
    td_user = ~near_zero & (rng.random(n) < 0.95 * _sigmoid((log_level - np.log(2000)) / 0.7))
    td_term = np.array([3, 6, 12, 24, 36, 60])[
        row_choice(rng, np.tile([0.04, 0.06, 0.33, 0.14, 0.35, 0.08], (n, 1)))
    ].astype(np.int16)
    wealth_p = _sigmoid((log_level - np.log(150_000)) / 0.55)
    wealth_user = ~near_zero & (rng.random(n) < _calibrate(wealth_p, 0.047))
    wealth_term = np.array([3, 6, 12])[row_choice(rng, np.tile([0.3, 0.4, 0.3], (n, 1)))]
    fund_p = _sigmoid((log_level - np.log(100_000)) / 0.7) * np.where(age < 55, 1.5, 0.5)
    fund_user = ~near_zero & (rng.random(n) < _calibrate(fund_p, 0.019))
    ins_p = _sigmoid((log_level - np.log(60_000)) / 0.8) * np.where(
        (age >= 30) & (age <= 60), 1.3, 0.8
    )
    ins_user = ~near_zero & (rng.random(n) < _calibrate(ins_p, 0.045))
    bond_p = _sigmoid((log_level - np.log(80_000)) / 0.7) * np.where(age > 50, 2.0, 0.6)
    bond_user = ~near_zero & (rng.random(n) < _calibrate(bond_p, 0.011))
    metal = ~near_zero & (rng.random(n) < _calibrate(_sigmoid((log_level - 12.0) / 0.7), 0.004))
    loan_p = LOAN_BY_OCCUPATION[occupation] * np.where(is_farm, 1.2, 0.8)
    loan_user = adult & (rng.random(n) < _calibrate(loan_p, 0.17))
    loan_term = np.array([12, 24, 36])[row_choice(rng, np.tile([0.6, 0.1, 0.3], (n, 1)))]
    loan_mu = np.select([occupation == BUSINESS, occupation == FARMER], [11.9, 10.8], 11.2)
    loan_principal = np.round(np.clip(np.exp(rng.normal(loan_mu, 0.5)), 10_000, 1_000_000), -3)

    # Payroll customers (代发) work for a partner employer of their own cooperative.
    coop = org.branch_coop[branch]
    payroll = rng.random(n) < PAYROLL_BY_OCCUPATION[occupation] * 0.85
    payroll &= org.employer_count[coop] > 0
    employer_pos = org.employer_first[coop] + np.floor(
        rng.random(n) * np.maximum(org.employer_count[coop], 1)
    ).astype(np.int64)
    employer_id = np.where(payroll, employer_pos + 1, 0)

    # -------------------------------------------------------------- life cycle and churn
    is_new = _new_customers(rng, months, age, occupation)
    # New customers open more often in the first quarter (the 开门红 campaign, keyed to the
    # Spring Festival).
    open_weight = opening_weight(window)
    new_month = np.searchsorted(
        np.cumsum(open_weight) / open_weight.sum(), rng.random(n), side="right"
    )
    tenure_cap = np.clip((age - 17) * 12, 12, 30 * 12)
    tenure = 1 + np.floor(rng.random(n) ** 1.3 * tenure_cap).astype(np.int64)
    open_m = np.where(is_new, new_month, -tenure).astype(np.int64)
    sleeping_p = np.where(near_zero, 0.78, 0.07) * np.where(age > 60, 1.4, 1.0)
    sleeping = ~is_new & (rng.random(n) < _calibrate(sleeping_p, SLEEPING_TARGET))

    mobile_user = rng.random(n) < _calibrate(mobile_p * np.where(sleeping, 0.4, 1.0), 0.45)
    adopted_in_window = rng.random(n) < 0.22
    mobile_m = np.where(
        mobile_user,
        np.where(
            adopted_in_window,
            np.maximum(open_m, 0) + np.floor(rng.random(n) * months).astype(np.int64),
            # Mobile banking came to the cooperatives in the last seven years or so.
            -1 - np.floor(rng.random(n) * np.clip(-open_m, 1, 84)).astype(np.int64),
        ),
        NEVER,
    )
    mobile_m = np.maximum(mobile_m, open_m)  # not before the customer opened
    mobile_m = np.where(mobile_m >= months, NEVER, mobile_m)
    core_products = (1 + (mobile_m < months) + payroll + wealth_user + ins_user).astype(float)
    tier_effect = np.array([1.0, 0.85, 0.7, 0.5, 0.45])[rank]
    hazard = (
        tier_effect
        * np.select([age < 30, age > 60], [1.35, 0.75], 1.0)
        * np.select(
            [occupation == MIGRANT, occupation == STUDENT, occupation == CIVIL],
            [1.3, 1.3, 0.7],
            1.0,
        )
        * np.where(payroll, 0.6, 1.0)
        * np.where(loan_user, 0.7, 1.0)
        * np.where(sleeping, 0.45, 1.0)
        * np.where(branch_type == COMMUNITY, 1.25, 1.0)
        * np.where(open_m > -24, 1.4, 1.0)
        * 0.85 ** (core_products - 1)
    )
    hazard *= ANNUAL_CHURN_MASS / hazard[rank == 0].mean()
    monthly = 1 - (1 - np.minimum(hazard, 0.6)) ** (1 / 12)
    survive = rng.geometric(monthly)
    start = np.maximum(open_m, 0)
    close_m = np.where(is_new, open_m + survive, start + survive - 1)
    leave_m = np.where(close_m < months, close_m, NEVER)
    leaves = leave_m < months
    # Only some leavers close their accounts; the others leave a few yuan behind (leaving.py).
    closes = leaving.draw_closures(stream(seed, "churn_paths"), leaves)
    close_m = np.where(closes, leave_m, NEVER)
    churn_gradual = leaves & (rng.random(n) < 0.65)
    churn_lead = np.array([2, 3, 4, 5, 6])[
        row_choice(rng, np.tile([0.2, 0.25, 0.25, 0.15, 0.15], (n, 1)))
    ]
    churn_depth = rng.uniform(0.5, 0.95, n)
    to_other_bank = rng.random(n) < np.where(level >= 50_000, 0.8, 0.55)
    years = months / 12
    soft = (
        ~leaves & ~near_zero & ~sleeping & (rng.random(n) < 1 - (1 - SOFT_CHURN_PER_YEAR) ** years)
    )
    soft_start = np.where(
        soft, np.maximum(start, 1) + np.floor(rng.random(n) * months).astype(np.int64), NEVER
    )
    soft_start = np.where(soft_start < months - 1, soft_start, NEVER)

    # -------------------------------------------------------------- term-product timing
    def _phase(term: np.ndarray) -> np.ndarray:
        # A holding running when the window opens started after the customer did.
        low = np.maximum(open_m + term, 0)
        existing = low + np.floor(rng.random(n) * (term - low)).astype(np.int64)
        return np.where(open_m >= 0, open_m + rng.integers(0, 3, n), existing)

    def _start(user: np.ndarray, before: float) -> np.ndarray:
        in_window = np.maximum(open_m, 0) + np.floor(rng.random(n) * months).astype(np.int64)
        held_before = -1 - np.floor(rng.random(n) * np.clip(-open_m, 1, 36)).astype(np.int64)
        return np.where(
            user,
            np.where((rng.random(n) < before) & (open_m < 0), held_before, in_window),
            NEVER,
        )

    fund_start = _start(fund_user, 0.75)
    fund_end = np.where(rng.random(n) < 0.15, fund_start + 3 + rng.integers(0, months, n), NEVER)

    # -------------------------------------------------------------- relationship managers
    has_am = (rng.random(n) < 0.6) | loan_user
    am = org.am_first[branch] + np.floor(rng.random(n) * org.am_count[branch]).astype(np.int64)
    wm = org.wm_first[branch] + np.floor(rng.random(n) * org.wm_count[branch]).astype(np.int64)

    # -------------------------------------------------------------- behaviour
    rate = np.select([age <= 30, age <= 45, age <= 60], [14.0, 12.0, 8.0], 4.5)
    rate *= np.select(
        [occupation == BUSINESS, occupation == CIVIL, occupation == FARMER, occupation == RETIREE],
        [1.8, 1.3, 0.7, 0.8],
        1.0,
    ) * np.exp(rng.normal(0, 0.35, n))
    mobile_share = np.clip(
        np.select([age <= 30, age <= 45, age <= 60], [0.85, 0.78, 0.62], 0.45)
        + rng.normal(0, 0.08, n)
        + np.select([branch_type == TOWNSHIP, branch_type == COMMUNITY], [-0.05, 0.05], 0.0),
        0.05,
        0.97,
    )
    self_service_share = np.clip(
        np.where(branch_type == TOWNSHIP, 0.5, 0.68) + rng.normal(0, 0.1, n), 0.05, 0.95
    )
    turnover = np.clip(
        1_500
        * (np.maximum(level, 100) / MEDIAN_RMB) ** 0.35
        * np.where(occupation == BUSINESS, 2.5, 1.0)
        * np.exp(rng.normal(0, 0.3, n)),
        150,
        400_000,
    )
    spend_rate = (
        turnover * np.clip(rng.normal(0.25, 0.08, n), 0.05, 0.6) * np.where(age < 45, 1.3, 0.8)
    )
    risk_score = (
        0.6 * (age < 35)
        - 0.5 * (age > 60)
        + 0.35 * (log_level - np.log(MEDIAN_RMB)) / SIGMA
        + rng.normal(0, 1, n)
    )
    risk = _ranked_grades(risk_score, RISK_SHARES)
    # Suitability: holders of wealth products (R2-R4) and funds (R3-R5) were assessed for them.
    risk = np.where(wealth_user, np.maximum(risk, 1), risk)
    risk = np.where(fund_user, np.maximum(risk, 2), risk).astype(np.int8)
    # Gold accumulation (R3) needs an assessment too: its holders were assessed (their grade is
    # not raised for it: a few of them hold it above their grade, as the suitability list shows).
    assessed, assessed_ago = _assessments(seed, n, wealth_user | fund_user | metal, log_level)
    pension, farm_subsidy = disbursements.draw(
        stream(seed, "disbursements"),
        age,
        ssc_card,
        is_farm,
        member,
        occupation == FARMER,
    )

    return Population(
        customer_id=np.arange(1, n + 1, dtype=np.int64),
        branch=branch,
        branch_type=branch_type,
        household_id=household.astype(np.int64),
        household_member=member,
        is_farm_household=is_farm,
        occupation=occupation,
        industry=industry,
        age=age,
        is_male=is_male,
        risk=risk,
        employer_id=employer_id,
        level=level,
        near_zero=near_zero,
        sleeping=sleeping,
        open_m=open_m,
        open_day=rng.integers(1, 29, n),
        close_m=close_m,
        close_day=rng.integers(1, 29, n),
        churn_gradual=churn_gradual,
        churn_lead=churn_lead,
        churn_depth=churn_depth,
        to_other_bank=to_other_bank,
        leave_m=leave_m,
        soft_start=soft_start,
        soft_length=rng.integers(2, 6, n),
        soft_floor=rng.uniform(0.05, 0.3, n),
        mobile_m=mobile_m,
        ssc_card=ssc_card,
        feitian_card=feitian_card,
        td_user=td_user,
        td_term=td_term,
        td_phase=_phase(td_term),
        td_share=rng.beta(10.0, 1.3, n),
        wealth_user=wealth_user,
        wealth_term=wealth_term,
        wealth_phase=_phase(wealth_term),
        wealth_share=rng.uniform(0.2, 0.5, n),
        fund_start=fund_start,
        fund_end=fund_end,
        fund_share=rng.uniform(0.05, 0.25, n),
        insurance_start=_start(ins_user, 0.8),
        insurance_share=rng.uniform(0.05, 0.2, n),
        bond_start=_start(bond_user, 0.7),
        bond_share=rng.uniform(0.1, 0.35, n),
        metal=metal,
        loan_user=loan_user,
        loan_term=loan_term,
        loan_phase=_phase(loan_term),
        loan_principal=loan_principal,
        base_rm=np.where(has_am & (org.am_count[branch] > 0), am, -1),
        wealth_manager=wm,
        txn_rate=rate,
        mobile_share=mobile_share,
        self_service_share=self_service_share,
        turnover=turnover,
        spend_rate=spend_rate,
        wobble=np.where(sleeping, 0.02, rng.uniform(0.08, 0.16, n)),
        pension=pension,
        farm_subsidy=farm_subsidy,
        assessed=assessed,
        assessed_ago=assessed_ago,
    )
