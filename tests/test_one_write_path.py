"""One write path (issue 23): the command line runs the operations the window runs, with their
checks, transaction and audit; the evaluation's writes are one rule-checked set."""
import datetime as dt
import json

import pytest

import main
from core import ops
from core.domain import periods
from core.files import casefile
from core.files import headers
from core.queries import evaluation
from db.store import Store
from tests.test_casefile import GOOD, HEADER, write

Q3 = periods.parse("2023-Q3")


def run_cli(db_path, *args) -> int:
    return main.main(["--db", str(db_path), *map(str, args)])


def spy(monkeypatch, module, name):
    """Calls of ``module.name`` recorded, the function itself still run."""
    calls = []
    real = getattr(module, name)

    def recorded(*args, **kwargs):
        calls.append((args, kwargs))
        return real(*args, **kwargs)
    monkeypatch.setattr(module, name, recorded)
    return calls


def audited(store) -> list[tuple]:
    """The audit log without who and when: what was done to what, before and after."""
    return [(e["action"], e["entity"], e["entity_id"], e["before"], e["after"])
            for e in reversed(store.audit.entries())]


def test_the_cli_import_runs_the_window_s_import_operation_and_audits_the_same(db_path, tmp_path, monkeypatch,
                                                                               capsys):
    import core.ops.cases

    path = write(tmp_path, [HEADER, *GOOD])
    calls = spy(monkeypatch, core.ops.cases, "import_cases")
    assert run_cli(db_path, "import", path, "--save-map", "tệp của huyện") == 0
    assert "Đã nhập 3 hồ sơ." in capsys.readouterr().out
    (args, _), = calls  # one operation, the mapping remembered inside it
    assert args[3] == (headers.named_key("tệp của huyện"), headers.Mapping().to_json())
    # the window's import dialog: check the file, then the same operation
    window = Store.open(tmp_path / "window.db")
    checked = casefile.check_file(window, path, mapping=headers.Mapping())
    ops.import_cases(window, list(checked.cases), casefile.updates_of(checked),
                     (headers.named_key("tệp của huyện"), headers.Mapping().to_json()))
    cli = Store.open(db_path)
    try:
        assert audited(cli) == audited(window) and audited(cli)
        assert cli.settings()[headers.named_key("tệp của huyện")] == headers.Mapping().to_json()
    finally:
        cli.close()
        window.close()


def test_a_refused_cli_import_writes_nothing_not_even_its_mapping(db_path, tmp_path, monkeypatch, capsys):
    import core.ops.cases

    bad = GOOD[0].replace("2023-09-05,,0", "31/02/2023,,0", 1)
    path = write(tmp_path, [HEADER, GOOD[1], bad])
    calls = spy(monkeypatch, core.ops.cases, "import_cases")
    assert run_cli(db_path, "import", path, "--save-map", "hỏng") == 1
    assert "Không nhập hồ sơ nào" in capsys.readouterr().err
    assert calls == []
    store = Store.open(db_path)
    try:
        assert store.case_count() == 0
        assert headers.named_key("hỏng") not in store.settings()
    finally:
        store.close()


@pytest.fixture
def office(store):
    store.set_settings({"committee": "ỦY BAN NHÂN DÂN XÃ PHƯỢNG KỲ", "place": "Phượng Kỳ", "chairman": "Tấn Văn Duẩn"})
    store.add_officer("Phạm Thị Lan", "Công chức Tư pháp - Hộ tịch")
    store.add_officer("Trần Văn Hùng", "Công chức Văn phòng - Thống kê")
    return store


def test_the_cli_approves_through_the_window_s_operation_and_is_refused_as_it_is(office, db_path, monkeypatch,
                                                                                 capsys):
    office.close()
    calls = spy(monkeypatch, ops, "approve_quarter")
    assert run_cli(db_path, "approve", "--period", "2023-Q3") == 0
    assert f"Đã duyệt đánh giá {Q3.label}: 2 phiếu được lưu như lúc duyệt." in capsys.readouterr().out
    assert len(calls) == 1 and calls[0][0][1] == Q3
    store = Store.open(db_path)
    try:
        approval = store.evaluations.approval("2023-Q3")
        assert approval["approved_by"] == "Tấn Văn Duẩn"
        assert [s["officer"]["name"] for s in approval["snapshot"]["sheets"]] == ["Phạm Thị Lan", "Trần Văn Hùng"]
        assert store.evaluations.verify_approvals() == []
        # what the operation refuses, the command refuses, with the operation's words
        with pytest.raises(Exception, match="đã được duyệt") as refused:
            ops.approve_quarter(store, Q3, "Tấn Văn Duẩn")
    finally:
        store.close()
    assert run_cli(db_path, "approve", "--period", "2023-Q3") == 1
    assert f"Lỗi: {refused.value}" in capsys.readouterr().err
    calls = spy(monkeypatch, ops, "unapprove_quarter")
    assert run_cli(db_path, "unapprove", "--period", "2023-Q3", "--reason", "Chấm nhầm") == 0
    assert len(calls) == 1


def test_the_store_approves_only_the_forms_the_operation_built(office):
    with pytest.raises(ops.OpRefused, match="YYYY-Qn"):
        ops.approve_quarter(office, periods.parse("2023-09"), "Tấn Văn Duẩn")
    with pytest.raises(TypeError):
        office.evaluations.approve("2023-Q3", "Tấn Văn Duẩn")  # no snapshot: the Store builds no forms
    done = ops.approve_quarter(office, Q3, "Tấn Văn Duẩn", today=dt.date(2023, 11, 1))
    assert done.touches(ops.EVALUATIONS) and len(done.ids) == 2
    stored = office.evaluations.approval("2023-Q3")["snapshot"]
    assert stored == json.loads(json.dumps(evaluation.snapshot_of(
        evaluation.build(office, Q3, today=dt.date(2023, 11, 1)))))


def test_a_template_that_breaks_the_rules_is_refused_and_nothing_is_written(office):
    template = office.evaluations.template(Q3.end)
    versions = office.db.execute("SELECT count(*) FROM eval_templates").fetchone()[0]
    broken = {**template, "criteria": [{**c, "max_points": c["max_points"] + 1} if i == 0 else c
                                       for i, c in enumerate(template["criteria"])]}
    with pytest.raises(ops.OpRefused, match="cần đúng 100"):
        ops.save_template(office, broken)
    untitled = {**template, "title": " "}
    with pytest.raises(ops.OpRefused, match="tiêu đề"):
        ops.save_template(office, untitled)
    assert office.db.execute("SELECT count(*) FROM eval_templates").fetchone()[0] == versions
    done = ops.save_template(office, {**template, "title": "MẪU MỚI"})
    assert office.db.execute("SELECT count(*) FROM eval_templates").fetchone()[0] == versions + 1
    assert done.id is not None and office.evaluations.template(Q3.end)["title"] == "MẪU MỚI"


def test_the_cli_sets_index_points_through_the_operation(store, db_path, monkeypatch, capsys):
    store.close()
    calls = spy(monkeypatch, ops, "set_index_points")
    assert run_cli(db_path, "index", "--period", "2023-10", "--set", "publicity=19") == 1
    assert "Lỗi: điểm 'publicity' phải từ 0 đến 18" in capsys.readouterr().err
    assert run_cli(db_path, "index", "--period", "2023-10", "--set", "publicity=15") == 0
    assert len(calls) == 2
    s = Store.open(db_path)
    try:
        assert s.index.points("2023-10") == {"publicity": 15.0}
    finally:
        s.close()


def test_demo_data_is_one_operation_refused_on_an_office_with_cases(store, db_path, capsys):
    from tests.conftest import case

    store.insert_cases([case("C1", received_date=dt.date(2026, 11, 2), due_date=dt.date(2026, 11, 9))])
    officers = len(store.officers(active_only=False))
    with pytest.raises(ops.OpRefused, match="đã có hồ sơ"):
        ops.add_demo_cases(store, cases=10)
    store.close()
    assert run_cli(db_path, "demo", "--cases", "10") == 1
    assert "Lỗi: cơ sở dữ liệu đã có hồ sơ" in capsys.readouterr().err
    s = Store.open(db_path)
    try:
        assert s.case_count() == 1 and len(s.officers(active_only=False)) == officers
    finally:
        s.close()
