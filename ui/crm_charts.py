"""Figures of the customer view and the cross-selling pages, in the house style of ui.charts.

Each takes the tidy frame an ``analytics`` function returns and the language, and returns a
plotly figure styled by :func:`ui.charts.style` with the Okabe-Ito palette.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics import rules
from ui import charts
from ui import formatting as fmt
from ui.i18n import current_lang, name_of, t

CORE_COLOURS: tuple[str, ...] = (
    charts.VERMILLION,
    charts.ORANGE,
    charts.SKY_BLUE,
    charts.BLUE,
    charts.GREEN,
    charts.BLACK,
)
CHANNEL_COLOURS = {"counter": charts.ORANGE, "self_service": charts.SKY_BLUE, "mobile": charts.BLUE}


def _categorical(fig: go.Figure, lang: str, height: int = 340) -> go.Figure:
    charts.style(fig, height=height, lang=lang)
    fig.update_xaxes(tickformat=None, hoverformat=None, type="category")
    fig.update_layout(hovermode="closest")
    return fig


def tier_history(history: pd.DataFrame, *, lang: str | None = None) -> go.Figure:
    """AUM per month as a line, each point coloured by grace state; tier in the hover."""
    lang = lang or current_lang()
    divisor, unit = fmt.money_unit(float(history["aum_rmb"].max() or 0), lang)
    colours = {"none": charts.BLUE, "grace": charts.ORANGE, "watch": charts.VERMILLION}
    tier_names = {tier.code: name_of(tier, lang) for tier in rules.TIERS}
    text = [
        f"{fmt.money(a, lang)} · {tier_names.get(tc, tc)} · {t(f'cust.grace_{g}')}"
        for a, tc, g in zip(
            history["aum_rmb"], history["tier_code"], history["grace_state"], strict=True
        )
    ]
    fig = go.Figure(
        go.Scatter(
            x=history["month_start"],
            y=history["aum_rmb"] / divisor,
            mode="lines+markers",
            line={"color": charts.GREY, "width": 1.5},
            marker={"size": 9, "color": [colours[g] for g in history["grace_state"]]},
            customdata=text,
            hovertemplate="%{customdata}<extra></extra>",
            name=t("cust.aum"),
        )
    )
    charts.style(fig, height=300, lang=lang)
    fig.update_yaxes(title_text=t("chart.axis_aum", unit=unit), tickformat=",~r")
    return fig


def spending(mix: pd.DataFrame, *, lang: str | None = None) -> go.Figure:
    """Horizontal bars of card spending by category (``analytics.customer_view.spending_mix``)."""
    lang = lang or current_lang()
    names = {code: name_of((code, en, zh), lang) for code, en, zh in rules.SPEND_CATEGORIES}
    divisor, unit = fmt.money_unit(float(mix["spend_rmb"].max() or 0), lang)
    fig = go.Figure(
        go.Bar(
            y=[names[c] for c in mix["category"]],
            x=mix["spend_rmb"] / divisor,
            orientation="h",
            marker_color=charts.BLUE,
            customdata=[
                f"{fmt.money(v, lang)} · {fmt.pct(s, lang)}"
                for v, s in zip(mix["spend_rmb"], mix["share_pct"], strict=True)
            ],
            hovertemplate="%{customdata}<extra></extra>",
        )
    )
    charts.style(fig, height=280, lang=lang)
    fig.update_xaxes(tickformat=",~r", title_text=t("chart.axis_aum", unit=unit))
    fig.update_yaxes(type="category", autorange="reversed")
    fig.update_layout(hovermode="closest")
    return fig


def channels(long: pd.DataFrame, *, lang: str | None = None) -> go.Figure:
    """Stacked monthly bars of transactions by channel (``customer_view.channel_long``)."""
    lang = lang or current_lang()
    fig = go.Figure()
    for channel, colour in CHANNEL_COLOURS.items():
        rows = long[long["channel"] == channel]
        fig.add_trace(
            go.Bar(
                x=rows["month_start"],
                y=rows["count"],
                name=t(f"cust.channel_{channel}"),
                marker_color=colour,
            )
        )
    charts.style(fig, height=280, lang=lang)
    fig.update_layout(barmode="stack", bargap=0.3)
    fig.update_yaxes(tickformat=",d", title_text=t("cust.axis_transactions"))
    return fig


def coverage_bars(shares: pd.DataFrame, label_column: str, *, lang: str | None = None) -> go.Figure:
    """100% stacked horizontal bars: share of customers holding 0-5 core products per group.

    Input: ``analytics.bundle.coverage_shares`` (one row per group, ``share_0`` .. ``share_5``).
    """
    lang = lang or current_lang()
    fig = go.Figure()
    for k, colour in zip(range(6), CORE_COLOURS, strict=True):
        fig.add_trace(
            go.Bar(
                y=shares[label_column].astype(str),
                x=shares[f"share_{k}"],
                name=t("xsell.n_core", n=k),
                orientation="h",
                marker_color=colour,
                customdata=[
                    f"{fmt.pct(s, lang)} · {fmt.count(c, lang)}"
                    for s, c in zip(shares[f"share_{k}"], shares[f"count_{k}"], strict=True)
                ],
                hovertemplate="%{customdata}<extra>%{fullData.name}</extra>",
            )
        )
    charts.style(fig, height=max(220, 34 * len(shares) + 90), lang=lang)
    fig.update_layout(barmode="stack", hovermode="closest")
    fig.update_xaxes(range=[0, 100], ticksuffix="%", tickformat=None, title_text=None)
    fig.update_yaxes(type="category", autorange="reversed")
    return fig


def coverage_trend(trend: pd.DataFrame, *, lang: str | None = None) -> go.Figure:
    """Average core products per customer (line) and full-bundle share (dotted), by month."""
    lang = lang or current_lang()
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=trend["month_start"],
            y=trend["avg_core_products"],
            name=t("xsell.avg_core"),
            mode="lines+markers",
            line={"color": charts.BLUE, "width": 2.2},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=trend["month_start"],
            y=trend["share_3plus_pct"],
            name=t("xsell.share_3plus"),
            mode="lines+markers",
            yaxis="y2",
            line={"color": charts.GREEN, "width": 2, "dash": "dot"},
        )
    )
    charts.style(fig, height=300, lang=lang)
    fig.update_layout(
        yaxis2={"overlaying": "y", "side": "right", "ticksuffix": "%", "rangemode": "tozero"}
    )
    fig.update_yaxes(title_text=t("xsell.avg_core"), rangemode="tozero", selector={"anchor": "x"})
    return fig


def stickiness(curve: pd.DataFrame, *, lang: str | None = None) -> go.Figure:
    """Monthly churn rate by number of core products held the month before (bars + base)."""
    lang = lang or current_lang()
    fig = go.Figure(
        go.Bar(
            x=[str(int(k)) for k in curve["count_core_products"]],
            y=curve["churn_rate_pct"],
            marker_color=[charts.GREY if low else charts.VERMILLION for low in curve["is_thin"]],
            customdata=[
                t(
                    "xsell.stickiness_hover",
                    rate=fmt.pct(r, lang, 2),
                    churned=fmt.count(c, lang),
                    base=fmt.count(b, lang),
                )
                for r, c, b in zip(
                    curve["churn_rate_pct"],
                    curve["count_churned"],
                    curve["count_base"],
                    strict=True,
                )
            ],
            hovertemplate="%{customdata}<extra></extra>",
        )
    )
    _categorical(fig, lang, height=300)
    fig.update_xaxes(title_text=t("xsell.axis_core_products"))
    fig.update_yaxes(title_text=t("xsell.axis_churn_rate"), ticksuffix="%")
    return fig


def auc_bars(evaluation: pd.DataFrame, *, lang: str | None = None) -> go.Figure:
    """ROC AUC per product model on the held-out customers; 0.5 is a coin toss."""
    lang = lang or current_lang()
    frame = evaluation.dropna(subset=["auc"])
    fig = go.Figure(
        go.Bar(
            x=[t(f"xsell.target_{c}") for c in frame["target"]],
            y=frame["auc"],
            marker_color=charts.BLUE,
            text=[f"{v:.3f}" for v in frame["auc"]],
            textposition="outside",
        )
    )
    fig.add_hline(y=0.5, line_dash="dot", line_color=charts.GREY)
    _categorical(fig, lang, height=300)
    fig.update_yaxes(range=[0, 1.05], title_text="AUC")
    return fig


def grouped_bars(
    frame: pd.DataFrame,
    label_column: str,
    series: list[tuple[str, str, str]],
    *,
    lang: str | None = None,
    percent: bool = False,
) -> go.Figure:
    """Grouped bars, one trace per ``(column, label, colour)``, over ``label_column``."""
    lang = lang or current_lang()
    fig = go.Figure()
    for column, label, colour in series:
        fig.add_trace(
            go.Bar(
                x=frame[label_column].astype(str), y=frame[column], name=label, marker_color=colour
            )
        )
    _categorical(fig, lang, height=320)
    fig.update_layout(barmode="group")
    if percent:
        fig.update_yaxes(ticksuffix="%")
    else:
        fig.update_yaxes(tickformat=",d")
    return fig
