"""sqlite-utils, imported without numpy and pandas.

sqlite-utils imports numpy and pandas at its own import when they are installed, only to map their
number types to column types; the program never stores either (its values are Python's own). numpy
alone cost every command 0,1–0,4 s (issue 30: ``indicators`` must not import it), so both are
hidden while sqlite-utils loads: it then maps Python's types only, as it does where they are not
installed. The window still imports numpy later, for its charts (matplotlib), unaffected.
"""
from __future__ import annotations

import sys

HIDDEN = ("numpy", "pandas")


def load():
    """The ``sqlite_utils`` package (with ``sqlite_utils.migrations``), loaded with numpy and pandas hidden."""
    if "sqlite_utils.db" not in sys.modules:
        saved = {name: sys.modules[name] for name in HIDDEN if name in sys.modules}
        for name in HIDDEN:
            sys.modules[name] = None  # an import of it raises ImportError, which sqlite-utils expects
        try:
            import sqlite_utils  # noqa: F401
            import sqlite_utils.migrations  # noqa: F401
        finally:
            for name in HIDDEN:
                if name in saved:
                    sys.modules[name] = saved[name]
                else:
                    sys.modules.pop(name, None)
    return sys.modules["sqlite_utils"]


sqlite_utils = load()
