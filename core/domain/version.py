"""The program's version: the one number that ``--version``, the window's "Giới thiệu", the
installer and its file name all show (``pyproject.toml`` reads it from here).

Pure: comparing two version numbers is here too, for the update notice.
"""
from __future__ import annotations

import re

__version__ = "0.1.0"


def parse(text: str) -> tuple[int, ...] | None:
    """``"1.2.10"`` → ``(1, 2, 10)``; anything that is not dotted numbers (a leading ``v`` allowed) → None."""
    m = re.fullmatch(r"\s*[vV]?(\d+(?:\.\d+){0,3})\s*", text or "")
    if not m:
        return None
    parts = tuple(int(p) for p in m.group(1).split("."))
    return parts + (0,) * (3 - len(parts)) if len(parts) < 3 else parts


def is_newer(candidate: str, current: str = __version__) -> bool:
    """True when ``candidate`` is a later version than ``current`` (an unreadable one never is)."""
    a, b = parse(candidate), parse(current)
    return a is not None and b is not None and a > b
