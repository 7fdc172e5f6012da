"""The bases a balance is measured on (口径), and the balance measures that have both, each
declared once.

A balance (financial assets now; deposits next) is read either at the month's end (月末, 时点)
or as the month's daily average (月日均: the mean of the day-end balances of the month's days).
The quarter's and the year's daily averages (季日均, 年日均) are the day-weighted means of the
months' daily averages (``analytics.review.period_daily_average``). Since 2018 the regulator
asks banks to assess on daily averages (银保监办发〔2018〕111号), so the organisation's default
is the daily average (``data_access.settings.default_basis``); the sidebar switches it, and the
URL keeps the choice (``?basis=end``).

A balance plugs in by one ``catalogue.metrics.BalanceMeasure`` entry (``BALANCE_MEASURES``:
savings deposits and their lines, financial assets): its month-end column and its daily-average
column (both summed per month in the marts at refresh, so a daily average costs no more to read
than a month-end), and the target series of each basis (``data_access.scorecards.SERIES``).
Pages, the opening line (``analytics.review``), the KPI cards and the rankings read the column
of the chosen basis through ``BalanceMeasure.column``.
"""

from __future__ import annotations

from dataclasses import dataclass

DAILY_AVG = "avg"
MONTH_END = "end"


@dataclass(frozen=True)
class Basis:
    """One basis: its code (kept in the URL), its names and how a month is labelled with it
    (``label_en`` / ``label_zh`` take the month's short name or number: "Sep month-end",
    "9月末")."""

    code: str
    name_en: str
    name_zh: str
    label_en: str
    label_zh: str


# In the order the basis switch lists them: the regulator's basis first.
BASES: tuple[Basis, ...] = (
    Basis(DAILY_AVG, "Daily average", "日均", "{month} daily avg", "{month}月日均"),
    Basis(MONTH_END, "Month-end", "月末", "{month} month-end", "{month}月末"),
)
BASIS_BY_CODE: dict[str, Basis] = {b.code: b for b in BASES}
CODES: tuple[str, ...] = tuple(BASIS_BY_CODE)
DEFAULT = DAILY_AVG  # the default of the organisation setting ``default_basis``


def check(basis: str) -> str:
    """``basis`` if it is a basis code; ``ValueError`` naming the accepted codes otherwise."""
    if basis not in BASIS_BY_CODE:
        raise ValueError(f"unknown basis {basis!r}: expected one of {', '.join(CODES)}")
    return basis


# ------------------------------------------------------------------ the tier basis (层级口径)
TIER_END = "end"
TIER_AVG3 = "avg3"


@dataclass(frozen=True)
class TierBasis:
    """What a customer's tier is judged on (the organisation setting ``tier_basis``).

    ``months`` is how many months the measure spans (the month and the ones before it) and
    ``column`` the ``fact_customer_month`` column it reads: ``end`` is the month-end financial
    assets (``aum_rmb``) of the month alone; ``avg3`` is the day-weighted mean of the daily-average
    financial assets (``aum_avg_rmb``) of the month and the two before it (a customer with fewer
    months uses those they have). ``analytics.tiers.tier_measure`` computes either.
    """

    code: str
    months: int
    column: str
    name_en: str
    name_zh: str


TIER_BASES: tuple[TierBasis, ...] = (
    TierBasis(TIER_AVG3, 3, "aum_avg_rmb", "3-month daily average", "近三个月日均"),
    TierBasis(TIER_END, 1, "aum_rmb", "month-end balance", "月末余额"),
)
TIER_BASIS_BY_CODE: dict[str, TierBasis] = {b.code: b for b in TIER_BASES}
TIER_BASIS_CODES: tuple[str, ...] = tuple(TIER_BASIS_BY_CODE)
TIER_DEFAULT = TIER_AVG3  # the default of the organisation setting ``tier_basis``


def check_tier_basis(code: str) -> TierBasis:
    """The tier basis of ``code``; ``ValueError`` naming the accepted codes otherwise."""
    if code not in TIER_BASIS_BY_CODE:
        raise ValueError(
            f"unknown tier basis {code!r}: expected one of {', '.join(TIER_BASIS_CODES)}"
        )
    return TIER_BASIS_BY_CODE[code]
