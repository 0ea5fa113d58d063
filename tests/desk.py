"""A desk of an office with several desks on one database, in a process of its own.

``python tests/desk.py DB NAME N SEED`` runs N mixed operations and prints one JSON line for each:
saves of new cases whose code is allocated inside the save (``auto_code``), edits of shared cases
checked against the version the desk read (a case another desk changed meanwhile is refused:
"conflict"), and quick actions. A test reads the lines back and checks the database.
"""
from __future__ import annotations

import datetime as dt
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import ops  # noqa: E402
from db.store import Store  # noqa: E402

TODAY = dt.date(2026, 11, 20)


def main(location: str, name: str, n: int, seed: int) -> None:
    rng = random.Random(seed)
    store = Store.open(location)
    shared = [r[0] for r in store.db.execute("SELECT id FROM cases ORDER BY id LIMIT 24")]
    proc = store.procedures()[0]
    officer = store.officers()[0]["id"]
    for i in range(n):
        kind = rng.choice(("save", "save", "edit", "edit", "toggle"))
        out = {"op": kind, "desk": name}
        started = time.perf_counter()
        try:
            if kind == "save":
                preview = store.cases.next_code(TODAY)  # what the entry dialog shows; another desk may take it
                done = ops.add_case(store, {
                    "code": preview, "procedure_id": proc["id"], "field_id": proc["field_id"],
                    "officer_id": officer, "applicant": f"Người nộp {name} {i}", "received_date": "2026-11-20",
                    "due_date": "2026-11-25", "channel": 1, "digitized": 1}, TODAY, auto_code=True)
                out.update(id=done.id, code=store.cases.values(done.id)["code"])
            elif kind == "edit":  # read, think a moment, save: another desk may have saved meanwhile
                case_id = rng.choice(shared)
                version = store.cases.version(case_id)
                time.sleep(rng.random() * 0.002)
                value = f"Sửa {name} {i}"
                ops.update_case(store, case_id, {"applicant": value}, TODAY, version=version)
                out.update(id=case_id, value=value, version=version)
            else:
                case_id = rng.choice(shared)
                ops.toggle_flag(store, case_id, "e_certified", TODAY)
                out.update(id=case_id)
            out["ok"] = True
        except ops.OpRefused as exc:
            out.update(ok=False, conflict="vừa được người khác sửa" in str(exc), error=str(exc))
        except Exception as exc:  # every failure is reported, by its cause
            out.update(ok=False, conflict=False, error=f"{exc.__class__.__name__}: {exc}")
        out["seconds"] = time.perf_counter() - started
        print(json.dumps(out, ensure_ascii=False), flush=True)
    store.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
