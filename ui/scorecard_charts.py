"""Figures of the scorecard pages (6S radar, stars, service scatter, targets, Hongyan).

Colours and layout come from ``ui.charts`` (Okabe-Ito palette, house style); labels from the
``sc.`` catalogue, so every figure follows the language.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics import rules
from analytics import scorecard_rules as sr
from ui import charts
from ui import formatting as fmt
from ui.i18n import current_lang, name_of, translate

S_NAMES = {code: (code, en, zh) for code, en, zh in rules.SIX_S}
AREA_NAMES = {code: (code, en, zh) for code, en, zh in rules.SIX_S_AREAS}
LIGHT_COLOURS = {"green": charts.GREEN, "amber": charts.ORANGE, "red": charts.VERMILLION}


def _tr(lang: str, key: str, **values: object) -> str:
    """A label in ``lang`` (explicit, so figures render the same outside a Streamlit run)."""
    return translate(key, lang, **values)


def _s_labels(lang: str) -> list[str]:
    return [name_of(S_NAMES[code], lang) for code, _, _ in rules.SIX_S]


def radar(series: dict[str, pd.Series], *, lang: str | None = None) -> go.Figure:
    """One closed polygon per named series of the six S scores (index: score_<s>)."""
    lang = lang or current_lang()
    labels = _s_labels(lang)
    fig = go.Figure()
    colours = list(charts.PALETTE)
    lowest = 60.0
    for index, (name, values) in enumerate(series.items()):
        r = [float(values[f"score_{code}"]) for code, _, _ in rules.SIX_S]
        lowest = min([lowest, *r])
        fig.add_trace(
            go.Scatterpolar(
                r=[*r, r[0]],
                theta=[*labels, labels[0]],
                name=name,
                fill="toself" if index == 0 else None,
                line={"color": colours[index % len(colours)]},
                opacity=0.85,
                hovertemplate="%{theta}: %{r:.1f}<extra>%{fullData.name}</extra>",
            )
        )
    charts.style(fig, height=360, lang=lang)
    fig.update_layout(
        polar={"radialaxis": {"range": [max(0.0, lowest - 5), 100], "angle": 90}},
        hovermode="closest",
        margin={"l": 40, "r": 40, "t": 30, "b": 20},
    )
    return fig


def area_radar(profile: pd.DataFrame, *, lang: str | None = None) -> go.Figure:
    """The six S of each area of one inspection (``analytics.scorecards.area_profile``)."""
    lang = lang or current_lang()
    series = {name_of(AREA_NAMES[area], lang): row for area, row in profile.iterrows()}
    return radar(series, lang=lang)


def quarterly_trend(trend: pd.DataFrame, names: dict[int, str], *, lang: str | None = None):
    """Overall 6S score per quarter: one line per branch (at most eight), else the spread."""
    lang = lang or current_lang()
    fig = go.Figure()
    branches = sorted(trend["branch_id"].unique())
    if len(branches) <= 8:
        for branch in branches:
            rows = trend[trend["branch_id"] == branch].sort_values("quarter_start")
            fig.add_trace(
                go.Scatter(
                    x=rows["quarter_start"],
                    y=rows["overall"],
                    name=names.get(int(branch), str(branch)),
                    mode="lines+markers",
                    hovertemplate="%{y:.1f}<extra>%{fullData.name}</extra>",
                )
            )
    else:
        grouped = trend.groupby("quarter_start")["overall"]
        stats = pd.DataFrame(
            {"low": grouped.quantile(0.1), "mid": grouped.median(), "high": grouped.quantile(0.9)}
        ).reset_index()
        fig.add_trace(
            go.Scatter(
                x=stats["quarter_start"],
                y=stats["high"],
                mode="lines",
                line={"width": 0},
                showlegend=False,
                hoverinfo="skip",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=stats["quarter_start"],
                y=stats["low"],
                mode="lines",
                line={"width": 0},
                fill="tonexty",
                fillcolor="rgba(0,114,178,0.15)",
                name=_tr(lang, "sc.series_p10_p90"),
                hovertemplate="%{y:.1f}<extra>%{fullData.name}</extra>",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=stats["quarter_start"],
                y=stats["mid"],
                mode="lines+markers",
                name=_tr(lang, "sc.series_median"),
                line={"color": charts.BLUE},
                hovertemplate="%{y:.1f}<extra>%{fullData.name}</extra>",
            )
        )
    for floor, stars in sr.STAR_BANDS:
        fig.add_hline(
            y=floor,
            line={"dash": "dot", "color": charts.GREY, "width": 1},
            annotation_text="★" * stars,
            annotation_position="right",
        )
    charts.style(fig, height=340, lang=lang)
    fig.update_yaxes(title_text=_tr(lang, "sc.axis_6s"), rangemode="normal")
    fig.update_xaxes(tickformat=fmt.plotly_month_format(lang))
    return fig


def star_bars(distribution: pd.DataFrame, *, lang: str | None = None) -> go.Figure:
    """Branches per star rating."""
    lang = lang or current_lang()
    labels = ["★" * int(s) for s in distribution["stars"]]
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=distribution["count_branches"],
            marker_color=charts.ORANGE,
            text=[fmt.count(v, lang) for v in distribution["count_branches"]],
            textposition="outside",
            hovertemplate="%{x}: %{text}<extra></extra>",
        )
    )
    charts.style(fig, height=300, lang=lang)
    fig.update_xaxes(type="category", tickformat=None)
    fig.update_yaxes(title_text=_tr(lang, "sc.axis_branches"))
    return fig


def scatter_fit(
    frame: pd.DataFrame,
    x: str,
    y: str,
    fit: dict | None,
    names: dict[int, str],
    x_title: str,
    y_title: str,
    *,
    highlight: int | None = None,
    lang: str | None = None,
) -> go.Figure:
    """Branches as points with the least-squares line (and r) when there is one."""
    lang = lang or current_lang()
    labels = [names.get(int(b), str(b)) for b in frame["branch_id"]]
    # The highlighted branch as 1 on a two-colour scale: plotly checks a list of colour names
    # one by one (0.15 s per chart at 1,111 branches), an array of numbers at once.
    picked = (frame["branch_id"] == highlight).to_numpy(dtype=float)
    scale = [[0.0, charts.BLUE], [1.0, charts.VERMILLION]]
    fig = go.Figure(
        go.Scatter(
            x=frame[x],
            y=frame[y],
            mode="markers",
            marker={
                "color": picked,
                "colorscale": scale,
                "cmin": 0.0,
                "cmax": 1.0,
                "showscale": False,
                "size": 9,
                "opacity": 0.8,
            },
            text=labels,
            name=_tr(lang, "sc.series_branches"),
            hovertemplate="%{text}<br>%{x:.1f} · %{y:.2f}<extra></extra>",
        )
    )
    if fit is not None:
        xs = pd.Series([frame[x].min(), frame[x].max()], dtype=float)
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=fit["slope"] * xs + fit["intercept"],
                mode="lines",
                line={"color": charts.BLACK, "dash": "dash"},
                name=_tr(lang, "sc.series_fit", r=f"{fit['r']:.2f}"),
                hoverinfo="skip",
            )
        )
    charts.style(fig, height=340, lang=lang)
    fig.update_layout(hovermode="closest")
    fig.update_xaxes(title_text=x_title, tickformat=None, hoverformat=None, showgrid=True)
    fig.update_yaxes(title_text=y_title, rangemode="normal")
    return fig


BAR_LANE = (-0.2, 0.4)  # (centre offset, width) of a bar in its row: the row's upper part
MARK_LANE = 0.25  # offset of a row's projection marker: the lower part, clear of the bar's label


def attainment_bars(card: pd.DataFrame, labels: list[str], *, lang: str | None = None):
    """Attainment so far (bars coloured by light) against the share of the period elapsed.

    Each row has two lanes: the bar with its label outside its end above, the projection's
    diamond below, so a label never sits on the marker when the two values are close.
    """
    lang = lang or current_lang()
    rows = list(range(len(labels)))
    offset, width = BAR_LANE
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            y=[r + offset for r in rows],
            x=card["attainment_pct"],
            width=width,
            orientation="h",
            marker_color=[LIGHT_COLOURS.get(v, charts.GREY) for v in card["light"]],
            name=_tr(lang, "sc.col_attainment"),
            text=[fmt.pct(v, lang) for v in card["attainment_pct"]],
            textposition="outside",
            cliponaxis=False,
            customdata=labels,
            hovertemplate="%{customdata}: %{x:.1f}%<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            y=[r + MARK_LANE for r in rows],
            x=card["projected_attainment_pct"],
            mode="markers",
            marker={"symbol": "diamond", "size": 11, "color": charts.BLACK},
            name=_tr(lang, "sc.col_projected_attainment"),
            customdata=labels,
            hovertemplate="%{customdata}: %{x:.1f}%<extra></extra>",
        )
    )
    if len(card):
        fig.add_vline(
            x=float(card["elapsed_pct"].iloc[0]),
            line={"dash": "dot", "color": charts.GREY},
            annotation_text=_tr(lang, "sc.elapsed_marker"),
        )
    fig.add_vline(x=100, line={"color": charts.GREY, "width": 1})
    charts.style(fig, height=60 + 42 * max(len(labels), 1), lang=lang)
    fig.update_layout(hovermode="closest")
    fig.update_xaxes(title_text=_tr(lang, "sc.axis_pct"), tickformat=None, hoverformat=None)
    fig.update_yaxes(
        tickmode="array",
        tickvals=rows,
        ticktext=labels,
        range=[len(rows) - 0.5, -0.5],  # first row on top
        showgrid=False,
        zeroline=False,
    )
    return fig


def level_bars(productivity: pd.DataFrame, column: str, title: str, *, lang: str | None = None):
    """One bar per Hongyan level for a per-manager productivity measure."""
    lang = lang or current_lang()
    names = {h.level: name_of(h, lang) for h in sr.HONGYAN_LEVELS}
    is_money = column.endswith("_rmb")
    divisor, unit = (
        fmt.money_unit(float(productivity[column].max() or 0), lang) if is_money else (1.0, "")
    )
    fig = go.Figure(
        go.Bar(
            x=[names.get(int(v), str(v)) for v in productivity["hongyan_level"]],
            y=productivity[column] / divisor,
            marker_color=charts.GREEN,
            text=[
                fmt.money(v, lang) if is_money else fmt.points(v, lang)
                for v in productivity[column]
            ],
            textposition="outside",
            hovertemplate="%{x}: %{text}<extra></extra>",
        )
    )
    charts.style(fig, height=300, lang=lang)
    fig.update_xaxes(type="category", tickformat=None)
    fig.update_yaxes(title_text=f"{title} ({unit})" if unit else title)
    return fig


def diversion_and_moves(
    diversion: pd.DataFrame, moves: pd.DataFrame, *, lang: str | None = None
) -> go.Figure:
    """Counter diversion rate (line, left axis) and tellers moved to advisory roles (bars)."""
    lang = lang or current_lang()
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=moves["month_start"],
            y=moves["count_moved"],
            name=_tr(lang, "sc.series_moved"),
            marker_color=charts.SKY_BLUE,
            yaxis="y2",
            customdata=[fmt.count(v, lang) for v in moves["count_moved"]],
            hovertemplate="%{customdata}<extra>%{fullData.name}</extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=diversion["month_start"],
            y=diversion["diversion_pct"],
            name=_tr(lang, "sc.series_diversion"),
            mode="lines+markers",
            line={"color": charts.BLUE},
            hovertemplate="%{y:.1f}%<extra>%{fullData.name}</extra>",
        )
    )
    charts.style(fig, height=340, lang=lang)
    fig.update_layout(
        yaxis={"title": {"text": _tr(lang, "sc.axis_diversion")}, "rangemode": "normal"},
        yaxis2={
            "title": {"text": _tr(lang, "sc.axis_moved")},
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
            "rangemode": "tozero",
        },
    )
    return fig


def service_trend(indexed: pd.DataFrame, branch: int | None, *, lang: str | None = None):
    """Monthly service index: the branch in view (if any) against the median of all in view."""
    lang = lang or current_lang()
    median = indexed.groupby("month_start", as_index=False)["service_index"].median()
    fig = go.Figure(
        go.Scatter(
            x=median["month_start"],
            y=median["service_index"],
            name=_tr(lang, "sc.series_median"),
            mode="lines",
            line={"color": charts.GREY, "dash": "dash"},
            hovertemplate="%{y:.1f}<extra>%{fullData.name}</extra>",
        )
    )
    if branch is not None:
        rows = indexed[indexed["branch_id"] == branch].sort_values("month_start")
        fig.add_trace(
            go.Scatter(
                x=rows["month_start"],
                y=rows["service_index"],
                name=_tr(lang, "sc.series_branch"),
                mode="lines+markers",
                line={"color": charts.BLUE},
                hovertemplate="%{y:.1f}<extra>%{fullData.name}</extra>",
            )
        )
    charts.style(fig, height=300, lang=lang)
    fig.update_yaxes(title_text=_tr(lang, "sc.axis_service"), rangemode="normal")
    return fig
