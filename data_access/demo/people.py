"""dim_household and dim_customer rows: the population's attributes plus personal data.

Household members share the household's surname (except a spouse), ID numbers carry the
cooperative's region code and the customer's birth date, about 7% of customers (more among the
old) left no mobile number. ID numbers are drawn for the whole population at once because their
order code must be unique among people born the same day in the same region.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa

from analytics import rules
from catalogue import codes
from data_access.demo import months as calendar
from data_access.demo import names
from data_access.demo.customers import INDUSTRY_CODES, OCCUPATION_CODES, Population
from data_access.demo.monthly import ChunkMonths, Context
from data_access.demo.rng import stream


def household_frame(ctx: Context, pop: Population) -> pd.DataFrame:
    rng = stream(ctx.seed, "households")
    starts = np.flatnonzero(pop.household_member == 0)
    farm = pop.is_farm_household[starts]
    return pd.DataFrame(
        {
            "household_id": pop.household_id[starts],
            "branch_id": pop.branch[starts] + 1,
            "is_farm_household": farm,
            "village_zh": names.village_names(rng, len(starts), farm),
        }
    )


class Identity:
    """Household surnames and ID numbers for the whole population, drawn once."""

    def __init__(self, ctx: Context, pop: Population, as_of: dt.date) -> None:
        rng = stream(ctx.seed, "identity")
        self.surname = names.surnames(rng, int(pop.household_id.max()) + 1)
        region = ctx.org.region_code[ctx.org.branch_coop[pop.branch]]
        birth_year = as_of.year - pop.age.astype(np.int64)
        self.id_number = names.id_numbers(rng, region, birth_year, pop.is_male)


def _assessment_dates(rng, ctx: Context, pop: Population, facts: ChunkMonths) -> np.ndarray:
    """Date of each customer's latest risk assessment (meaningful where ``pop.assessed``).

    An assessment is valid for ``rules.RISK_ASSESSMENT_VALID_MONTHS``; a wealth or fund sale
    needs a valid one, so the latest assessment of a customer who bought in the window lies in the
    11 months before the last such sale (earlier sales were covered by earlier assessments). Other
    assessed customers were assessed some months before the as-of month, many now expired.
    """
    n, months = len(pop), ctx.months
    last_sale = np.full(n, -1, dtype=np.int64)
    wealth = facts.wealth
    inside = (wealth.open_m >= 0) & (wealth.open_m < months)
    np.maximum.at(last_sale, wealth.customer[inside], wealth.open_m[inside])
    # A fund due to start after the customer left was never bought (holdings._span).
    fund = (pop.fund_start >= 0) & (pop.fund_start < months) & (pop.fund_start < pop.close_m)
    last_sale = np.where(fund, np.maximum(last_sale, pop.fund_start), last_sale)
    back = rng.integers(1, rules.RISK_ASSESSMENT_VALID_MONTHS, n)
    month = np.where(last_sale >= 0, last_sale - back, months - 1 - pop.assessed_ago)
    month = np.maximum(month, pop.open_m)
    day = np.where(month == pop.open_m, pop.open_day, rng.integers(1, 29, n))
    return calendar.month_days(ctx.first_month, month, day)


def customer_table(
    ctx: Context, pop: Population, facts: ChunkMonths, identity: Identity, offset: int, chunk
) -> pa.Table:
    """dim_customer rows of a chunk that starts at population position ``offset``."""
    rng = stream(ctx.seed, "people", chunk)
    n, months = len(pop), ctx.months
    family = identity.surname[pop.household_id]
    spouse = pop.household_member == 1
    family = np.where(spouse, names.surnames(rng, n), family)
    mobile = names.mobiles(rng, n)
    no_mobile = rng.random(n) < np.where(pop.age > 65, 0.2, 0.04)
    last = np.clip(np.minimum(pop.close_m, months - 1), 0, months - 1)
    rm = facts.rm[last, np.arange(n)]
    closes = pop.close_m < months
    risk_codes = np.array(codes.RISK_GRADE.codes, dtype=object)
    assessed_on = _assessment_dates(rng, ctx, pop, facts)
    industry = np.array(INDUSTRY_CODES, dtype=object)[np.maximum(pop.industry, 0)]
    return pa.table(
        {
            "customer_id": pa.array(pop.customer_id),
            "branch_id": pa.array(pop.branch + 1),
            "rm_staff_id": pa.array(rm + 1, mask=rm < 0),
            "household_id": pa.array(pop.household_id),
            "employer_id": pa.array(pop.employer_id, mask=pop.employer_id == 0),
            "gender": pa.array(
                np.where(pop.is_male, codes.GENDER.code("M"), codes.GENDER.code("F")).astype(
                    object
                ),
                pa.string(),
            ),
            "birth_year": pa.array(ctx.window[-1].year - pop.age.astype(np.int64)),
            "occupation": pa.array(
                np.array(OCCUPATION_CODES, dtype=object)[pop.occupation], pa.string()
            ),
            "industry_class": pa.array(industry, pa.string(), mask=pop.industry < 0),
            "risk_grade": pa.array(risk_codes[pop.risk], pa.string(), mask=~pop.assessed),
            "risk_assessed_on": pa.array(assessed_on, mask=~pop.assessed),
            "opened_on": pa.array(calendar.month_days(ctx.first_month, pop.open_m, pop.open_day)),
            "closed_on": pa.array(
                calendar.month_days(
                    ctx.first_month, np.where(closes, pop.close_m, 0), pop.close_day
                ),
                mask=~closes,
            ),
            "full_name": pa.array(names.full_names(rng, pop.is_male, family), pa.string()),
            "id_number": pa.array(identity.id_number[offset : offset + n], pa.string()),
            "mobile": pa.array(mobile, pa.string(), mask=no_mobile),
            "card_number": pa.array(names.card_numbers(rng, pop.customer_id), pa.string()),
        }
    )
