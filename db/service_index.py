"""The service-index estimate (interfaces.md §5): the dated weights and curves, and the points of the
components the office cannot compute, typed in per period (``store.index``)."""
from __future__ import annotations

import datetime as dt
import json


class ServiceIndexStore:
    """The service-index estimate's dated models and typed-in points: ``store.index.model(day)``.

    A part of ``Store``, as ``col.decks`` is of Anki's collection."""

    def __init__(self, store):
        self.store = store

    def model(self, on: dt.date) -> tuple[str | None, dict]:
        """The weights and curves in force on a date: (valid_from, model); the shipped one when none is stored."""
        row = self.store.db.execute("SELECT valid_from, model FROM index_models WHERE valid_from <= ? "
                                    "ORDER BY valid_from DESC LIMIT 1", [on.isoformat()]).fetchone()
        if row:
            return row[0], json.loads(row[1])
        from resources import service_index_model

        return None, service_index_model()

    def set_model(self, valid_from: dt.date, model: dict) -> None:
        self.store._require("targets")
        with self.store.db.atomic():
            self.store.db.table("index_models").upsert({"valid_from": valid_from.isoformat(),
                                                        "model": json.dumps(model, ensure_ascii=False)}, pk="valid_from")
            self.store.audit.record("set", "index_model", valid_from.isoformat(), None, model)

    def points(self, period_code: str) -> dict[str, float]:
        return {c: p for c, p in self.store.db.execute("SELECT component, points FROM index_points WHERE period = ?",
                                                       [period_code])}

    def set_points(self, period_code: str, component: str, points: float | None, note: str = "") -> None:
        """The points of a component the office cannot compute, typed in from the national portal."""
        self.store._require("targets")
        with self.store.db.atomic():
            row = self.store.db.execute("SELECT points FROM index_points WHERE period = ? AND component = ?",
                                        [period_code, component]).fetchone()
            if points is None:
                self.store.db.execute("DELETE FROM index_points WHERE period = ? AND component = ?", [period_code, component])
            else:
                self.store.db.table("index_points").upsert({"period": period_code, "component": component,
                                                            "points": float(points), "note": note},
                                                           pk=("period", "component"))
            self.store.audit.record("set", "index_points", f"{component}@{period_code}",
                                    None if row is None else {"points": row[0]}, None if points is None else {"points": points})
