"""Accounts in the app store: passwords, lockout, roles and scopes, single sign-on mapping, and
the checks that keep open sessions in line with their account and the session limits.

Who a person is and what they may see is decided here, server-side, from the ``app_user`` table
only. A local account has an argon2 password hash; an SSO account has none and is found by one
claim of the identity provider's token (``sso_claim``, the e-mail address by default), never
given a role or a scope by a claim. Every change to an account is audited (``user_change``),
every failed sign-in too (``sign_in_failed``, ``locked_out``). Single sign-on stays off unless
its cookie secret is random (:func:`cookie_secret_problem`), and the password-free demo personas
are allowed only on the demo warehouse with an app store nobody else uses
(:func:`demo_personas_refusal`).

Security settings (:class:`AuthConfig`) come from the environment or ``[pcrm]`` in
``.streamlit/secrets.toml``, like the store URLs. Which roles may unmask personal data is one
of them (``unmask_roles``, :func:`may_unmask`). Nobody changes their own role or scope.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import functools
import logging
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass

import argon2
import pandas as pd
import sqlalchemy as sa
import zxcvbn

from catalogue.roles import DEFAULT_UNMASK_ROLES, ROLES, SYSTEM_ROLE, Capability
from data_access import app_store, settings
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
# Under the minimum-necessity rule of the Personal Information Protection Law, unmasking stays
# with the legal entity that holds the customer: the cooperative and its branches.

# The user ids of the demo personas (ui.auth); they have no app_user row. add_user refuses the
# prefix, so no real account can share it and escape the account re-check.
DEMO_USER_PREFIX = "demo:"


@dataclass(frozen=True)
class AuthConfig:
    """Sign-in and session limits (environment ``PCRM_*`` or secrets ``[pcrm]``).

    Lockout: the ``lockout_attempts``-th failed sign-in in a row locks the account. The first
    lock lasts ``lockout_minutes``; each further lock without a successful sign-in in between
    lasts twice as long as the one before, up to ``lockout_max_minutes`` (15, 30, 60, 60, ...).
    While locked, no password is checked and attempts neither count nor lengthen the lock. A
    successful sign-in, an administrator's unlock or a new password start again from the first
    lock. See :func:`lock_minutes`.
    """

    lockout_attempts: int = 5  # failed sign-ins in a row that lock the account
    lockout_minutes: int = 15  # the first lock
    lockout_max_minutes: int = 60  # the longest lock, however many follow each other
    idle_timeout_minutes: int = 30  # signed out after this long without a click
    session_max_hours: int = 10  # signed out this long after signing in, whatever happens
    unmask_minutes: int = 15  # how long one unmask grant lasts
    min_password_length: int = 12
    min_password_score: int = 3  # zxcvbn's 0 (guessed at once) .. 4 (very hard to guess)
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
        if self.lockout_attempts < 1 or self.lockout_minutes < 1:
            raise ValueError("lockout_attempts and lockout_minutes must be at least 1")
        if self.lockout_max_minutes < self.lockout_minutes:
            raise ValueError(
                f"lockout_max_minutes ({self.lockout_max_minutes}) must be at least "
                f"lockout_minutes ({self.lockout_minutes})"
            )
        if not 0 <= self.min_password_score <= 4:
            raise ValueError("min_password_score must be 0 to 4 (zxcvbn's scale)")

    # Roles that may unmask personal data (comma-separated role codes; see roles.Role
    # Capability.MAY_UNMASK for the roles that may be named). The executive can be added here.
    unmask_roles: str = DEFAULT_UNMASK_ROLES
    search_limit_per_minute: int = 30  # customer searches per user, across all their sessions

    @classmethod
    def from_settings(cls) -> AuthConfig:
        """The configuration from the settings (``PCRM_<FIELD>`` or secrets ``<field>``), made
        once per change of the settings (``settings.current``)."""
        global _from_settings
        current = settings.current()
        cached = _from_settings
        if cached is not None and cached[0] is current:
            return cached[1]
        values = {}
        for field in dataclasses.fields(cls):
            if field.type == "str":
                values[field.name] = current.sources.raw(field.name, field.default)[0]
            else:
                values[field.name] = current.sources.integer(field.name, field.default)
        config = cls(**values)
        _from_settings = (current, config)
        return config

    @property
    def unmask_role_codes(self) -> frozenset[str]:
        """The roles of ``unmask_roles``; raises ValueError for a role that does not exist or
        may never unmask."""
        codes = frozenset(code.strip() for code in self.unmask_roles.split(",") if code.strip())
        for code in sorted(codes):
            if code not in ROLES:
                raise ValueError(f"unmask_roles: unknown role {code!r}; roles: {', '.join(ROLES)}")
            if not ROLES[code].can(Capability.MAY_UNMASK):
                raise ValueError(f"unmask_roles: the role {code} may never unmask personal data")
        return codes


# The last AuthConfig.from_settings made, with the settings it was made from.
_from_settings: tuple[settings.Settings, AuthConfig] | None = None


def may_unmask(role: str, config: AuthConfig | None = None) -> bool:
    """True when ``role`` may ask to see personal data unmasked (setting ``unmask_roles``)."""
    return role in (config or AuthConfig.from_settings()).unmask_role_codes


def lock_minutes(config: AuthConfig, earlier_locks: int) -> int:
    """How long a lock lasts after ``earlier_locks`` locks in a row without a successful sign-in:
    ``lockout_minutes`` doubled per earlier lock, capped at ``lockout_max_minutes``."""
    minutes = config.lockout_minutes
    for _ in range(earlier_locks):
        if minutes >= config.lockout_max_minutes:
            break
        minutes *= 2
    return min(minutes, config.lockout_max_minutes)


class AccountError(ValueError):
    """An account change that is not allowed (unknown role, missing scope, weak password...)."""


@dataclass(frozen=True)
class SignInResult:
    """The outcome of a password sign-in: a viewer, or why not (never shown to the user)."""

    viewer: Viewer | None
    reason: str  # ok | unknown_user | wrong_password | locked | disabled | sso_only


# The login form takes at most this many characters, so no longer password could be typed there.
MAX_PASSWORD_LENGTH = 256

# Why a password is refused (WeakPasswordError.code); the Users page words each one in both
# languages (ui/strings/auth.py, ``users.weak_<code>``).
PASSWORD_PROBLEMS: tuple[str, ...] = (
    "too_short",
    "too_long",
    "personal",
    "repetitive",
    "guessable",
)
# zxcvbn judges at most this many characters (its own limit); a longer password is at least as
# strong as its beginning.
_ZXCVBN_CHARS = 72
# zxcvbn keeps the user's words in a module-wide dictionary while it works: one call at a time.
_ZXCVBN_LOCK = threading.Lock()
_FEW_DISTINCT = 5  # a password of fewer different characters is repetitive ("aaaabbbbaaaa")


class WeakPasswordError(AccountError):
    """A password the strength rules refuse. ``code`` (one of :data:`PASSWORD_PROBLEMS`) and
    ``params`` let a page word the reason in its own language; ``str()`` is English."""

    def __init__(self, code: str, message: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


def check_password(
    password: str, *, user_id: str = "", display_name: str = "", config: AuthConfig | None = None
) -> None:
    """Raise :class:`WeakPasswordError` unless ``password`` is strong enough for an account.

    Refused, in this order: shorter than ``min_password_length`` or longer than
    :data:`MAX_PASSWORD_LENGTH`; containing the user id, the part of an e-mail address before
    the @, or the display name (letters and digits only, any case; parts shorter than 3
    characters, or 2 with Chinese characters, are too common to refuse); repetitive (one
    short piece repeated, or fewer than 5 different characters); scored below
    ``min_password_score`` by zxcvbn (common passwords, dictionary words, names, dates,
    keyboard runs and sequences, and the account's own words).
    The one check behind the Users page and ``python -m cli users``.
    """
    config = config or AuthConfig.from_settings()
    if len(password) < config.min_password_length:
        raise WeakPasswordError(
            "too_short",
            f"The password must have at least {config.min_password_length} characters",
            minimum=config.min_password_length,
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise WeakPasswordError(
            "too_long",
            f"The password must have at most {MAX_PASSWORD_LENGTH} characters",
            maximum=MAX_PASSWORD_LENGTH,
        )
    own_words = _own_words(user_id, display_name)
    if any(word in _fold(password) for word in own_words):
        raise WeakPasswordError(
            "personal", "The password must not contain the user name or the display name"
        )
    if re.fullmatch(r"(.+?)\1+", password, flags=re.DOTALL) or len(set(password)) < _FEW_DISTINCT:
        raise WeakPasswordError(
            "repetitive",
            "The password is repetitive (one character or a short piece repeated); use "
            "several unrelated words instead",
        )
    with _ZXCVBN_LOCK:
        score = zxcvbn.zxcvbn(password[:_ZXCVBN_CHARS], user_inputs=own_words)["score"]
    if score < config.min_password_score:
        raise WeakPasswordError(
            "guessable",
            "The password is too easy to guess (a common password, a word or name, a date, "
            "a keyboard run or a sequence); use several unrelated words instead",
        )


def _fold(text: str) -> str:
    """Letters and digits only, case-folded: "Li.Wei" and "li wei" are both "liwei"."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _own_words(user_id: str, display_name: str) -> list[str]:
    """The account's own words a password must not contain (see :func:`check_password`)."""
    words = {_fold(user_id), _fold(user_id.split("@", 1)[0]), _fold(display_name)}
    return sorted(word for word in words if len(word) >= (3 if word.isascii() else 2))


def hash_password(
    password: str,
    config: AuthConfig | None = None,
    *,
    user_id: str = "",
    display_name: str = "",
) -> str:
    """An argon2id hash of ``password``, after :func:`check_password` accepted it."""
    check_password(password, user_id=user_id, display_name=display_name, config=config)
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
    if user_id.lower().startswith(DEMO_USER_PREFIX):
        raise AccountError(f"User ids starting with {DEMO_USER_PREFIX!r} are for demo personas")
    org = {column: (org or {}).get(column) for column in ORG_COLUMNS}
    check_scope(role, org)
    if password is None:
        user_id = user_id.lower()  # matched against the IdP's claim, case-insensitively
    row = {
        "user_id": user_id,
        "display_name": display_name.strip() or user_id,
        "role": role,
        **org,
        "password_hash": (
            hash_password(password, config, user_id=user_id, display_name=display_name)
            if password is not None
            else None
        ),
        "is_disabled": False,
        "failed_attempts": 0,
        "locked_until": None,
        "lockouts": 0,
        "created_at": app_store.utc_now(),
    }
    try:
        with app_store.app_engine(url).begin() as conn:
            conn.execute(sa.insert(app_store.app_user).values(**row))
    except sa.exc.IntegrityError as exc:
        raise AccountError(f"The user {user_id!r} exists already") from exc
    _audit_change(actor, "add", user_id, {"role": role, **org, "sso": password is None}, url)


# What a successful sign-in, an unlock and a new password leave: no failures, no lock, and the
# next lock is the first (shortest) one again.
_NO_LOCK = {"failed_attempts": 0, "locked_until": None, "lockouts": 0}


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
    row = _row(user_id, url)
    if row is None:
        raise AccountError(f"No user {user_id!r}")
    hashed = hash_password(
        password, config, user_id=user_id, display_name=row["display_name"] or ""
    )
    _update(user_id, {"password_hash": hashed, **_NO_LOCK}, url)
    _audit_change(actor, "set_password", user_id, {}, url)


def unlock(user_id: str, *, actor: Viewer | str, url: str | None = None) -> None:
    """Clear a lockout before it runs out (the next lock is again the first, shortest one)."""
    _update(user_id, _NO_LOCK, url)
    _audit_change(actor, "unlock", user_id, {}, url)


# Reads the organisation (no customer data) to place a new account; used for nothing else.
_PLACEMENT_VIEWER = Viewer("system:user-admin", SYSTEM_ROLE, "User administration")


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

    The attempt is counted in the database *before* the password is checked
    (:func:`_claim_attempt`), so however many attempts arrive at once, at most
    ``lockout_attempts`` passwords are checked before the account is locked. A locked account's
    password is not checked at all (a stand-in hash is, so the answer takes as long).

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
    claimed = _claim_attempt(user_id, config, now, url)
    if claimed is None:
        _verify(_DUMMY_HASH, password)
        return _failed(user_id, "locked", url)
    if _verify(row["password_hash"], password):
        values: dict = dict(_NO_LOCK)
        if _HASHER.check_needs_rehash(row["password_hash"]):
            values["password_hash"] = _HASHER.hash(password)
        _update(user_id, values, url)
        return SignInResult(viewer_of(row), "ok")
    attempt, locks_in_a_row = claimed
    app_store.audit(
        "sign_in_failed", user_id, detail={"reason": "wrong_password", "attempt": attempt}, url=url
    )
    if locks_in_a_row:
        minutes = lock_minutes(config, locks_in_a_row - 1)
        app_store.audit(
            "locked_out",
            user_id,
            detail={"minutes": minutes, "locks_in_a_row": locks_in_a_row},
            url=url,
        )
    return SignInResult(None, "wrong_password")


def _claim_attempt(
    user_id: str, config: AuthConfig, now: dt.datetime, url: str | None
) -> tuple[int, int] | None:
    """Count one sign-in attempt of an unlocked account, or None when it is locked.

    One conditional UPDATE, atomic on SQLite and PostgreSQL: it counts the attempt only while
    the account is not locked, and the attempt that reaches ``lockout_attempts`` locks the
    account in the same statement (failures back to 0, ``lockouts`` + 1, ``locked_until`` from
    :func:`lock_minutes`). Attempts made while locked change nothing, so they cannot lengthen
    the lock. The lock is set before that last password is checked; the right password then
    clears it. Returns (this attempt's number, the consecutive locks if this attempt locked the
    account, else 0).
    """
    u = app_store.app_user.c
    reaches = u.failed_attempts + 1 >= config.lockout_attempts
    # When the lock this attempt may set ends: by the number of earlier locks in a row, until
    # the cap is reached (every later lock lasts the cap).
    steps = []
    while (minutes := lock_minutes(config, len(steps))) < config.lockout_max_minutes:
        steps.append((u.lockouts == len(steps), now + dt.timedelta(minutes=minutes)))
    longest = now + dt.timedelta(minutes=config.lockout_max_minutes)
    lock_end = sa.case(*steps, else_=longest) if steps else longest
    stmt = (
        sa.update(app_store.app_user)
        .where(u.user_id == user_id, sa.or_(u.locked_until.is_(None), u.locked_until <= now))
        .values(
            failed_attempts=sa.case((reaches, 0), else_=u.failed_attempts + 1),
            lockouts=sa.case((reaches, u.lockouts + 1), else_=u.lockouts),
            locked_until=sa.case((reaches, lock_end), else_=u.locked_until),
        )
        .returning(u.failed_attempts, u.lockouts, u.locked_until)
    )
    with app_store.app_engine(url).begin() as conn:
        claimed = conn.execute(stmt).first()
    if claimed is None:
        return None
    if claimed.locked_until is not None and claimed.locked_until > now:
        return config.lockout_attempts, int(claimed.lockouts)
    return int(claimed.failed_attempts), 0


def _verify(hashed: str, password: str) -> bool:
    try:
        return _HASHER.verify(hashed, password)
    except (argon2.exceptions.VerificationError, argon2.exceptions.InvalidHashError):
        return False


def _failed(user_id: str, reason: str, url: str | None) -> SignInResult:
    app_store.audit("sign_in_failed", user_id or "(empty)", detail={"reason": reason}, url=url)
    return SignInResult(None, reason)


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
    wanted = wanted if wanted is not None else settings.current().sso_provider
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
DEMO_USER_PREFIX = "demo:"


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
                    ~audit.c.user_id.startswith(DEMO_USER_PREFIX, autoescape=True),
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


# ------------------------------------------------------------------ open sessions

# A signed-in session re-reads its account at least this often (and before showing a customer).
ACCOUNT_RECHECK_SECONDS = 60


@dataclass(frozen=True)
class AccountCheck:
    """A signed-in viewer re-read from ``app_user``: the current viewer, or why the session ends.

    ``reason`` is ``ok``, or ``deleted`` / ``disabled`` / ``role_changed`` / ``scope_changed``
    (``viewer`` is then None).
    """

    viewer: Viewer | None
    reason: str


def recheck_account(viewer: Viewer, url: str | None = None) -> AccountCheck:
    """Re-read the account of a signed-in ``viewer``; the session must end unless ``ok``.

    The role and the org ids must be those the session was opened with: a changed role or scope
    ends the session (the person signs in again and gets the new one) rather than changing what
    an open page shows under it. A new display name is taken over; an unmask grant is kept.
    Demo personas (``demo:`` ids) have no account and are returned unchanged.
    """
    if viewer.user_id.startswith(DEMO_USER_PREFIX):
        return AccountCheck(viewer, "ok")
    row = _row(viewer.user_id, url)
    if row is None:
        return AccountCheck(None, "deleted")
    if row["is_disabled"]:
        return AccountCheck(None, "disabled")
    current = viewer_of(row)
    if current.role != viewer.role:
        return AccountCheck(None, "role_changed")
    if current.scope_key != viewer.scope_key:
        return AccountCheck(None, "scope_changed")
    return AccountCheck(dataclasses.replace(current, unmask_until=viewer.unmask_until), "ok")


# ------------------------------------------------------------------ single sign-on sessions

# How far an identity token's issue time may lie in the future (clocks of the IdP and the app).
SSO_CLOCK_SKEW_SECONDS = 300


@dataclass(frozen=True)
class SsoSession:
    """Whether an SSO identity may be signed in now, and with which session times.

    ``reason``: ``fresh`` (the token was just issued: a new session), ``joined`` (a live session
    of the same token, e.g. a new tab), or why not: ``no_token_time``, ``idle``, ``absolute``,
    ``ended`` (signed out, or ended by an account change), ``none`` (no session of this token,
    and the token is too old to start one).
    """

    reason: str
    signed_in_at: float | None = None  # epoch seconds; the absolute limit counts from here
    token_issued_at: float | None = None

    @property
    def ok(self) -> bool:
        return self.reason in {"fresh", "joined"}


def sso_token_time(claims: Mapping) -> float | None:
    """When the identity provider issued the token (``iat``, else ``auth_time``), epoch seconds."""
    for claim in ("iat", "auth_time"):
        value = claims.get(claim)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value)
            except ValueError:
                continue
    return None


def _stamp(epoch: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).replace(tzinfo=None)


def _epoch(stamp: dt.datetime) -> float:
    return stamp.replace(tzinfo=dt.UTC).timestamp()


def open_sso_session(
    user_id: str,
    claims: Mapping,
    *,
    now: float,
    url: str | None = None,
    config: AuthConfig | None = None,
) -> SsoSession:
    """May the identity in ``claims`` (account ``user_id``) be signed in at ``now``?

    Streamlit's identity cookie keeps the token's claims for 30 days, so a new tab would sign in
    silently long after the app's limits ended the session. It is let in only (1) into the live
    server-side session this same token started (``sso_session``: same ``iat``, not ended,
    within the idle and absolute limits), or (2) when the token itself was issued within the
    idle limit, i.e. a round trip to the identity provider just happened; that starts a new
    session, counted from the token's issue time. A session found past its limits is marked
    ended. A refusal is audited (``sign_in_failed``, reason ``sso_reauth_required``, with the
    session's state).
    """
    config = config or AuthConfig.from_settings()
    issued = sso_token_time(claims)
    if issued is None:
        result = SsoSession("no_token_time")
    else:
        try:
            result = _open_sso_session(user_id, issued, now, url, config)
        except sa.exc.IntegrityError:
            # Tabs restored at once with the same fresh token: one started it, the others join.
            result = _open_sso_session(user_id, issued, now, url, config)
    if not result.ok:
        app_store.audit(
            "sign_in_failed",
            user_id,
            detail={"reason": "sso_reauth_required", "session": result.reason},
            url=url,
        )
    return result


def _open_sso_session(
    user_id: str, issued: float, now: float, url: str | None, config: AuthConfig
) -> SsoSession:
    s = app_store.sso_session.c
    with app_store.app_engine(url).begin() as conn:
        row = conn.execute(sa.select(app_store.sso_session).where(s.user_id == user_id)).first()
        if row is not None and row.token_issued_at == issued:
            if row.ended_at is not None:
                return SsoSession("ended", token_issued_at=issued)
            signed_in_at = _epoch(row.signed_in_at)
            reason = session_end_reason(signed_in_at, _epoch(row.last_seen_at), now, config)
            if reason is not None:
                conn.execute(
                    sa.update(app_store.sso_session)
                    .where(s.user_id == user_id)
                    .values(ended_at=_stamp(now), end_reason=reason)
                )
                return SsoSession(reason, token_issued_at=issued)
            conn.execute(
                sa.update(app_store.sso_session)
                .where(s.user_id == user_id)
                .values(last_seen_at=_stamp(now))
            )
            return SsoSession("joined", signed_in_at, issued)
        age = now - issued
        if not -SSO_CLOCK_SKEW_SECONDS <= age <= config.idle_timeout_minutes * 60:
            return SsoSession("none", token_issued_at=issued)
        signed_in_at = min(issued, now)
        values = {
            "token_issued_at": issued,
            "signed_in_at": _stamp(signed_in_at),
            "last_seen_at": _stamp(now),
            "ended_at": None,
            "end_reason": None,
        }
        if row is None:
            conn.execute(sa.insert(app_store.sso_session).values(user_id=user_id, **values))
        else:
            conn.execute(
                sa.update(app_store.sso_session).where(s.user_id == user_id).values(**values)
            )
    return SsoSession("fresh", signed_in_at, issued)


def touch_sso_session(
    user_id: str, token_issued_at: float, *, now: float, url: str | None = None
) -> None:
    """Record activity in the live SSO session of this token (idle limit of new tabs)."""
    _update_live_sso_session(user_id, token_issued_at, url, last_seen_at=_stamp(now))


def end_sso_session(
    user_id: str, token_issued_at: float, reason: str, *, now: float, url: str | None = None
) -> None:
    """End the SSO session of this token: no new tab may join it (sign-out, account change)."""
    _update_live_sso_session(
        user_id, token_issued_at, url, ended_at=_stamp(now), end_reason=reason[:32]
    )


def _update_live_sso_session(
    user_id: str, token_issued_at: float, url: str | None, **values: object
) -> None:
    s = app_store.sso_session.c
    with app_store.app_engine(url).begin() as conn:
        conn.execute(
            sa.update(app_store.sso_session)
            .where(
                s.user_id == user_id,
                s.token_issued_at == token_issued_at,
                s.ended_at.is_(None),
            )
            .values(**values)
        )


__all__ = [
    "ACCOUNT_RECHECK_SECONDS",
    "AccountCheck",
    "MAX_PASSWORD_LENGTH",
    "PASSWORD_PROBLEMS",
    "AccountError",
    "AuthConfig",
    "SignInResult",
    "add_user",
    "authenticate",
    "check_password",
    "check_scope",
    "end_sso_session",
    "cookie_secret_problem",
    "demo_personas_refusal",
    "get_user",
    "hash_password",
    "list_users",
    "open_sso_session",
    "lock_minutes",
    "may_unmask",
    "placement",
    "recheck_account",
    "set_disabled",
    "set_password",
    "session_end_reason",
    "set_role",
    "SsoSession",
    "sso_provider",
    "sso_token_time",
    "sso_secret_problem",
    "sso_viewer",
    "touch_sso_session",
    "unlock",
    "viewer_of",
    "WeakPasswordError",
]
