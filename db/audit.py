"""The audit log: who changed what, when, before and after, each entry chained to the one before.

Every change the program makes to a case, a target, a template or an
evaluation writes an entry in the same transaction. Each case row carries a
hash of its content, so a row edited behind the program's back is found by
``check``; the chain finds an edited or removed audit entry.
"""
from __future__ import annotations

import datetime as dt
import getpass
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
    "chairman": {"targets", "templates", "evaluations", "approve", "catalogues", "district", "settings"},
    "admin": {"users", "catalogues", "settings"},
    "system": {"cases", "targets", "templates", "evaluations", "approve", "catalogues", "district", "users",
               "settings"},
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
               before: str | None, after: str | None) -> str:
    text = json.dumps([prev, at, actor, action, entity, entity_id, before, after], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _json(value) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


class AuditMixin:
    actor: dict = {"username": f"hệ thống ({getpass.getuser()})", "role": "system", "full_name": ""}

    def sign_in_as(self, user: dict | None) -> None:
        self.actor = user or AuditMixin.actor

    def can(self, right: str) -> bool:
        return right in RIGHTS.get(self.actor["role"], set())

    def _require(self, right: str) -> None:
        if not self.can(right):
            role = ROLE_NAMES.get(self.actor["role"], self.actor["role"])
            raise PermissionDenied(f"{self.actor['username']} ({role}) không có quyền thực hiện việc này.")

    def _audit(self, action: str, entity: str, entity_id="", before=None, after=None) -> None:
        """Append an entry; call inside the transaction of the change it records."""
        row = self.db.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
        prev = row[0] if row else GENESIS
        at = dt.datetime.now().isoformat(timespec="seconds")
        actor = self.actor["username"]
        b, a = _json(before), _json(after)
        h = chain_hash(prev, at, actor, action, entity, str(entity_id), b, a)
        self.db.execute(
            "INSERT INTO audit_log (at, actor, action, entity, entity_id, before, after, prev_hash, hash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [at, actor, action, entity, str(entity_id), b, a, prev, h])

    def _rehash_case(self, case_id: int) -> dict:
        cur = self.db.execute(f"SELECT {', '.join(ALL_HASHED)} FROM cases WHERE id = ?", [case_id])
        row = cur.fetchone()
        values = dict(zip(ALL_HASHED, row))
        self.db.execute("UPDATE cases SET row_hash = ? WHERE id = ?", [case_hash(values), case_id])
        return values

    def history(self, entity: str, entity_id) -> list[dict]:
        return list(self.db.query(
            "SELECT id, at, actor, action, before, after FROM audit_log WHERE entity = ? AND entity_id = ? "
            "ORDER BY id", [entity, str(entity_id)]))

    def audit_entries(self, limit: int = 500) -> list[dict]:
        return list(self.db.query("SELECT id, at, actor, action, entity, entity_id, before, after "
                                  "FROM audit_log ORDER BY id DESC LIMIT ?", [limit]))

    def verify_audit(self) -> list[str]:
        """Problems in the chain: an entry edited, removed or inserted behind the program's back."""
        problems = []
        prev = GENESIS
        cur = self.db.execute("SELECT id, at, actor, action, entity, entity_id, before, after, prev_hash, hash "
                              "FROM audit_log ORDER BY id")
        for row in cur:
            entry_id, at, actor, action, entity, entity_id, before, after, stored_prev, stored = row
            if stored_prev != prev:
                problems.append(f"nhật ký, mục {entry_id}: không nối với mục trước (mục bị xoá hoặc chèn)")
            if chain_hash(stored_prev, at, actor, action, entity, entity_id, before, after) != stored:
                problems.append(f"nhật ký, mục {entry_id}: nội dung bị sửa ngoài chương trình")
            prev = stored
        return problems

    def verify_cases(self, limit: int = 50) -> list[str]:
        """Cases whose content no longer matches the hash the program wrote: edited by hand."""
        problems = []
        cur = self.db.execute(f"SELECT id, row_hash, {', '.join(ALL_HASHED)} FROM cases")
        while rows := cur.fetchmany(20000):
            for row in rows:
                if row[1] != values_hash(tuple(row[2:])):
                    problems.append(f"hồ sơ {row[2]} (id {row[0]}): bị sửa ngoài chương trình")
                    if len(problems) >= limit:
                        return problems
        return problems
