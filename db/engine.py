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
from db.dialect import SQLITE

# seconds a writer waits for another to finish before "đang bận" (MOTCUA_BUSY_TIMEOUT to change it)
BUSY_TIMEOUT = float(os.environ.get("MOTCUA_BUSY_TIMEOUT") or 10.0)


def connect(path: str | Path, timeout: float = BUSY_TIMEOUT) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=timeout)
    conn.execute("PRAGMA foreign_keys = ON")
    from core.domain import vnsort

    conn.create_collation("vi", vnsort.compare)  # ORDER BY name COLLATE vi: Đỗ before Vũ
    return conn


class _Transactions:
    """What the program's database adds to sqlite-utils': immediate write transactions, named errors."""

    conn: sqlite3.Connection

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


_utils_class = None


def _utils(outer: "Database"):
    """sqlite-utils' ``Database`` over the same connection, with the program's transactions; its class is
    made (and sqlite-utils imported, without numpy: ``db.lite``) the first time anything needs it."""
    global _utils_class
    if _utils_class is None:
        from db.lite import sqlite_utils

        class Utils(_Transactions, sqlite_utils.Database):
            def __init__(self, outer):
                super().__init__(outer.conn, execute_plugins=False)
                self._outer = outer
                self.dialect = outer.dialect

            @property
            def refuse_writes(self):
                return self._outer.refuse_writes

            @property
            def path(self):
                return self._outer.path

        _utils_class = Utils
    return _utils_class(outer)


class Database(_Transactions):
    """sqlite-utils' database whose write transactions are immediate and whose errors are named.

    The read path (``execute``, ``query``, ``atomic``) is the connection's own; anything else (``table``,
    ``table_names``…: the writes and the migrations) is sqlite-utils', on the same connection, whose
    import (about 0,1 s with click, dateutil, pluggy) waits until a command needs it: ``indicators``
    never does."""

    dialect = SQLITE  # what differs from the other engine (db.dialect)
    path: Path | None = None
    refuse_writes: errors.StoreError | None = None  # set for a file this version must not write

    def __init__(self, conn: sqlite3.Connection, execute_plugins: bool = False):
        self.conn = conn
        self._utils = None

    def execute(self, sql: str, parameters=None) -> sqlite3.Cursor:
        """As sqlite-utils' ``Database.execute``."""
        if parameters is not None:
            return self.conn.execute(sql, parameters)
        return self.conn.execute(sql)

    def query(self, sql: str, params=None) -> Generator[dict, None, None]:
        """As sqlite-utils' ``Database.query``: each row as a dict."""
        cursor = self.execute(sql, params or tuple())
        keys = [d[0] for d in cursor.description]
        for row in cursor:
            yield dict(zip(keys, row))

    def close(self) -> None:
        self.conn.close()

    @property
    def utils(self):
        if self._utils is None:
            self._utils = _utils(self)
        return self._utils

    def __getattr__(self, name: str):  # only for what is not defined here: sqlite-utils' own
        if name.startswith("__") or name in ("_utils", "conn"):
            raise AttributeError(name)
        return getattr(self.utils, name)

    def __getitem__(self, table_name: str):
        return self.utils[table_name]

    _data_version: int | None = None

    def changed_elsewhere(self) -> bool:
        """True when another connection wrote to the file since the last call (``PRAGMA data_version``)."""
        version = self.conn.execute("PRAGMA data_version").fetchone()[0]
        before, self._data_version = self._data_version, version
        return before is not None and version != before

