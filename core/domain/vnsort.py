"""Vietnamese alphabetical order: a ă â b c d đ e ê g h i … o ô ơ … u ư v x y, tones after letters.

Python's and SQLite's default order compares code points, so "Đỗ" comes after "Vũ"
(Đ is U+0110) and "Ánh" after "Yến". ``key`` gives the order of the Vietnamese
alphabet: first the letters (a < ă < â < b …, case ignored), then the tones in the
order of Unicode's Vietnamese collation (none, huyền, hỏi, ngã, sắc, nặng), then case.
``compare`` is the same order for SQLite (``COLLATE vi``, registered in ``db.store``).
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
# the letters English has and Vietnamese does not, placed where the Latin alphabet puts them
_LETTERS = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {ch: i for i, ch in enumerate(_LETTERS)}
_MODIFIERS = {"\u0306": "ă", "\u0302": "^", "\u031b": "+"}  # breve, circumflex, horn
_WITH = {("a", "ă"): "ă", ("a", "^"): "â", ("e", "^"): "ê", ("o", "^"): "ô", ("o", "+"): "ơ", ("u", "+"): "ư"}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng


@lru_cache(maxsize=65536)
def key(text: str | None) -> tuple:
    """The sort key of a name in Vietnamese order."""
    letters, tones, cases = [], [], []
    for ch in unicodedata.normalize("NFD", text or ""):
        if ch in _TONES:
            if tones:
                tones[-1] = _TONES[ch]
            continue
        if ch in _MODIFIERS:
            if letters and letters[-1][0] == 1:
                base = _LETTERS[letters[-1][1]]
                merged = _WITH.get((base, _MODIFIERS[ch]))
                if merged:
                    letters[-1] = (1, _RANK[merged])
            continue
        lower = ch.lower()
        if lower in _RANK:
            letters.append((1, _RANK[lower]))
        elif ch.isspace():
            letters.append((0, 0))  # "An Bình" before "Anh"
        elif ch.isdigit():
            letters.append((0, 1 + int(ch)))
        else:
            letters.append((2, ord(lower)))
        tones.append(0)
        cases.append(0 if ch == lower else 1)
    return tuple(letters), tuple(tones), tuple(cases)


def compare(a: str | None, b: str | None) -> int:
    ka, kb = key(a), key(b)
    return (ka > kb) - (ka < kb)


def sort(names, by=lambda x: x):
    """Items ordered by the Vietnamese order of ``by(item)``."""
    return sorted(names, key=lambda item: key(by(item)))
