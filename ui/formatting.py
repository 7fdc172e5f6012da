"""Numbers, money, percentages and dates, formatted the same way on every page, per language.

English: money with three significant digits and a scale word (``¥1.23 bn``, ``¥45.6 M``,
``¥12.3 K``, ``¥950``), counts with thousands separators (``12,345``).
简体中文: money in 万 / 亿 with 元 (``1.23亿元``, ``45.6万元``, ``950元``), counts of 10,000 or more
in 万 / 亿 (``1.23万``), months as ``2026年9月``.

Every function takes the language explicitly (``lang=None`` means the session's language), so the
formats are unit-tested without Streamlit. ``None`` and NaN show as an em dash.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from catalogue import basis
from catalogue.units import UNITS
from ui.i18n import current_lang

DASH = "—"
MINUS = "-"  # ASCII, so st.metric reads the sign of a delta string

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# (threshold, divisor, suffix), largest first.
_EN_MONEY = ((1e12, 1e12, " tn"), (1e9, 1e9, " bn"), (1e6, 1e6, " M"), (1e3, 1e3, " K"))
_ZH_SCALE = ((1e12, 1e12, "万亿"), (1e8, 1e8, "亿"), (1e4, 1e4, "万"))


def _lang(lang: str | None) -> str:
    return lang or current_lang()


def _missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def sig3(value: float) -> str:
    """A non-negative number with three significant digits (``1.23``, ``45.6``, ``612``, ``1,234``).

    Values that round up to the next decade keep three digits (``9.996`` -> ``10.0``).
    """
    if value < 9.995:
        return f"{value:.2f}"
    if value < 99.95:
        return f"{value:.1f}"
    return f"{value:,.0f}"


def _scaled(value: float, scales: tuple[tuple[float, float, str], ...]) -> tuple[str, str] | None:
    """Pick the scale for ``value`` (None = no scale); a value that rounds up into the next
    scale takes that one, so 999,999 shows as ``1.00 M`` rather than ``1,000 K``."""
    chosen: int | None = None
    for index, (threshold, _, _) in enumerate(scales):
        if value >= threshold:
            chosen = index
            break
    if chosen is None:
        if scales and round(value) >= scales[-1][0]:
            chosen = len(scales) - 1
        else:
            return None
    divisor = scales[chosen][1]
    text = sig3(value / divisor)
    if chosen > 0 and float(text.replace(",", "")) * divisor >= scales[chosen - 1][0]:
        chosen -= 1
        divisor = scales[chosen][1]
        text = sig3(value / divisor)
    return text, scales[chosen][2]


def money(value: float | None, lang: str | None = None) -> str:
    """An amount in RMB: ``¥1.23 bn`` / ``1.23亿元``; negative amounts take a leading minus."""
    if _missing(value):
        return DASH
    lang = _lang(lang)
    amount = float(value)  # type: ignore[arg-type]
    sign = MINUS if amount < 0 and round(abs(amount)) > 0 else ""
    amount = abs(amount)
    if lang == "zh":
        scaled = _scaled(amount, _ZH_SCALE)
        if scaled is None:
            return f"{sign}{amount:,.0f}元"
        return f"{sign}{scaled[0]}{scaled[1]}元"
    scaled = _scaled(amount, _EN_MONEY)
    if scaled is None:
        return f"{sign}¥{amount:,.0f}"
    return f"{sign}¥{scaled[0]}{scaled[1]}"


def count(value: float | None, lang: str | None = None) -> str:
    """A number of things: ``12,345`` in English, ``1.23万`` in Chinese from 10,000 up."""
    if _missing(value):
        return DASH
    lang = _lang(lang)
    number = float(value)  # type: ignore[arg-type]
    sign = MINUS if number < 0 and round(abs(number)) > 0 else ""
    number = abs(number)
    scaled = _scaled(number, _ZH_SCALE) if lang == "zh" else None
    if scaled is None:
        return f"{sign}{number:,.0f}"
    return f"{sign}{scaled[0]}{scaled[1]}"


def pct(value: float | None, lang: str | None = None, digits: int = 1) -> str:
    """A percentage given in percent units: ``pct(12.345)`` -> ``12.3%``."""
    if _missing(value):
        return DASH
    return f"{float(value):.{digits}f}%"  # type: ignore[arg-type]


def signed_pct(value: float | None, lang: str | None = None, digits: int = 1) -> str:
    """A growth rate with its sign: ``+3.4%``, ``-2.1%``, ``0.0%``."""
    if _missing(value):
        return DASH
    number = round(float(value), digits)  # type: ignore[arg-type]
    if number == 0:
        return f"{0:.{digits}f}%"
    sign = "+" if number > 0 else MINUS
    return f"{sign}{abs(number):.{digits}f}%"


def points(value: float | None, lang: str | None = None) -> str:
    """A score out of 100 with one decimal: ``87.5``."""
    if _missing(value):
        return DASH
    return f"{float(value):.1f}"  # type: ignore[arg-type]


def rate(value: float | None, lang: str | None = None) -> str:
    """An interest or cost rate a year, in percent with two decimals: ``1.35%``."""
    return pct(value, lang, digits=2)


_BY_UNIT = {"money": money, "count": count, "pct": pct, "points": points, "rate": rate}


def by_unit(value: float | None, unit: str, lang: str | None = None) -> str:
    """``value`` formatted by its unit (a code of ``catalogue.units``): the one entry point a
    metric's or a column's unit picks its formatter through."""
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}; expected one of {sorted(UNITS)}")
    return _BY_UNIT[unit](value, _lang(lang))


def signed_by_unit(
    change: float | None, unit: str, lang: str | None = None, measure: str = ""
) -> str:
    """A difference in ``unit`` with its sign: ``+¥1.23 M`` / ``+1.23万元``, ``+3`` / ``+3户``
    (``measure``: the Chinese measure word of what is counted), ``+1.5 pp`` / ``+1.5个百分点``,
    ``+1.5`` (points). A change that rounds to zero has no sign."""
    if _missing(change):
        return DASH
    lang = _lang(lang)
    number = float(change)  # type: ignore[arg-type]
    digits = 0 if unit in ("money", "count") else 2 if unit == "rate" else 1
    if round(number, digits) == 0:
        number = 0.0
    sign = "+" if number > 0 else MINUS if number < 0 else ""
    if unit in ("pct", "rate"):
        body = f"{abs(number):.{digits}f}" + ("个百分点" if lang == "zh" else " pp")
    elif unit == "count":
        body = count(abs(number), lang) + (measure if lang == "zh" else "")
    else:
        body = by_unit(abs(number), unit, lang)
    return sign + body


SMALL_BASE = 20  # below this many things, a change is told in things, not in percent


def delta(
    current: float | None,
    previous: float | None,
    unit: str,
    lang: str | None = None,
    measure: str = "",
) -> str:
    """The change from ``previous`` to ``current`` as a KPI delta or a change column shows it.

    Money and counts change by a percentage (``+3.4%``), except counts whose base is under
    :data:`SMALL_BASE`, which change by units (``+1`` / ``+1户``: "+50%" of two customers says
    little); percentages change by percentage points and scores by points
    (:func:`signed_by_unit`). A dash when either value is missing, or when a percentage change
    has a zero base.
    """
    if _missing(current) or _missing(previous):
        return DASH
    now, before = float(current), float(previous)  # type: ignore[arg-type]
    if unit in ("pct", "rate", "points") or (unit == "count" and abs(before) < SMALL_BASE):
        return signed_by_unit(now - before, unit, lang, measure)
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}; expected one of {sorted(UNITS)}")
    if before == 0:
        return DASH
    return signed_pct((now - before) / abs(before) * 100.0, lang)


def _as_date(value: dt.date | dt.datetime | str) -> dt.date:
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        return value.date()
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        return value.to_pydatetime().date()
    return value


def _no_date(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def month(value: dt.date | dt.datetime | str | None, lang: str | None = None) -> str:
    """A month: ``Sep 2026`` / ``2026年9月``; a dash when missing (``None``, ``NaT``)."""
    if _no_date(value):
        return DASH
    day = _as_date(value)
    if _lang(lang) == "zh":
        return f"{day.year}年{day.month}月"
    return f"{_MONTHS_EN[day.month - 1]} {day.year}"


def basis_month(
    value: dt.date | dt.datetime | str | None, basis_code: str, lang: str | None = None
) -> str:
    """Which month and basis a balance is (``catalogue.basis``): ``9月日均`` / ``9月末`` in
    Chinese, ``Sep daily avg`` / ``Sep month-end`` in English; a dash when the month is missing.
    Raises ``ValueError`` for an unknown basis."""
    basis.check(basis_code)
    if _no_date(value):
        return DASH
    day = _as_date(value)
    chosen = basis.BASIS_BY_CODE[basis_code]
    if _lang(lang) == "zh":
        return chosen.label_zh.format(month=day.month)
    return chosen.label_en.format(month=_MONTHS_EN[day.month - 1])


def date(value: dt.date | dt.datetime | str | None, lang: str | None = None) -> str:
    """A day: ``1 Sep 2026`` / ``2026年9月1日``; a dash when missing (``None``, ``NaT``)."""
    if _no_date(value):
        return DASH
    day = _as_date(value)
    if _lang(lang) == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


def money_unit(largest: float, lang: str | None = None) -> tuple[float, str]:
    """Divisor and unit label for a money axis whose largest value is ``largest``.

    English: ``(1e6, "¥ M")``; Chinese: ``(1e4, "万元")`` or ``(1e8, "亿元")``.
    """
    largest = abs(largest) if not _missing(largest) else 0.0
    if _lang(lang) == "zh":
        if largest >= 1e8:
            return 1e8, "亿元"
        if largest >= 1e4:
            return 1e4, "万元"
        return 1.0, "元"
    for threshold, divisor, suffix in _EN_MONEY:
        if largest >= threshold:
            return divisor, f"¥{suffix}"
    return 1.0, "¥"


def count_unit(largest: float, lang: str | None = None) -> tuple[float, str]:
    """Divisor and unit label for a count axis (``(1e4, "万户")`` in Chinese from 100,000 up)."""
    largest = abs(largest) if not _missing(largest) else 0.0
    if _lang(lang) == "zh":
        if largest >= 1e5:
            return 1e4, "万户"
        return 1.0, "户"
    if largest >= 1e6:
        return 1e6, "M"
    return 1.0, ""


def plotly_month_format(lang: str | None = None) -> str:
    """The d3 time format plotly uses for month ticks and hover headers."""
    return "%Y年%-m月" if _lang(lang) == "zh" else "%b %Y"
