"""The whole schema, as ordered migrations (sqlite-utils ``Migrations``).

The rules, as sqlite-utils keeps them (``sqlite_utils/migrations.py``):

- A migration is applied by name, in the order of this file; its name is
  ``mNNN_what`` with NNN its place in that order. A new one takes the next
  number (``m019_…``) and goes at the end.
- Never edit a migration that has shipped: add a new one. A shipped migration
  holds its own SQL and imports no live code of the program: what it needs
  (the hash of a case, the hash lanes, NFC, the shipped catalogue and templates)
  is a frozen copy below or in ``db/migration_data.py``. Runtime SQL lives
  elsewhere (``db/stats.py``, ``db/ledger.py``); the runtime may read the
  definitions a migration froze (``RECEIVED_STATS``, ``LEDGER_TRIGGERS``), never
  the other way round. ``tests/test_migrations.py`` checks the imports.
- Where the engines differ, a migration says so itself (``_engine(db)``);
  every other statement is written once and translated (``db/dialect.py``).

Seven migrations were once named after the branches that made them (``i12``…
``i18``); a database made before they were renamed records the old names.
``RENAMED`` maps them, so such a database counts them as applied and nothing
runs twice; the records themselves are left as they are (an older program
opening the file still finds its own names).

``Store.open`` takes a copy of an existing file before applying any pending migration.
"""
from __future__ import annotations

import hashlib
import json
import unicodedata
from collections import namedtuple

from db import migration_data

# the names these migrations were recorded under before they were named in order
RENAMED = {
    "i17_rollup": "m012_rollup",
    "i14_case_events": "m013_case_events",
    "i15_nfc_names": "m014_nfc_names",
    "i13_register_order": "m015_register_order",
    "i12_trust": "m016_trust",
    "i18_case_version": "m017_case_version",
    "i18_search_index": "m018_search_index",
}


_Migration = namedtuple("_Migration", "name fn transactional")


class Migrations:
    """The migrations in order, applied by sqlite-utils' ``Migrations`` (``sqlite_utils/migrations.py``),
    which reads a migration recorded under its old name (``RENAMED``) as applied.

    Registering them and asking what is pending need no sqlite-utils (a command that only reads never
    imports it); ``apply`` loads it."""

    migrations_table = "_sqlite_migrations"

    def __init__(self, name: str):
        self.name = name
        self._migrations: list = []

    def __call__(self, *, name: str | None = None, transactional: bool = True):
        def inner(func):
            migration_name = name or func.__name__
            if any(m.name == migration_name for m in self._migrations):
                raise ValueError(f"Migration '{migration_name}' is already registered in set '{self.name}'")
            self._migrations.append(_Migration(migration_name, func, transactional))
            return func

        return inner

    def _real(self):
        from sqlite_utils.migrations import Migrations as _Migrations

        class Renamed(_Migrations):
            def applied(self, db):
                return [self._AppliedMigration(name=RENAMED.get(m.name, m.name), applied_at=m.applied_at)
                        for m in super().applied(db)]

        real = Renamed(self.name)
        real._migrations = [real._Migration(n, f, t) for n, f, t in self._migrations]
        return real

    def applied_names(self, db) -> set[str] | None:
        """The names applied to a SQLite database, read with plain SQL (None: ask sqlite-utils)."""
        if getattr(getattr(db, "dialect", None), "name", None) != "sqlite":
            return None
        if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                      [self.migrations_table]).fetchone() is None:
            return set()
        return {RENAMED.get(n, n) for (n,) in db.execute(
            f"SELECT name FROM {self.migrations_table} WHERE migration_set = ?", [self.name])}

    def pending(self, db) -> list:
        """The migrations not yet applied, in order (each with ``.name``)."""
        applied = self.applied_names(db)
        if applied is None:
            return self._real().pending(db)
        real = None
        out = []
        for n, f, t in self._migrations:
            if n not in applied:
                real = real or self._real()
                out.append(real._Migration(n, f, t))
        return out

    def applied(self, db) -> list:
        return self._real().applied(db)

    def apply(self, db, *, stop_before=None) -> None:
        self._real().apply(db, stop_before=stop_before)


migrations = Migrations("mot_cua")


# ---- frozen helpers: copies of the program's code as the migrations below shipped with it -------
# (db.audit, db.register, core.domain.cases on 2026-12-07). Never edit: a migration that needs
# something else gets a copy of its own.

GENESIS = "0" * 64
# the columns of a case hashed into its row_hash (db.register.EDITABLE, EVENT_COLUMNS, EVENT_DEFAULTS)
_HASHED = ("code", "procedure_id", "field_id", "applicant", "officer_id", "received_date", "due_date",
           "processing_days", "channel", "digitized", "resolved_date", "result_digitized", "has_fee",
           "paid_online", "e_certified", "status", "received_time", "papers")
_EVENT_COLUMNS = ("supplement_requested", "supplement_returned", "supplement_count", "paused_days",
                  "new_due_date", "satisfaction")
_EVENT_DEFAULTS = (None, None, 0, 0, None, None)
_ALL_HASHED = (*_HASHED, *_EVENT_COLUMNS)


def _nfc(text) -> str:
    return unicodedata.normalize("NFC", " ".join(str(text or "").split()))


def _case_hash(row: dict) -> str:
    values = tuple(row.get(k, d) for k, d in zip(_ALL_HASHED, (*[None] * len(_HASHED), *_EVENT_DEFAULTS)))
    if values[len(_HASHED):] == _EVENT_DEFAULTS:  # a case that never had an event: the hash of issue 11
        values = values[:len(_HASHED)]
    return hashlib.sha256(repr(values).encode("utf-8")).hexdigest()


def _chain_hash(prev, at, actor, action, entity, entity_id, before, after) -> str:
    text = json.dumps([prev, at, actor, action, entity, entity_id, before, after], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _lane_sql(column: str, lane: int) -> str:
    terms = [f"((instr('0123456789abcdef', substr({column}, {lane * 8 + k + 1}, 1)) - 1) << {4 * (7 - k)})"
             for k in range(8)]
    return f"coalesce(({' + '.join(terms)}), 0)"


def _engine(db) -> str:
    """``sqlite`` or ``postgresql``: where the engines differ a migration says so itself (a plain
    sqlite-utils Database, as the tests build one, is SQLite)."""
    return getattr(getattr(db, "dialect", None), "name", "sqlite")


# ---- the migrations, in order ----------------------------------------------------------------

INDICATORS = ("online", "digitized_on_receipt", "result_digitized", "on_time", "paid_online", "e_certified")


@migrations()
def m001_tables(db):
    db.execute("""
        CREATE TABLE fields (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE
        )""")
    db.execute("""
        CREATE TABLE officers (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            position TEXT NOT NULL DEFAULT '',
            fields TEXT NOT NULL DEFAULT '',
            active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
        )""")
    db.execute("""
        CREATE TABLE procedures (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            field_id INTEGER REFERENCES fields(id),
            processing_days INTEGER CHECK (processing_days IS NULL OR processing_days >= 0),
            has_fee INTEGER NOT NULL DEFAULT 0 CHECK (has_fee IN (0, 1))
        )""")
    db.execute("""
        CREATE TABLE cases (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL UNIQUE,
            procedure_id INTEGER NOT NULL REFERENCES procedures(id),
            field_id INTEGER REFERENCES fields(id),
            applicant TEXT NOT NULL DEFAULT '',
            officer_id INTEGER NOT NULL REFERENCES officers(id),
            received_date TEXT NOT NULL,
            due_date TEXT NOT NULL,
            processing_days INTEGER CHECK (processing_days IS NULL OR processing_days >= 0),
            channel INTEGER NOT NULL CHECK (channel IN (1, 2, 3)),
            digitized INTEGER NOT NULL CHECK (digitized IN (0, 1)),
            resolved_date TEXT CHECK (resolved_date IS NULL OR resolved_date >= received_date),
            result_digitized INTEGER NOT NULL DEFAULT 0
                CHECK (result_digitized IN (0, 1) AND (result_digitized = 0 OR resolved_date IS NOT NULL)),
            has_fee INTEGER NOT NULL DEFAULT 0 CHECK (has_fee IN (0, 1)),
            paid_online INTEGER NOT NULL DEFAULT 0
                CHECK (paid_online IN (0, 1) AND (paid_online = 0 OR has_fee = 1)),
            e_certified INTEGER NOT NULL DEFAULT 0 CHECK (e_certified IN (0, 1)),
            status TEXT CHECK (status IS NULL OR status = 'withdrawn')
        )""")
    # targets are dated: the value in force for a period is the newest valid_from <= its end
    db.execute("""
        CREATE TABLE targets (
            id INTEGER PRIMARY KEY,
            indicator TEXT NOT NULL,
            valid_from TEXT NOT NULL,
            value REAL NOT NULL CHECK (value >= 0 AND value <= 100),
            UNIQUE (indicator, valid_from)
        )""")
    db.execute("""
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )""")
    # the office's own calendar on top of the public holidays: 'off' or 'work'
    db.execute("""
        CREATE TABLE calendar_days (
            day TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('off', 'work')),
            note TEXT NOT NULL DEFAULT ''
        )""")


@migrations()
def m002_indexes(db):
    cases = db.table("cases")
    # receipt side: a range on received_date, every counted column in the index
    cases.create_index(
        ["received_date", "officer_id", "field_id", "channel", "digitized", "has_fee",
         "paid_online", "e_certified", "status"],
        index_name="cases_received", if_not_exists=True)
    # resolution side: a range on resolved_date
    cases.create_index(
        ["resolved_date", "officer_id", "field_id", "due_date", "result_digitized", "status",
         "received_date"],
        index_name="cases_resolved", if_not_exists=True)
    cases.create_index(["officer_id", "received_date"], index_name="cases_officer", if_not_exists=True)
    cases.create_index(["field_id", "received_date"], index_name="cases_field", if_not_exists=True)
    cases.create_index(["procedure_id"], index_name="cases_procedure", if_not_exists=True)
    # the cases still open are few: a partial index keeps them at hand
    db.execute(
        "CREATE INDEX IF NOT EXISTS cases_open ON cases "
        "(received_date, due_date, officer_id, field_id) "
        "WHERE resolved_date IS NULL AND status IS NULL")


@migrations()
def m003_defaults(db):
    db.table("targets").insert_all(
        [{"indicator": key, "valid_from": "2000-01-01", "value": 100.0} for key in INDICATORS
         if key != "e_certified"],
        ignore=True)
    db.table("settings").insert_all(
        [
            {"key": "committee", "value": "ỦY BAN NHÂN DÂN XÃ"},
            {"key": "parent", "value": ""},
            {"key": "office_name", "value": "Bộ phận Một cửa"},
            {"key": "place", "value": ""},
            {"key": "chairman", "value": ""},
            {"key": "unit_code", "value": "XA"},
        ],
        ignore=True)



@migrations()
def m004_catalogue(db):
    """The shipped procedure catalogue, loaded once into a new database."""
    fields = db.table("fields")
    procedures = db.table("procedures")
    for row in migration_data.procedure_catalogue():
        existing = db.execute("SELECT id FROM fields WHERE name = ?", [row["field"]]).fetchone()
        field_id = existing[0] if existing else fields.insert({"name": row["field"]}).last_pk
        procedures.insert({"name": row["name"], "field_id": field_id,
                           "processing_days": row["processing_days"], "has_fee": row["has_fee"]},
                          ignore=True)



@migrations()
def m005_open_case_indexes(db):
    """Counting the cases open on a day: the receipt index also carries the due and
    resolved dates, and the longest time a case ever took is one index look-up away."""
    db.execute("DROP INDEX IF EXISTS cases_received")
    db.table("cases").create_index(
        ["received_date", "officer_id", "field_id", "channel", "digitized", "has_fee",
         "paid_online", "e_certified", "status", "due_date", "resolved_date"],
        index_name="cases_received", if_not_exists=True)
    db.execute(
        "CREATE INDEX IF NOT EXISTS cases_duration ON cases "
        "(julianday(resolved_date) - julianday(received_date))")



@migrations()
def m006_search(db):
    """Full-text search over codes and applicants; diacritics folded, so 'nguyen' finds 'Nguyễn'.

    SQLite only (FTS5): a server's search index is m018's."""
    if _engine(db) != "sqlite":
        return
    db.table("cases").enable_fts(["code", "applicant"], create_triggers=True,
                                 tokenize="unicode61 remove_diacritics 2")
    # re-index a row only when a searched column changes, not on every update of the case
    db.execute("DROP TRIGGER cases_au")
    db.execute("""
        CREATE TRIGGER cases_au AFTER UPDATE OF code, applicant ON cases BEGIN
          INSERT INTO cases_fts (cases_fts, rowid, code, applicant) VALUES ('delete', old.rowid, old.code, old.applicant);
          INSERT INTO cases_fts (rowid, code, applicant) VALUES (new.rowid, new.code, new.applicant);
        END""")
    db.execute("INSERT INTO cases_fts (cases_fts) VALUES ('rebuild')")



@migrations()
def m007_district_averages(db):
    """The district's (or province's) average for an indicator and month, from its letters."""
    db.execute("""
        CREATE TABLE district_averages (
            indicator TEXT NOT NULL,
            month TEXT NOT NULL,
            value REAL NOT NULL CHECK (value >= 0 AND value <= 100),
            PRIMARY KEY (indicator, month)
        )""")



# Monthly totals by officer and field, kept by triggers: the dashboard's charts and breakdowns
# sum a few thousand rows instead of scanning the cases. (column, expression over a case row)
RECEIVED_STATS = (
    ("received", "1"), ("direct", "{r}.channel = 1"), ("online", "{r}.channel = 2"),
    ("postal", "{r}.channel = 3"), ("digitized", "{r}.digitized"),
    ("with_fee", "{r}.has_fee"), ("paid_online", "{r}.has_fee * {r}.paid_online"),
    ("e_certified", "{r}.e_certified"), ("withdrawn", "{r}.status IS 'withdrawn'"),
)
RESOLVED_STATS = (
    ("resolved", "1"), ("result_digitized", "{r}.result_digitized"),
    ("resolved_early", "{r}.resolved_date < {r}.due_date"),
    ("resolved_on_due", "{r}.resolved_date = {r}.due_date"),
    ("resolved_late", "{r}.resolved_date > {r}.due_date"),
)


def _stats_upsert(table: str, date: str, columns, row: str, sign: str, where: str) -> str:
    names = ", ".join(c for c, _ in columns)
    values = ", ".join(f"{sign}({e.format(r=row)})" for _, e in columns)
    updates = ", ".join(f"{c} = {c} + excluded.{c}" for c, _ in columns)
    return (f"INSERT INTO {table} (month, officer_id, field_id, {names}) "
            f"SELECT substr({row}.{date}, 1, 7), {row}.officer_id, coalesce({row}.field_id, 0), {values} "
            f"WHERE {where.format(r=row)} "
            f"ON CONFLICT (month, officer_id, field_id) DO UPDATE SET {updates};")


@migrations()
def m008_monthly_stats(db):
    for table, columns in (("stats_received", RECEIVED_STATS), ("stats_resolved", RESOLVED_STATS)):
        cols = ", ".join(f"{c} INTEGER NOT NULL DEFAULT 0" for c, _ in columns)
        db.execute(f"CREATE TABLE {table} (month TEXT NOT NULL, officer_id INTEGER NOT NULL, "
                   f"field_id INTEGER NOT NULL, {cols}, PRIMARY KEY (month, officer_id, field_id)) WITHOUT ROWID")
    def body(row: str, sign: str) -> str:
        return "\n".join(_stats_upsert(t, d, c, row, sign, w) for t, d, c, w in STATS_SIDES)

    db.execute(f"CREATE TRIGGER cases_stats_insert AFTER INSERT ON cases BEGIN {body('NEW', '+')} END")
    db.execute(f"CREATE TRIGGER cases_stats_delete AFTER DELETE ON cases BEGIN {body('OLD', '-')} END")
    counted = ("received_date", "resolved_date", "due_date", "officer_id", "field_id", "channel", "digitized",
               "has_fee", "paid_online", "e_certified", "status", "result_digitized")
    db.execute(f"CREATE TRIGGER cases_stats_update AFTER UPDATE OF {', '.join(counted)} ON cases BEGIN "
               f"{body('OLD', '-')} {body('NEW', '+')} END")
    for table, date, columns, where in STATS_SIDES:  # the cases already there
        names = ", ".join(c for c, _ in columns)
        sums = ", ".join(f"sum({e.format(r='c')})" for _, e in columns)
        db.execute(f"INSERT INTO {table} (month, officer_id, field_id, {names}) "
                   f"SELECT substr(c.{date}, 1, 7), c.officer_id, coalesce(c.field_id, 0), {sums} "
                   f"FROM cases c WHERE {where.format(r='c')} GROUP BY 1, 2, 3")


# the two sides of the monthly totals as m008 defined them (db/stats.py adds cases to them)
STATS_SIDES = (("stats_received", "received_date", RECEIVED_STATS, "1 = 1"),
               ("stats_resolved", "resolved_date", RESOLVED_STATS,
                "{r}.resolved_date IS NOT NULL AND {r}.status IS NULL"))


@migrations()
def m009_evaluations(db):
    """Quarterly staff evaluation: dated templates, criteria, entries per officer, approvals.

    An approved quarter is locked by triggers, whatever program writes to the file.
    """
    db.execute("""
        CREATE TABLE eval_templates (
            id INTEGER PRIMARY KEY,
            valid_from TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            thresholds TEXT NOT NULL  -- JSON: [[minimum total, classification], ...] highest first
        )""")
    db.execute("""
        CREATE TABLE eval_criteria (
            id INTEGER PRIMARY KEY,
            template_id INTEGER NOT NULL REFERENCES eval_templates(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            section TEXT NOT NULL,
            name TEXT NOT NULL,
            max_points REAL NOT NULL CHECK (max_points >= 0),
            rule TEXT NOT NULL CHECK (rule IN ('manual', 'rate', 'failures', 'e_certified')),
            param TEXT NOT NULL DEFAULT ''
        )""")
    db.execute("""
        CREATE TABLE evaluations (
            officer_id INTEGER NOT NULL REFERENCES officers(id),
            quarter TEXT NOT NULL,
            manual TEXT NOT NULL DEFAULT '{}',  -- JSON: {criterion id: points}
            comments TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL,
            PRIMARY KEY (officer_id, quarter)
        )""")
    db.execute("""
        CREATE TABLE evaluation_approvals (
            quarter TEXT PRIMARY KEY,
            approved_at TEXT NOT NULL,
            approved_by TEXT NOT NULL
        )""")
    for event, row in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD")):
        db.execute(f"""
            CREATE TRIGGER evaluations_locked_{event.lower()} BEFORE {event} ON evaluations
            WHEN EXISTS (SELECT 1 FROM evaluation_approvals WHERE quarter = {row}.quarter)
            BEGIN SELECT RAISE(ABORT, 'quý đã được duyệt: không sửa được'); END""")
    DEFAULT_TEMPLATE = migration_data.evaluation_template()
    template_id = db.table("eval_templates").insert({
        "valid_from": "2000-01-01", "title": DEFAULT_TEMPLATE["title"],
        "thresholds": json.dumps(DEFAULT_TEMPLATE["thresholds"], ensure_ascii=False)}).last_pk
    db.table("eval_criteria").insert_all(
        [{"template_id": template_id, "position": i, **c} for i, c in enumerate(DEFAULT_TEMPLATE["criteria"], 1)])



@migrations()
def m010_receipt_details(db):
    """What the receipt slip prints beyond the case file: the time of receipt and the papers."""
    db.execute("ALTER TABLE cases ADD COLUMN received_time TEXT")  # 'HH:MM', optional
    db.execute("ALTER TABLE cases ADD COLUMN papers TEXT NOT NULL DEFAULT ''")  # one paper a line



@migrations()
def m011_users_audit_deletion(db):
    """Users and roles, the hash-chained audit log, row hashes of cases, deleted cases kept."""
    db.execute("""
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL UNIQUE COLLATE NOCASE,
            full_name TEXT NOT NULL DEFAULT '',
            role TEXT NOT NULL CHECK (role IN ('officer', 'chairman', 'admin')),
            officer_id INTEGER REFERENCES officers(id),
            password_hash TEXT NOT NULL,
            failed_attempts INTEGER NOT NULL DEFAULT 0,
            locked_until TEXT,
            active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
        )""")
    db.execute("""
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_id TEXT NOT NULL DEFAULT '',
            before TEXT,
            after TEXT,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX audit_entity ON audit_log (entity, entity_id)")
    for event in ("UPDATE", "DELETE"):
        db.execute(f"CREATE TRIGGER audit_log_append_only_{event.lower()} BEFORE {event} ON audit_log "
                   "BEGIN SELECT RAISE(ABORT, 'nhật ký chỉ được ghi thêm'); END")
    db.execute("ALTER TABLE cases ADD COLUMN row_hash TEXT")
    db.execute("CREATE TABLE deleted_cases AS SELECT * FROM cases WHERE 0")
    for column in ("deleted_at TEXT", "deleted_by TEXT", "reason TEXT"):
        db.execute(f"ALTER TABLE deleted_cases ADD COLUMN {column}")
    rows = db.execute(f"SELECT id, {', '.join(_HASHED)} FROM cases")
    batch = []
    for row in rows.fetchall():
        batch.append((_case_hash(dict(zip(_HASHED, row[1:]))), row[0]))
        if len(batch) >= 20000:
            db.conn.executemany("UPDATE cases SET row_hash = ? WHERE id = ?", batch)
            batch = []
    db.conn.executemany("UPDATE cases SET row_hash = ? WHERE id = ?", batch)


@migrations()
def m012_rollup(db):
    """The roll-up office's memory: reminders numbered per unit and month, the units it has ranked."""
    db.execute("""
        CREATE TABLE rollup_reminders (
            unit TEXT NOT NULL,
            month TEXT NOT NULL,
            number INTEGER NOT NULL CHECK (number >= 1),
            overdue INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (unit, month)
        )""")
    db.execute("CREATE TABLE rollup_units (name TEXT PRIMARY KEY, last_month TEXT NOT NULL)")



CASES_I14 = """
    CREATE TABLE {name} (
        id INTEGER PRIMARY KEY,
        code TEXT NOT NULL UNIQUE,
        procedure_id INTEGER NOT NULL REFERENCES procedures(id),
        field_id INTEGER REFERENCES fields(id),
        applicant TEXT NOT NULL DEFAULT '',
        officer_id INTEGER NOT NULL REFERENCES officers(id),
        received_date TEXT NOT NULL,
        due_date TEXT NOT NULL,
        processing_days INTEGER CHECK (processing_days IS NULL OR processing_days >= 0),
        channel INTEGER NOT NULL CHECK (channel IN (1, 2, 3)),
        digitized INTEGER NOT NULL CHECK (digitized IN (0, 1)),
        resolved_date TEXT CHECK (resolved_date IS NULL OR resolved_date >= received_date),
        result_digitized INTEGER NOT NULL DEFAULT 0
            CHECK (result_digitized IN (0, 1) AND (result_digitized = 0 OR resolved_date IS NOT NULL)),
        has_fee INTEGER NOT NULL DEFAULT 0 CHECK (has_fee IN (0, 1)),
        paid_online INTEGER NOT NULL DEFAULT 0
            CHECK (paid_online IN (0, 1) AND (paid_online = 0 OR has_fee = 1)),
        e_certified INTEGER NOT NULL DEFAULT 0 CHECK (e_certified IN (0, 1)),
        status TEXT CHECK (status IS NULL OR status = 'withdrawn'
            OR (status IN ('refused', 'stopped') AND resolved_date IS NOT NULL AND result_digitized = 0)),
        received_time TEXT,
        papers TEXT NOT NULL DEFAULT '',
        row_hash TEXT,
        supplement_requested TEXT CHECK (supplement_requested IS NULL OR supplement_requested >= received_date),
        supplement_returned TEXT CHECK (supplement_returned IS NULL
            OR (supplement_requested IS NOT NULL AND supplement_returned >= supplement_requested)),
        supplement_count INTEGER NOT NULL DEFAULT 0
            CHECK (supplement_count >= 0 AND (supplement_count > 0 OR supplement_requested IS NULL)),
        paused_days INTEGER NOT NULL DEFAULT 0 CHECK (paused_days >= 0),
        new_due_date TEXT CHECK (new_due_date IS NULL OR new_due_date >= received_date),
        satisfaction TEXT CHECK (satisfaction IS NULL OR satisfaction IN ('good', 'fair', 'poor')),
        paused_due TEXT  -- due_date moved on by paused_days working days; NULL when nothing was paused
    )"""
I14_NEW_COLUMNS = ("supplement_requested", "supplement_returned", "supplement_count", "paused_days",
                   "new_due_date", "satisfaction", "paused_due")


@migrations()
def m013_case_events(db):
    """A case's life between receipt and result (issue 14).

    The cases table is rebuilt once (SQLite cannot widen a CHECK in place) to accept the statuses
    'refused' and 'stopped' and to carry the summary of its events (supplement rounds, paused
    days, the apology's new date, the citizen's rating); ids, indexes, triggers and the search
    index are kept. Each event is also a record of its own in ``case_events``.
    """
    old_columns = [r[1] for r in db.execute("PRAGMA table_info(cases)")]
    # every index and trigger comes back as it was, but the two that count open and received cases:
    # they also carry the new columns, so the national rule reads no row of the table
    kept = db.execute("SELECT sql FROM sqlite_master WHERE tbl_name = 'cases' AND type IN ('index', 'trigger') "
                      "AND sql IS NOT NULL AND name NOT IN ('cases_received', 'cases_open') "
                      "ORDER BY type, name").fetchall()
    db.execute(CASES_I14.format(name="cases_i14"))
    names = ", ".join(old_columns)
    db.execute(f"INSERT INTO cases_i14 ({names}) SELECT {names} FROM cases")
    db.execute("DROP TABLE cases")
    db.execute("ALTER TABLE cases_i14 RENAME TO cases")
    for (sql,) in kept:
        db.execute(sql)
    life = "supplement_count, supplement_requested, supplement_returned, paused_days, paused_due"
    db.execute("CREATE INDEX cases_received ON cases (received_date, officer_id, field_id, channel, digitized, "
               f"has_fee, paid_online, e_certified, status, due_date, resolved_date, {life})")
    db.execute(f"CREATE INDEX cases_open ON cases (received_date, due_date, officer_id, field_id, {life}) "
               "WHERE resolved_date IS NULL AND status IS NULL")
    db.execute("CREATE INDEX cases_rated ON cases (resolved_date, officer_id, satisfaction) "
               "WHERE satisfaction IS NOT NULL")
    # a pending supplement round or a paused clock: few cases, one small index
    db.execute("CREATE INDEX cases_paused ON cases (supplement_requested) "
               "WHERE supplement_requested IS NOT NULL OR paused_days > 0")
    for column, kind in (("supplement_requested", "TEXT"), ("supplement_returned", "TEXT"),
                         ("supplement_count", "INTEGER NOT NULL DEFAULT 0"),
                         ("paused_days", "INTEGER NOT NULL DEFAULT 0"), ("new_due_date", "TEXT"),
                         ("satisfaction", "TEXT"), ("paused_due", "TEXT")):
        db.execute(f"ALTER TABLE deleted_cases ADD COLUMN {column} {kind}")
    # no foreign key: a soft-deleted case keeps its events and finds them again when restored
    db.execute("""
        CREATE TABLE case_events (
            id INTEGER PRIMARY KEY,
            case_id INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('supplement_requested', 'supplement_returned', 'extended',
                                               'refused', 'stopped', 'withdrawn', 'rated', 'complaint')),
            day TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            new_date TEXT,
            recorded_at TEXT NOT NULL,
            recorded_by TEXT NOT NULL DEFAULT '',
            before TEXT NOT NULL DEFAULT '{}'  -- JSON: the case's columns before the event, for undo
        )""")
    db.execute("CREATE INDEX case_events_case ON case_events (case_id, day)")
    db.execute("CREATE INDEX case_events_kind ON case_events (kind, day)")
    # the office's own wording of forms and notices, over the shipped defaults
    db.execute("CREATE TABLE wordings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    # the service-index estimate: dated weights and curves, and points typed in per period
    db.execute("""
        CREATE TABLE index_models (
            valid_from TEXT PRIMARY KEY,
            model TEXT NOT NULL  -- JSON, resources/service_index.json's shape
        )""")
    db.execute("""
        CREATE TABLE index_points (
            period TEXT NOT NULL,
            component TEXT NOT NULL,
            points REAL NOT NULL CHECK (points >= 0),
            note TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (period, component)
        )""")
@migrations()
def m014_nfc_names(db):
    """Names typed with combining accents (Unikey's "Unicode tổ hợp", macOS) became second officers,
    procedures and fields that print like the first. Each group of look-alikes becomes one, the
    oldest: cases and every other reference repointed, the name stored in NFC, applicants in NFC,
    repointed cases rehashed, and every merge written to the audit log (old entries stay as they are)."""
    import datetime as dt

    nfc, HASHED, case_hash, chain_hash = _nfc, _ALL_HASHED, _case_hash, _chain_hash

    tables = set(db.table_names())
    refs = {
        "fields": [("cases", "field_id"), ("deleted_cases", "field_id"), ("procedures", "field_id")],
        "procedures": [("cases", "procedure_id"), ("deleted_cases", "procedure_id")],
        "officers": [("cases", "officer_id"), ("deleted_cases", "officer_id"), ("users", "officer_id"),
                     ("evaluations", "officer_id")],
    }
    entries = []
    touched: set[int] = set()
    locks = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                       "AND name LIKE 'evaluations_locked_%'").fetchall()
    for name, _ in locks:  # an approved quarter's evaluations move to the merged officer unchanged
        db.execute(f"DROP TRIGGER {name}")
    for table in ("fields", "procedures", "officers"):
        groups: dict[str, list[tuple[int, str]]] = {}
        for row_id, name in db.execute(f"SELECT id, name FROM {table} ORDER BY id").fetchall():
            groups.setdefault(nfc(name), []).append((row_id, name))
        for name, members in groups.items():
            keep, kept_name = members[0]
            dropped = []
            for dup, dup_name in members[1:]:
                for ref_table, column in refs[table]:
                    if ref_table not in tables:
                        continue
                    if ref_table == "cases":
                        touched.update(r[0] for r in db.execute(f"SELECT id FROM cases WHERE {column} = ?", [dup]))
                    if ref_table == "evaluations":
                        for quarter, manual, comments in db.execute(
                                "SELECT quarter, manual, comments FROM evaluations WHERE officer_id = ? AND quarter IN "
                                "(SELECT quarter FROM evaluations WHERE officer_id = ?)", [dup, keep]).fetchall():
                            entries.append(("merge: evaluation kept", "evaluation", f"{keep}@{quarter}",
                                            {"officer_id": dup, "manual": manual, "comments": comments}, None))
                            db.execute("DELETE FROM evaluations WHERE officer_id = ? AND quarter = ?", [dup, quarter])
                    db.execute(f"UPDATE {ref_table} SET {column} = ? WHERE {column} = ?", [keep, dup])
                db.execute(f"DELETE FROM {table} WHERE id = ?", [dup])
                dropped.append({"id": dup, "name": dup_name})
            if kept_name != name:
                db.execute(f"UPDATE {table} SET name = ? WHERE id = ?", [name, keep])
            if dropped or kept_name != name:
                entries.append(("merge look-alike names", table[:-1], keep,
                                {"name": kept_name, "merged": dropped}, {"name": name}))
    for _name, sql in locks:
        db.execute(sql)
    if "officers" in tables:
        for row_id, fields in db.execute("SELECT id, fields FROM officers").fetchall():
            if fields and nfc(fields) != fields:
                db.execute("UPDATE officers SET fields = ? WHERE id = ?", [nfc(fields), row_id])
    changed = [(nfc(a), i) for i, a in db.execute("SELECT id, applicant FROM cases WHERE applicant != ''")
               if nfc(a) != a]
    if changed:
        db.conn.executemany("UPDATE cases SET applicant = ? WHERE id = ?", changed)
        touched.update(i for _, i in changed)
        entries.append(("normalize applicants (NFC)", "cases", "", None, {"count": len(changed)}))
    touched_ids = sorted(touched)
    for i in range(0, len(touched_ids), 900):
        chunk = touched_ids[i:i + 900]
        rows = db.execute(f"SELECT id, {', '.join(HASHED)} FROM cases WHERE id IN ({','.join('?' * len(chunk))})",
                          chunk).fetchall()
        db.conn.executemany("UPDATE cases SET row_hash = ? WHERE id = ?",
                            [(case_hash(dict(zip(HASHED, r[1:]))), r[0]) for r in rows])
    if entries and "audit_log" in tables:
        row = db.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
        prev = row[0] if row else GENESIS
        at = dt.datetime.now().isoformat(timespec="seconds")
        actor = "hệ thống (nâng cấp dữ liệu)"
        for action, entity, entity_id, before, after in entries:
            b = None if before is None else json.dumps(before, ensure_ascii=False, sort_keys=True, default=str)
            a = None if after is None else json.dumps(after, ensure_ascii=False, sort_keys=True, default=str)
            h = chain_hash(prev, at, actor, action, entity, str(entity_id), b, a)
            db.execute("INSERT INTO audit_log (at, actor, action, entity, entity_id, before, after, prev_hash, hash) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [at, actor, action, entity, str(entity_id), b, a, prev, h])
            prev = h


@migrations()
def m015_register_order(db):
    """The register's own order (received date, then id) as an index: a jump to any row of a
    million-case register counts along this small index instead of sorting the table."""
    db.execute("CREATE INDEX IF NOT EXISTS cases_received_order ON cases (received_date)")


APPLICATION_ID = 0x4D435541  # "MCUA": PRAGMA application_id of every Một Cửa database


# The triggers that keep ``case_ledger`` (count, two hash lanes, highest id ever given), as m016
# made them; db/ledger.py puts them back when a rebuild of the cases table dropped them.
LEDGER_TRIGGERS = {
    "cases_ledger_insert": (
        "AFTER INSERT ON cases BEGIN "
        "SELECT RAISE(ABORT, 'mã số hồ sơ đã dùng cho một hồ sơ trước đây') "
        "WHERE NEW.id <= (SELECT last_id FROM case_ledger) "
        "AND NOT EXISTS (SELECT 1 FROM deleted_cases WHERE id = NEW.id); "
        f"UPDATE case_ledger SET n = n + 1, a = a + {_lane_sql('NEW.row_hash', 0)}, "
        f"b = b + {_lane_sql('NEW.row_hash', 1)}, last_id = max(last_id, NEW.id); END"),
    "cases_ledger_update": (
        "AFTER UPDATE OF row_hash ON cases BEGIN "
        f"UPDATE case_ledger SET a = a + {_lane_sql('NEW.row_hash', 0)} - {_lane_sql('OLD.row_hash', 0)}, "
        f"b = b + {_lane_sql('NEW.row_hash', 1)} - {_lane_sql('OLD.row_hash', 1)}; END"),
    "cases_ledger_delete": (
        "AFTER DELETE ON cases BEGIN "
        f"UPDATE case_ledger SET n = n - 1, a = a - {_lane_sql('OLD.row_hash', 0)}, "
        f"b = b - {_lane_sql('OLD.row_hash', 1)}; END"),
}
LEDGER_RECOUNT = f"""
    UPDATE case_ledger SET
      n = (SELECT count(*) FROM cases),
      a = (SELECT coalesce(sum({_lane_sql('row_hash', 0)}), 0) FROM cases),
      b = (SELECT coalesce(sum({_lane_sql('row_hash', 1)}), 0) FROM cases),
      last_id = max(last_id, (SELECT coalesce(max(id), 0) FROM cases),
                (SELECT coalesce(max(id), 0) FROM deleted_cases))"""


@migrations()
def m016_trust(db):
    """Issue 12: the file's identity, case ids never reused, the state each audit entry records,
    versioned evaluation templates with stable criteria, frozen approvals, issued reports."""
    import datetime as dt
    import uuid

    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute("CREATE TABLE database_identity (database_id TEXT NOT NULL, created_at TEXT NOT NULL)")
    db.execute("INSERT INTO database_identity VALUES (?, ?)",
               [str(uuid.uuid4()), dt.datetime.now().isoformat(timespec="seconds")])
    for event in ("UPDATE", "DELETE"):
        db.execute(f"CREATE TRIGGER database_identity_fixed_{event.lower()} BEFORE {event} ON database_identity "
                   "BEGIN SELECT RAISE(ABORT, 'danh tính cơ sở dữ liệu không đổi được'); END")

    db.execute("CREATE TABLE case_ledger (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL, "
               "a INTEGER NOT NULL, b INTEGER NOT NULL, last_id INTEGER NOT NULL)")
    db.execute("INSERT INTO case_ledger VALUES (1, 0, 0, 0, 0)")
    for name, sql in LEDGER_TRIGGERS.items():
        db.execute(f"CREATE TRIGGER {name} {sql}")
    db.execute(LEDGER_RECOUNT)
    db.execute("ALTER TABLE audit_log ADD COLUMN state TEXT")

    # templates: every edit a new version, never changed afterwards; criteria keep a key across versions
    db.execute("CREATE TABLE _old_templates AS SELECT * FROM eval_templates")
    db.execute("CREATE TABLE _old_criteria AS SELECT * FROM eval_criteria")
    db.execute("DROP TABLE eval_criteria")
    db.execute("DROP TABLE eval_templates")
    db.execute("""
        CREATE TABLE eval_templates (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            valid_from TEXT NOT NULL,
            version INTEGER NOT NULL DEFAULT 1,
            title TEXT NOT NULL,
            thresholds TEXT NOT NULL,
            created_at TEXT NOT NULL DEFAULT '',
            UNIQUE (valid_from, version)
        )""")
    db.execute("""
        CREATE TABLE eval_criteria (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            template_id INTEGER NOT NULL REFERENCES eval_templates(id),
            key TEXT NOT NULL,
            position INTEGER NOT NULL,
            section TEXT NOT NULL,
            name TEXT NOT NULL,
            max_points REAL NOT NULL CHECK (max_points >= 0),
            rule TEXT NOT NULL CHECK (rule IN ('manual', 'rate', 'failures', 'e_certified', 'quantity',
                                               'quality', 'timeliness')),
            param TEXT NOT NULL DEFAULT '',
            UNIQUE (template_id, key)
        )""")
    db.execute("INSERT INTO eval_templates (id, valid_from, version, title, thresholds) "
               "SELECT id, valid_from, 1, title, thresholds FROM _old_templates")
    db.execute("INSERT INTO eval_criteria (id, template_id, key, position, section, name, max_points, rule, param) "
               "SELECT id, template_id, 'c' || id, position, section, name, max_points, rule, param "
               "FROM _old_criteria")
    db.execute("DROP TABLE _old_templates")
    db.execute("DROP TABLE _old_criteria")
    if _engine(db) == "postgresql":  # a server's next id after those copied
        for table in ("eval_templates", "eval_criteria"):
            db.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                       f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)")
    # the default of Nghị định 335/2025 as a new version of a base template never edited
    evaluation_template, evaluation_template_335 = (migration_data.evaluation_template,
                                                    migration_data.evaluation_template_335)

    base = db.execute("SELECT id, title, thresholds FROM eval_templates WHERE valid_from = '2000-01-01'").fetchone()
    shipped = evaluation_template()
    untouched = base is not None and base[1] == shipped["title"] and [
        (r[0], r[1], r[2], r[3], r[4]) for r in db.execute(
            "SELECT section, name, max_points, rule, param FROM eval_criteria WHERE template_id = ? "
            "ORDER BY position", [base[0]])] == [
        (c["section"], c["name"], float(c["max_points"]), c["rule"], c["param"]) for c in shipped["criteria"]]
    if untouched:
        new = evaluation_template_335()
        general = [c["key"] for c in new["criteria"] if c["rule"] == "manual"]
        old_manual = [r[0] for r in db.execute(
            "SELECT id FROM eval_criteria WHERE template_id = ? AND rule = 'manual' ORDER BY position", [base[0]])]
        for criterion_id, key in zip(old_manual, general):
            db.execute("UPDATE eval_criteria SET key = ? WHERE id = ?", [key, criterion_id])
        template_id = db.execute(
            "INSERT INTO eval_templates (valid_from, version, title, thresholds, created_at) VALUES (?, 2, ?, ?, ?)",
            ["2000-01-01", new["title"], json.dumps(new["thresholds"], ensure_ascii=False),
             dt.datetime.now().isoformat(timespec="seconds")]).lastrowid
        for i, c in enumerate(new["criteria"], 1):
            db.execute("INSERT INTO eval_criteria (template_id, key, position, section, name, max_points, rule, param) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       [template_id, c["key"], i, c["section"], c["name"], c["max_points"], c["rule"], c["param"]])

    for table in ("eval_templates", "eval_criteria"):
        for event in ("UPDATE", "DELETE"):
            db.execute(f"CREATE TRIGGER {table}_fixed_{event.lower()} BEFORE {event} ON {table} "
                       "BEGIN SELECT RAISE(ABORT, 'một phiên bản mẫu đánh giá không sửa được: lưu phiên bản mới'); END")
    # scores keyed by the criterion's key; the officer's own scores; a disciplinary measure
    for event in ("insert", "update", "delete"):
        db.execute(f"DROP TRIGGER evaluations_locked_{event}")
    keys = {str(i): k for i, k in db.execute("SELECT id, key FROM eval_criteria")}
    for officer_id, quarter, manual in db.execute("SELECT officer_id, quarter, manual FROM evaluations").fetchall():
        keyed = {keys.get(str(k), f"c{k}"): v for k, v in json.loads(manual or "{}").items()}
        db.execute("UPDATE evaluations SET manual = ? WHERE officer_id = ? AND quarter = ?",
                   [json.dumps(keyed), officer_id, quarter])
    db.execute("ALTER TABLE evaluations ADD COLUMN self_scores TEXT NOT NULL DEFAULT '{}'")
    db.execute("ALTER TABLE evaluations ADD COLUMN discipline TEXT NOT NULL DEFAULT ''")
    for event, row in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD")):
        db.execute(f"""
            CREATE TRIGGER evaluations_locked_{event.lower()} BEFORE {event} ON evaluations
            WHEN EXISTS (SELECT 1 FROM evaluation_approvals WHERE quarter = {row}.quarter)
            BEGIN SELECT RAISE(ABORT, 'quý đã được duyệt: không sửa được'); END""")
    # an approval stores what it approved; it is never edited, only withdrawn (audited, with a reason)
    db.execute("ALTER TABLE evaluation_approvals ADD COLUMN snapshot TEXT")
    db.execute("ALTER TABLE evaluation_approvals ADD COLUMN snapshot_hash TEXT")
    db.execute("CREATE TRIGGER evaluation_approvals_fixed BEFORE UPDATE ON evaluation_approvals "
               "BEGIN SELECT RAISE(ABORT, 'phê duyệt không sửa được'); END")

    # a period report issued as final: the figures as reported, never changed
    db.execute("""
        CREATE TABLE issued_reports (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            period TEXT NOT NULL,
            start TEXT NOT NULL,
            end TEXT NOT NULL,
            issued_at TEXT NOT NULL,
            issued_by TEXT NOT NULL,
            data TEXT NOT NULL,
            data_hash TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX issued_reports_period ON issued_reports (period, id)")
    for event in ("UPDATE", "DELETE"):
        db.execute(f"CREATE TRIGGER issued_reports_fixed_{event.lower()} BEFORE {event} ON issued_reports "
                   "BEGIN SELECT RAISE(ABORT, 'báo cáo đã phát hành không sửa được'); END")


@migrations()
def m017_case_version(db):
    """Several desks: each case carries a version, raised by every change, checked when an edit is
    saved, so that an edit of a case another desk changed meanwhile is refused, never overwritten."""
    db.execute("ALTER TABLE cases ADD COLUMN version INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE deleted_cases ADD COLUMN version INTEGER")


@migrations()
def m018_search_index(db):
    """Search without diacritics on a server: its own index (SQLite's is the FTS5 table of m006).

    The expression is db.dialect.Postgres.SEARCH_VECTOR's, which the search must keep to use it."""
    if _engine(db) == "postgresql":
        db.execute("CREATE INDEX IF NOT EXISTS cases_search ON cases USING gin "
                   "(to_tsvector('simple', motcua_fold(coalesce(code, '') || ' ' || coalesce(applicant, ''))))")


# ---- m019: unknown is not no (issue 24) --------------------------------------------------------

# the yes/no columns of a case that may now be unknown (NULL)
FLAG_COLUMNS = ("digitized", "result_digitized", "has_fee", "paid_online", "e_certified")
# the monthly totals as m019 defines them: an unknown value counts in no total but its own
RECEIVED_STATS_M019 = (
    ("received", "1"), ("direct", "{r}.channel = 1"), ("online", "{r}.channel = 2"),
    ("postal", "{r}.channel = 3"), ("digitized", "coalesce({r}.digitized, 0)"),
    ("with_fee", "coalesce({r}.has_fee, 0)"), ("paid_online", "coalesce({r}.has_fee * {r}.paid_online, 0)"),
    ("e_certified", "coalesce({r}.e_certified, 0)"), ("withdrawn", "{r}.status IS 'withdrawn'"),
    ("digitized_unknown", "{r}.digitized IS NULL"), ("fee_unknown", "{r}.has_fee IS NULL"),
    ("paid_unknown", "coalesce({r}.has_fee, 0) = 1 AND {r}.paid_online IS NULL"),
)
RESOLVED_STATS_M019 = (
    ("resolved", "1"), ("result_digitized", "coalesce({r}.result_digitized, 0)"),
    ("resolved_early", "{r}.resolved_date < {r}.due_date"),
    ("resolved_on_due", "{r}.resolved_date = {r}.due_date"),
    ("resolved_late", "{r}.resolved_date > {r}.due_date"),
    ("result_unknown", "{r}.result_digitized IS NULL"),
)
STATS_SIDES_M019 = (("stats_received", "received_date", RECEIVED_STATS_M019, "1 = 1"),
                    ("stats_resolved", "resolved_date", RESOLVED_STATS_M019,
                     "{r}.resolved_date IS NOT NULL AND {r}.status IS NULL"))
_STATS_COUNTED = ("received_date", "resolved_date", "due_date", "officer_id", "field_id", "channel", "digitized",
                  "has_fee", "paid_online", "e_certified", "status", "result_digitized")


def _stats_triggers(db, sides) -> None:
    """The triggers that keep the monthly totals of ``sides`` (m019's and m020's definitions, each
    passing its own frozen columns), made again over whatever an earlier migration made."""
    for name in ("cases_stats_insert", "cases_stats_delete", "cases_stats_update"):
        db.execute(f"DROP TRIGGER IF EXISTS {name}")

    def body(row: str, sign: str) -> str:
        return "\n".join(_stats_upsert(t, d, c, row, sign, w) for t, d, c, w in sides)

    db.execute(f"CREATE TRIGGER cases_stats_insert AFTER INSERT ON cases BEGIN {body('NEW', '+')} END")
    db.execute(f"CREATE TRIGGER cases_stats_delete AFTER DELETE ON cases BEGIN {body('OLD', '-')} END")
    db.execute(f"CREATE TRIGGER cases_stats_update AFTER UPDATE OF {', '.join(_STATS_COUNTED)} ON cases BEGIN "
               f"{body('OLD', '-')} {body('NEW', '+')} END")


@migrations()
def m019_unknown_flags(db):
    """Issue 24: a yes/no value of a case (digitized on receipt, result digitized, fee, paid online,
    e-certified) may be unknown, stored as NULL, never as 0: a file without the column or with a
    blank cell says nothing. The columns lose NOT NULL (SQLite rebuilds the table once, as m013 did,
    keeping ids, indexes, triggers and the search index; a server drops the constraint in place), and
    the monthly totals count the unknown values apart (``*_unknown``), the known ones as before."""
    import re

    if _engine(db) == "postgresql":
        for column in FLAG_COLUMNS:
            db.execute(f"ALTER TABLE cases ALTER COLUMN {column} DROP NOT NULL")
    else:
        sql = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'cases'").fetchone()[0]
        new = sql
        for column in FLAG_COLUMNS:
            new, n = re.subn(rf"\b{column}(\s+)INTEGER\s+NOT\s+NULL", rf"{column}\1INTEGER", new, count=1)
            if n != 1:
                raise RuntimeError(f"m019: cột {column} không như mong đợi trong bảng cases")
        new, n = re.subn(r'^\s*CREATE\s+TABLE\s+(?:"?\w+"?)', "CREATE TABLE cases_m019", new, count=1)
        if n != 1:
            raise RuntimeError("m019: không đọc được định nghĩa bảng cases")
        kept = db.execute("SELECT sql FROM sqlite_master WHERE tbl_name = 'cases' AND type IN ('index', 'trigger') "
                          "AND sql IS NOT NULL ORDER BY type, name").fetchall()
        columns = ", ".join(r[1] for r in db.execute("PRAGMA table_info(cases)"))
        db.execute(new)
        db.execute(f"INSERT INTO cases_m019 ({columns}) SELECT {columns} FROM cases")
        db.execute("DROP TABLE cases")
        db.execute("ALTER TABLE cases_m019 RENAME TO cases")
        for (statement,) in kept:
            db.execute(statement)
    # the monthly totals: the unknown counted apart, every total counted again from the cases
    for table, columns in (("stats_received", RECEIVED_STATS_M019), ("stats_resolved", RESOLVED_STATS_M019)):
        have = {r[1] for r in db.execute(f"PRAGMA table_info({table})")}
        for column, _ in columns:
            if column not in have:
                db.execute(f"ALTER TABLE {table} ADD COLUMN {column} INTEGER NOT NULL DEFAULT 0")
    _stats_triggers(db, STATS_SIDES_M019)
    for table, date, columns, where in STATS_SIDES_M019:
        db.execute(f"DELETE FROM {table}")
        names = ", ".join(c for c, _ in columns)
        sums = ", ".join(f"sum({e.format(r='c')})" for _, e in columns)
        db.execute(f"INSERT INTO {table} (month, officer_id, field_id, {names}) "
                   f"SELECT substr(c.{date}, 1, 7), c.officer_id, coalesce(c.field_id, 0), {sums} "
                   f"FROM cases c WHERE {where.format(r='c')} GROUP BY 1, 2, 3")



# ---- m020: an e-certification not known is not "none" (issue 24) -------------------------------

RECEIVED_STATS_M020 = (*RECEIVED_STATS_M019, ("ecert_unknown", "{r}.e_certified IS NULL"))
STATS_SIDES_M020 = (("stats_received", "received_date", RECEIVED_STATS_M020, "1 = 1"), STATS_SIDES_M019[1])


@migrations()
def m020_ecert_unknown(db):
    """The received cases whose e-certification is unknown (a province export has no such column)
    counted apart in the monthly totals, as m019 does for the other yes/no values: a count of
    e-certified copies is never stated as "none" when the data does not say."""
    have = {r[1] for r in db.execute("PRAGMA table_info(stats_received)")}
    if "ecert_unknown" not in have:
        db.execute("ALTER TABLE stats_received ADD COLUMN ecert_unknown INTEGER NOT NULL DEFAULT 0")
    _stats_triggers(db, STATS_SIDES_M020)
    db.execute("UPDATE stats_received SET ecert_unknown = 0")
    rows = db.execute("SELECT substr(received_date, 1, 7), officer_id, coalesce(field_id, 0), count(*) FROM cases "
                      "WHERE e_certified IS NULL GROUP BY 1, 2, 3").fetchall()
    for month, officer_id, field_id, n in rows:
        db.execute("UPDATE stats_received SET ecert_unknown = ? WHERE month = ? AND officer_id = ? AND field_id = ?",
                   [n, month, officer_id, field_id])


@migrations()
def m021_procedure_fee_known(db):
    """Issue 24: a procedure a province file brought in (a file without a fee column) has a fee that
    nobody has said: ``fee_known = 0`` keeps it unknown in the catalogue, so that the catalogue never
    fills a later file's cases with "no fee" from it. Every procedure stored before is known."""
    have = {r[1] for r in db.execute("PRAGMA table_info(procedures)")}
    if "fee_known" not in have:
        db.execute("ALTER TABLE procedures ADD COLUMN fee_known INTEGER NOT NULL DEFAULT 1")


@migrations()
def m022_ended_index(db):
    """Issue 30: the refused and stopped cases of a period (the dashboard's line under the national
    tile, the service index) counted off a small index of those cases alone, instead of a range of
    every resolved case of the period (a year's range: 7 ms of each switch on a million cases)."""
    db.execute("CREATE INDEX IF NOT EXISTS cases_ended ON cases (resolved_date, officer_id, field_id, status) "
               "WHERE status IN ('refused', 'stopped')")

SCHEMA_VERSION = len(migrations._migrations)
