"""Period reports issued as final: the figures as reported, kept unchanged, as methods of ``Store``."""
from __future__ import annotations

import datetime as dt
import hashlib
import json


class IssuedReportsMixin:
    def issue_report(self, period: str, start: dt.date, end: dt.date, data: dict) -> int:
        """Keep the data a report was printed from, as issued; returns its number.

        Issuing again (a corrected report) adds a new issue; the earlier one stays.
        """
        self._require("approve")
        text = json.dumps(data, ensure_ascii=False, sort_keys=True)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        by = self.actor.get("full_name") or self.actor["username"]
        with self.db.atomic():
            report_id = self.db.execute(
                "INSERT INTO issued_reports (period, start, end, issued_at, issued_by, data, data_hash) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [period, start.isoformat(), end.isoformat(), dt.datetime.now().isoformat(timespec="seconds"), by,
                 text, digest]).lastrowid
            self._audit("issue", "report", report_id, None, {"period": period, "by": by, "data_hash": digest})
        return report_id

    def issued_reports(self, period: str | None = None) -> list[dict]:
        """The issues of a period's report (or of all), newest first, without their data."""
        sql = "SELECT id, period, start, end, issued_at, issued_by, data_hash FROM issued_reports"
        params: list = []
        if period is not None:
            sql += " WHERE period = ?"
            params.append(period)
        return list(self.db.query(sql + " ORDER BY id DESC", params))

    def issued_report(self, report_id: int) -> dict:
        row = self.db.execute("SELECT id, period, issued_at, issued_by, data, data_hash FROM issued_reports "
                              "WHERE id = ?", [report_id]).fetchone()
        if row is None:
            raise LookupError(f"không có báo cáo đã phát hành số {report_id}")
        if hashlib.sha256(row[4].encode("utf-8")).hexdigest() != row[5]:
            raise ValueError(f"báo cáo đã phát hành số {report_id} bị sửa ngoài chương trình")
        return {"id": row[0], "period": row[1], "issued_at": row[2], "issued_by": row[3], "data": json.loads(row[4])}
