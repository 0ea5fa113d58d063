"""Issue 12, written as the attacks: approved means final, restores that cannot lose data,
ids never reused, an audit trail that an attacker who read the code cannot quietly rewrite,
sign-in that holds under parallel attempts."""
import datetime as dt
import io
import json
import multiprocessing
import os
import sqlite3
import stat
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from db import backups
from core import ops
from core.queries import evaluation
from core.documents import evaluation_forms
from core.queries import issued
from core.domain import periods
from core.queries import report
from core.documents import report as report_doc
from db import users
from db.audit import GENESIS, HASHED, PermissionDenied, chain_hash, values_hash
from db.migrations import APPLICATION_ID
from db.store import FileInUse, Store, StoreError, restore
from tests.conftest import case


# The attacks below write the SQLite file with sqlite3 (plain SQL beside the program) and the
# private-files test looks at files: SQLite only. A server's same triggers and ledger are
# translated from the same SQL by db.dialect and run by the rest of this file on both engines.
SQLITE_FILE = pytest.mark.parametrize("engine", ["sqlite"])


class Ran:
    def __init__(self, returncode, stdout, stderr):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def cli(*args, db=None):
    """The command line, run in this process (as ``python main.py --db DB ARGS``): quicker than a child."""
    import contextlib

    import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main.main(["--db", str(db), *args])
    return Ran(code, out.getvalue(), err.getvalue())

D = dt.date
Q3 = periods.parse("2023-Q3")
TODAY = D(2023, 11, 1)
ROOT = Path(__file__).resolve().parent.parent


def text_of(pdf: bytes) -> list[str]:
    return [unicodedata.normalize("NFC", " ".join(p.extract_text().split()))
            for p in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture
def office(store):
    """Two officers in 2023-Q3, an officer's account, the chairman's account."""
    store.set_settings({"committee": "ỦY BAN NHÂN DÂN XÃ PHƯỢNG KỲ", "place": "Phượng Kỳ", "chairman": "Tấn Văn Duẩn"})
    lan = store.add_officer("Phạm Thị Lan", "Công chức Tư pháp - Hộ tịch")
    store.add_officer("Trần Văn Hùng", "Công chức Văn phòng - Thống kê")
    store.users.add("admin", "quantri2026", "admin")
    store.sign_in_as(store.users.authenticate("admin", "quantri2026"))
    store.users.add("lan", "motcua2026", "officer", "Phạm Thị Lan", lan)
    store.users.add("chutich", "chutich2026", "chairman", "Tấn Văn Duẩn")
    store.sign_in_as(None)
    # Lan: 12 cases in August, 6 of them resolved late (due 3/8, resolved 10/8)
    store.insert_cases([case(f"L{i:02d}", officer="Phạm Thị Lan", received_date=D(2023, 8, 1),
                             due_date=D(2023, 8, 3), resolved_date=D(2023, 8, 10) if i < 6 else D(2023, 8, 2),
                             result_digitized=1) for i in range(12)]
                       + [case("H1", officer="Trần Văn Hùng", received_date=D(2023, 9, 4), due_date=D(2023, 9, 6),
                               resolved_date=D(2023, 9, 5), result_digitized=1)])
    return store


def as_user(store, name, password):
    store.sign_in_as(store.users.authenticate(name, password))
    return store


def full_marks(store):
    return {c["key"]: c["max_points"] for c in store.evaluations.template(Q3.end)["criteria"] if c["rule"] == "manual"}


def lan_of(sheets):
    return next(s for s in sheets if s.officer["name"] == "Phạm Thị Lan")


# ---- approval freezes the quarter ---------------------------------------------------------------

def test_edits_after_approval_do_not_change_the_approved_forms(office):
    as_user(office, "chutich", "chutich2026")
    for name in ("Phạm Thị Lan", "Trần Văn Hùng"):
        office.evaluations.save_entry(office.officer_id(name), "2023-Q3", full_marks(office), "")
    before = lan_of(evaluation.build(office, Q3, today=TODAY))
    # 12 products, 6 late: timeliness 25 × (1 − 0,25 × 6/12) = 21,875 → 21,88; total 30 + 20 + 25 + 21,88
    assert before.total == 96.88
    ops.approve_quarter(office, Q3, "Tấn Văn Duẩn", today=TODAY)
    printed = text_of(evaluation_forms.pdf(evaluation.build(office, Q3), office.settings(), TODAY))

    # the officer edits six of her own Q3 cases through the normal path: they were late, now on time
    as_user(office, "lan", "motcua2026")
    for code in ("L00", "L01", "L02", "L03", "L04", "L05"):
        case_id = office.db.execute("SELECT id FROM cases WHERE code = ?", [code]).fetchone()[0]
        office.cases.update(case_id, {"resolved_date": "2023-08-02"})
    assert lan_of(evaluation.compute(office, Q3, today=TODAY)).total == 100  # what the live data says now
    # the chairman changes the template and a target afterwards
    as_user(office, "chutich", "chutich2026")
    template = office.evaluations.template(Q3.end)
    template["criteria"][-1]["max_points"] = 5
    template["criteria"][0]["max_points"] = 28
    office.evaluations.save_template(template)
    office.set_target("on_time", D(2023, 1, 1), 50)

    after = lan_of(evaluation.build(office, Q3, today=TODAY))
    assert after.total == 96.88 and after.classification == "Hoàn thành xuất sắc nhiệm vụ"
    assert after.figures.on_time.numerator == 6  # 6/12 on time, as approved
    assert after.figures.on_time.target == 100.0
    assert [l.criterion["max_points"] for l in after.lines][-1] == 25
    assert text_of(evaluation_forms.pdf(evaluation.build(office, Q3), office.settings(), TODAY)) == printed
    assert office.check() == []


def test_an_edit_inside_an_approved_quarter_is_named_before_saving(office):
    ops.approve_quarter(office, Q3, "Tấn Văn Duẩn", today=TODAY)
    assert evaluation.approved_quarters_for(office, [{"received_date": "2023-08-01", "resolved_date": "2023-10-02"}]) \
        == ["2023-Q3"]
    assert evaluation.approved_quarters_for(office, [{"received_date": "2023-10-01"}]) == []


def test_only_the_chairman_unapproves_with_a_reason_and_it_is_audited(office):
    as_user(office, "chutich", "chutich2026")
    ops.approve_quarter(office, Q3, "Tấn Văn Duẩn", today=TODAY)
    as_user(office, "lan", "motcua2026")
    with pytest.raises(PermissionDenied):
        office.evaluations.unapprove("2023-Q3", "muốn sửa")
    as_user(office, "admin", "quantri2026")
    with pytest.raises(PermissionDenied):
        office.evaluations.unapprove("2023-Q3", "muốn sửa")
    as_user(office, "chutich", "chutich2026")
    with pytest.raises(ValueError, match="lý do"):
        office.evaluations.unapprove("2023-Q3", "  ")
    digest = office.evaluations.approval("2023-Q3")["snapshot_hash"]
    office.evaluations.unapprove("2023-Q3", "Chấm nhầm tiêu chí kỷ luật của bà Lan")
    assert office.evaluations.approval("2023-Q3") is None
    entry = office.audit.entries(1)[0]
    assert (entry["actor"], entry["action"]) == ("chutich", "unapprove")
    assert json.loads(entry["before"])["snapshot_hash"] == digest
    assert json.loads(entry["after"]) == {"reason": "Chấm nhầm tiêu chí kỷ luật của bà Lan"}
    assert office.check() == []


# ---- templates are versioned; scores stay on their criterion ------------------------------------

def test_editing_a_template_with_saved_scores_keeps_each_score_on_its_criterion(office):
    lan_id = office.officer_id("Phạm Thị Lan")
    office.evaluations.save_entry(lan_id, "2023-Q2", {"chinh_tri": 7, "ky_luat": 6, "phuc_vu": 5, "doi_moi": 4}, "")
    ops.approve_quarter(office, periods.parse("2023-Q2"), "Tấn Văn Duẩn", today=TODAY)
    office.evaluations.save_entry(lan_id, "2023-Q3", {"chinh_tri": 7, "ky_luat": 6, "phuc_vu": 5, "doi_moi": 4}, "")
    template = office.evaluations.template(Q3.end)
    old_ids = {c["key"]: c["id"] for c in template["criteria"]}
    # remove the first criterion and give its 8 points to a new one at the end
    template["criteria"] = template["criteria"][1:] + [
        {"section": "A. Tiêu chí chung", "name": "Tham gia công tác cải cách hành chính", "max_points": 8,
         "rule": "manual", "param": ""}]
    office.evaluations.save_template(template)
    new = office.evaluations.template(Q3.end)
    assert new["version"] == template["version"] + 1
    assert not set(old_ids.values()) & {c["id"] for c in new["criteria"]}  # no row was rewritten or reused
    lines = {l.criterion["name"]: l.points for l in lan_of(evaluation.build(office, Q3, today=TODAY)).lines}
    assert lines["Ý thức tổ chức kỷ luật, chấp hành nội quy, quy chế"] == 6
    assert lines["Trách nhiệm, thái độ phục vụ người dân, doanh nghiệp"] == 5
    assert lines["Tinh thần chủ động, đổi mới, sáng tạo"] == 4
    assert lines["Tham gia công tác cải cách hành chính"] is None  # new: not scored, not someone else's 7
    # the approved quarter keeps the template it was approved with
    q2 = lan_of(evaluation.build(office, periods.parse("2023-Q2")))
    assert q2.lines[0].criterion["name"] == "Phẩm chất chính trị, đạo đức, lối sống" and q2.lines[0].points == 7
    # a version is never rewritten, whatever writes to the file
    with pytest.raises(sqlite3.IntegrityError, match="phiên bản mới"):
        office.db.execute("UPDATE eval_criteria SET max_points = 1")
    before = json.loads(office.audit.entries(1)[0]["before"])
    assert before["criteria"][0]["key"] == "chinh_tri"


# ---- a report issued as final keeps its figures ---------------------------------------------------

def test_an_issued_report_reprints_exactly_and_shows_later_corrections(office):
    as_user(office, "chutich", "chutich2026")
    r = report.build(office, Q3, today=TODAY)  # what the issue keeps, built the same way
    first = text_of(report_doc.render_pdf(r, TODAY))
    number = ops.issue_report(office, Q3, today=TODAY).id
    as_user(office, "lan", "motcua2026")
    case_id = office.db.execute("SELECT id FROM cases WHERE code = 'L00'").fetchone()[0]
    office.cases.update(case_id, {"resolved_date": "2023-08-02"})  # a correction after reporting
    stored, again = issued.as_reported(office, Q3)
    assert stored["id"] == number
    assert text_of(report_doc.render_pdf(again, TODAY)) == first
    assert again.current.on_time.numerator == 7  # 7/13 as reported
    diffs = issued.differences(again, report.build(office, Q3, today=TODAY))
    on_time = next(d for d in diffs if d["what"] == "Tỷ lệ hồ sơ giải quyết đúng hạn")
    # 7/13 = 53,85% reported; 8/13 = 61,54% now: +7,69 points
    assert (on_time["reported"], on_time["now"], on_time["change"]) == ("7/13 (53,85%)", "8/13 (61,54%)", "+7,69%")
    with pytest.raises(sqlite3.IntegrityError, match="không sửa được"):
        office.db.execute("UPDATE issued_reports SET data = '{}'")
    as_user(office, "lan", "motcua2026")
    with pytest.raises(PermissionDenied):
        ops.issue_report(office, Q3, today=TODAY)


def test_the_report_command_issues_and_reprints_as_reported(office, db_path, tmp_path):
    office.close()
    assert cli("report", "--period", "2023-Q3", "--issue", "--out", str(tmp_path / "a.pdf"), db=db_path).returncode == 0
    s = Store.open(db_path)
    s.cases.update(s.db.execute("SELECT id FROM cases WHERE code = 'L00'").fetchone()[0], {"resolved_date": "2023-08-02"})
    s.close()
    r = cli("report", "--period", "2023-Q3", "--as-reported", "--out", str(tmp_path / "b.pdf"), db=db_path)
    assert r.returncode == 0, r.stderr
    assert "đã báo cáo 7/13 (53,85%), nay 8/13 (61,54%)" in r.stderr
    a, b = (text_of((tmp_path / n).read_bytes()) for n in ("a.pdf", "b.pdf"))
    strip = lambda pages: [p.split("Mã kiểm tra nhật ký")[0] for p in pages]  # noqa: E731  the code grows
    assert strip(a) == strip(b)
    r = cli("report", "--period", "2023-Q2", "--as-reported", "--text", db=db_path)
    assert r.returncode == 1 and "chưa được phát hành" in r.stderr


# ---- identity and restore -------------------------------------------------------------------------

def _demo(path: Path, n: int, seed: int) -> Store:
    s = Store.open(path)
    s.add_officer("Phạm Thị Lan")
    s.insert_cases([case(f"X{seed}-{i}", officer="Phạm Thị Lan") for i in range(n)])
    return s


def test_each_database_has_an_identity_that_its_backups_carry(tmp_path):
    s = _demo(tmp_path / "motcua.db", 3, 1)
    copy = s.backup(tmp_path / "copy.db")
    assert s.db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    c = sqlite3.connect(copy)
    assert c.execute("SELECT database_id FROM database_identity").fetchone()[0] == s.database_id()
    assert c.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    c.close()
    other = _demo(tmp_path / "other.db", 1, 2)
    assert other.database_id() != s.database_id()
    with pytest.raises(sqlite3.IntegrityError):
        s.db.execute("UPDATE database_identity SET database_id = ?", [other.database_id()])


def test_a_look_alike_backup_of_the_archive_is_never_offered_nor_accepted(tmp_path):
    this_year, archive = tmp_path / "motcua.db", tmp_path / "motcua-2024.db"
    s, a = _demo(this_year, 300, 1), _demo(archive, 100, 2)
    own = backups.daily_backup(s, D(2026, 11, 19))
    look_alike = backups.daily_backup(a, D(2026, 11, 20))  # backups/motcua-2024-2026-11-20.db: newer
    assert look_alike.name == "motcua-2024-2026-11-20.db"
    s.close(), a.close()
    this_year.write_bytes(b"\0" * 4096)  # damaged
    for suffix in ("-wal", "-shm"):
        Path(str(this_year) + suffix).unlink(missing_ok=True)
    assert backups.newest(this_year) == own
    with pytest.raises(StoreError, match="cơ sở dữ liệu khác"):
        restore(this_year, look_alike)
    assert this_year.read_bytes() == b"\0" * 4096  # nothing changed
    restore(this_year, own)
    s = Store.open(this_year)
    assert s.case_count() == 300 and s.check() == []
    s.close()
    # the command line refuses it too, with a message
    r = cli("restore", str(look_alike), db=this_year)
    assert r.returncode == 1 and "cơ sở dữ liệu khác" in r.stderr and "Traceback" not in r.stderr


def test_a_foreign_sqlite_file_is_refused_and_everything_still_works(tmp_path):
    db = tmp_path / "motcua.db"
    _demo(db, 5, 1).close()
    foreign = tmp_path / "danh-ba.db"
    c = sqlite3.connect(foreign)
    c.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    c.commit(), c.close()
    r = cli("restore", str(foreign), db=db)
    assert r.returncode == 1 and "không phải cơ sở dữ liệu của Một Cửa" in r.stderr
    # even one that copies our table names but not our identity
    c = sqlite3.connect(tmp_path / "fake.db")
    for t in ("cases", "officers", "procedures"):
        c.execute(f"CREATE TABLE {t} (id INTEGER)")
    c.execute("PRAGMA application_id = 1234")
    c.commit(), c.close()
    r = cli("restore", str(tmp_path / "fake.db"), db=db)
    assert r.returncode == 1 and "không phải cơ sở dữ liệu của Một Cửa" in r.stderr
    r = cli("check", db=db)
    assert r.returncode == 0 and "5 hồ sơ" in r.stdout


DESK = """
import sys
sys.path.insert(0, {root!r})
from db.store import Store
from tests.conftest import case
s = Store.open({db!r})
print("open", flush=True)
sys.stdin.readline()
s.insert_cases([case(f"D{{i}}", officer="Phạm Thị Lan") for i in range(3)])
print(s.case_count(), flush=True)
sys.stdin.readline()
s.close()
"""


def test_restore_is_refused_while_another_desk_has_the_file_open(tmp_path):
    db = tmp_path / "motcua.db"
    s = _demo(db, 300, 1)
    copy = s.backup(tmp_path / "backups" / "motcua-2026-11-20.db")
    s.close()
    desk = subprocess.Popen([sys.executable, "-c", DESK.format(root=str(ROOT), db=str(db))], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert desk.stdout.readline().strip() == "open"
        r = cli("restore", str(copy), db=db)
        assert r.returncode == 1 and "đang được mở" in r.stderr
        with pytest.raises(FileInUse):
            restore(db, copy)
        desk.stdin.write("save\n")
        desk.stdin.flush()
        assert desk.stdout.readline().strip() == "303"  # the desk saves 3 cases and sees 303 ...
        desk.stdin.write("quit\n")
        desk.stdin.flush()
        assert desk.wait(timeout=60) == 0
    finally:
        desk.kill()
    s = Store.open(db)
    assert s.case_count() == 303 and s.check() == []  # ... and the file holds them
    s.close()
    # once nobody has it open, the restore goes through, audited under the machine's user
    r = cli("restore", str(copy), db=db)
    assert r.returncode == 0, r.stderr
    s = Store.open(db)
    assert s.case_count() == 300 and s.check() == []
    entry = s.audit.entries(1)[0]
    assert entry["action"] == "restore" and entry["actor"].startswith("hệ thống")
    s.close()


# ---- case ids are never reused ----------------------------------------------------------------

@SQLITE_FILE
def test_a_deleted_cases_id_is_never_given_again_and_the_bin_restores_them_all(office):
    values = dict(office.cases.values(1), code="XA-230901-0001", applicant="Nguyễn Văn Cũ")
    first = office.cases.add(values)
    office.cases.delete(first, "Nhập trùng")
    second = office.cases.add(dict(values, code="XA-230901-0002", applicant="Lê Thị Mới"))
    assert second != first
    assert [e["action"] for e in office.audit.history("case", second)] == ["create"]  # not the old case's history
    office.cases.delete(second, "Nhập sai")
    office.insert_cases([case("BULK1", officer="Phạm Thị Lan")])
    bulk = office.db.execute("SELECT id FROM cases WHERE code = 'BULK1'").fetchone()[0]
    assert bulk > second
    # both deleted cases come back at once, each with its own id
    office.cases.delete(bulk, "thử")
    assert sorted(office.cases.restore_many([first, bulk])) == sorted([first, bulk])
    assert office.cases.get(first)["applicant"] == "Nguyễn Văn Cũ"
    assert office.cases.restore(second) == second
    assert office.cases.deleted() == [] and office.check() == []
    # a program that inserts with a used id is refused by the file itself
    office.cases.delete(second, "lần nữa")
    with pytest.raises(sqlite3.IntegrityError, match="đã dùng"):
        with sqlite3.connect(office.path) as c:
            c.execute("DELETE FROM deleted_cases WHERE id = ?", [second])
            c.execute("INSERT INTO cases (id, code, procedure_id, officer_id, received_date, due_date, channel, "
                      "digitized) VALUES (?, 'REUSE', 1, 1, '2023-09-01', '2023-09-01', 1, 1)", [second])


# ---- tamper and recompute, as an attacker who read the code ----------------------------------

def _attack(store, *sql_and_params):
    conn = sqlite3.connect(store.path)
    for sql, params in sql_and_params:
        conn.execute(sql, params)
    conn.commit()
    conn.close()


def _recompute_chain(path: Path, store: Store, start: int = 1, fresh_state: bool = False):
    """What an attacker does after rewriting entries: every hash from ``start`` on made consistent
    again (the last entry's recorded state recomputed too, with the program's own code)."""
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER IF EXISTS audit_log_append_only_update")
    rows = conn.execute("SELECT id, at, actor, action, entity, entity_id, before, after, prev_hash, state "
                        "FROM audit_log ORDER BY id").fetchall()
    prev = GENESIS
    for i, (entry_id, at, actor, action, entity, entity_id, before, after, _, state) in enumerate(rows, 1):
        if fresh_state and i == len(rows):
            state = json.dumps(store.audit.state(recount=True), sort_keys=True)
        h = chain_hash(prev, at, actor, action, entity, entity_id, before, after, state)
        if i >= start:
            conn.execute("UPDATE audit_log SET prev_hash = ?, hash = ?, state = ? WHERE id = ?",
                         [prev, h, state, entry_id])
        prev = h
    conn.commit()
    conn.close()


@SQLITE_FILE
def test_a_case_edited_with_its_row_hash_recomputed_is_found(office):
    row = list(office.db.execute(f"SELECT {', '.join(HASHED)} FROM cases WHERE code = 'L00'").fetchone())
    row[HASHED.index("resolved_date")] = "2023-08-02"
    _attack(office, ("UPDATE cases SET resolved_date = '2023-08-02', row_hash = ? WHERE code = 'L00'",
                     [values_hash(tuple(row))]))
    assert office.audit.verify_cases() == []  # the row's own hash agrees: the old check passed it
    assert any("hồ sơ bị sửa ngoài chương trình" in p for p in office.check())


@SQLITE_FILE
def test_a_deleted_case_row_is_found(office):
    _attack(office, ("DELETE FROM cases WHERE code = 'H1'", []))
    assert any("1 hồ sơ bị xoá ngoài chương trình" in p for p in office.check())


@SQLITE_FILE
def test_the_last_three_audit_entries_deleted_are_found_by_a_printed_code_or_a_backup(office, tmp_path):
    for _ in range(3):  # three refused sign-ins: the kind of entry someone would like gone
        with pytest.raises(users.AuthError):
            office.users.authenticate("lan", "sai-mat-khau1")
    code = office.audit.check_code()
    copy = office.backup(tmp_path / "copy.db")
    _attack(office, ("DROP TRIGGER audit_log_append_only_delete", []),
            ("DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log ORDER BY id DESC LIMIT 3)", []))
    assert office.check() == []  # the chain still holds: nothing inside the file can tell
    assert any("3 mục cuối đã bị xoá" in p for p in office.check(code))
    assert any("3 mục cuối đã bị xoá" in p for p in office.check(copy))
    office.close()
    r = cli("check", code, db=office.path)
    assert r.returncode == 1 and "3 mục cuối đã bị xoá" in r.stderr


@SQLITE_FILE
def test_an_entrys_author_rewritten_with_the_chain_recomputed_is_found(office, tmp_path):
    code = office.audit.check_code()
    copy = office.backup(tmp_path / "copy.db")
    _attack(office, ("DROP TRIGGER audit_log_append_only_update", []),
            ("UPDATE audit_log SET actor = 'chutich' WHERE id = 5", []))
    _recompute_chain(office.path, office, start=5)
    assert office.check() == []  # consistent inside the file
    assert any("bị viết lại" in p for p in office.check(code))
    assert any("bị viết lại từ mục thứ 5" in p for p in office.check(copy))


@SQLITE_FILE
def test_an_approval_deleted_and_re_added_with_plain_sql_is_found(office):
    lan_id = office.officer_id("Phạm Thị Lan")
    office.evaluations.save_entry(lan_id, "2023-Q3", full_marks(office), "")
    ops.approve_quarter(office, Q3, "Tấn Văn Duẩn", today=TODAY)
    row = office.db.execute("SELECT * FROM evaluation_approvals").fetchone()
    # delete the approval, lower a score while the lock is off, put the same approval back
    _attack(office, ("DELETE FROM evaluation_approvals", []),
            ("UPDATE evaluations SET manual = ? WHERE officer_id = ?", [json.dumps({"chinh_tri": 1}), lan_id]),
            ("INSERT INTO evaluation_approvals VALUES (?, ?, ?, ?, ?)", list(row)))
    assert any("điểm đánh giá: bị sửa ngoài chương trình" in p for p in office.check())


@SQLITE_FILE
def test_an_approval_with_forged_forms_is_found(office):
    ops.approve_quarter(office, Q3, "Tấn Văn Duẩn", today=TODAY)
    quarter, at, by, snapshot, _ = office.db.execute("SELECT * FROM evaluation_approvals").fetchone()
    forged = json.loads(snapshot)
    forged["sheets"][0]["total"] = 100
    text = json.dumps(forged, ensure_ascii=False, sort_keys=True)
    from db.evaluations import snapshot_hash

    _attack(office, ("DELETE FROM evaluation_approvals", []),
            ("INSERT INTO evaluation_approvals VALUES (?, ?, ?, ?, ?)", [quarter, at, by, text, snapshot_hash(text)]))
    assert any("số liệu đã duyệt bị sửa ngoài chương trình" in p for p in office.check())


@SQLITE_FILE
def test_a_rewritten_approval_with_the_chain_recomputed_is_found_against_a_backup(office, tmp_path):
    ops.approve_quarter(office, Q3, "Tấn Văn Duẩn", today=TODAY)
    copy = office.backup(tmp_path / "copy.db")
    code = office.audit.check_code()
    quarter, at, by, snapshot, digest = office.db.execute("SELECT * FROM evaluation_approvals").fetchone()
    forged = json.loads(snapshot)
    forged["sheets"][0]["classification"] = "Hoàn thành xuất sắc nhiệm vụ"
    text = json.dumps(forged, ensure_ascii=False, sort_keys=True)
    from db.evaluations import snapshot_hash

    new = snapshot_hash(text)
    entry_id, after = office.db.execute("SELECT id, after FROM audit_log WHERE action = 'approve'").fetchone()
    _attack(office, ("DELETE FROM evaluation_approvals", []),
            ("INSERT INTO evaluation_approvals VALUES (?, ?, ?, ?, ?)", [quarter, at, by, text, new]),
            ("DROP TRIGGER audit_log_append_only_update", []),
            ("UPDATE audit_log SET after = ? WHERE id = ?", [after.replace(digest, new), entry_id]))
    _recompute_chain(office.path, office, start=entry_id, fresh_state=True)
    assert office.check() == []  # the attacker made the file agree with itself
    problems = office.check(copy)
    assert any("phê duyệt đánh giá 2023-Q3 khác với bản sao lưu" in p for p in problems)
    assert any("bị viết lại" in p for p in problems)
    assert any("bị viết lại" in p for p in office.check(code))


def test_documents_and_backups_carry_the_check_code(office, db_path, tmp_path):
    code = office.audit.check_code()
    pages = text_of(evaluation_forms.pdf(evaluation.build(office, Q3, today=TODAY), office.settings(), TODAY,
                                         check_code=code))
    assert all(f"Mã kiểm tra nhật ký: {code}" in p for p in pages)
    office.close()
    r = cli("evaluation", "--period", "2023-Q3", "--out", str(tmp_path / "f.pdf"), db=db_path)
    printed = text_of((tmp_path / "f.pdf").read_bytes())[0].split("Mã kiểm tra nhật ký: ")[1].split()[0]
    assert cli("check", printed, db=db_path).returncode == 0
    r = cli("report", "--period", "2023-Q3", "--out", str(tmp_path / "r.pdf"), db=db_path)
    assert r.returncode == 0 and "Mã kiểm tra nhật ký" in text_of((tmp_path / "r.pdf").read_bytes())[0]
    r = cli("backup", "--out", str(tmp_path / "b.db"), db=db_path)
    assert "Mã kiểm tra nhật ký" in r.stdout
    assert cli("check", str(tmp_path / "b.db"), db=db_path).returncode == 0
    r = cli("check", "không-phải-mã", db=db_path)
    assert r.returncode == 1 and "không phải mã kiểm tra" in r.stderr


# ---- every change audited with before and after; every write checks its right --------------------

def test_every_change_is_logged_with_its_before(office):
    lan_id = office.officer_id("Phạm Thị Lan")
    office.evaluations.save_entry(lan_id, "2023-Q3", {"chinh_tri": 5}, "a")
    office.evaluations.save_entry(lan_id, "2023-Q3", {"chinh_tri": 6}, "b")
    template = office.evaluations.template(Q3.end)
    office.evaluations.save_template(template)
    office.set_district_average("on_time", "2023-09", 90)
    office.set_district_average("on_time", "2023-09", 91)
    office.update_officer(lan_id, {"position": "Công chức Văn phòng"})
    proc = office.procedures()[0]
    office.update_procedure(proc["id"], {"processing_days": 9})
    user_id = office.db.execute("SELECT id FROM users WHERE username = 'lan'").fetchone()[0]
    office.users.update(user_id, {"full_name": "Phạm T. Lan"})
    befores = {e["entity"]: json.loads(e["before"]) for e in reversed(office.audit.entries(8)) if e["before"]}
    assert befores["evaluation"]["manual"] == {"chinh_tri": 5.0} and befores["evaluation"]["comments"] == "a"
    assert befores["template"]["version"] == template["version"]
    assert befores["district_average"] == {"value": 90.0}
    assert befores["officer"] == {"position": "Công chức Tư pháp - Hộ tịch"}
    assert befores["procedure"] == {"processing_days": proc["processing_days"]}
    assert befores["user"] == {"full_name": "Phạm Thị Lan"}


def test_an_officer_cannot_change_settings_through_preferences_nor_purge_names(office):
    as_user(office, "lan", "motcua2026")
    for key in ("chairman", "unit_code", "applicant_retention_years"):
        with pytest.raises(PermissionDenied):
            office.remember(key, "x")
    office.remember("last_officer", "Phạm Thị Lan")  # a window preference: fine, not audited
    assert office.check() == []
    with pytest.raises(PermissionDenied):
        office.purge_applicants(D(2030, 1, 1))
    assert office.db.execute("SELECT count(*) FROM cases WHERE applicant = ''").fetchone()[0] == 0
    # the keeping time the office set applies for anyone
    as_user(office, "admin", "quantri2026")
    office.set_settings({"applicant_retention_years": "2"})
    as_user(office, "lan", "motcua2026")
    assert office.purge_applicants(D(2023, 12, 31)) == 13


# ---- sign-in ---------------------------------------------------------------------------------

def _wrong_password(db: str, barrier, results) -> None:
    sys.path.insert(0, str(ROOT))
    from db import users as u
    from db.store import Store as S

    u.SCRYPT["n"] = 2 ** 14  # each check takes a while: the attempts overlap
    s = S.open(db)
    barrier.wait()
    try:
        s.users.authenticate("lan", "sai-mat-khau1")
    except u.AuthError as exc:
        results.put(str(exc))
    s.close()


def test_eight_parallel_wrong_passwords_check_at_most_five(office):
    office.close()
    ctx = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    barrier, results = ctx.Barrier(8), ctx.Queue()
    procs = [ctx.Process(target=_wrong_password, args=(str(office.path), barrier, results)) for _ in range(8)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    answers = [results.get(timeout=10) for _ in range(8)]
    s = Store.open(office.path)
    checked = s.db.execute("SELECT count(*) FROM audit_log WHERE action = 'sign-in refused'").fetchone()[0]
    locked = s.db.execute("SELECT locked_until FROM users WHERE username = 'lan'").fetchone()[0]
    s.close()
    assert checked <= users.MAX_FAILURES and locked is not None, answers
    assert sum("tạm khoá" in a for a in answers) >= 8 - users.MAX_FAILURES  # refused unchecked


def test_unknown_users_cost_one_check_and_get_the_same_answer(office, monkeypatch):
    calls = []
    real = users.hashlib.scrypt
    monkeypatch.setattr(users.hashlib, "scrypt", lambda *a, **k: calls.append(1) or real(*a, **k))
    users._dummy_hash()
    calls.clear()
    answers = []
    for name in ("lan", "không-có-ai"):
        with pytest.raises(users.AuthError) as exc:
            office.users.authenticate(name, "sai-mat-khau1")
        answers.append((str(exc.value), len(calls)))
        calls.clear()
    assert answers[0] == answers[1] == ("Tên đăng nhập hoặc mật khẩu không đúng.", 1)


def test_scrypt_is_2_17_by_default_and_older_hashes_are_upgraded_at_sign_in(store, monkeypatch):
    assert users.SCRYPT_N == 2 ** 17
    monkeypatch.setitem(users.SCRYPT, "n", 2 ** 14)  # an account made by an older version
    store.users.add("admin", "quantri2026", "admin")
    monkeypatch.setitem(users.SCRYPT, "n", users.SCRYPT_N)  # today's program, at the real cost
    assert store.db.execute("SELECT password_hash FROM users").fetchone()[0].startswith("scrypt$16384$8$1$")
    assert store.users.authenticate("admin", "quantri2026")["username"] == "admin"
    stored = store.db.execute("SELECT password_hash FROM users").fetchone()[0]
    assert stored.startswith("scrypt$131072$8$1$") and users.check_password("quantri2026", stored)
    assert store.audit.entries(1)[0]["action"] == "password upgraded" and store.check() == []


# ---- files readable by their owner only ------------------------------------------------------

@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@SQLITE_FILE
def test_files_the_program_creates_are_private(office, db_path, tmp_path):
    office.close()
    for args in (("backup", "--out", str(tmp_path / "b.db")), ("export", str(tmp_path / "all.csv")),
                 ("export", str(tmp_path / "all.xlsx")),
                 ("evaluation", "--period", "2023-Q3", "--out", str(tmp_path / "f.pdf"))):
        assert cli(*args, db=db_path).returncode == 0
    new = tmp_path / "new.db"
    cli("check", db=new)
    for p in (db_path, tmp_path / "b.db", tmp_path / "all.csv", tmp_path / "all.xlsx", tmp_path / "f.pdf", new,
              *backups.folder(db_path).glob("*.db")):
        assert stat.S_IMODE(p.stat().st_mode) == 0o600, p


def test_an_older_database_keeps_its_scores_and_its_approved_quarter_after_the_upgrade(tmp_path):
    """A file from before issue 12: scores keyed by criterion ids, a quarter approved without stored forms."""
    import sqlite_utils

    from db.migrations import migrations

    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    migrations.apply(db, stop_before="m016_trust")
    db.execute("PRAGMA user_version = 11")
    db.conn.commit()
    db.close()
    s = Store.__new__(Store)  # the old program's writes, through today's code paths that still fit
    s.__init__(sqlite3.connect(path, isolation_level=None), path)
    officer = s.db.execute("INSERT INTO officers (name) VALUES ('Phạm Thị Lan')").lastrowid
    s.db.execute("INSERT INTO evaluations (officer_id, quarter, manual, comments, updated_at) VALUES "
                 "(?, '2023-Q3', '{\"1\": 7, \"2\": 6}', 'cũ', '2023-10-01')", [officer])
    s.db.execute("INSERT INTO evaluations (officer_id, quarter, manual, comments, updated_at) VALUES "
                 "(?, '2023-Q4', '{\"1\": 5}', '', '2024-01-02')", [officer])
    s.db.execute("INSERT INTO evaluation_approvals VALUES ('2023-Q3', '2023-10-05T09:00:00', 'Tấn Văn Duẩn')")
    s.close()

    s = Store.open(path)
    q3 = evaluation.build(s, Q3, today=TODAY)[0]
    # approved before forms were stored: read with the template of that time (the old one, 11 criteria)
    assert len(q3.lines) == 11 and q3.lines[0].points == 7 and q3.lines[1].points == 6
    q4 = evaluation.build(s, periods.parse("2023-Q4"), today=TODAY)[0]
    # open quarter: today's default (Nghị định 335/2025), the score still on the same general criterion
    assert [l.criterion["rule"] for l in q4.lines][-3:] == ["quantity", "quality", "timeliness"]
    assert q4.lines[0].criterion["key"] == "chinh_tri" and q4.lines[0].points == 5
    assert s.database_id() and s.check() == []
    s.close()


def test_approval_and_its_withdrawal_from_the_command_line_are_audited(office, db_path):
    office.close()
    r = cli("approve", "--period", "2023-Q3", db=db_path)
    assert r.returncode == 0 and "Đã duyệt đánh giá quý III/2023: 2 phiếu" in r.stdout
    assert "Còn chưa chấm đủ" in r.stderr
    assert cli("approve", "--period", "2023-Q3", db=db_path).returncode == 1  # already approved
    r = cli("unapprove", "--period", "2023-Q3", "--reason", "  ", db=db_path)
    assert r.returncode == 1 and "lý do" in r.stderr
    r = cli("unapprove", "--period", "2023-Q3", "--reason", "Chấm lại tiêu chí kỷ luật", db=db_path)
    assert r.returncode == 0, r.stderr
    s = Store.open(db_path)
    actions = [(e["actor"].startswith("hệ thống"), e["action"]) for e in s.audit.entries(2)]
    assert actions == [(True, "unapprove"), (True, "approve")] and s.check() == []
    s.close()


def test_another_programs_sqlite_file_is_never_opened_as_ours(tmp_path):
    foreign = tmp_path / "danh-ba.db"
    c = sqlite3.connect(foreign)
    c.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    c.commit(), c.close()
    r = cli("check", db=foreign)
    assert r.returncode == 1 and "chương trình khác" in r.stderr and "Traceback" not in r.stderr
    c = sqlite3.connect(foreign)
    assert [t for (t,) in c.execute("SELECT name FROM sqlite_master WHERE type = 'table'")] == ["contacts"]
    c.close()


def test_a_restore_that_cannot_write_its_copy_aside_is_told_and_changes_nothing(tmp_path, monkeypatch):
    db = tmp_path / "motcua.db"
    s = _demo(db, 4, 1)
    copy = s.backup(tmp_path / "copy.db")
    s.insert_cases([case("AFTER", officer="Phạm Thị Lan")])
    s.close()
    monkeypatch.setattr(backups, "special_name", lambda path, reason: tmp_path / "missing-folder" / "x" / "a.db")
    (tmp_path / "missing-folder").write_text("a file where a folder should be")
    r = cli("restore", str(copy), db=db)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    s = Store.open(db)
    assert s.case_count() == 5 and s.check() == []
    s.close()
