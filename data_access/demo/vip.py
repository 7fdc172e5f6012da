"""fact_vip_service_use: value-added services for customers with assets of 1,000,000 RMB or more.

The seed article's VIP services (airport lounges, roadside rescue, hospital guidance, health
check-ups) go to customers at or above ``rules.VIP_THRESHOLD_RMB`` in the month of use. About
half of the eligible VIPs use at least one service in a year: a share of them are users, who
use about two a year, the others never do.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from analytics import rules
from catalogue import codes
from data_access.demo import months as calendar
from data_access.demo.customers import Population
from data_access.demo.monthly import ChunkMonths, Context
from data_access.demo.rng import choice_index, stream

SERVICE_CODES = codes.VIP_SERVICE.codes
SERVICE_WEIGHTS = np.array([0.32, 0.14, 0.24, 0.30])
USER_SHARE = 0.7
USES_PER_MONTH = 0.3


def vip_use_table(
    ctx: Context, pop: Population, facts: ChunkMonths, chunk: int, first_id: int
) -> pa.Table:
    rng = stream(ctx.seed, "vip", chunk)
    user = rng.random(len(pop)) < USER_SHARE
    eligible = facts.alive & ~facts.closing & (facts.aum >= rules.VIP_THRESHOLD_RMB)
    month, customer = np.nonzero(eligible & user[None, :])
    uses = rng.poisson(USES_PER_MONTH, len(customer))
    month, customer = np.repeat(month, uses), np.repeat(customer, uses)
    size = len(customer)
    service = np.array(SERVICE_CODES, dtype=object)[choice_index(rng, SERVICE_WEIGHTS, size)]
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
