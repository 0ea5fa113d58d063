"""Month over month at scale: ``import --update`` of 100.000 rows of which half are stored already
(and each of those changed in one field), against the plain import of the same 100.000 rows.

    python benchmarks/bench_update.py [--runs 3]

The aim (issue 15): the update import within 1,5× the plain import. Files go to ./bench-out.
"""
from __future__ import annotations

import argparse
import csv
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, count, ensure_demo  # noqa: E402

PY = sys.executable
OUT = ROOT / "bench-out"


def run(*args: str) -> float:
    import subprocess

    start = time.perf_counter()
    subprocess.run([PY, "main.py", *args], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def prepare() -> dict[str, Path]:
    OUT.mkdir(exist_ok=True)
    files = {"hundred": OUT / "hundred.db", "csv": OUT / "cases-100k.csv", "empty": OUT / "empty.db",
             "half_csv": OUT / "cases-50k.csv", "half": OUT / "half.db", "update_csv": OUT / "cases-100k-update.csv"}
    ensure_demo(files["hundred"], "cases", 100_000, "--cases", "100000")
    if not files["csv"].exists():
        run("--db", str(files["hundred"]), "export", str(files["csv"]))
    if count(files["empty"]) != 0:
        files["empty"].unlink(missing_ok=True)
        run("--db", str(files["empty"]), "check")
    with files["csv"].open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    header, data = rows[0], rows[1:]
    if count(files["half"]) != len(data) // 2:
        with files["half_csv"].open("w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh).writerows([header, *data[: len(data) // 2]])
        for p in OUT.glob("half.db*"):
            p.unlink()
        shutil.copy(files["empty"], files["half"])
        run("--db", str(files["half"]), "import", str(files["half_csv"]))
    flag = header.index("e_certified")
    changed = [list(r) for r in data]
    for r in changed[: len(data) // 2]:  # every stored case changes one field: 50.000 updates, each audited
        r[flag] = "0" if r[flag] == "1" else "1"
    with files["update_csv"].open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([header, *changed])
    return files


def measure(files: dict[str, Path], runs: int) -> tuple[float, float]:
    def plain() -> float:
        target = OUT / "plain-target.db"
        for p in OUT.glob("plain-target.db*"):
            p.unlink()
        shutil.copy(files["empty"], target)
        return run("--db", str(target), "import", str(files["csv"]))

    def update() -> float:
        target = OUT / "update-target.db"
        for p in OUT.glob("update-target.db*"):
            p.unlink()
        shutil.copy(files["half"], target)
        return run("--db", str(target), "import", str(files["update_csv"]), "--update")

    plains, updates = [], []
    for _ in range(runs):  # interleaved, so a busy moment of the machine weighs on both alike
        plains.append(plain())
        updates.append(update())
    return statistics.median(plains), statistics.median(updates)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    files = prepare()
    plain, update = measure(files, args.runs)
    print(f"plain import of 100.000 rows: {plain * 1000:.0f} ms")
    print(f"import --update, 50.000 new and 50.000 changed: {update * 1000:.0f} ms "
          f"({update / plain:.2f}× the plain import; aim ≤ 1,5×: {'met' if update <= 1.5 * plain else 'MISSED'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
