"""Star and traffic-light marks, and target values in their units, shared by the scorecard
pages, tables and the report."""

from __future__ import annotations

import pandas as pd

from analytics import scorecard_rules as sr
from catalogue import metrics
from ui import formatting as fmt
from ui.i18n import name_of, translate

STAR, NO_STAR = "★", "☆"
LIGHT_MARK: dict[str, str] = {"green": "🟢", "amber": "🟡", "red": "🔴"}
DASH = "—"


def stars_text(stars: object, top: int | None = None) -> str:
    """★★★☆☆ for three stars of five; a dash when unknown."""
    if stars is None or pd.isna(stars):
        return DASH
    top = top or max(s for _, s in sr.STAR_BANDS)
    n = int(stars)
    return STAR * n + NO_STAR * (top - n)


def metric_value_text(metric: str, value: object, lang: str) -> str:
    """A target metric's value in its catalogue unit: money as 万 / 亿 or ¥ K / M."""
    if value is None or pd.isna(value):
        return DASH
    return fmt.by_unit(float(value), metrics.target_metric(metric).unit, lang)


def metric_names(lang: str) -> dict[str, str]:
    """Target metric code -> its catalogue name in ``lang``, in catalogue order."""
    return {m.code: name_of(m, lang) for m in metrics.TARGET_METRICS}


def metric_unit_names(lang: str) -> dict[str, str]:
    """Target metric code -> the name of its unit in ``lang`` (元, 户, %, 分)."""
    return {m.code: translate(f"sc.unit_{m.unit}", lang) for m in metrics.TARGET_METRICS}
