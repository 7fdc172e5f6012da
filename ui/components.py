"""Building blocks every page shares: the page header, KPI cards, the data-as-of stamp."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from analytics import kpis
from analytics.kpis import Kpi
from catalogue import basis, metrics
from catalogue.metrics import HeadlineMetric
from data_access import settings
from ui import formatting as fmt
from ui.i18n import current_lang, headline_label, t, translate


@dataclass(frozen=True)
class KpiCard:
    """One headline number: its label, formatted value, change and one-line definition.

    ``mom`` and ``yoy`` are the changes as shown (``fmt.delta``: ``+3.4%``, or ``+1`` / ``+1户``
    for a count on a small base); None when there is no such comparison.
    """

    label: str
    value: str
    help: str
    mom: str | None = None
    yoy: str | None = None
    trend: Sequence[float] = field(default_factory=tuple)
    has_year_ago: bool = True  # False: the same month last year is not in the data


def page_header(title: str, caption: str | None = None) -> None:
    st.title(title, anchor=False)
    if caption:
        st.caption(caption)


def kpi_card(
    kpi: Kpi,
    label: str,
    help_text: str,
    unit: str,
    trend: Sequence[float],
    lang: str | None = None,
    measure: str = "户",
) -> KpiCard:
    """A card for an ``analytics.kpis.Kpi`` in ``unit`` (a ``catalogue.units`` code).

    ``measure``: the Chinese measure word of a count (customers: 户), for a change told in units.
    """
    lang = lang or current_lang()

    def change(base: float | None) -> str | None:
        return None if base is None else fmt.delta(kpi.value, base, unit, lang, measure)

    return KpiCard(
        label,
        fmt.by_unit(kpi.value, unit, lang),
        help_text,
        change(kpi.previous),
        change(kpi.year_ago),
        tuple(trend),
        has_year_ago=kpi.year_ago is not None,
    )


def headline_label_on(
    metric: HeadlineMetric, month: object, basis_code: str, lang: str | None = None
) -> str:
    """A headline metric's label; a balance's says its month and basis ("金融资产（AUM） ·
    9月日均", "Financial assets 金融资产（AUM） · Sep daily avg")."""
    lang = lang or current_lang()
    label = headline_label(metric, lang)
    if metrics.balance_of_column(metric.column) is None:
        return label
    return f"{label} · {fmt.basis_month(month, basis_code, lang)}"


def headline_help(metric: HeadlineMetric, basis_code: str, lang: str | None = None) -> str:
    """A headline metric's one-line definition on ``basis_code`` (``kpi.<code>_help``, or
    ``kpi.<code>_avg_help`` for a balance on the daily average)."""
    lang = lang or current_lang()
    on_avg = basis_code == basis.DAILY_AVG and metrics.balance_of_column(metric.column) is not None
    return translate(f"kpi.{metric.code}_avg_help" if on_avg else f"kpi.{metric.code}_help", lang)


def headline_cards(
    monthly: pd.DataFrame,
    month: pd.Timestamp,
    window: pd.DataFrame,
    lang: str | None = None,
    basis_code: str = basis.MONTH_END,
) -> list[KpiCard]:
    """The cards of the catalogue's headline metrics (``catalogue.metrics.HEADLINE_METRICS``)
    for ``month`` of ``monthly``, each with its label, definition and unit from the catalogue
    and its trend over ``window`` (the months shown); balances on ``basis_code``, labelled with
    their month and basis."""
    lang = lang or current_lang()
    return [
        kpi_card(
            kpi,
            headline_label_on(metric, month, basis_code, lang),
            headline_help(metric, basis_code, lang),
            metric.unit,
            window[kpis.headline_column(metric, basis_code)],
            lang,
        )
        for metric, kpi in kpis.headline_kpis(monthly, month, basis_code)
    ]


def _signed(text: str) -> bool:
    return text.startswith(("+", fmt.MINUS))


def _yoy_line(card: KpiCard) -> str:
    if not card.has_year_ago or card.yoy is None:
        return t("kpi.no_yoy")
    text = card.yoy  # a dash when last year's value was zero
    if text.startswith("+"):
        value = f":green[:material/arrow_upward: {text}]"
    elif text.startswith(fmt.MINUS):
        value = f":red[:material/arrow_downward: {text}]"
    else:
        value = text
    return t("kpi.yoy", value=value)


def kpi_row(cards: Sequence[KpiCard]) -> None:
    """KPI cards side by side: value, change vs last month (with a sparkline) and vs last year."""
    definitions = t("kpi.definitions")
    for column, card in zip(st.columns(len(cards), gap="medium"), cards, strict=True):
        with column, st.container(border=True, height="stretch"):
            mom = card.mom if card.mom != fmt.DASH else None  # no base, no change
            flat = mom is not None and not _signed(mom)
            st.metric(
                card.label,
                card.value,
                delta=mom,
                delta_description=t("kpi.mom") if mom is not None else None,
                delta_color="off" if flat else "normal",
                delta_arrow="off" if flat else "auto",
                help=f"{card.help}\n\n{definitions}",
                chart_data=list(card.trend) or None,
                chart_type="area",
            )
            st.caption(_yoy_line(card))


def _as_datetime(value: object) -> dt.datetime | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    stamp = pd.Timestamp(value)
    return None if pd.isna(stamp) else stamp.to_pydatetime()


def data_as_of(info: dict) -> None:
    """The sidebar stamp: the month the data runs to, when it was refreshed, and a demo badge."""
    lang = current_lang()
    parts = [t("stamp.as_of", month=fmt.month(info.get("as_of_month"), lang))]
    refreshed = _as_datetime(info.get("refreshed_at")) or _as_datetime(info.get("built_at"))
    if refreshed is not None:
        parts.append(t("stamp.refreshed", date=fmt.date(refreshed, lang)))
    st.caption(":material/event: " + " · ".join(parts))
    if info.get("is_demo"):
        st.badge(
            t("stamp.demo"), icon=":material/science:", color="orange", help=t("stamp.demo_help")
        )


def stale_banner(info: dict, today: dt.date | None = None) -> None:
    """Warn when the warehouse was last refreshed longer ago than ``PCRM_STALE_AFTER_DAYS``."""
    refreshed = _as_datetime(info.get("refreshed_at")) or _as_datetime(info.get("built_at"))
    if refreshed is None:
        return
    days = ((today or dt.date.today()) - refreshed.date()).days
    if days > settings.stale_after_days():
        st.warning(
            t("warehouse.stale", days=days, date=fmt.date(refreshed)), icon=":material/schedule:"
        )
