"""``python -m cli users ...``: accounts from the command line, audited."""

from __future__ import annotations

import getpass
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from cli import main
from data_access import app_store, auth_store, query
from data_access.warehouse import Warehouse

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def url(tmp_path: Path):
    yield f"sqlite:///{tmp_path / 'app.sqlite'}"
    app_store.dispose_engines()


def users(url: str, *args: str, stdin: str | None = None, monkeypatch=None) -> int:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return main(["users", "--app-db", url, *args])


def test_add_list_disable_enable_and_audit(url: str, monkeypatch, capsys) -> None:
    assert (
        users(
            url,
            "add",
            "boss",
            "--name",
            "Boss",
            "--role",
            "admin",
            "--password-stdin",
            stdin="a long enough password\n",
            monkeypatch=monkeypatch,
        )
        == 0
    )
    assert (
        users(url, "add", "Wang@Bank.example", "--name", "王芳", "--role", "analyst", "--sso") == 0
    )
    capsys.readouterr()
    assert users(url, "list", "--json") == 0
    listed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(u["user_id"], u["role"], u["has_password"]) for u in listed] == [
        ("boss", "admin", True),
        ("wang@bank.example", "analyst", False),
    ]
    assert auth_store.authenticate("boss", "a long enough password", url=url).viewer
    assert users(url, "disable", "boss") == 0
    assert auth_store.authenticate("boss", "a long enough password", url=url).viewer is None
    assert users(url, "enable", "boss") == 0
    assert users(url, "list") == 0
    table = capsys.readouterr().out
    assert "wang@bank.example" in table and "sso" in table and "active" in table
    changes = app_store.recent_audit(100, url, event="user_change")
    assert set(changes["user_id"].str.startswith("cli:")) == {True}
    actions = [json.loads(d)["action"] for d in changes["detail"][::-1]]
    assert actions == ["add", "add", "disable", "enable"]


def test_errors_exit_1_with_a_message(url: str, monkeypatch, capsys) -> None:
    assert users(url, "add", "x", "--name", "X", "--role", "branch_head", "--sso") == 1
    assert "needs branch" in capsys.readouterr().err
    args = ("add", "x", "--name", "X", "--role", "analyst", "--password-stdin")
    assert users(url, *args, stdin="short\n", monkeypatch=monkeypatch) == 1
    assert "at least 12" in capsys.readouterr().err
    assert users(url, *args, stdin="password1234\n", monkeypatch=monkeypatch) == 1
    assert "too easy to guess" in capsys.readouterr().err
    assert auth_store.list_users(url).empty
    assert users(url, "disable", "ghost") == 1
    assert "No user" in capsys.readouterr().err
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # no terminal: no hidden prompt
    assert users(url, "add", "y", "--name", "Y", "--role", "analyst") == 1
    assert "--password-stdin" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        users(url, "add", "z", "--name", "Z", "--role", "superuser", "--sso")


def test_an_administrator_cannot_change_their_own_role(url: str, monkeypatch, capsys) -> None:
    """The command line acts as ``cli:<login name>``: run under the account's own name, it may
    not give that account another role or scope."""
    monkeypatch.setattr(getpass, "getuser", lambda: "boss")
    assert users(url, "add", "boss", "--name", "Boss", "--role", "admin", "--sso") == 0
    assert users(url, "set-role", "boss", "--role", "executive") == 1
    assert "cannot change your own role or scope" in capsys.readouterr().err
    assert auth_store.get_user("boss", url)["role"] == "admin"
    monkeypatch.setattr(getpass, "getuser", lambda: "ops")  # another operator may
    assert users(url, "set-role", "boss", "--role", "executive") == 0
    assert auth_store.get_user("boss", url)["role"] == "executive"
    changes = app_store.recent_audit(100, url, event="user_change")
    assert [json.loads(d)["action"] for d in changes["detail"][::-1]] == ["add", "set_role"]
    assert list(changes["user_id"][::-1]) == ["cli:boss", "cli:ops"]


def test_scope_ids_are_looked_up_in_the_warehouse(url: str, demo_duckdb: Warehouse, capsys):
    query.use_warehouse(demo_duckdb)
    with query.engine().connect() as conn:
        branch, coop, prefecture = conn.exec_driver_sql(
            "SELECT branch_id, cooperative_id, prefecture_id FROM dim_branch LIMIT 1"
        ).one()
    assert (
        users(
            url,
            "add",
            "h@b.cn",
            "--name",
            "H",
            "--role",
            "branch_head",
            "--branch",
            str(branch),
            "--sso",
        )
        == 0
    )
    user = auth_store.get_user("h@b.cn", url)
    assert (user["branch_id"], user["cooperative_id"], user["prefecture_id"]) == (
        branch,
        coop,
        prefecture,
    )
    assert users(url, "set-role", "h@b.cn", "--role", "branch_head", "--branch", "999999") == 1
    assert "No branch 999999" in capsys.readouterr().err
    assert (
        users(
            url,
            "set-role",
            "h@b.cn",
            "--role",
            "prefecture_manager",
            "--prefecture",
            "7",
            "--no-check",
        )
        == 0
    )
    assert auth_store.get_user("h@b.cn", url)["prefecture_id"] == 7


def test_runs_as_a_module(url: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "cli", "users", "--app-db", url, "list"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "No accounts" in done.stdout


def test_set_password_refuses_a_weak_password(url: str, monkeypatch, capsys) -> None:
    add = ("add", "zhou.min", "--name", "周敏", "--role", "analyst", "--password-stdin")
    assert users(url, *add, stdin="a long enough password\n", monkeypatch=monkeypatch) == 0
    for weak, message in [
        ("abcabcabcabc", "repetitive"),
        ("zhou.min garden lamp", "user name or the display name"),
        ("周敏的花园台灯窗户桌子椅", "user name or the display name"),
        ("qwertyuiop123", "too easy to guess"),
    ]:
        capsys.readouterr()
        args = ("set-password", "zhou.min", "--password-stdin")
        assert users(url, *args, stdin=f"{weak}\n", monkeypatch=monkeypatch) == 1
        assert message in capsys.readouterr().err
    assert auth_store.authenticate("zhou.min", "a long enough password", url=url).viewer
