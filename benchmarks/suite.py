"""The benchmark suite: every common action, as a whole operation, on a million demo cases.

    python benchmarks/suite.py [--cases 1000000] [--runs 3] [--out benchmarks/results.md]

Each figure is a median over several runs and stands beside its floor, measured in
the same run. Databases and files go to ./bench-out (reused when they already
hold what is needed). Results are printed and written to --out (markdown) and to
the same name with .json; the README's performance table quotes them.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, count, ensure_demo  # noqa: E402

PY = sys.executable
OUT = ROOT / "bench-out"
ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def run(cmd: list[str], **kw) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, **kw)
    return time.perf_counter() - start


def median_of(runs: int, fn) -> float:
    return statistics.median(fn() for _ in range(runs))


def main_cli(db: Path, *args: str) -> list[str]:
    return [PY, "main.py", "--db", str(db), *args]


def prepare(cases: int) -> dict[str, Path]:
    OUT.mkdir(exist_ok=True)
    files = {"million": OUT / "million.db", "hundred": OUT / "hundred.db", "officers": OUT / "officers.db",
             "empty": OUT / "empty.db", "csv": OUT / "cases-100k.csv", "xlsx": OUT / "cases-100k.xlsx"}
    for key, n, extra in (("million", cases, []), ("hundred", 100_000, []),
                          ("officers", 100_000, ["--officers", "30"])):
        t = ensure_demo(files[key], "cases", n, "--cases", str(n), *extra)
        if t is not None:
            print(f"prepared {files[key].name}: demo --cases {n} in {t:.1f} s", flush=True)
    if count(files["empty"]) != 0:
        files["empty"].unlink(missing_ok=True)
        run(main_cli(files["empty"], "check"))
    for key in ("csv", "xlsx"):
        if not files[key].exists():
            run(main_cli(files["hundred"], "export", str(files[key])))
    sys.path.insert(0, str(ROOT))
    from db.store import Store

    store = Store.open(files["million"])
    if not any(u["username"] == "bench" for u in store.users()):  # the command line may add users
        store.add_user("bench", "benchmark2026", "chairman", "Benchmark")
    store.close()
    return files


def probe(args: list[str]) -> list[dict]:
    out = subprocess.run([PY, "benchmarks/probe_window.py", *args], check=True, cwd=ROOT, env=ENV,
                         capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def time_until_ready(args: list[str]) -> float:
    start = time.perf_counter()
    child = subprocess.Popen([PY, "benchmarks/probe_window.py", *args], cwd=ROOT, env=ENV,
                             stdout=subprocess.PIPE, text=True)
    for line in child.stdout:
        if '"ready"' in line:
            elapsed = time.perf_counter() - start
            break
    child.wait()
    return elapsed


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results.md"))
    args = ap.parse_args()
    files = prepare(args.cases)
    year = dt.date.today().year - 1
    rows: list[dict] = []

    def record(name, seconds, floor=None, floor_name="", aim=None):
        row = {"operation": name, "median_s": round(seconds, 3), "floor_s": round(floor, 3) if floor else None,
               "floor": floor_name, "ratio": round(seconds / floor, 1) if floor else None, "aim_s": aim,
               "met": None if aim is None else seconds < aim}
        rows.append(row)
        print(f"{name}: {seconds * 1000:.0f} ms" + (f" (floor {floor * 1000:.0f} ms, {row['ratio']}x)" if floor else "")
              + ("" if aim is None else f", aim {aim * 1000:.0f} ms {'met' if row['met'] else 'MISSED'}"), flush=True)

    m = str(files["million"])
    window = median_of(args.runs, lambda: time_until_ready(["--db", m]))
    bare = median_of(args.runs, lambda: time_until_ready(["--bare"]))
    record("start to a usable window (million cases)", window, bare, "bare PySide6 window with one label", 1.5)

    steps = probe(["--db", m, "--steps"])
    by = {}
    for s in steps:
        by.setdefault(s["step"], []).append(s)
    record("open the register and scroll to the end", by["register_scroll_to_end"][0]["ms"] / 1000)
    record("search the register for a name", by["search"][0]["ms"] / 1000)
    switches = [s["ms"] for s in by["dashboard_switch"]]
    figures = [s["figures_ms"] for s in by["dashboard_switch"]]
    record("dashboard period switch: tiles and lists", statistics.median(figures) / 1000, aim=0.3)
    record("dashboard period switch: with the chart redrawn", statistics.median(switches) / 1000, aim=0.3)
    rss = by["memory"][0]["rss_mb"]

    ind = median_of(args.runs + 2, lambda: run(main_cli(files["million"], "indicators", "--period", str(year),
                                                        "--json")))
    sql = (f"import sqlite3; sqlite3.connect({m!r}).execute(\"SELECT count(*) FROM cases WHERE received_date "
           f"BETWEEN '{year}-01-01' AND '{year}-12-31'\").fetchone()")
    floor = median_of(args.runs + 2, lambda: run([PY, "-c", sql]))
    record(f"indicators --period {year} --json (whole command)", ind, floor, "python + one SELECT count(*)", 0.5)

    def fresh_import(source: Path) -> float:
        target = OUT / "import-target.db"
        for p in OUT.glob("import-target.db*"):
            p.unlink()
        shutil.copy(files["empty"], target)
        return run(main_cli(target, "import", str(source)))

    def floor_import() -> float:
        target = OUT / "floor-target.db"
        target.unlink(missing_ok=True)
        return run([PY, "-m", "sqlite_utils", "insert", str(target), "cases", str(files["csv"]), "--csv"])

    csv_floor = median_of(args.runs, floor_import)
    record("import 100.000 cases from CSV", median_of(args.runs, lambda: fresh_import(files["csv"])), csv_floor,
           "sqlite-utils insert of the same CSV", 5.0)
    record("import 100.000 cases from XLSX", median_of(args.runs, lambda: fresh_import(files["xlsx"])), csv_floor,
           "sqlite-utils insert of the CSV")
    import bench_update  # month over month: half the codes stored, each changed in one field

    plain, update = bench_update.measure(bench_update.prepare(), args.runs)
    record("import --update 100.000 rows (50.000 stored and changed)", update, plain,
           "plain import of the same 100.000 rows; aim 1,5× it", 1.5 * plain)
    record("export 100.000 cases to CSV",
           median_of(args.runs, lambda: run(main_cli(files["hundred"], "export", str(OUT / "out.csv")))))
    record("export 100.000 cases to XLSX",
           median_of(args.runs, lambda: run(main_cli(files["hundred"], "export", str(OUT / "out.xlsx")))))
    record(f"report PDF of the year {year} (million cases)",
           median_of(args.runs, lambda: run(main_cli(files["million"], "report", "--period", str(year), "--out",
                                                     str(OUT / "report.pdf")))))
    last = dt.date(dt.date.today().year, 3 * ((dt.date.today().month - 1) // 3) + 1, 1) - dt.timedelta(days=1)
    quarter = f"{last.year}-Q{(last.month - 1) // 3 + 1}"
    record(f"evaluation PDFs of 30 officers ({quarter})",
           median_of(args.runs, lambda: run(main_cli(files["officers"], "evaluation", "--period", quarter, "--out",
                                                     str(OUT / "forms.pdf")))), aim=3.0)
    import print_memory

    printed = print_memory.measure(OUT / "forms.pdf", 600)
    rows.append({"operation": f"printing the 30 officers' forms ({printed['pages']} pages) at 600 dpi, page by page: "
                              "peak memory", "rss_mb": round(printed["peak_kb"] / 1024, 1), "aim_mb": 500,
                 "met": printed["peak_kb"] / 1024 < 500})
    print(f"printing memory: {printed['peak_kb'] / 1024:.0f} MB (aim 500 MB)")
    import bench_rollup

    bench_rollup.prepare(300, 20_000)
    rolled = bench_rollup.measure(300, args.runs)
    record(f"rollup of 300 units, 10 years × 2.000 cases each ({rolled['period']}, whole command, XLSX)",
           rolled["median_s"], aim=10.0)
    rows.append({"operation": "rollup of 300 units: peak memory of the command", "rss_mb": round(rolled["rss_mb"], 1),
                 "aim_mb": 1024, "met": rolled["rss_mb"] < 1024})
    print(f"rollup memory: {rolled['rss_mb']:.0f} MB (aim 1024 MB)")
    rows.append({"operation": "memory with the million cases open (after the steps above)", "rss_mb": rss,
                 "aim_mb": 400, "met": rss < 400})
    print(f"memory: {rss} MB (aim 400 MB {'met' if rss < 400 else 'MISSED'})")

    machine = (f"{platform.machine()}, {os.cpu_count()} cores, {platform.platform()}, Python "
               f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}")
    out = Path(args.out)
    out.with_suffix(".json").write_text(json.dumps({"machine": machine, "date": dt.date.today().isoformat(),
                                                    "cases": args.cases, "runs": args.runs, "results": rows},
                                                   ensure_ascii=False, indent=2), encoding="utf-8")
    lines = [f"Measured {dt.date.today().isoformat()} on {machine}; {args.cases:,} demo cases; "
             f"medians of {args.runs} runs (indicators: {args.runs + 2}).", "",
             "| operation | median | floor | ratio | aim |", "|---|---|---|---|---|"]
    for r in rows:
        if "rss_mb" in r:
            lines.append(f"| {r['operation']} | {r['rss_mb']} MB | | | < {r['aim_mb']} MB, {'met' if r['met'] else 'missed'} |")
            continue
        floor = f"{r['floor_s'] * 1000:.0f} ms ({r['floor']})" if r["floor_s"] else ""
        aim = "" if r["aim_s"] is None else f"< {r['aim_s'] * 1000:.0f} ms, {'met' if r['met'] else 'missed'}"
        lines.append(f"| {r['operation']} | {r['median_s'] * 1000:.0f} ms | {floor} | "
                     f"{'' if r['ratio'] is None else str(r['ratio']) + '×'} | {aim} |")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"\nwritten to {out} and {out.with_suffix('.json')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
