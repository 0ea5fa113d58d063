"""Benchmark: issue 14 on a large database — the one-time rebuild of the cases table, and the
indicators with the national on-time rule, whole commands.

    python benchmarks/bench_case_events.py [--cases 1000000] [--runs 5] [--out DIR]

1. A demo database (reused when it holds the cases) is copied into a database whose schema
   stops before ``m013_case_events``; opening that copy applies the migration, timed.
2. ``indicators --period YEAR --json`` and ``index --period MONTH --json`` are timed as child
   processes; a tenth of the year's cases are first given supplement rounds, paused days,
   refusals and ratings, so the national rule has work to do.
"""
from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from common import ROOT, ensure_demo, timed  # noqa: E402


def old_schema_copy(src: Path, dest: Path) -> int:
    """``dest``: the cases of ``src`` in a database whose schema stops before issue 14."""
    import sqlite_utils

    from db.migrations import migrations

    for p in dest.parent.glob(dest.name + "*"):
        p.unlink()
    db = sqlite_utils.Database(dest)
    migrations.apply(db, stop_before="m013_case_events")
    db.execute(f"PRAGMA user_version = {len(migrations.applied(db))}")
    columns = [r[1] for r in db.execute("PRAGMA table_info(cases)")]
    names = ", ".join(columns)
    db.execute("ATTACH DATABASE ? AS src", [str(src)])
    with db.atomic():
        for table in ("fields", "officers", "procedures", "stats_received", "stats_resolved", "audit_log"):
            db.execute(f"DELETE FROM main.{table}")
            db.execute(f"INSERT INTO main.{table} SELECT * FROM src.{table}")
        # as the import does: the per-row triggers set aside, the search index built in one pass
        triggers = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN "
                              "('cases_ai', 'cases_stats_insert')").fetchall()
        for name, _ in triggers:
            db.execute(f"DROP TRIGGER {name}")
        db.execute(f"INSERT INTO main.cases ({names}) SELECT {names} FROM src.cases")
        db.execute("INSERT INTO cases_fts (cases_fts) VALUES ('rebuild')")
        for _, sql in triggers:
            db.execute(sql)
    n = db.execute("SELECT count(*) FROM cases").fetchone()[0]
    db.conn.commit()
    db.execute("DETACH DATABASE src")
    db.conn.close()
    return n


def give_cases_a_life(db: Path, year: int) -> int:
    """Supplement rounds, paused days, refusals and ratings on a tenth of the year's cases."""
    con = sqlite3.connect(db)
    with con:
        ids = [r[0] for r in con.execute(
            "SELECT id FROM cases WHERE received_date BETWEEN ? AND ? AND status IS NULL AND id % 10 = 0",
            [f"{year}-01-01", f"{year}-12-31"])]
        for i, case_id in enumerate(ids):
            if i % 4 == 3 and con.execute("SELECT resolved_date FROM cases WHERE id = ?", [case_id]).fetchone()[0]:
                con.execute("UPDATE cases SET status = 'refused', result_digitized = 0 WHERE id = ?", [case_id])
            else:
                con.execute("UPDATE cases SET supplement_requested = received_date, supplement_returned = "
                            "received_date, supplement_count = 1 + (id % 3 = 0), paused_days = 2, "
                            "paused_due = due_date, satisfaction = 'good' WHERE id = ?", [case_id])
    con.close()
    return len(ids)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", default=str(ROOT / "bench-out"))
    ap.add_argument("--year", type=int, default=dt.date.today().year - 1)
    args = ap.parse_args()
    out = Path(args.out)
    demo = out / ("million.db" if args.cases == 1_000_000 else f"demo-{args.cases}.db")
    t = ensure_demo(demo, "cases", args.cases, "--cases", str(args.cases))
    if t is not None:
        print(f"demo --cases {args.cases}: {t:.1f} s")

    old = out / "pre-i14.db"
    n = old_schema_copy(demo, old)
    from db.store import Store

    start = time.perf_counter()
    Store.open(old).close()
    migrate = time.perf_counter() - start
    print(f"migration m013_case_events over {n:,} cases (backup before it included): {migrate:.1f} s")
    con = sqlite3.connect(old)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT count(*) FROM cases").fetchone()[0] == n
    con.close()

    lives = give_cases_a_life(old, args.year)
    print(f"cases given a supplement round, a refusal or a rating: {lives:,}")
    py = sys.executable
    for label, cmd in (
        (f"indicators --period {args.year} --json", ["indicators", "--period", str(args.year), "--json"]),
        (f"indicators --period {args.year}-06 --json", ["indicators", "--period", f"{args.year}-06", "--json"]),
        (f"index --period {args.year}-06 --json", ["index", "--period", f"{args.year}-06", "--json"]),
    ):
        full = [py, "main.py", "--db", str(old), *cmd]
        timed(full)
        runs = [timed(full) for _ in range(args.runs)]
        print(f"{label}: median {statistics.median(runs) * 1000:.0f} ms over {args.runs} runs "
              f"(min {min(runs) * 1000:.0f}, max {max(runs) * 1000:.0f})")
    for p in old.parent.glob("pre-i14*"):
        if p.is_dir():
            shutil.rmtree(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
