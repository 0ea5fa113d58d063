"""The audit log: who changed what, when, before and after, each entry chained to the one before.

Every change the program makes to a case, a target, a template or an
evaluation writes an entry in the same transaction. Each case row carries a
hash of its content, so a row edited behind the program's back is found by
``check``; the chain finds an edited or removed audit entry.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json

from db.register import EDITABLE as HASHED  # every column a case holds is hashed
from db.register import EVENT_COLUMNS, EVENT_DEFAULTS

# The columns of issue 14 are hashed after HASHED, and only when one of them is set: the hash
# of a case that never had an event stays what it was, so no migration rewrites (and launders)
# the hashes of existing rows.
ALL_HASHED = (*HASHED, *EVENT_COLUMNS)

GENESIS = "0" * 64


class PermissionDenied(Exception):
    """The signed-in user's role does not allow this change."""


# what each role may change; the command line runs as the machine's user with every right
RIGHTS = {
    "officer": {"cases"},
    "chairman": {"targets", "templates", "evaluations", "approve", "unapprove", "catalogues", "district", "settings"},
    "admin": {"users", "catalogues", "settings"},
    "system": {"cases", "targets", "templates", "evaluations", "approve", "unapprove", "catalogues", "district",
               "users", "settings"},
}
ROLE_NAMES = {"officer": "Cán bộ một cửa", "chairman": "Chủ tịch (lãnh đạo)", "admin": "Quản trị"}


def values_hash(values: tuple) -> str:
    """The hash of a case's values in ``HASHED`` (or ``ALL_HASHED``) order (ints, strings and None,
    as SQLite returns them)."""
    if len(values) == len(ALL_HASHED) and values[len(HASHED):] == EVENT_DEFAULTS:
        values = values[:len(HASHED)]
    return hashlib.sha256(repr(values).encode("utf-8")).hexdigest()


def case_hash(row: dict) -> str:
    return values_hash(tuple(row.get(k, d) for k, d in
                             zip(ALL_HASHED, (*[None] * len(HASHED), *EVENT_DEFAULTS))))


def chain_hash(prev: str, at: str, actor: str, action: str, entity: str, entity_id: str,
               before: str | None, after: str | None, state: str | None = None) -> str:
    fields = [prev, at, actor, action, entity, entity_id, before, after]
    if state is not None:  # entries written before the state was recorded keep their hash
        fields.append(state)
    text = json.dumps(fields, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def lane_sql(column: str, lane: int) -> str:
    """SQL for 32 bits of a hex hash (lane 0: digits 1-8, lane 1: digits 9-16) as an integer, 0 for NULL.

    Summed over the rows of a table these make a digest that any added, removed
    or rewritten row changes, kept by triggers and recomputed by ``check``.
    """
    terms = [f"((instr('0123456789abcdef', substr({column}, {lane * 8 + k + 1}, 1)) - 1) << {4 * (7 - k)})"
             for k in range(8)]
    return f"coalesce(({' + '.join(terms)}), 0)"


def lane_int(value: str | None, lane: int) -> int:
    return int(value[lane * 8:lane * 8 + 8], 16) if value else 0


# Small tables whose whole content each audit entry records as a digest: a change made
# behind the program's back no longer matches the last entry. Columns left out change
# without an audit entry by design (sign-in counters, window preferences).
DIGESTED = {
    "evaluations": (), "evaluation_approvals": (), "eval_templates": (), "eval_criteria": (),
    "issued_reports": (), "targets": (), "district_averages": (), "officers": (), "procedures": (),
    "users": ("failed_attempts", "locked_until"), "settings": (),
}
# window preferences anyone may keep, not audited (the roll-up letter's sections last ticked, too)
PREFERENCES = ("last_user", "last_officer", "rollup_sections")
PREFERENCE_PREFIXES = ("import_map:", "import_map_name:")  # the column mappings an import remembers


def is_preference(key: str) -> bool:
    return key in PREFERENCES or key.startswith(PREFERENCE_PREFIXES)


PURGED = "[đã xoá khi hết thời hạn lưu]"  # the applicant's name in the audit log after the retention purge


def _without_applicant(text: str | None) -> str | None:
    """An audit entry's values with the applicant's name replaced by ``PURGED``."""
    if not text or "applicant" not in text:
        return text
    try:
        values = json.loads(text)
    except ValueError:
        return text
    if not isinstance(values, dict) or values.get("applicant") in (None, "", PURGED):
        return text
    return _json({**values, "applicant": PURGED})


def redaction_digest(before: str | None, after: str | None) -> str:
    return hashlib.sha256(json.dumps([before, after], ensure_ascii=False).encode("utf-8")).hexdigest()


def check_code(length: int, head: str) -> str:
    """The short code printed on documents and backups: the chain's length and the start of its head."""
    return f"{length}-{head[:10].upper()}"


def parse_check_code(code: str) -> tuple[int, str] | None:
    length, _, head = code.strip().partition("-")
    if not length.isdigit() or len(head) < 6 or any(c not in "0123456789abcdefABCDEF" for c in head):
        return None
    return int(length), head.lower()


def _json(value) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


class AuditLog:
    """The chained audit log: ``store.audit.record(…)``, ``.history``, ``.verify``.

    A part of ``Store``, as ``col.decks`` is of Anki's collection."""

    def __init__(self, store):
        self.store = store

    def record(self, action: str, entity: str, entity_id="", before=None, after=None) -> None:
        """Append an entry; call inside the transaction of the change it records, after the change.

        The entry records the state the change leaves (``_state``): a later edit made
        behind the program's back no longer matches the last entry.
        """
        row = self.store.db.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
        prev = row[0] if row else GENESIS
        at = dt.datetime.now().isoformat(timespec="seconds")
        actor = self.store.actor["username"]
        b, a = _json(before), _json(after)
        state = json.dumps(self.state(), sort_keys=True)
        h = chain_hash(prev, at, actor, action, entity, str(entity_id), b, a, state)
        self.store.db.execute(
                  "INSERT INTO audit_log (at, actor, action, entity, entity_id, before, after, prev_hash, hash, state) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [at, actor, action, entity, str(entity_id), b, a, prev, h, state])

    def state(self, *, recount: bool = False) -> dict:
        """What the guarded tables hold: the cases as count and two summed hash lanes (kept by
        triggers, or recounted), the small tables as a digest each."""
        if recount:
            row = self.store.db.execute(f"SELECT count(*), coalesce(sum({lane_sql('row_hash', 0)}), 0), "
                                        f"coalesce(sum({lane_sql('row_hash', 1)}), 0) FROM cases").fetchone()
        else:
            row = self.store.db.execute("SELECT n, a, b FROM case_ledger").fetchone()
        state = {"cases": list(row)}
        tables = {r[0] for r in self.store.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for table, left_out in DIGESTED.items():
            if table not in tables:
                continue
            cur = self.store.db.execute(f"SELECT * FROM [{table}] ORDER BY rowid" if table != "settings"
                                        else "SELECT * FROM settings ORDER BY key")
            keep = [i for i, d in enumerate(cur.description) if d[0] not in left_out]
            digest = hashlib.sha256()
            for r in cur:
                if table == "settings" and is_preference(r[0]):
                    continue
                digest.update(repr(tuple(r[i] for i in keep)).encode("utf-8"))
            state[table] = digest.hexdigest()[:16]
        return state

    def anchor(self) -> tuple[int, str]:
        """The chain's length and its head, to keep outside the file."""
        n, = self.store.db.execute("SELECT count(*) FROM audit_log").fetchone()
        row = self.store.db.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
        return n, row[0] if row else GENESIS

    def check_code(self) -> str:
        return check_code(*self.anchor())

    def rehash_case(self, case_id: int) -> dict:
        cur = self.store.db.execute(f"SELECT {', '.join(ALL_HASHED)} FROM cases WHERE id = ?", [case_id])
        row = cur.fetchone()
        values = dict(zip(ALL_HASHED, row))
        # every change of a case's content passes here: its version goes up (several desks, one database)
        self.store.db.execute("UPDATE cases SET row_hash = ?, version = version + 1 WHERE id = ?",
                              [case_hash(values), case_id])
        return values

    def history(self, entity: str, entity_id) -> list[dict]:
        return list(self.store.db.query(
            "SELECT id, at, actor, action, before, after FROM audit_log WHERE entity = ? AND entity_id = ? "
            "ORDER BY id", [entity, str(entity_id)]))

    def entries(self, limit: int = 500) -> list[dict]:
        return list(self.store.db.query("SELECT id, at, actor, action, entity, entity_id, before, after "
                                        "FROM audit_log ORDER BY id DESC LIMIT ?", [limit]))

    def redact_applicants(self, case_ids: set[int]) -> dict[str, str]:
        """Replace the applicant's name in the audit entries of these cases by a marker.

        An entry's hash covers its text, so a redacted entry can no longer be recomputed: the purge
        entry that follows records, for each redacted entry, the digest of its new text
        (``redaction_digest``), and ``verify_audit`` checks a redacted entry against that record,
        the purge entry itself being chained like any other. Returns {entry id: digest}."""
        if not case_ids:
            return {}
        redacted = {}
        ids = sorted(str(i) for i in case_ids)
        rows = []
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            rows += self.store.db.execute(
                f"SELECT id, before, after FROM audit_log WHERE entity = 'case' AND entity_id IN "
                f"({','.join('?' * len(chunk))})", chunk).fetchall()
        changed = []
        for entry_id, before, after in rows:
            new_before, new_after = _without_applicant(before), _without_applicant(after)
            if (new_before, new_after) != (before, after):
                changed.append((entry_id, new_before, new_after))
        if changed:
            with self.store.db.dialect.triggers_set_aside(self.store.db, ("audit_log_append_only_update",)):
                for entry_id, new_before, new_after in changed:
                    self.store.db.execute("UPDATE audit_log SET before = ?, after = ? WHERE id = ?",
                                          [new_before, new_after, entry_id])
                    redacted[str(entry_id)] = redaction_digest(new_before, new_after)
        return redacted

    def verify(self) -> list[str]:
        """Problems in the chain: an entry edited, removed or inserted behind the program's back."""
        problems = []
        prev = GENESIS
        cur = self.store.db.execute("SELECT id, at, actor, action, entity, entity_id, before, after, prev_hash, hash, "
                                    "state FROM audit_log ORDER BY id")
        last_state = None
        redactions = self._redactions()
        for row in cur:
            entry_id, at, actor, action, entity, entity_id, before, after, stored_prev, stored, state = row
            if stored_prev != prev:
                problems.append(f"nhật ký, mục {entry_id}: không nối với mục trước (mục bị xoá hoặc chèn)")
            if str(entry_id) in redactions:  # names cleared by a purge: its entry vouches for the new text
                if redaction_digest(before, after) != redactions[str(entry_id)]:
                    problems.append(f"nhật ký, mục {entry_id}: nội dung bị sửa ngoài chương trình")
            elif chain_hash(stored_prev, at, actor, action, entity, entity_id, before, after, state) != stored:
                problems.append(f"nhật ký, mục {entry_id}: nội dung bị sửa ngoài chương trình")
            prev = stored
            if state is not None:
                last_state = (entry_id, state)
        if last_state is not None and not problems:
            problems += self._compare_state(*last_state)
        return problems

    def _redactions(self) -> dict[str, str]:
        """{entry id: digest of its redacted text} from every purge entry (only earlier entries count)."""
        out = {}
        for purge_id, after in self.store.db.execute(
                "SELECT id, after FROM audit_log WHERE action = 'purge applicants' ORDER BY id"):
            try:
                listed = (json.loads(after) or {}).get("redacted") or {}
            except (TypeError, ValueError):
                continue
            out.update({k: v for k, v in listed.items() if k.isdigit() and int(k) < purge_id})
        return out

    def _compare_state(self, entry_id: int, recorded: str) -> list[str]:
        """The tables against the state the last audit entry recorded."""
        try:
            then = json.loads(recorded)
        except ValueError:
            return [f"nhật ký, mục {entry_id}: trạng thái ghi kèm không đọc được"]
        now = self.state(recount=True)
        problems = []
        n_then, n_now = then.get("cases", [0])[0], now["cases"][0]
        if n_now < n_then:
            problems.append(f"bảng hồ sơ: còn {n_now} hồ sơ, nhật ký ghi {n_then}: "
                            f"{n_then - n_now} hồ sơ bị xoá ngoài chương trình")
        elif n_now > n_then:
            problems.append(f"bảng hồ sơ: có {n_now} hồ sơ, nhật ký ghi {n_then}: "
                            f"{n_now - n_then} hồ sơ được thêm ngoài chương trình")
        elif then.get("cases") != now["cases"]:
            problems.append("bảng hồ sơ: nội dung khác với lần ghi nhật ký cuối (hồ sơ bị sửa ngoài chương trình, "
                            "kể cả khi mã kiểm tra của dòng được tính lại)")
        names = {"evaluations": "điểm đánh giá", "evaluation_approvals": "phê duyệt đánh giá",
                 "eval_templates": "mẫu phiếu đánh giá", "eval_criteria": "tiêu chí đánh giá",
                 "issued_reports": "báo cáo đã phát hành", "targets": "chỉ tiêu",
                 "district_averages": "bình quân chung", "officers": "cán bộ", "procedures": "thủ tục",
                 "users": "người dùng", "settings": "thông tin cơ quan"}
        for table, digest in then.items():
            if table != "cases" and now.get(table) != digest:
                problems.append(f"bảng {names.get(table, table)}: bị sửa ngoài chương trình "
                                f"(khác với lần ghi nhật ký cuối, mục {entry_id})")
        return problems

    def verify_anchor(self, against) -> list[str]:
        """``check`` given a printed code or a backup file."""
        import sqlite3
        from pathlib import Path

        code = parse_check_code(str(against))
        if code is not None and not Path(str(against)).is_file():
            return self.verify_against(*code)
        path = Path(str(against))
        if not path.is_file():
            return [f"{against}: không phải mã kiểm tra (dạng 1234-9F3A2B7C01) hay tệp sao lưu"]
        try:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                theirs = [r[0] for r in conn.execute("SELECT hash FROM audit_log ORDER BY id")]
                approvals = {}
                if "snapshot_hash" in {r[1] for r in conn.execute("PRAGMA table_info(evaluation_approvals)")}:
                    approvals = dict(conn.execute("SELECT quarter, snapshot_hash FROM evaluation_approvals"))
            finally:
                conn.close()
        except sqlite3.DatabaseError as exc:
            return [f"{path.name}: không đọc được nhật ký của bản sao lưu ({exc})"]
        ours = [r[0] for r in self.store.db.execute("SELECT hash FROM audit_log ORDER BY id")]
        problems = []
        for i, (a, b) in enumerate(zip(theirs, ours), 1):
            if a != b:
                problems.append(f"nhật ký bị viết lại từ mục thứ {i} (khác với bản sao lưu {path.name})")
                break
        if len(ours) < len(theirs) and not problems:
            problems.append(f"nhật ký chỉ còn {len(ours)} mục, bản sao lưu {path.name} có {len(theirs)}: "
                            f"{len(theirs) - len(ours)} mục cuối đã bị xoá")
        # an approval the backup saw must still be the same, unless withdrawn through the program
        withdrawn = {r[0] for r in self.store.db.execute(
            "SELECT entity_id FROM audit_log WHERE entity = 'evaluation' AND action = 'unapprove'")}
        now = dict(self.store.db.execute("SELECT quarter, snapshot_hash FROM evaluation_approvals"))
        for quarter, digest in approvals.items():
            if quarter not in withdrawn and digest and now.get(quarter) != digest:
                problems.append(f"phê duyệt đánh giá {quarter} khác với bản sao lưu {path.name} mà không có "
                                "lần huỷ duyệt nào trong nhật ký")
        return problems

    def verify_against(self, length: int, head: str) -> list[str]:
        """The chain against an anchor kept outside the file (a printed code or a backup's head)."""
        n, = self.store.db.execute("SELECT count(*) FROM audit_log").fetchone()
        if n < length:
            return [f"nhật ký chỉ còn {n} mục, mã kiểm tra ghi {length}: {length - n} mục cuối đã bị xoá"]
        row = self.store.db.execute("SELECT hash FROM audit_log ORDER BY id LIMIT 1 OFFSET ?", [length - 1]).fetchone()
        at = row[0] if row else GENESIS
        if not at.startswith(head.lower()):
            return [f"nhật ký bị viết lại: mục thứ {length} không khớp với mã kiểm tra {check_code(length, head)}"]
        return []

    def verify_cases(self, limit: int = 50) -> list[str]:
        """Cases whose content no longer matches the hash the program wrote: edited by hand."""
        problems = []
        cur = self.store.db.execute(f"SELECT id, row_hash, {', '.join(ALL_HASHED)} FROM cases")
        while rows := cur.fetchmany(20000):
            for row in rows:
                if row[1] != values_hash(tuple(row[2:])):
                    problems.append(f"hồ sơ {row[2]} (id {row[0]}): bị sửa ngoài chương trình")
                    if len(problems) >= limit:
                        return problems
        return problems
