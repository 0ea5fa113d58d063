"""Benchmark: the indicators of one year over a million cases, as a whole command.

    python benchmarks/bench_indicators.py [--cases 1000000] [--db PATH] [--runs 7]

Fills a database through ``main.py demo`` (reused when it already holds the
cases), then times ``main.py indicators --period YYYY --json`` as a child
process, start to exit, and prints the median beside the floor: one
``SELECT count(*)`` over the same year's rows in a bare sqlite3 process.
"""
from __future__ import annotations

import argparse
import datetime as dt
import platform
import sqlite3
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, ensure_demo, timed  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--db", default=str(ROOT / "bench-out" / "million.db"))
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--year", type=int, default=dt.date.today().year - 1)
    args = ap.parse_args()
    db = Path(args.db)
    t = ensure_demo(db, "cases", args.cases, "--cases", str(args.cases))
    if t is not None:
        print(f"demo --cases {args.cases}: {t:.1f} s")

    py = sys.executable
    cmd = [py, "main.py", "--db", str(db), "indicators", "--period", str(args.year), "--json"]
    timed(cmd)  # warm the page cache once
    runs = [timed(cmd) for _ in range(args.runs)]
    floor_sql = (f"import sqlite3; c=sqlite3.connect({str(db)!r}); "
                 f"c.execute(\"SELECT count(*) FROM cases WHERE received_date BETWEEN "
                 f"'{args.year}-01-01' AND '{args.year}-12-31'\").fetchone()")
    floor = [timed([py, "-c", floor_sql]) for _ in range(args.runs)]
    year_rows = sqlite3.connect(db).execute(
        "SELECT count(*) FROM cases WHERE received_date BETWEEN ? AND ?",
        [f"{args.year}-01-01", f"{args.year}-12-31"]).fetchone()[0]

    med, fmed = statistics.median(runs), statistics.median(floor)
    print(f"machine: {platform.machine()}, {platform.processor() or platform.platform()}, "
          f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}")
    print(f"cases in the database: {args.cases:,}; received in {args.year}: {year_rows:,}")
    print(f"indicators --period {args.year} --json (whole command): median {med * 1000:.0f} ms "
          f"over {args.runs} runs (min {min(runs) * 1000:.0f}, max {max(runs) * 1000:.0f})")
    print(f"floor, python + one SELECT count(*) over the year: median {fmed * 1000:.0f} ms")
    print(f"ratio: {med / fmed:.1f}x; aim 500 ms: {'met' if med < 0.5 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
