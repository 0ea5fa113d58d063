"""Period reports issued as final: the figures as reported, kept unchanged (``store.issued``)."""
from __future__ import annotations

import datetime as dt
import hashlib
import json


class IssuedReports:
    """A part of ``Store``, as ``col.decks`` is of Anki's collection: ``store.issued.issue(…)``,
    ``store.issued.list(period)``, ``store.issued.get(id)``."""

    def __init__(self, store):
        self.store = store

    def issue(self, period: str, start: dt.date, end: dt.date, data: dict) -> int:
        """Keep the data a report was printed from, as issued; returns its number.

        Issuing again (a corrected report) adds a new issue; the earlier one stays.
        """
        store = self.store
        store._require("approve")
        text = json.dumps(data, ensure_ascii=False, sort_keys=True)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        by = store.actor.get("full_name") or store.actor["username"]
        with store.db.atomic():
            report_id = store.db.execute(
                "INSERT INTO issued_reports (period, start, end, issued_at, issued_by, data, data_hash) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [period, start.isoformat(), end.isoformat(), dt.datetime.now().isoformat(timespec="seconds"), by,
                 text, digest]).lastrowid
            store.audit.record("issue", "report", report_id, None, {"period": period, "by": by, "data_hash": digest})
        return report_id

    def list(self, period: str | None = None) -> list[dict]:
        """The issues of a period's report (or of all), newest first, without their data."""
        sql = "SELECT id, period, start, end, issued_at, issued_by, data_hash FROM issued_reports"
        params: list = []
        if period is not None:
            sql += " WHERE period = ?"
            params.append(period)
        return [*self.store.db.query(sql + " ORDER BY id DESC", params)]

    def get(self, report_id: int) -> dict:
        row = self.store.db.execute("SELECT id, period, issued_at, issued_by, data, data_hash FROM issued_reports "
                                    "WHERE id = ?", [report_id]).fetchone()
        if row is None:
            raise LookupError(f"không có báo cáo đã phát hành số {report_id}")
        if hashlib.sha256(row[4].encode("utf-8")).hexdigest() != row[5]:
            raise ValueError(f"báo cáo đã phát hành số {report_id} bị sửa ngoài chương trình")
        return {"id": row[0], "period": row[1], "issued_at": row[2], "issued_by": row[3], "data": json.loads(row[4])}
