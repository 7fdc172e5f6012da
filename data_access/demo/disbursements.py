"""Disbursements (代发): who is paid a salary, a pension or a farm subsidy, and on which days.

Salaries reach the staff of partner employers only; pensions (代发养老金: urban employees' and
rural residents' basic pension, paid from 60 onto the social-security card) and farm subsidies
(惠农补贴, paid once a household onto its head's card, "一卡通") are the rural anchor, so a
farmer can hold the disbursement part of the core bundle. Each kind has its payment day and
months (estimate; the payment calendars differ by county): salaries and pensions monthly, farm
subsidies in the spring (耕地地力保护补贴) and autumn (producer subsidies) batches.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from catalogue import codes

SALARY, PENSION, FARM_SUBSIDY = (
    codes.DISBURSEMENT_KIND.code(c) for c in ("salary", "pension", "farm_subsidy")
)
ALL_MONTHS = tuple(range(1, 13))


@dataclass(frozen=True)
class Payment:
    """When a kind is paid: the day of the month and the calendar months (1-12)."""

    kind: str
    day: int
    months: tuple[int, ...]


SCHEDULE: dict[str, Payment] = {
    SALARY: Payment(SALARY, 10, ALL_MONTHS),
    PENSION: Payment(PENSION, 15, ALL_MONTHS),
    FARM_SUBSIDY: Payment(FARM_SUBSIDY, 20, (5, 6, 10)),
}

# Who is paid through the cooperative (estimate): customers of 60 and over with the
# social-security card almost all draw their pension here, others less often; a farm
# household's head holds the subsidy card.
PENSION_AGE = 60
PENSION_SHARE_SSC = 0.9
PENSION_SHARE_OTHER = 0.35
SUBSIDY_SHARE_HEAD = 0.8
SUBSIDY_SHARE_FARMER = 0.15  # a farmer who is not the head but farms land of their own


def draw(
    rng: np.random.Generator,
    age: np.ndarray,
    ssc_card: np.ndarray,
    is_farm: np.ndarray,
    household_member: np.ndarray,
    is_farmer: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """(pension, farm_subsidy) flags per customer."""
    n = len(age)
    pension = (age >= PENSION_AGE) & (
        rng.random(n) < np.where(ssc_card, PENSION_SHARE_SSC, PENSION_SHARE_OTHER)
    )
    head = household_member == 0
    subsidy_p = np.where(head, SUBSIDY_SHARE_HEAD, np.where(is_farmer, SUBSIDY_SHARE_FARMER, 0.0))
    farm_subsidy = is_farm & (age >= 18) & (rng.random(n) < subsidy_p)
    return pension, farm_subsidy


def paid_months(kind: str, calendar_month: np.ndarray) -> np.ndarray:
    """Whether ``kind`` is paid in each month of the window (``calendar_month`` 0-11)."""
    return np.isin(np.asarray(calendar_month) + 1, SCHEDULE[kind].months)
