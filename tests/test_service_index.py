"""The service-index estimate of §5 on hand-computed data."""
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from core import ops
from core.domain import periods
from core.queries import service_index
from db.store import Store
from tests.conftest import case

D = dt.date
OCT = periods.parse("2023-10")
TODAY = D(2026, 1, 1)
ROOT = Path(__file__).resolve().parent.parent


def four_cases(store):
    """Four cases of 5 working days received Mon 2/10/2023, due Mon 9/10."""
    kw = dict(received_date=D(2023, 10, 2), due_date=D(2023, 10, 9), processing_days=5)
    store.insert_cases([
        case("A", channel=2, digitized=1, resolved_date=D(2023, 10, 6), result_digitized=1, has_fee=1,
             paid_online=1, e_certified=1, satisfaction="good", **kw),
        case("B", channel=1, digitized=1, resolved_date=D(2023, 10, 9), result_digitized=1, has_fee=1,
             satisfaction="poor", **kw),
        case("C", channel=1, digitized=0, resolved_date=D(2023, 10, 12), **kw),
        case("D", channel=1, digitized=1, **kw),
    ])


def points(result):
    return {c["key"]: c["points"] for c in result["components"]}


def test_the_estimate_on_hand_computed_data(store):
    four_cases(store)
    result = service_index.compute(store, OCT, today=TODAY)
    # online 1/4 = 25%: on the curve between (20, 4) and (50, 8): 4 + 4 × 5/30 = 4,67
    # digitized 3/4 = 75%: 4 × 0,75 = 3; results 2/3 = 66,67%: 6 × 0,6667 = 4,00
    # on_time_766: A on time, B on its due date, C late, D open and late: 2/4 = 50%: 20 × 0,5 = 10
    # paid online 1/2 = 50%: 8 on the curve; one e-certified copy: 1 on the curve
    # overdue at the end 1 of 4: 6 × (1 − 1/4) = 4,5; poor ratings 1 of 2: 6 × (1 − 1/2) = 3
    assert points(result) == {"publicity": None, "progress": 10.0, "e_results": 4.0, "digitized": 3.0,
                              "e_certified": 1.0, "reuse": None, "integration": None, "online": 4.67,
                              "paid_online": 8.0, "not_overdue": 4.5, "ratings": 3.0, "complaints": None}
    # 10 + 4 + 3 + 1 + 4,67 + 8 + 4,5 + 3 = 38,17
    assert (result["total"], result["computed"], result["typed"], result["max_points"]) == (38.17, 38.17, 0, 100)
    assert result["estimate"] is True and "Ước tính" in result["note"]
    assert result["missing"] == ["publicity", "reuse", "integration", "complaints"]
    progress = next(c for c in result["components"] if c["key"] == "progress")
    assert (progress["numerator"], progress["denominator"], progress["source"]) == (2, 4, "computed")


def test_a_typed_in_component_changes_the_total_and_is_kept_per_period(store):
    four_cases(store)
    ops.set_index_points(store, OCT, "publicity", 15)
    result = service_index.compute(store, OCT, today=TODAY)
    assert (result["total"], result["typed"]) == (53.17, 15.0)  # 38,17 + 15
    assert next(c for c in result["components"] if c["key"] == "publicity")["source"] == "typed"
    assert service_index.compute(store, periods.parse("2023-11"), today=TODAY)["typed"] == 0
    with pytest.raises(ops.OpRefused, match="từ 0 đến 18"):
        ops.set_index_points(store, OCT, "publicity", 19)
    with pytest.raises(ops.OpRefused, match="tính từ dữ liệu"):
        ops.set_index_points(store, OCT, "progress", 5)
    ops.set_index_points(store, OCT, "publicity", None)
    assert service_index.compute(store, OCT, today=TODAY)["total"] == 38.17


def test_weights_are_dated_data_today_s_the_default(store):
    four_cases(store)
    _, model = store.index.model(OCT.end)
    changed = json.loads(json.dumps(model))
    next(c for c in changed["components"] if c["key"] == "progress")["max_points"] = 30
    store.index.set_model(D(2023, 10, 1), changed)
    result = service_index.compute(store, OCT, today=TODAY)
    assert points(result)["progress"] == 15.0 and result["model_valid_from"] == "2023-10-01"
    assert store.index.model(D(2023, 9, 30))[0] is None  # before it: the shipped model


def test_curve_points_are_flat_beyond_the_ends():
    curve = [[0, 0], [20, 4], [50, 8], [80, 12]]
    assert [service_index.curve_points(curve, x) for x in (0, 10, 20, 35, 80, 100)] == [0, 2, 4, 6, 12, 12]


def _index_command(tmp_path):
    """``index`` of the command line on an office file holding the four cases: run(*arguments)."""
    db = tmp_path / "x.db"
    store = Store.open(db)
    four_cases(store)
    store.close()

    def run(*args):
        return subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(db), "index", *args],
                              capture_output=True, text=True, cwd=ROOT, timeout=120)
    return run


def test_the_index_command_prints_and_takes_typed_points(tmp_path):
    run = _index_command(tmp_path)

    r = run("--period", "2023-10", "--set", "publicity=16,5", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["typed"] == 16.5 and data["estimate"] is True
    r = run("--period", "2023-10")
    assert r.returncode == 0 and "ƯỚC TÍNH" in r.stdout and "Tổng (ước tính)" in r.stdout and "16,50" in r.stdout
    r = run("--period", "2023-10", "--set", "nothing=1")
    assert r.returncode == 1 and "không có thành phần" in r.stderr


def test_the_dashboard_s_quick_path_gives_the_same_tile_and_estimate(store):
    """The dashboard reads the section 3 rates from its monthly totals and adds only the national
    rule's counts: the same figures as the full computation of the command line."""
    from core.queries import dashboard
    from core.files import demo
    from core.queries import figures
    from core.domain.workdays import WorkCalendar

    demo.generate(store, cases=2000, seed=9, today=D(2026, 3, 1))
    for code, kind in (("2025-10", "month"), ("2025-Q4", "quarter"), ("2025", "year")):
        p = periods.parse(code)
        d = dashboard.build(store, kind, p, WorkCalendar(), today=D(2026, 3, 1))
        computed = figures.compute(store, p, today=D(2026, 3, 1))
        full = computed.on_time_766
        assert (d.national.numerator, d.national.denominator, d.national.rate) == \
            (full.numerator, full.denominator, full.rate)
        life = d.index.pop("life")
        assert life == {k: computed.counts[k] for k in ("refused", "stopped", "supplement_pending")}
        assert d.index == service_index.compute(store, p, today=D(2026, 3, 1))


def test_the_office_saves_dated_weights_from_a_file(tmp_path):
    run = _index_command(tmp_path)

    model_file = tmp_path / "model.json"
    r = run("--period", "2023-10", "--model-out", str(model_file), "--json")
    assert r.returncode == 0, r.stderr
    model = json.loads(model_file.read_text(encoding="utf-8"))
    next(c for c in model["components"] if c["key"] == "progress")["max_points"] = 30
    model_file.write_text(json.dumps(model, ensure_ascii=False), encoding="utf-8")
    r = run("--period", "2023-10", "--model", str(model_file), "--from", "2023-10-01", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["model_valid_from"] == "2023-10-01" and data["total"] == 43.17  # 38,17 + 5 more for progress
    next(c for c in model["components"] if c["key"] == "progress")["rule"] = "magic"
    model_file.write_text(json.dumps(model, ensure_ascii=False), encoding="utf-8")
    r = run("--period", "2023-10", "--model", str(model_file), "--from", "2023-11-01")
    assert r.returncode == 1 and "thành phần 2: rule phải là một trong" in r.stderr
    assert json.loads(run("--period", "2023-11", "--json").stdout)["model_valid_from"] == "2023-10-01"
