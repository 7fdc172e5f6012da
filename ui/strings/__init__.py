"""Label catalogues per page area, merged into ``ui.i18n.CATALOGUE``.

Each module defines ``STRINGS: dict[str, tuple[str, str]]`` (key: English, 简体中文) and may
define ``DYNAMIC_KEYS: frozenset[str]``, the keys its code builds at run time (f-strings), so the
unused-key test knows they are used. A key defined twice anywhere is an error at import.
Modules here must not import ``ui.i18n`` (it imports them).
"""

from catalogue.codes import CodeList


def code_labels(prefix: str, code_list: CodeList) -> dict[str, tuple[str, str]]:
    """The labels ``<prefix><code>`` of every code of ``code_list``: the catalogue's names, so a
    code reads the same on every page (a new code needs no label of its own)."""
    return {f"{prefix}{c.code}": (c.name_en, c.name_zh) for c in code_list}
