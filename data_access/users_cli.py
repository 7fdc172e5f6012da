"""``python -m cli users add|list|disable|enable|set-role|set-password|unlock``.

User administration from the command line, for the first administrator and for scripts. Every
change is written to the audit log as ``user_change`` by ``cli:<operating-system user>``.
Passwords are read with a hidden prompt, or from standard input with ``--password-stdin``
(never from the command line, where they would land in the shell history).

Examples::

    python -m cli users add admin --name "Administrator" --role admin
    python -m cli users add li.wei --name 李伟 --role branch_head --branch 1203
    python -m cli users add wang@bank.example --name 王芳 --role analyst --sso
    python -m cli users set-role li.wei --role cooperative_manager --cooperative 12
    python -m cli users disable li.wei
    python -m cli users list
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys

from catalogue.roles import ROLES
from data_access import auth_store
from data_access.warehouse import WarehouseMissing

COMMANDS = frozenset({"users"})
_ORG_FLAGS = {
    "prefecture": "prefecture_id",
    "cooperative": "cooperative_id",
    "branch": "branch_id",
    "staff": "staff_id",
}


def _org_arguments(parser: argparse.ArgumentParser) -> None:
    scope = parser.add_argument_group(
        "scope", "the one id the role's scope needs; the others are looked up in the warehouse"
    )
    for flag, column in _ORG_FLAGS.items():
        scope.add_argument(f"--{flag}", type=int, dest=column, default=None)
    scope.add_argument(
        "--no-check",
        action="store_true",
        help="do not look the ids up in the warehouse (e.g. before the first load)",
    )


def add_subcommands(commands: argparse._SubParsersAction) -> None:
    """Add ``users`` and its actions to the main parser's subcommands."""
    users = commands.add_parser("users", help="manage the app's user accounts")
    users.add_argument("--app-db", default=None, help="app store SQLAlchemy URL")
    actions = users.add_subparsers(dest="users_action", required=True)
    roles = sorted(ROLES)

    add = actions.add_parser("add", help="create an account")
    add.add_argument("user_id", help="sign-in name (for --sso: the e-mail address)")
    add.add_argument("--name", required=True, help="display name")
    add.add_argument("--role", required=True, choices=roles)
    how = add.add_mutually_exclusive_group()
    how.add_argument("--sso", action="store_true", help="single sign-on only, no password")
    how.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    _org_arguments(add)

    listing = actions.add_parser("list", help="list accounts")
    listing.add_argument("--json", action="store_true", help="JSON lines instead of a table")

    for name, text in (("disable", "disable an account"), ("enable", "enable it again")):
        action = actions.add_parser(name, help=text)
        action.add_argument("user_id")

    set_role = actions.add_parser("set-role", help="change an account's role and scope")
    set_role.add_argument("user_id")
    set_role.add_argument("--role", required=True, choices=roles)
    _org_arguments(set_role)

    password = actions.add_parser("set-password", help="set a new password (clears a lockout)")
    password.add_argument("user_id")
    password.add_argument("--password-stdin", action="store_true")

    unlock = actions.add_parser("unlock", help="clear a lockout")
    unlock.add_argument("user_id")


def _actor() -> str:
    try:
        who = getpass.getuser()
    except Exception:  # no login name in some containers
        who = str(os.getuid()) if hasattr(os, "getuid") else "unknown"
    return f"cli:{who}"


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise auth_store.AccountError("No terminal for the password prompt: use --password-stdin")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat the password: ") != first:
        raise auth_store.AccountError("The two passwords differ")
    return first


def _org(args: argparse.Namespace) -> dict[str, int | None]:
    org = {column: getattr(args, column) for column in _ORG_FLAGS.values()}
    if args.no_check:
        auth_store.check_scope(args.role, org)
        return org
    try:
        return auth_store.placement(args.role, org)
    except WarehouseMissing as exc:
        raise auth_store.AccountError(
            f"{exc}. Load the warehouse first, or pass --no-check with every id"
        ) from exc


def _list(url: str | None, as_json: bool) -> None:
    frame = auth_store.list_users(url)
    if as_json:
        for row in frame.to_dict("records"):
            print(json.dumps(row, default=str, ensure_ascii=False))
        return
    if frame.empty:
        print("No accounts. Add one with: python -m cli users add ...")
        return
    shown = frame.assign(
        login=frame["has_password"].map({True: "password", False: "sso"}),
        state=frame["is_disabled"].map({True: "disabled", False: "active"}),
    )[["user_id", "display_name", "role", *_ORG_FLAGS.values(), "login", "state", "locked_until"]]
    shown = shown.astype(object).where(shown.notna(), "-")
    print(shown.to_string(index=False))


def run(args: argparse.Namespace) -> int:
    """Carry out one ``users`` action; 0 on success, 1 with a message on stderr otherwise."""
    url, action, actor = args.app_db, args.users_action, _actor()
    try:
        if action == "list":
            _list(url, args.json)
            return 0
        if action == "add":
            password = None if args.sso else _password(args.password_stdin)
            auth_store.add_user(
                args.user_id,
                args.name,
                args.role,
                actor=actor,
                password=password,
                org=_org(args),
                url=url,
            )
        elif action in ("disable", "enable"):
            auth_store.set_disabled(args.user_id, action == "disable", actor=actor, url=url)
        elif action == "set-role":
            auth_store.set_role(args.user_id, args.role, actor=actor, org=_org(args), url=url)
        elif action == "set-password":
            auth_store.set_password(
                args.user_id, _password(args.password_stdin), actor=actor, url=url
            )
        elif action == "unlock":
            auth_store.unlock(args.user_id, actor=actor, url=url)
    except auth_store.AccountError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{action}: {args.user_id} done")
    return 0
