"""Cross-selling 交叉销售: core-bundle coverage (五花大绑), the stickiness curve, next best
product with campaign lists, and partner employers (专享产品).

Next best product reads what refresh fitted and scored (mart_propensity_model, mart_next_best):
nothing is fitted while the page runs."""

from __future__ import annotations

import streamlit as st

from analytics import bundle, rules, uptake
from analytics import cross_sell_rules as xr
from catalogue.roles import Capability
from data_access import cross_sell
from ui import audit_trail, auth, cache, charts, components, crm_charts, page_params, tables
from ui import filters as ui_filters
from ui import formatting as fmt
from ui.i18n import current_lang, name_of, t
from ui.tables import Column

viewer = auth.require_page("cross_sell")
filters = ui_filters.current_filters()
lang = current_lang()
components.page_header(t("page.cross_sell"), ui_filters.describe(viewer, filters))
out = {"viewer": viewer, "filters": filters}

coverage_of = cache.scoped(cross_sell.core_coverage)
trend_of = cache.scoped(cross_sell.core_coverage_trend)
stickiness_of = cache.scoped(cross_sell.stickiness)
campaign_of = cache.scoped(cross_sell.campaign_list)
scored_month_of = cache.scoped(cross_sell.scored_month)
models_of = cache.scoped(cross_sell.propensity_models)
employers_of = cache.scoped(cross_sell.partner_employers)


# ------------------------------------------------------------------ core-bundle coverage
def show_coverage() -> None:
    dimension = (
        st.segmented_control(
            t("xsell.dimension"),
            list(cross_sell.DIMENSIONS),
            default="branch",
            format_func=lambda d: t(f"xsell.dimension_{d}"),
            key="xsell_dimension",
            help=t("xsell.dimension_help"),
        )
        or "branch"
    )
    with st.spinner(t("common.loading")):
        counts = coverage_of(viewer, filters, dimension)
    if counts.empty:
        charts.empty_state("empty.body", "empty.title")
    else:
        shares = bundle.coverage_shares(counts)
        whole = bundle.coverage_shares(counts.assign(group_key="all")).iloc[0]
        cols = st.columns(4, border=True)
        cols[0].metric(
            t("xsell.customers"),
            fmt.count(whole["count_customers"], lang),
            help=t("xsell.customers_help"),
        )
        cols[1].metric(
            t("xsell.avg_core"), f"{whole['avg_core_products']:.2f}", help=t("xsell.avg_core_help")
        )
        cols[2].metric(
            t("xsell.share_3plus"),
            fmt.pct(whole["share_3plus_pct"], lang),
            help=t("xsell.share_3plus_help"),
        )
        cols[3].metric(
            t("xsell.share_full"),
            fmt.pct(whole["share_full_pct"], lang),
            help=t("xsell.share_full_help"),
        )
        labels: dict[object, str] = {}
        if dimension == "branch":
            labels = dict(zip(counts["group_key"], counts[f"branch_name_{lang}"], strict=True))
        elif dimension == "tier":
            labels = {tier.code: name_of(tier, lang) for tier in rules.TIERS}
        elif dimension == "occupation":
            labels = {code: name_of((code, en, zh), lang) for code, en, zh in rules.OCCUPATIONS}
        else:
            names = counts.drop_duplicates("group_key").set_index("group_key")["full_name"]
            labels = {
                key: (t("xsell.unassigned") if key == -1 else f"{names.get(key)} ({key})")
                for key in names.index
            }
        shares["group"] = shares["group_key"].map(lambda k: labels.get(k, str(k)))
        with st.container(border=True):
            st.subheader(t("xsell.distribution"), help=t("xsell.distribution_help"), anchor=False)
            charted = charts.extremes(shares, "avg_core_products")
            charts.show(
                crm_charts.coverage_bars(charted, "group", lang=lang), key="xsell_cov_chart"
            )
            charts.extremes_note(len(charted), len(shares), t("xsell.avg_core"))
            table = shares[
                ["group", "count_customers", "avg_core_products", "share_3plus_pct"]
                + [f"count_{k}" for k in xr.CORE_COUNTS]
            ]
            tables.table(
                table,
                [
                    Column("group", "", "text", label=t(f"xsell.dimension_{dimension}")),
                    Column("count_customers", "xsell.customers", "count"),
                    Column("avg_core_products", "xsell.avg_core", "ratio"),
                    Column("share_3plus_pct", "xsell.share_3plus", "pct"),
                    *(
                        Column(f"count_{k}", "", "count", label=t("xsell.n_core", n=k))
                        for k in xr.CORE_COUNTS
                    ),
                ],
                key="core_bundle_coverage",
                name="core_bundle_coverage",
                **out,
                title=t("xsell.distribution"),
                empty_state=True,
            )
    left, right = st.columns(2, gap="medium")
    with left, st.container(border=True):
        st.subheader(t("xsell.trend"), help=t("xsell.trend_help"), anchor=False)
        trend = bundle.coverage_trend(trend_of(viewer, filters))
        if trend.empty:
            charts.empty_state()
        else:
            charts.show(crm_charts.coverage_trend(trend, lang=lang), key="xsell_trend_chart")
            tables.table(
                trend,
                [
                    Column("month_start", "cust.month", "month"),
                    Column("count_customers", "xsell.customers", "count"),
                    Column("avg_core_products", "xsell.avg_core", "ratio"),
                    Column("share_3plus_pct", "xsell.share_3plus", "pct"),
                    Column("share_full_pct", "xsell.share_full", "pct"),
                ],
                key="core_bundle_trend",
                name="core_bundle_trend",
                **out,
                title=t("xsell.trend"),
                empty_state=True,
            )
    with right, st.container(border=True):
        st.subheader(t("xsell.stickiness"), help=t("xsell.stickiness_help"), anchor=False)
        measure = (
            st.segmented_control(
                t("xsell.measure"),
                ["core", "products"],
                default="core",
                format_func=lambda m: t(f"xsell.measure_{m}"),
                key="xsell_measure",
            )
            or "core"
        )
        curve = bundle.stickiness_curve(
            stickiness_of(viewer, filters, measure), through=5 if measure == "core" else 0
        )
        if curve.empty:
            charts.empty_state()
        else:
            ratio = bundle.stickiness_ratio(curve)
            if ratio is not None:
                st.metric(
                    t("xsell.stickiness_ratio"),
                    f"{ratio:.1f}×",
                    help=t("xsell.stickiness_ratio_help"),
                )
            charts.show(crm_charts.stickiness(curve, lang=lang), key="xsell_stickiness_chart")
            tables.table(
                curve,
                [
                    Column("count_core_products", "xsell.axis_core_products", "count"),
                    Column("count_base", "xsell.base", "count"),
                    Column("count_churned", "xsell.churned", "count"),
                    Column("churn_rate_pct", "xsell.axis_churn_rate", "pct"),
                    Column("is_thin", "xsell.thin", "flag"),
                ],
                key="stickiness_curve",
                name="stickiness_curve",
                **out,
                title=t("xsell.stickiness"),
                empty_state=True,
            )


# ------------------------------------------------------------------ next best product
def show_next_best() -> None:
    scored = scored_month_of(viewer, filters.month)
    evaluation = models_of(viewer, filters.month)
    if scored is not None:
        note = t("xsell.scored_month", month=fmt.month(scored, lang))
        if filters.month is not None and filters.month != scored:
            note += " " + t("xsell.scored_fallback", chosen=fmt.month(filters.month, lang))
        st.caption(note)
    if viewer.can(Capability.SEES_MODEL_QUALITY) and not evaluation.empty:
        with st.container(border=True):
            st.subheader(t("xsell.model_quality"), help=t("xsell.model_quality_help"), anchor=False)
            if evaluation["auc"].notna().any():
                charts.show(crm_charts.auc_bars(evaluation, lang=lang), key="xsell_auc_chart")
            shown = evaluation.assign(
                target=evaluation["target"].map(lambda c: t(f"xsell.target_{c}")),
                reason=evaluation["reason"].map(lambda r: t("xsell.too_few") if r else ""),
            ).drop(columns=["has_model"])
            tables.table(
                shown,
                [
                    Column("target", "xsell.product_line", "text"),
                    Column("auc", "", "ratio", label="AUC", help_key="xsell.auc_help", digits=3),
                    Column("count_train", "xsell.count_train", "count"),
                    Column("count_test", "xsell.count_test", "count"),
                    Column("count_holders", "xsell.count_holders", "count"),
                    Column("base_rate_pct", "xsell.base_rate", "pct", "xsell.base_rate_help"),
                    Column("reason", "xsell.note", "text"),
                ],
                key="propensity_model_quality",
                name="propensity_model_quality",
                **out,
                title=t("xsell.model_quality"),
                empty_state=True,
            )
    with st.container(border=True):
        st.subheader(t("xsell.campaign"), help=t("xsell.campaign_help"), anchor=False)
        modelled = evaluation[evaluation["has_model"].astype(bool)]
        base_rates = dict(zip(modelled["target"], modelled["base_rate_pct"], strict=True))
        available = [c for c in xr.TARGETS if c in base_rates]
        if not available:
            st.info(
                t("xsell.no_models" if scored is not None else "xsell.not_scored"),
                icon=":material/model_training:",
            )
        else:
            pick, size = st.columns([2, 1])
            target = pick.selectbox(
                t("xsell.product_line"),
                available,
                format_func=lambda c: t(f"xsell.target_{c}"),
                key="xsell_target",
            )
            rows = size.number_input(
                t("xsell.rows"),
                min_value=10,
                max_value=xr.CAMPAIGN_MAX_ROWS,
                value=100,
                step=10,
                key="xsell_rows",
            )
            listed = campaign_of(viewer, filters, target, int(rows))
            if listed.empty:
                charts.empty_state()
            else:
                listed = listed.assign(
                    probability_pct=listed["probability"].astype(float) * 100,
                    tier_code=listed["tier_code"].map(
                        lambda c: (
                            name_of(rules.TIER_BY_CODE[c], lang) if c in rules.TIER_BY_CODE else c
                        )
                    ),
                ).drop(columns=["probability"])
                audit_trail.list_shown(
                    viewer,
                    filters,
                    listed["customer_id"],
                    page="cross_sell",
                    page_filters={"campaign": target, "rows": int(rows)},
                )
                st.caption(
                    t(
                        "xsell.campaign_line",
                        count=fmt.count(len(listed), lang),
                        product=t(f"xsell.target_{target}"),
                        base=fmt.pct(base_rates[target], lang),
                    )
                )
                tables.table(
                    listed,
                    [
                        Column("customer_id", "cust.number", "id"),
                        Column("full_name", "cust.name", "text"),
                        Column("mobile", "cust.mobile", "text"),
                        Column("branch_id", "cust.branch", "id"),
                        Column("rm_staff_id", "cust.manager", "text"),
                        Column("tier_code", "cust.tier", "text"),
                        Column("aum_rmb", "cust.aum", "money"),
                        Column(
                            "probability_pct", "xsell.probability", "pct", "xsell.probability_help"
                        ),
                    ],
                    key=f"campaign_{target}",
                    name=f"campaign_{target}",
                    **out,
                    title=f"{t('xsell.campaign')} · {t(f'xsell.target_{target}')}",
                    customer_column="customer_id",
                    empty_state=True,
                )
                names = dict(zip(listed["customer_id"], listed["full_name"], strict=True))
                chosen = st.selectbox(
                    t("xsell.open_customer"),
                    list(names),
                    format_func=lambda c: f"{c} · {names[c]}",
                    key="xsell_open",
                )
                st.page_link(
                    "pages/customer.py",
                    label=t("xsell.open_customer_link", customer=chosen),
                    icon=":material/person_search:",
                    query_params={"customer": str(int(chosen))},
                )


# ------------------------------------------------------------------ partner employers
def show_employers() -> None:
    employers = employers_of(viewer, filters)
    if employers.empty:
        charts.empty_state("xsell.no_employers")
    else:
        table = uptake.employer_rates(employers).assign(
            employer=employers[f"name_{lang}"], branch=employers[f"branch_name_{lang}"]
        )
        totals = uptake.employer_totals(employers)
        cols = st.columns(4, border=True)
        cols[0].metric(
            t("xsell.employers"),
            fmt.count(totals["count_employers"], lang),
            help=t("xsell.employers_help"),
        )
        for col, key in zip(
            cols[1:], ("staff_coverage", "payroll_coverage", "exclusive_uptake"), strict=True
        ):
            col.metric(
                t(f"xsell.{key}"), fmt.pct(totals[f"{key}_pct"], lang), help=t(f"xsell.{key}_help")
            )
        with st.container(border=True):
            st.subheader(
                t("xsell.employers_chart"), help=t("xsell.employers_chart_help"), anchor=False
            )
            top = table.head(20)
            charts.show(
                crm_charts.grouped_bars(
                    top,
                    "employer",
                    [
                        ("staff_coverage_pct", t("xsell.staff_coverage"), charts.SKY_BLUE),
                        ("payroll_coverage_pct", t("xsell.payroll_coverage"), charts.BLUE),
                        ("exclusive_uptake_pct", t("xsell.exclusive_uptake"), charts.GREEN),
                    ],
                    lang=lang,
                    percent=True,
                ),
                key="xsell_employers_chart",
            )
            tables.table(
                table,
                [
                    Column("employer", "xsell.employer", "text"),
                    Column("branch", "cust.branch", "text"),
                    Column("count_employees", "xsell.employees", "count"),
                    Column("count_staff_customers", "xsell.staff_customers", "count"),
                    Column("count_payroll", "xsell.payroll", "count"),
                    Column("payroll_coverage_pct", "xsell.payroll_coverage", "pct"),
                    Column("count_exclusive_products", "xsell.exclusive_products", "count"),
                    Column("count_exclusive_holders", "xsell.exclusive_holders", "count"),
                    Column("exclusive_uptake_pct", "xsell.exclusive_uptake", "pct"),
                    Column("exclusive_amount_rmb", "xsell.exclusive_amount", "money"),
                ],
                key="partner_employers",
                name="partner_employers",
                **out,
                title=t("xsell.employers_chart"),
                empty_state=True,
            )


# ------------------------------------------------------------------ tabs (only the open one runs)
page_params.lazy_tabs(
    "xsell_tab",
    {
        "coverage": (t("xsell.tab_coverage"), show_coverage),
        "next_best": (t("xsell.tab_next_best"), show_next_best),
        "employers": (t("xsell.tab_employers"), show_employers),
    },
)
