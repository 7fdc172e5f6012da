"""fact_product_holding and fact_product_sale for a chunk, consistent with the month facts.

Every customer holds a demand account and a debit card (Feitian or social-security card);
mobile banking, the disbursements (salary, pension, farm subsidy), funds, insurance, bonds and
gold are spans; time deposits,
wealth-management products and loans are the chains of ``terms.py`` (so a customer with
``wealth_rmb > 0`` in a month holds a wealth product that month). Sales are the holdings of
investment products and loans opened inside the window, credited to the customer's manager;
each carries the fee income it earns (``products.FEE_RATES``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from data_access.demo import months as calendar
from data_access.demo.customers import NEVER, Population
from data_access.demo.monthly import ChunkMonths, Context
from data_access.demo.products import Catalogue, time_deposit_product, wealth_product
from data_access.demo.rng import stream
from data_access.demo.terms import Chain

SOLD_CATEGORIES = ("wealth", "fund", "insurance", "bond", "precious_metal", "loan")


@dataclass
class _Rows:
    customer: np.ndarray  # chunk positions
    product: np.ndarray
    category: str
    open_m: np.ndarray
    open_day: np.ndarray
    end_m: np.ndarray  # NEVER while held
    end_day: np.ndarray
    maturity_m: np.ndarray  # NEVER without a maturity
    amount: np.ndarray  # NaN = NULL
    renewed: np.ndarray  # -1 = NULL
    fee_rate: np.ndarray | None = None  # fee income per RMB sold (set by build_rows)


def _end(pop: Population, customer, end_m, day, months: int):
    """Holdings end when the customer closes (on the closing day); later ends are not known."""
    close = pop.close_m[customer]
    end = np.minimum(end_m, close)
    end = np.where(end >= months, NEVER, end)
    return end, np.where(end == close, pop.close_day[customer], day)


def _open_day(pop: Population, customer, open_m, day):
    """Not before the customer's own opening day when opened in the customer's first month."""
    return np.where(open_m == pop.open_m[customer], np.maximum(day, pop.open_day[customer]), day)


def _span(pop, mask, product, category, start_m, end_m, amount, rng, months) -> _Rows:
    # A span due to start after the customer left never started.
    customer = np.flatnonzero(mask & (start_m < pop.close_m))
    size = len(customer)
    start = start_m[customer]
    # Accounts opened with the customer share the customer's opening day.
    day = np.where(start == pop.open_m[customer], pop.open_day[customer], rng.integers(1, 29, size))
    end, end_day = _end(pop, customer, end_m[customer], day, months)
    return _Rows(
        customer,
        np.broadcast_to(product, mask.shape)[customer],
        category,
        start,
        day,
        end,
        end_day,
        np.full(size, NEVER),
        amount[customer],
        np.full(size, -1, dtype=np.int8),
    )


def _chain(pop, chain: Chain, product, category, amount_source, days, months) -> _Rows:
    customer = chain.customer
    day = _open_day(pop, customer, chain.open_m, days[customer])
    end, end_day = _end(pop, customer, chain.end_m, day, months)
    # Amount at opening: the first month the holding shows in the month facts.
    month = np.clip(chain.open_m, 0, months - 1)
    amount = amount_source[month, customer]
    return _Rows(
        customer,
        product,
        category,
        chain.open_m,
        day,
        end,
        end_day,
        chain.maturity_m,
        amount,
        chain.renewed,
    )


def build_rows(ctx: Context, pop: Population, facts: ChunkMonths, catalogue: Catalogue, chunk):
    """All holdings of the chunk's customers, grouped by product category."""
    rng = stream(ctx.seed, "holdings", chunk)
    n, months = len(pop), ctx.months
    none = np.zeros(n)  # cards, mobile banking and payroll carry no amount (column is NOT NULL)
    last = np.clip(np.minimum(pop.close_m, months - 1), 0, months - 1)
    everyone = np.ones(n, dtype=bool)
    demand_now = facts.assets["demand_deposit_rmb"][last, np.arange(n)]
    rows = [
        _span(
            pop,
            everyone,
            catalogue.id("DD-SAVINGS"),
            "demand_deposit",
            pop.open_m,
            np.full(n, NEVER),
            demand_now,
            rng,
            months,
        ),
        _span(
            pop,
            pop.feitian_card,
            catalogue.id("DC-FEITIAN"),
            "debit_card",
            pop.open_m,
            np.full(n, NEVER),
            none,
            rng,
            months,
        ),
        _span(
            pop,
            pop.ssc_card,
            catalogue.id("DC-SSC"),
            "debit_card",
            pop.open_m,
            np.full(n, NEVER),
            none,
            rng,
            months,
        ),
        _span(
            pop,
            pop.mobile_m < months,
            catalogue.id("MB-APP"),
            "mobile_banking",
            pop.mobile_m,
            np.full(n, NEVER),
            none,
            rng,
            months,
        ),
        *(
            _span(
                pop,
                paid,
                catalogue.id(code),
                "payroll",
                np.maximum(pop.open_m, -1 - rng.integers(0, 60, n)),
                np.full(n, NEVER),
                none,
                rng,
                months,
            )
            for paid, code in (
                (pop.employer_id > 0, "PAY-SALARY"),
                (pop.pension, "PAY-PENSION"),
                (pop.farm_subsidy, "PAY-SUBSIDY"),
            )
        ),
    ]
    value_at_start = {}
    for name, start in (
        ("fund", pop.fund_start),
        ("insurance", pop.insurance_start),
        ("bond", pop.bond_start),
    ):
        month = np.clip(start, 0, months - 1)
        value_at_start[name] = facts.assets[f"{name}_rmb"][month, np.arange(n)]
    fund_product = np.array([catalogue.id(c) for c in ("FD-MIXED", "FD-EQUITY", "FD-INDEX")])[
        np.clip(rng.integers(0, 3, n), 0, np.maximum(pop.risk - 2, 0))
    ]
    rows += [
        _span(
            pop,
            pop.fund_start < months,
            fund_product,
            "fund",
            pop.fund_start,
            pop.fund_end,
            value_at_start["fund"],
            rng,
            months,
        ),
        _span(
            pop,
            pop.insurance_start < months,
            # The R2 endowment needs a risk assessment; the unassessed buy the R1 annuity.
            np.where(
                (rng.random(n) < 0.6) | ~pop.assessed,
                catalogue.id("INS-ANNUITY"),
                catalogue.id("INS-LIFE"),
            ),
            "insurance",
            pop.insurance_start,
            np.full(n, NEVER),
            value_at_start["insurance"],
            rng,
            months,
        ),
        _span(
            pop,
            pop.bond_start < months,
            np.where(rng.random(n) < 0.6, catalogue.id("BD-SAV-3Y"), catalogue.id("BD-SAV-5Y")),
            "bond",
            pop.bond_start,
            np.full(n, NEVER),
            value_at_start["bond"],
            rng,
            months,
        ),
        _span(
            pop,
            pop.metal,
            catalogue.id("PM-GOLD"),
            "precious_metal",
            np.maximum(pop.open_m, -1 - rng.integers(0, 36, n)),
            np.full(n, NEVER),
            np.round(pop.level * rng.uniform(0.02, 0.08, n), 2),
            rng,
            months,
        ),
    ]
    days = rng.integers(1, 29, n)
    td = facts.time_deposits
    td_amount = facts.assets["time_deposit_rmb"][np.clip(td.open_m, 0, months - 1), td.customer]
    rows.append(
        _chain(
            pop,
            td,
            time_deposit_product(rng, catalogue, pop.td_term[td.customer], td_amount),
            "time_deposit",
            facts.assets["time_deposit_rmb"],
            days,
            months,
        )
    )
    wealth = facts.wealth
    product = wealth_product(
        rng, catalogue, pop.wealth_term[wealth.customer], pop.risk[wealth.customer]
    )
    # Staff of partner employers with an exclusive product buy it about half the time.
    employer = pop.employer_id[wealth.customer]
    exclusive = np.where(employer > 0, catalogue.exclusive_by_employer[employer - 1], 0)
    product = np.where((exclusive > 0) & (rng.random(len(product)) < 0.5), exclusive, product)
    rows.append(_chain(pop, wealth, product, "wealth", facts.assets["wealth_rmb"], days, months))
    loans = facts.loans
    loan_product = np.select(
        [pop.loan_term == 12, pop.loan_term == 24],
        [catalogue.id("LN-FARM-12M"), catalogue.id("LN-FARM-24M")],
        catalogue.id("LN-BIZ-36M"),
    )[loans.customer]
    rows.append(_chain(pop, loans, loan_product, "loan", facts.loan, days, months))
    rates = catalogue.fee_rates
    for r in rows:
        r.fee_rate = rates[np.asarray(r.product, dtype=np.int64)]
    return rows


def _dates(first_month, month: np.ndarray, day: np.ndarray) -> pa.Array:
    valid = month < NEVER
    values = calendar.month_days(first_month, np.where(valid, month, 0), day)
    return pa.array(values, mask=~valid)


def holding_table(ctx: Context, pop: Population, rows: list[_Rows], first_id: int) -> pa.Table:
    customer = np.concatenate([r.customer for r in rows])
    amount = np.concatenate([r.amount for r in rows])
    renewed = np.concatenate([r.renewed for r in rows])
    open_m = np.concatenate([r.open_m for r in rows])
    maturity = np.concatenate([r.maturity_m for r in rows])
    return pa.table(
        {
            "holding_id": pa.array(first_id + np.arange(len(customer), dtype=np.int64)),
            "customer_id": pa.array(pop.customer_id[customer]),
            "product_id": pa.array(np.concatenate([r.product for r in rows]).astype(np.int64)),
            "branch_id": pa.array(pop.branch[customer] + 1),
            "opened_on": _dates(
                ctx.first_month, open_m, np.concatenate([r.open_day for r in rows])
            ),
            "closed_on": _dates(
                ctx.first_month,
                np.concatenate([r.end_m for r in rows]),
                np.concatenate([r.end_day for r in rows]),
            ),
            "maturity_on": _dates(
                ctx.first_month, maturity, np.concatenate([r.open_day for r in rows])
            ),
            "amount_rmb": pa.array(np.round(amount, 2), mask=np.isnan(amount)),
            "is_renewed": pa.array(renewed == 1, mask=renewed < 0),
        }
    )


def sale_table(
    ctx: Context, pop: Population, facts: ChunkMonths, rows: list[_Rows], first_id: int
) -> tuple[pa.Table, tuple[np.ndarray, ...]]:
    """Sales: investment products by the wealth manager, loans by the account manager.

    Returns the table and (staff position, month, amount, is_wealth, branch position) per sale
    for the target actuals.
    """
    org = ctx.org
    parts = []
    for r in rows:
        if r.category not in SOLD_CATEGORIES:
            continue
        inside = (r.open_m >= 0) & (r.open_m < ctx.months) & ~np.isnan(r.amount)
        customer, month = r.customer[inside], r.open_m[inside]
        branch = pop.branch[customer]
        if r.category == "loan":
            staff = np.where(
                pop.base_rm[customer] >= 0, pop.base_rm[customer], org.am_first[branch]
            )
        else:
            manager = facts.rm[month, customer]
            is_wm = np.isin(manager, np.flatnonzero(org.staff["role"] == "wealth_manager"))
            staff = np.where(is_wm, manager, org.wm_first[branch])
        parts.append(
            (
                customer,
                staff,
                r.product[inside],
                month,
                r.open_day[inside],
                r.amount[inside],
                np.full(len(customer), r.category == "wealth"),
                r.fee_rate[inside],
            )
        )
    customer, staff, product, month, day, amount, is_wealth, rate = (
        np.concatenate(p) for p in zip(*parts, strict=True)
    )
    sold = calendar.month_days(ctx.first_month, month, day)
    table = pa.table(
        {
            "sale_id": pa.array(first_id + np.arange(len(customer), dtype=np.int64)),
            "staff_id": pa.array(staff + 1),
            "branch_id": pa.array(pop.branch[customer] + 1),
            "customer_id": pa.array(pop.customer_id[customer]),
            "product_id": pa.array(product.astype(np.int64)),
            "sold_on": pa.array(sold),
            "month_start": pa.array(calendar.month_days(ctx.first_month, month, 1)),
            "amount_rmb": pa.array(np.round(amount, 2)),
            "fee_income_rmb": pa.array(np.round(amount * rate, 2)),
        }
    )
    return table, (staff, month, amount, is_wealth, pop.branch[customer])
