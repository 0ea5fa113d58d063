"""The province's roll-up at scale: 300 units, ten years of demo data each, ranked for one month.

    python benchmarks/bench_rollup.py [--units 300] [--cases 20000] [--runs 3]

The units are built once under ./bench-out/units (reused while each holds its
cases): each its own ``demo`` run with its own seed, so every unit's figures
differ, and its own committee name. The figure is the whole ``rollup``
command (start of Python to exit), and its peak memory.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from common import ROOT, count  # noqa: E402

OUT = ROOT / "bench-out" / "units"

FIRST = ("Tái", "Hưng", "Hà", "Văn", "Tiên", "Ngọc", "Chí", "Đại", "Quang", "Tân", "Phượng", "Dân", "An",
         "Quảng", "Minh", "Bình", "Thanh", "Đông", "Nguyên", "Kỳ")
SECOND = ("Sơn", "Đạo", "Thanh", "Tố", "Động", "Kỳ", "Minh", "Hợp", "Phục", "Khải", "Trung", "Chủ", "Nghiệp",
          "Lạc", "Hòa", "Xuyên", "Tiến")


def unit_names(n: int) -> list[str]:
    names = [f"{a} {b}" for a in FIRST for b in SECOND if a != b]
    if n > len(names):
        raise SystemExit(f"at most {len(names)} units")
    return names[:n]


def build_unit(path: Path, place: str, cases: int, years: int, seed: int) -> None:
    from core.files import demo
    from db.store import Store

    store = Store.open(path)
    try:
        store.set_settings({**demo.DEMO_OFFICE, "committee": f"ỦY BAN NHÂN DÂN XÃ {place.upper()}",
                            "place": place, "unit_code": "".join(w[0] for w in place.split()).upper()})
        demo.generate(store, cases=cases, seed=seed, years=years)
    finally:
        store.close()


def prepare(units: int, cases: int, years: int = 10) -> list[Path]:
    OUT.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, place in enumerate(unit_names(units)):
        path = OUT / f"unit-{i + 1:03d}.db"
        if count(path) != cases:
            for p in OUT.glob(path.name + "*"):
                p.unlink()
            build_unit(path, place, cases, years, seed=1000 + i)
            print(f"built {path.name} ({place})", flush=True)
        paths.append(path)
    return paths


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=300)
    ap.add_argument("--cases", type=int, default=20_000, help="cases per unit (about 2.000 a year for 10 years)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--prepare-only", action="store_true")
    args = ap.parse_args()
    start = time.perf_counter()
    prepare(args.units, args.cases)
    print(f"units ready in {time.perf_counter() - start:.1f} s", flush=True)
    if args.prepare_only:
        return 0
    result = measure(args.units, args.runs)
    print(f"rollup of {args.units} units ({result['period']}): {result['median_s'] * 1000:.0f} ms, "
          f"peak memory {result['rss_mb']:.0f} MB")
    return 0


def previous_month() -> str:
    first = dt.date.today().replace(day=1)
    return (first - dt.timedelta(days=1)).strftime("%Y-%m")


def measure(units: int, runs: int = 3) -> dict:
    """The median seconds of the whole ``rollup`` command over ``OUT`` and its peak memory (MB)."""
    period = previous_month()
    office = ROOT / "bench-out" / "rollup-office.db"
    cmd = [sys.executable, "main.py", "--db", str(office), "rollup", "--period", period, str(OUT),
           "--out", str(ROOT / "bench-out" / "rollup.xlsx")]
    times, peaks = [], []
    for _ in range(runs):
        t = time.perf_counter()
        child = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        _, status, usage = os.wait4(child.pid, 0)
        times.append(time.perf_counter() - t)
        if status != 0:
            raise SystemExit(f"rollup failed ({status})")
        peaks.append(usage.ru_maxrss / 1024)
    return {"period": period, "units": units, "median_s": statistics.median(times), "rss_mb": max(peaks)}


if __name__ == "__main__":
    sys.exit(main())
