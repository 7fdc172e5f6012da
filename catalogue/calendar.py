"""The Spring Festival calendar and the first-quarter campaign (开门红), declared once.

The Spring Festival (春节, the first day of the lunar year) moves between 21 January and
20 February; migrant workers' returns, year-end bonuses and the first-quarter deposit campaign
(开门红) follow it (RCC-PRACTICE.md). The dates are the published calendar as a table (no
lunar-calendar library is pinned); a year outside it raises ValueError naming the table. The demo
generator keys its seasons to it (``data_access.demo.months``); the trends page aligns January to
March on it (``analytics.festival``).
"""

from __future__ import annotations

import datetime as dt

# Spring Festival (春节, first day of the lunar year) by Gregorian year: the published calendar.
SPRING_FESTIVAL: dict[int, dt.date] = {
    year: dt.date(year, month, day)
    for year, month, day in (
        (2010, 2, 14),
        (2011, 2, 3),
        (2012, 1, 23),
        (2013, 2, 10),
        (2014, 1, 31),
        (2015, 2, 19),
        (2016, 2, 8),
        (2017, 1, 28),
        (2018, 2, 16),
        (2019, 2, 5),
        (2020, 1, 25),
        (2021, 2, 12),
        (2022, 2, 1),
        (2023, 1, 22),
        (2024, 2, 10),
        (2025, 1, 29),
        (2026, 2, 17),
        (2027, 2, 6),
        (2028, 1, 26),
        (2029, 2, 13),
        (2030, 2, 3),
        (2031, 1, 23),
        (2032, 2, 11),
        (2033, 1, 31),
        (2034, 2, 19),
        (2035, 2, 8),
    )
}
# Months (1-12) whose seasonal pattern follows the festival rather than the calendar.
FESTIVAL_MONTHS = (1, 2, 3)
# The first-quarter campaign (开门红): from 1 January to 31 March, the months a cooperative counts
# its campaign result over (the change since the year's start at the end of March).
KAIMENHONG_MONTHS = (1, 2, 3)


def spring_festival(year: int) -> dt.date:
    """The Spring Festival of ``year``; ValueError outside the table."""
    try:
        return SPRING_FESTIVAL[year]
    except KeyError:
        first, last = min(SPRING_FESTIVAL), max(SPRING_FESTIVAL)
        raise ValueError(
            f"no Spring Festival date for {year}: the calendar covers {first}-{last} "
            "(add the year to catalogue.calendar.SPRING_FESTIVAL)"
        ) from None
