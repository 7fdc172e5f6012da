"""Label catalogues per page area, merged into ``ui.i18n.CATALOGUE``.

Each module defines ``STRINGS: dict[str, tuple[str, str]]`` (key: English, 简体中文) and may
define ``DYNAMIC_KEYS: frozenset[str]``, the keys its code builds at run time (f-strings), so the
unused-key test knows they are used. A key defined twice anywhere is an error at import.
Modules here must not import ``ui.i18n`` (it imports them).
"""
