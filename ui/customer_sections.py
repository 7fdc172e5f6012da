"""The parts of the customer view page: search, audit of openings, and each section drawn.

Kept out of ``pages/customer.py`` so the page reads as its outline. Reads go through the data
layer (``data_access.customers``, scoped and masked there) via ``ui.cache.scoped``; the contact
history is read fresh on every run of its panel (a fragment: saving a contact redraws that
panel alone), and so is a search (each one is audited and counted in the data layer; the
session keeps the last outcome so a rerun is not another search).
"""

from __future__ import annotations

import logging
import time
import uuid

import pandas as pd
import streamlit as st

from analytics import contact_rules, customer_view, kpis, rules
from analytics.churn import reasons as churn_reasons
from catalogue import basis as bases
from catalogue import codes
from data_access import app_store, auth_store, customers, masking, settings
from data_access.filters import Filters
from data_access.viewer import Viewer
from ui import audit_trail, auth, cache, charts, crm_charts, next_best, tables
from ui import formatting as fmt
from ui.i18n import current_lang, name_of, t
from ui.tables import Column

log = logging.getLogger(__name__)

QUERY_PARAM = "customer"
_AUDITED_KEY = "cust_audited_customer"
_SEARCHED_KEY = "cust_searched"
_CONTACT_ID_KEY = "cust_contact_id"
_CONTACT_NOTICE_KEY = "cust_contact_notice"  # what the last save came to, shown once
# The contact history and its form: a fragment (st.fragment), redrawn alone when a contact is saved.
CONTACTS_FRAGMENT = "cust_contacts"

profile_of = cache.scoped(customers.customer_profile)
months_of = cache.scoped(customers.customer_months)
holdings_of = cache.scoped(customers.product_holdings)
household_of = cache.scoped(customers.household_members)
manager_of = cache.scoped(customers.wealth_manager)
vip_of = cache.scoped(customers.vip_services_used)
churn_of = cache.scoped(customers.churn_score)


# ------------------------------------------------------------------ search and audit


def _open(customer_id: int | None) -> None:
    if customer_id is not None:
        st.query_params[QUERY_PARAM] = str(int(customer_id))


def _on_pick() -> None:
    _open(st.session_state.get("cust_pick"))


def _searched(viewer: Viewer, text: str, filters: Filters) -> tuple[str, pd.DataFrame | int | None]:
    """The search's outcome for this viewer and text: ``found`` (the frame), ``not_allowed``,
    ``rate_limited`` (the limit) or ``audit_failed``.

    Kept in the session, so a rerun of the page (a click elsewhere) is not a new search: the
    data layer audits each search and counts it against the per-minute limit. A refusal for
    the limit is asked again only after a minute.
    """
    memo = st.session_state.get(_SEARCHED_KEY)
    fresh = memo is not None and (
        memo["outcome"] != "rate_limited" or time.time() - memo["at"] < 60
    )
    if fresh and memo["key"] == (viewer, text):
        return memo["outcome"], memo["value"]
    value: pd.DataFrame | int | None = None
    try:
        value = customers.search_customers(
            viewer, text, context=audit_trail.detail(viewer, filters, page="customer")
        )
        outcome = "found"
    except customers.SearchNotAllowed:
        outcome = "not_allowed"
    except customers.SearchRateLimited as exc:
        outcome, value = "rate_limited", exc.limit
    except app_store.AuditWriteError:
        log.exception("a customer search could not be audited")
        return "audit_failed", None  # not kept: the next run tries again
    st.session_state[_SEARCHED_KEY] = {
        "key": (viewer, text),
        "outcome": outcome,
        "value": value,
        "at": time.time(),
    }
    return outcome, value


def search_box(viewer: Viewer, filters: Filters) -> None:
    """The search field and its results; picking a result opens the customer (URL).

    What may be searched depends on whether the viewer sees personal data unmasked
    (``customers.search_kind``); the help text says which.
    """
    lang = current_lang()
    unmasked = masking.sees_unmasked(viewer)
    text = st.text_input(
        t("cust.search"),
        key="cust_search",
        placeholder=t(
            "cust.search_placeholder_unmasked" if unmasked else "cust.search_placeholder"
        ),
        help=t("cust.search_help_unmasked" if unmasked else "cust.search_help"),
    )
    if not text.strip():
        return
    outcome, found = _searched(viewer, text.strip(), filters)
    if outcome == "not_allowed":
        hint = t("cust.search_not_allowed_unmasked" if unmasked else "cust.search_not_allowed")
        if not unmasked and auth_store.may_unmask(viewer.role):
            hint += " " + t("cust.search_unmask_first")
        st.warning(hint, icon=":material/search_off:")
        return
    if outcome == "rate_limited":
        st.error(t("cust.search_rate_limited", limit=found), icon=":material/timer:")
        return
    if outcome == "audit_failed":
        st.error(t("cust.audit_failed"), icon=":material/gpp_bad:")
        return
    if found.empty:
        st.warning(t("cust.search_none"), icon=":material/search_off:")
        return
    labels = {
        int(row.customer_id): (
            f"{row.customer_id} · {row.full_name} · {row.mobile or fmt.DASH} · "
            f"{getattr(row, f'branch_name_{lang}')}"
        )
        for row in found.itertuples()
    }
    st.selectbox(
        t("cust.pick", count=len(found)),
        list(labels),
        index=None,
        format_func=labels.__getitem__,
        key="cust_pick",
        on_change=_on_pick,
        placeholder=t("cust.pick_placeholder"),
    )


def audit_denied(viewer: Viewer, raw_id: str) -> None:
    """Record an attempt to open a customer that is missing or outside the viewer's scope."""
    try:
        app_store.audit(
            "access_denied",
            viewer,
            customer_ids=[raw_id] if str(raw_id).isdigit() else None,
            detail={"page": "customer", "customer": str(raw_id)[:40]},
            warehouse_version=cache.warehouse_version(),
        )
    except app_store.AuditWriteError:
        log.exception("a denied customer opening could not be audited")


def audit_opening(viewer: Viewer, filters: Filters, customer_id: int) -> None:
    """Audit the opening of ``customer_id`` once per visit (reruns of the same view are one;
    seeing the customer unmasked after masked, or the reverse, is a new view)."""
    opened = (customer_id, masking.sees_unmasked(viewer))
    if st.session_state.get(_AUDITED_KEY) == opened:
        return
    app_store.audit(
        "customer_view",
        viewer,
        customer_ids=[customer_id],
        detail=audit_trail.detail(viewer, filters, page="customer"),
        warehouse_version=cache.warehouse_version(),
    )
    st.session_state[_AUDITED_KEY] = opened


# ------------------------------------------------------------------ the customer


def _occupation(code: str | None, lang: str) -> str:
    for item in rules.OCCUPATIONS:
        if item[0] == code:
            return name_of(item, lang)
    return code or fmt.DASH


def _tier(code: object, lang: str) -> str:
    tier = rules.TIER_BY_CODE.get(code) if isinstance(code, str) else None
    return name_of(tier, lang) if tier else fmt.DASH


def show_customer(viewer: Viewer, filters: Filters, profile: pd.Series, version: str) -> None:
    """Everything about one customer (``profile`` is the row of ``customer_profile``)."""
    lang = current_lang()
    customer_id = int(profile["customer_id"])
    months = months_of(viewer, customer_id)
    holdings = holdings_of(viewer, customer_id)
    household = household_of(viewer, customer_id)
    churn = churn_of(viewer, customer_id)
    out = {
        "viewer": viewer,
        "filters": filters,
        "title": f"{t('page.customer')} {customer_id}",
        "customer_ids": [customer_id],
    }
    latest = months.iloc[-1] if not months.empty else None

    st.subheader(
        f"{profile['full_name']} · {t('cust.number')} {customer_id} · "
        f"{profile[f'branch_name_{lang}']}",
        anchor=False,
    )
    if pd.notna(profile["closed_on"]):
        st.warning(
            t("cust.closed", date=fmt.date(profile["closed_on"], lang)), icon=":material/block:"
        )
    core = customer_view.core_products_held(holdings)
    metric_cols = st.columns(4, border=True)
    metric_cols[0].metric(
        t("cust.aum"),
        fmt.money(latest["aum_rmb"] if latest is not None else None, lang),
        help=t("cust.aum_help"),
    )
    metric_cols[1].metric(
        t("cust.household_aum"),
        fmt.money(float(household["aum_rmb"].sum()) if not household.empty else None, lang),
        help=t("cust.household_aum_help"),
    )
    metric_cols[2].metric(
        t("cust.core_held"),
        f"{int(core['is_held'].sum())} / {len(rules.CORE_PRODUCT_CATEGORIES)}",
        help=t("cust.core_held_help"),
    )
    probability = churn["probability"].iloc[0] if not churn.empty else None
    metric_cols[3].metric(
        t("cust.churn_probability"),
        fmt.pct(probability * 100 if probability is not None else None, lang),
        help=t("cust.churn_probability_help"),
    )

    tabs = st.tabs(
        [
            t("cust.tab_profile"),
            t("cust.tab_assets"),
            t("cust.tab_products"),
            t("cust.tab_behaviour"),
            t("cust.tab_churn"),
            t("cust.tab_vip"),
        ]
    )
    with tabs[0]:
        as_of = (
            pd.Timestamp(latest["month_start"]) + pd.offsets.MonthEnd(0)
            if latest is not None
            else None
        )
        _profile_tab(viewer, profile, household, out, lang, as_of)
    with tabs[1]:
        _assets_tab(months, out, lang)
    with tabs[2]:
        _products_tab(viewer, profile, holdings, core, out, lang)
    with tabs[3]:
        _behaviour_tab(months, lang)
    with tabs[4]:
        _churn_tab(viewer, customer_id, churn, out, lang)
    with tabs[5]:
        _vip_tab(viewer, customer_id, latest, out, lang)


def _risk_grade(profile: pd.Series, as_of: object, lang: str) -> str:
    """The customer's risk grade with its assessment date; 未评估 when never assessed."""
    grade, assessed_on = profile["risk_grade"], profile.get("risk_assessed_on")
    status = customer_view.assessment_status(grade, assessed_on, as_of)
    if status == "unassessed":
        return t("cust.risk_unassessed")
    text = t(
        "cust.risk_grade_value",
        grade=codes.RISK_GRADE.label(grade, lang),
        date=fmt.date(assessed_on, lang),
    )
    return f"{text} · {t('cust.risk_expired')}" if status == "expired" else text


def _profile_tab(
    viewer: Viewer,
    profile: pd.Series,
    household: pd.DataFrame,
    out: dict,
    lang: str,
    as_of: object = None,
) -> None:
    left, right = st.columns(2, gap="medium")
    with left, st.container(border=True):
        st.markdown(f"**{t('cust.profile')}**", help=t("cust.profile_help"))
        employer = profile.get(f"employer_name_{lang}")
        fields = [
            (t("cust.number"), str(int(profile["customer_id"]))),
            (t("cust.name"), profile["full_name"]),
            (t("cust.id_number"), profile["id_number"]),
            (t("cust.mobile"), profile["mobile"] or fmt.DASH),
            (t("cust.card"), profile["card_number"]),
            (t("cust.gender"), t(f"cust.gender_{profile['gender']}")),
            (t("cust.birth_year"), str(int(profile["birth_year"]))),
            (t("cust.occupation"), _occupation(profile["occupation"], lang)),
            (t("cust.risk_grade"), _risk_grade(profile, as_of, lang)),
            (t("cust.opened_on"), fmt.date(profile["opened_on"], lang)),
            (t("cust.branch"), profile[f"branch_name_{lang}"]),
            (t("cust.employer"), employer if isinstance(employer, str) else fmt.DASH),
            (t("cust.village"), profile["village_zh"] or fmt.DASH),
            (
                t("cust.farm_household"),
                t("cust.yes") if bool(profile["is_farm_household"]) else t("cust.no"),
            ),
        ]
        table = pd.DataFrame(fields, columns=[t("cust.field"), t("cust.value")])
        st.dataframe(table, hide_index=True, width="stretch", key="cust_profile_table")
        tables.download_buttons(table, "customer_profile", **out)
    with right:
        with st.container(border=True):
            st.markdown(f"**{t('cust.manager')}**", help=t("cust.manager_help"))
            manager = manager_of(viewer, int(profile["customer_id"]))
            if manager.empty:
                st.caption(t("cust.no_manager"))
            else:
                row = manager.iloc[0]
                role = next(
                    (name_of(r, lang) for r in rules.STAFF_ROLES if r[0] == row["role"]),
                    row["role"],
                )
                level = row["hongyan_level"]
                st.markdown(
                    f":material/badge: **{row['full_name']}** · {role} · "
                    f"{t('cust.staff_number')} {int(row['staff_id'])}"
                    + (f" · {t('cust.hongyan_level', level=int(level))}" if pd.notna(level) else "")
                )
        with st.container(border=True):
            st.markdown(f"**{t('cust.household')}**", help=t("cust.household_help"))
            shown = household.assign(
                occupation=household["occupation"].map(lambda c: _occupation(c, lang)),
                tier_code=household["tier_code"].map(lambda c: _tier(c, lang)),
            )
            tables.table(
                shown,
                [
                    Column("customer_id", "cust.number", "id"),
                    Column("full_name", "cust.name", "text"),
                    Column("gender", "cust.gender", "text"),
                    Column("birth_year", "cust.birth_year", "year"),
                    Column("occupation", "cust.occupation", "text"),
                    Column("tier_code", "cust.tier", "text"),
                    Column("aum_rmb", "cust.aum", "money"),
                ],
                key="customer_household",
                name="customer_household",
                **out,
                customer_column="customer_id",
                empty_state=True,
            )


def _assets_tab(months: pd.DataFrame, out: dict, lang: str) -> None:
    if months.empty:
        charts.empty_state()
        return
    left, right = st.columns([3, 2], gap="medium")
    with left, st.container(border=True):
        st.subheader(t("cust.assets_by_class"), help=t("cust.assets_by_class_help"), anchor=False)
        mix = kpis.asset_class_long(months[["month_start", *rules.ASSET_COLUMNS]])
        charts.show(charts.aum_by_asset_class(mix, lang=lang), key="cust_assets_chart")
    tier_basis = settings.tier_basis()
    basis_name = name_of(bases.TIER_BASIS_BY_CODE[tier_basis], lang)
    history = customer_view.tier_history(months, tier_basis)
    with right, st.container(border=True):
        st.subheader(
            t("cust.tier_history"),
            help=t("cust.tier_history_help", basis=basis_name),
            anchor=False,
        )
        now = history.iloc[-1]
        state = str(now["grace_state"])
        left_months = customer_view.months_until_downgrade(int(now["months_below_floor"]))
        line = t(
            "cust.tier_now",
            tier=_tier(now["tier_code"], lang),
            raw=_tier(now["raw_tier_code"], lang),
            state=t(f"cust.grace_{state}"),
        )
        line += " " + t(
            "cust.tier_basis_now",
            basis=basis_name,
            value=fmt.money(now["basis_rmb"], lang),
            floor=fmt.money(now["floor_rmb"], lang),
        )
        if float(now["needed_rmb"]) > 0:
            line += " " + t("cust.tier_needed", needed=fmt.money(now["needed_rmb"], lang))
        if left_months is not None:
            line += " " + t("cust.downgrade_in", months=left_months)
        (st.warning if state == "watch" else st.caption)(line)
        charts.show(crm_charts.tier_history(history, lang=lang), key="cust_tier_chart")
    shown = history.assign(
        tier_code=history["tier_code"].map(lambda c: _tier(c, lang)),
        raw_tier_code=history["raw_tier_code"].map(lambda c: _tier(c, lang)),
        grace_state=history["grace_state"].map(lambda g: t(f"cust.grace_{g}")),
    )
    with st.expander(t("cust.tier_table"), icon=":material/table:"):
        tables.table(
            shown,
            [
                Column("month_start", "cust.month", "month"),
                Column("aum_rmb", "cust.aum", "money"),
                Column(
                    "basis_rmb",
                    "cust.tier_basis_col",
                    "money",
                    label=t("cust.tier_basis_col", basis=basis_name),
                ),
                Column("raw_tier_code", "cust.raw_tier", "text"),
                Column("tier_code", "cust.tier", "text"),
                Column("months_below_floor", "cust.months_below", "count"),
                Column("grace_state", "cust.grace_state", "text"),
            ],
            key="customer_tier_history",
            name="customer_tier_history",
            **out,
            empty_state=True,
        )


def _products_tab(
    viewer: Viewer,
    profile: pd.Series,
    holdings: pd.DataFrame,
    core: pd.DataFrame,
    out: dict,
    lang: str,
) -> None:
    left, right = st.columns(2, gap="medium")
    with left, st.container(border=True):
        st.markdown(f"**{t('cust.core_bundle')}**", help=t("cust.core_bundle_help"))
        for row in core.itertuples():
            icon = ":green[:material/check_circle:]" if row.is_held else ":red[:material/cancel:]"
            detail = f" · {row.product_codes}" if row.product_codes else ""
            st.markdown(f"{icon} {t(f'xsell.target_{row.category}')}{detail}")
    with right, st.container(border=True):
        st.markdown(f"**{t('cust.risk_fit')}**", help=t("cust.risk_fit_help"))
        fit = customer_view.risk_fit(profile["risk_grade"], holdings)
        above = int((fit["fit"] == "above").sum()) if not fit.empty else 0
        grade = profile["risk_grade"]
        shown = grade if customer_view.is_assessed(grade) else t("cust.risk_unassessed")
        st.caption(t("cust.risk_grade_line", grade=shown, above=above))
        if above:
            st.warning(t("cust.risk_above", count=above), icon=":material/warning:")
        tables.table(
            fit
            if fit.empty
            else fit.assign(
                name=fit[f"name_{lang}"], fit=fit["fit"].map(lambda f: t(f"cust.fit_{f}"))
            ),
            [
                Column("product_code", "cust.product_code", "text"),
                Column("name", "cust.product", "text"),
                Column("product_risk_grade", "cust.product_risk", "text"),
                Column("amount_rmb", "cust.amount", "money"),
                Column("fit", "cust.fit", "text"),
            ],
            key="customer_risk_fit",
            name="customer_risk_fit",
            **out,
            empty_state=True,
        )
    with st.container(border=True):
        st.markdown(f"**{t('cust.suggestions')}**", help=t("cust.suggestions_help"))
        next_best.customer_suggestions(viewer, int(profile["customer_id"]), lang)
    with st.container(border=True):
        st.markdown(f"**{t('cust.holdings')}**", help=t("cust.holdings_help"))
        if not holdings.empty:
            shown = holdings.assign(
                name=holdings[f"name_{lang}"],
                category=holdings["category"].map(lambda c: t(f"xsell.target_{c}")),
                status=holdings["is_open"].map(
                    lambda o: t("cust.status_open") if o else t("cust.status_closed")
                ),
            )[
                [
                    "product_code",
                    "name",
                    "category",
                    "product_risk_grade",
                    "opened_on",
                    "maturity_on",
                    "closed_on",
                    "amount_rmb",
                    "status",
                ]
            ]
        else:
            shown = holdings
        tables.table(
            shown,
            [
                Column("product_code", "cust.product_code", "text"),
                Column("name", "cust.product", "text"),
                Column("category", "cust.category", "text"),
                Column("product_risk_grade", "cust.product_risk", "text"),
                Column("opened_on", "cust.opened_on", "date"),
                Column("maturity_on", "cust.maturity_on", "date"),
                Column("closed_on", "cust.closed_on", "date"),
                Column("amount_rmb", "cust.amount", "money"),
                Column("status", "cust.status", "text"),
            ],
            key="customer_holdings",
            name="customer_holdings",
            **out,
            empty_state=True,
        )


def _behaviour_tab(months: pd.DataFrame, lang: str) -> None:
    if months.empty:
        charts.empty_state()
        return
    left, right = st.columns(2, gap="medium")
    with left, st.container(border=True):
        st.subheader(t("cust.spending"), help=t("cust.spending_help"), anchor=False)
        mix = customer_view.spending_mix(months)
        if mix["spend_rmb"].sum() <= 0:
            st.caption(t("cust.no_spending"))
        else:
            charts.show(crm_charts.spending(mix, lang=lang), key="cust_spending_chart")
    with right, st.container(border=True):
        st.subheader(t("cust.channels"), help=t("cust.channels_help"), anchor=False)
        shares = customer_view.channel_shares(months)
        st.caption(
            " · ".join(f"{t(f'cust.channel_{c}')} {fmt.pct(v, lang)}" for c, v in shares.items())
        )
        charts.show(
            crm_charts.channels(customer_view.channel_long(months), lang=lang),
            key="cust_channel_chart",
        )


def _churn_tab(viewer: Viewer, customer_id: int, churn: pd.DataFrame, out: dict, lang: str) -> None:
    left, right = st.columns([2, 3], gap="medium")
    with left, st.container(border=True):
        st.markdown(f"**{t('cust.churn')}**", help=t("cust.churn_help"))
        if churn.empty:
            st.info(t("cust.churn_none"), icon=":material/model_training:")
        else:
            row = churn.iloc[0]
            st.markdown(
                t(
                    "cust.churn_line",
                    probability=fmt.pct(float(row["probability"]) * 100, lang),
                    band=str(row.get("score_band", fmt.DASH)),
                    month=fmt.month(row["month_start"], lang),
                )
            )
            for reason in churn_reasons.render_reasons(row.get("reason_codes"), lang):
                st.markdown(f"- {reason}")
    with right, st.container(border=True):
        _contacts(customer_id, out)


@st.fragment(key=CONTACTS_FRAGMENT)
def _contacts(customer_id: int, out: dict) -> None:
    """The contact history and the form that adds to it.

    A fragment: saving a contact redraws this panel only, as nothing else on the page shows
    contacts (the watchlist reads them afresh on its own page).
    """
    viewer = auth.live_viewer()
    out = {**out, "viewer": viewer}
    lang = current_lang()
    st.markdown(f"**{t('cust.contacts')}**", help=t("cust.contacts_help"))
    history = customers.contact_history(viewer, customer_id)
    types = {code: name_of((code, en, zh), lang) for code, en, zh in contact_rules.CONTACT_TYPES}
    outcomes = {
        code: name_of((code, en, zh), lang) for code, en, zh in contact_rules.CONTACT_OUTCOMES
    }
    if history.empty:
        st.caption(t("cust.contacts_none"))
    else:
        shown = history.assign(
            contact_type=history["contact_type"].map(lambda c: types.get(c, c)),
            outcome=history["outcome"].map(lambda c: outcomes.get(c, c)),
        )[
            [
                "created_at",
                "contact_type",
                "outcome",
                "note",
                "next_step",
                "next_step_on",
                "user_id",
            ]
        ]
        tables.table(
            shown,
            [
                Column("created_at", "cust.contact_when", "datetime"),
                Column("contact_type", "cust.contact_type", "text"),
                Column("outcome", "cust.outcome", "text"),
                Column("note", "cust.note", "text"),
                Column("next_step", "cust.next_step", "text"),
                Column("next_step_on", "cust.next_step_on", "date"),
                Column("user_id", "cust.contact_by", "text"),
            ],
            key="customer_contacts",
            name="customer_contacts",
            **out,
            empty_state=True,
        )
    _contact_form(customer_id, types, outcomes)


def _save_contact(customer_id: int) -> None:
    """The contact form's submit callback: re-read the account (a customer is shown next),
    store the contact, then redraw the contacts panel only, with the outcome."""
    viewer = auth.confirm_account()  # a disabled or changed account reruns the app: sign-in
    state = st.session_state
    try:
        customers.record_contact(
            customers.Contact(
                customer_id=customer_id,
                contact_type=state["cust_ct_type"],
                outcome=state["cust_ct_outcome"],
                note=state.get("cust_ct_note") or "",
                next_step=state.get("cust_ct_next") or None,
                next_step_on=state.get("cust_ct_next_on"),
                contact_id=state[_CONTACT_ID_KEY],
            ),
            by=viewer,
        )
    except app_store.AuditWriteError:
        state[_CONTACT_NOTICE_KEY] = ("cust.audit_failed", ":material/gpp_bad:")
    except PermissionError:
        state[_CONTACT_NOTICE_KEY] = ("cust.not_found", ":material/person_off:")
    else:
        state[_CONTACT_ID_KEY] = str(uuid.uuid4())
        state[_CONTACT_NOTICE_KEY] = ("cust.contact_saved", None)
    st.rerun(CONTACTS_FRAGMENT)


def _contact_form(customer_id: int, types: dict[str, str], outcomes: dict[str, str]) -> None:
    if _CONTACT_ID_KEY not in st.session_state:
        st.session_state[_CONTACT_ID_KEY] = str(uuid.uuid4())
    with st.form("cust_contact_form", clear_on_submit=True, border=False):
        st.markdown(f"**{t('cust.add_contact')}**")
        a, b = st.columns(2)
        a.selectbox(
            t("cust.contact_type"), list(types), format_func=types.__getitem__, key="cust_ct_type"
        )
        b.selectbox(
            t("cust.outcome"),
            list(outcomes),
            format_func=outcomes.__getitem__,
            key="cust_ct_outcome",
        )
        st.text_area(
            t("cust.note"), key="cust_ct_note", max_chars=contact_rules.NOTE_MAX_CHARS, height=80
        )
        c, d = st.columns(2)
        c.text_input(t("cust.next_step"), key="cust_ct_next", max_chars=64)
        d.date_input(t("cust.next_step_on"), value=None, key="cust_ct_next_on")
        st.form_submit_button(
            t("cust.save_contact"),
            type="primary",
            key="cust_ct_save",
            on_click=_save_contact,
            args=(customer_id,),
        )
    notice = st.session_state.pop(_CONTACT_NOTICE_KEY, None)
    if notice is None:
        return
    message, icon = notice
    if icon is None:
        st.toast(t(message), icon=":material/check:")
    else:
        st.error(t(message), icon=icon)


def _vip_tab(
    viewer: Viewer, customer_id: int, latest: pd.Series | None, out: dict, lang: str
) -> None:
    aum = float(latest["aum_rmb"]) if latest is not None else 0.0
    eligible = aum >= rules.VIP_THRESHOLD_RMB
    st.markdown(
        t(
            "cust.vip_eligible" if eligible else "cust.vip_not_eligible",
            threshold=fmt.money(rules.VIP_THRESHOLD_RMB, lang),
        ),
        help=t("cust.vip_help"),
    )
    used = vip_of(viewer, customer_id)
    names = {code: name_of((code, en, zh), lang) for code, en, zh in rules.VIP_SERVICES}
    if used.empty:
        st.caption(t("cust.vip_none"))
        return
    tables.table(
        used.assign(service_type=used["service_type"].map(lambda c: names.get(c, c))),
        [
            Column("service_type", "vipsvc.service", "text"),
            Column("count_uses", "vipsvc.count_uses", "count"),
            Column("last_used_on", "vipsvc.last_used", "date"),
        ],
        key="customer_vip_services",
        name="customer_vip_services",
        **out,
        empty_state=True,
    )


__all__ = ["QUERY_PARAM", "audit_denied", "audit_opening", "search_box", "show_customer"]
