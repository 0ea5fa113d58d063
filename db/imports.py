"""An import that updates: stored cases read by code, new ones inserted and changed ones updated
in one transaction, every change audited with its value before."""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

from core.domain.cases import date_problems, nfc
from db.audit import ALL_HASHED, GENESIS, chain_hash, values_hash
from db.stats import add_stats_of_cases

# case-file key -> the column that stores it (names become ids)
_COLUMN = {"procedure": "procedure_id", "field": "field_id", "officer": "officer_id"}


class StoreDateError(ValueError):
    """A case whose received or resolved date breaks the one date rule (core.domain.cases.date_problems)."""


def check_dates(case: dict, today: dt.date) -> None:
    problems = date_problems(case, today)
    if problems:
        raise StoreDateError(f"hồ sơ {case.get('code', '')}: " + "; ".join(r for _, r in problems))


BULK = 500  # from this many updated cases the monthly totals are kept in two passes, not row by row


def _add_stats(db, sign: str) -> None:
    """Add (``+``) or take away (``-``) the updated cases' part of the monthly totals."""
    add_stats_of_cases(db, "c.id IN (SELECT id FROM temp.import_updated)", sign="" if sign == "+" else sign)


class Imports:
    """A case file's cases written in one transaction: ``store.imports.apply(…)``.

    A part of ``Store``, as ``col.decks`` is of Anki's collection."""

    def __init__(self, store):
        self.store = store

    _BY_CODE_SQL = """
        SELECT c.*, p.name AS procedure, f.name AS field, o.name AS officer
        FROM cases c
        JOIN procedures p ON p.id = c.procedure_id
        JOIN officers o ON o.id = c.officer_id
        LEFT JOIN fields f ON f.id = c.field_id
        WHERE c.code IN ({marks})"""

    def cases_by_code(self, codes: Iterable[str]) -> dict[str, dict]:
        """The stored cases of some codes, by code, with names (as ``export_rows`` gives them) and id."""
        out: dict[str, dict] = {}
        codes = list(codes)
        for i in range(0, len(codes), 900):
            chunk = codes[i:i + 900]
            cur = self.store.db.execute(self._BY_CODE_SQL.format(marks=",".join("?" * len(chunk))), chunk)
            names = [d[0] for d in cur.description]
            for row in cur:
                case = dict(zip(names, row))
                out[case["code"]] = case
        return out

    def approved_quarters(self) -> set[str]:
        """The quarters whose evaluations the chairman approved ('2026-Q3')."""
        return {r[0] for r in self.store.db.execute("SELECT quarter FROM evaluation_approvals")}

    def apply(self, cases: list[dict], updates: list[tuple[int, dict]]) -> tuple[int, int]:
        """Insert the new cases and update the stored ones, all in one transaction; (inserted, updated).

        ``updates`` are (case id, {case-file key: new value}), names as names and dates as dates.
        """
        self.store._require("cases")
        with self.store.db.atomic():
            n = self.store.insert_cases(cases) if cases else 0
            u = self.update_cases(updates) if updates else 0
        return n, u

    def update_cases(self, updates: list[tuple[int, dict]], today: dt.date | None = None) -> int:
        """Update cases by id from case-file values; one audit entry per case with before and after."""
        self.store._require("cases")
        today = today or dt.date.today()
        ids: dict[str, int] = {}

        def id_of(key: str, name):
            if key == "field" and not name:
                return None
            name = nfc(name)
            if (key, name) not in ids:
                if key == "officer":
                    ids[key, name] = self.store.officer_id(name) or self.store._insert_officer(name)
                elif key == "field":
                    ids[key, name] = self.store._ensure_field(name)
                else:
                    ids[key, name] = self.store._ensure_procedure(name, None, None, None)  # its fee not said
            return ids[key, name]

        with self.store.db.atomic():
            current: dict[int, dict] = {}
            all_ids = [case_id for case_id, _ in updates]
            for i in range(0, len(all_ids), 900):
                chunk = all_ids[i:i + 900]
                cur = self.store.db.execute(f"SELECT id, {', '.join(ALL_HASHED)} FROM cases WHERE id IN "
                                            f"({','.join('?' * len(chunk))})", chunk)
                for row in cur:
                    current[row[0]] = dict(zip(ALL_HASHED, row[1:]))
            groups: dict[tuple[str, ...], list[tuple]] = {}
            entries = []
            for case_id, values in updates:
                if case_id not in current:
                    raise KeyError(f"hồ sơ id {case_id} không còn trong cơ sở dữ liệu")
                check_dates({"code": current[case_id]["code"], **{
                    k: values.get(k, dt.date.fromisoformat(current[case_id][k]) if current[case_id][k] else None)
                    for k in ("received_date", "resolved_date")}}, today)
                row = dict(current[case_id])
                changes = {}
                for key, value in values.items():
                    column = _COLUMN.get(key, key)
                    if key in _COLUMN:
                        value = id_of(key, value)
                    elif isinstance(value, dt.date):
                        value = value.isoformat()
                    elif key == "applicant":
                        value = nfc(value)
                    elif key == "status":
                        value = value or None
                    if column not in row:
                        raise ValueError(f"cột không sửa được: {key}")
                    if row[column] != value:
                        changes[column] = value
                if not changes:
                    continue
                before = {c: row[c] for c in changes}
                row.update(changes)
                columns = tuple(sorted(changes))
                row_hash = values_hash(tuple(row.get(k) for k in ALL_HASHED))
                groups.setdefault(columns, []).append((*[changes[c] for c in columns], row_hash, case_id))
                entries.append(("update", "case", case_id, before, changes))
            bulk = len(entries) >= BULK
            if bulk:  # the monthly totals in two passes instead of a trigger on every row
                trigger = self.store.db.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                                                "AND name = 'cases_stats_update'").fetchone()
                self.store.db.execute("CREATE TEMP TABLE IF NOT EXISTS import_updated (id INTEGER PRIMARY KEY)")
                self.store.db.execute("DELETE FROM temp.import_updated")
                self.store.db.conn.executemany("INSERT INTO temp.import_updated (id) VALUES (?)",
                                               [(e[2],) for e in entries])
                _add_stats(self.store.db, "-")
                if trigger:
                    self.store.db.execute("DROP TRIGGER cases_stats_update")
            for columns, params in groups.items():
                sets = ", ".join(f"{c} = ?" for c in columns)
                self.store.db.conn.executemany(f"UPDATE cases SET {sets}, row_hash = ?, version = version + 1 "
                                               "WHERE id = ?", params)  # another desk's open edit is now stale
            moved = [e[2] for e in entries if {"due_date", "paused_days"} & set(e[4])]
            if moved:  # the due date counting paused time follows (db.events)
                calendar = self.store.work_calendar()
                for case_id in moved:
                    self.store.events.set_paused_due(case_id, calendar)
            if bulk:
                _add_stats(self.store.db, "+")
                if trigger:
                    self.store.db.execute(trigger[0])
                self.store.db.execute("DELETE FROM temp.import_updated")
            self._audit_many(entries)
        return len(entries)

    def _audit_many(self, entries: list[tuple]) -> None:
        """``_audit`` for many entries at once (action, entity, id, before, after), one chain."""
        if not entries:
            return
        row = self.store.db.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
        prev = row[0] if row else GENESIS
        at = dt.datetime.now().isoformat(timespec="seconds")
        actor = self.store.actor["username"]
        params = []
        state = json.dumps(self.store.audit.state(), sort_keys=True)  # the last entry records what the batch left (issue 12)
        for i, (action, entity, entity_id, before, after) in enumerate(entries, 1):
            b = None if before is None else json.dumps(before, ensure_ascii=False, sort_keys=True, default=str)
            a = None if after is None else json.dumps(after, ensure_ascii=False, sort_keys=True, default=str)
            s = state if i == len(entries) else None
            h = chain_hash(prev, at, actor, action, entity, str(entity_id), b, a, s)
            params.append((at, actor, action, entity, str(entity_id), b, a, prev, h, s))
            prev = h
        self.store.db.conn.executemany(
                  "INSERT INTO audit_log (at, actor, action, entity, entity_id, before, after, prev_hash, hash, state) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", params)
