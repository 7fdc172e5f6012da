"""Figures of the segment and migration pages, in the house palette and layout (ui.charts)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ui import charts
from ui import formatting as fmt
from ui.i18n import current_lang, t

TIER_COLOURS: dict[str, str] = {
    "mass": charts.SKY_BLUE,
    "potential": charts.BLUE,
    "affluent": charts.GREEN,
    "vip": charts.ORANGE,
    "private": charts.PURPLE,
    "left": charts.GREY,
    "new": charts.BLACK,
}
DIRECTION_COLOURS: dict[str, str] = {
    "up": "rgba(0,158,115,0.45)",
    "down": "rgba(213,94,0,0.45)",
    "same": "rgba(107,114,128,0.25)",
    "left": "rgba(0,0,0,0.35)",
    "new": "rgba(86,180,233,0.45)",
}


def _categorical(fig: go.Figure, height: int) -> go.Figure:
    charts.style(fig, height=height)
    fig.update_xaxes(tickformat=None, hoverformat=None)
    fig.update_layout(hovermode="closest")
    return fig


def share_bars(frame: pd.DataFrame) -> go.Figure:
    """Customer share next to AUM share per segment (input has ``label`` and the share columns)."""
    lang = current_lang()
    fig = go.Figure()
    for column, count_column, name, colour, as_money in (
        ("customer_share_pct", "count_customers", t("seg.customer_share"), charts.BLUE, False),
        ("aum_share_pct", "aum_rmb", t("seg.aum_share"), charts.ORANGE, True),
    ):
        text = [
            f"{fmt.pct(s, lang)} · {fmt.money(v, lang) if as_money else fmt.count(v, lang)}"
            for s, v in zip(frame[column], frame[count_column], strict=True)
        ]
        fig.add_trace(
            go.Bar(
                y=frame["label"],
                x=frame[column],
                name=name,
                orientation="h",
                marker_color=colour,
                customdata=text,
                hovertemplate="%{y}: %{customdata}<extra>%{fullData.name}</extra>",
            )
        )
    _categorical(fig, max(260, 46 * len(frame) + 80))
    fig.update_layout(barmode="group", bargap=0.25)
    fig.update_yaxes(autorange="reversed", rangemode=None)
    fig.update_xaxes(title_text=t("seg.axis_share"), ticksuffix="%", showgrid=True)
    return fig


def tier_stack(frame: pd.DataFrame, tier_labels: dict[str, str]) -> go.Figure:
    """Customers per segment stacked by tier (input: ``label, tier_code, count_customers``)."""
    lang = current_lang()
    fig = go.Figure()
    for code, name in tier_labels.items():
        rows = frame[frame["tier_code"] == code]
        if rows.empty:
            continue
        fig.add_trace(
            go.Bar(
                y=rows["label"],
                x=rows["count_customers"],
                name=name,
                orientation="h",
                marker_color=TIER_COLOURS.get(code, charts.GREY),
                customdata=[fmt.count(v, lang) for v in rows["count_customers"]],
                hovertemplate="%{y}: %{customdata}<extra>%{fullData.name}</extra>",
            )
        )
    _categorical(fig, max(260, 40 * frame["label"].nunique() + 80))
    fig.update_layout(barmode="stack")
    fig.update_yaxes(autorange="reversed", rangemode=None)
    fig.update_xaxes(title_text=t("seg.axis_customers"), showgrid=True)
    return fig


def pareto(curve: pd.DataFrame) -> go.Figure:
    """Cumulative AUM share against cumulative customer share, richest first, with equality."""
    lang = current_lang()
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=[0, 100],
            y=[0, 100],
            name=t("seg.pareto_equal"),
            mode="lines",
            line={"color": charts.GREY, "dash": "dot", "width": 1.2},
            hoverinfo="skip",
        )
    )
    text = [
        t("seg.pareto_hover", top=fmt.pct(x, lang), share=fmt.pct(y, lang))
        for x, y in zip(curve["customer_share_pct"], curve["aum_share_pct"], strict=True)
    ]
    fig.add_trace(
        go.Scatter(
            x=curve["customer_share_pct"],
            y=curve["aum_share_pct"],
            name=t("seg.pareto_curve"),
            mode="lines",
            line={"color": charts.BLUE, "width": 2.4},
            customdata=text,
            hovertemplate="%{customdata}<extra></extra>",
        )
    )
    _categorical(fig, 360)
    fig.update_xaxes(
        title_text=t("seg.axis_top_customers"), ticksuffix="%", range=[0, 100], showgrid=True
    )
    fig.update_yaxes(title_text=t("seg.axis_aum_held"), ticksuffix="%", range=[0, 101])
    return fig


def groups_bubble(cards: pd.DataFrame) -> go.Figure:
    """Groups by average age (x) and average AUM (y, log), bubble area = customers.

    One trace per group, so the legend names them (long names would collide as bubble labels).
    """
    lang = current_lang()
    shown = cards.dropna(subset=["count_customers"]).reset_index(drop=True)
    size = shown["count_customers"].astype(float)
    sizeref = 2.0 * float(size.max() if len(size) else 1.0) / (60.0**2)
    fig = go.Figure()
    for index, row in shown.iterrows():
        text = (
            f"<b>{row['name']}</b>"
            f"<br>{t('seg.card_size')}: {fmt.count(row['count_customers'], lang)}"
            f"<br>{t('seg.card_avg_aum')}: {fmt.money(row['avg_aum_rmb'], lang)}"
            f"<br>{t('seg.card_mobile')}: {fmt.pct(row['mobile_share_pct'], lang)}"
        )
        fig.add_trace(
            go.Scatter(
                x=[row["avg_age"]],
                y=[max(float(row["avg_aum_rmb"]), 1.0)],
                name=row["name"],
                mode="markers",
                marker={
                    "size": [float(row["count_customers"])],
                    "sizemode": "area",
                    "sizeref": sizeref,
                    "sizemin": 6,
                    "color": charts.PALETTE[index % len(charts.PALETTE)],
                    "opacity": 0.8,
                },
                customdata=[text],
                hovertemplate="%{customdata}<extra></extra>",
            )
        )
    _categorical(fig, 440)
    fig.update_xaxes(title_text=t("seg.axis_avg_age"), showgrid=True)
    fig.update_yaxes(title_text=t("seg.axis_avg_aum"), type="log", dtick=1, rangemode=None)
    return fig


def spend_stack(long: pd.DataFrame, category_labels: dict[str, str]) -> go.Figure:
    """Average monthly card spending per customer by category, stacked per segment."""
    lang = current_lang()
    fig = go.Figure()
    for index, (code, name) in enumerate(category_labels.items()):
        rows = long[long["category"] == code]
        fig.add_trace(
            go.Bar(
                y=rows["label"],
                x=rows["avg_monthly_rmb"],
                name=name,
                orientation="h",
                marker_color=charts.PALETTE[index % len(charts.PALETTE)],
                customdata=[
                    f"{fmt.money(v, lang)} · {fmt.pct(s, lang)}"
                    for v, s in zip(rows["avg_monthly_rmb"], rows["share_pct"], strict=True)
                ],
                hovertemplate="%{y}: %{customdata}<extra>%{fullData.name}</extra>",
            )
        )
    _categorical(fig, max(280, 40 * long["label"].nunique() + 90))
    fig.update_layout(barmode="stack")
    fig.update_yaxes(autorange="reversed", rangemode=None)
    fig.update_xaxes(title_text=t("seg.axis_spend"), showgrid=True)
    return fig


def heatmap(
    table: pd.DataFrame,
    text: Sequence[Sequence[str]],
    *,
    x_title: str,
    y_title: str,
    colorscale: str = "Blues",
    height: int = 360,
) -> go.Figure:
    """A labelled heatmap (matrix, suitability grid, rates); NaN cells show their text only."""
    z = table.to_numpy(dtype=float)
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[str(c) for c in table.columns],
            y=[str(i) for i in table.index],
            text=np.asarray(text, dtype=object),
            texttemplate="%{text}",
            hovertemplate="%{y} → %{x}: %{text}<extra></extra>",
            colorscale=colorscale,
            showscale=False,
            xgap=2,
            ygap=2,
        )
    )
    _categorical(fig, height)
    fig.update_xaxes(title_text=x_title, side="top", showgrid=False, type="category")
    fig.update_yaxes(
        title_text=y_title, autorange="reversed", showgrid=False, rangemode=None, type="category"
    )
    return fig


def sankey(links: pd.DataFrame, node_labels: Sequence[str], node_codes: Sequence[str]) -> go.Figure:
    """Customers flowing from the earlier month's tiers (left) to the later month's (right)."""
    lang = current_lang()
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={
                "label": list(node_labels),
                "color": [TIER_COLOURS.get(code, charts.GREY) for code in node_codes],
                "pad": 14,
                "thickness": 16,
            },
            link={
                "source": links["source"].tolist(),
                "target": links["target"].tolist(),
                "value": links["value"].tolist(),
                "color": [DIRECTION_COLOURS[d] for d in links["direction"]],
                "customdata": [fmt.count(v, lang) for v in links["value"]],
                "hovertemplate": "%{source.label} → %{target.label}: %{customdata}<extra></extra>",
            },
        )
    )
    charts.style(fig, height=420)
    return fig


__all__ = [
    "groups_bubble",
    "heatmap",
    "pareto",
    "sankey",
    "share_bars",
    "spend_stack",
    "tier_stack",
]
