"""Issue 24, unknown is not no, for the e-certification count too: a province export has no
"Chứng thực điện tử" column, so nothing may say "chưa thực hiện chứng thực điện tử", neither the
report, the draft letter, the dashboard, the evaluation nor the roll-up's list of communes.

Every expected figure is counted by hand from the rows written in the test."""
from __future__ import annotations

import json

from core import ops
from core.domain import periods
from core.domain.indicators import RATE_KEYS, Figures, Filters
from core.queries import dashboard, evaluation, figures, report, rollup
from tests.conftest import D
from tests.test_import_unknown import OCT, ROWS, province_export


def test_a_file_without_the_e_certification_column_gives_an_unknown_count_never_zero(store, tmp_path):
    ops.import_file(store, province_export(tmp_path / "tinh.xlsx"))
    got = figures.compute(store, OCT, Filters(), today=D(2026, 12, 7)).as_json()["indicators"]["e_certified"]
    # 5 cases received in October (ROWS), none with an e-certification value: 0 known, 5 unknown
    assert len(ROWS) == 5 and got == {"count": 0, "unknown": 5}
    # a period of part of a month (counted from the cases, not the monthly totals) says the same
    part = figures.compute(store, periods.parse("1/10/2026-5/10/2026"), Filters(), today=D(2026, 12, 7))
    assert part.as_json()["indicators"]["e_certified"] == {"count": 0, "unknown": 4}  # T-1 … T-4
    board = dashboard.build(store, "month", OCT, store.work_calendar(), today=D(2026, 12, 7))
    tile = {t.key: t for t in board.tiles}["e_certified"]
    assert tile.warning == "" and tile.unknown == 5
    assert tile.unknown_text == "chưa có số liệu chứng thực điện tử của 05 hồ sơ"


def test_the_report_and_the_letter_do_not_say_none_was_certified(store, tmp_path):
    from core.documents import letter

    ops.import_file(store, province_export(tmp_path / "tinh.xlsx"))
    r = report.build(store, OCT, today=D(2026, 12, 7))
    text = report.narrative(r)
    assert "Chưa thực hiện chứng thực điện tử" not in text
    assert "Chưa có số liệu chứng thực điện tử của 05 hồ sơ" in text
    drafted = "\n".join(letter.draft(r).paragraphs)
    assert "chưa thực hiện chứng thực điện tử" not in drafted
    assert "chưa có số liệu chứng thực điện tử của 05 hồ sơ" in drafted


def test_a_known_zero_is_still_said_as_none(tmp_path):
    """The same file given "0" for the column it lacks (``--fill``): the office did none, and it is said."""
    from db.store import Store
    from tests.test_cli import cli

    db = tmp_path / "office.db"
    r = cli("import", str(province_export(tmp_path / "tinh.xlsx")), "--fill", "e_certified=0", db=db)
    assert r.returncode == 0, r.stderr
    store = Store.open(db)
    try:
        got = figures.compute(store, OCT, Filters(), today=D(2026, 12, 7)).as_json()["indicators"]["e_certified"]
        assert got == {"count": 0}
        assert "Chưa thực hiện chứng thực điện tử bản sao từ bản chính." in report.narrative(
            report.build(store, OCT, today=D(2026, 12, 7)))
    finally:
        store.close()


def test_the_evaluation_leaves_an_unknown_e_certification_to_the_chairman():
    criterion = {"key": "ct", "rule": "e_certified", "param": "Chứng thực", "max_points": 5}
    targets = {k: 100.0 for k in RATE_KEYS}
    # 3 received in the officer's field, e-certification of all three unknown (counted by hand)
    f = Figures.from_counts({"received": 3, "ecert_unknown": 3}, targets)
    assert evaluation.score(criterion, f, 3, {}) == (None, "chưa có số liệu chứng thực điện tử của 03 hồ sơ: chấm tay")
    assert evaluation.score(criterion, f, 3, {"ct": 4})[0] == 4
    # known: none done is scored 0, as before
    assert evaluation.score(criterion, Figures.from_counts({"received": 3}, targets), 3, {}) == (0.0, "chưa thực hiện")


def test_a_commune_whose_file_has_no_e_certification_column_is_not_listed_as_doing_none(tmp_path):
    folder = tmp_path / "units"
    folder.mkdir()
    # a province export (no e-certification column) and a case file that says 0 for each case
    province_export(folder / "UBND xã Phượng Kỳ.xlsx")
    (folder / "UBND xã Hà Thanh.csv").write_text(
        "code,procedure,field,officer,received_date,processing_days,channel,digitized,resolved_date,"
        "result_digitized,e_certified\n"
        "H-1,Chứng thực bản sao từ bản chính,Chứng thực,Lê Văn Bình,2026-10-05,0,direct,1,2026-10-05,1,0\n",
        encoding="utf-8")
    result = rollup.rollup([folder], OCT, today=D(2026, 11, 5))
    units = {r.unit: r for r in result.units}
    assert units["UBND xã Phượng Kỳ"].e_certified_unknown_year == 5
    assert units["UBND xã Hà Thanh"].e_certified_unknown_year == 0
    year, month = rollup.without_e_certification(result)
    assert [r.unit for r in year] == ["UBND xã Hà Thanh"]  # known: none; Phượng Kỳ: not known
    printed = json.loads(json.dumps(result.as_json(), ensure_ascii=False))  # the JSON of §6, grown by two keys
    assert {u["unit"]: u["e_certified_unknown_year"] for u in printed["units"]} == {
        "UBND xã Phượng Kỳ": 5, "UBND xã Hà Thanh": 0}
    assert type(result).from_json(printed).as_json() == printed
