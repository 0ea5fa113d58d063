"""What the benchmark scripts share."""
from __future__ import annotations

import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(cmd: list[str]) -> float:
    """Seconds a command takes, start to exit, its output discarded."""
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - start


def count(db: Path, table: str = "cases") -> int:
    """Rows in a table of a database file; -1 when there is no such file or table."""
    import sqlite3

    if not db.exists():
        return -1
    con = sqlite3.connect(db)
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    except sqlite3.DatabaseError:
        return -1
    finally:
        con.close()


def ensure_demo(db: Path, table: str, expected: int, *demo_args: str) -> float | None:
    """Rebuild ``db`` through ``main.py demo`` unless ``table`` already holds ``expected`` rows.

    Returns the seconds the demo took, or None when the file was reused.
    """
    import sys

    db.parent.mkdir(parents=True, exist_ok=True)
    if count(db, table) == expected:
        return None
    for p in db.parent.glob(db.name + "*"):
        p.unlink()
    return timed([sys.executable, "main.py", "--db", str(db), "demo", *demo_args])
