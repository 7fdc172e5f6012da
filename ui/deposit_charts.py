"""Figures of the deposits view: deposit cost over time, and 存款偏离度 per unit and over time
against the regulator's 4% line, quarter-end months marked."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics import rules
from ui import charts
from ui import formatting as fmt
from ui.i18n import current_lang, t

CAP_PCT = rules.DEPOSIT_DEVIATION_CAP * 100.0


def _cap_line(fig: go.Figure, lang: str, vertical: bool = False) -> None:
    label = f"{t('dep.series_cap')} {fmt.pct(CAP_PCT, lang)}"
    if vertical:
        fig.add_vline(x=CAP_PCT, line_dash="dash", line_color=charts.VERMILLION)
        fig.add_annotation(
            x=CAP_PCT, y=1, yref="paper", text=label, showarrow=False, xanchor="left"
        )
    else:
        fig.add_hline(
            y=CAP_PCT,
            line_dash="dash",
            line_color=charts.VERMILLION,
            annotation_text=label,
            annotation_position="top left",
        )


def cost_trend(frame: pd.DataFrame, lang: str | None = None) -> go.Figure:
    """存款付息率 per month (and year to date) with the cost of each line, in percent a year."""
    lang = lang or current_lang()
    fig = go.Figure()
    for column, key, colour, dash in (
        ("cost_pct", "dep.series_cost", charts.BLACK, None),
        ("cost_ytd_pct", "dep.series_cost_ytd", charts.GREY, "dot"),
        ("demand_cost_pct", "dep.series_demand", charts.SKY_BLUE, None),
        ("time_cost_pct", "dep.series_time", charts.BLUE, None),
        ("large_cd_cost_pct", "dep.series_large_cd", charts.PURPLE, None),
    ):
        fig.add_trace(
            go.Scatter(
                x=frame["month_start"],
                y=frame[column],
                name=t(key),
                mode="lines+markers",
                line={"color": colour, "dash": dash},
                hovertemplate="%{y:.2f}%<extra>%{fullData.name}</extra>",
            )
        )
    charts.style(fig, height=320, lang=lang)
    fig.update_yaxes(ticksuffix="%", title_text=t("dep.axis_rate"))
    return fig


def deviation_trend(frame: pd.DataFrame, lang: str | None = None) -> go.Figure:
    """存款偏离度 per month: bars, quarter-end months and months above the line in their own
    colours, with the 4% line."""
    lang = lang or current_lang()
    fig = go.Figure()
    above = frame["above_cap"].fillna(False).astype(bool)
    quarter = frame["quarter_end"].fillna(False).astype(bool)
    for mask, key, colour in (
        (~above & ~quarter, "dep.series_deviation", charts.SKY_BLUE),
        (~above & quarter, "dep.series_quarter_end", charts.BLUE),
        (above, "dep.series_above", charts.VERMILLION),
    ):
        rows = frame[mask]
        fig.add_trace(
            go.Bar(
                x=rows["month_start"],
                y=rows["deviation_pct"],
                name=t(key),
                marker_color=colour,
                hovertemplate="%{y:.2f}%<extra>%{fullData.name}</extra>",
            )
        )
    _cap_line(fig, lang)
    charts.style(fig, height=300, lang=lang)
    fig.update_layout(barmode="overlay")
    fig.update_yaxes(ticksuffix="%", rangemode="normal")
    return fig


def deviation_bars(units: pd.DataFrame, lang: str | None = None) -> go.Figure:
    """存款偏离度 per unit in one month, highest on top, those above the line in vermillion."""
    lang = lang or current_lang()
    rows = units.sort_values("deviation_pct", ascending=True, na_position="first")
    fig = go.Figure(
        go.Bar(
            x=rows["deviation_pct"],
            y=rows["name"],
            orientation="h",
            marker_color=[
                charts.VERMILLION if a else charts.BLUE for a in rows["above_cap"].fillna(False)
            ],
            text=[fmt.pct(v, lang, digits=2) for v in rows["deviation_pct"]],
            textposition="auto",
            hovertemplate="%{x:.2f}%<extra>%{y}</extra>",
            name=t("dep.series_deviation"),
        )
    )
    _cap_line(fig, lang, vertical=True)
    charts.style(fig, height=max(220, 30 * len(rows) + 90), lang=lang)
    fig.update_layout(hovermode="closest", showlegend=False)
    fig.update_xaxes(tickformat=None, hoverformat=None, ticksuffix="%")
    fig.update_yaxes(type="category", automargin=True, rangemode="normal")
    return fig
