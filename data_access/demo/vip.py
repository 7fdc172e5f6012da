"""fact_vip_service_use: value-added services for customers with assets of 1,000,000 RMB or more.

VIP services go to customers at or above ``rules.VIP_THRESHOLD_RMB`` in the month of use. About
half of the eligible VIPs at a county-town or community outlet use at least one service in a
year, fewer at a township outlet (estimate): a share of them are users, who use a service about
three times a year; the others never do. Rural VIPs use what a cooperative can offer at the counter:
priority service, their own manager, festival care and fee waivers come first; health checks
and hospital guidance follow; roadside rescue and airport lounges are rare, rarest in townships.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from analytics import rules
from catalogue import codes
from data_access.demo import months as calendar
from data_access.demo.customers import Population
from data_access.demo.monthly import ChunkMonths, Context
from data_access.demo.organisation import COMMUNITY, COUNTY_TOWN, TOWNSHIP
from data_access.demo.rng import stream

SERVICE_CODES = codes.VIP_SERVICE.codes
# Share of each service among uses (in the code list's order), by outlet type (estimate).
SERVICE_WEIGHTS = {
    "priority_service": (0.30, 0.32),
    "dedicated_manager": (0.16, 0.18),
    "festival_care": (0.18, 0.22),
    "fee_waiver": (0.14, 0.15),
    "health_checkup": (0.10, 0.08),
    "hospital_guidance": (0.06, 0.04),
    "roadside_rescue": (0.04, 0.008),
    "airport_lounge": (0.02, 0.002),
}  # (county town and community outlets, township outlets)
# Share of eligible VIPs who use services at all, by outlet type (estimate).
USER_SHARE = {COUNTY_TOWN: 0.62, TOWNSHIP: 0.48, COMMUNITY: 0.65}
USES_PER_MONTH = 0.25  # a user's uses per eligible month (about three a year)


def _weights(column: int) -> np.ndarray:
    weights = np.array([SERVICE_WEIGHTS[c][column] for c in SERVICE_CODES])
    return weights / weights.sum()


def vip_use_table(
    ctx: Context, pop: Population, facts: ChunkMonths, chunk: int, first_id: int
) -> pa.Table:
    rng = stream(ctx.seed, "vip", chunk)
    share = np.select([pop.branch_type == t for t in USER_SHARE], list(USER_SHARE.values()), 0.0)
    user = rng.random(len(pop)) < share
    eligible = facts.alive & ~facts.closing & (facts.aum >= rules.VIP_THRESHOLD_RMB)
    month, customer = np.nonzero(eligible & user[None, :])
    uses = rng.poisson(USES_PER_MONTH, len(customer))
    month, customer = np.repeat(month, uses), np.repeat(customer, uses)
    size = len(customer)
    township = pop.branch_type[customer] == TOWNSHIP
    cumulative = np.where(
        township[:, None], np.cumsum(_weights(1))[None, :], np.cumsum(_weights(0))[None, :]
    )
    pick = np.minimum((rng.random(size)[:, None] > cumulative).sum(axis=1), len(SERVICE_CODES) - 1)
    service = np.array(SERVICE_CODES, dtype=object)[pick]
    return pa.table(
        {
            "use_id": pa.array(first_id + np.arange(size, dtype=np.int64)),
            "customer_id": pa.array(pop.customer_id[customer]),
            "branch_id": pa.array(pop.branch[customer] + 1),
            "service_type": pa.array(service, pa.string()),
            "used_on": pa.array(
                calendar.month_days(ctx.first_month, month, rng.integers(1, 29, size))
            ),
            "month_start": pa.array(calendar.month_days(ctx.first_month, month, 1)),
        }
    )
