"""Stored text made safe to write into any document or export: the one sanitiser every writer uses
(the PDF and Word engine ``core.documents.official``, the XLSX writers through
``core.files.spreadsheet.append_row`` and the roll-up's workbook).

A name may hold what a keyboard, a copy from a web page or a file from elsewhere put there: control
characters (XML, hence DOCX and XLSX, refuses them: one in an applicant's name used to make the
report's Word and Excel files fail), right-to-left overrides and marks (which turn the rest of a
printed line around), lone surrogates and non-characters, or 100.000 characters. ``printable``
keeps every letter and emoji, drops what cannot or should not be printed, and cuts what no cell can
hold, saying so with an ellipsis.
"""
from __future__ import annotations

import re
import unicodedata

XLSX_CELL = 32_767  # the most characters an Excel cell holds

# C0 controls but tab, line feed and carriage return; DEL and the C1 controls; lone surrogates; the
# non-characters U+FFFE/U+FFFF; the bidirectional marks, embeddings, overrides and isolates
_DROP = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
                   "\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile("[\x0b\x0c\u2028\u2029]")


def printable(text, limit: int | None = None):
    """``text`` fit for any document or spreadsheet; anything but a string is returned as it is.

    Vertical tabs, form feeds and Unicode line separators become spaces, the other unprintable
    characters are dropped; with ``limit`` a longer text is cut to ``limit`` characters ending in '…'.
    """
    if not isinstance(text, str):
        return text
    out = _DROP.sub("", _SPACES.sub(" ", text))
    if not out.isascii():
        out = unicodedata.normalize("NFC", out)
    if limit is not None and len(out) > limit:
        out = out[:limit - 1] + "…"
    return out
