"""Customer view 客户统一视图: find a customer in scope, then see them whole on one screen.

The chosen customer lives in the URL (``?customer=<id>``) so other pages link here and a link
reopens the same customer. The data layer scopes every read: a customer outside the viewer's
scope, typed into the URL or not, reads as "not found or not permitted", and the attempt is
audited. Every opening of a customer is audited (once per customer per session visit), and the
signed-in account is re-read before a customer is shown.
"""

from __future__ import annotations

import streamlit as st

from data_access import app_store, customers
from ui import auth, cache, components, customer_sections
from ui import filters as ui_filters
from ui.i18n import t

viewer = auth.require_page("customer")
filters = ui_filters.current_filters()
components.page_header(t("page.customer"), ui_filters.describe(viewer, filters))

customer_sections.search_box(viewer, filters)

raw_id = st.query_params.get(customer_sections.QUERY_PARAM)
if not raw_id:
    st.info(t("cust.pick_prompt"), icon=":material/person_search:")
    st.stop()

viewer = auth.confirm_account()  # a disabled or changed account sees no customer, not even once
profile = customers.customer_profile(viewer, raw_id)
if profile.empty:
    customer_sections.audit_denied(viewer, raw_id)
    st.error(t("cust.not_found"), icon=":material/person_off:")
    st.stop()

customer_id = int(profile["customer_id"].iloc[0])
try:
    customer_sections.audit_opening(viewer, filters, customer_id)
except app_store.AuditWriteError:
    st.error(t("cust.audit_failed"), icon=":material/gpp_bad:")
    st.stop()

customer_sections.show_customer(viewer, filters, profile.iloc[0], cache.warehouse_version())
