"""Evaluation templates, entries and approvals, as methods of ``Store``.

A template is never changed: saving one adds a new version. Criteria keep a
``key`` from version to version, and scores are stored by that key, so a
score stays on its criterion whatever is added, removed or reordered. An
approval stores the forms it approved (``snapshot``); an approved quarter is
printed from it, and only the chairman can withdraw it, with a reason.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import sqlite3

from db.audit import PermissionDenied


class EvaluationLocked(Exception):
    """The quarter has been approved: its evaluations cannot change."""


def snapshot_hash(snapshot: str) -> str:
    return hashlib.sha256(snapshot.encode("utf-8")).hexdigest()


def _key(name: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:20] or "tieu_chi"
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}_{n}"
    return key


class Evaluations:
    """Quarterly evaluations: ``store.evaluations.template()``, ``.entry``, ``.save_entry``, ``.approve``.

    A part of ``Store``, as ``col.decks`` is of Anki's collection."""

    def __init__(self, store):
        self.store = store

    def _template(self, row) -> dict:
        template = {"id": row[0], "valid_from": row[1], "version": row[2], "title": row[3],
                    "thresholds": json.loads(row[4])}
        template["criteria"] = list(self.store.db.query(
            "SELECT id, key, position, section, name, max_points, rule, param FROM eval_criteria "
            "WHERE template_id = ? ORDER BY position", [row[0]]))
        return template

    def template(self, on: dt.date, as_of: str | None = None) -> dict:
        """The template in force on a date (its newest version), with its criteria in order.

        ``as_of`` (a timestamp): the newest version that existed then, for a quarter approved
        before approvals stored their forms.
        """
        row = self.store.db.execute(
            "SELECT id, valid_from, version, title, thresholds FROM eval_templates WHERE valid_from <= ? "
            "AND (? IS NULL OR created_at = '' OR created_at <= ?) "
            "ORDER BY valid_from DESC, version DESC LIMIT 1", [on.isoformat(), as_of, as_of]).fetchone()
        if row is None:
            raise LookupError(f"không có mẫu đánh giá áp dụng cho ngày {on:%d/%m/%Y}")
        return self._template(row)

    def template_version(self, template_id: int) -> dict:
        row = self.store.db.execute("SELECT id, valid_from, version, title, thresholds FROM eval_templates WHERE id = ?",
                                    [template_id]).fetchone()
        if row is None:
            raise LookupError(f"không có phiên bản mẫu {template_id}")
        return self._template(row)

    def save_template(self, template: dict, valid_from: dt.date | None = None) -> int:
        """Save a template as a new version; returns its id.

        With ``valid_from`` the version applies from that date; otherwise it replaces the
        version ``template['id']`` from the same date on. A criterion that carries a ``key``
        (one read from an earlier version) keeps it: its scores stay with it.
        """
        self.store._require("templates")
        if valid_from is None:
            row = self.store.db.execute("SELECT valid_from FROM eval_templates WHERE id = ?",
                                        [template.get("id")]).fetchone()
            if row is None:
                raise LookupError("mẫu đánh giá không còn: tải lại trang")
            start = row[0]
        else:
            start = valid_from.isoformat()
        with self.store.db.atomic():
            previous = self.store.db.execute(
                "SELECT id, valid_from, version, title, thresholds FROM eval_templates WHERE valid_from = ? "
                "ORDER BY version DESC LIMIT 1", [start]).fetchone()
            before = None
            if previous is not None:
                old = self._template(previous)
                before = {"version": old["version"], "title": old["title"], "thresholds": old["thresholds"],
                          "criteria": [{k: c[k] for k in ("key", "section", "name", "max_points", "rule", "param")}
                                       for c in old["criteria"]]}
            version = (previous[2] + 1) if previous else 1
            template_id = self.store.db.execute(
                "INSERT INTO eval_templates (valid_from, version, title, thresholds, created_at) VALUES (?, ?, ?, ?, ?)",
                [start, version, template["title"], json.dumps(template["thresholds"], ensure_ascii=False),
                 dt.datetime.now().isoformat(timespec="seconds")]).lastrowid
            taken: set[str] = set()
            criteria = []
            for c in template["criteria"]:
                key = c.get("key")
                if not key or key in taken:
                    key = _key(c["name"], taken | self._all_keys())
                taken.add(key)
                criteria.append({"key": key, "section": c["section"], "name": c["name"],
                                 "max_points": float(c["max_points"]), "rule": c["rule"],
                                 "param": c.get("param", "") or ""})
            for i, c in enumerate(criteria, 1):
                self.store.db.execute(
                          "INSERT INTO eval_criteria (template_id, key, position, section, name, max_points, rule, param) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                          [template_id, c["key"], i, c["section"], c["name"], c["max_points"], c["rule"], c["param"]])
            self.store.audit.record("save", "template", f"{start}#{version}", before,
                                    {"version": version, "title": template["title"], "thresholds": template["thresholds"],
                                     "criteria": criteria})
        return template_id

    def _all_keys(self) -> set[str]:
        return {r[0] for r in self.store.db.execute("SELECT DISTINCT key FROM eval_criteria")}

    def entry(self, officer_id: int, quarter: str) -> dict:
        row = self.store.db.execute("SELECT manual, comments, self_scores, discipline FROM evaluations "
                                    "WHERE officer_id = ? AND quarter = ?", [officer_id, quarter]).fetchone()
        if row is None:
            return {"manual": {}, "comments": "", "self": {}, "discipline": ""}
        return {"manual": json.loads(row[0]), "comments": row[1], "self": json.loads(row[2]), "discipline": row[3]}

    def discipline_in_year(self, officer_id: int, quarter: str) -> str:
        """The latest disciplinary measure recorded for the officer from the year's first quarter up to this one."""
        row = self.store.db.execute(
            "SELECT discipline FROM evaluations WHERE officer_id = ? AND quarter BETWEEN ? AND ? AND discipline != '' "
            "ORDER BY quarter DESC LIMIT 1", [officer_id, f"{quarter[:4]}-Q1", quarter]).fetchone()
        return row[0] if row else ""

    def _write_entry(self, officer_id: int, quarter: str, entry: dict) -> None:
        if self.approval(quarter):
            raise EvaluationLocked(f"Quý {quarter} đã được duyệt: không sửa được.")
        before = self.entry(officer_id, quarter)
        exists = self.store.db.execute("SELECT 1 FROM evaluations WHERE officer_id = ? AND quarter = ?",
                                       [officer_id, quarter]).fetchone()
        try:
            with self.store.db.atomic():
                self.store.db.table("evaluations").upsert({
                          "officer_id": officer_id, "quarter": quarter,
                          "manual": json.dumps(entry["manual"], sort_keys=True),
                          "self_scores": json.dumps(entry["self"], sort_keys=True),
                          "comments": entry["comments"], "discipline": entry["discipline"],
                          "updated_at": dt.datetime.now().isoformat(timespec="seconds")},
                          pk=("officer_id", "quarter"))
                self.store.audit.record("save", "evaluation", f"{officer_id}@{quarter}", before if exists else None, entry)
        except sqlite3.IntegrityError as exc:  # the lock trigger, if approval came in between
            raise EvaluationLocked(str(exc)) from None

    def save_entry(self, officer_id: int, quarter: str, manual: dict, comments: str,
                   self_scores: dict | None = None, discipline: str | None = None) -> None:
        """The leader's scores (by criterion key) and comments; the officer's own scores and a
        disciplinary measure when given."""
        self.store._require("evaluations")
        entry = self.entry(officer_id, quarter)
        entry = {"manual": {str(k): float(v) for k, v in manual.items()}, "comments": comments,
                 "self": entry["self"] if self_scores is None else {str(k): float(v) for k, v in self_scores.items()},
                 "discipline": entry["discipline"] if discipline is None else " ".join(discipline.split())}
        self._write_entry(officer_id, quarter, entry)

    def save_self_assessment(self, officer_id: int, quarter: str, self_scores: dict) -> None:
        """The officer's own scores: by the officer (a user linked to them) or a leader."""
        if not (self.store.can("evaluations") or (self.store.can("cases") and self.store.actor.get("officer_id") == officer_id)):
            raise PermissionDenied("Chỉ cán bộ được đánh giá hoặc lãnh đạo được nhập điểm tự chấm.")
        entry = self.entry(officer_id, quarter)
        entry["self"] = {str(k): float(v) for k, v in self_scores.items()}
        self._write_entry(officer_id, quarter, entry)

    def approval(self, quarter: str) -> dict | None:
        row = self.store.db.execute("SELECT approved_at, approved_by, snapshot, snapshot_hash FROM evaluation_approvals "
                                    "WHERE quarter = ?", [quarter]).fetchone()
        if row is None:
            return None
        return {"approved_at": row[0], "approved_by": row[1],
                "snapshot": json.loads(row[2]) if row[2] else None, "snapshot_hash": row[3]}

    def approve(self, quarter: str, by: str, snapshot: dict) -> None:
        """Approve a quarter, storing the forms as approved (``core.ops.approve_quarter`` builds them)."""
        self.store._require("approve")
        text = json.dumps(snapshot, ensure_ascii=False, sort_keys=True)
        digest = snapshot_hash(text)
        with self.store.db.atomic():
            if self.approval(quarter):
                raise EvaluationLocked(f"Quý {quarter} đã được duyệt.")
            at = dt.datetime.now().isoformat(timespec="seconds")
            self.store.db.execute("INSERT INTO evaluation_approvals (quarter, approved_at, approved_by, snapshot, "
                                  "snapshot_hash) VALUES (?, ?, ?, ?, ?)", [quarter, at, by, text, digest])
            self.store.audit.record("approve", "evaluation", quarter, None,
                                    {"by": by, "at": at, "snapshot_hash": digest,
                                     "totals": {s["officer"]["name"]: s.get("total") for s in snapshot.get("sheets", [])}})

    def unapprove(self, quarter: str, reason: str) -> None:
        """Withdraw an approval: the chairman only, with a reason, in the audit log."""
        if not self.store.can("unapprove"):
            raise PermissionDenied("Chỉ chủ tịch được huỷ duyệt kết quả đánh giá.")
        reason = " ".join((reason or "").split())
        if not reason:
            raise ValueError("Cần ghi lý do huỷ duyệt.")
        with self.store.db.atomic():
            approval = self.approval(quarter)
            if approval is None:
                raise LookupError(f"Quý {quarter} chưa được duyệt.")
            self.store.db.execute("DELETE FROM evaluation_approvals WHERE quarter = ?", [quarter])
            self.store.audit.record("unapprove", "evaluation", quarter,
                                    {"by": approval["approved_by"], "at": approval["approved_at"],
                                     "snapshot_hash": approval["snapshot_hash"]}, {"reason": reason})

    def verify_approvals(self) -> list[str]:
        """Each approval as the audit log recorded it, its stored forms unchanged."""
        problems = []
        last: dict[str, tuple[str, dict]] = {}
        for action, quarter, after in self.store.db.execute(
                "SELECT action, entity_id, after FROM audit_log WHERE entity = 'evaluation' "
                "AND action IN ('approve', 'unapprove') ORDER BY id"):
            last[quarter] = (action, json.loads(after or "{}"))
        rows = list(self.store.db.execute("SELECT quarter, approved_at, approved_by, snapshot, snapshot_hash "
                                          "FROM evaluation_approvals"))
        present = set()
        for quarter, at, by, snapshot, digest in rows:
            present.add(quarter)
            action, after = last.get(quarter, (None, {}))
            if action is None and snapshot is None:
                continue  # approved before approvals were logged and stored their forms
            if action != "approve":
                problems.append(f"phê duyệt đánh giá {quarter}: không có trong nhật ký (thêm ngoài chương trình)")
                continue
            if after.get("at") and (after.get("at") != at or after.get("by") != by):
                problems.append(f"phê duyệt đánh giá {quarter}: thời điểm hoặc người duyệt khác với nhật ký "
                                "(xoá rồi thêm lại ngoài chương trình)")
            if "snapshot_hash" in after and (after["snapshot_hash"] != digest or
                                             (snapshot is not None and snapshot_hash(snapshot) != digest)):
                problems.append(f"phê duyệt đánh giá {quarter}: số liệu đã duyệt bị sửa ngoài chương trình")
        for quarter, (action, _) in last.items():
            if action == "approve" and quarter not in present:
                problems.append(f"phê duyệt đánh giá {quarter}: bị xoá ngoài chương trình (nhật ký không có "
                                "lần huỷ duyệt)")
        return problems

    # the products (cases) an officer handled in a quarter, each failing one counted once
    _PRODUCTS_SQL = """
        WITH p AS (
            SELECT * FROM cases INDEXED BY cases_officer
            WHERE officer_id = :officer AND received_date BETWEEN :start AND :end
            UNION ALL  -- carried over: still open, from the small index of open cases
            SELECT * FROM cases INDEXED BY cases_open
            WHERE officer_id = :officer AND received_date < :start AND resolved_date IS NULL AND status IS NULL
            UNION ALL  -- carried over and resolved since: received at most the longest case time before
            SELECT * FROM cases INDEXED BY cases_officer
            WHERE officer_id = :officer AND received_date >= :window AND received_date < :start
              AND status IS NULL AND resolved_date >= :start
        ), judged AS (
            SELECT *,
              (status IS NULL AND (resolved_date IS NULL OR resolved_date > :end) AND due_date < :judged
               AND {late}) AS overdue,  -- pause-aware, as open_overdue (issue 27)
              (status IS NULL AND resolved_date BETWEEN :start AND :end AND resolved_date > due_date) AS late
            FROM p
        )
        SELECT count(*),
               coalesce(sum(overdue), 0),
               coalesce(sum(late), 0),
               coalesce(sum(NOT overdue AND NOT late AND (
                   (received_date >= :start AND digitized = 0) OR
                   (status IS NULL AND resolved_date BETWEEN :start AND :end AND result_digitized = 0))), 0)
        FROM judged"""

    def products(self, officer_id: int, start: dt.date, end: dt.date, judged: dt.date) -> dict:
        """Cases handled in a period (received in it or open at its start) and the failing ones:
        overdue and still open (quantity), resolved late (timeliness), not digitized on receipt or
        without a digitized result (quality, only when neither of the others)."""
        longest = int(self.store.db.execute(
            "SELECT max(julianday(resolved_date) - julianday(received_date)) FROM cases").fetchone()[0] or 0)
        window = (start - dt.timedelta(days=longest)).isoformat()
        sql = self._PRODUCTS_SQL.format(late=self.store._late_on(":end", ":judged"))
        row = self.store.db.execute(sql, {"officer": officer_id, "start": start.isoformat(),
                                          "end": end.isoformat(), "judged": judged.isoformat(),
                                          "window": window}).fetchone()
        return dict(zip(("products", "overdue", "late", "quality"), row))
