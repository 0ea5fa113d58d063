"""Evaluation templates, entries and approvals, as methods of ``Store``."""
from __future__ import annotations

import datetime as dt
import json
import sqlite3


class EvaluationLocked(Exception):
    """The quarter has been approved: its evaluations cannot change."""


class EvaluationMixin:
    def eval_template(self, on: dt.date) -> dict:
        """The template in force on a date, with its criteria in order."""
        row = self.db.execute(
            "SELECT id, valid_from, title, thresholds FROM eval_templates WHERE valid_from <= ? "
            "ORDER BY valid_from DESC LIMIT 1", [on.isoformat()]).fetchone()
        if row is None:
            raise LookupError(f"không có mẫu đánh giá áp dụng cho ngày {on:%d/%m/%Y}")
        template = {"id": row[0], "valid_from": row[1], "title": row[2], "thresholds": json.loads(row[3])}
        template["criteria"] = list(self.db.query(
            "SELECT id, position, section, name, max_points, rule, param FROM eval_criteria "
            "WHERE template_id = ? ORDER BY position", [row[0]]))
        return template

    def save_eval_template(self, template: dict, valid_from: dt.date | None = None) -> int:
        """Write a template. With ``valid_from`` a new dated version is added (or that date's
        version replaced); otherwise the template with ``template['id']`` is rewritten."""
        self._require("templates")
        with self.db.atomic():
            self._audit("save", "template", valid_from.isoformat() if valid_from else template.get("id"),
                        None, {"title": template["title"], "thresholds": template["thresholds"],
                               "criteria": template["criteria"]})
            if valid_from is not None:
                self.db.execute("DELETE FROM eval_templates WHERE valid_from = ?", [valid_from.isoformat()])
                template_id = self.db.table("eval_templates").insert({
                    "valid_from": valid_from.isoformat(), "title": template["title"],
                    "thresholds": json.dumps(template["thresholds"], ensure_ascii=False)}).last_pk
            else:
                template_id = template["id"]
                self.db.table("eval_templates").update(template_id, {
                    "title": template["title"],
                    "thresholds": json.dumps(template["thresholds"], ensure_ascii=False)})
                self.db.execute("DELETE FROM eval_criteria WHERE template_id = ?", [template_id])
            self.db.table("eval_criteria").insert_all([
                {"template_id": template_id, "position": i, "section": c["section"], "name": c["name"],
                 "max_points": float(c["max_points"]), "rule": c["rule"], "param": c.get("param", "")}
                for i, c in enumerate(template["criteria"], 1)])
        return template_id

    def evaluation_entry(self, officer_id: int, quarter: str) -> dict:
        row = self.db.execute("SELECT manual, comments FROM evaluations WHERE officer_id = ? AND quarter = ?",
                              [officer_id, quarter]).fetchone()
        if row is None:
            return {"manual": {}, "comments": ""}
        return {"manual": {int(k): v for k, v in json.loads(row[0]).items()}, "comments": row[1]}

    def save_evaluation_entry(self, officer_id: int, quarter: str, manual: dict, comments: str) -> None:
        self._require("evaluations")
        if self.quarter_approval(quarter):
            raise EvaluationLocked(f"Quý {quarter} đã được duyệt: không sửa được.")
        try:
            with self.db.atomic():
                self.db.table("evaluations").upsert({
                    "officer_id": officer_id, "quarter": quarter,
                    "manual": json.dumps({str(k): v for k, v in manual.items()}),
                    "comments": comments, "updated_at": dt.datetime.now().isoformat(timespec="seconds")},
                    pk=("officer_id", "quarter"))
                self._audit("save", "evaluation", f"{officer_id}@{quarter}",
                            None, {"manual": {str(k): v for k, v in manual.items()}, "comments": comments})
        except sqlite3.IntegrityError as exc:  # the lock trigger, if approval came in between
            raise EvaluationLocked(str(exc)) from None

    def quarter_approval(self, quarter: str) -> dict | None:
        row = self.db.execute("SELECT approved_at, approved_by FROM evaluation_approvals WHERE quarter = ?",
                              [quarter]).fetchone()
        return {"approved_at": row[0], "approved_by": row[1]} if row else None

    def approve_quarter(self, quarter: str, by: str) -> None:
        self._require("approve")
        with self.db.atomic():
            self._audit("approve", "evaluation", quarter, None, {"by": by})
            self.db.table("evaluation_approvals").insert({
                "quarter": quarter, "approved_at": dt.datetime.now().isoformat(timespec="seconds"),
                "approved_by": by}, ignore=True)
