"""VIP services 贵宾服务: customers with financial assets of 1,000,000 RMB or more, eligible
against using the value-added services, by branch and by service type, and the list to call."""

from __future__ import annotations

import streamlit as st

from analytics import rules, uptake
from data_access import vip
from ui import audit_trail, auth, cache, charts, components, crm_charts, crm_tables
from ui import filters as ui_filters
from ui import formatting as fmt
from ui.i18n import current_lang, name_of, t

viewer = auth.require_page("vip")
filters = ui_filters.current_filters()
lang = current_lang()
components.page_header(t("page.vip"), ui_filters.describe(viewer, filters))
out = {"viewer": viewer, "filters": filters}

with st.spinner(t("common.loading")):
    by_branch = cache.scoped(vip.vip_by_branch)(viewer, filters)
    by_service = cache.scoped(vip.vip_by_service)(viewer, filters)
if by_branch.empty and by_service.empty:
    charts.empty_state("vipsvc.none", "empty.title")
    st.stop()

totals = uptake.vip_totals(by_branch)
cols = st.columns(3, border=True)
cols[0].metric(
    t("vipsvc.eligible"),
    fmt.count(totals["count_eligible"], lang),
    help=t("vipsvc.eligible_help", threshold=fmt.money(rules.VIP_THRESHOLD_RMB, lang)),
)
cols[1].metric(
    t("vipsvc.using"), fmt.count(totals["count_using"], lang), help=t("vipsvc.using_help")
)
cols[2].metric(
    t("vipsvc.using_pct"), fmt.pct(totals["using_pct"], lang), help=t("vipsvc.using_pct_help")
)

branches = uptake.vip_rates(by_branch).assign(branch=by_branch.get(f"branch_name_{lang}"))
services = {code: name_of((code, en, zh), lang) for code, en, zh in rules.VIP_SERVICES}
left, right = st.columns(2, gap="medium")
with left, st.container(border=True):
    st.subheader(t("vipsvc.by_branch"), help=t("vipsvc.by_branch_help"), anchor=False)
    if branches.empty:
        charts.empty_state()
    else:
        charts.show(
            crm_charts.grouped_bars(
                branches,
                "branch",
                [
                    ("count_eligible", t("vipsvc.eligible"), charts.BLUE),
                    ("count_using", t("vipsvc.using"), charts.GREEN),
                ],
                lang=lang,
            ),
            key="vip_branch_chart",
        )
        crm_tables.table(
            branches[
                [
                    "branch",
                    "count_eligible",
                    "count_using",
                    "using_pct",
                    "count_not_using",
                    "count_uses",
                ]
            ],
            "vip_by_branch",
            **out,
            title=t("vipsvc.by_branch"),
            column_config={
                "branch": t("cust.branch"),
                "count_eligible": st.column_config.NumberColumn(t("vipsvc.eligible"), format="%d"),
                "count_using": st.column_config.NumberColumn(t("vipsvc.using"), format="%d"),
                "using_pct": st.column_config.NumberColumn(t("vipsvc.using_pct"), format="%.1f%%"),
                "count_not_using": st.column_config.NumberColumn(
                    t("vipsvc.not_using"), format="%d"
                ),
                "count_uses": st.column_config.NumberColumn(t("vipsvc.count_uses"), format="%d"),
            },
        )
with right, st.container(border=True):
    st.subheader(t("vipsvc.by_service"), help=t("vipsvc.by_service_help"), anchor=False)
    shown = by_service.assign(service=by_service["service_type"].map(lambda c: services.get(c, c)))
    if shown.empty:
        st.caption(t("vipsvc.no_use"))
    else:
        charts.show(
            crm_charts.grouped_bars(
                shown,
                "service",
                [
                    ("count_users", t("vipsvc.users"), charts.BLUE),
                    ("count_eligible_users", t("vipsvc.eligible_users"), charts.GREEN),
                ],
                lang=lang,
            ),
            key="vip_service_chart",
        )
        crm_tables.table(
            shown[["service", "count_users", "count_eligible_users", "count_uses"]],
            "vip_by_service",
            **out,
            title=t("vipsvc.by_service"),
            column_config={
                "service": t("vipsvc.service"),
                "count_users": st.column_config.NumberColumn(t("vipsvc.users"), format="%d"),
                "count_eligible_users": st.column_config.NumberColumn(
                    t("vipsvc.eligible_users"), format="%d"
                ),
                "count_uses": st.column_config.NumberColumn(t("vipsvc.count_uses"), format="%d"),
            },
        )

with st.container(border=True):
    st.subheader(t("vipsvc.customers"), help=t("vipsvc.customers_help"), anchor=False)
    listed = cache.scoped(vip.vip_customers)(viewer, filters)
    if listed.empty:
        charts.empty_state()
    else:
        audit_trail.list_shown(viewer, filters, listed["customer_id"], page="vip")
        crm_tables.table(
            listed,
            "vip_customers",
            **out,
            title=t("vipsvc.customers"),
            customer_column="customer_id",
            column_config={
                "customer_id": st.column_config.TextColumn(t("cust.number")),
                "full_name": t("cust.name"),
                "mobile": t("cust.mobile"),
                "branch_id": st.column_config.TextColumn(t("cust.branch")),
                "rm_staff_id": st.column_config.TextColumn(t("cust.manager")),
                "aum_rmb": st.column_config.NumberColumn(t("cust.aum"), format="%.2f"),
                "count_uses": st.column_config.NumberColumn(t("vipsvc.count_uses"), format="%d"),
                "last_used_on": st.column_config.DateColumn(t("vipsvc.last_used")),
            },
        )
