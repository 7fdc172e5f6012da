"""The layers import only downwards: catalogue <- analytics <- data_access <- ui <- pages, and
the command line (cli) on top beside the pages.

Read from the source with ``ast`` (no import side effects): a module of a layer that imports a
layer it may not fails with the module and the import named.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("catalogue", "analytics", "data_access", "ui", "pages", "cli")
# What each layer may not import (its own and lower layers are allowed). Nothing imports the
# command line; it does not import the pages either (Streamlit scripts that the app runs).
FORBIDDEN: dict[str, frozenset[str]] = {
    "catalogue": frozenset({"analytics", "data_access", "ui", "pages", "cli"}),
    "analytics": frozenset({"data_access", "ui", "pages", "cli"}),
    "data_access": frozenset({"ui", "pages", "cli"}),
    "ui": frozenset({"pages", "cli"}),
    "pages": frozenset({"cli"}),
    "cli": frozenset({"pages"}),
}


def _imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def _violations(layer: str) -> list[str]:
    bad = []
    for path in sorted((ROOT / layer).rglob("*.py")):
        for package in sorted(_imported_packages(path) & FORBIDDEN[layer]):
            bad.append(f"{path.relative_to(ROOT)} imports {package}")
    return bad


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_each_layer_imports_only_downwards(layer: str) -> None:
    assert _violations(layer) == []


def test_the_check_sees_a_forbidden_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("from data_access import query\nimport ui.i18n\nimport pandas\n")
    assert _imported_packages(module) == {"data_access", "ui", "pandas"}
