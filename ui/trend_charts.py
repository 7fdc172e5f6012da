"""Figures of the Asset trends page, drawn in the house style of ``ui.charts``.

Every figure takes already computed frames (``analytics.trends``) and the language; none reads
data. Money axes are scaled per language (¥ M / 万元 / 亿元) by ``ui.formatting``.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analytics import rules
from analytics.trends import WATERFALL_PARTS, Waterfall
from ui import charts
from ui import formatting as fmt
from ui.i18n import current_lang, name_of, t

PART_KEYS: dict[str, str] = {
    "aum_change_new_rmb": "trends.part_new",
    "aum_change_growth_rmb": "trends.part_growth",
    "aum_change_decline_rmb": "trends.part_decline",
    "aum_change_churned_rmb": "trends.part_churned",
    "moved": "trends.part_moved",
}
MONTH_OF_YEAR_KEYS: tuple[str, ...] = (
    "trends.moy_1",
    "trends.moy_2",
    "trends.moy_3",
    "trends.moy_4",
    "trends.moy_5",
    "trends.moy_6",
    "trends.moy_7",
    "trends.moy_8",
    "trends.moy_9",
    "trends.moy_10",
    "trends.moy_11",
    "trends.moy_12",
)
LEVEL_KEYS: dict[str, str] = {
    "prefecture": "trends.level_prefecture",
    "cooperative": "trends.level_cooperative",
    "branch": "trends.level_branch",
    "staff": "trends.level_staff",
}
PERIOD_KEYS: dict[str, str] = {
    "mom": "trends.period_mom",
    "qtd": "trends.period_qtd",
    "ytd": "trends.period_ytd",
    "yoy": "trends.period_yoy",
}
CLASS_KEYS: dict[str, str] = {
    "demand_deposit": "trends.col_demand_deposit",
    "time_deposit": "trends.col_time_deposit",
    "wealth": "trends.col_wealth",
    "fund": "trends.col_fund",
    "insurance": "trends.col_insurance",
    "bond": "trends.col_bond",
}
MEASURE_KEYS: dict[str, str] = {
    "aum_rmb": "trends.col_aum",
    "growth_rmb": "trends.col_growth",
    "growth_pct": "trends.col_growth_pct",
    "aum_per_customer_rmb": "trends.col_aum_per_customer",
    "aum_per_staff_rmb": "trends.col_aum_per_staff",
}
MODE_KEYS: dict[str, str] = {
    "stacked": "trends.aum_mode_stacked",
    "shares": "trends.aum_mode_shares",
}


def _categorical(fig: go.Figure) -> go.Figure:
    """Undo the month axis of ``charts.style`` for a chart whose x axis is not time."""
    fig.update_xaxes(tickformat=None, hoverformat=None, type="category")
    return fig


def drill_bars(children: pd.DataFrame, lang: str | None = None) -> go.Figure:
    """Horizontal bars of AUM per unit, largest on top; each bar carries its unit id to click."""
    lang = lang or current_lang()
    rows = children.sort_values("aum_rmb", ascending=True)
    divisor, unit = fmt.money_unit(float(rows["aum_rmb"].abs().max()) if len(rows) else 0, lang)
    hover = [
        t(
            "trends.drill_hover",
            aum=fmt.money(a, lang),
            mom=fmt.signed_pct(m, lang),
            yoy=fmt.signed_pct(y, lang),
            customers=fmt.count(c, lang),
        )
        for a, m, y, c in zip(
            rows["aum_rmb"],
            rows["aum_rmb_mom_pct"],
            rows["aum_rmb_yoy_pct"],
            rows["count_customers"],
            strict=True,
        )
    ]
    fig = go.Figure(
        go.Bar(
            x=rows["aum_rmb"] / divisor,
            y=rows["name"],
            orientation="h",
            marker_color=charts.BLUE,
            customdata=rows["unit_id"].astype(int).tolist(),
            text=[fmt.money(a, lang) for a in rows["aum_rmb"]],
            textposition="auto",
            hovertext=hover,
            hovertemplate="%{hovertext}<extra>%{y}</extra>",
            name=t("trends.series_aum"),
        )
    )
    charts.style(fig, height=max(220, 34 * len(rows) + 80), lang=lang)
    fig.update_layout(hovermode="closest", showlegend=False, clickmode="event+select")
    fig.update_xaxes(tickformat=",~r", hoverformat=None, title_text=t("chart.axis_aum", unit=unit))
    fig.update_yaxes(type="category", automargin=True, rangemode="normal")
    return fig


def aum_shares(long: pd.DataFrame, lang: str | None = None) -> go.Figure:
    """Share of each asset class in AUM, stacked to 100% (input: ``kpis.asset_class_long``)."""
    lang = lang or current_lang()
    fig = go.Figure()
    for asset in rules.ASSET_CLASSES:
        rows = long[long["asset_class"] == asset.code].sort_values("month_start")
        fig.add_trace(
            go.Scatter(
                x=rows["month_start"],
                y=rows["share_pct"],
                name=name_of(asset, lang),
                mode="lines",
                stackgroup="share",
                line={"width": 0.8, "color": charts.ASSET_CLASS_COLOURS[asset.code]},
                fillcolor=charts.ASSET_CLASS_COLOURS[asset.code],
                customdata=[fmt.money(v, lang) for v in rows["aum_rmb"]],
                hovertemplate="%{y:.1f}% · %{customdata}<extra>%{fullData.name}</extra>",
            )
        )
    charts.style(fig, height=380, lang=lang)
    fig.update_yaxes(title_text=t("trends.axis_share"), ticksuffix="%", range=[0, 100])
    return fig


def growth(monthly: pd.DataFrame, lang: str | None = None) -> go.Figure:
    """Month-on-month growth of AUM as bars, year-on-year growth as a line (percent)."""
    lang = lang or current_lang()
    rows = monthly.sort_values("month_start")
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=rows["month_start"],
            y=rows["aum_rmb_mom_pct"],
            name=t("trends.series_mom"),
            marker_color=[
                charts.GREEN if v >= 0 else charts.VERMILLION
                for v in rows["aum_rmb_mom_pct"].fillna(0)
            ],
            customdata=[fmt.money(v, lang) for v in rows["aum_rmb_mom"]],
            hovertemplate="%{y:+.2f}% · %{customdata}<extra>%{fullData.name}</extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=rows["month_start"],
            y=rows["aum_rmb_yoy_pct"],
            name=t("trends.series_yoy"),
            mode="lines+markers",
            line={"width": 2.2, "color": charts.BLUE},
            customdata=[fmt.money(v, lang) for v in rows["aum_rmb_yoy"]],
            hovertemplate="%{y:+.2f}% · %{customdata}<extra>%{fullData.name}</extra>",
        )
    )
    charts.style(fig, height=320, lang=lang)
    fig.update_yaxes(
        title_text=t("trends.axis_growth"),
        ticksuffix="%",
        rangemode="normal",
        zeroline=True,
        zerolinecolor=charts.GREY,
    )
    return fig


def waterfall(fall: Waterfall, lang: str | None = None) -> go.Figure:
    """Start AUM, the parts of the change, end AUM; the parts add up to the change exactly."""
    lang = lang or current_lang()
    money = fall.rmb()
    parts = [p for p in (*WATERFALL_PARTS, "moved") if p != "moved" or money["moved"] != 0]
    divisor, unit = fmt.money_unit(max(abs(money["start"]), abs(money["end"])), lang)
    labels = [
        t("trends.wf_aum", month=fmt.month(fall.start_month, lang)),
        *[t(PART_KEYS[p]) for p in parts],
        t("trends.wf_aum", month=fmt.month(fall.end_month, lang)),
    ]
    values = [money["start"], *[money[p] for p in parts], money["end"]]
    text = [fmt.money(money["start"], lang)]
    text += [("+" if money[p] > 0 else "") + fmt.money(money[p], lang) for p in parts]
    text += [fmt.money(money["end"], lang)]
    fig = go.Figure(
        go.Waterfall(
            x=labels,
            y=[v / divisor for v in values],
            measure=["absolute", *["relative"] * len(parts), "total"],
            text=text,
            textposition="outside",
            hovertext=text,
            hovertemplate="%{hovertext}<extra>%{x}</extra>",
            increasing={"marker": {"color": charts.GREEN}},
            decreasing={"marker": {"color": charts.VERMILLION}},
            totals={"marker": {"color": charts.BLUE}},
            connector={"line": {"color": charts.GREY, "width": 1}},
            name=t("trends.series_aum"),
        )
    )
    charts.style(fig, height=380, lang=lang)
    _categorical(fig)
    fig.update_layout(hovermode="closest", showlegend=False)
    low = min(money["start"], money["end"]) / divisor
    high = max(money["start"], money["end"]) / divisor
    spread = max(abs(sum(abs(money[p]) for p in parts)) / divisor, abs(high) * 0.02, 1e-9)
    fig.update_yaxes(
        title_text=t("chart.axis_aum", unit=unit),
        tickformat=",~r",
        rangemode="normal",
        range=[max(0.0, low - 1.3 * spread), high + 1.3 * spread],
    )
    return fig


def seasonality(profile: pd.DataFrame, recent: pd.DataFrame, lang: str | None = None) -> go.Figure:
    """Typical month-on-month change per month of the year (bars) and the last 12 months (dots).

    ``profile`` and ``recent`` carry the x axis's ``label``: the calendar month, or for January
    to March aligned on the Spring Festival, the month's place around it (节前月 .. 节后第2月).
    """
    lang = lang or current_lang()
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=profile["label"],
            y=profile["mean_mom_pct"],
            name=t("trends.series_typical"),
            marker_color=charts.SKY_BLUE,
            customdata=[
                t("trends.season_hover", amount=fmt.money(a, lang), years=int(n))
                for a, n in zip(profile["mean_mom_rmb"], profile["count_years"], strict=True)
            ],
            hovertemplate="%{y:+.2f}% · %{customdata}<extra>%{fullData.name}</extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=recent["label"],
            y=recent["mom_pct"],
            name=t("trends.series_recent"),
            mode="markers",
            marker={"size": 10, "color": charts.ORANGE, "symbol": "diamond"},
            customdata=[fmt.month(m, lang) for m in recent["month_start"]],
            hovertemplate="%{y:+.2f}% · %{customdata}<extra>%{fullData.name}</extra>",
        )
    )
    charts.style(fig, height=340, lang=lang)
    _categorical(fig)
    fig.update_xaxes(categoryorder="array", categoryarray=list(profile["label"]))
    fig.update_layout(hovermode="x unified")
    fig.update_yaxes(
        title_text=t("trends.axis_growth"),
        ticksuffix="%",
        rangemode="normal",
        zeroline=True,
        zerolinecolor=charts.GREY,
    )
    return fig


def kaimenhong(campaigns: pd.DataFrame, lang: str | None = None) -> go.Figure:
    """The first-quarter campaign's (开门红) change by year: to the end of March (bars) and by
    the end of the Spring Festival's month (dots). Input: ``analytics.festival.kaimenhong``."""
    lang = lang or current_lang()
    largest = campaigns[["change", "by_festival_change"]].abs().max().max() if len(campaigns) else 0
    divisor, unit = fmt.money_unit(float(largest) if pd.notna(largest) else 0.0, lang)
    years = [str(int(y)) for y in campaigns["year"]]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=years,
            y=campaigns["change"] / divisor,
            name=t("trends.series_kmh"),
            marker_color=[
                charts.GREEN if v >= 0 else charts.VERMILLION for v in campaigns["change"]
            ],
            text=[fmt.signed_by_unit(v, "money", lang) for v in campaigns["change"]],
            textposition="auto",
            hovertemplate="%{text}<extra>%{fullData.name}</extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=years,
            y=campaigns["by_festival_change"] / divisor,
            name=t("trends.series_kmh_festival"),
            mode="markers",
            marker={"size": 11, "color": charts.ORANGE, "symbol": "diamond"},
            customdata=[
                fmt.signed_by_unit(v, "money", lang) for v in campaigns["by_festival_change"]
            ],
            hovertemplate="%{customdata}<extra>%{fullData.name}</extra>",
        )
    )
    charts.style(fig, height=260, lang=lang)
    _categorical(fig)
    fig.update_layout(hovermode="x unified")
    fig.update_yaxes(
        title_text=t("trends.axis_kmh", unit=unit),
        tickformat=",~r",
        rangemode="normal",
        zeroline=True,
        zerolinecolor=charts.GREY,
    )
    return fig


def deposit_structure(structure: pd.DataFrame, lang: str | None = None) -> go.Figure:
    """Demand vs time deposits per unit (100% bars) and wealth-management penetration (dots)."""
    lang = lang or current_lang()
    rows = structure.sort_values("demand_share_pct", ascending=True, na_position="first")
    fig = make_subplots(
        rows=1, cols=2, shared_yaxes=True, column_widths=[0.62, 0.38], horizontal_spacing=0.04
    )
    for column, key, colour, money_col in (
        ("demand_share_pct", "trends.series_demand", charts.SKY_BLUE, "demand_deposit_rmb"),
        ("time_share_pct", "trends.series_time", charts.BLUE, "time_deposit_rmb"),
    ):
        fig.add_trace(
            go.Bar(
                x=rows[column],
                y=rows["name"],
                orientation="h",
                name=t(key),
                marker_color=colour,
                customdata=[fmt.money(v, lang) for v in rows[money_col]],
                hovertemplate="%{x:.1f}% · %{customdata}<extra>%{fullData.name}</extra>",
            ),
            row=1,
            col=1,
        )
    fig.add_trace(
        go.Bar(
            x=rows["wealth_penetration_pct"],
            y=rows["name"],
            orientation="h",
            name=t("trends.series_penetration"),
            marker_color=charts.GREEN,
            hovertemplate="%{x:.1f}%<extra>%{fullData.name}</extra>",
        ),
        row=1,
        col=2,
    )
    charts.style(fig, height=max(240, 34 * len(rows) + 90), lang=lang)
    fig.update_layout(barmode="stack", hovermode="closest")
    fig.update_xaxes(tickformat=None, hoverformat=None, ticksuffix="%")
    fig.update_xaxes(range=[0, 100], row=1, col=1)
    fig.update_yaxes(type="category", automargin=True, rangemode="normal")
    return fig


def vip(flows: pd.DataFrame, lang: str | None = None) -> go.Figure:
    """VIP customers (top), their assets (middle), VIPs entered and left (bottom)."""
    lang = lang or current_lang()
    rows = flows.sort_values("month_start")
    divisor, unit = fmt.money_unit(float(rows["vip_aum_rmb"].max()) if len(rows) else 0, lang)
    fig = make_subplots(
        rows=3, cols=1, shared_xaxes=True, row_heights=[0.36, 0.32, 0.32], vertical_spacing=0.06
    )
    x = rows["month_start"]
    fig.add_trace(
        go.Scatter(
            x=x,
            y=rows["count_vip"],
            name=t("trends.series_vip"),
            mode="lines+markers",
            line={"width": 2.2, "color": charts.BLUE},
            customdata=[fmt.count(v, lang) for v in rows["count_vip"]],
            hovertemplate="%{customdata}<extra>%{fullData.name}</extra>",
        ),
        row=1,
        col=1,
    )
    fig.add_trace(
        go.Bar(
            x=x,
            y=rows["vip_aum_rmb"] / divisor,
            name=t("trends.series_vip_aum"),
            marker_color=charts.SKY_BLUE,
            customdata=[fmt.money(v, lang) for v in rows["vip_aum_rmb"]],
            hovertemplate="%{customdata}<extra>%{fullData.name}</extra>",
        ),
        row=2,
        col=1,
    )
    for column, key, colour, sign in (
        ("count_vip_entered", "trends.series_vip_entered", charts.GREEN, 1),
        ("count_vip_left", "trends.series_vip_left", charts.VERMILLION, -1),
    ):
        fig.add_trace(
            go.Bar(
                x=x,
                y=sign * rows[column],
                name=t(key),
                marker_color=colour,
                customdata=[fmt.count(v, lang) for v in rows[column]],
                hovertemplate="%{customdata}<extra>%{fullData.name}</extra>",
            ),
            row=3,
            col=1,
        )
    charts.style(fig, height=480, lang=lang)
    fig.update_layout(barmode="relative", bargap=0.35)
    fig.update_yaxes(
        title_text=t("trends.axis_vip"), tickformat=",d", rangemode="normal", row=1, col=1
    )
    fig.update_yaxes(title_text=t("chart.axis_aum", unit=unit), tickformat=",~r", row=2, col=1)
    fig.update_yaxes(
        title_text=t("trends.axis_vip_flows"),
        tickformat=",d",
        rangemode="normal",
        zeroline=True,
        zerolinecolor=charts.GREY,
        row=3,
        col=1,
    )
    return fig


def manager_trend(rows: pd.DataFrame, lang: str | None = None) -> go.Figure:
    """One relationship manager's book over time: AUM (bars) and customers (line)."""
    lang = lang or current_lang()
    rows = rows.sort_values("month_start")
    divisor, unit = fmt.money_unit(float(rows["aum_rmb"].max()) if len(rows) else 0, lang)
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(
        go.Bar(
            x=rows["month_start"],
            y=rows["aum_rmb"] / divisor,
            name=t("trends.series_aum"),
            marker_color=charts.BLUE,
            customdata=[fmt.money(v, lang) for v in rows["aum_rmb"]],
            hovertemplate="%{customdata}<extra>%{fullData.name}</extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=rows["month_start"],
            y=rows["count_customers"],
            name=t("series.customers"),
            mode="lines+markers",
            line={"width": 2.2, "color": charts.ORANGE},
            hovertemplate="%{y:,d}<extra>%{fullData.name}</extra>",
        ),
        secondary_y=True,
    )
    charts.style(fig, height=300, lang=lang)
    fig.update_yaxes(title_text=t("chart.axis_aum", unit=unit), tickformat=",~r")
    fig.update_yaxes(
        title_text=t("chart.axis_customers_plain"),
        tickformat=",d",
        tickmode="auto",
        showgrid=False,
        rangemode="normal",
        secondary_y=True,
    )
    return fig
