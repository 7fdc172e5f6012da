"""Charts: one colour-blind-safe palette, one layout, an empty state, and the shared figures.

The palette is Okabe & Ito's (2008), distinguishable under the common colour-vision
deficiencies; yellow is left out because it is unreadable on white. Every figure takes its
colours from :data:`PALETTE` / :data:`ASSET_CLASS_COLOURS`, its layout from :func:`style`, and
is drawn with :func:`show`, which also applies the chart toolbar settings (PNG download kept).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from analytics import rules
from ui import formatting as fmt
from ui.i18n import current_lang, name_of, t

# Okabe-Ito, in the order charts use them.
BLUE = "#0072B2"
SKY_BLUE = "#56B4E9"
GREEN = "#009E73"
ORANGE = "#E69F00"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
BLACK = "#000000"
GREY = "#6B7280"
PALETTE: tuple[str, ...] = (BLUE, ORANGE, GREEN, VERMILLION, SKY_BLUE, PURPLE, BLACK)

ASSET_CLASS_COLOURS: dict[str, str] = {
    "demand_deposit": SKY_BLUE,
    "time_deposit": BLUE,
    "wealth": GREEN,
    "fund": ORANGE,
    "insurance": PURPLE,
    "bond": VERMILLION,
}

_FONT = "Source Sans Pro, PingFang SC, Microsoft YaHei, Noto Sans CJK SC, sans-serif"
_GRID = "#E5E7EB"

PLOTLY_CONFIG: dict = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def style(fig: go.Figure, *, height: int = 360, lang: str | None = None) -> go.Figure:
    """Apply the house layout: white background, light grid, legend on top, month axis."""
    lang = lang or current_lang()
    fig.update_layout(
        height=height,
        margin={"l": 8, "r": 8, "t": 8, "b": 8},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        font={"family": _FONT, "size": 13},
        colorway=list(PALETTE),
        hovermode="x unified",
        legend={
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.02,
            "xanchor": "left",
            "x": 0,
            "title": None,
            "traceorder": "normal",
        },
        separators=".,",
    )
    fig.update_xaxes(
        showgrid=False,
        tickformat=fmt.plotly_month_format(lang),
        hoverformat=fmt.plotly_month_format(lang),
        linecolor=_GRID,
    )
    fig.update_yaxes(gridcolor=_GRID, zeroline=False, rangemode="tozero")
    return fig


def show(fig: go.Figure, *, key: str | None = None) -> None:
    """Draw a figure the house way (full width, house toolbar)."""
    st.plotly_chart(fig, key=key, config=PLOTLY_CONFIG, theme="streamlit")


# A chart with a row per branch stops being readable (and takes seconds to draw in the browser)
# long before a province's thousand branches: charts show the extremes, tables keep every row.
MAX_CHART_ROWS = 30


def extremes(frame: pd.DataFrame, column: str, limit: int = MAX_CHART_ROWS) -> pd.DataFrame:
    """``frame`` as is when it has at most ``limit`` rows, else its ``limit / 2`` rows with the
    highest and ``limit / 2`` with the lowest ``column``, highest first (NaN last)."""
    if len(frame) <= limit:
        return frame
    ordered = frame.sort_values(column, ascending=False, na_position="last", kind="stable")
    valid = ordered[ordered[column].notna()]
    half = limit // 2
    top = valid.head(half)
    bottom = valid.iloc[max(half, len(valid) - (limit - half)) :]
    return pd.concat([top, bottom])


def extremes_note(shown: int, total: int, measure: str) -> None:
    """Say that a chart shows the extremes of ``total`` rows (nothing when it shows them all)."""
    if shown < total:
        st.caption(t("chart.extremes_note", half=shown // 2, total=fmt.count(total), by=measure))


def empty_state(body_key: str = "empty.chart", title_key: str | None = None) -> None:
    """Say there is nothing to show (optionally with a bold title), instead of an empty chart."""
    text = t(body_key) if title_key is None else f"**{t(title_key)}**  \n{t(body_key)}"
    st.info(text, icon=":material/filter_alt_off:")


def aum_by_asset_class(long: pd.DataFrame, *, lang: str | None = None) -> go.Figure:
    """Stacked area of month-end AUM by asset class (input: ``analytics.kpis.asset_class_long``)."""
    lang = lang or current_lang()
    totals = long.groupby("month_start")["aum_rmb"].sum()
    divisor, unit = fmt.money_unit(float(totals.max()) if len(totals) else 0.0, lang)
    fig = go.Figure()
    for asset in rules.ASSET_CLASSES:
        rows = long[long["asset_class"] == asset.code].sort_values("month_start")
        text = [
            f"{fmt.money(v, lang)} · {t('chart.share')} {fmt.pct(s, lang)}"
            for v, s in zip(rows["aum_rmb"], rows["share_pct"], strict=True)
        ]
        fig.add_trace(
            go.Scatter(
                x=rows["month_start"],
                y=rows["aum_rmb"] / divisor,
                name=name_of(asset, lang),
                mode="lines",
                stackgroup="aum",
                line={"width": 0.8, "color": ASSET_CLASS_COLOURS[asset.code]},
                fillcolor=ASSET_CLASS_COLOURS[asset.code],
                customdata=text,
                hovertemplate="%{customdata}<extra>%{fullData.name}</extra>",
            )
        )
    total_text = [fmt.money(v, lang) for v in totals.values]
    fig.add_trace(
        go.Scatter(
            x=totals.index,
            y=totals.values / divisor,
            name=t("chart.total"),
            mode="lines",
            line={"width": 1.6, "color": BLACK},
            customdata=total_text,
            hovertemplate="%{customdata}<extra>%{fullData.name}</extra>",
            showlegend=False,
        )
    )
    style(fig, height=380, lang=lang)
    fig.update_yaxes(title_text=t("chart.axis_aum", unit=unit), tickformat=",~r")
    return fig


def customers_over_time(monthly: pd.DataFrame, *, lang: str | None = None) -> go.Figure:
    """Total and active customers (top); new and churned customers each month (bottom)."""
    lang = lang or current_lang()
    monthly = monthly.sort_values("month_start")
    divisor, unit = fmt.count_unit(float(monthly["count_customers"].max()), lang)
    fig = make_subplots(
        rows=2, cols=1, shared_xaxes=True, row_heights=[0.62, 0.38], vertical_spacing=0.08
    )
    x = monthly["month_start"]

    def counts(column: str) -> list[str]:
        return [fmt.count(v, lang) for v in monthly[column]]

    for column, key, colour, dash in (
        ("count_customers", "series.customers", BLUE, "solid"),
        ("count_active", "series.active", SKY_BLUE, "dot"),
    ):
        fig.add_trace(
            go.Scatter(
                x=x,
                y=monthly[column] / divisor,
                name=t(key),
                mode="lines+markers",
                marker={"size": 5},
                line={"width": 2.2, "color": colour, "dash": dash},
                customdata=counts(column),
                hovertemplate="%{customdata}<extra>%{fullData.name}</extra>",
            ),
            row=1,
            col=1,
        )
    fig.add_trace(
        go.Bar(
            x=x,
            y=monthly["count_new"],
            name=t("series.new"),
            marker_color=GREEN,
            customdata=counts("count_new"),
            hovertemplate="+%{customdata}<extra>%{fullData.name}</extra>",
        ),
        row=2,
        col=1,
    )
    fig.add_trace(
        go.Bar(
            x=x,
            y=-monthly["count_churned"],
            name=t("series.churned"),
            marker_color=VERMILLION,
            customdata=counts("count_churned"),
            hovertemplate="-%{customdata}<extra>%{fullData.name}</extra>",
        ),
        row=2,
        col=1,
    )
    style(fig, height=380, lang=lang)
    fig.update_layout(barmode="relative", bargap=0.35)
    axis_title = t("chart.axis_customers", unit=unit) if unit else t("chart.axis_customers_plain")
    # Levels move slowly: a zero baseline would flatten them (the area chart keeps its zero).
    fig.update_yaxes(title_text=axis_title, tickformat=",~r", rangemode="normal", row=1, col=1)
    # Whole customers: with small flows, step by one (plotly would pick halves).
    largest_flow = max(float(monthly["count_new"].max()), float(monthly["count_churned"].max()))
    fig.update_yaxes(
        title_text=t("chart.axis_flows"),
        tickformat=",d",
        dtick=1 if largest_flow <= 4 else None,
        range=[-max(largest_flow, 1) - 0.3, max(largest_flow, 1) + 0.3]
        if largest_flow <= 4
        else None,
        rangemode="normal",
        zeroline=True,
        zerolinecolor=GREY,
        row=2,
        col=1,
    )
    return fig
