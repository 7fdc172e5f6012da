"""Accounts in the app store: passwords, lockout, roles and scopes, and single sign-on mapping.

Who a person is and what they may see is decided here, server-side, from the ``app_user`` table
only. A local account has an argon2 password hash; an SSO account has none and is found by one
claim of the identity provider's token (``sso_claim``, the e-mail address by default), never
given a role or a scope by a claim. Every change to an account is audited (``user_change``),
every failed sign-in too (``sign_in_failed``, ``locked_out``).

Security settings (:class:`AuthConfig`) come from the environment or ``[pcrm]`` in
``.streamlit/secrets.toml``, like the store URLs. Which roles may unmask personal data is one
of them (``unmask_roles``, :func:`may_unmask`). Nobody changes their own role or scope.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import argon2
import pandas as pd
import sqlalchemy as sa

from data_access import app_store, settings
from data_access.roles import ROLES
from data_access.viewer import Viewer

_HASHER = argon2.PasswordHasher()  # argon2id, the library's current recommended parameters
# Verified against when the user does not exist, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = _HASHER.hash("not a password of anyone")

# The org column each scope level needs (the others are filled in for display when known).
REQUIRED_ORG: dict[str, str | None] = {
    "all": None,
    "none": None,
    "prefecture": "prefecture_id",
    "cooperative": "cooperative_id",
    "branch": "branch_id",
    "own_customers": "staff_id",
}
ORG_COLUMNS = ("prefecture_id", "cooperative_id", "branch_id", "staff_id")
# Under the minimum-necessity rule of the Personal Information Protection Law, unmasking stays
# with the legal entity that holds the customer: the cooperative and its branches.
DEFAULT_UNMASK_ROLES = "cooperative_manager,branch_head"


@dataclass(frozen=True)
class AuthConfig:
    """Sign-in and session limits (environment ``PCRM_*`` or secrets ``[pcrm]``)."""

    lockout_attempts: int = 5  # failed sign-ins in a row that lock the account
    lockout_minutes: int = 15
    idle_timeout_minutes: int = 30  # signed out after this long without a click
    session_max_hours: int = 10  # signed out this long after signing in, whatever happens
    unmask_minutes: int = 15  # how long one unmask grant lasts
    min_password_length: int = 12
    sso_claim: str = "email"  # the identity-token claim that is matched against app_user.user_id
    # Roles that may unmask personal data (comma-separated role codes; see roles.Role
    # .unmask_eligible for the roles that may be named). The executive can be added here.
    unmask_roles: str = DEFAULT_UNMASK_ROLES
    search_limit_per_minute: int = 30  # customer searches per user, across all their sessions

    @classmethod
    def from_settings(cls) -> AuthConfig:
        values = {}
        for field in dataclasses.fields(cls):
            raw = settings._setting(f"PCRM_{field.name.upper()}", field.name, str(field.default))
            values[field.name] = raw if field.type == "str" else int(raw)
        return cls(**values)

    @property
    def unmask_role_codes(self) -> frozenset[str]:
        """The roles of ``unmask_roles``; raises ValueError for a role that does not exist or
        may never unmask."""
        codes = frozenset(code.strip() for code in self.unmask_roles.split(",") if code.strip())
        for code in sorted(codes):
            if code not in ROLES:
                raise ValueError(f"unmask_roles: unknown role {code!r}; roles: {', '.join(ROLES)}")
            if not ROLES[code].unmask_eligible:
                raise ValueError(f"unmask_roles: the role {code} may never unmask personal data")
        return codes


def may_unmask(role: str, config: AuthConfig | None = None) -> bool:
    """True when ``role`` may ask to see personal data unmasked (setting ``unmask_roles``)."""
    return role in (config or AuthConfig.from_settings()).unmask_role_codes


class AccountError(ValueError):
    """An account change that is not allowed (unknown role, missing scope, weak password...)."""


@dataclass(frozen=True)
class SignInResult:
    """The outcome of a password sign-in: a viewer, or why not (never shown to the user)."""

    viewer: Viewer | None
    reason: str  # ok | unknown_user | wrong_password | locked | disabled | sso_only


def hash_password(password: str, config: AuthConfig | None = None) -> str:
    """An argon2id hash of ``password``; raises AccountError when it is too short."""
    config = config or AuthConfig.from_settings()
    if len(password) < config.min_password_length:
        raise AccountError(
            f"The password must have at least {config.min_password_length} characters"
        )
    return _HASHER.hash(password)


def _row(user_id: str, url: str | None = None) -> dict | None:
    with app_store.app_engine(url).connect() as conn:
        found = conn.execute(
            sa.select(app_store.app_user).where(app_store.app_user.c.user_id == user_id)
        ).first()
    return dict(found._mapping) if found is not None else None


def get_user(user_id: str, url: str | None = None) -> dict | None:
    """The account ``user_id`` without its password hash, or None."""
    row = _row(user_id, url)
    if row is None:
        return None
    row["has_password"] = row.pop("password_hash") is not None
    return row


def list_users(url: str | None = None) -> pd.DataFrame:
    """Every account (no password hashes), by user id."""
    u = app_store.app_user.c
    stmt = sa.select(
        u.user_id,
        u.display_name,
        u.role,
        *(u[c] for c in ORG_COLUMNS),
        (u.password_hash.is_not(None)).label("has_password"),
        u.is_disabled,
        u.failed_attempts,
        u.locked_until,
        u.created_at,
    ).order_by(u.user_id)
    with app_store.app_engine(url).connect() as conn:
        result = conn.execute(stmt)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def check_scope(role: str, org: Mapping[str, int | None]) -> None:
    """Raise AccountError unless ``org`` has the id the role's scope level needs."""
    if role not in ROLES:
        raise AccountError(f"Unknown role {role!r}; roles: {', '.join(ROLES)}")
    needed = REQUIRED_ORG.get(ROLES[role].scope_level)
    if needed is not None and org.get(needed) is None:
        raise AccountError(f"The role {role} needs {needed.removesuffix('_id')} (--{needed[:-3]})")


def add_user(
    user_id: str,
    display_name: str,
    role: str,
    *,
    actor: Viewer | str,
    password: str | None = None,
    org: Mapping[str, int | None] | None = None,
    url: str | None = None,
    config: AuthConfig | None = None,
) -> None:
    """Create an account; without a password it can sign in only through SSO.

    ``user_id`` is the sign-in name (for SSO: the value of the ``sso_claim``, e.g. the e-mail
    address, compared case-insensitively).
    """
    user_id = user_id.strip()
    if not user_id or len(user_id) > 64:
        raise AccountError("The user id must have 1 to 64 characters")
    org = {column: (org or {}).get(column) for column in ORG_COLUMNS}
    check_scope(role, org)
    if password is None:
        user_id = user_id.lower()  # matched against the IdP's claim, case-insensitively
    row = {
        "user_id": user_id,
        "display_name": display_name.strip() or user_id,
        "role": role,
        **org,
        "password_hash": hash_password(password, config) if password is not None else None,
        "is_disabled": False,
        "failed_attempts": 0,
        "locked_until": None,
        "created_at": app_store.utc_now(),
    }
    try:
        with app_store.app_engine(url).begin() as conn:
            conn.execute(sa.insert(app_store.app_user).values(**row))
    except sa.exc.IntegrityError as exc:
        raise AccountError(f"The user {user_id!r} exists already") from exc
    _audit_change(actor, "add", user_id, {"role": role, **org, "sso": password is None}, url)


def _update(user_id: str, values: dict, url: str | None) -> None:
    with app_store.app_engine(url).begin() as conn:
        changed = conn.execute(
            sa.update(app_store.app_user)
            .where(app_store.app_user.c.user_id == user_id)
            .values(**values)
        ).rowcount
    if not changed:
        raise AccountError(f"No user {user_id!r}")


def _audit_change(
    actor: Viewer | str, action: str, user_id: str, detail: Mapping, url: str | None
) -> None:
    app_store.audit(
        "user_change", actor, detail={"action": action, "user": user_id, **detail}, url=url
    )


def set_disabled(
    user_id: str, disabled: bool, *, actor: Viewer | str, url: str | None = None
) -> None:
    """Disable (or enable again) an account; a disabled account cannot sign in."""
    _update(user_id, {"is_disabled": bool(disabled)}, url)
    _audit_change(actor, "disable" if disabled else "enable", user_id, {}, url)


def _actor_name(actor: Viewer | str) -> str:
    """Who acts: a signed-in user's id, or the login name of ``cli:<name>``."""
    if isinstance(actor, Viewer):
        return actor.user_id
    return actor.removeprefix("cli:")


def set_role(
    user_id: str,
    role: str,
    *,
    actor: Viewer | str,
    org: Mapping[str, int | None] | None = None,
    url: str | None = None,
) -> None:
    """Give an account a new role and scope (the org ids the role needs replace the old ones).

    Raises AccountError when the actor is the account itself (a signed-in administrator, or
    the command line run under the account's name): nobody raises their own role or resets
    their own scope; another administrator must do it.
    """
    if _actor_name(actor).strip().lower() == user_id.strip().lower():
        raise AccountError(
            f"You cannot change your own role or scope ({user_id}): ask another administrator"
        )
    org = {column: (org or {}).get(column) for column in ORG_COLUMNS}
    check_scope(role, org)
    _update(user_id, {"role": role, **org}, url)
    _audit_change(actor, "set_role", user_id, {"role": role, **org}, url)


def set_password(
    user_id: str,
    password: str,
    *,
    actor: Viewer | str,
    url: str | None = None,
    config: AuthConfig | None = None,
) -> None:
    """Set a new password; also clears the failed-attempt count and any lock."""
    hashed = hash_password(password, config)
    _update(user_id, {"password_hash": hashed, "failed_attempts": 0, "locked_until": None}, url)
    _audit_change(actor, "set_password", user_id, {}, url)


def unlock(user_id: str, *, actor: Viewer | str, url: str | None = None) -> None:
    """Clear a lockout before it runs out."""
    _update(user_id, {"failed_attempts": 0, "locked_until": None}, url)
    _audit_change(actor, "unlock", user_id, {}, url)


# Reads the organisation (no customer data) to place a new account; used for nothing else.
_PLACEMENT_VIEWER = Viewer("system:user-admin", "executive", "User administration")


def placement(role: str, org: Mapping[str, int | None]) -> dict[str, int | None]:
    """The full org ids for ``role`` from the one id its scope needs, checked in the warehouse.

    A branch head given a branch also gets its cooperative and prefecture; a wealth manager
    given a staff id gets their branch, cooperative and prefecture. Raises AccountError when
    the id is not in the warehouse. Roles that see everything or nothing keep no org ids.
    """
    from data_access import query, schema  # the warehouse is needed only here

    check_scope(role, org)
    needed = REQUIRED_ORG[ROLES[role].scope_level]
    if needed is None:
        return dict.fromkeys(ORG_COLUMNS)
    value = int(org[needed])
    b, s = schema.dim_branch.c, schema.dim_staff.c
    if needed == "staff_id":
        stmt = (
            sa.select(s.staff_id, b.branch_id, b.cooperative_id, b.prefecture_id)
            .join_from(schema.dim_staff, schema.dim_branch, s.branch_id == b.branch_id)
            .where(s.staff_id == value)
        )
    else:
        keep = {
            "branch_id": (b.branch_id, b.cooperative_id, b.prefecture_id),
            "cooperative_id": (b.cooperative_id, b.prefecture_id),
            "prefecture_id": (b.prefecture_id,),
        }[needed]
        stmt = sa.select(*keep).where(b[needed] == value).limit(1)
    found = query.read_frame(_PLACEMENT_VIEWER, stmt)
    if found.empty:
        raise AccountError(f"No {needed.removesuffix('_id')} {value} in the warehouse")
    row = found.iloc[0]
    return {column: _int_or_none(row.get(column)) for column in ORG_COLUMNS}


def viewer_of(row: Mapping) -> Viewer:
    """The Viewer of an ``app_user`` row: role and scope from the table, nothing else."""
    return Viewer(
        str(row["user_id"]),
        str(row["role"]),
        str(row["display_name"]),
        **{column: _int_or_none(row.get(column)) for column in ORG_COLUMNS},
    )


def _int_or_none(value) -> int | None:
    return None if value is None or value != value else int(value)


def authenticate(
    user_id: str,
    password: str,
    *,
    url: str | None = None,
    config: AuthConfig | None = None,
    now: dt.datetime | None = None,
) -> SignInResult:
    """Check a local account's password, counting failures and locking after too many.

    A failure is audited (``sign_in_failed``; ``locked_out`` when this one locks the account);
    the successful sign-in is audited by the caller, which knows the session. The reason is for
    the audit log only: the sign-in screen says the same thing for every failure.
    """
    config = config or AuthConfig.from_settings()
    now = now or app_store.utc_now()
    user_id = user_id.strip()
    row = _row(user_id, url) if user_id else None
    if row is None:
        _verify(_DUMMY_HASH, password)
        return _failed(user_id, "unknown_user", url)
    if row["password_hash"] is None:
        _verify(_DUMMY_HASH, password)
        return _failed(user_id, "sso_only", url)
    if row["is_disabled"]:
        _verify(_DUMMY_HASH, password)
        return _failed(user_id, "disabled", url)
    if row["locked_until"] is not None and row["locked_until"] > now:
        _verify(_DUMMY_HASH, password)
        return _failed(user_id, "locked", url)
    if not _verify(row["password_hash"], password):
        return _count_failure(row, config, now, url)
    values: dict = {"failed_attempts": 0, "locked_until": None}
    if _HASHER.check_needs_rehash(row["password_hash"]):
        values["password_hash"] = _HASHER.hash(password)
    _update(user_id, values, url)
    return SignInResult(viewer_of(row), "ok")


def _verify(hashed: str, password: str) -> bool:
    try:
        return _HASHER.verify(hashed, password)
    except (argon2.exceptions.VerificationError, argon2.exceptions.InvalidHashError):
        return False


def _failed(user_id: str, reason: str, url: str | None) -> SignInResult:
    app_store.audit("sign_in_failed", user_id or "(empty)", detail={"reason": reason}, url=url)
    return SignInResult(None, reason)


def _count_failure(row: Mapping, config: AuthConfig, now: dt.datetime, url: str | None):
    user_id = row["user_id"]
    u = app_store.app_user.c
    with app_store.app_engine(url).begin() as conn:
        # Counted in the database, so two sign-in attempts at once both count.
        conn.execute(
            sa.update(app_store.app_user)
            .where(u.user_id == user_id)
            .values(failed_attempts=u.failed_attempts + 1)
        )
        attempts = conn.execute(sa.select(u.failed_attempts).where(u.user_id == user_id)).scalar()
        locked = attempts >= config.lockout_attempts
        if locked:
            until = now + dt.timedelta(minutes=config.lockout_minutes)
            conn.execute(
                sa.update(app_store.app_user)
                .where(u.user_id == user_id)
                .values(failed_attempts=0, locked_until=until)
            )
    app_store.audit(
        "sign_in_failed",
        user_id,
        detail={"reason": "wrong_password", "attempt": int(attempts)},
        url=url,
    )
    if locked:
        app_store.audit("locked_out", user_id, detail={"minutes": config.lockout_minutes}, url=url)
    return SignInResult(None, "wrong_password")


def sso_viewer(
    claims: Mapping, *, url: str | None = None, config: AuthConfig | None = None
) -> SignInResult:
    """The Viewer for a person the identity provider signed in, from ``app_user`` only.

    ``claims`` are the identity token's claims (``st.user``). Only the configured claim is read,
    to find the account; role and scope come from the table. An unknown, disabled or local
    (password) account is refused and audited. A claim ``email_verified`` that is false refuses
    an e-mail match.
    """
    config = config or AuthConfig.from_settings()
    value = claims.get(config.sso_claim)
    if not value:
        return _failed(f"sso:(no {config.sso_claim})", "missing_claim", url)
    if config.sso_claim == "email" and claims.get("email_verified") is False:
        return _failed(f"sso:{value}", "email_not_verified", url)
    user_id = str(value).strip().lower()
    row = _row(user_id, url)
    if row is None:
        return _failed(user_id, "sso_unknown_user", url)
    if row["password_hash"] is not None:
        return _failed(user_id, "local_account", url)
    if row["is_disabled"]:
        return _failed(user_id, "disabled", url)
    return SignInResult(viewer_of(row), "ok")


def sso_provider(secrets: Mapping, wanted: str | None = None) -> str | None:
    """Which ``st.login`` provider to use: "" for a plain ``[auth]``, a name for
    ``[auth.<name>]``, None when single sign-on is not configured.

    ``secrets`` is the parsed ``.streamlit/secrets.toml``; ``wanted`` (setting ``sso_provider``)
    picks one of several named providers.
    """
    auth = secrets.get("auth")
    if (
        not isinstance(auth, Mapping)
        or not auth.get("redirect_uri")
        or not auth.get("cookie_secret")
    ):
        return None
    if auth.get("client_id") and auth.get("server_metadata_url"):
        return ""
    named = [
        name
        for name, value in auth.items()
        if isinstance(value, Mapping)
        and value.get("client_id")
        and value.get("server_metadata_url")
    ]
    wanted = (
        wanted if wanted is not None else settings._setting("PCRM_SSO_PROVIDER", "sso_provider", "")
    )
    if wanted in named:
        return wanted
    return named[0] if named else None


def session_end_reason(
    signed_in_at: float, last_seen: float, now: float, config: AuthConfig
) -> str | None:
    """Why a session must end now (``absolute`` / ``idle``), or None; times in epoch seconds."""
    if now - signed_in_at > config.session_max_hours * 3600:
        return "absolute"
    if now - last_seen > config.idle_timeout_minutes * 60:
        return "idle"
    return None


__all__ = [
    "AccountError",
    "AuthConfig",
    "SignInResult",
    "add_user",
    "authenticate",
    "check_scope",
    "get_user",
    "hash_password",
    "list_users",
    "may_unmask",
    "placement",
    "set_disabled",
    "set_password",
    "session_end_reason",
    "set_role",
    "sso_provider",
    "sso_viewer",
    "unlock",
    "viewer_of",
]
