"""The SQL of the roll-up: a unit's database opened read-only, and the reminders the roll-up office keeps."""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from urllib.parse import quote

from db.dialect import is_url

REQUIRED = {"cases", "settings", "stats_received", "stats_resolved"}


def open_readonly(path: str | Path):
    """A ``Store`` over a unit's database that can neither migrate nor write.

    A file without a write-ahead log beside it is whole in itself and nobody has
    it open: it is read as immutable, so not even SQLite's shared-memory file
    appears beside it. One with a log is read with ``mode=ro`` (the log holds
    committed changes); in a folder we may not write, as immutable again.
    Raises ``StoreError`` when the file is not a Một Cửa database.
    """
    from db.store import Store, StoreError

    if is_url(path):
        return _open_server_readonly(path)
    path = Path(path)
    uri = "file:" + quote(str(path.resolve()))
    conn = None
    modes = ["?mode=ro", "?mode=ro&immutable=1"]
    if not Path(str(path) + "-wal").exists():
        modes.reverse()
    for mode in modes:
        try:
            conn = sqlite3.connect(uri + mode, uri=True, isolation_level=None)
            conn.execute("PRAGMA query_only = ON")
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            break
        except sqlite3.DatabaseError as exc:
            if conn is not None:
                conn.close()
                conn = None
            error = exc
    if conn is None:
        if isinstance(error, sqlite3.DatabaseError) and any(
                w in str(error) for w in ("not a database", "malformed", "encrypted")):
            raise StoreError(f"{path.name} bị hỏng hoặc không phải cơ sở dữ liệu SQLite ({error})")
        raise StoreError(f"không mở được {path.name}: {error}")
    missing = REQUIRED - tables
    if missing:
        conn.close()
        raise StoreError(f"{path.name} không phải cơ sở dữ liệu của Một Cửa (thiếu bảng {', '.join(sorted(missing))})")
    return Store(conn, path)


def _open_server_readonly(url: str):
    """A unit's office database on a PostgreSQL server, read in read-only transactions only (the
    server refuses any write), never migrated nor given the program's functions."""
    from db import errors
    from db.engine import BUSY_TIMEOUT
    from db.pg import PgDatabase, where_of
    from db.store import Store, StoreError

    db = PgDatabase(url, BUSY_TIMEOUT, read_only=True)
    try:
        tables = set(db.table_names())
        missing = (REQUIRED | {"motcua_schema"}) - tables
        if missing:
            raise StoreError(f"{where_of(url)} không phải cơ sở dữ liệu của Một Cửa "
                             f"(thiếu bảng {', '.join(sorted(missing))})")
        db.refuse_writes = errors.read_only(where_of(url), "nguồn của tổng hợp chỉ được đọc")
    except BaseException:
        db.close()
        raise
    store = Store.__new__(Store)
    store.path, store.db = url, db
    return store


def source_name(source) -> str:
    """A source as people see it: a file's name, or a server's database and host (never a password)."""
    if is_url(source):
        from db.pg import where_of

        return where_of(source)
    return Path(source).name


def source_stem(source) -> str:
    """A unit's name when its data do not say it: the file's name without extension, the database's name."""
    if is_url(source):
        from psycopg.conninfo import conninfo_to_dict

        try:
            return conninfo_to_dict(source).get("dbname") or "?"
        except Exception:
            return "?"
    return Path(source).stem


def shown_source(source) -> str:
    """A source as the roll-up's results keep it: a file's path, a server's URL without its password."""
    if is_url(source):
        from db.pg import without_password

        return without_password(source)
    return str(source)


def data_end(store) -> dt.date | None:
    """The last day the unit's data reaches: its latest receipt or result."""
    row = store.db.execute("SELECT (SELECT max(received_date) FROM cases), "
                           "(SELECT max(resolved_date) FROM cases)").fetchone()
    days = [dt.date.fromisoformat(d[:10]) for d in row if d]
    return max(days) if days else None


class RollupMemory:
    """The roll-up office's memory, a part of ``Store`` (``store.rollup``, as ``col.decks`` is of Anki's
    collection): the reminders (nhắc nhở) it sends to units with overdue cases, numbered per unit,
    and the units it has ranked."""

    def __init__(self, store):
        self.store = store

    @property
    def db(self):
        return self.store.db

    def reminders(self, unit: str | None = None) -> list[dict]:
        sql = "SELECT unit, month, number, overdue FROM rollup_reminders"
        params: list = []
        if unit is not None:
            sql += " WHERE unit = ?"
            params.append(unit)
        return list(self.db.query(sql + " ORDER BY unit, month", params))

    def record_reminders(self, month: str, overdue: dict[str, int]) -> dict[str, int]:
        """Number this month's reminders: ``{unit: overdue cases}`` -> ``{unit: number}``.

        A unit's number is one more than its reminders of earlier months; the same
        month rolled up again keeps the numbers it gave (a unit no longer overdue
        loses that month's reminder). Months rolled up out of order are numbered in
        month order: a month put before later ones moves their numbers on (issue 27).
        One transaction, audited.
        """
        self.store._require("district")
        out: dict[str, int] = {}
        with self.db.atomic():
            stored = {r["unit"]: r for r in self.db.query(
                "SELECT unit, number, overdue FROM rollup_reminders WHERE month = ?", [month])}
            for unit in sorted(set(stored) - set(overdue)):
                self.db.execute("DELETE FROM rollup_reminders WHERE unit = ? AND month = ?", [unit, month])
                self.store.audit.record("delete", "rollup_reminder", f"{unit}@{month}", dict(stored[unit]), None)
            for unit, count in sorted(overdue.items()):
                before = stored.get(unit)
                if before is not None:
                    out[unit] = before["number"]
                    if before["overdue"] != count:
                        self.db.execute("UPDATE rollup_reminders SET overdue = ? WHERE unit = ? AND month = ?",
                                        [count, unit, month])
                        self.store.audit.record("update", "rollup_reminder", f"{unit}@{month}", dict(before),
                                          {**dict(before), "overdue": count})
                    continue
                earlier = self.db.execute("SELECT count(*) FROM rollup_reminders WHERE unit = ? AND month < ?",
                                          [unit, month]).fetchone()[0]
                out[unit] = earlier + 1
                self.db.execute("INSERT INTO rollup_reminders (unit, month, number, overdue) VALUES (?, ?, ?, ?)",
                                [unit, month, out[unit], count])
                self.store.audit.record("insert", "rollup_reminder", f"{unit}@{month}", None,
                                  {"unit": unit, "month": month, "number": out[unit], "overdue": count})
            # every unit touched: its reminders numbered 1, 2, … in month order
            for unit in sorted(set(stored) | set(overdue)):
                rows = list(self.db.query("SELECT unit, month, number, overdue FROM rollup_reminders "
                                          "WHERE unit = ? ORDER BY month", [unit]))
                for number, row in enumerate(rows, 1):
                    if row["number"] != number:
                        self.db.execute("UPDATE rollup_reminders SET number = ? WHERE unit = ? AND month = ?",
                                        [number, unit, row["month"]])
                        self.store.audit.record("update", "rollup_reminder", f"{unit}@{row['month']}", dict(row),
                                                {**dict(row), "number": number})
                    if row["month"] == month and unit in out:
                        out[unit] = number
        return out

    _NAMES_KEY = "rollup_unit_names"

    def unit_names(self) -> dict[str, str]:
        """The units' names the user gave, by file name (``{"xa-hong-phong.csv": "UBND xã Hồng Phong"}``)."""
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", [self._NAMES_KEY]).fetchone()
        try:
            names = json.loads(row[0]) if row else {}
        except ValueError:
            return {}
        return {str(k): str(v) for k, v in names.items()} if isinstance(names, dict) else {}

    def set_unit_names(self, names: dict[str, str]) -> dict[str, str]:
        """Remember units' names by file name (an empty name forgets one); returns all of them. Audited."""
        self.store._require("district")
        with self.db.atomic():
            before = self.unit_names()
            after = dict(before)
            for file, name in names.items():
                name = " ".join(str(name).split())
                if name:
                    after[file] = name
                else:
                    after.pop(file, None)
            if after != before:
                self.db.table("settings").upsert({"key": self._NAMES_KEY,
                                                  "value": json.dumps(after, ensure_ascii=False, sort_keys=True)},
                                                 pk="key")
                self.store.audit.record("update", "settings", self._NAMES_KEY, before, after)
        return after

    def known_units(self, since: str) -> list[str]:
        """Units rolled up in a month from ``since`` on (one missing now has not reported)."""
        return [r[0] for r in self.db.execute("SELECT name FROM rollup_units WHERE last_month >= ? ORDER BY name",
                                              [since])]

    def remember_units(self, names: list[str], month: str) -> None:
        self.store._require("district")
        with self.db.atomic():
            for name in names:
                self.db.execute("INSERT INTO rollup_units (name, last_month) VALUES (?, ?) ON CONFLICT (name) "
                                "DO UPDATE SET last_month = max(last_month, excluded.last_month)", [name, month])
