"""The case ledger at run time: count, two hash lanes and the highest id ever given, kept by triggers.

``m016_trust`` made the table and its triggers (``db.migrations.LEDGER_TRIGGERS``); a later
migration that rebuilds the cases table drops them, and ``Store.open`` puts them back here.
"""
from __future__ import annotations

from db.migrations import LEDGER_RECOUNT, LEDGER_TRIGGERS


def ensure_ledger_triggers(db) -> bool:
    """Put back any ledger trigger missing, and then recount the ledger. Idempotent; returns True
    when any was missing."""
    have = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    missing = [name for name in LEDGER_TRIGGERS if name not in have]
    for name in missing:
        db.execute(f"CREATE TRIGGER {name} {LEDGER_TRIGGERS[name]}")
    if missing:
        recount_ledger(db)
    return bool(missing)


def recount_ledger(db) -> None:
    db.execute(LEDGER_RECOUNT)
