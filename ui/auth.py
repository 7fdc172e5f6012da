"""Who is signed in: local accounts, single sign-on, demo personas, sessions and unmasking.

The sign-in screen offers a local account form (``data_access.auth_store``: argon2 hashes,
lockout), single sign-on through ``st.login`` when ``[auth]`` is configured in secrets with a
random ``cookie_secret`` (the person is mapped to a role and scope by the ``app_user`` table,
never by token claims), and three demo personas clearly marked as such, only while the warehouse
is the demo and the app store is unused by anyone else (``auth_store.demo_personas_refusal``,
checked again when a persona signs in).

A session ends after ``idle_timeout_minutes`` without a rerun and ``session_max_hours`` after
sign-in, and as soon as its account is disabled, removed or given another role or scope (the
account is re-read at least once a minute and before a customer is shown). A single sign-on
identity is signed in only into a live server-side session of the same token or after a fresh
round trip to the identity provider (``auth_store.open_sso_session``), so the 30-day identity
cookie does not outlast the limits. Sign-in, sign-out, expiry, denied pages and unmask grants go
to the audit log; a sign-in or unmask grant that cannot be recorded is refused.
"""

from __future__ import annotations

import dataclasses
import logging
import runpy
import threading
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

import streamlit as st

from catalogue.roles import (
    DEMO_ANALYST_ROLE,
    DEMO_BRANCH_ROLE,
    DEMO_PROVINCE_ROLE,
    ROLES,
    SYSTEM_ROLE,
    Capability,
)
from data_access import app_store, auth_store, settings
from data_access.viewer import Viewer
from ui import audit_trail, cache
from ui.i18n import current_lang, name_of, t
from ui.strings.auth import EXPIRED_NOTICE, PERSONAS_ABSENT

log = logging.getLogger(__name__)

_APP = Path(__file__).resolve().parent.parent / "app.py"
_VIEWER_KEY = "pcrm_viewer"
_NOTICE_KEY = "pcrm_auth_notice"
# {"signed_in_at", "last_seen", "checked_at" (epoch s), "method", "sso_token" (the token's iat)}
_SESSION_KEY = "pcrm_session"
_SSO_REFUSED_KEY = "pcrm_sso_refused"  # (identity, message) already refused in this session
_SSO_ENDED_KEY = "pcrm_sso_ended"  # an SSO session of this tab ended: offer a fresh sign-in

# Why a session ended after re-reading its account (auth_store.recheck_account), as audited.
_ACCOUNT_ENDED = {
    "disabled": "account_disabled",
    "deleted": "account_deleted",
    "role_changed": "account_changed",
    "scope_changed": "account_changed",
}

# Lists branches for the branch-head persona picker, before anyone is signed in. Used for
# nothing else: every page reads with the signed-in viewer.
SYSTEM_VIEWER = Viewer("system:demo-sign-in", SYSTEM_ROLE, "Demo sign-in branch list")

# The capability each page needs (None: every signed-in role); app.py builds the navigation from
# this and each page checks it again with require_page(). Which roles have it: catalogue.roles.
PAGE_CAPABILITY: dict[str, Capability | None] = {
    "overview": Capability.READS_WAREHOUSE,
    "trends": Capability.READS_WAREHOUSE,
    "scorecards": Capability.READS_WAREHOUSE,
    "my_branch": Capability.SEES_BRANCH_PAGE,
    "targets": Capability.READS_WAREHOUSE,
    "watchlist": Capability.READS_WAREHOUSE,
    "customer": Capability.READS_WAREHOUSE,
    "hongyan": Capability.READS_WAREHOUSE,
    "segments": Capability.READS_WAREHOUSE,
    "migration": Capability.READS_WAREHOUSE,
    "cross_sell": Capability.READS_WAREHOUSE,
    "vip": Capability.READS_WAREHOUSE,
    "churn_model": Capability.SEES_MODEL_QUALITY,
    "glossary": None,
    "data_quality": Capability.SEES_LOAD_JOURNAL,
    "users": Capability.MANAGES_USERS,
    "audit": Capability.SEES_AUDIT_LOG,
}


def _clock() -> float:
    """Now, in epoch seconds (one place, so tests can move the session's clock)."""
    return time.time()


def current_viewer(*, recheck: bool = False) -> Viewer | None:
    """The signed-in viewer of this session, or None once the session has ended.

    Each call counts as activity for the idle timeout. The account is re-read from the app
    store at least every ``ACCOUNT_RECHECK_SECONDS`` (at once with ``recheck``): a disabled,
    removed or changed account ends the session. An expired or ended session is signed out
    (audited as ``session_expired`` with the reason); an unmask grant past its time is dropped
    from the viewer, so cached unmasked results are no longer looked up.
    """
    viewer = st.session_state.get(_VIEWER_KEY)
    if not isinstance(viewer, Viewer):
        return None
    now = _clock()
    session = st.session_state.setdefault(
        _SESSION_KEY,
        {"signed_in_at": now, "last_seen": now, "checked_at": now, "method": "session"},
    )
    reason = auth_store.session_end_reason(
        session["signed_in_at"], session["last_seen"], now, auth_store.AuthConfig.from_settings()
    )
    if reason is not None:
        # An idle tab leaves the server-side SSO session to the person's other tabs.
        _end_session(viewer, "session_expired", {"reason": reason}, ends_sso=reason != "idle")
        st.session_state[_NOTICE_KEY] = EXPIRED_NOTICE[reason]
        return None
    session["last_seen"] = now
    if recheck or now - session.get("checked_at", 0.0) >= auth_store.ACCOUNT_RECHECK_SECONDS:
        viewer = _recheck_account(viewer, session, now)
        if viewer is None:
            return None
    if viewer.unmask_until is not None and viewer.unmask_until <= now:
        viewer = dataclasses.replace(viewer, unmask_until=None)
        st.session_state[_VIEWER_KEY] = viewer
    return viewer


def _recheck_account(viewer: Viewer, session: dict, now: float) -> Viewer | None:
    """Re-read the account: the viewer to go on with, or None after ending the session.

    A demo persona has no account: its session ends once personas are no longer allowed (the
    app store came into real use, or they were switched off).
    """
    if viewer.user_id.startswith(auth_store.DEMO_USER_PREFIX):
        refusal = _personas_refusal(cached=False)
        if refusal is not None:
            _end_session(viewer, "session_expired", {"reason": "personas_withheld", "why": refusal})
            st.session_state[_NOTICE_KEY] = PERSONAS_ABSENT[refusal]
            return None
    check = auth_store.recheck_account(viewer)
    if check.viewer is None:
        reason = _ACCOUNT_ENDED[check.reason]
        detail = {"reason": reason}
        if reason == "account_changed":
            detail["change"] = check.reason.removesuffix("_changed")
        _end_session(viewer, "session_expired", detail)
        st.session_state[_NOTICE_KEY] = EXPIRED_NOTICE[reason]
        return None
    session["checked_at"] = now
    if session.get("sso_token") is not None:
        auth_store.touch_sso_session(viewer.user_id, session["sso_token"], now=now)
    if check.viewer != viewer:  # a new display name
        st.session_state[_VIEWER_KEY] = check.viewer
    return check.viewer


def confirm_account() -> Viewer:
    """The viewer after re-reading their account now; called before a customer is shown.

    A session that this ends is taken to the sign-in screen, which says why.
    """
    viewer = current_viewer(recheck=True)
    if viewer is None:
        st.rerun()
    return viewer


def may_open(viewer: Viewer, page: str) -> bool:
    """Whether ``viewer``'s role has the capability ``page`` needs (an unknown page: no one)."""
    if page not in PAGE_CAPABILITY:
        return False
    needed = PAGE_CAPABILITY[page]
    return needed is None or viewer.can(needed)


def page_roles(page: str) -> frozenset[str]:
    """The roles that may open ``page``, read from the catalogue now."""
    return frozenset(code for code in ROLES if may_open(Viewer(f"role:{code}", code), page))


# Set while app.py runs a page (same thread): a page run without it was not started by the app.
_shell = threading.local()


def run_page(page) -> None:
    """Run the page ``st.navigation`` chose, marked as started by the app shell (app.py)."""
    _shell.active = True
    try:
        page.run()
    finally:
        _shell.active = False


def _ensure_shell() -> None:
    """Run app.py when a page was started without it, then end this run.

    Streamlit treats a ``pages/`` folder beside the main script as a legacy multipage app until
    the first ``st.navigation`` call of the process, and AppTest does so on every run: a request
    for ``/<page>`` then runs the page file alone, without sign-in, sidebar or filters. Running
    app.py here lets its navigation take over and run this page properly, inside the shell.
    """
    if getattr(_shell, "active", False):
        return
    runpy.run_path(str(_APP), run_name="__main__")
    st.stop()


def require_page(page: str) -> Viewer:
    """The viewer, if signed in and allowed on ``page``; otherwise say why and stop the page.

    Every page calls this first.
    """
    _ensure_shell()
    viewer = current_viewer()
    if viewer is None:
        st.warning(t("auth.required"), icon=":material/lock:")
        st.stop()
    if not may_open(viewer, page):
        try:
            app_store.audit(
                "access_denied",
                viewer,
                detail={"page": page},
                warehouse_version=st.session_state.get(cache.VERSION_KEY),
            )
        except app_store.AuditWriteError:
            log.exception("could not audit a denied page access")
        st.error(t("auth.page_denied"), icon=":material/block:")
        st.stop()
    return viewer


# How long the sign-in screen reuses its answer to "may the personas be offered"; a persona's
# sign-in always asks the app store again.
_PERSONAS_CHECK_SECONDS = 10


@st.cache_data(ttl=_PERSONAS_CHECK_SECONDS, show_spinner=False)
def _personas_refusal_cached(
    is_demo: bool, app_url: str, config: auth_store.AuthConfig
) -> str | None:
    return auth_store.demo_personas_refusal(is_demo, url=app_url, config=config)


def _personas_refusal(*, cached: bool) -> str | None:
    """Why the demo personas are withheld now (``auth_store.demo_personas_refusal``), or None."""
    is_demo = bool(cache.warehouse_info(SYSTEM_VIEWER).get("is_demo"))
    config = auth_store.AuthConfig.from_settings()
    if cached:
        return _personas_refusal_cached(is_demo, settings.app_db_url(), config)
    return auth_store.demo_personas_refusal(is_demo, config=config)


def _persona_allowed(viewer: Viewer) -> bool:
    """Server-side check of a persona sign-in: refused (and audited) when personas are not
    allowed now, whatever the session sent."""
    refusal = _personas_refusal(cached=False)
    if refusal is None:
        return True
    _personas_refusal_cached.clear()  # the screen stops offering them at once
    try:
        app_store.audit(
            "sign_in_failed",
            viewer.user_id,
            detail={"reason": "demo_personas_withheld", "why": refusal},
            warehouse_version=st.session_state.get(cache.VERSION_KEY),
        )
    except app_store.AuditWriteError:
        log.exception("a refused demo persona sign-in could not be audited")
    st.session_state[_NOTICE_KEY] = PERSONAS_ABSENT[refusal]
    return False


def _sign_in(
    viewer: Viewer,
    persona: str,
    method: str = "demo_persona",
    sso: auth_store.SsoSession | None = None,
) -> bool:
    if method == "demo_persona" and not _persona_allowed(viewer):
        return False
    detail = {"method": method, "persona": persona} if method == "demo_persona" else {}
    if sso is not None:
        detail["session"] = sso.reason  # fresh (just back from the IdP) or joined (a new tab)
    session_id = audit_trail.new_session_id()  # ties this session's audit rows together
    try:
        app_store.audit(
            "sign_in",
            viewer,
            detail={"method": method, **detail, "session_id": session_id},
            warehouse_version=st.session_state.get(cache.VERSION_KEY),
        )
    except app_store.AuditWriteError:
        log.exception("sign-in refused: the audit write failed")
        st.session_state[_NOTICE_KEY] = "auth.audit_failed"
        return False
    st.session_state.pop(_NOTICE_KEY, None)
    now = _clock()
    st.session_state[_SESSION_KEY] = {
        "signed_in_at": sso.signed_in_at if sso is not None else now,
        "last_seen": now,
        "checked_at": now,  # the account was just read to sign in
        "method": method,
        "sso_token": sso.token_issued_at if sso is not None else None,
    }
    st.session_state[audit_trail.SESSION_ID_KEY] = session_id
    st.session_state[_VIEWER_KEY] = viewer
    return True


def _end_session(
    viewer: Viewer, event: str, detail: dict | None = None, *, ends_sso: bool = True
) -> None:
    """Forget the viewer and record why.

    An SSO session also ends its server-side session (``ends_sso``), so no tab joins it again.
    Signing out drops the identity cookie as well (``st.logout``); any other end keeps the
    cookie, which can no longer sign in by itself, so the sign-in screen can say why the
    session ended and offer a fresh single sign-on.
    """
    session = st.session_state.get(_SESSION_KEY) or {}
    st.session_state.pop(_VIEWER_KEY, None)
    st.session_state.pop(_SESSION_KEY, None)
    try:
        app_store.audit(
            event, viewer, detail=detail, warehouse_version=st.session_state.get(cache.VERSION_KEY)
        )
    except app_store.AuditWriteError:
        log.exception("the end of a session could not be audited")
        st.session_state[_NOTICE_KEY] = "sidebar.sign_out_unrecorded"
    if session.get("method") != "sso":
        return
    if ends_sso and session.get("sso_token") is not None:
        reason = str((detail or {}).get("reason", event))
        auth_store.end_sso_session(viewer.user_id, session["sso_token"], reason, now=_clock())
    if event == "sign_out":
        st.session_state["pcrm_sso_logout"] = True
    else:
        st.session_state[_SSO_ENDED_KEY] = True


def sign_out() -> None:
    """Button callback: record the sign-out and forget the viewer."""
    viewer = st.session_state.get(_VIEWER_KEY)
    if not isinstance(viewer, Viewer):
        st.session_state.pop(_VIEWER_KEY, None)
        return
    _end_session(viewer, "sign_out")


def demo_personas(branches: Iterable[dict]) -> dict[str, Viewer]:
    """The demo viewers: ``executive``, ``analyst`` and ``branch_head:<id>`` for each branch.

    ``branches`` are rows of :func:`data_access.catalog.org_units` (branch, cooperative and
    prefecture ids and names).
    """
    demo = auth_store.DEMO_USER_PREFIX
    personas = {
        DEMO_PROVINCE_ROLE: Viewer(
            f"{demo}{DEMO_PROVINCE_ROLE}", DEMO_PROVINCE_ROLE, t("auth.demo_name_executive")
        ),
        DEMO_ANALYST_ROLE: Viewer(
            f"{demo}{DEMO_ANALYST_ROLE}", DEMO_ANALYST_ROLE, t("auth.demo_name_analyst")
        ),
    }
    lang = current_lang()
    for row in branches:
        branch_id = int(row["branch_id"])
        personas[f"{DEMO_BRANCH_ROLE}:{branch_id}"] = Viewer(
            f"{demo}branch-head:{branch_id}",
            DEMO_BRANCH_ROLE,
            t("auth.demo_name_branch_head", branch=row[f"branch_name_{lang}"]),
            prefecture_id=int(row["prefecture_id"]),
            cooperative_id=int(row["cooperative_id"]),
            branch_id=branch_id,
        )
    return personas


def _persona_card(title: str, description: str, icon: str) -> None:
    st.subheader(title, anchor=False)
    st.markdown(f"{icon} {description}")


def _secrets_file() -> Mapping:
    return settings.secrets_file()


def _password_form() -> None:
    """The local-account form; every failure gets the same message (no account probing)."""
    config = auth_store.AuthConfig.from_settings()
    with st.form("pcrm_login_form", border=True):
        st.subheader(t("login.account_title"), anchor=False)
        user_id = st.text_input(t("login.user"), key="pcrm_login_user", max_chars=64)
        password = st.text_input(
            t("login.password"),
            key="pcrm_login_password",
            type="password",
            max_chars=auth_store.MAX_PASSWORD_LENGTH,
        )
        submitted = st.form_submit_button(
            t("login.submit"), key="pcrm_login_submit", type="primary", icon=":material/login:"
        )
    if not submitted:
        return
    try:
        result = auth_store.authenticate(user_id, password, config=config)
    except app_store.AuditWriteError:
        log.exception("sign-in refused: the audit write failed")
        st.error(t("auth.audit_failed"), icon=":material/error:")
        return
    if result.viewer is not None and _sign_in(result.viewer, "", method="password"):
        st.rerun()
    st.error(
        t(
            "login.failed",
            attempts=config.lockout_attempts,
            minutes=config.lockout_minutes,
            max_minutes=config.lockout_max_minutes,
        ),
        icon=":material/error:",
    )


def _sso_section(provider: str) -> None:
    """Single sign-on: the st.login button, or the mapping of a person who just signed in."""
    user = st.user
    if not user.is_logged_in:
        st.button(
            t("login.sso_button"),
            key="pcrm_login_sso",
            icon=":material/key:",
            on_click=st.login,
            args=(provider,) if provider else (),
        )
        return
    login_args = (provider,) if provider else ()
    if st.session_state.get(_SSO_ENDED_KEY):
        # This tab's session just ended (the notice above says why): back to the IdP.
        _sso_again(login_args)
        return
    claims = user.to_dict()
    config = auth_store.AuthConfig.from_settings()
    identity = str(claims.get(config.sso_claim) or "")
    refused = st.session_state.get(_SSO_REFUSED_KEY)
    if refused is None or refused[0] != identity:
        try:
            message = _sso_sign_in(claims, config)
        except app_store.AuditWriteError:
            log.exception("SSO sign-in refused: the audit write failed")
            st.error(t("auth.audit_failed"), icon=":material/error:")
            return
        refused = (identity, message)
        st.session_state[_SSO_REFUSED_KEY] = refused
    if refused[1] == "login.sso_reauth":
        st.warning(t("login.sso_reauth"), icon=":material/timer_off:")
        _sso_again(login_args)
        return
    st.error(t("login.sso_refused", who=identity or "?"), icon=":material/person_off:")
    st.button(t("login.sso_switch"), key="pcrm_login_sso_logout", on_click=st.logout)


def _sso_sign_in(claims: dict, config: auth_store.AuthConfig) -> str:
    """Sign in the identity the IdP vouches for (reruns when done); else the refusal's message.

    The account decides who it is (``sso_viewer``); the server-side session decides whether
    the identity cookie may still be used (``open_sso_session``).
    """
    result = auth_store.sso_viewer(claims, config=config)
    if result.viewer is None:
        return "login.sso_refused"
    sso = auth_store.open_sso_session(result.viewer.user_id, claims, now=_clock(), config=config)
    if not sso.ok:
        return "login.sso_reauth"
    if _sign_in(result.viewer, "", method="sso", sso=sso):
        st.rerun()
    return "login.sso_refused"


def _sso_again(login_args: tuple) -> None:
    """A fresh round trip to the identity provider, or signing out of it."""
    st.button(
        t("login.sso_again"),
        key="pcrm_login_sso_again",
        icon=":material/key:",
        type="primary",
        on_click=st.login,
        args=login_args,
    )
    st.button(t("login.sso_switch"), key="pcrm_login_sso_logout", on_click=st.logout)


def sign_in_page() -> None:
    """The sign-in screen (a navigation page shown to everyone not signed in)."""
    if st.session_state.pop("pcrm_sso_logout", False) and st.user.is_logged_in:
        st.logout()  # an SSO session that ended: drop the identity cookie too
        return
    refusal = _personas_refusal(cached=True)
    st.title(t("auth.title"), anchor=False)
    notice = st.session_state.pop(_NOTICE_KEY, None)
    if notice:
        st.error(t(notice), icon=":material/error:")
    account, _ = st.columns([2, 3] if refusal is None else [3, 2])
    with account:
        secrets = _secrets_file()
        provider = auth_store.sso_provider(secrets)
        if provider is not None:
            _sso_section(provider)
        elif auth_store.sso_secret_problem(secrets) is not None:
            st.warning(t("login.sso_weak_secret"), icon=":material/key_off:")
        _password_form()
    if refusal == "not_demo":
        st.caption(t(PERSONAS_ABSENT[refusal]))
        return
    if refusal is not None:
        st.info(t(PERSONAS_ABSENT[refusal]), icon=":material/person_off:")
        return
    st.divider()
    st.badge(t("auth.demo_badge"), icon=":material/science:", color="orange")
    st.caption(t("auth.demo_intro"))
    lang = current_lang()
    branches = cache.org_units(SYSTEM_VIEWER)
    personas = demo_personas(branches.to_dict("records"))
    executive, branch_head, analyst = st.columns(3, border=True, gap="medium")
    with executive:
        _persona_card(
            t("auth.persona_executive"), t("auth.persona_executive_desc"), ":material/public:"
        )
        if st.button(t("auth.sign_in_as"), key="pcrm_signin_executive", type="primary"):
            _sign_in(personas[DEMO_PROVINCE_ROLE], DEMO_PROVINCE_ROLE)
            st.rerun()
    with branch_head:
        _persona_card(
            t("auth.persona_branch_head"),
            t("auth.persona_branch_head_desc"),
            ":material/storefront:",
        )
        if branches.empty:
            st.warning(t("auth.no_branches"))
        else:
            labels = {
                int(row["branch_id"]): (
                    f"{row[f'branch_name_{lang}']} · {row[f'cooperative_name_{lang}']}"
                )
                for row in branches.to_dict("records")
            }
            branch_id = st.selectbox(
                t("auth.persona_branch_pick"),
                list(labels),
                format_func=labels.__getitem__,
                key="pcrm_signin_branch",
            )
            if st.button(t("auth.sign_in_as"), key="pcrm_signin_branch_head", type="primary"):
                _sign_in(personas[f"{DEMO_BRANCH_ROLE}:{branch_id}"], DEMO_BRANCH_ROLE)
                st.rerun()
    with analyst:
        _persona_card(
            t("auth.persona_analyst"), t("auth.persona_analyst_desc"), ":material/query_stats:"
        )
        if st.button(t("auth.sign_in_as"), key="pcrm_signin_analyst", type="primary"):
            _sign_in(personas[DEMO_ANALYST_ROLE], DEMO_ANALYST_ROLE)
            st.rerun()


def persona_line(viewer: Viewer) -> str:
    """The signed-in person as shown in the sidebar: role, and the branch for a branch head."""
    lang = current_lang()
    info = ROLES[viewer.role]
    role = name_of(info, lang) if lang == "zh" else f"{name_of(info, 'en')} {name_of(info, 'zh')}"
    if viewer.branch_id is None:
        return role
    org = cache.org_units(viewer)
    match = org[org["branch_id"] == viewer.branch_id] if not org.empty else org
    if match.empty:
        return role
    return f"{role} · {match[f'branch_name_{lang}'].iloc[0]}"


# ------------------------------------------------------------------ fragments


def live_viewer() -> Viewer:
    """The viewer now, for code that runs without app.py and the page: the body of a fragment
    (``st.fragment``, rerun alone) and a widget callback.

    The session's time limits, the periodic account re-check and the end of an unmask grant
    apply as on a full rerun (a viewer the page passed to a fragment when it drew it may be
    stale by then), and a session that has ended takes the whole app to the sign-in screen.
    """
    viewer = current_viewer()
    if viewer is None:
        st.rerun()
    return viewer


# ------------------------------------------------------------------ unmasking

UNMASK_MIN_REASON = 6  # characters: "客户来电核实" is enough, "x" is not
# The unmask request is a fragment: typing the reason or a refused request redraws only it.
UNMASK_FRAGMENT = "pcrm_unmask_panel"


def _grant_unmask(key: str) -> None:
    """Button callback: record the stated reason, then unmask for the configured minutes.

    A refusal redraws only the request (the fragment); a grant reruns the whole app, since
    every table and field on the page is drawn again unmasked.
    """
    viewer = current_viewer()
    reason = str(st.session_state.get(f"{key}_reason", "")).strip()
    if viewer is None or not auth_store.may_unmask(viewer.role):
        return
    if len(reason) < UNMASK_MIN_REASON:
        st.session_state[f"{key}_notice"] = "unmask.reason_needed"
        st.rerun(UNMASK_FRAGMENT)
    minutes = auth_store.AuthConfig.from_settings().unmask_minutes
    until = _clock() + minutes * 60
    try:
        app_store.audit(
            "unmask",
            viewer,
            detail={"reason": reason, "minutes": minutes},
            warehouse_version=st.session_state.get(cache.VERSION_KEY),
        )
    except app_store.AuditWriteError:
        log.exception("unmasking refused: the audit write failed")
        st.session_state[f"{key}_notice"] = "unmask.audit_failed"
        st.rerun(UNMASK_FRAGMENT)
    st.session_state[_VIEWER_KEY] = dataclasses.replace(viewer, unmask_until=until)
    st.session_state[f"{key}_reason"] = ""
    st.rerun()  # the whole page, unmasked


def _end_unmask() -> None:
    viewer = current_viewer()
    if viewer is not None:
        st.session_state[_VIEWER_KEY] = dataclasses.replace(viewer, unmask_until=None)
    st.rerun()  # the whole page, masked again


def unmask_control(viewer: Viewer, key: str = "pcrm_unmask") -> None:
    """Ask for unmasked personal data: roles with the permission, a stated reason, audited.

    The grant lasts ``unmask_minutes`` (config); while it runs, a button ends it early. Roles
    not in ``unmask_roles`` see nothing here (and the data layer would ignore a grant anyway).
    """
    if not auth_store.may_unmask(viewer.role):
        return
    _unmask_panel(key)


@st.fragment(key=UNMASK_FRAGMENT)
def _unmask_panel(key: str) -> None:
    viewer = live_viewer()
    notice = st.session_state.pop(f"{key}_notice", None)
    if viewer.unmask_until is not None:
        left = max(int((viewer.unmask_until - _clock() + 59) // 60), 1)
        st.warning(t("unmask.active", minutes=left), icon=":material/visibility:")
        st.button(
            t("unmask.end"),
            key=f"{key}_end",
            on_click=_end_unmask,
            icon=":material/visibility_off:",
        )
        return
    minutes = auth_store.AuthConfig.from_settings().unmask_minutes
    with st.expander(t("unmask.title"), icon=":material/visibility:"):
        st.caption(t("unmask.explain", minutes=minutes))
        st.text_input(
            t("unmask.reason"), key=f"{key}_reason", max_chars=200, help=t("unmask.reason_help")
        )
        if notice:
            st.error(t(notice), icon=":material/error:")
        st.button(
            t("unmask.grant", minutes=minutes),
            key=f"{key}_grant",
            on_click=_grant_unmask,
            args=(key,),
        )
