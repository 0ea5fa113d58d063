"""The monthly totals by officer and field, at run time.

Triggers made by ``m008_monthly_stats`` keep the totals as each case changes; a bulk
insert or update sets them aside and brings the totals up to date here, in one pass per
side. The columns and their expressions are the ones m019 and m020 froze (``db.migrations``: m008's,
with the unknown yes/no values counted apart), so this pass and the triggers count alike.
"""
from __future__ import annotations

from db.migrations import RECEIVED_STATS_M020 as RECEIVED_STATS, RESOLVED_STATS_M019 as RESOLVED_STATS
from db.migrations import STATS_SIDES_M020 as STATS_SIDES

__all__ = ["RECEIVED_STATS", "RESOLVED_STATS", "add_stats_of_cases", "add_stats_of_new_cases"]


def add_stats_of_cases(db, cases_where: str, params=(), sign: str = "") -> None:
    """Add (or with ``sign="-"`` take away) the cases matching ``cases_where`` (on alias ``c``)
    to the monthly totals, in one pass per side."""
    for table, date, columns, where in STATS_SIDES:
        names = ", ".join(c for c, _ in columns)
        sums = ", ".join(f"{sign}sum({e.format(r='c')})" for _, e in columns)
        updates = ", ".join(f"{c} = {c} + excluded.{c}" for c, _ in columns)
        db.execute(f"INSERT INTO {table} (month, officer_id, field_id, {names}) "
                   f"SELECT substr(c.{date}, 1, 7), c.officer_id, coalesce(c.field_id, 0), {sums} "
                   f"FROM cases c WHERE {cases_where} AND {where.format(r='c')} GROUP BY 1, 2, 3 "
                   f"ON CONFLICT (month, officer_id, field_id) DO UPDATE SET {updates}", list(params))


def add_stats_of_new_cases(db, after_id: int) -> None:
    """Add the cases with an id above ``after_id`` to the monthly totals, in one pass per side."""
    add_stats_of_cases(db, "c.id > ?", [after_id])
