"""The SQL of the roll-up: a unit's database opened read-only, and the reminders the roll-up office keeps."""
from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from urllib.parse import quote


def open_readonly(path: str | Path):
    """A ``Store`` over a unit's database that can neither migrate nor write.

    A file without a write-ahead log beside it is whole in itself and nobody has
    it open: it is read as immutable, so not even SQLite's shared-memory file
    appears beside it. One with a log is read with ``mode=ro`` (the log holds
    committed changes); in a folder we may not write, as immutable again.
    Raises ``StoreError`` when the file is not a Một Cửa database.
    """
    from db.store import Store, StoreError

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
        raise StoreError(f"không mở được {path.name}: {error}")
    missing = {"cases", "settings", "stats_received", "stats_resolved"} - tables
    if missing:
        conn.close()
        raise StoreError(f"{path.name} không phải cơ sở dữ liệu của Một Cửa (thiếu bảng {', '.join(sorted(missing))})")
    return Store(conn, path)


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
        loses that month's reminder). One transaction, audited.
        """
        self.store._require("district")
        out: dict[str, int] = {}
        with self.db.atomic():
            stored = {r["unit"]: r for r in self.db.query(
                "SELECT unit, number, overdue FROM rollup_reminders WHERE month = ?", [month])}
            for unit in sorted(set(stored) - set(overdue)):
                self.db.execute("DELETE FROM rollup_reminders WHERE unit = ? AND month = ?", [unit, month])
                self.store._audit("delete", "rollup_reminder", f"{unit}@{month}", dict(stored[unit]), None)
            for unit, count in sorted(overdue.items()):
                before = stored.get(unit)
                if before is not None:
                    out[unit] = before["number"]
                    if before["overdue"] != count:
                        self.db.execute("UPDATE rollup_reminders SET overdue = ? WHERE unit = ? AND month = ?",
                                        [count, unit, month])
                        self.store._audit("update", "rollup_reminder", f"{unit}@{month}", dict(before),
                                    {**dict(before), "overdue": count})
                    continue
                earlier = self.db.execute("SELECT count(*) FROM rollup_reminders WHERE unit = ? AND month < ?",
                                          [unit, month]).fetchone()[0]
                out[unit] = earlier + 1
                self.db.execute("INSERT INTO rollup_reminders (unit, month, number, overdue) VALUES (?, ?, ?, ?)",
                                [unit, month, out[unit], count])
                self.store._audit("insert", "rollup_reminder", f"{unit}@{month}", None,
                            {"unit": unit, "month": month, "number": out[unit], "overdue": count})
        return out

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
