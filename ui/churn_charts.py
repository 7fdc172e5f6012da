"""Figures of the churn model page: ROC, precision-recall, calibration, capture, importance,
backtest by month. Inputs are the saved model metadata and backtest (analytics/churn)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ui import charts
from ui.i18n import current_lang, t

SCORERS: tuple[str, ...] = ("model", "logistic", "rule")
COLOURS = {"model": charts.BLUE, "logistic": charts.ORANGE, "rule": charts.GREY}


def _square(fig: go.Figure, x_title: str, y_title: str) -> go.Figure:
    charts.style(fig, height=340, lang=current_lang())
    fig.update_layout(hovermode="closest")
    fig.update_xaxes(title_text=x_title, tickformat=".0%", range=[0, 1], showgrid=True)
    fig.update_yaxes(title_text=y_title, tickformat=".0%", range=[0, 1.02])
    return fig


def _reference(fig: go.Figure, x: list[float], y: list[float], name: str) -> None:
    fig.add_trace(
        go.Scatter(
            x=x,
            y=y,
            name=name,
            mode="lines",
            line={"color": charts.BLACK, "dash": "dot", "width": 1},
            hoverinfo="skip",
        )
    )


def roc(curves: dict[str, list[dict]]) -> go.Figure:
    """ROC curves of the model, the logistic baseline and the rule, with the coin-toss line."""
    fig = go.Figure()
    for name in SCORERS:
        points = curves.get(name) or []
        if points:
            fig.add_trace(
                go.Scatter(
                    x=[p["fpr"] for p in points],
                    y=[p["tpr"] for p in points],
                    name=t(f"cm.scorer_{name}"),
                    mode="lines",
                    line={"color": COLOURS[name], "width": 2.2 if name == "model" else 1.6},
                )
            )
    _reference(fig, [0, 1], [0, 1], t("cm.random"))
    return _square(fig, t("cm.axis_fpr"), t("cm.axis_tpr"))


def precision_recall(curves: dict[str, list[dict]], base_rate: float) -> go.Figure:
    """Precision-recall curves; the dotted line is the churn rate (a random list's precision)."""
    fig = go.Figure()
    for name in SCORERS:
        points = curves.get(name) or []
        if points:
            fig.add_trace(
                go.Scatter(
                    x=[p["recall"] for p in points],
                    y=[p["precision"] for p in points],
                    name=t(f"cm.scorer_{name}"),
                    mode="lines",
                    line={"color": COLOURS[name], "width": 2.2 if name == "model" else 1.6},
                )
            )
    _reference(fig, [0, 1], [base_rate, base_rate], t("cm.random"))
    return _square(fig, t("cm.axis_recall"), t("cm.axis_precision"))


def calibration(points: list[dict]) -> go.Figure:
    """Predicted against observed churn rate per decile of predicted probability."""
    frame = pd.DataFrame(points)
    top = float(max(frame["predicted"].max(), frame["observed"].max(), 0.05)) * 1.1
    fig = go.Figure()
    _reference(fig, [0, top], [0, top], t("cm.perfect"))
    fig.add_trace(
        go.Scatter(
            x=frame["predicted"],
            y=frame["observed"],
            name=t("cm.scorer_model"),
            mode="lines+markers",
            line={"color": COLOURS["model"], "width": 2.2},
            marker={"size": 7},
        )
    )
    _square(fig, t("cm.axis_predicted"), t("cm.axis_observed"))
    fig.update_xaxes(range=[0, top])
    fig.update_yaxes(range=[0, top])
    return fig


def capture(curves: dict[str, list[dict]]) -> go.Figure:
    """Share of churners caught against share of customers called, per scorer."""
    fig = go.Figure()
    for name in SCORERS:
        points = curves.get(name) or []
        if points:
            fig.add_trace(
                go.Scatter(
                    x=[0.0] + [p["share"] for p in points],
                    y=[0.0] + [p["capture"] for p in points],
                    name=t(f"cm.scorer_{name}"),
                    mode="lines+markers",
                    marker={"size": 4},
                    line={"color": COLOURS[name], "width": 2.2 if name == "model" else 1.6},
                )
            )
    _reference(fig, [0, 1], [0, 1], t("cm.random"))
    fig.add_vline(x=0.1, line={"color": charts.GREY, "width": 1, "dash": "dash"})
    return _square(fig, t("cm.axis_share_called"), t("cm.axis_captured"))


def importance(rows: list[dict], top: int = 15) -> go.Figure:
    """Permutation importance (fall in ROC AUC), the ``top`` largest, largest at the top."""
    frame = pd.DataFrame(rows).head(top).iloc[::-1]
    fig = go.Figure(
        go.Bar(
            x=frame["importance"],
            y=frame["feature"],
            orientation="h",
            marker_color=charts.BLUE,
            error_x={"type": "data", "array": frame["std"], "color": charts.GREY},
            hovertemplate="%{y}: %{x:.4f}<extra></extra>",
        )
    )
    charts.style(fig, height=max(300, 24 * len(frame) + 60), lang=current_lang())
    fig.update_layout(hovermode="closest", showlegend=False)
    fig.update_xaxes(title_text=t("cm.axis_importance"), tickformat=".3f", showgrid=True)
    fig.update_yaxes(rangemode="normal", type="category")
    return fig


def backtest_by_month(origins: list[dict], metric: str = "roc_auc") -> go.Figure:
    """``metric`` at each backtest origin for the model, the logistic baseline and the rule."""
    fig = go.Figure()
    months = [pd.Timestamp(o["origin"] + "-01") for o in origins]
    for name in SCORERS:
        values = [o.get(name, {}).get(metric) for o in origins]
        if any(v is not None for v in values):
            fig.add_trace(
                go.Scatter(
                    x=months,
                    y=values,
                    name=t(f"cm.scorer_{name}"),
                    mode="lines+markers",
                    line={"color": COLOURS[name], "width": 2.2 if name == "model" else 1.6},
                )
            )
    charts.style(fig, height=300, lang=current_lang())
    fig.update_yaxes(title_text=t(f"cm.metric_{metric}"), rangemode="normal")
    return fig
