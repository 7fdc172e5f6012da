"""The extract folder itself: the loader reads only regular files stored in it.

:func:`unsafe_entries` runs before anything in the folder is opened, the manifest included. A
symbolic link (to a file or a folder, inside or outside the extract, or dangling) and anything
that is not a regular file or a folder (a pipe, a socket, a device) are refused by name, and
validation stops there: what a link points to is never read, so none of it can reach the
rejection report. Names in the manifest that leave the folder (``../x``, ``/etc/x``,
``sub/x``) are refused by :mod:`~data_access.extracts.manifest` before any file is opened.
"""

from __future__ import annotations

import os
from pathlib import Path

from data_access.extracts.problems import Rejection


def link_problem(name: str) -> Rejection:
    """The rejection of the symbolic link ``name`` (its target is neither read nor named)."""
    return Rejection(
        name,
        None,
        "",
        "symbolic_link",
        "",
        "a symbolic link: the loader reads only files stored in the extract folder itself, "
        "never what a link points to. Replace the link with the file, or remove it",
    )


def unsafe_entries(directory: Path) -> list[Rejection]:
    """Symbolic links and special files in ``directory``, by name (nothing is opened)."""
    if not Path(directory).is_dir():
        return []  # reported as manifest_missing
    problems = []
    with os.scandir(directory) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.is_symlink():
                problems.append(link_problem(entry.name))
            elif not (entry.is_file(follow_symlinks=False) or entry.is_dir(follow_symlinks=False)):
                problems.append(
                    Rejection(
                        entry.name,
                        None,
                        "",
                        "not_a_regular_file",
                        "",
                        "not a regular file (a pipe, socket or device): the extract folder "
                        "holds only the manifest and the data files",
                    )
                )
    return problems


__all__ = ["link_problem", "unsafe_entries"]
