"""The connection and its transactions: every write takes the write lock at its start.

``Database`` is sqlite-utils' ``Database`` with one change that matters: an
outermost ``atomic()`` block begins with ``BEGIN IMMEDIATE``, so the write
lock is taken before anything is read. A second writer (another desk, an
import from the command line) then waits its turn under the busy timeout
instead of failing at once when its deferred read transaction cannot be
upgraded (SQLite's ``SQLITE_BUSY_SNAPSHOT``). Nested blocks stay savepoints;
reads stay outside transactions.

Errors leaving a transaction are named by cause (``db.errors``), and a file
opened read-only (made by a newer version) refuses every write before it
begins.
"""
from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
from collections.abc import Generator
from pathlib import Path

from db import errors
from db.lite import sqlite_utils
from db.dialect import SQLITE

# seconds a writer waits for another to finish before "đang bận" (MOTCUA_BUSY_TIMEOUT to change it)
BUSY_TIMEOUT = float(os.environ.get("MOTCUA_BUSY_TIMEOUT") or 10.0)


def connect(path: str | Path, timeout: float = BUSY_TIMEOUT) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=timeout)
    conn.execute("PRAGMA foreign_keys = ON")
    from core.domain import vnsort

    conn.create_collation("vi", vnsort.compare)  # ORDER BY name COLLATE vi: Đỗ before Vũ
    return conn


class Database(sqlite_utils.Database):
    """sqlite-utils' database whose write transactions are immediate and whose errors are named."""

    dialect = SQLITE  # what differs from the other engine (db.dialect)
    path: Path | None = None
    refuse_writes: errors.StoreError | None = None  # set for a file this version must not write

    def set_busy_timeout(self, seconds: float) -> None:
        self.conn.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")

    @property
    def busy_timeout(self) -> float:
        return self.conn.execute("PRAGMA busy_timeout").fetchone()[0] / 1000

    @contextlib.contextmanager
    def atomic(self) -> Generator["Database", None, None]:
        """One write transaction (``BEGIN IMMEDIATE``); nested blocks are savepoints."""
        if self.refuse_writes is not None:
            raise type(self.refuse_writes)(str(self.refuse_writes))
        if self.conn.in_transaction:
            savepoint = f"sp_{secrets.token_hex(8)}"
            self.conn.execute(f"SAVEPOINT {savepoint}")
            try:
                yield self
            except BaseException:
                if self.conn.in_transaction:  # a RAISE(ROLLBACK) may have ended it already
                    self.conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                    self.conn.execute(f"RELEASE SAVEPOINT {savepoint}")
                raise
            else:
                self.conn.execute(f"RELEASE SAVEPOINT {savepoint}")
            return
        with self.named_errors():
            self.conn.execute("BEGIN IMMEDIATE")
        try:
            with self.named_errors():
                yield self
        except BaseException:
            self._rollback_quietly()
            raise
        try:
            with self.named_errors():
                self.conn.execute("COMMIT")
        except BaseException:
            self._rollback_quietly()
            raise

    _data_version: int | None = None

    def changed_elsewhere(self) -> bool:
        """True when another connection wrote to the file since the last call (``PRAGMA data_version``)."""
        version = self.conn.execute("PRAGMA data_version").fetchone()[0]
        before, self._data_version = self._data_version, version
        return before is not None and version != before

    def _rollback_quietly(self) -> None:
        try:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass  # the error that brought us here is the one to tell

    @contextlib.contextmanager
    def named_errors(self) -> Generator[None, None, None]:
        """Name any database error raised in the block (for writes outside ``atomic``)."""
        try:
            yield
        except sqlite3.Error as exc:
            named = errors.classify(exc, self.path)
            if named is exc:
                raise
            raise named from exc
