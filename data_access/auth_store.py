"""Accounts in the app store: passwords, lockout, roles and scopes, and single sign-on mapping.

Who a person is and what they may see is decided here, server-side, from the ``app_user`` table
only. A local account has an argon2 password hash; an SSO account has none and is found by one
claim of the identity provider's token (``sso_claim``, the e-mail address by default), never
given a role or a scope by a claim. Every change to an account is audited (``user_change``),
every failed sign-in too (``sign_in_failed``, ``locked_out``). Single sign-on stays off unless
its cookie secret is random (:func:`cookie_secret_problem`), and the password-free demo personas
are allowed only on the demo warehouse with an app store nobody else uses
(:func:`demo_personas_refusal`).

Security settings (:class:`AuthConfig`) come from the environment or ``[pcrm]`` in
``.streamlit/secrets.toml``, like the store URLs.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import functools
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass

import argon2
import pandas as pd
import sqlalchemy as sa

from data_access import app_store, settings
from data_access.roles import ROLES
from data_access.viewer import Viewer

log = logging.getLogger(__name__)

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
    # "off" never offers the password-free demo personas, whatever the warehouse and app store.
    demo_personas: str = "on"

    def __post_init__(self) -> None:
        value = str(self.demo_personas).strip().lower()
        if value not in ("on", "off"):
            raise ValueError(
                f"PCRM_DEMO_PERSONAS (demo_personas) must be on or off, not {self.demo_personas!r}"
            )
        object.__setattr__(self, "demo_personas", value)

    @classmethod
    def from_settings(cls) -> AuthConfig:
        values = {}
        for field in dataclasses.fields(cls):
            raw = settings._setting(f"PCRM_{field.name.upper()}", field.name, str(field.default))
            values[field.name] = raw if field.type == "str" else int(raw)
        return cls(**values)


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


def set_role(
    user_id: str,
    role: str,
    *,
    actor: Viewer | str,
    org: Mapping[str, int | None] | None = None,
    url: str | None = None,
) -> None:
    """Give an account a new role and scope (the org ids the role needs replace the old ones)."""
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


# Single sign-on trusts Streamlit's identity cookie, which is signed with ``[auth] cookie_secret``:
# whoever knows the secret can forge a cookie for any identity. It must be random bytes.
MIN_COOKIE_SECRET_BYTES = 32
# Random bytes have about 30 different values among 32; a repeated pattern or text has far fewer.
_MIN_DISTINCT_BYTES = 20
# Values shown in examples (this project's example file and docs, earlier releases, Streamlit's
# documentation, common tutorials), compared case-insensitively: never accepted.
PLACEHOLDER_COOKIE_SECRETS: frozenset[str] = frozenset(
    {
        "a long random string",
        "paste the 64 hex characters here",
        "xxx",
        "secret",
        "changeme",
        "change me",
        "change-me",
        "cookie_secret",
        "your-secret",
        "your_secret",
        "your secret",
        "your-cookie-secret",
        "mysecret",
        "supersecret",
    }
)
# Why single sign-on stays off (for the log; the sign-in screen says it in one sentence).
COOKIE_SECRET_PROBLEMS: dict[str, str] = {
    "missing": "missing",
    "placeholder": "a placeholder from an example",
    "not_encoded": "not hex or base64 (a readable phrase?)",
    "too_short": f"shorter than {MIN_COOKIE_SECRET_BYTES} bytes",
    "low_entropy": "not random (a repeated pattern, or encoded text)",
}
MAKE_COOKIE_SECRET = 'python -c "import secrets; print(secrets.token_hex(32))"'
_HEX = re.compile(r"(?:[0-9a-fA-F]{2})+")
_BASE64 = re.compile(r"[A-Za-z0-9+/]+={0,2}|[A-Za-z0-9_-]+={0,2}")


def _secret_bytes(text: str) -> bytes | None:
    """The bytes a hex or base64 (standard or URL-safe, padding optional) secret encodes."""
    if _HEX.fullmatch(text):
        return bytes.fromhex(text)
    if not _BASE64.fullmatch(text):
        return None
    body = text.rstrip("=")
    try:
        return base64.b64decode(
            body.replace("-", "+").replace("_", "/") + "=" * (-len(body) % 4), validate=True
        )
    except (binascii.Error, ValueError):
        return None


def cookie_secret_problem(secret: object) -> str | None:
    """Why ``secret`` must not sign single-sign-on cookies (a key of COOKIE_SECRET_PROBLEMS), or
    None when it is at least 32 random bytes written as hex or base64.

    Refused: nothing; a value shown in an example; text that is neither hex nor base64 (a
    readable phrase); fewer than 32 bytes; bytes that are not random (fewer than 20 different
    values among the first 32, e.g. ``"00" * 32`` or a repeated pattern, or only printable
    ASCII, i.e. encoded text). Make one with ``secrets.token_hex(32)``.
    """
    text = str(secret or "").strip()
    if not text:
        return "missing"
    if text.lower() in PLACEHOLDER_COOKIE_SECRETS:
        return "placeholder"
    raw = _secret_bytes(text)
    if raw is None:
        return "not_encoded"
    if len(raw) < MIN_COOKIE_SECRET_BYTES:
        return "too_short"
    head = raw[:MIN_COOKIE_SECRET_BYTES]
    if len(set(head)) < _MIN_DISTINCT_BYTES or all(0x20 <= byte < 0x7F for byte in raw):
        return "low_entropy"
    return None


def _configured_provider(auth: Mapping, wanted: str | None) -> str | None:
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


def sso_secret_problem(secrets: Mapping) -> str | None:
    """Why single sign-on configured in ``secrets`` stays off because of its ``cookie_secret``
    (see :func:`cookie_secret_problem`); None when it is not configured or the secret is fit."""
    auth = secrets.get("auth")
    if (
        not isinstance(auth, Mapping)
        or not auth.get("redirect_uri")
        or _configured_provider(auth, None) is None
    ):
        return None
    return cookie_secret_problem(auth.get("cookie_secret"))


@functools.cache
def _log_secret_problem(problem: str) -> None:
    """Say once per process (the sign-in screen asks on every render) why SSO is off."""
    log.warning(
        "Single sign-on is off: [auth] cookie_secret in .streamlit/secrets.toml is %s. It must "
        "be at least %d random bytes written as hex or base64; make one with %s",
        COOKIE_SECRET_PROBLEMS[problem],
        MIN_COOKIE_SECRET_BYTES,
        MAKE_COOKIE_SECRET,
    )


def sso_provider(secrets: Mapping, wanted: str | None = None) -> str | None:
    """Which ``st.login`` provider to use: "" for a plain ``[auth]``, a name for
    ``[auth.<name>]``, None when single sign-on is not configured or its ``cookie_secret`` is
    unfit (:func:`sso_secret_problem`, logged as a warning once per process).

    ``secrets`` is the parsed ``.streamlit/secrets.toml``; ``wanted`` (setting ``sso_provider``)
    picks one of several named providers.
    """
    auth = secrets.get("auth")
    if not isinstance(auth, Mapping) or not auth.get("redirect_uri"):
        return None
    problem = sso_secret_problem(secrets)
    if problem is not None:
        _log_secret_problem(problem)
        return None
    return _configured_provider(auth, wanted)


# The user ids of the demo personas start with this (ui.auth.demo_personas); no account does.
DEMO_PERSONA_PREFIX = "demo:"


def demo_personas_refusal(
    is_demo: bool, *, url: str | None = None, config: AuthConfig | None = None
) -> str | None:
    """Why the password-free demo personas must not be offered or used now, or None.

    ``not_demo``: the live warehouse is not the demo (``meta_warehouse.is_demo``); ``off``: the
    setting ``demo_personas`` is off; ``store_in_use``: the app store holds an account, or an
    audit event of anyone but a demo persona (failed sign-ins aside: anyone can cause those),
    so real people use it and a persona would read their audit log, contacts and cases;
    ``store_unreadable``: the app store cannot be read, so that cannot be ruled out.

    One query with two EXISTS, made only for a demo warehouse with the setting on.
    """
    config = config or AuthConfig.from_settings()
    if not is_demo:
        return "not_demo"
    if config.demo_personas == "off":
        return "off"
    user, audit = app_store.app_user, app_store.audit_log
    stmt = sa.select(
        sa.or_(
            sa.exists(sa.select(user.c.user_id)),
            sa.exists(
                sa.select(audit.c.event_id).where(
                    ~audit.c.user_id.startswith(DEMO_PERSONA_PREFIX, autoescape=True),
                    audit.c.event != "sign_in_failed",
                )
            ),
        )
    )
    try:
        with app_store.app_engine(url).connect() as conn:
            in_use = bool(conn.execute(stmt).scalar())
    except (sa.exc.SQLAlchemyError, OSError):
        log.exception("demo personas withheld: the app store could not be read")
        return "store_unreadable"
    return "store_in_use" if in_use else None


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
    "cookie_secret_problem",
    "demo_personas_refusal",
    "get_user",
    "hash_password",
    "list_users",
    "placement",
    "set_disabled",
    "set_password",
    "session_end_reason",
    "set_role",
    "sso_provider",
    "sso_secret_problem",
    "sso_viewer",
    "unlock",
    "viewer_of",
]
