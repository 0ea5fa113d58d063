"""Case events (supplement rounds, apology, refusal, stop, rating, complaint) and the SQL of
the national timeliness rule (interfaces.md §5). The rules themselves are in ``core/events.py``."""
from __future__ import annotations

import datetime as dt
import json

from db.register import raw


def late_on(day: str, judged: str, prefix: str = "") -> str:
    """SQL: an open case is late on ``day`` judged on ``judged``, counting paused time.

    A supplement request still unanswered on the day stops the clock: the case is late only
    if it was asked after the due date. Otherwise the due date moves on by the paused days of a
    round returned by the day; a round that began (or came back) after the day had not paused
    anything on it, so the first due date judges (as ``on_time_766`` does, issue 27).
    """
    p = prefix
    return (f"(CASE WHEN {p}supplement_requested <= {day} AND ({p}supplement_returned IS NULL "
            f"OR {p}supplement_returned > {day}) THEN {p}supplement_requested > {p}due_date "
            f"WHEN {p}supplement_returned <= {day} THEN coalesce({p}paused_due, {p}due_date) < {judged} "
            f"ELSE {p}due_date < {judged} END)")


# The national rule (§5) over the population: every case received in the period, and every case
# carried over into it (not ended at its start), judged on its end E. Each part of the population
# is counted straight off its index (no row of the table is read); the few cases whose end moves
# back by paused working days (a returned supplement round) are grouped by (E, due date, paused
# days) from the small index of paused cases, and judged with the working-day calendar in Python.
_E = "(CASE WHEN resolved_date IS NOT NULL AND resolved_date <= :judged THEN resolved_date ELSE :judged END)"
# every branch a condition (1 = 1 for yes): SQLite counts them as 1 or 0, PostgreSQL as booleans.
# Every subquery in FROM has an alias: PostgreSQL before 16 requires one.
_ON_TIME = f"""CASE
            WHEN status = 'withdrawn' THEN 1 = 1
            WHEN supplement_count > 1 THEN 1 = 0
            WHEN supplement_requested IS NULL AND paused_days = 0  -- most cases: no round, E worked out once
                 THEN (CASE WHEN resolved_date <= :judged THEN resolved_date ELSE :judged END) <= due_date
            WHEN supplement_requested <= {_E} AND (supplement_returned IS NULL OR supplement_returned > {_E})
                 THEN supplement_requested <= due_date
            WHEN paused_days > 0 AND supplement_returned <= {_E} THEN 1 = 0  -- counted from PAUSED_766_SQL
            ELSE {_E} <= due_date END"""
ON_TIME_766_SQL = f"""
    SELECT coalesce(sum(n), 0), coalesce(sum(ok), 0) FROM (
        SELECT count(*) AS n, sum({_ON_TIME}) AS ok FROM cases INDEXED BY cases_received
        WHERE received_date BETWEEN :start AND :end {{filters}}
        UNION ALL
        SELECT count(*), sum({_ON_TIME}) FROM cases INDEXED BY cases_open
        WHERE resolved_date IS NULL AND status IS NULL AND received_date <= :before {{filters}}
        UNION ALL
        SELECT count(*), sum({_ON_TIME}) FROM cases INDEXED BY cases_received
        WHERE received_date BETWEEN :window AND :before AND resolved_date >= :start {{filters}}) AS population"""
_PAUSED_766_WHERE = f"""paused_days > 0 AND supplement_count <= 1 AND status IS NOT 'withdrawn'
          AND (received_date BETWEEN :start AND :end
               OR (received_date < :start AND (resolved_date IS NULL OR resolved_date >= :start)))
          AND supplement_returned <= {_E} {{filters}}"""
# the rounds asked from the window on (a range of the paused index), and the open cases asked before
# it (whatever their age; found off the resolved-date index): the two parts never share a case, and
# together they are the paused cases the rule may judge. Read as one scan of the paused index, every
# one of its rows cost a read of the table (30 ms on a million cases; 4–9 ms so).
PAUSED_766_SQL = f"""
    SELECT e, due_date, paused_days, count(*) FROM (
        SELECT {_E} AS e, due_date, paused_days FROM cases INDEXED BY cases_paused
        WHERE (supplement_requested IS NOT NULL OR paused_days > 0) AND supplement_requested >= :window
          AND {_PAUSED_766_WHERE}
        UNION ALL
        SELECT {_E} AS e, due_date, paused_days FROM cases INDEXED BY cases_resolved
        WHERE resolved_date IS NULL AND (supplement_requested < :window OR supplement_requested IS NULL)
          AND {_PAUSED_766_WHERE}) AS paused
    GROUP BY 1, 2, 3"""


class CaseEvents:
    """Case events: ``store.events.record(…)``, ``.cancel``, ``.of_case``.

    Events as records of their own, each with the case's columns it changed (for undo).

    A part of ``Store``, as ``col.decks`` is of Anki's collection."""

    def __init__(self, store):
        self.store = store

    def set_paused_due(self, case_id: int, calendar=None) -> None:
        from core.domain.events import paused_due

        due, paused = self.store.db.execute("SELECT due_date, paused_days FROM cases WHERE id = ?", [case_id]).fetchone()
        value = paused_due(due, paused, calendar or self.store.work_calendar()) if paused else None
        self.store.db.execute("UPDATE cases SET paused_due = ? WHERE id = ?", [value, case_id])

    def record(self, case_id: int, kind: str, day: dt.date, *, note: str = "",
               new_date: dt.date | None = None, rating: str | None = None,
               today: dt.date | None = None) -> int:
        """Record an event of a case and apply what it changes, in one transaction; returns its id.

        Raises ``core.domain.events.EventError`` (a Vietnamese reason) when it cannot happen.
        """
        from core.domain import events

        self.store._require("cases")
        note = "\n".join(" ".join(line.split()) for line in (note or "").splitlines() if line.strip())
        with self.store.db.atomic():
            current = raw(self.store.db, case_id)
            calendar = self.store.work_calendar()
            changes = events.changes(current, kind, day, note=note, new_date=new_date, rating=rating,
                                     calendar=calendar, today=today)
            before = {k: current[k] for k in changes}
            if changes:
                self.store.db.table("cases").update(case_id, changes)
                if "paused_days" in changes:
                    self.set_paused_due(case_id, calendar)
            self.store.audit.rehash_case(case_id)  # an event is a change of the case: its version goes up
            event_id = self.store.db.table("case_events").insert({
                "case_id": case_id, "kind": kind, "day": day.isoformat(),
                "note": note if kind != "rated" else (rating or ""),
                "new_date": new_date.isoformat() if new_date else None,
                "recorded_at": dt.datetime.now().isoformat(timespec="seconds"),
                "recorded_by": self.store.actor["username"],
                "before": json.dumps(before, ensure_ascii=False)}).last_pk
            after = {**changes, "event_day": day.isoformat()}
            if note:
                after["note"] = note
            if new_date:
                after["new_due_date"] = new_date.isoformat()
            self.store.audit.record(kind, "case", case_id, before, after)
        return event_id

    def cancel(self, event_id: int) -> None:
        """Undo an event: the case gets back the columns it had before, the record goes."""
        self.store._require("cases")
        with self.store.db.atomic():
            row = self.store.db.execute("SELECT case_id, kind, day, note, before FROM case_events WHERE id = ?",
                                        [event_id]).fetchone()
            if row is None:
                raise KeyError(event_id)
            case_id, kind, day, note, before_json = row
            before = json.loads(before_json)
            current = raw(self.store.db, case_id)
            if before:
                self.store.db.table("cases").update(case_id, before)
                if "paused_days" in before:
                    self.set_paused_due(case_id)
            self.store.audit.rehash_case(case_id)
            self.store.db.execute("DELETE FROM case_events WHERE id = ?", [event_id])
            self.store.audit.record("cancel " + kind, "case", case_id,
                                    {**{k: current[k] for k in before}, "event_day": day, "note": note}, before)

    def get(self, event_id: int) -> dict | None:
        rows = list(self.store.db.query("SELECT id, case_id, kind, day, note, new_date FROM case_events WHERE id = ?",
                                        [event_id]))
        return rows[0] if rows else None

    def of_case(self, case_id: int) -> list[dict]:
        return list(self.store.db.query(
            "SELECT id, kind, day, note, new_date, recorded_at, recorded_by FROM case_events "
            "WHERE case_id = ? ORDER BY day, id", [case_id]))

    def between(self, kind: str, start: dt.date, end: dt.date) -> list[dict]:
        return list(self.store.db.query(
            "SELECT e.id, e.case_id, c.code, e.day, e.note, e.new_date, o.name AS officer FROM case_events e "
            "JOIN cases c ON c.id = e.case_id JOIN officers o ON o.id = c.officer_id "
            "WHERE e.kind = ? AND e.day BETWEEN ? AND ? ORDER BY e.day, e.id",
            [kind, start.isoformat(), end.isoformat()]))

    def satisfaction_counts(self, start: dt.date, end: dt.date) -> dict:
        """Ratings and complaints per officer for cases resolved (ratings) or complained about
        (complaints) in a period: {officer name: {"good", "fair", "poor", "complaints"}}."""
        out: dict[str, dict[str, int]] = {}

        def row(name: str) -> dict[str, int]:
            return out.setdefault(name, {"good": 0, "fair": 0, "poor": 0, "complaints": 0})

        for name, rating, n in self.store.db.execute(
                "SELECT o.name, c.satisfaction, count(*) FROM cases c JOIN officers o ON o.id = c.officer_id "
                "WHERE c.satisfaction IS NOT NULL AND c.resolved_date BETWEEN ? AND ? GROUP BY 1, 2",
                [start.isoformat(), end.isoformat()]):
            row(name)[rating] = n
        for name, n in self.store.db.execute(
                "SELECT o.name, count(*) FROM case_events e JOIN cases c ON c.id = e.case_id "
                "JOIN officers o ON o.id = c.officer_id WHERE e.kind = 'complaint' AND e.day BETWEEN ? AND ? "
                "GROUP BY 1", [start.isoformat(), end.isoformat()]):
            row(name)["complaints"] = n
        return out

    def satisfaction_totals(self, start: dt.date, end: dt.date) -> dict[str, int]:
        """``satisfaction_counts`` of every officer together ({"good", "fair", "poor", "complaints"}):
        the ratings in one pass over the small index of rated cases, without grouping them by
        officer (the service index and the dashboard's tile need no more; a year: 9 → 3 ms)."""
        good, fair, poor = self.store.db.execute(
            "SELECT coalesce(sum(satisfaction = 'good'), 0), coalesce(sum(satisfaction = 'fair'), 0), "
            "coalesce(sum(satisfaction = 'poor'), 0) FROM cases INDEXED BY cases_rated "
            "WHERE satisfaction IS NOT NULL AND resolved_date BETWEEN ? AND ?",
            [start.isoformat(), end.isoformat()]).fetchone()
        complaints = self.store.db.execute(
            "SELECT count(*) FROM case_events e JOIN cases c ON c.id = e.case_id "
            "WHERE e.kind = 'complaint' AND e.day BETWEEN ? AND ?", [start.isoformat(), end.isoformat()]).fetchone()[0]
        return {"good": good, "fair": fair, "poor": poor, "complaints": complaints}

    # ---- the office's wording of forms and notices --------------------------------------------

    # ---- the service-index estimate: dated models, points typed in per period ----------------

