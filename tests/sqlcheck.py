"""What every statement sent to PostgreSQL is checked for, in every test that runs on a server.

``checking()`` wraps ``db.dialect.Postgres.translate`` for the test session (``tests/conftest.py``):
each distinct statement the program sends is checked once, as it is sent, and may be recorded
(``recording()``, for ``tests/test_dialect.py``). A statement outside the translator's subset
already raises ``db.dialect.Untranslatable``; this checks what the translation gives:

- every string literal of the statement comes out as it went in, in order (``%`` doubled for
  psycopg), inside a trigger's body too: the rewrite never reaches into a literal;
- nothing of SQLite's dialect is left in the code around the literals (``?``, ``:name``,
  ``INDEXED BY``, ``AUTOINCREMENT``, ``WITHOUT ROWID``, ``COLLATE``, ``rowid``, ``INSERT OR``,
  ``[name]``, ``PRAGMA``, ``RAISE(ABORT``).
"""
from __future__ import annotations

import contextlib
import re

from db.dialect import _SET_ASIDE, POSTGRES, Postgres

LEFTOVERS = re.compile(
    r"\?|(?<!:):[A-Za-z_]|\bINDEXED\s+BY\b|\bAUTOINCREMENT\b|\bWITHOUT\s+ROWID\b|\bCOLLATE\b|\browid\b|"
    r"\bINSERT\s+OR\b|\[\w+\]|\bPRAGMA\b|\bRAISE\s*\(\s*ABORT", re.I)


class TranslationLeak(AssertionError):
    """A translation that changed a literal or left SQLite's dialect in a statement."""


def _parts(sql: str, literals: list[str], code: list[str]) -> None:
    """The literals and the code of a statement, looking inside dollar-quoted bodies."""
    last = 0
    for m in _SET_ASIDE.finditer(sql):
        code.append(sql[last:m.start()])
        last = m.end()
        span = m[0]
        if span.startswith("'"):
            literals.append(span)
        elif span.startswith("$"):
            tag = m[1]
            _parts(span[len(tag):-len(tag)], literals, code)
    code.append(sql[last:])


def problems(sql: str, out: tuple[str, ...]) -> list[str]:
    found = []
    given, _ = [], []
    _parts(sql, given, _)
    sent, code = [], []
    for stmt in out:
        _parts(stmt, sent, code)
    remaining = iter(sent)
    lost = [lit for lit in (g.replace("%", "%%") for g in given) if lit not in remaining]
    if lost:
        found.append(f"literal changed or lost: {lost[0]!r}")
    for part in code:
        m = LEFTOVERS.search(part)
        if m:
            found.append(f"SQLite's {m[0]!r} left in: {part.strip()[:200]!r}")
    return found


_seen: set[str] = set()
_recorders: list[list[str]] = []


def _checked(sql: str) -> tuple[str, ...]:
    out = Postgres.translate(sql)
    if sql not in _seen:
        wrong = problems(sql, out)
        if wrong:
            raise TranslationLeak(f"{'; '.join(wrong)}\n  statement: {sql!r}\n  translated: {out!r}")
        _seen.add(sql)
    for recorder in _recorders:
        recorder.append(sql)
    return out


@contextlib.contextmanager
def checking():
    POSTGRES.translate = _checked  # the instance's own attribute, over the class's static method
    try:
        yield
    finally:
        del POSTGRES.translate


@contextlib.contextmanager
def recording():
    """The statements sent to a server inside the block (checked as they go when ``checking``)."""
    sent: list[str] = []
    _recorders.append(sent)
    try:
        yield sent
    finally:
        _recorders.remove(sent)
