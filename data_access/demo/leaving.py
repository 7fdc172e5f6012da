"""How a leaver leaves (流失路径): closing the accounts, or leaving a few yuan behind.

Rural customers rarely close the passbook. The usual path is that a time deposit matures and is
not renewed, or the money is transferred to a big bank's new county branch, and the account
stays open with a few yuan in it (RCC-PRACTICE.md, "到期名单"; DEMO-DATA-FACTS, "transfers out to
other banks are a real churn path"). customers.py draws who leaves and when (the churn hazard);
this module draws the path; behaviour.py turns an open-account leaver into a non-renewal (a time
deposit matures near the drawn month, MATURITY_REACH_*) or a transfer (otherwise).

CLOSURE_SHARE is calibrated so that closures are about a quarter of the churners the churn
definition labels (analytics/churn/definition.py), soft churners (customers.py) included.
"""

from __future__ import annotations

import numpy as np

STAYS, CLOSURE, NON_RENEWAL, TRANSFER = 0, 1, 2, 3
PATH_CODES = ("stays", "closure", "non_renewal", "transfer")

# Share of leavers who close every account (estimate; about a quarter of labelled churners).
CLOSURE_SHARE = 0.3
# A leaver whose time deposit matures from this many months before the drawn month to this many
# after it leaves then (the decision waits for the maturity; estimate).
MATURITY_REACH_BEFORE = 6
MATURITY_REACH_AFTER = 12
# What a leaver who keeps the account leaves in it (RMB, log-normal, capped below 100).
RESIDUAL_MEDIAN_RMB = 12.0
RESIDUAL_SIGMA = 0.9
RESIDUAL_MAX_RMB = 95.0


def draw_closures(rng: np.random.Generator, leaves: np.ndarray) -> np.ndarray:
    """Which leavers close every account (the others keep the passbook with a few yuan)."""
    return leaves & (rng.random(len(leaves)) < CLOSURE_SHARE)


def residual_rmb(rng: np.random.Generator, n: int) -> np.ndarray:
    """The few yuan an open-account leaver leaves behind."""
    value = RESIDUAL_MEDIAN_RMB * np.exp(rng.normal(0.0, RESIDUAL_SIGMA, n))
    return np.round(np.clip(value, 0.5, RESIDUAL_MAX_RMB), 2)
