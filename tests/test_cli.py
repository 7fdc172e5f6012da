"""``python -m cli``: one command line for the whole project, and every invocation the docs,
the Makefile and the app's own messages show is one it accepts."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

import pytest

import cli

ROOT = Path(__file__).resolve().parent.parent
# Where commands are shown to people: documentation, the Makefile, the app's messages, the code's
# own help and error texts.
SHOWN_IN = [
    ROOT / "README.md",
    ROOT / "Makefile",
    ROOT / ".streamlit" / "secrets.toml.example",
    *sorted((ROOT / "docs").glob("*.md")),
    *(
        path
        for package in ("analytics", "catalogue", "cli", "data_access", "pages", "ui", "bench")
        for path in sorted((ROOT / package).rglob("*.py"))
    ),
]
_INVOCATION = re.compile(r"(?:python|\$\(PY\)) -m (?P<module>[a-z_][a-z_.]*)(?P<rest>[^`\n\"']*)")


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:  # argparse offers no public accessor for subparsers
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def test_one_help_lists_every_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "cli", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    commands = _subparsers(cli.build_parser())
    expected = {"demo", "refresh", "export", "load", "migrate", "users", "audit", "app-store"}
    assert expected | {"churn", "branch-report"} <= set(commands)
    listed = set(re.findall(r"^ {4}(\S+)", done.stdout, flags=re.MULTILINE))
    assert listed == set(commands)


@pytest.mark.parametrize("command", sorted(_subparsers(cli.build_parser())))
def test_every_command_has_help_and_runs_through_its_module(command: str) -> None:
    parser = _subparsers(cli.build_parser())[command]
    assert parser.format_help()
    owners = [module for module in cli.MODULES if command in module.COMMANDS]
    assert len(owners) == 1, f"{command} is run by {owners}"


def _shown_invocations() -> list[tuple[str, str, str]]:
    found = []
    for path in SHOWN_IN:
        text = path.read_text(encoding="utf-8")
        for match in _INVOCATION.finditer(text):
            if match["module"] in {"pytest", "pip", "venv", "streamlit", "http.server"}:
                continue
            where = f"{path.relative_to(ROOT)}: {match[0].strip()}"
            found.append((where, match["module"], match["rest"]))
    return found


def test_every_invocation_shown_is_a_command_of_the_one_command_line() -> None:
    commands = _subparsers(cli.build_parser())
    shown = _shown_invocations()
    assert len(shown) > 30, "the docs show the command line; the pattern found too little"
    bad = []
    for where, module, rest in shown:
        if module != "cli":
            bad.append(f"{where}: not python -m cli")
            continue
        words = [word.rstrip(".,;:)") for word in rest.split()]
        if not words or words[0] in {"--help", "COMMAND"}:  # the whole command line
            continue
        for name in words[0].split("|"):  # demo|refresh: two commands
            if name not in commands:
                bad.append(f"{where}: no command {name!r}")
                continue
            actions = _subparsers(commands[name])
            if actions and len(words) > 1 and re.fullmatch(r"[a-z-]+(\|[a-z-]+)*", words[1]):
                bad.extend(
                    f"{where}: {name} has no action {action!r}"
                    for action in words[1].split("|")
                    if action not in actions
                )
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize(
    "argv",
    [
        ["demo", "--if-missing"],  # make run, via make warehouse
        ["migrate"],  # make run, make migrate
        ["refresh"],  # make refresh
        ["users", "add", "admin", "--name", "Administrator", "--role", "admin"],
        ["audit", "verify", "--url", "sqlite:///app.sqlite"],
        ["app-store", "grant", "--owner", "pcrm_owner", "--app", "pcrm_app"],
        ["churn", "train", "--as-of", "2026-07"],
        ["churn", "evaluate", "--csv", "t.csv", "--label", "churned"],
        ["branch-report", "--branch", "101", "--month", "2026-10", "--out", "r.html"],
    ],
)
def test_the_makefile_and_readme_invocations_parse(argv: list[str]) -> None:
    args = cli.build_parser().parse_args(argv)
    assert args.command == argv[0]
