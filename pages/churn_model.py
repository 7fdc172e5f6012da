"""Churn model 流失模型评估: how well the early warning works, judged out of time, for analysts.

Everything here comes from the saved model's metadata (validation on the latest labelled month,
with a model trained only on earlier months) and the last rolling-origin backtest, both written
by ``python -m cli churn train|backtest`` (the demo build trains one). Aggregates only: no
customer appears on this page.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.churn import artifacts
from data_access import watchlist as wl
from ui import auth, cache, charts, churn_charts, components, exports, tables
from ui import filters as ui_filters
from ui import formatting as fmt
from ui.i18n import current_lang, t
from ui.tables import Column

viewer = auth.require_page("churn_model")
filters = ui_filters.current_filters()
lang = current_lang()
components.page_header(t("page.churn_model"), t("cm.caption"))


# The model's tables: AUCs to three decimals, lift to two, the Brier score to
# four (as the cards), shares captured and churn rates in percent.
_RATIO_DIGITS = {"roc_auc": 3, "pr_auc": 3, "lift_at_10pct": 2, "brier": 4}


def _metric_column(key: str, label: str | None = None) -> Column:
    """The column of a model metric (``label``: a name other than the metric's own)."""
    if key == "capture_at_10pct":
        return Column(label or t(f"cm.metric_{key}"), f"cm.metric_{key}", "pct", label=label)
    return Column(
        label or t(f"cm.metric_{key}"),
        f"cm.metric_{key}",
        "ratio",
        label=label,
        digits=_RATIO_DIGITS[key],
    )


def _percent(value: float | None) -> float | None:
    return None if value is None else 100 * value


@st.cache_data(ttl=600, show_spinner=False)
def _metadata(version: str) -> dict:
    return artifacts.load_metadata(version=version)


@st.cache_data(ttl=600, show_spinner=False)
def _backtest(stamp: float) -> dict | None:
    return artifacts.load_backtest()


try:
    meta = _metadata(artifacts.latest_version())
except FileNotFoundError:
    st.info(f"**{t('cm.no_model_title')}**  \n{t('cm.no_model_body')}", icon=":material/info:")
    st.stop()

metrics = meta.get("metrics") or {}
info = cache.warehouse_info(viewer)
scored = cache.scoped(wl.scored_months)(viewer)

# ------------------------------------------------------------------ what model, on what data
with st.container(border=True):
    st.subheader(t("cm.meta_title"), anchor=False)
    rows = {
        t("cm.meta_version"): meta["version"],
        t("cm.meta_family"): meta.get("model_family", ""),
        t("cm.meta_as_of"): fmt.month(meta["data_as_of_month"] + "-01", lang),
        t("cm.meta_created"): fmt.date(meta["created_at"], lang),
        t("cm.meta_train_cutoffs"): ", ".join(meta.get("train_cutoffs", [])),
        t("cm.meta_rows"): fmt.count(meta.get("n_train"), lang),
        t("cm.meta_rate"): fmt.pct(100 * meta.get("train_positive_rate", 0.0), lang, 2),
        t("cm.meta_scored"): fmt.month(scored[-1], lang) if scored else fmt.DASH,
    }
    left, right = st.columns(2)
    items = list(rows.items())
    for column, part in ((left, items[:4]), (right, items[4:])):
        with column:
            for label, value in part:
                st.markdown(f"**{label}:** {value}")
    warehouse_month = info.get("as_of_month")
    if warehouse_month is not None:
        gap = (
            pd.Timestamp(warehouse_month).to_period("M") - pd.Period(meta["data_as_of_month"], "M")
        ).n
        if gap > 0:
            st.warning(t("cm.stale", months=gap), icon=":material/schedule:")

if not metrics:
    st.info(t("cm.no_validation"), icon=":material/info:")
    st.stop()

# ------------------------------------------------------------------ headline metrics
st.subheader(t("cm.validation_title"), help=t("cm.validation_help"), anchor=False)
st.caption(
    t(
        "cm.validation_line",
        origin=fmt.month(metrics["origin"] + "-01", lang),
        n=fmt.count(metrics["n_test"], lang),
        rate=fmt.pct(100 * metrics["positive_rate"], lang, 2),
        cutoffs=", ".join(metrics.get("train_cutoffs", [])),
    )
)
model = metrics["model"]
cards = (
    ("roc_auc", f"{model['roc_auc']:.3f}"),
    ("pr_auc", f"{model['pr_auc']:.3f}"),
    ("capture_at_10pct", fmt.pct(100 * model["capture_at_10pct"], lang)),
    ("lift_at_10pct", f"{model['lift_at_10pct']:.2f}×"),
    ("brier", f"{model.get('brier', float('nan')):.4f}"),
)
for column, (key, value) in zip(st.columns(len(cards)), cards, strict=True):
    with column, st.container(border=True):
        st.metric(t(f"cm.metric_{key}"), value, help=t(f"cm.metric_{key}_help"))

_COMPARED = ("roc_auc", "pr_auc", "lift_at_10pct", "capture_at_10pct", "brier")
comparison = pd.DataFrame(
    [
        {
            t("cm.col_scorer"): t(f"cm.scorer_{name}"),
            **{
                t(f"cm.metric_{key}"): (
                    _percent(metrics[name].get(key))
                    if key == "capture_at_10pct"
                    else metrics[name].get(key)
                )
                for key in _COMPARED
            },
        }
        for name in churn_charts.SCORERS
        if name in metrics
    ]
)
context = {t("cm.meta_version"): meta["version"], t("cm.validation_title"): metrics["origin"]}
tables.table(
    comparison,
    [Column(t("cm.col_scorer"), "cm.col_scorer", "text")]
    + [_metric_column(key) for key in _COMPARED],
    key="cm_comparison",
    name="churn_model_comparison",
    title=t("cm.validation_title"),
    viewer=viewer,
    filters=filters,
    extra=context,
)
rule = metrics.get("rule", {})
if rule.get("flag_rate") is not None:
    st.caption(
        t(
            "cm.rule_line",
            flagged=fmt.pct(100 * rule["flag_rate"], lang),
            precision=fmt.pct(100 * (rule.get("flag_precision") or 0.0), lang),
            recall=fmt.pct(100 * (rule.get("flag_recall") or 0.0), lang),
        )
    )

# ------------------------------------------------------------------ curves
roc_col, pr_col = st.columns(2, gap="medium")
with roc_col, st.container(border=True):
    st.subheader(t("cm.roc_title"), help=t("cm.roc_help"), anchor=False)
    if metrics.get("roc"):
        charts.show(churn_charts.roc(metrics["roc"]), key="cm_roc")
    else:
        charts.empty_state("cm.no_curves")
with pr_col, st.container(border=True):
    st.subheader(t("cm.pr_title"), help=t("cm.pr_help"), anchor=False)
    if metrics.get("pr"):
        fig = churn_charts.precision_recall(metrics["pr"], metrics["positive_rate"])
        charts.show(fig, key="cm_pr")
    else:
        charts.empty_state("cm.no_curves")
cal_col, lift_col = st.columns(2, gap="medium")
with cal_col, st.container(border=True):
    st.subheader(t("cm.calibration_title"), help=t("cm.calibration_help"), anchor=False)
    if metrics.get("calibration"):
        charts.show(churn_charts.calibration(metrics["calibration"]), key="cm_calibration")
    else:
        charts.empty_state("cm.no_curves")
with lift_col, st.container(border=True):
    st.subheader(t("cm.capture_title"), help=t("cm.capture_help"), anchor=False)
    curves = metrics.get("lift_curves") or {"model": metrics.get("lift_curve", [])}
    charts.show(churn_charts.capture(curves), key="cm_capture")

# ------------------------------------------------------------------ what drives it
with st.container(border=True):
    st.subheader(t("cm.importance_title"), help=t("cm.importance_help"), anchor=False)
    importance = metrics.get("importance") or []
    if importance:
        charts.show(churn_charts.importance(importance), key="cm_importance")
        table = pd.DataFrame(importance).rename(
            columns={
                "feature": t("cm.col_feature"),
                "importance": t("cm.col_importance"),
                "std": t("cm.col_std"),
            }
        )
        exports.download_buttons(
            table,
            "churn_model_importance",
            viewer=viewer,
            filters=filters,
            title=t("cm.importance_title"),
            key="cm_importance_table",
            extra=context,
        )
    else:
        charts.empty_state("cm.no_importance")
    st.caption(t("cm.reasons_note"))
    by_path = metrics.get("model_by_path") or {}
    if by_path:
        tables.show(
            pd.DataFrame(
                [
                    {
                        t("cm.col_path"): t(f"cm.path_{path}"),
                        t("cm.col_churners"): values["count"],
                        t("cm.metric_roc_auc"): values["roc_auc"],
                        # Models saved before lift by path was measured have only the AUC.
                        t("cm.metric_lift_at_10pct"): values.get("lift_at_10pct"),
                        t("cm.metric_capture_at_10pct"): values.get("capture_at_10pct"),
                    }
                    for path, values in by_path.items()
                ]
            ),
            [
                Column(t("cm.col_path"), "cm.col_path", "text"),
                Column(t("cm.col_churners"), "cm.col_churners", "count"),
                _metric_column("roc_auc"),
                _metric_column("lift_at_10pct"),
                _metric_column("capture_at_10pct"),
            ],
            key="cm_by_path",
        )

# ------------------------------------------------------------------ backtest by month
with st.container(border=True):
    st.subheader(t("cm.backtest_title"), help=t("cm.backtest_help"), anchor=False)
    stamp_path = artifacts.model_dir() / artifacts.BACKTEST_FILE
    backtest = _backtest(stamp_path.stat().st_mtime if stamp_path.exists() else 0.0)
    if not backtest:
        st.info(t("cm.no_backtest"), icon=":material/info:")
    else:
        st.caption(
            t(
                "cm.backtest_line",
                run=fmt.date(backtest.get("run_at", "")[:10] or None, lang),
                as_of=fmt.month(backtest["data_as_of_month"] + "-01", lang),
            )
        )
        charts.show(churn_charts.backtest_by_month(backtest["origins"]), key="cm_backtest")
        auc = t("cm.metric_roc_auc")
        by_scorer = {name: f"{t(f'cm.scorer_{name}')} · {auc}" for name in churn_charts.SCORERS}
        table = pd.DataFrame(
            [
                {
                    t("cm.col_origin"): pd.Timestamp(f"{origin['origin']}-01"),
                    t("cm.col_customers"): origin["n_test"],
                    t("cm.col_rate"): _percent(origin["positive_rate"]),
                    **{
                        label: origin.get(name, {}).get("roc_auc")
                        for name, label in by_scorer.items()
                    },
                    t("cm.metric_capture_at_10pct"): _percent(origin["model"]["capture_at_10pct"]),
                }
                for origin in backtest["origins"]
            ]
        )
        tables.show(
            table,
            [
                Column(t("cm.col_origin"), "cm.col_origin", "month"),
                Column(t("cm.col_customers"), "cm.col_customers", "count"),
                Column(t("cm.col_rate"), "cm.col_rate", "pct"),
                *[_metric_column("roc_auc", label) for label in by_scorer.values()],
                _metric_column("capture_at_10pct"),
            ],
            key="cm_backtest_table",
        )
