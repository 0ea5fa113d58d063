"""The PostgreSQL engine: a connection with the face of ``db.engine.Database``.

``PgDatabase`` offers what ``db/`` uses of sqlite-utils' ``Database``
(``execute``, ``query``, ``table(...)`` with insert, upsert, update, delete,
rows; ``atomic``; ``table_names``) over psycopg 3, each statement passed
through ``db.dialect.Postgres.translate``. Write transactions behave as
SQLite's ``BEGIN IMMEDIATE``: an advisory lock taken at their start makes a
second writer wait its turn (``lock_timeout``), so the audit chain, the case
codes and the monthly totals are written one desk after the other. Reads
run outside transactions and never wait.

Errors are named as on SQLite: a lock held too long is ``errors.Busy``, a
server that cannot be reached ``errors.ServerUnavailable``; a broken
constraint or a trigger's refusal arrives as ``sqlite3.IntegrityError`` and
any other database error as ``sqlite3.OperationalError``, so the code above
``db/`` has one vocabulary whatever the engine.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import secrets
import sqlite3
from collections.abc import Generator, Iterable

import psycopg
from psycopg import errors as pgerr
from psycopg.adapt import Loader

from db import errors
from db.dialect import POSTGRES

WRITE_LOCK = 0x4D6F74437561  # the advisory lock every write transaction takes ("MotCua")
OLDEST_SERVER = 140000  # PostgreSQL 14: the oldest version in support that the program's SQL is tested on


def version_text(number: int) -> str:
    """PostgreSQL's version number as people write it (150018 → "15.18")."""
    return f"{number // 10000}.{number % 10000}"


class _NumericLoader(Loader):
    """``sum`` of integers is ``numeric`` in PostgreSQL: give ints (and floats), never Decimals."""

    def load(self, data):
        value = decimal.Decimal(bytes(data).decode())
        return int(value) if value == value.to_integral_value() else float(value)


def _param(value):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _params(params):
    if params is None:
        return ()
    if isinstance(params, dict):
        return {k: _param(v) for k, v in params.items()}
    return [_param(v) for v in params]


def name_error(exc: BaseException, where: str) -> BaseException:
    """A psycopg error as the program knows it (see the module's text)."""
    if isinstance(exc, (pgerr.LockNotAvailable, pgerr.DeadlockDetected, pgerr.SerializationFailure)) or (
            isinstance(exc, pgerr.QueryCanceled) and "lock" in str(exc)):
        return errors.busy(where)
    if isinstance(exc, pgerr.DiskFull):
        return errors.disk_full(None, str(exc))
    if isinstance(exc, pgerr.InsufficientPrivilege):
        return errors.no_permission(where, str(exc).strip())
    if isinstance(exc, pgerr.ReadOnlySqlTransaction):
        return errors.read_only(where, str(exc).strip())
    if isinstance(exc, pgerr.UniqueViolation):  # worded as SQLite words it, which the code above knows
        return sqlite3.IntegrityError("UNIQUE constraint failed: " + str(exc).strip().splitlines()[0])
    if isinstance(exc, (pgerr.IntegrityError, pgerr.RaiseException)):
        return sqlite3.IntegrityError(str(exc).strip().splitlines()[0])
    if isinstance(exc, (psycopg.OperationalError, psycopg.InterfaceError)) and not isinstance(exc, pgerr.QueryCanceled):
        return errors.server_unavailable(where, str(exc).strip().splitlines()[0] if str(exc).strip() else "")
    if isinstance(exc, psycopg.Error):
        return sqlite3.OperationalError(str(exc).strip())
    return exc


class _Cursor:
    """A cursor whose statements are in the SQLite dialect."""

    def __init__(self, db: "PgDatabase"):
        self._db = db
        db.alive()
        self._cur = db.raw.cursor()

    def execute(self, sql: str, params=None):
        self._db._run(self._cur, sql, params)
        return self

    def executemany(self, sql: str, seq: Iterable):
        statements = POSTGRES.translate(sql)
        with self._db._named():
            for stmt in statements:
                self._cur.executemany(stmt, [_params(p) for p in seq])
        return self

    @property
    def lastrowid(self):
        """The id the last INSERT of this session was given (by an identity column), as SQLite's."""
        raw = self._db.raw
        inside = raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE
        with raw.cursor() as cur:
            if inside:
                cur.execute("SAVEPOINT motcua_lastrowid")
            try:
                cur.execute("SELECT lastval()")
                return cur.fetchone()[0]
            except psycopg.Error:
                if inside:
                    cur.execute("ROLLBACK TO SAVEPOINT motcua_lastrowid")
                return None
            finally:
                if inside:
                    cur.execute("RELEASE SAVEPOINT motcua_lastrowid")

    @property
    def description(self):
        return self._cur.description

    def fetchone(self):
        return self._cur.fetchone() if self._cur.description else None

    def fetchall(self):
        return self._cur.fetchall() if self._cur.description else []

    def fetchmany(self, size: int = 1000):
        return self._cur.fetchmany(size) if self._cur.description else []

    def __iter__(self):
        if self._cur.description:
            yield from self._cur


class _Conn:
    """What ``db/`` uses of a sqlite3 connection: execute, a cursor, in_transaction, close."""

    def __init__(self, db: "PgDatabase"):
        self._db = db

    def execute(self, sql: str, params=None):
        return self._db.execute(sql, params)

    def executemany(self, sql: str, seq):
        return _Cursor(self._db).executemany(sql, seq)

    def cursor(self):
        return _Cursor(self._db)

    @property
    def in_transaction(self) -> bool:
        status = self._db.raw.info.transaction_status
        return status in (psycopg.pq.TransactionStatus.INTRANS, psycopg.pq.TransactionStatus.INERROR,
                          psycopg.pq.TransactionStatus.ACTIVE)

    def close(self) -> None:
        self._db.raw.close()


class PgTable:
    """The part of sqlite-utils' ``Table`` that ``db/`` uses."""

    def __init__(self, db: "PgDatabase", name: str):
        self.db, self.name = db, name
        self.last_pk = None

    def exists(self) -> bool:
        return self.name in self.db.table_names()

    @property
    def columns_dict(self) -> dict[str, str]:
        return {r[0]: r[1] for r in self.db.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position", [self.name])}

    @property
    def pks(self) -> list[str]:
        return [r[0] for r in self.db.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
            "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = ?::regclass AND i.indisprimary", [self.name])]

    @property
    def count(self) -> int:
        return self.db.execute(f"SELECT count(*) FROM {self.name}").fetchone()[0]

    @property
    def rows(self):
        return self.db.query(f"SELECT * FROM {self.name}")

    def get(self, pk_value) -> dict:
        """The row of this id (sqlite-utils' ``Table.get``), ``NotFoundError`` when there is none."""
        from sqlite_utils.db import NotFoundError

        pk = (self.pks or ["id"])[0]
        cur = self.db.execute(f"SELECT * FROM {self.name} WHERE {pk} = ?", [pk_value])
        row = cur.fetchone()
        if row is None:
            raise NotFoundError
        return dict(zip([d[0] for d in cur.description], row))

    def rows_where(self, where: str | None = None, params=None, order_by: str | None = None):
        sql = f"SELECT * FROM {self.name}" + (f" WHERE {where}" if where else "")
        if order_by:
            sql += " ORDER BY " + ("id" if order_by == "rowid" else order_by)
        return self.db.query(sql, params)

    def create(self, columns: dict, pk: str | None = None) -> "PgTable":
        types = {int: "INTEGER", str: "TEXT", float: "DOUBLE PRECISION", bytes: "BYTEA"}
        cols = []
        for name, kind in columns.items():
            if name == pk and kind is int:
                cols.append(f"{name} INTEGER PRIMARY KEY")
            else:
                cols.append(f"{name} {types.get(kind, 'TEXT')}" + (" PRIMARY KEY" if name == pk else ""))
        self.db.execute(f"CREATE TABLE {self.name} ({', '.join(cols)})")
        return self

    def create_index(self, columns, index_name: str | None = None, unique: bool = False,
                     if_not_exists: bool = False) -> "PgTable":
        index_name = index_name or f"idx_{self.name}_{'_'.join(columns)}"
        self.db.execute(f"CREATE {'UNIQUE ' if unique else ''}INDEX {'IF NOT EXISTS ' if if_not_exists else ''}"
                        f"{index_name} ON {self.name} ({', '.join(columns)})")
        return self

    def enable_fts(self, *args, **kwargs) -> "PgTable":
        return self  # search folds the columns as it reads them (db.dialect.Postgres.search_match)

    def _has_id(self) -> bool:
        return self.db._has_id(self.name)

    def insert(self, record: dict, pk=None, ignore: bool = False, replace: bool = False, **_) -> "PgTable":
        cols = list(record)
        sql = f"INSERT INTO {self.name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
        if ignore:
            sql += " ON CONFLICT DO NOTHING"
        returning = self._has_id()
        if returning:
            sql += " RETURNING id"
        row = self.db.execute(sql, [record[c] for c in cols]).fetchone()
        self.last_pk = row[0] if returning and row else None
        return self

    def insert_all(self, records: Iterable[dict], pk=None, ignore: bool = False, **_) -> "PgTable":
        records = list(records)
        if not records:
            return self
        cols = list(records[0])
        sql = f"INSERT INTO {self.name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
        if ignore:
            sql += " ON CONFLICT DO NOTHING"
        self.db.conn.executemany(sql, [[r.get(c) for c in cols] for r in records])
        return self

    def upsert(self, record: dict, pk=None, **_) -> "PgTable":
        return self.upsert_all([record], pk=pk)

    def upsert_all(self, records: Iterable[dict], pk=None, **_) -> "PgTable":
        keys = [pk] if isinstance(pk, str) else list(pk or self.pks)
        for record in records:
            cols = list(record)
            rest = [c for c in cols if c not in keys]
            action = (f"DO UPDATE SET {', '.join(f'{c} = excluded.{c}' for c in rest)}" if rest else "DO NOTHING")
            self.db.execute(f"INSERT INTO {self.name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
                            f"ON CONFLICT ({', '.join(keys)}) {action}", [record[c] for c in cols])
        return self

    def update(self, pk_value, updates: dict | None = None, **_) -> "PgTable":
        if updates:
            sets = ", ".join(f"{c} = ?" for c in updates)
            self.db.execute(f"UPDATE {self.name} SET {sets} WHERE id = ?", [*updates.values(), pk_value])
        self.last_pk = pk_value
        return self

    def delete(self, pk_value) -> "PgTable":
        self.db.execute(f"DELETE FROM {self.name} WHERE id = ?", [pk_value])
        return self


class PgDatabase:
    """One connection to an office database on a PostgreSQL server."""

    dialect = POSTGRES
    path = None  # the URL, for messages
    refuse_writes: errors.StoreError | None = None

    def __init__(self, url: str, timeout: float, read_only: bool = False):
        self.url = url
        self.read_only = read_only  # every transaction of the session read-only (a roll-up's source)
        self.path = url
        self.conn = _Conn(self)
        self._ids: dict[str, bool] = {}
        self._timeout = timeout
        self._writing = False  # inside a write transaction: a lost connection is an error, never retried
        self._connect()

    def _connect(self) -> None:
        try:
            self.raw = psycopg.connect(self.url, autocommit=True, connect_timeout=max(2, int(self._timeout)))
        except psycopg.Error as exc:
            raise scrubbed(name_error(exc, where_of(self.url)), self.url) from None
        found = self.raw.info.server_version
        if found < OLDEST_SERVER:  # told before anything is read or written
            self.raw.close()
            raise errors.ServerTooOld(
                f"Máy chủ của cơ sở dữ liệu {where_of(self.url)} chạy PostgreSQL {version_text(found)}: Một Cửa cần "
                f"PostgreSQL {version_text(OLDEST_SERVER).split('.')[0]} trở lên. Chưa ghi gì vào máy chủ. Hãy cài "
                "PostgreSQL bản mới (14 đến 18) trên máy chủ, chuyển dữ liệu sang rồi kết nối lại.")
        self.raw.adapters.register_loader("numeric", _NumericLoader)
        if self.read_only:
            with self._named():
                self.raw.execute("SET default_transaction_read_only = on")
        self._ids.clear()
        self.set_busy_timeout(self._timeout)
        if self._listener is not None:
            self._own = str(self.raw.info.backend_pid)

    def alive(self) -> None:
        """Before a statement: a connection lost (the server restarted, the network came back) is made
        anew, unless a write transaction was under way — that one is lost whole and said so."""
        if not (self.raw.closed or self.raw.broken):
            return
        if self._writing:
            raise errors.server_unavailable(where_of(self.url), "mất kết nối giữa chừng; thay đổi này chưa được ghi")
        self._connect()

    # ---- statements ---------------------------------------------------------------------

    @contextlib.contextmanager
    def _named(self) -> Generator[None, None, None]:
        try:
            yield
        except psycopg.Error as exc:
            raise scrubbed(name_error(exc, where_of(self.url)), self.url) from None

    def _run(self, cur, sql: str, params=None):
        params = _params(params)
        with self._named():
            for stmt in POSTGRES.translate(sql):
                cur.execute(stmt, params)
        if sql.lstrip()[:6].upper() in ("CREATE", "ALTER ", "DROP T"):
            self._ids.clear()
        return cur

    def execute(self, sql: str, params=None) -> _Cursor:
        cur = _Cursor(self)
        try:
            self._run(cur._cur, sql, params)
        except errors.ServerUnavailable:
            if self._writing or not self.raw.broken:
                raise
            cur = _Cursor(self)  # a read on a connection cut meanwhile: once more on a new one
            self._run(cur._cur, sql, params)
        return cur

    def executescript(self, script: str) -> None:
        from db.dialect import _statements

        for stmt in _statements(script):
            self.execute(stmt)

    def query(self, sql: str, params=None):
        cur = self.execute(sql, params)
        if cur.description is None:
            return
        names = [d[0] for d in cur.description]
        for row in cur:
            yield dict(zip(names, row))

    def table(self, name: str) -> PgTable:
        return PgTable(self, name)

    __getitem__ = table

    def table_names(self) -> list[str]:
        return [r[0] for r in self.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
            "AND table_type = 'BASE TABLE' ORDER BY table_name")]

    def _has_id(self, table: str) -> bool:
        if table not in self._ids:
            self._ids[table] = self.execute(
                "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
                "AND table_name = ? AND column_name = 'id'", [table]).fetchone() is not None
        return self._ids[table]

    # ---- transactions -------------------------------------------------------------------

    def set_busy_timeout(self, seconds: float) -> None:
        self._timeout = seconds
        with self._named():
            self.raw.execute(f"SET lock_timeout = {int(seconds * 1000)}")

    @property
    def busy_timeout(self) -> float:
        return self._timeout

    @contextlib.contextmanager
    def atomic(self) -> Generator["PgDatabase", None, None]:
        """One write transaction; the write lock is taken at its start; nested blocks are savepoints."""
        if self.refuse_writes is not None:
            raise type(self.refuse_writes)(str(self.refuse_writes))
        if self.conn.in_transaction:
            savepoint = f"sp_{secrets.token_hex(8)}"
            with self._named():
                self.raw.execute(f"SAVEPOINT {savepoint}")
            try:
                yield self
            except BaseException:
                if self.conn.in_transaction:
                    with contextlib.suppress(psycopg.Error):
                        self.raw.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                        self.raw.execute(f"RELEASE SAVEPOINT {savepoint}")
                raise
            else:
                with self._named():
                    self.raw.execute(f"RELEASE SAVEPOINT {savepoint}")
            return
        self.alive()
        try:
            with self._named():
                self.raw.execute("BEGIN")
                self._writing = True
                self.raw.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK])
            yield self
            with self._named():
                POSTGRES.notify(self)
                self.raw.execute("COMMIT")
        except BaseException:
            self._rollback_quietly()
            raise
        finally:
            self._writing = False

    def _rollback_quietly(self) -> None:
        with contextlib.suppress(psycopg.Error):
            if not self.raw.broken and self.conn.in_transaction:
                self.raw.execute("ROLLBACK")

    @contextlib.contextmanager
    def named_errors(self) -> Generator[None, None, None]:
        with self._named():
            yield

    def ensure_prelude(self) -> None:
        """The compatibility functions of ``db.dialect``, once in a new database; its views when missing."""
        found = self.execute("SELECT to_regclass('motcua_schema') IS NOT NULL, "
                             "to_regclass('sqlite_master') IS NOT NULL").fetchone()
        if all(found):
            return
        with self.atomic():
            if self.execute("SELECT to_regclass('motcua_schema')").fetchone()[0] is None:
                for stmt in POSTGRES.prelude:
                    self.raw.execute(stmt)
            for stmt in POSTGRES.views:
                self.raw.execute(stmt)

    def other_sessions(self) -> list[str]:
        """The other connections to this database (other desks, commands, tools), each as
        "user (address)" as far as the server tells this role; this store's own are not counted."""
        mine = [self.raw.info.backend_pid]
        if self._listener is not None and not self._listener.closed:
            mine.append(self._listener.info.backend_pid)
        with self._named():
            rows = self.raw.execute(
                "SELECT coalesce(usename, '?'), host(client_addr) FROM pg_stat_activity "
                "WHERE datname = current_database() AND backend_type = 'client backend' "
                "AND NOT (pid = ANY(%s))", [mine]).fetchall()
        return [f"{user} ({addr})" if addr else str(user) for user, addr in rows]

    _listener = None

    def changed_elsewhere(self) -> bool:
        """True when another connection (another desk, a command) wrote since the last call:
        LISTEN/NOTIFY on a second connection, polled without waiting."""
        try:
            if self._listener is None:
                self._heard: list[str] = []
                self._listener = psycopg.connect(self.url, autocommit=True)
                self._listener.add_notify_handler(lambda n: self._heard.append(n.payload))
                self._listener.execute(f"LISTEN {POSTGRES.channel}")
                self._own = str(self.raw.info.backend_pid)
                return False
            self._listener.execute("SELECT 1")  # one round trip delivers what was notified meanwhile
            heard, self._heard[:] = list(self._heard), []
            return any(pid != self._own for pid in heard)
        except psycopg.Error as exc:
            if self._listener is not None:
                with contextlib.suppress(psycopg.Error):
                    self._listener.close()
                self._listener = None
            raise scrubbed(name_error(exc, where_of(self.url)), self.url) from None

    def close(self) -> None:
        if self._listener is not None:
            with contextlib.suppress(psycopg.Error):
                self._listener.close()
        self.raw.close()


def where_of(url: str) -> str:
    """The server and database of a URL, without a password, for messages."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.Error:
        return "máy chủ dữ liệu"
    host = info.get("host") or "localhost"
    if str(host).startswith("/"):
        host = "máy này"
    return f"{info.get('dbname') or ''} trên máy chủ {host}".strip()


def without_password(url: str) -> str:
    """The URL as people may see it: the same connection without its password (``user:SECRET@`` and
    ``password=SECRET`` taken out)."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
    except ValueError:
        return "postgresql://…"
    netloc = parts.netloc
    if "@" in netloc:
        user, _, host = netloc.rpartition("@")
        netloc = f"{user.split(':', 1)[0]}@{host}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() != "password"]
    return urlunsplit((parts.scheme, netloc, parts.path, urlencode(query, safe="/:"), parts.fragment))


def password_of(url: str) -> str | None:
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.Error:
        return None
    return info.get("password") or None


def scrubbed(exc: BaseException, url: str) -> BaseException:
    """The same error with the URL's password, should its text hold it, taken out."""
    secret = password_of(url)
    text = str(exc)
    if not secret or secret not in text:
        return exc
    try:
        return type(exc)(text.replace(secret, "***"))
    except TypeError:
        return errors.StoreError(text.replace(secret, "***"))
