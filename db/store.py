"""The one facade over the database: every SQL statement of the program lives in ``db/``.

Build one ``Store`` in ``main.py`` and hand it to the command line or the
window. A sqlite3 connection belongs to the thread that opened it.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import hashlib
import shutil
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

from core.domain.cases import EARLIEST, nfc
from core.domain.events import paused_due
from core.domain.periods import last_day
from db import errors
from db.audit import HASHED, RIGHTS, ROLE_NAMES, AuditLog, PermissionDenied, is_preference, lane_int, values_hash
from db.dialect import is_url
from db.engine import BUSY_TIMEOUT, Database, connect
from db.errors import StoreError  # noqa: F401  (importable from here, as before)
from db.evaluations import Evaluations
from db.events import ON_TIME_766_SQL, PAUSED_766_SQL, CaseEvents, late_on
from db.imports import Imports, check_dates
from db.ledger import ensure_ledger_triggers
from db.migrations import APPLICATION_ID, SCHEMA_VERSION, migrations
from db.register import EVENT_COLUMNS, EVENT_DEFAULTS, CaseRegister
from db.reports import IssuedReports
from db.rollup import RollupMemory
from db.service_index import ServiceIndexStore
from db.stats import RECEIVED_STATS, RESOLVED_STATS, add_stats_of_new_cases
from db.users import Users


class FileInUse(StoreError):
    """Another program (another desk, another window) has the database open."""


BULK_TRIGGERS = ("cases_ai", "cases_stats_insert", "cases_ledger_insert")  # per-row upkeep a bulk insert does in one pass


def _filters(start: dt.date, end: dt.date, officer_id: int | None, field_id: int | None) -> tuple[str, dict]:
    """The SQL conditions and parameters of a period with an optional officer and field."""
    filters = ""
    params: dict = {"start": start.isoformat(), "end": end.isoformat()}
    if officer_id is not None:
        filters += " AND officer_id = :officer"
        params["officer"] = officer_id
    if field_id == 0:  # the cases without a field (as the monthly totals keep them)
        filters += " AND field_id IS NULL"
    elif field_id is not None:
        filters += " AND field_id = :field"
        params["field"] = field_id
    return filters, params


def make_private(path: str | Path) -> None:
    """Readable and writable by the owner only, where the system has such permissions."""
    import os

    try:
        os.chmod(path, 0o600)
    except OSError:  # a file system without POSIX permissions
        pass


def _create_private(path: Path) -> None:
    """Create an empty file readable by its owner only (SQLite gives its -wal and -shm the same)."""
    import os

    if str(path) == ":memory:" or path.exists():
        return
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except OSError:  # it exists, or cannot be made here: SQLite says why when it tries
        pass


def _iso(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def _connect(path: str | Path) -> sqlite3.Connection:
    return connect(path)


def _when_free(step, timeout: float | None = None):
    """Run ``step`` again while SQLite says "locked" without having waited: a file that another
    process is turning to WAL (two desks opening a new shared file at once, a slow disk) is
    refused at once, not after the busy timeout; the wait is the busy timeout's all the same."""
    import time

    deadline = time.monotonic() + (BUSY_TIMEOUT if timeout is None else timeout)
    while True:
        try:
            return step()
        except sqlite3.OperationalError as exc:
            code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
            if code not in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)



def _flag(value) -> int | None:
    """A yes/no value as stored: 0, 1, or NULL when unknown (issue 24: unknown is not no)."""
    return None if value is None else int(value)

class Store:
    """The database and its queries. Being composed of parts, as Anki's collection is (``col.decks``), each
    part a class of its own file holding the store: ``store.cases`` (db/register.py), ``store.events``
    (db/events.py), ``store.evaluations`` (db/evaluations.py), ``store.users`` (db/users.py),
    ``store.imports`` (db/imports.py), ``store.audit`` (db/audit.py), ``store.index`` (db/service_index.py),
    ``store.issued`` (db/reports.py) and ``store.rollup`` (db/rollup.py). The Store itself keeps the
    connection, who is writing (``sign_in_as``, ``can``), the catalogues, settings and the counts."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None):
        self.path = path
        self.db = Database(conn)  # sqlite-utils loaded when first needed, without its plugins' 60 ms scan
        self.db.path = path
        self._compose()

    def _compose(self) -> None:
        self.cases = CaseRegister(self)
        self.events = CaseEvents(self)
        self.evaluations = Evaluations(self)
        self.users = Users(self)
        self.imports = Imports(self)
        self.audit = AuditLog(self)
        self.index = ServiceIndexStore(self)
        self.issued = IssuedReports(self)
        self.rollup = RollupMemory(self)

    # ---- opening -------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, migrate: bool = True) -> "Store":
        """Open (or create) a database file and bring its schema up to date.

        Before an existing file is upgraded a copy of it is taken beside it
        (``NAME.before-vN-YYYYmmdd-HHMMSS.bak``).
        """
        if is_url(path):
            return cls._open_server(path, migrate=migrate)
        path = Path(path)
        try:
            existed = path.exists() and path.stat().st_size > 0
            if path.parent and not path.parent.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise errors.classify(exc, path) from None
        conn = None

        def settle() -> tuple[int, bool]:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            if existed:
                _refuse_foreign(conn, path)
            found = conn.execute("PRAGMA user_version").fetchone()[0]
            newer = found > SCHEMA_VERSION
            if newer:  # made by a newer version: read it, write nothing, not even the journal mode
                conn.execute("PRAGMA query_only = ON")
            else:
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            return found, newer

        try:
            _create_private(path)
            conn = _connect(path)
            found, newer = _when_free(settle)
        except sqlite3.Error as exc:
            if conn is not None:
                conn.close()
            named = errors.classify(exc, path)
            if named is exc:
                named = errors.damaged(path, str(exc))
            if isinstance(named, errors.ReadOnly) and existed:
                return cls._open_read_only(path, named)  # a read-only disk or folder: show it, write nothing
            raise named from None
        store = cls(conn, path)
        if newer:
            store.db.refuse_writes = errors.newer_version(path, found, SCHEMA_VERSION)
        elif migrate:
            try:
                store._migrate(existed)
            except BaseException:
                conn.close()
                raise
        return store

    @classmethod
    def _open_server(cls, url: str, *, migrate: bool = True) -> "Store":
        """Open an office database on a PostgreSQL server (``postgresql://USER@HOST/NAME``)."""
        from db.pg import PgDatabase

        db = PgDatabase(url, BUSY_TIMEOUT)
        store = cls.__new__(cls)
        store.path, store.db = url, db
        store._compose()
        try:
            db.ensure_prelude()
            found = store.schema_version
            if found > SCHEMA_VERSION:
                db.refuse_writes = errors.newer_version(url, found, SCHEMA_VERSION)
            elif migrate:
                store._migrate(found > 0)
        except BaseException:
            db.close()
            raise
        return store

    @property
    def local_file(self) -> Path | None:
        """The database's file on this PC, or None for a server's database."""
        return self.path if isinstance(self.path, Path) else None

    @property
    def where(self) -> str:
        """Where the data is, for people: the file, or the database and its server (no password)."""
        if self.local_file is not None or self.path is None:
            return str(self.path or "bộ nhớ")
        from db.pg import where_of

        return where_of(self.path)

    @property
    def engine(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.db.dialect.name

    @classmethod
    def _open_read_only(cls, path: Path, why: errors.StoreError) -> "Store":
        """Open a file that cannot be written for reading only; every write says ``why``."""
        for query in ("mode=ro", "mode=ro&immutable=1"):
            try:
                conn = sqlite3.connect(f"{path.absolute().as_uri()}?{query}", uri=True, isolation_level=None)
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                break
            except sqlite3.Error:
                conn.close()
        else:
            raise why
        store = cls(conn, path)
        store.db.refuse_writes = why
        return store

    @property
    def read_only_reason(self) -> str | None:
        """Why this file may only be read (made by a newer version), or None."""
        return None if self.db.refuse_writes is None else str(self.db.refuse_writes)

    @classmethod
    def memory(cls) -> "Store":
        store = cls(_connect(":memory:"), None)
        store._migrate(False)
        return store

    def _migrate(self, existed: bool) -> None:
        pending = migrations.pending(self.db)
        if not pending:
            return
        from db.lite import load

        load()  # sqlite-utils (its migrations apply them) without numpy, before anything imports it
        if existed and self.path is not None and self.db.table_names():
            from db import backups

            try:
                self.backup(backups.special_name(self.path, f"before-migration-v{self.schema_version}"))
            except OSError as exc:
                raise errors.classify(exc) from None
        before = self.schema_version
        with self.db.atomic():  # under the write lock: another process may be migrating the same file
            if migrations.pending(self.db):
                migrations.apply(self.db)
                self.db.dialect.reset_ids(self.db, self.db.table_names())  # a table rebuilt keeps its ids
                ensure_ledger_triggers(self.db)  # a migration that rebuilt the cases table dropped them
                # the state after the upgrade, recorded: later changes behind the program's back show
                self.audit.record("upgrade", "database", "", {"schema": before}, {"schema": SCHEMA_VERSION})
            self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def database_id(self) -> str | None:
        row = self.db.execute("SELECT database_id FROM database_identity").fetchone()
        return row[0] if row else None

    @property
    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def changed_elsewhere(self) -> bool:
        """True when another desk or a command wrote since the last call: cheap enough to poll every
        second or two (SQLite: ``PRAGMA data_version``; PostgreSQL: LISTEN/NOTIFY)."""
        return self.db.changed_elsewhere()

    def close(self) -> None:
        if self.engine != "sqlite":
            self.db.close()
            return
        self.db.conn.close()

    def data_version(self) -> int:
        """A number that changes when another connection (another desk, an import) commits to the file."""
        return self.db.execute("PRAGMA data_version").fetchone()[0]

    # ---- settings and reference data ----------------------------------------------------

    def settings(self) -> dict[str, str]:
        return {row["key"]: row["value"] for row in self.db.table("settings").rows}

    def set_settings(self, values: dict[str, str]) -> None:
        self._require("settings")
        with self.db.atomic():
            before = {k: v for k, v in self.settings().items() if k in values}
            self.db.table("settings").upsert_all(
                [{"key": k, "value": v} for k, v in values.items()], pk="key")
            self.audit.record("update", "settings", "", before, values)

    def remember(self, key: str, value: str) -> None:
        """A preference of the window (the last officer chosen): anyone may keep one, nothing else."""
        if not is_preference(key):
            raise PermissionDenied(f"{key} không phải một lựa chọn của cửa sổ: sửa trong Thông tin cơ quan.")
        with self.db.atomic():
            self.db.table("settings").upsert({"key": key, "value": value}, pk="key")

    def calendar_days(self) -> tuple[list[dt.date], list[dt.date]]:
        """The office's own days off and working days, on top of the public holidays."""
        off, work = [], []
        for day, kind in self.db.execute("SELECT day, kind FROM calendar_days"):
            (off if kind == "off" else work).append(dt.date.fromisoformat(day))
        return off, work

    def fields(self) -> list[dict]:
        return list(self.db.query("SELECT id, name FROM fields ORDER BY name COLLATE vi"))

    def officers(self, active_only: bool = False) -> list[dict]:
        sql = "SELECT id, name, position, fields, active FROM officers"
        if active_only:
            sql += " WHERE active = 1"
        return list(self.db.query(sql + " ORDER BY name COLLATE vi"))

    def procedure_exists(self, name: str) -> bool:
        return self.db.execute("SELECT 1 FROM procedures WHERE name = ?", [nfc(name)]).fetchone() is not None

    def procedures(self) -> list[dict]:
        return list(self.db.query(
            "SELECT p.id, p.name, p.field_id, f.name AS field, p.processing_days, "
            "CASE WHEN p.fee_known = 0 THEN NULL ELSE p.has_fee END AS has_fee "  # None: nobody has said (m021)
            "FROM procedures p LEFT JOIN fields f ON f.id = p.field_id ORDER BY p.name COLLATE vi"))

    def officer_id(self, name: str) -> int | None:
        row = self.db.execute("SELECT id FROM officers WHERE name = ?", [nfc(name)]).fetchone()
        return row[0] if row else None

    def field_id(self, name: str) -> int | None:
        row = self.db.execute("SELECT id FROM fields WHERE name = ?", [nfc(name)]).fetchone()
        return row[0] if row else None

    def add_officer(self, name: str, position: str = "", fields: str = "") -> int:
        self._require("catalogues")
        name = nfc(name)
        with self.db.atomic():
            officer_id = self._insert_officer(name, position, fields)
            self.audit.record("create", "officer", officer_id, None, {"name": name, "position": position})
        return officer_id

    def _insert_officer(self, name: str, position: str = "", fields: str = "") -> int:
        return self.db.table("officers").insert(
            {"name": nfc(name), "position": position, "fields": fields}).last_pk

    def _ensure_field(self, name: str | None) -> int | None:
        name = nfc(name)
        if not name:
            return None
        return self.field_id(name) or self.db.table("fields").insert({"name": name}).last_pk

    def add_procedures(self, rows: Iterable[dict]) -> None:
        """Add procedures (name, field, processing_days, has_fee) not yet known by name."""
        self._require("catalogues")
        with self.db.atomic():
            for row in rows:
                self._ensure_procedure(row["name"], row.get("field"), row.get("processing_days"),
                                       row.get("has_fee", 0))

    def _ensure_procedure(self, name: str, field: str | None, days: int | None, has_fee: int | None) -> int:
        """The id of a procedure, added to the catalogue when new; ``has_fee`` None: its fee unknown
        (a file without a fee column), kept unknown (``fee_known = 0``), never "no fee"."""
        name = nfc(name)
        row = self.db.execute("SELECT id FROM procedures WHERE name = ?", [name]).fetchone()
        if row:
            return row[0]
        return self.db.table("procedures").insert({
            "name": name, "field_id": self._ensure_field(field), "processing_days": days,
            "has_fee": int(bool(has_fee)), "fee_known": int(has_fee is not None)}).last_pk

    def update_officer(self, officer_id: int, values: dict) -> None:
        self._require("catalogues")
        if "name" in values:
            values = {**values, "name": nfc(values["name"])}
        with self.db.atomic():
            current = self.db.table("officers").get(officer_id)
            self.db.table("officers").update(officer_id, values)
            self.audit.record("update", "officer", officer_id, {k: current.get(k) for k in values}, values)

    def add_procedure(self, name: str, field: str | None, processing_days: int | None, has_fee: int) -> int:
        self._require("catalogues")
        with self.db.atomic():
            procedure_id = self._ensure_procedure(name, field, processing_days, has_fee)
            self.audit.record("create", "procedure", procedure_id, None,
                              {"name": name, "field": field, "processing_days": processing_days, "has_fee": has_fee})
            return procedure_id

    def update_procedure(self, procedure_id: int, values: dict) -> None:
        self._require("catalogues")
        values = dict(values)
        if "name" in values:
            values["name"] = nfc(values["name"])
        after = dict(values)
        with self.db.atomic():
            row = self.db.execute(
                "SELECT p.name, f.name AS field, p.processing_days, "
                "CASE WHEN p.fee_known = 0 THEN NULL ELSE p.has_fee END FROM procedures p "
                "LEFT JOIN fields f ON f.id = p.field_id WHERE p.id = ?", [procedure_id]).fetchone()
            current = dict(zip(("name", "field", "processing_days", "has_fee"), row or ()))
            if "field" in values:
                values["field_id"] = self._ensure_field(values.pop("field"))
            if values.get("has_fee") is not None:
                values["fee_known"] = 1  # said by a person now
            self.db.table("procedures").update(procedure_id, values)
            self.audit.record("update", "procedure", procedure_id, {k: current.get(k) for k in after}, after)

    # ---- targets -------------------------------------------------------------------------

    def target(self, indicator: str, on: dt.date) -> float | None:
        """The target in force on a date: the newest one set from that date or before."""
        row = self.db.execute(
            "SELECT value FROM targets WHERE indicator = ? AND valid_from <= ? "
            "ORDER BY valid_from DESC LIMIT 1", [indicator, on.isoformat()]).fetchone()
        return row[0] if row else None

    def set_target(self, indicator: str, valid_from: dt.date, value: float) -> None:
        self._require("targets")
        with self.db.atomic():
            row = self.db.execute("SELECT value FROM targets WHERE indicator = ? AND valid_from = ?",
                                  [indicator, valid_from.isoformat()]).fetchone()
            self.db.table("targets").upsert(
                {"indicator": indicator, "valid_from": valid_from.isoformat(), "value": float(value)},
                pk=("indicator", "valid_from"))
            self.audit.record("set", "target", f"{indicator}@{valid_from.isoformat()}",
                              None if row is None else {"value": row[0]}, {"value": float(value)})

    def delete_target(self, target_id: int) -> None:
        self._require("targets")
        with self.db.atomic():
            row = self.db.execute("SELECT indicator, valid_from, value FROM targets WHERE id = ?",
                                  [target_id]).fetchone()
            self.db.table("targets").delete(target_id)
            self.audit.record("delete", "target", f"{row[0]}@{row[1]}", {"value": row[2]}, None)

    def targets(self) -> list[dict]:
        return list(self.db.query(
            "SELECT id, indicator, valid_from, value FROM targets ORDER BY indicator, valid_from"))

    # ---- cases ---------------------------------------------------------------------------

    def _last_case_id(self) -> int:
        """The highest case id ever given (deleted cases included)."""
        return self.db.execute("SELECT max((SELECT last_id FROM case_ledger), "
                               "(SELECT coalesce(max(id), 0) FROM cases))").fetchone()[0]

    def case_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM cases").fetchone()[0]

    def existing_codes(self, codes: Iterable[str]) -> set[str]:
        found: set[str] = set()
        codes = list(codes)
        for i in range(0, len(codes), 900):
            chunk = codes[i:i + 900]
            marks = ",".join("?" * len(chunk))
            found.update(r[0] for r in self.db.execute(
                f"SELECT code FROM cases WHERE code IN ({marks})", chunk))
        return found

    def insert_cases(self, cases: Iterable[dict], batch_size: int = 2000) -> int:
        """Insert cases named by officer, procedure and field; all or nothing.

        Each dict has the case-file keys (``officer``, ``procedure`` and
        ``field`` as names, dates as ``datetime.date``, ``channel`` as 1/2/3).
        Unknown officers, procedures and fields are created in the same
        transaction.
        """
        self._require("cases")
        today = dt.date.today()
        latest = last_day(today)  # the end of next year: no due date beyond it (core.domain.periods)
        officers: dict[str, int] = {}
        procedures: dict[str, int] = {}
        fields: dict[str, int | None] = {}
        n = 0
        digest = hashlib.sha256()
        columns = ("id", *HASHED, *EVENT_COLUMNS, "paused_due", "row_hash")
        calendar = None
        lanes = [0, 0]
        with self.db.atomic():
            # Row-by-row triggers would cost more than the insert itself: inside this transaction
            # they are set aside and the search index and monthly totals updated in one pass each.
            first_id = self._last_case_id()  # ids are never given twice, even after a deletion
            set_aside = self.db.dialect.triggers_set_aside(self.db, BULK_TRIGGERS)
            set_aside.__enter__()

            def rows() -> Iterator[tuple]:
                nonlocal n
                for c in cases:
                    name = c["officer"]
                    if name not in officers:
                        officers[name] = self.officer_id(name) or self._insert_officer(name)
                    field = c.get("field") or None
                    if field not in fields:
                        fields[field] = self._ensure_field(field)
                    proc = c["procedure"]
                    if proc not in procedures:
                        procedures[proc] = self._ensure_procedure(
                            proc, field, c.get("processing_days"), c.get("has_fee"))
                    n += 1
                    resolved = c.get("resolved_date")
                    if not (EARLIEST <= c["received_date"] <= today) or (
                            resolved is not None and not EARLIEST <= resolved <= today) or not (
                            c["received_date"] <= c["due_date"] <= latest):
                        check_dates(c, today)  # the one date rule (core.domain.cases), named by code
                    days = c.get("processing_days")
                    # in HASHED order, as SQLite will return them: ints, strings, None
                    values = (
                        c["code"], procedures[proc], fields[field], nfc(c.get("applicant")), officers[name],
                        c["received_date"].isoformat(), c["due_date"].isoformat(),
                        None if days is None else int(days), int(c["channel"]), _flag(c.get("digitized")),
                        resolved.isoformat() if resolved else None, _flag(c.get("result_digitized", 0)),
                        _flag(c.get("has_fee", 0)), _flag(c.get("paid_online", 0)), _flag(c.get("e_certified", 0)),
                        c.get("status") or None, c.get("received_time") or None, "",
                    )
                    extra = tuple(_iso(c.get(k, d)) for k, d in zip(EVENT_COLUMNS, EVENT_DEFAULTS))
                    due_later = c.get("paused_due")
                    if due_later is None and extra[3]:
                        nonlocal calendar
                        calendar = calendar or self.work_calendar()
                        due_later = paused_due(c["due_date"], extra[3], calendar)
                    row_hash = values_hash((*values, *extra))
                    digest.update(row_hash.encode())
                    lanes[0] += lane_int(row_hash, 0)
                    lanes[1] += lane_int(row_hash, 1)
                    yield (first_id + n, *values, *extra, _iso(due_later), row_hash)

            # one prepared statement: sqlite-utils' insert_all spends most of its time on each value
            self.db.dialect.bulk_insert(self.db, "cases", columns, rows(), batch_size)
            self.db.dialect.rebuild_search(self.db, first_id)
            add_stats_of_new_cases(self.db, first_id)
            self.db.execute("UPDATE case_ledger SET n = n + ?, a = a + ?, b = b + ?, last_id = max(last_id, ?)",
                            [n, lanes[0], lanes[1], first_id + n])
            set_aside.__exit__(None, None, None)
            if n:
                self.audit.record("import", "cases", "", None, {"count": n, "digest": digest.hexdigest()})
        if n >= 10000:
            self.db.dialect.after_bulk(self.db)
        return n

    _EXPORT_SQL = """
        SELECT c.code, p.name AS procedure, f.name AS field, c.applicant, o.name AS officer,
               c.received_date, c.due_date, c.processing_days, c.channel, c.digitized,
               c.resolved_date, c.result_digitized, c.has_fee, c.paid_online, c.e_certified,
               c.status, c.received_time, c.supplement_requested, c.supplement_returned, c.supplement_count,
               c.paused_days, c.new_due_date, c.satisfaction
        FROM cases c
        JOIN procedures p ON p.id = c.procedure_id
        JOIN officers o ON o.id = c.officer_id
        LEFT JOIN fields f ON f.id = c.field_id
        ORDER BY c.id"""

    def export_rows(self) -> Iterator[dict]:
        return self.db.query(self._EXPORT_SQL)

    # ---- indicators ----------------------------------------------------------------------

    _RECEIVED_SQL = """
        SELECT count(*) AS received,
               coalesce(sum(channel = 1), 0) AS direct,
               coalesce(sum(channel = 2), 0) AS online,
               coalesce(sum(channel = 3), 0) AS postal,
               coalesce(sum(digitized), 0) AS digitized,
               coalesce(sum(has_fee), 0) AS with_fee,
               coalesce(sum(has_fee * paid_online), 0) AS paid_online,
               coalesce(sum(e_certified), 0) AS e_certified,
               coalesce(sum(status IS 'withdrawn'), 0) AS withdrawn,
               coalesce(sum(digitized IS NULL), 0) AS digitized_unknown,
               coalesce(sum(has_fee IS NULL), 0) AS fee_unknown,
               coalesce(sum(coalesce(has_fee, 0) = 1 AND paid_online IS NULL), 0) AS paid_unknown,
               coalesce(sum(e_certified IS NULL), 0) AS ecert_unknown
        FROM cases INDEXED BY cases_received
        WHERE received_date BETWEEN :start AND :end {filters}"""

    # withdrawn cases have no result: they stay out of the resolution side
    _RESOLVED_SQL = """
        SELECT count(*) AS resolved,
               coalesce(sum(result_digitized), 0) AS result_digitized,
               coalesce(sum(resolved_date < due_date), 0) AS resolved_early,
               coalesce(sum(resolved_date = due_date), 0) AS resolved_on_due,
               coalesce(sum(resolved_date > due_date), 0) AS resolved_late,
               coalesce(sum(result_digitized IS NULL), 0) AS result_unknown
        FROM cases INDEXED BY cases_resolved
        WHERE resolved_date BETWEEN :start AND :end AND status IS NULL {filters}"""

    # Open on a day D: received by D, not withdrawn, not resolved by D. Those still open
    # today come from a small partial index; those resolved after D were received at most
    # the longest resolution time ever seen before D, so only that window is scanned.
    _OPEN_SQL = """
        SELECT (SELECT count(*) FROM cases INDEXED BY cases_open
                WHERE resolved_date IS NULL AND status IS NULL
                  AND received_date <= :day AND due_date < :judged AND {late} {filters}) +
               (SELECT count(*) FROM cases INDEXED BY cases_received
                WHERE received_date BETWEEN :window AND :day AND resolved_date > :day
                  AND status IS NOT 'withdrawn' AND due_date < :judged AND {late} {filters})"""

    def _monthly_totals(self, start: dt.date, end: dt.date, officer_id: int | None,
                        field_id: int | None) -> dict[str, int] | None:
        """The receipt- and resolution-side counts of a period of whole months, summed from the monthly
        totals the triggers keep (m008: the same columns and expressions as ``_RECEIVED_SQL`` and
        ``_RESOLVED_SQL``), instead of counting a year's cases twice; None for any other period, or
        a database without the totals (a unit's older file read by the roll-up)."""
        if start.day != 1 or (end + dt.timedelta(days=1)).day != 1 or end < start:
            return None
        if getattr(self, "_has_totals", None) is None:
            self._has_totals = bool(list(self.db.execute("PRAGMA table_info(stats_received)")))
        if not self._has_totals:
            return None
        where, params = "month BETWEEN :first AND :last", {"first": start.strftime("%Y-%m"),
                                                           "last": end.strftime("%Y-%m")}
        if officer_id is not None:
            where += " AND officer_id = :officer"
            params["officer"] = officer_id
        if field_id is not None:  # 0: the cases without a field, as the totals keep them
            where += " AND field_id = :field"
            params["field"] = field_id
        out: dict[str, int] = {}
        for table, columns in (("stats_received", RECEIVED_STATS), ("stats_resolved", RESOLVED_STATS)):
            have = self._table_columns(table)  # a unit's older file read as it is: no unknown values in it
            names = [c for c, _ in columns if c in have]
            row = self.db.execute(f"SELECT {', '.join(f'coalesce(sum({c}), 0)' for c in names)} FROM {table} "
                                  f"WHERE {where}", params).fetchone()
            out.update(zip(names, (int(v) for v in row)))
        return out

    # refused and stopped cases end on their resolved_date, outside 'resolved'
    _ENDED_SQL = """
        SELECT coalesce(sum(status = 'refused'), 0) AS refused,
               coalesce(sum(status = 'stopped'), 0) AS stopped
        FROM cases INDEXED BY cases_ended
        WHERE resolved_date BETWEEN :start AND :end AND status IN ('refused', 'stopped') {filters}"""

    # open at the end of a day with a supplement request still unanswered: those still open today from
    # the small partial index of open cases; those resolved (or refused, stopped: they always have a
    # resolved_date) after the day were received at most the longest resolution time before it, so only
    # that window of receipts is read, off its covering index (not every supplement request ever made)
    _PENDING_SQL = """
        SELECT (SELECT count(*) FROM cases INDEXED BY cases_open
                WHERE resolved_date IS NULL AND status IS NULL AND received_date <= :day
                  AND supplement_requested <= :day
                  AND (supplement_returned IS NULL OR supplement_returned > :day) {filters}) +
               (SELECT count(*) FROM cases INDEXED BY cases_received
                WHERE received_date BETWEEN :window AND :day AND resolved_date > :day
                  AND status IS NOT 'withdrawn' AND supplement_requested <= :day
                  AND (supplement_returned IS NULL OR supplement_returned > :day) {filters})"""

    _LONGEST_SQL = "SELECT max(julianday(resolved_date) - julianday(received_date)) FROM cases"

    def _longest(self) -> int:
        """The longest resolution ever seen in days, bounded: a date typed as 31/12/9999 behind the
        program's back must not push a window before year 1."""
        return min(int(self.db.execute(self._LONGEST_SQL).fetchone()[0] or 0), 36600)

    def _late_on(self, day: str, judged: str, prefix: str = "") -> str:
        """``db.events.late_on``; a unit's database of an older schema, read as it is by the
        roll-up, has no paused time: its due date alone decides."""
        if getattr(self, "_has_life", None) is None:
            self._has_life = "paused_due" in {r[1] for r in self.db.execute("PRAGMA table_info(cases)")}
        return late_on(day, judged, prefix) if self._has_life else "1 = 1"

    def _pending_on(self, day: dt.date, filters: str, params: dict, longest: int) -> int:
        window = (day - dt.timedelta(days=longest)).isoformat()
        return self.db.execute(self._PENDING_SQL.format(filters=filters),
                               {**params, "day": day.isoformat(), "window": window}).fetchone()[0]

    def _open_on(self, day: dt.date, judged: str, filters: str, params: dict, longest: int) -> int:
        window = (day - dt.timedelta(days=longest)).isoformat()
        late = "1 = 1" if judged == "9999-12-31" else self._late_on(":day", ":judged")
        return self.db.execute(self._OPEN_SQL.format(filters=filters, late=late),
                               {**params, "day": day.isoformat(), "judged": judged,
                                "window": window}).fetchone()[0]

    def indicator_counts(self, start: dt.date, end: dt.date, *, officer_id: int | None = None,
                         field_id: int | None = None, today: dt.date | None = None) -> dict[str, int]:
        """Every count the indicators need for one period, aggregated in SQL.

        An open case is overdue when its due date lies before the period's
        last day (or before today, for a period not yet over).
        """
        today = today or dt.date.today()
        judged = min(end, today)
        filters, params = _filters(start, end, officer_id, field_id)
        out = self._monthly_totals(start, end, officer_id, field_id)
        if out is None:
            out = {}
            for sql in (self._RECEIVED_SQL, self._RESOLVED_SQL):
                cur = self.db.execute(sql.format(filters=filters), params)
                names = [d[0] for d in cur.description]
                out.update(zip(names, cur.fetchone()))
        longest = self._longest()
        never = "9999-12-31"  # every due date lies before it: no overdue condition
        day_before = start - dt.timedelta(days=1)
        out["carried_over"] = self._open_on(day_before, never, filters, params, longest)
        out["open"] = self._open_on(end, never, filters, params, longest)
        out["open_overdue"] = self._open_on(end, judged.isoformat(), filters, params, longest)
        out.update(self._ended(filters, params))
        out["supplement_pending"] = self._pending_on(end, filters, params, longest)
        out.update(self._on_time_766(start, end, judged, filters, params, longest))
        return out

    def national_counts(self, start: dt.date, end: dt.date, *, officer_id: int | None = None,
                        field_id: int | None = None, today: dt.date | None = None) -> dict[str, int]:
        """Only what the national rule adds (the dashboard has the rest from the monthly totals):
        population_766, on_time_766, open_overdue counting paused time, refused, stopped and
        supplement_pending."""
        judged = min(end, today or dt.date.today())
        filters, params = _filters(start, end, officer_id, field_id)
        longest = self._longest()
        out = self._on_time_766(start, end, judged, filters, params, longest)
        out["open_overdue"] = self._open_on(end, judged.isoformat(), filters, params, longest)
        out.update(self._ended(filters, params))
        out["supplement_pending"] = self._pending_on(end, filters, params, longest)
        return out

    def _on_time_766(self, start: dt.date, end: dt.date, judged: dt.date, filters: str, params: dict,
                     longest: int) -> dict[str, int]:
        """Population and numerator of ``on_time_766`` (§5): plain cases in SQL, the few whose
        clock stood still for a returned supplement round judged with the working-day calendar.
        A period that has not begun (judged before its start) has nothing to judge: 0/0, no rate."""
        if judged < start:
            return {"population_766": 0, "on_time_766": 0}
        p = {**params, "judged": judged.isoformat(), "before": (start - dt.timedelta(days=1)).isoformat(),
             "window": (start - dt.timedelta(days=longest)).isoformat()}
        population, on_time = self.db.execute(ON_TIME_766_SQL.format(filters=filters), p).fetchone()
        rows = self.db.execute(PAUSED_766_SQL.format(filters=filters), p).fetchall()
        if rows:
            calendar = self.work_calendar()
            for end, due, paused, n in rows:
                moved = calendar.subtract_working_days(dt.date.fromisoformat(end), paused)
                on_time += n if moved.isoformat() <= due else 0
        return {"population_766": population, "on_time_766": on_time}

    # ---- grouped counts for charts and breakdowns ------------------------------------------

    _GROUP_KEYS = {
        "month": ("substr(received_date, 1, 7)", "substr(resolved_date, 1, 7)"),
        "officer": ("officer_id", "officer_id"),
        "field": ("field_id", "field_id"),
    }

    def grouped_counts(self, start: dt.date, end: dt.date, group: str, *, officer_id: int | None = None,
                       field_id: int | None = None) -> dict:
        """Receipt- and resolution-side counts per month, officer or field.

        A period of whole months is summed from the monthly totals the triggers
        keep; any other period is counted from the cases.
        """
        filters, params = _filters(start, end, officer_id, field_id)
        whole_months = start.day == 1 and (end + dt.timedelta(days=1)).day == 1
        out: dict = {}
        if whole_months:
            params.update(first=start.strftime("%Y-%m"), last=end.strftime("%Y-%m"))
            key = {"month": "month", "officer": "officer_id", "field": "nullif(field_id, 0)"}[group]
            for table, columns in (("stats_received", RECEIVED_STATS), ("stats_resolved", RESOLVED_STATS)):
                have = self._table_columns(table)  # a unit's file read as it is may predate a column
                names = [c for c, _ in columns if c in have]
                sums = ", ".join(f"sum({c})" for c in names)
                sql = (f"SELECT {key} AS grp, {sums} FROM {table} WHERE month BETWEEN :first AND :last"
                       f"{filters.replace('field_id = :field', 'field_id = coalesce(:field, 0)')} GROUP BY grp")
                for row in self.db.execute(sql, params):
                    out.setdefault(row[0], {}).update(zip(names, row[1:]))
            return out
        received_key, resolved_key = self._GROUP_KEYS[group]
        for key, sql in ((received_key, self._RECEIVED_SQL), (resolved_key, self._RESOLVED_SQL)):
            grouped = sql.replace("SELECT ", f"SELECT {key} AS grp, ", 1).format(filters=filters) + " GROUP BY grp"
            cur = self.db.execute(grouped, params)
            names = [d[0] for d in cur.description][1:]
            for row in cur:
                out.setdefault(row[0], {}).update(zip(names, row[1:]))
        return out

    def _table_columns(self, table: str) -> set[str]:
        cache = self.__dict__.setdefault("_columns_of", {})
        if table not in cache:
            cache[table] = {r[1] for r in self.db.execute(f"PRAGMA table_info({table})")}
        return cache[table]

    def ended_counts(self, start: dt.date, end: dt.date, *, field_id: int | None = None) -> dict[str, int]:
        """Refused and stopped cases by the date of the refusal or the stop (their ``resolved_date``)."""
        return self._ended(*_filters(start, end, None, field_id))

    def _ended(self, filters: str, params: dict) -> dict[str, int]:
        refused, stopped = self.db.execute(self._ENDED_SQL.format(filters=filters), params).fetchone()
        return {"refused": refused, "stopped": stopped}

    def district_average(self, indicator: str, month: str) -> float | None:
        row = self.db.execute("SELECT value FROM district_averages WHERE indicator = ? AND month = ?",
                              [indicator, month]).fetchone()
        return row[0] if row else None

    def set_district_average(self, indicator: str, month: str, value: float | None) -> None:
        self._require("district")
        with self.db.atomic():
            before = self.district_average(indicator, month)
            if value is None:
                self.db.execute("DELETE FROM district_averages WHERE indicator = ? AND month = ?",
                                [indicator, month])
            else:
                self.db.table("district_averages").upsert(
                    {"indicator": indicator, "month": month, "value": float(value)}, pk=("indicator", "month"))
            self.audit.record("set", "district_average", f"{indicator}@{month}",
                              None if before is None else {"value": before}, {"value": value})

    _CASE_LIST = ("SELECT c.id, c.code, p.name AS procedure, f.name AS field, c.applicant, o.name AS officer, "
                  "c.received_date, c.due_date, c.resolved_date FROM cases c "
                  "JOIN procedures p ON p.id = c.procedure_id JOIN officers o ON o.id = c.officer_id "
                  "LEFT JOIN fields f ON f.id = c.field_id ")

    def overdue_at(self, day: dt.date, judged: dt.date, limit: int = 1000) -> list[dict]:
        """Cases open at the end of ``day`` whose due date lies before ``judged``, oldest due first."""
        longest = self._longest()
        params = {"day": day.isoformat(), "judged": judged.isoformat(), "limit": limit,
                  "window": (day - dt.timedelta(days=longest)).isoformat()}
        return list(self.db.query(
            self._CASE_LIST + "WHERE c.id IN ("
            "SELECT id FROM cases INDEXED BY cases_open WHERE resolved_date IS NULL AND status IS NULL "
            f"AND received_date <= :day AND due_date < :judged AND {self._late_on(':day', ':judged')} UNION ALL "
            "SELECT id FROM cases INDEXED BY cases_received WHERE received_date BETWEEN :window AND :day "
            "AND resolved_date > :day AND status IS NOT 'withdrawn' AND due_date < :judged "
            f"AND {self._late_on(':day', ':judged')}) "
            "ORDER BY c.due_date, c.code LIMIT :limit", params))

    def resolved_late(self, start: dt.date, end: dt.date, limit: int = 1000) -> list[dict]:
        """Cases resolved in the period after their due date."""
        return list(self.db.query(
            self._CASE_LIST + "WHERE c.resolved_date BETWEEN :start AND :end AND c.status IS NULL "
            "AND c.resolved_date > c.due_date ORDER BY c.resolved_date, c.code LIMIT :limit",
            {"start": start.isoformat(), "end": end.isoformat(), "limit": limit}))

    def open_cases_due_by(self, day: dt.date, limit: int = 500, today: dt.date | None = None) -> list[dict]:
        """Open cases whose due date (counting paused time) is on or before ``day``, the most overdue
        first; a case waiting for the citizen's papers is not due."""
        return list(self.db.query(
            "SELECT c.id, c.code, p.name AS procedure, c.applicant, o.name AS officer, c.received_date, "
            "c.due_date, coalesce(c.paused_due, c.due_date) AS effective_due FROM cases c INDEXED BY cases_open "
            "JOIN procedures p ON p.id = c.procedure_id JOIN officers o ON o.id = c.officer_id "
            "WHERE c.resolved_date IS NULL AND c.status IS NULL AND c.due_date <= :day "
            f"AND {self._late_on(':today', ':later', 'c.')} "
            "ORDER BY c.due_date, c.code LIMIT :limit",
            {"day": day.isoformat(), "limit": limit, "today": (today or dt.date.today()).isoformat(),
             "later": (day + dt.timedelta(days=1)).isoformat()}))

    # ---- personal data -------------------------------------------------------------------

    def purge_applicants(self, before: dt.date) -> int:
        """Clear the applicant's name of cases closed before a date (the keeping time has passed).

        Anyone may apply the keeping time set in the office details; an earlier clearing
        needs the right to change those details.
        """
        years = (self.settings().get("applicant_retention_years") or "").strip()
        today = dt.date.today()
        allowed = (dt.date(today.year - int(years), today.month, min(today.day, 28))
                   if years.isdigit() and int(years) > 0 else None)
        if allowed is None or before > allowed:
            self._require("settings")
        rule = "applicant != '' AND (resolved_date < :day OR (status = 'withdrawn' AND received_date < :day))"
        with self.db.atomic():
            ids = [r[0] for r in self.db.execute(f"SELECT id FROM cases WHERE {rule}", {"day": before.isoformat()})]
            for i in range(0, len(ids), 500):
                chunk = ids[i:i + 500]
                marks = ",".join("?" * len(chunk))
                self.db.execute(f"UPDATE cases SET applicant = '' WHERE id IN ({marks})", chunk)
                for case_id in chunk:
                    self.audit.rehash_case(case_id)
            # the bin keeps deleted cases for restoring: their names age out by the same rule
            binned = [r[0] for r in self.db.execute(f"SELECT DISTINCT id FROM deleted_cases WHERE {rule}",
                                                    {"day": before.isoformat()})]
            if binned:
                self.db.execute(f"UPDATE deleted_cases SET applicant = '' WHERE {rule}", {"day": before.isoformat()})
            redacted = self.audit.redact_applicants(set(ids) | set(binned))
            if ids or binned:
                self.audit.record("purge applicants", "cases", "", None,
                                  {"before": before.isoformat(), "count": len(ids), "bin": len(binned),
                                   "redacted": redacted})
        if ids or binned:
            self._clear_free_pages()
        return len(ids)

    def _clear_free_pages(self) -> None:
        """Old copies of the cleared names left in a SQLite file's free pages and its WAL are gone:
        VACUUM rewrites the file, a checkpoint empties the WAL. Outside any transaction; a failure
        (another desk reading, a full disk) leaves the purge done and the pages for the next purge.
        A server keeps dead row versions until its autovacuum, which the office's server runs."""
        if self.engine != "sqlite":
            return
        try:
            self.db.execute("VACUUM")
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error:
            pass

    # ---- safety --------------------------------------------------------------------------

    def backup(self, dest: str | Path) -> Path:
        """A consistent copy of the database through SQLite's backup API.

        A failure is named by its cause (``db.errors``: the folder read-only, the disk full…).
        """
        dest = Path(dest)
        try:
            if self.engine != "sqlite":  # a server's database is kept as a SQLite file by the copy code
                from db.copy import backup_to_file

                return backup_to_file(self, dest)
            return self._backup(dest)
        except (OSError, sqlite3.Error) as exc:
            named = errors.classify(exc, dest)
            if named is exc:
                raise
            raise named from None

    def _backup(self, dest: Path) -> Path:
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(dest.name + ".part")
        if tmp.exists():
            tmp.unlink()
        try:
            _create_private(tmp)
            target = sqlite3.connect(str(tmp))
            try:
                self.db.conn.backup(target)
                target.execute("PRAGMA journal_mode = DELETE")
            finally:
                target.close()
            tmp.replace(dest)
        except BaseException:  # a full disk, anything: no half backup left beside the good ones
            remove_quietly(tmp)
            raise
        return dest

    def check(self, against: str | Path | None = None) -> list[str]:
        """Integrity problems of the file, empty when it is sound.

        ``against``: a check code printed on a document or backup (``1234-9F3A2B7C01``), or
        a backup file: the audit chain must still hold what that anchor saw.
        """
        problems = [r[0] for r in self.db.execute("PRAGMA integrity_check") if r[0] != "ok"]
        if problems:
            return problems
        if against is not None:
            problems += self.audit.verify_anchor(against)
        problems += self.audit.verify()
        problems += self.evaluations.verify_approvals()
        problems += self.audit.verify_cases()
        for table, rowid, parent, _ in self.db.execute("PRAGMA foreign_key_check"):
            problems.append(f"bảng {table}, dòng {rowid}: tham chiếu tới {parent} không tồn tại")
        if self.schema_version < SCHEMA_VERSION:  # a newer one is sound: it is opened read-only
            problems.append(f"phiên bản lược đồ {self.schema_version}, cần {SCHEMA_VERSION}")
        return problems

    # ---- who is writing, and the office's own wording ------------------------------------------

    actor: dict = {"username": f"hệ thống ({getpass.getuser()})", "role": "system", "full_name": ""}

    def sign_in_as(self, user: dict | None) -> None:
        self.actor = user or Store.actor

    def can(self, right: str) -> bool:
        return right in RIGHTS.get(self.actor["role"], set())

    def _require(self, right: str) -> None:
        if not self.can(right):
            role = ROLE_NAMES.get(self.actor["role"], self.actor["role"])
            raise PermissionDenied(f"{self.actor['username']} ({role}) không có quyền thực hiện việc này.")

    def work_calendar(self):
        from core.domain.workdays import WorkCalendar

        return WorkCalendar(*self.calendar_days())

    def wordings(self) -> dict[str, str]:
        return {k: v for k, v in self.db.execute("SELECT key, value FROM wordings")}

    def set_wording(self, key: str, value: str | None) -> None:
        """Store the office's own text for a form or notice (None goes back to the default)."""
        self._require("settings")
        with self.db.atomic():
            row = self.db.execute("SELECT value FROM wordings WHERE key = ?", [key]).fetchone()
            if value is None:
                self.db.execute("DELETE FROM wordings WHERE key = ?", [key])
            else:
                self.db.table("wordings").upsert({"key": key, "value": value}, pk="key")
            self.audit.record("set", "wording", key, None if row is None else {"value": row[0]},
                              None if value is None else {"value": value})


def _refuse_foreign(conn: sqlite3.Connection, path: Path) -> None:
    """Another program's SQLite file is never turned into ours by adding our tables to it."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if app_id not in (0, APPLICATION_ID) or (tables and "cases" not in tables and "_sqlite_migrations" not in tables):
        conn.close()
        raise errors.Damaged(f"{path.name} là tệp SQLite của một chương trình khác, không phải cơ sở dữ liệu của "
                             "Một Cửa: không mở, không sửa gì trong tệp.")


def remove_quietly(path: Path) -> None:
    """A temporary database file and its journals gone, whatever is left of them."""
    for p in (path, Path(str(path) + "-journal"), Path(str(path) + "-wal"), Path(str(path) + "-shm")):
        with contextlib.suppress(OSError):
            p.unlink()


def file_identity(path: str | Path) -> dict:
    """What a file says about itself: application id, database id, first audit entry.

    Raises ``StoreError`` with a plain message unless it is a sound database of this program.
    """
    path = Path(path)
    if not path.is_file():
        raise StoreError(f"Không tìm thấy tệp {path}")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            database_id = first = None
            if "database_identity" in tables:
                row = conn.execute("SELECT database_id FROM database_identity").fetchone()
                database_id = row[0] if row else None
            if "audit_log" in tables:
                row = conn.execute("SELECT hash FROM audit_log ORDER BY id LIMIT 1").fetchone()
                first = row[0] if row else None
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path.name} không phải cơ sở dữ liệu hợp lệ: {exc}") from None
    if result != "ok":
        raise StoreError(f"{path.name} bị hỏng: {result}")
    if app_id not in (0, APPLICATION_ID) or not {"cases", "officers", "procedures"} <= tables:
        raise StoreError(f"{path.name} không phải cơ sở dữ liệu của Một Cửa: không khôi phục từ tệp này.")
    return {"database_id": database_id, "first_entry": first}


def validate_database_file(path: str | Path) -> None:
    """Raise ``StoreError`` unless ``path`` is a sound database of this program."""
    file_identity(path)


def same_database(current: dict | None, candidate: dict) -> bool:
    """Whether a backup is a copy of the database described by ``current``.

    The stored database id decides; a backup from before ids were stored is recognised
    by the first entry of its audit log. Without anything to compare, no.
    """
    if current is None:
        return False
    if current.get("database_id") and candidate.get("database_id"):
        return current["database_id"] == candidate["database_id"]
    return bool(current.get("first_entry")) and current.get("first_entry") == candidate.get("first_entry")


def current_identity(path: str | Path) -> dict | None:
    """The identity of the database at ``path``; None when it cannot be read."""
    if is_url(path):  # a server's office database: the same two marks, read through the program
        try:
            store = Store.open(path, migrate=False)
        except StoreError:
            return None
        try:
            row = store.db.execute("SELECT database_id FROM database_identity").fetchone()
            first = store.db.execute("SELECT hash FROM audit_log ORDER BY id LIMIT 1").fetchone()
            return {"database_id": row[0] if row else None, "first_entry": first[0] if first else None}
        except Exception:
            return None
        finally:
            store.close()
    try:
        return file_identity(path)
    except StoreError:
        return None


def _lock_exclusively(path: Path) -> sqlite3.Connection:
    """A connection that holds the file alone, or ``FileInUse`` when anyone else has it open."""
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=0)
    try:
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        conn.close()
        if "locked" in str(exc) or "busy" in str(exc):
            raise FileInUse(f"{path.name} đang được mở ở một cửa sổ hoặc máy khác: đóng chương trình ở mọi nơi "
                            "đang dùng tệp này rồi khôi phục lại.") from None
        raise
    return conn


def restore(path: str | Path, source: str | Path, *, expected: dict | None = None, actor: str | None = None) -> Path:
    """``_restore``, with any failure of the disk or the file named by its cause (``db.errors``)."""
    try:
        return _restore(path, source, expected=expected, actor=actor)
    except StoreError:
        raise
    except (OSError, sqlite3.Error) as exc:
        where = path if is_url(path) else Path(path)
        named = errors.classify(exc, where)
        if named is exc:
            named = StoreError(f"Không khôi phục được {errors.shown(where)}: {exc}")
        raise named from None


def _restore(path: str | Path, source: str | Path, *, expected: dict | None = None, actor: str | None = None) -> Path:
    """Replace the database at ``path`` with the backup ``source``; returns where the old content went.

    Only a backup of this same database is accepted (``expected``: the identity to match
    when the current file cannot be read). The file must be free: no other window or desk
    may have it open. The content is copied into the file under an exclusive lock, in one
    transaction, so nothing half-restored is ever seen. The restore is written to the audit
    log under ``actor`` (the machine's user by default).
    """
    from db import backups

    validate_database_file(source)
    if is_url(path):
        wanted = current_identity(path) or expected
        if wanted is not None and not same_database(wanted, file_identity(source)):
            raise StoreError(f"{Path(source).name} là bản sao lưu của một cơ sở dữ liệu khác, không phải của "
                             "cơ sở dữ liệu trên máy chủ này: không khôi phục.")
        return _restore_server(path, Path(source), actor=actor)
    path = Path(path)
    candidate = file_identity(source)
    current = current_identity(path) if path.exists() else None
    if path.exists() and Path(source).resolve() == path.resolve():
        raise StoreError("Không khôi phục một tệp từ chính nó.")
    # what "this database" is: the file itself, else what the caller knows, else its backups folder
    wanted = current or expected or backups.folder_identity(path)
    if wanted is not None and not same_database(wanted, candidate):
        raise StoreError(f"{Path(source).name} là bản sao lưu của một cơ sở dữ liệu khác, không phải của "
                         f"{path.name}: không khôi phục.")
    aside = backups.special_name(path, "before-restore")
    aside.parent.mkdir(parents=True, exist_ok=True)
    lock = None
    if current is not None:
        lock = _lock_exclusively(path)
    try:
        if lock is not None:
            target = sqlite3.connect(str(aside))
            try:
                lock.backup(target)
                target.execute("PRAGMA journal_mode = DELETE")
            finally:
                target.close()
            make_private(aside)
            src = sqlite3.connect(f"file:{Path(source)}?mode=ro", uri=True)
            try:
                src.backup(lock)  # one transaction in the locked file
            finally:
                src.close()
        else:
            # an unreadable file: keep its bytes aside, write the copy beside it, rename it over
            if path.exists():
                shutil.copy2(path, aside)
                make_private(aside)
            tmp = path.with_name(path.name + ".restoring")
            tmp.unlink(missing_ok=True)
            _create_private(tmp)
            src = sqlite3.connect(f"file:{Path(source)}?mode=ro", uri=True)
            dst = sqlite3.connect(str(tmp))
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode = DELETE")
            finally:
                src.close()
                dst.close()
            for suffix in ("-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
            tmp.replace(path)
    finally:
        if lock is not None:
            lock.close()
    store = Store.open(path)  # bring an older backup's schema up to date
    try:
        if actor is not None:
            store.actor = {**store.actor, "username": actor}
        with store.db.atomic():
            store.audit.record("restore", "database", "", None, {"source": Path(source).name, "aside": aside.name})
    finally:
        store.close()
    return aside



def _restore_server(url: str, source: Path, actor: str | None = None) -> Path:
    """Replace the rows of a server's office database with those of a backup file, in one
    transaction, only while no other desk is connected to it (checked before, and again under the
    write lock just before the commit); the current rows are first kept as a backup file of their
    own. Audited as a restore of a file is, in the same transaction."""
    import tempfile

    from db import backups
    from db.copy import copy_into

    current = Store.open(url)
    try:
        _refuse_other_desks(current)
        aside = current.backup(backups.special_name(url, "before-restore"))
        if actor is not None:
            current.actor = {**current.actor, "username": actor}
        with tempfile.TemporaryDirectory() as folder:
            work = Path(folder) / "restore.db"
            src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            dst = sqlite3.connect(str(work))
            try:
                src.backup(dst)
            finally:
                src.close()
                dst.close()
            backup = Store.open(work)  # an older backup's schema brought up to date

            def last_checks() -> None:
                _refuse_other_desks(current)
                current.audit.record("restore", "database", "", None, {"source": source.name, "aside": aside.name})

            try:
                copy_into(backup, current, replace=True, before_commit=last_checks)
            finally:
                backup.close()
    finally:
        current.close()
    return aside


def _refuse_other_desks(store: "Store") -> None:
    """``FileInUse`` while another desk (or any other program) is connected to the server's database."""
    others = store.db.other_sessions()
    if others:
        shown = ", ".join(sorted(set(others))[:5]) + (" …" if len(set(others)) > 5 else "")
        raise FileInUse(f"Cơ sở dữ liệu {store.where} đang có {len(others)} kết nối khác ({shown}): các bàn khác "
                        "đang mở Một Cửa với dữ liệu này. Đóng chương trình ở mọi bàn rồi khôi phục lại. "
                        "Chưa thay đổi gì.")
