"""A desk in another process: mixed saves, edits and quick actions on one file, each outcome printed.

``python tests/writer.py DB NAME N SEED`` prints one JSON line per operation:
``{"op": ..., "ok": true|false, "id": ..., "key": ..., "value": ..., "error": ...}``.
A test reads them back and checks the file holds every reported success.
"""
from __future__ import annotations

import datetime as dt
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import ops  # noqa: E402
from db.store import Store  # noqa: E402

TODAY = dt.date(2026, 11, 20)


def main(path: str, name: str, n: int, seed: int) -> None:
    rng = random.Random(seed)
    store = Store.open(path)
    shared = [r[0] for r in store.db.execute("SELECT id FROM cases ORDER BY id")]
    proc = store.procedures()[0]
    officer = store.officers()[0]["id"]
    mine: list[int] = []
    for i in range(n):
        kind = rng.choice(("add", "add", "edit", "toggle", "toggle", "withdraw"))
        if kind == "edit" and not mine:
            kind = "add"
        out = {"op": kind}
        try:
            if kind == "add":
                code = f"{name}-{i:05d}"
                done = ops.add_case(store, {
                    "code": code, "procedure_id": proc["id"], "field_id": proc["field_id"], "officer_id": officer,
                    "applicant": f"Người nộp {name} {i}", "received_date": "2026-11-02",
                    "due_date": "2026-11-05", "channel": 1, "digitized": 1}, TODAY)
                mine.append(done.id)
                out.update(id=done.id, code=code)
            elif kind == "edit":
                case_id = rng.choice(mine)
                value = f"Sửa {name} {i}"
                ops.update_case(store, case_id, {"applicant": value}, TODAY)
                out.update(id=case_id, key="applicant", value=value)
            elif kind == "toggle":  # both desks flip the same shared cases: no flip may be lost
                case_id = rng.choice(shared)
                ops.toggle_flag(store, case_id, "e_certified", TODAY)
                out.update(id=case_id, key="e_certified")
            else:
                case_id = rng.choice(mine or shared)
                done = ops.set_withdrawn(store, case_id, rng.random() < 0.5, TODAY)
                out.update(id=case_id, key="status",
                           value=store.cases.values(case_id)["status"])
            out["ok"] = True
        except Exception as exc:  # every failure is reported, by its cause
            out.update(ok=False, error=f"{exc.__class__.__name__}: {exc}")
        print(json.dumps(out, ensure_ascii=False), flush=True)
    store.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
