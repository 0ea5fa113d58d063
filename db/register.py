"""The case register: filtered, sorted, paged reads and single-case writes."""
from __future__ import annotations

from db.errors import Conflict

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from core.domain.cases import like_pattern, nfc, search_problem

# what a case is, on a given day
STATES = ("open", "due_today", "open_overdue", "early", "on_due", "late", "withdrawn",
          "supplement", "extended", "refused", "stopped")

# an open case waits for the citizen's papers: its clock stands still (interfaces.md §5)
_PENDING = ("(c.supplement_requested IS NOT NULL AND c.supplement_returned IS NULL)")
# the due date counting paused time; the apology's new date never moves it
_DUE = "coalesce(c.paused_due, c.due_date)"

_STATE_SQL = f"""
    CASE WHEN c.status IS NOT NULL THEN c.status
         WHEN c.resolved_date IS NULL THEN
              CASE WHEN {_PENDING} THEN 'supplement'
                   WHEN c.new_due_date IS NOT NULL THEN 'extended'
                   WHEN {_DUE} < :today THEN 'open_overdue'
                   WHEN {_DUE} = :today THEN 'due_today' ELSE 'open' END
         WHEN c.resolved_date < c.due_date THEN 'early'
         WHEN c.resolved_date = c.due_date THEN 'on_due'
         ELSE 'late' END"""

_OPEN = "c.status IS NULL AND c.resolved_date IS NULL"
_STATE_WHERE = {
    "open": _OPEN,
    "due_today": f"{_OPEN} AND NOT {_PENDING} AND {_DUE} = :today",
    # every open case past its due date, an apology sent or not; not one waiting for papers
    "open_overdue": f"{_OPEN} AND NOT {_PENDING} AND {_DUE} < :today",
    "early": "c.status IS NULL AND c.resolved_date < c.due_date",
    "on_due": "c.status IS NULL AND c.resolved_date = c.due_date",
    "late": "c.status IS NULL AND c.resolved_date > c.due_date",
    "withdrawn": "c.status = 'withdrawn'",
    "supplement": f"{_OPEN} AND {_PENDING}",
    "extended": f"{_OPEN} AND NOT {_PENDING} AND c.new_due_date IS NOT NULL",
    "refused": "c.status = 'refused'",
    "stopped": "c.status = 'stopped'",
}

# register column -> SQL to sort by
SORTS = {
    "code": "c.code", "procedure": "p.name", "applicant": "c.applicant", "officer": "o.name",
    "received_date": "c.received_date", "due_date": "c.due_date", "resolved_date": "c.resolved_date",
    "channel": "c.channel", "digitized": "c.digitized", "result_digitized": "c.result_digitized",
    "paid_online": "c.paid_online", "e_certified": "c.e_certified", "state": "state",
    "field": "f.name",
}

SELECT = f"""
    SELECT c.id, c.code, p.name AS procedure, f.name AS field, c.applicant, o.name AS officer,
           c.received_date, c.due_date, c.processing_days, c.channel, c.digitized,
           c.resolved_date, c.result_digitized, c.has_fee, c.paid_online, c.e_certified,
           c.status, c.procedure_id, c.officer_id, c.field_id, c.received_time, c.papers,
           c.supplement_requested, c.supplement_returned, c.supplement_count, c.paused_days,
           c.new_due_date, c.satisfaction, {_DUE} AS effective_due,
           c.version, {_STATE_SQL} AS state
    FROM cases c
    JOIN procedures p ON p.id = c.procedure_id
    JOIN officers o ON o.id = c.officer_id
    LEFT JOIN fields f ON f.id = c.field_id"""


def _sort_key(db, sort: str) -> str:
    """The SQL the register sorts by. Officers and fields, few, sort in Vietnamese order (Đỗ before
    Vũ) by their rank in the small table, read in ``COLLATE vi`` order: the million rows compare
    integers, never call the collation."""
    if sort in ("officer", "field"):
        table, column = ("officers", "c.officer_id") if sort == "officer" else ("fields", "c.field_id")
        ids = [r[0] for r in db.execute(f"SELECT id FROM {table} ORDER BY name COLLATE vi, id")]
        if ids:
            whens = " ".join(f"WHEN {int(i)} THEN {n}" for n, i in enumerate(ids))
            return f"(CASE {column} {whens} ELSE {len(ids)} END)"
    return SORTS.get(sort, "c.received_date")


@dataclass(frozen=True)
class RegisterFilter:
    start: dt.date | None = None  # received from (inclusive)
    end: dt.date | None = None  # received to (inclusive)
    officer_id: int | None = None
    field_id: int | None = None
    state: str | None = None
    search: str = ""


def _where(db, flt: RegisterFilter, today: dt.date) -> tuple[str, dict]:
    clauses, params = [], {"today": today.isoformat()}
    if flt.start:
        clauses.append("c.received_date >= :start")
        params["start"] = flt.start.isoformat()
    if flt.end:
        clauses.append("c.received_date <= :end")
        params["end"] = flt.end.isoformat()
    if flt.officer_id is not None:
        clauses.append("c.officer_id = :officer")
        params["officer"] = flt.officer_id
    if flt.field_id is not None:
        clauses.append("c.field_id = :field")
        params["field"] = flt.field_id
    if flt.state:
        clauses.append(_STATE_WHERE[flt.state])
    text = nfc(flt.search)  # typed with combining accents, it still finds the stored (NFC) names
    if problem := search_problem(text):
        raise ValueError(problem)
    if text:
        # a code prefix uses the unique index; words find codes and applicants through the
        # full-text index (diacritics folded); procedures are a short table matched anywhere
        params["prefix_lo"] = text
        params["prefix_hi"] = text + "\U0010ffff"
        params["like"] = like_pattern(text)  # the text's own % and _ taken literally
        match = db.dialect.search_match(params, text)
        match = f" OR {match}" if match else ""
        clauses.append("((c.code >= :prefix_lo AND c.code < :prefix_hi)" + match +
                       " OR c.procedure_id IN (SELECT id FROM procedures WHERE name LIKE :like ESCAPE '!'))")
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def count(db, flt: RegisterFilter, today: dt.date) -> int:
    where, params = _where(db, flt, today)
    return db.execute(f"SELECT count(*) FROM cases c{where}", params).fetchone()[0]


def _rows(cur) -> list[dict]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


# orders whose column is never NULL and has an index in (column, rowid) order: a page far down
# is found by counting along that index alone (keyset), not by stepping over joined rows
KEYSET = {"received_date": "cases_received_order", "code": "sqlite_autoindex_cases_1"}


def page(db, flt: RegisterFilter, today: dt.date, sort: str = "received_date", descending: bool = True,
         offset: int = 0, limit: int = 200, total: int | None = None) -> list[dict]:
    """Rows ``offset`` to ``offset + limit`` in register order.

    Given ``total``, a page in the far half is read in the reverse order so that
    SQLite never steps over more than half the rows. In the register's usual orders
    (received date, code) the first row of the page is found on the index alone and
    the page read from there (keyset): a jump to the middle of a million cases takes
    milliseconds instead of the 0,9 s of an OFFSET over the joined rows.
    """
    where, params = _where(db, flt, today)
    key = _sort_key(db, sort)
    reverse = total is not None and offset > total // 2
    if reverse:
        limit = max(0, min(limit, total - offset))
        offset = total - offset - limit
    direction = "DESC" if descending != reverse else "ASC"
    if sort in KEYSET and offset > limit:
        anchor = db.execute(f"SELECT {key}, c.id FROM cases c{where} ORDER BY {key} {direction}, c.id {direction} "
                            "LIMIT 1 OFFSET :offset", {**params, "offset": offset}).fetchone()
        if anchor is None:
            return []
        params.update(anchor_key=anchor[0], anchor_id=anchor[1], limit=limit)
        since = f"({key}, c.id) {'<=' if direction == 'DESC' else '>='} (:anchor_key, :anchor_id)"
        sql = (f"{SELECT}{where}{' AND ' if where else ' WHERE '}{since} "
               f"ORDER BY {key} {direction}, c.id {direction} LIMIT :limit")
        rows = _rows(db.execute(sql, params))
        return rows[::-1] if reverse else rows
    sql = f"{SELECT}{where} ORDER BY {key} {direction}, c.id {direction} LIMIT :limit OFFSET :offset"
    params.update(limit=limit, offset=offset)
    rows = _rows(db.execute(sql, params))
    return rows[::-1] if reverse else rows


def ordered(db, flt: RegisterFilter, today: dt.date, sort: str = "received_date", descending: bool = True):
    """Every row the filter keeps, in register order, read as they are written out (an export)."""
    where, params = _where(db, flt, today)
    key = _sort_key(db, sort)
    direction = "DESC" if descending else "ASC"
    cur = db.execute(f"{SELECT}{where} ORDER BY {key} {direction}, c.id {direction}", params)
    names = [d[0] for d in cur.description]
    for row in cur:
        yield dict(zip(names, row))


def get(db, case_id: int, today: dt.date) -> dict | None:
    cur = db.execute(f"{SELECT} WHERE c.id = :id", {"id": case_id, "today": today.isoformat()})
    row = cur.fetchone()
    return dict(zip([d[0] for d in cur.description], row)) if row else None


def next_code(db, unit: str, day: dt.date) -> str:
    """The next free code of the day: ``{unit}-{yymmdd}-{sequence}``, one past the highest sequence
    in use that day. Codes typed by hand with other tails ("…-0075b") are passed over, never taken
    for the highest: the day's codes are a few hundred rows on the code index."""
    prefix = f"{unit}-{day:%y%m%d}-"
    rows = db.execute("SELECT code FROM cases WHERE code >= ? AND code < ?",
                      [prefix, prefix + "\U0010ffff"]).fetchall()
    tails = (row[0][len(prefix):] for row in rows)
    seq = max((int(tail) for tail in tails if tail.isascii() and tail.isdigit()), default=0) + 1
    return f"{prefix}{seq:04d}"


EDITABLE = ("code", "procedure_id", "field_id", "applicant", "officer_id", "received_date", "due_date",
            "processing_days", "channel", "digitized", "resolved_date", "result_digitized", "has_fee",
            "paid_online", "e_certified", "status", "received_time", "papers")
# a case's life between receipt and result (issue 14): a summary its events keep up to date
EVENT_COLUMNS = ("supplement_requested", "supplement_returned", "supplement_count", "paused_days",
                 "new_due_date", "satisfaction")
EVENT_DEFAULTS = (None, None, 0, 0, None, None)


def _checked_values(values: dict, code: str = "") -> dict:
    """Names in NFC and the one date rule (core.domain.cases.date_problems), for every write of one case."""
    from db.imports import check_dates

    if values.get("applicant"):
        values = {**values, "applicant": nfc(values["applicant"])}
    dates = {k: dt.date.fromisoformat(v) if isinstance(v, str) else v
             for k, v in values.items() if k in ("received_date", "resolved_date") and v}
    if dates:
        check_dates({"code": values.get("code", code), **dates}, dt.date.today())
    return values


def raw(db, case_id: int) -> dict:
    """The stored columns of one case, as they are in the table (for undo)."""
    columns = (*EDITABLE, *EVENT_COLUMNS)
    cur = db.execute(f"SELECT {', '.join(columns)} FROM cases WHERE id = ?", [case_id])
    row = cur.fetchone()
    if row is None:
        raise KeyError(case_id)
    return dict(zip(columns, row))


class CaseRegister:
    """The register's cases: ``store.cases.get(id)``, ``.add``, ``.update``, ``.delete``, ``.page``.

    The register's reads and the single-case writes, as methods of ``Store``.

    A part of ``Store``, as ``col.decks`` is of Anki's collection."""

    def __init__(self, store):
        self.store = store

    def count(self, flt: RegisterFilter, today: dt.date | None = None) -> int:
        return count(self.store.db, flt, today or dt.date.today())

    def page(self, flt: RegisterFilter, sort: str = "received_date", descending: bool = True,
             offset: int = 0, limit: int = 200, total: int | None = None,
             today: dt.date | None = None) -> list[dict]:
        return page(self.store.db, flt, today or dt.date.today(), sort, descending, offset, limit, total)

    def rows(self, flt: RegisterFilter, sort: str = "received_date", descending: bool = True,
             today: dt.date | None = None):
        return ordered(self.store.db, flt, today or dt.date.today(), sort, descending)

    def get(self, case_id: int, today: dt.date | None = None) -> dict | None:
        return get(self.store.db, case_id, today or dt.date.today())

    def id_by_code(self, code: str) -> int | None:
        """The id of the case with exactly this code (what a scanner reads off a slip), or None."""
        row = self.store.db.execute("SELECT id FROM cases WHERE code = ?", [code.strip()]).fetchone()
        return row[0] if row else None

    def values(self, case_id: int) -> dict:
        return raw(self.store.db, case_id)

    def next_code(self, day: dt.date, unit: str | None = None) -> str:
        unit = unit or self.store.settings().get("unit_code") or "XA"
        return next_code(self.store.db, unit, day)

    def add(self, values: dict) -> int:
        """Insert one case given by column values (ids, ISO dates); returns its id."""
        self.store._require("cases")
        values = _checked_values(values)
        with self.store.db.atomic():
            row = {k: values[k] for k in (*EDITABLE, *EVENT_COLUMNS) if k in values}
            row["id"] = self.store._last_case_id() + 1  # never an id a deleted case had
            case_id = self.store.db.table("cases").insert(row).last_pk
            if values.get("paused_days"):
                self.store.events.set_paused_due(case_id)
            after = self.store.audit.rehash_case(case_id)
            self.store.audit.record("create", "case", case_id, None, after)
        return case_id

    def version(self, case_id: int) -> int | None:
        """The case's version: raised by every change of it (several desks, one database)."""
        row = self.store.db.execute("SELECT version FROM cases WHERE id = ?", [case_id]).fetchone()
        return None if row is None else row[0]

    def update(self, case_id: int, changes: dict, expected_version: int | None = None) -> None:
        """Change some columns of one case. Given ``expected_version`` (the version the desk read),
        a case changed meanwhile by another desk is refused with ``errors.Conflict``."""
        self.store._require("cases")
        bad = set(changes) - set(EDITABLE) - set(EVENT_COLUMNS)
        if bad:
            raise ValueError(f"cột không sửa được: {sorted(bad)}")
        changes = _checked_values(changes)
        with self.store.db.atomic():
            current = raw(self.store.db, case_id)
            if expected_version is not None:
                version = self.version(case_id)
                if version != expected_version:
                    raise Conflict(case_id, current, version)
            before = {k: current[k] for k in changes}
            self.store.db.table("cases").update(case_id, changes)
            if {"due_date", "paused_days"} & set(changes):
                self.store.events.set_paused_due(case_id)
            self.store.audit.rehash_case(case_id)
            self.store.audit.record("update", "case", case_id, before, changes)

    def delete(self, case_id: int, reason: str) -> None:
        """Move a case out of the register with a reason; ``restore_deleted_case`` brings it back."""
        self.store._require("cases")
        reason = " ".join((reason or "").split())
        if not reason:
            raise ValueError("Cần ghi lý do xoá hồ sơ.")
        with self.store.db.atomic():
            before = raw(self.store.db, case_id)
            columns = ", ".join(c for c in self.store.db.table("cases").columns_dict)
            self.store.db.execute(f"INSERT INTO deleted_cases ({columns}, deleted_at, deleted_by, reason) "
                                  f"SELECT {columns}, ?, ?, ? FROM cases WHERE id = ?",
                                  [dt.datetime.now().isoformat(timespec="seconds"), self.store.actor["username"], reason,
                                   case_id])
            self.store.db.execute("DELETE FROM cases WHERE id = ?", [case_id])
            self.store.audit.record("delete", "case", case_id, before, {"reason": reason})

    def restore(self, case_id: int) -> int:
        """Bring a deleted case back; returns its id (a new one only if a file from before ids
        were kept unique gave its id to another case meanwhile)."""
        return self.restore_many([case_id])[0]

    def restore_many(self, case_ids: Iterable[int]) -> list[int]:
        """Bring any number of deleted cases back in one transaction; returns their ids."""
        self.store._require("cases")
        restored = []
        with self.store.db.atomic():
            columns = [c for c in self.store.db.table("cases").columns_dict if c != "id"]
            names = ", ".join(columns)
            for case_id in case_ids:
                row = self.store.db.execute("SELECT rowid FROM deleted_cases WHERE id = ? ORDER BY rowid DESC LIMIT 1",
                                            [case_id]).fetchone()
                if row is None:
                    raise KeyError(case_id)
                new_id = case_id
                if self.store.db.execute("SELECT 1 FROM cases WHERE id = ?", [case_id]).fetchone():
                    new_id = self.store._last_case_id() + 1
                    self.store.db.execute("UPDATE case_ledger SET last_id = ?", [new_id - 1])
                code_taken = self.store.db.execute(
                    "SELECT 1 FROM cases WHERE code = (SELECT code FROM deleted_cases WHERE rowid = ?)",
                    [row[0]]).fetchone()
                if code_taken:
                    raise ValueError("Đã có hồ sơ khác cùng mã: không khôi phục được hồ sơ đã xoá này.")
                self.store.db.execute(f"INSERT INTO cases (id, {names}) SELECT ?, {names} FROM deleted_cases WHERE rowid = ?",
                                      [new_id, row[0]])
                self.store.db.execute("DELETE FROM deleted_cases WHERE rowid = ?", [row[0]])
                after = self.store.audit.rehash_case(new_id)
                self.store.audit.record("restore", "case", new_id, None,
                                        after if new_id == case_id else {**after, "was_id": case_id})
                restored.append(new_id)
        return restored

    def deleted_version(self, case_id: int) -> int | None:
        """The version a case had when it was last deleted (None: not in the bin)."""
        row = self.store.db.execute("SELECT version FROM deleted_cases WHERE id = ? ORDER BY rowid DESC LIMIT 1",
                                    [case_id]).fetchone()
        return None if row is None else row[0]

    def deleted(self) -> list[dict]:
        return list(self.store.db.query(
            "SELECT d.id, d.code, p.name AS procedure, d.applicant, d.received_date, d.deleted_at, d.deleted_by, "
            "d.reason FROM deleted_cases d LEFT JOIN procedures p ON p.id = d.procedure_id "
            "ORDER BY d.deleted_at DESC"))
