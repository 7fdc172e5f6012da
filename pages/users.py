"""Users 用户管理: accounts, roles and scopes, for administrators (every change audited)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from catalogue.roles import ROLES
from data_access import auth_store
from data_access.warehouse import WarehouseMissing
from ui import auth, components, exports
from ui import filters as ui_filters
from ui.i18n import name_of, t
from ui.strings.auth import ORG_LABEL, WEAK_PASSWORD

viewer = auth.require_page("users")
components.page_header(t("page.users"), t("users.intro"))

_ORG_FIELDS = ("prefecture_id", "cooperative_id", "branch_id", "staff_id")


def _table(frame: pd.DataFrame) -> pd.DataFrame:
    """The account list as shown: roles by name, login kind and state in words."""
    if frame.empty:
        return frame
    return pd.DataFrame(
        {
            t("users.col_user"): frame["user_id"],
            t("users.col_name"): frame["display_name"],
            t("users.col_role"): frame["role"].map(
                lambda r: name_of(ROLES[r]) if r in ROLES else r
            ),
            **{t(ORG_LABEL[c]): frame[c].astype("Int64") for c in _ORG_FIELDS},
            t("users.col_login"): frame["has_password"].map(
                {True: t("users.login_password"), False: t("users.login_sso")}
            ),
            t("users.col_state"): frame["is_disabled"].map(
                {True: t("users.state_disabled"), False: t("users.state_active")}
            ),
            t("users.col_locked"): frame["locked_until"],
            t("users.col_created"): frame["created_at"],
        }
    )


def _org_inputs(key: str) -> dict[str, int | None]:
    """The scope ids (only the one the role needs is required; the rest are looked up)."""
    columns = st.columns(len(_ORG_FIELDS))
    values: dict[str, int | None] = {}
    for column, field in zip(columns, _ORG_FIELDS, strict=True):
        with column:
            value = st.number_input(
                t(ORG_LABEL[field]),
                min_value=0,
                step=1,
                value=None,
                key=f"{key}_{field}",
                help=t("users.org_help"),
            )
        values[field] = int(value) if value is not None else None
    return values


def _placed(role: str, org: dict[str, int | None]) -> dict[str, int | None]:
    try:
        return auth_store.placement(role, org)
    except WarehouseMissing as exc:
        raise auth_store.AccountError(str(exc)) from exc


def _refused(exc: auth_store.AccountError) -> None:
    """Why a change was refused; a weak password's reason in the page's language."""
    if isinstance(exc, auth_store.WeakPasswordError):
        st.error(t(WEAK_PASSWORD[exc.code], **exc.params), icon=":material/error:")
    else:
        st.error(str(exc), icon=":material/error:")


def _done(message_key: str, user_id: str) -> None:
    st.session_state["users_notice"] = t(message_key, user=user_id)
    st.rerun()


def _role_form(who: str, row: pd.Series) -> None:
    """Change another account's role and scope."""
    with st.form("users_role_form"):
        role = st.selectbox(
            t("users.col_role"),
            role_codes,
            index=role_codes.index(row["role"]) if row["role"] in role_codes else 0,
            format_func=lambda r: name_of(ROLES[r]),
            key="users_role_role",
        )
        org = _org_inputs("users_role")
        if st.form_submit_button(t("users.set_role"), key="users_role_submit"):
            try:
                auth_store.set_role(who, role, actor=viewer, org=_placed(role, org))
            except auth_store.AccountError as exc:
                _refused(exc)
            else:
                _done("users.role_set", who)


notice = st.session_state.pop("users_notice", None)
if notice:
    st.success(notice, icon=":material/check_circle:")

accounts = auth_store.list_users()
st.subheader(t("users.list_title"), anchor=False)
if accounts.empty:
    st.info(t("users.none"), icon=":material/group_off:")
else:
    shown = _table(accounts)
    st.dataframe(shown, hide_index=True, width="stretch", key="users_table")
    exports.download_buttons(
        shown,
        t("users.file"),
        viewer=viewer,
        filters=ui_filters.current_filters(),
        title=t("users.list_title"),
        key="users_export",
    )

role_codes = list(ROLES)
password_rules = auth_store.AuthConfig.from_settings()
add_tab, change_tab = st.tabs([t("users.add_title"), t("users.change_title")])

with add_tab, st.form("users_add_form", border=False):
    left, right = st.columns(2)
    with left:
        new_id = st.text_input(t("users.col_user"), key="users_add_id", help=t("users.id_help"))
        new_role = st.selectbox(
            t("users.col_role"),
            role_codes,
            format_func=lambda r: name_of(ROLES[r]),
            key="users_add_role",
        )
    with right:
        new_name = st.text_input(t("users.col_name"), key="users_add_name")
        new_password = st.text_input(
            t("users.password"),
            type="password",
            key="users_add_password",
            help=t("users.password_help", minimum=password_rules.min_password_length),
        )
    new_org = _org_inputs("users_add")
    if st.form_submit_button(t("users.add"), type="primary", key="users_add_submit"):
        try:
            auth_store.add_user(
                new_id,
                new_name,
                new_role,
                actor=viewer,
                password=new_password or None,
                org=_placed(new_role, new_org),
            )
        except auth_store.AccountError as exc:
            _refused(exc)
        else:
            _done("users.added", new_id)

with change_tab:
    if accounts.empty:
        st.info(t("users.none"), icon=":material/group_off:")
    else:
        who = st.selectbox(t("users.col_user"), accounts["user_id"].tolist(), key="users_pick")
        row = accounts.set_index("user_id").loc[who]
        if who == viewer.user_id:  # the data layer refuses it too (auth_store.set_role)
            st.caption(t("users.not_your_role"))
        else:
            _role_form(who, row)
        if bool(row["has_password"]):
            with st.form("users_password_form"):
                password = st.text_input(
                    t("users.password"), type="password", key="users_password_value"
                )
                if st.form_submit_button(t("users.set_password"), key="users_password_submit"):
                    try:
                        auth_store.set_password(who, password, actor=viewer)
                    except auth_store.AccountError as exc:
                        _refused(exc)
                    else:
                        _done("users.password_set", who)
        disable, unlock, _ = st.columns([1, 1, 3])
        with disable:
            disabled = bool(row["is_disabled"])
            if who == viewer.user_id and not disabled:
                st.caption(t("users.not_yourself"))
            elif st.button(
                t("users.enable") if disabled else t("users.disable"),
                key="users_disable",
                icon=":material/person_off:" if not disabled else ":material/person:",
            ):
                auth_store.set_disabled(who, not disabled, actor=viewer)
                _done("users.enabled" if disabled else "users.disabled", who)
        with unlock:
            if pd.notna(row["locked_until"]) and st.button(
                t("users.unlock"), key="users_unlock", icon=":material/lock_open:"
            ):
                auth_store.unlock(who, actor=viewer)
                _done("users.unlocked", who)
