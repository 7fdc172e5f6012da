"""The opening line of the monthly business review, drawn at the top of the overview, trends,
My branch and targets pages: balance, change since 1 January (较年初), annual plan attainment
(年计划完成率) against time elapsed (时间进度) with the gap in the targets' light colours, and
the change since the quarter start (较季初). Computed in ``analytics.review``."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import review
from catalogue import basis, metrics, units
from data_access import overview
from data_access.filters import Filters
from data_access.viewer import Viewer
from ui import cache
from ui import formatting as fmt
from ui.i18n import current_lang, t
from ui.scorecard_marks import LIGHT_MARK

_annual_plans = cache.scoped(overview.annual_plans)

# Streamlit's text colours for the targets' lights (amber shows as orange).
LIGHT_COLOUR: dict[str, str] = {"green": "green", "amber": "orange", "red": "red"}


def plans_for(
    viewer: Viewer, filters: Filters, basis_code: str
) -> tuple[dict[str, float], tuple[str, ...]]:
    """The annual plans (growth target metric code -> the year's plan: the units' branch targets
    of the filter month's year, summed) and the note to show when there are none: plans are for
    all tiers, so a tier filter has none."""
    if filters.month is None:
        return {}, ()
    if filters.tiers:
        return {}, (t("review.plan_all_tiers"),)
    return dict(_annual_plans(viewer, filters, filters.month.year)), ()


def draw_all(
    monthly: pd.DataFrame,
    month: object,
    basis_code: str,
    plans: dict[str, float],
    notes: tuple[str, ...] = (),
) -> list[review.Opening]:
    """The opening lines of every balance the review opens with (``metrics.REVIEW_MEASURES``:
    savings deposits, then financial assets), each against its plan in ``plans`` (growth target
    metric code -> the year's plan)."""
    return [
        draw(
            monthly,
            month,
            basis_code,
            plans.get(metrics.growth_target(code, basis_code)),
            measure_code=code,
            notes=notes,
        )
        for code in metrics.REVIEW_MEASURES
    ]


def gap_text(opening: review.Opening, lang: str | None = None) -> str | None:
    """The gap between attainment and time elapsed, coloured by the light (None: no plan)."""
    if opening.gap_pts is None or opening.light is None:
        return None
    lang = lang or current_lang()
    sign = "+" if opening.gap_pts >= 0 else fmt.MINUS
    text = t(
        "review.gap",
        mark=LIGHT_MARK[opening.light],
        gap=f"{sign}{abs(opening.gap_pts):.1f}",
    )
    return f":{LIGHT_COLOUR[opening.light]}[{text}]"


def draw(
    monthly: pd.DataFrame,
    month: object,
    basis_code: str,
    plan: float | None,
    measure_code: str = "aum",
    notes: tuple[str, ...] = (),
) -> review.Opening:
    """Draw the opening line of balance ``measure_code`` on ``basis_code`` for ``month`` of
    ``monthly`` against the annual ``plan`` (the year's planned growth on that basis); ``notes``
    are shown under it (why a plan is missing). Returns the figures drawn."""
    lang = current_lang()
    measure = metrics.balance_measure(measure_code)
    column = measure.column(basis_code)
    opening = review.opening(monthly, column, month, plan)
    label = fmt.basis_month(month, basis_code, lang)
    name = measure.name_zh if lang == "zh" else f"{measure.name_en} {measure.name_zh}"
    with st.container(border=True, key=f"review_{measure_code}"):
        st.subheader(t("review.title", measure=name), help=t("review.help"), anchor=False)
        cells = st.columns(5, gap="small")
        with cells[0]:
            st.metric(
                t("review.balance", label=label),
                fmt.money(opening.value, lang),
                help=t("review.balance_help"),
            )
        with cells[1]:
            st.metric(
                t("review.ytd"),
                fmt.signed_by_unit(opening.change_ytd, units.MONEY, lang),
                help=t("review.ytd_help"),
            )
        with cells[2]:
            st.metric(
                t("review.attainment"),
                fmt.pct(opening.attainment_pct, lang),
                help=t("review.attainment_help"),
            )
            gap = gap_text(opening, lang)
            if gap:
                st.markdown(gap)
        with cells[3]:
            st.metric(
                t("review.elapsed"),
                fmt.pct(opening.elapsed_pct, lang),
                help=t("review.elapsed_help"),
            )
        with cells[4]:
            st.metric(
                t("review.qtd"),
                fmt.signed_by_unit(opening.change_qtd, units.MONEY, lang),
                help=t("review.qtd_help"),
            )
        reasons = [t(f"review.{code}") for code in opening.missing if code != review.NO_PLAN]
        if review.NO_PLAN in opening.missing:
            reasons.append(notes[0] if notes else t("review.no_plan"))
        if basis_code == basis.DAILY_AVG:
            quarter = review.period_daily_average(monthly, column, month, "quarter")
            year = review.period_daily_average(monthly, column, month, "year")
            reasons.insert(
                0,
                t(
                    "review.period_avgs",
                    quarter=fmt.money(quarter, lang),
                    year=fmt.money(year, lang),
                ),
            )
        if reasons:
            st.caption(" · ".join(reasons))
    return opening
