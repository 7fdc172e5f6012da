"""Segments 客户细分: breakdowns, the Pareto curve, customer groups, suitability, spending."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import clustering, customer_view, review, rules
from analytics import segment_rules as sr
from analytics import segments as seg
from data_access import customer_groups, segments, suitability
from ui import (
    audit_trail,
    auth,
    cache,
    charts,
    components,
    exports,
    page_params,
    saved_views,
    tables,
)
from ui import filters as ui_filters
from ui import formatting as fmt
from ui import segment_charts as figs
from ui import segment_labels as labels
from ui.i18n import current_lang, name_of, t
from ui.tables import Column

viewer = auth.require_page("segments")
filters = ui_filters.current_filters()
basis_code = ui_filters.current_basis()
lang = current_lang()
components.page_header(t("page.segments"), ui_filters.describe(viewer, filters))
saved_views.saved_views_panel(viewer, "segments")
segment = labels.segment_filters()
title_context = f"{t('page.segments')} · {labels.describe(segment)}"

breakdown = cache.scoped(segments.breakdown)
pareto_buckets = cache.scoped(segments.pareto_buckets)
spending = cache.scoped(segments.spending)
fitted_groups = cache.scoped(customer_groups.fitted_groups)
group_summary = cache.scoped(customer_groups.group_summary)
group_products = cache.scoped(customer_groups.group_products)
group_churn = cache.scoped(customer_groups.group_churn)
by_branch = cache.scoped(suitability.suitability_by_branch)
suit_summary = cache.scoped(suitability.suitability_summary)
grid = cache.scoped(suitability.suitability_grid)
mismatched = cache.scoped(suitability.mismatched_holdings)
count_mismatched = cache.scoped(suitability.count_mismatched_holdings)


def _download(frame: pd.DataFrame, name: str, title: str, key: str, **audit) -> None:
    """Audited downloads of ``frame``; ``audit``: its customers and page filters, if any."""
    exports.download_buttons(
        frame,
        name,
        viewer=viewer,
        filters=filters,
        title=f"{title} · {title_context}",
        key=key,
        **audit,
    )


def _suppressed_note(frame: pd.DataFrame) -> None:
    if "is_suppressed" in frame and frame["is_suppressed"].any():
        st.caption(t("seg.suppressed_note", n=int(frame["is_suppressed"].sum())))


# ------------------------------------------------------------------ breakdowns and Pareto
def show_breakdown() -> None:
    dimension = st.selectbox(
        t("seg.dimension"),
        sr.DIMENSIONS,
        format_func=labels.dimension_name,
        key="seg_dimension",
        help=t("seg.dimension_help"),
    )
    with st.spinner(t("common.loading")):
        # AUM on the chosen basis (the month's daily average or month-end), labelled so.
        frame = review.on_basis(breakdown(viewer, filters, dimension, segment), basis_code)
    if frame.empty:
        charts.empty_state("empty.chart")
    else:
        shares = seg.order_segments(seg.with_shares(frame), labels.options(dimension))
        shares["label"] = [labels.label(dimension, c) for c in shares["segment"]]
        customers, aum = shares["count_customers"].sum(), shares["aum_rmb"].sum()
        cols = st.columns(3)
        cols[0].metric(
            t("seg.kpi_customers"), fmt.count(customers), help=t("seg.kpi_customers_help")
        )
        on = fmt.basis_month(filters.month, basis_code, current_lang())
        cols[1].metric(f"{t('seg.kpi_aum')} · {on}", fmt.money(aum), help=t("seg.kpi_aum_help"))
        cols[2].metric(
            t("seg.kpi_avg_aum"),
            fmt.money(aum / customers if customers else None),
            help=t("seg.kpi_avg_aum_help"),
        )
        with st.container(border=True):
            st.subheader(
                t("seg.share_title", dimension=labels.dimension_name(dimension)),
                help=t("seg.share_help"),
                anchor=False,
            )
            charts.show(figs.share_bars(shares), key="seg_share_chart")
            if st.toggle(t("seg.split_by_tier"), key="seg_split", help=t("seg.split_help")):
                split = breakdown(viewer, filters, dimension, segment, True)
                split["label"] = [labels.label(dimension, c) for c in split["segment"]]
                tiers = {c: labels.label("tier", c) for c in rules.TIER_CODES}
                charts.show(figs.tier_stack(split, tiers), key="seg_tier_stack")
                _suppressed_note(split)
        shown_columns = [
            ("label", "seg.col_segment", "text", None),
            ("count_customers", "seg.col_customers", "count", "seg.kpi_customers_help"),
            ("customer_share_pct", "seg.col_customer_share", "pct", "seg.customer_share_help"),
            ("aum_rmb", "seg.col_aum", "money", "seg.kpi_aum_help"),
            ("aum_share_pct", "seg.col_aum_share", "pct", "seg.aum_share_help"),
            ("avg_aum_rmb", "seg.col_avg_aum", "money", "seg.kpi_avg_aum_help"),
            ("active_pct", "seg.col_active", "pct", "seg.active_help"),
        ]
        st.caption(t("review.amounts_on", label=on))
        # Headed by their labels, as the page's tests and exports name them.
        table = pd.DataFrame({t(label): shares[column] for column, label, _, _ in shown_columns})
        tables.table(
            table,
            [Column(t(label), label, kind, help_key) for _, label, kind, help_key in shown_columns],
            key="seg_dl_bd",
            name=f"segments_{dimension}",
            title=f"{labels.dimension_name(dimension)} · {title_context}",
            viewer=viewer,
            filters=filters,
        )
        _suppressed_note(shares)

    with st.container(border=True):
        st.subheader(t("seg.pareto_title"), help=t("seg.pareto_help"), anchor=False)
        buckets = pareto_buckets(viewer, filters, segment)
        if buckets.empty:
            charts.empty_state("empty.chart")
        else:
            curve = seg.pareto_curve(buckets)
            headlines = seg.pareto_headlines(curve)
            for column, row in zip(st.columns(len(headlines)), headlines.itertuples(), strict=True):
                column.metric(
                    t("seg.pareto_top", pct=row.top_pct),
                    fmt.pct(row.aum_share_pct),
                    help=t("seg.pareto_top_help", pct=row.top_pct),
                )
            charts.show(figs.pareto(curve), key="seg_pareto_chart")
            pareto_table = pd.DataFrame(
                {
                    t("seg.col_slice"): buckets["bucket"],
                    t("seg.col_customers"): buckets["count_customers"],
                    t("seg.col_aum"): buckets["aum_rmb"].round(2),
                    t("seg.col_min_aum"): buckets["min_aum_rmb"].round(2),
                    t("seg.col_max_aum"): buckets["max_aum_rmb"].round(2),
                    t("seg.col_cum_customers"): curve["customer_share_pct"]
                    .iloc[1:]
                    .round(2)
                    .values,
                    t("seg.col_cum_aum"): curve["aum_share_pct"].iloc[1:].round(2).values,
                }
            )
            _download(pareto_table, "segments_pareto", t("seg.pareto_title"), "seg_dl_pareto")


# ------------------------------------------------------------------ customer groups (客群)
def show_groups() -> None:
    st.caption(t("seg.groups_intro"))
    with st.spinner(t("seg.groups_fitting")):
        spec = fitted_groups(viewer, filters, segment)
    if spec is None:
        charts.empty_state("seg.groups_too_few")
    else:
        summary = group_summary(viewer, filters, segment, spec)
        cards = clustering.group_cards(
            summary,
            group_products(viewer, filters, segment, spec),
            group_churn(viewer, filters, segment, spec),
        )
        names = [labels.group_name(p) for p in clustering.group_names(spec)]
        cards["name"] = [names[int(g)] for g in cards["group_id"]]
        charts.show(figs.groups_bubble(cards), key="seg_groups_chart")
        st.subheader(t("seg.policy_title"), help=t("seg.policy_help"), anchor=False)
        records = cards.to_dict("records")
        slots = [slot for start in range(0, len(records), 3) for slot in st.columns(3)]
        for slot, card in zip(slots, records, strict=False):
            with slot, st.container(border=True, height="stretch"):
                st.markdown(f"**{card['name']}**")
                if pd.isna(card["count_customers"]):
                    st.caption(t("seg.card_suppressed"))
                    continue
                a, b = st.columns(2)
                a.metric(
                    t("seg.card_size"),
                    fmt.count(card["count_customers"]),
                    help=t("seg.card_size_help", share=fmt.pct(card["customer_share_pct"])),
                )
                b.metric(
                    t("seg.card_aum"),
                    fmt.money(card["aum_rmb"]),
                    help=t("seg.card_aum_help", share=fmt.pct(card["aum_share_pct"])),
                )
                a.metric(
                    t("seg.card_avg_aum"),
                    fmt.money(card["avg_aum_rmb"]),
                    help=t("seg.kpi_avg_aum_help"),
                )
                b.metric(
                    t("seg.card_churn"),
                    fmt.pct(card["churn_rate_pct"]),
                    help=t("seg.card_churn_help", months=sr.CHURN_LOOKBACK_MONTHS),
                )
                st.caption(
                    t(
                        "seg.card_profile",
                        age=f"{card['avg_age']:.0f}",
                        mobile=fmt.pct(card["mobile_share_pct"]),
                        invest=fmt.pct(card["invest_share_pct"]),
                    ),
                    help=t("seg.card_profile_help"),
                )
                products = t("common.list_sep").join(
                    labels.product_name(c) for c in card["typical_products"]
                )
                st.markdown(
                    t("seg.card_products_line", items=products or "—"),
                    help=t("seg.card_products_help"),
                )
                st.markdown(
                    t("seg.card_actions_line")
                    + "\n"
                    + "\n".join(f"- {labels.action(code)}" for code in card["actions"]),
                    help=t("seg.card_actions_help"),
                )
        group_table = pd.DataFrame(
            {
                t("seg.col_group"): cards["name"],
                t("seg.col_customers"): cards["count_customers"],
                t("seg.col_customer_share"): cards["customer_share_pct"].round(2),
                t("seg.col_aum"): cards["aum_rmb"].round(2),
                t("seg.col_aum_share"): cards["aum_share_pct"].round(2),
                t("seg.col_avg_aum"): cards["avg_aum_rmb"].round(2),
                t("seg.col_avg_age"): cards["avg_age"].round(1),
                t("seg.col_mobile"): cards["mobile_share_pct"].round(1),
                t("seg.col_invest"): cards["invest_share_pct"].round(1),
                t("seg.col_churn"): cards["churn_rate_pct"].round(2),
                t("seg.col_products"): [
                    t("common.list_sep").join(labels.product_name(c) for c in p)
                    for p in cards["typical_products"]
                ],
                t("seg.col_actions"): [
                    t("common.list_sep").join(labels.action(c) for c in a) for a in cards["actions"]
                ],
            }
        )
        _download(group_table, "customer_groups", t("seg.policy_title"), "seg_dl_groups")
        with st.container(border=True):
            st.subheader(t("seg.group_spend_title"), help=t("seg.spend_help"), anchor=False)
            group_spend = summary.rename(columns={"group_id": "segment"}).assign(
                count_customer_months=summary["count_customers"]
            )
            long = seg.spending_per_customer(group_spend, [c for c, _, _ in rules.SPEND_CATEGORIES])
            long["label"] = [names[int(g)] for g in long["segment"]]
            categories = {c: name_of((c, en, zh), lang) for c, en, zh in rules.SPEND_CATEGORIES}
            charts.show(figs.spend_stack(long, categories), key="seg_group_spend")


# ------------------------------------------------------------------ suitability (适当性)
def show_suitability() -> None:
    st.caption(t("seg.suit_intro"))
    branches = by_branch(viewer, filters)
    if branches.empty:
        charts.empty_state("empty.chart")
    else:
        totals = suit_summary(viewer, filters).iloc[0]
        flagged, total_customers = totals["count_mismatched_customers"], totals["count_customers"]
        cols = st.columns(3)
        cols[0].metric(
            t("seg.suit_customers"),
            fmt.count(flagged) if pd.notna(flagged) else t("seg.small"),
            help=t("seg.suit_customers_help"),
        )
        cols[1].metric(
            t("seg.suit_rate"),
            fmt.pct(flagged / total_customers * 100 if total_customers else None, digits=2),
            help=t("seg.suit_rate_help"),
        )
        cols[2].metric(
            t("seg.suit_amount"),
            fmt.money(totals["mismatched_amount_rmb"]),
            help=t("seg.suit_amount_help"),
        )
        name_column = f"branch_name_{lang}"
        branch_table = pd.DataFrame(
            {
                t("seg.col_branch"): branches[name_column],
                t("seg.col_customers"): branches["count_customers"],
                t("seg.col_suit_customers"): branches["count_mismatched_customers"],
                t("seg.col_suit_rate"): (
                    branches["count_mismatched_customers"] / branches["count_customers"] * 100
                ).round(2),
                t("seg.col_suit_holdings"): branches["count_mismatched_holdings"],
                t("seg.col_suit_amount"): branches["mismatched_amount_rmb"].round(2),
            }
        )
        st.subheader(t("seg.suit_by_branch"), help=t("seg.suit_rate_help"), anchor=False)
        tables.table(
            branch_table,
            [
                Column(t(label), label, kind)
                for label, kind in (
                    ("seg.col_branch", "text"),
                    ("seg.col_customers", "count"),
                    ("seg.col_suit_customers", "count"),
                    ("seg.col_suit_rate", "pct"),
                    ("seg.col_suit_holdings", "count"),
                    ("seg.col_suit_amount", "money"),
                )
            ],
            key="seg_dl_suit",
            name="suitability_by_branch",
            title=f"{t('seg.suit_by_branch')} · {title_context}",
            viewer=viewer,
            filters=filters,
        )
        _suppressed_note(branches)
        cells = grid(viewer, filters)
        if not cells.empty:
            st.subheader(t("seg.suit_grid"), help=t("seg.suit_grid_help"), anchor=False)
            customer_grades = [*rules.RISK_GRADES, rules.RISK_UNASSESSED]
            table = cells.pivot(
                index="customer_grade", columns="product_grade", values="count_customers"
            ).reindex(index=customer_grades, columns=list(rules.PRODUCT_RISK_GRADES))
            hidden = cells[cells["is_suppressed"]]
            hidden_cells = set(zip(hidden["customer_grade"], hidden["product_grade"], strict=True))
            text = [
                [
                    (
                        t("seg.small")
                        if (c, p) in hidden_cells
                        else fmt.count(0 if pd.isna(table.loc[c, p]) else table.loc[c, p])
                    )
                    + (" ⚠" if int(p[1]) > customer_view.grade_limit(c) else "")
                    for p in table.columns
                ]
                for c in table.index
            ]
            table = table.fillna(0.0).rename(index=lambda c: labels.label("risk_grade", c))
            charts.show(
                figs.heatmap(
                    table,
                    text,
                    x_title=t("seg.axis_product_grade"),
                    y_title=t("seg.axis_customer_grade"),
                    colorscale="Oranges",
                ),
                key="seg_suit_grid",
            )
        st.subheader(t("seg.suit_list"), help=t("seg.suit_list_help"), anchor=False)
        options = [None, *branches["branch_id"].astype(int).tolist()]
        names = dict(zip(branches["branch_id"].astype(int), branches[name_column], strict=True))
        chosen = st.selectbox(
            t("seg.col_branch"),
            options,
            format_func=lambda b: t("filter.all") if b is None else names.get(b, str(b)),
            key="seg_suit_branch",
        )
        total = count_mismatched(viewer, filters, chosen)
        pages = max((total - 1) // sr.LIST_PAGE_SIZE + 1, 1)
        page = st.number_input(t("seg.page_number", pages=pages), 1, pages, 1, key="seg_suit_page")
        rows = mismatched(
            viewer, filters, chosen, sr.LIST_PAGE_SIZE, (page - 1) * sr.LIST_PAGE_SIZE
        )
        audit_trail.list_shown(
            viewer,
            filters,
            rows["customer_id"],
            page="segments",
            page_filters={"suitability_branch": chosen},
            table="suitability_holdings",
            list_page=int(page),
        )
        listing = pd.DataFrame(
            {
                t("seg.col_customer"): [labels.customer_link(c) for c in rows["customer_id"]],
                t("seg.col_name"): rows["full_name"],
                t("seg.col_branch"): rows[name_column],
                t("seg.col_customer_grade"): rows["customer_grade"].map(
                    lambda c: labels.label("risk_grade", c)
                ),
                t("seg.col_product"): rows[f"product_name_{lang}"],
                t("seg.col_product_grade"): rows["product_grade"],
                t("seg.col_amount"): rows["amount_rmb"].round(2),
            }
        )
        st.caption(t("seg.list_count", n=fmt.count(total)))
        tables.table(
            listing,
            [
                Column(
                    t("seg.col_customer"),
                    "seg.col_customer",
                    "link",
                    "seg.customer_link_help",
                    link_text=labels.LINK_TEXT,
                ),
                *(
                    Column(t(label), label, "text")
                    for label in (
                        "seg.col_name",
                        "seg.col_branch",
                        "seg.col_customer_grade",
                        "seg.col_product",
                        "seg.col_product_grade",
                    )
                ),
                Column(t("seg.col_amount"), "seg.col_amount", "money"),
            ],
            key="seg_dl_suit_list",
            name="suitability_holdings",
            title=f"{t('seg.suit_list')} · {title_context}",
            viewer=viewer,
            filters=filters,
            customer_ids=[int(c) for c in rows["customer_id"]],
            page_filters={"suitability_branch": chosen},
        )


# ------------------------------------------------------------------ spending habits (消费习惯)
def show_spending() -> None:
    spend_dimension = st.selectbox(
        t("seg.dimension"),
        sr.DIMENSIONS,
        format_func=labels.dimension_name,
        key="seg_spend_dimension",
        help=t("seg.dimension_help"),
    )
    frame = spending(viewer, filters, spend_dimension, segment)
    if frame.empty:
        charts.empty_state("empty.chart")
    else:
        frame = seg.order_segments(frame, labels.options(spend_dimension))
        codes = [c for c, _, _ in rules.SPEND_CATEGORIES]
        long = seg.spending_per_customer(frame, codes)
        long["label"] = [labels.label(spend_dimension, c) for c in long["segment"]]
        categories = {c: name_of((c, en, zh), lang) for c, en, zh in rules.SPEND_CATEGORIES}
        with st.container(border=True):
            st.subheader(
                t("seg.spend_title", months=filters.months_back),
                help=t("seg.spend_help"),
                anchor=False,
            )
            charts.show(figs.spend_stack(long, categories), key="seg_spend_chart")
        wide = long.pivot_table(
            index="label", columns="category", values="avg_monthly_rmb", sort=False, dropna=False
        ).reindex(columns=codes)
        wide.columns = [categories[c] for c in wide.columns]
        wide = wide.round(2).reset_index().rename(columns={"label": t("seg.col_segment")})
        tables.table(
            wide,
            [
                Column(t("seg.col_segment"), "seg.col_segment", "text"),
                *(Column(name, "", "money", label=name) for name in wide.columns[1:]),
            ],
            key="seg_dl_spend",
            name=f"spending_{spend_dimension}",
            title=f"{t('seg.spend_title', months=filters.months_back)} · {title_context}",
            viewer=viewer,
            filters=filters,
        )
        _suppressed_note(frame)


# ------------------------------------------------------------------ tabs (only the open one runs)
page_params.lazy_tabs(
    "seg_tab",
    {
        "breakdown": (t("seg.tab_breakdown"), show_breakdown),
        "groups": (t("seg.tab_groups"), show_groups),
        "suitability": (t("seg.tab_suitability"), show_suitability),
        "spending": (t("seg.tab_spending"), show_spending),
    },
)
