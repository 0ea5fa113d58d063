"""Issue 28's attacks, each written as the attack: two real processes or two stores where desks
are involved, on both engines where the store is involved. Each failed on the main of 2026-12-07."""
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core import ops
from core.domain import periods
from db.register import RegisterFilter
from db.store import Store
from tests.conftest import case
from tests.test_rollup import units  # noqa: F401  (the roll-up's sound units)

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 12, 7)


def _new_case(store, code: str = "") -> dict:
    procedure = store.procedures()[0]
    officer = store.officer_id("Phạm Thị Lan") or store.add_officer("Phạm Thị Lan")
    return {"code": code, "procedure_id": procedure["id"], "field_id": procedure["field_id"],
            "officer_id": officer, "applicant": "Nguyễn Văn An", "received_date": TODAY.isoformat(),
            "due_date": TODAY.isoformat(), "channel": 1, "digitized": 1}


def _clean(store):
    """Every attack leaves the file sound and its audit chain verifiable."""
    assert store.check() == [] and store.audit.verify() == []


# ---- codes ------------------------------------------------------------------------------------

def test_a_hand_typed_code_never_blocks_the_automatic_codes_of_the_day(store):
    first = ops.add_case(store, _new_case(store, "x"), TODAY, auto_code=True)
    code = store.cases.values(first.id)["code"]
    # the officer types the day's last code plus "b", as people do for a second paper of one case
    ops.add_case(store, _new_case(store, code + "b"), TODAY)
    codes = [store.cases.values(ops.add_case(store, _new_case(store, "x"), TODAY, auto_code=True).id)["code"]
             for _ in range(3)]
    prefix = code[:-4]
    # one past the highest sequence in use ("…-0001"), whatever "…-0001b" says
    assert codes == [f"{prefix}{n:04d}" for n in (2, 3, 4)]
    assert store.cases.next_code(TODAY) == f"{prefix}0005"
    _clean(store)


# ---- search ----------------------------------------------------------------------------------

def test_search_takes_percent_and_underscore_literally_and_refuses_nul_with_a_message(store):
    store.insert_cases([case("S1"), case("S2", applicant="Trần Thị B")])
    everyone = store.cases.count(RegisterFilter())
    assert everyone == 2
    # before: "%" and "_" were LIKE wildcards on the procedure's name and found every case
    assert store.cases.count(RegisterFilter(search="%")) == 0
    assert store.cases.count(RegisterFilter(search="_")) == 0
    assert store.cases.count(RegisterFilter(search="Chứng thực")) == 2  # a plain word still finds them
    # before: a database error on both engines; now the one message, and nothing searched
    with pytest.raises(ValueError, match="ký tự NUL"):
        store.cases.count(RegisterFilter(search="S1\x00"))
    with pytest.raises(ValueError, match="ký tự NUL"):
        store.cases.page(RegisterFilter(search="\x00"))
    _clean(store)


# ---- sign-in across time zones ---------------------------------------------------------------

SIGN_IN = """
import sys
sys.path.insert(0, {root!r})
from db.store import Store
from db.users import AuthError
store = Store.open({db!r})
for password in sys.argv[1:]:
    try:
        store.users.authenticate("lan", password)
        print("signed in")
    except AuthError as exc:
        print(exc)
"""


def _desk(db, tz: str, *passwords: str) -> list[str]:
    env = dict(os.environ, TZ=tz)
    r = subprocess.run([sys.executable, "-c", SIGN_IN.format(root=str(ROOT), db=str(db)), *passwords],
                       capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    return r.stdout.splitlines()


def test_five_wrong_passwords_at_a_desk_in_utc_lock_the_account_for_a_desk_in_utc_plus_7(sqlite_path, cheap_passwords):
    store = Store.open(sqlite_path)
    lan = store.add_officer("Phạm Thị Lan")
    store.users.add("lan", "motcua2026", "officer", "Phạm Thị Lan", lan)
    store.close()
    said = _desk(sqlite_path, "UTC", *["sai-mat-khau"] * 5)
    assert "tạm khoá 15 phút" in said[-1]
    # the desk whose clock is seven hours ahead: before, it compared local times and let her in
    later = _desk(sqlite_path, "Asia/Ho_Chi_Minh", "motcua2026")
    assert later != ["signed in"] and "tạm khoá đến" in later[0]
    again = Store.open(sqlite_path)
    stored = again.db.execute("SELECT locked_until FROM users WHERE username = 'lan'").fetchone()[0]
    assert stored.endswith("+00:00")  # stored in UTC, with its offset
    _clean(again)
    again.close()


# ---- periods outside the data's range --------------------------------------------------------

BAD_PERIODS = ("0001-01", "0001-Q1", "9999-12", "1/1/0001-31/12/9999", "1999-12")


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    db = tmp_path_factory.mktemp("periods") / "demo.db"
    r = subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(db), "demo", "--cases", "200",
                        "--years", "1"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return db


@pytest.mark.parametrize("command", [("indicators",), ("report", "--text"), ("evaluation", "--out", "e.pdf"),
                                     ("index",)])
def test_a_period_outside_2000_to_next_year_is_refused_on_every_command(demo_file, tmp_path, command):
    for period in BAD_PERIODS:
        args = [a if a != "e.pdf" else str(tmp_path / "e.pdf") for a in command]
        r = subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(demo_file), *args, "--period", period],
                           capture_output=True, text=True, timeout=120)
        assert r.returncode != 0 and "Traceback" not in r.stderr, r.stderr
        assert "nằm ngoài khoảng chương trình nhận (từ 01/01/2000 đến 31/12/" in r.stderr + r.stdout, r.stderr
    store = Store.open(demo_file)
    try:
        _clean(store)
    finally:
        store.close()


def test_the_accepted_range_is_2000_to_the_end_of_next_year():
    assert periods.parse("2000-01", today=TODAY).start == dt.date(2000, 1, 1)
    assert periods.parse("2027-12", today=TODAY).end == dt.date(2027, 12, 31)
    with pytest.raises(periods.PeriodError, match=r"từ 01/01/2000 đến 31/12/2027"):
        periods.parse("2028-01", today=TODAY)


# ---- privacy: the retention purge (Nghị định 13/2023) ------------------------------------------

SECRET = "Lê Thị Bảo Mật"


def test_the_retention_purge_clears_a_name_from_the_audit_log_the_bin_and_the_free_pages(store, db_path):
    from db import backups
    from db.audit import PURGED
    from tests.conftest import everything_stored

    old = dict(received_date=dt.date(2019, 3, 4), due_date=dt.date(2019, 3, 4), resolved_date=dt.date(2019, 3, 4))
    store.insert_cases([case("KEEP", applicant="Nguyễn Văn Còn"), case("OLD1", applicant="Tạm Tên", **old),
                        case("OLD2", applicant=SECRET, **old)])
    ids = {code: store.db.execute("SELECT id FROM cases WHERE code = ?", [code]).fetchone()[0]
           for code in ("OLD1", "OLD2")}
    # the name enters the audit log's values twice: typed in, then corrected
    ops.update_case(store, ids["OLD1"], {"applicant": SECRET}, TODAY)
    ops.update_case(store, ids["OLD1"], {"applicant": "Tạm Tên"}, TODAY)
    ops.delete_case(store, ids["OLD2"], "nhập trùng")  # and the bin keeps the deleted case, name and all
    assert SECRET in everything_stored(store)
    if store.engine == "sqlite":
        store.backup(backups.daily_name(store.path, TODAY))  # the day's backup, taken before the purge

    assert store.purge_applicants(dt.date(2021, 11, 22)) == 1
    # before: the name stayed in the audit's before-values, in the bin and in the file's free pages
    assert SECRET not in everything_stored(store)
    assert PURGED in everything_stored(store)
    assert store.check() == [] and store.audit.verify() == []
    entry = store.db.execute("SELECT after FROM audit_log WHERE action = 'purge applicants'").fetchone()[0]
    assert '"bin": 1' in entry and '"redacted"' in entry
    if store.engine == "sqlite":
        store.close()
        raw = Path(db_path).read_bytes() + (Path(str(db_path) + "-wal").read_bytes()
                                            if Path(str(db_path) + "-wal").exists() else b"")
        assert SECRET.encode("utf-8") not in raw
        holding = backups.holding_old_names(db_path, TODAY)
        assert [p.name for p, _ in holding] == [backups.daily_name(db_path, TODAY).name]
        assert holding[0][1] is not None and holding[0][1] > TODAY  # the day the rotation removes it


def test_a_redacted_audit_entry_edited_behind_the_back_is_still_caught(sqlite_store, sqlite_path):
    from tests.conftest import behind_the_back

    store = sqlite_store
    store.insert_cases([case("OLD", applicant=SECRET, received_date=dt.date(2019, 3, 4),
                             due_date=dt.date(2019, 3, 4), resolved_date=dt.date(2019, 3, 4))])
    case_id = store.db.execute("SELECT id FROM cases WHERE code = 'OLD'").fetchone()[0]
    ops.update_case(store, case_id, {"applicant": SECRET + " A"}, TODAY)
    store.purge_applicants(dt.date(2021, 11, 22))
    assert store.audit.verify() == []
    store.close()
    behind_the_back(sqlite_path, "DROP TRIGGER audit_log_append_only_update")
    behind_the_back(sqlite_path, "UPDATE audit_log SET after = replace(after, 'đã xoá', 'ĐÃ XOÁ') "
                                 "WHERE entity = 'case' AND after LIKE '%applicant%'")
    again = Store.open(sqlite_path)
    try:
        assert any("bị sửa ngoài chương trình" in p for p in again.audit.verify())
    finally:
        again.close()


# ---- dates far away ----------------------------------------------------------------------------

def test_a_case_file_received_on_30_12_9999_with_a_time_limit_is_a_row_problem_not_an_overflow(store, tmp_path):
    p = tmp_path / "far.csv"
    p.write_text("code,procedure,field,applicant,officer,received_date,due_date,processing_days,channel,digitized\n"
                 "X1,Chứng thực bản sao từ bản chính,Chứng thực,Nguyễn A,Trần B,30/12/9999,,5,direct,1\n",
                 encoding="utf-8")
    problems = [str(x) for x in ops.import_file(store, p).checked.problems]  # before: OverflowError
    assert problems == ["row 2, column received_date: ngày 30/12/9999 ở tương lai, ngoài khoảng chương trình "
                        f"nhận (từ 01/01/2000 đến 31/12/{dt.date.today().year + 1})"]
    assert store.case_count() == 0
    _clean(store)


def test_the_store_refuses_a_due_date_before_the_received_date_or_beyond_next_year(store):
    from db.imports import StoreDateError

    with pytest.raises(StoreDateError, match="trước ngày tiếp nhận"):
        store.insert_cases([case("D1", received_date=dt.date(2023, 9, 5), due_date=dt.date(2023, 9, 1))])
    with pytest.raises(StoreDateError, match="ngoài khoảng chương trình nhận"):
        store.insert_cases([case("D2", received_date=dt.date(2023, 9, 5), due_date=dt.date(9999, 12, 30))])
    assert store.case_count() == 0
    _clean(store)


# ---- undo across desks -------------------------------------------------------------------------

D = dt.date


def _two_desks(db_path):
    """Two desks on one office file or server: each its own Store, its own connection."""
    a, b = Store.open(db_path), Store.open(db_path)
    a.insert_cases([case("U1", received_date=D(2023, 10, 2), due_date=D(2023, 10, 20))])
    return a, b, a.cases.id_by_code("U1")



def test_an_undo_of_a_supplement_request_after_another_desk_recorded_the_return_and_a_second_is_refused(db_path):
    a, b, cid = _two_desks(db_path)
    try:
        asked = ops.record_event(a, cid, "supplement_requested", D(2023, 10, 3), note="Thiếu CCCD", today=TODAY)
        ops.record_event(b, cid, "supplement_returned", D(2023, 10, 5), today=TODAY)
        ops.record_event(b, cid, "supplement_requested", D(2023, 10, 9), note="Thiếu tờ khai", today=TODAY)
        before = a.cases.values(cid)
        assert before["supplement_count"] == 2
        # desk A presses Ctrl+Z: before, the count went 2 -> 0 and the pending request disappeared
        with pytest.raises(ops.OpRefused, match=r"Hồ sơ U1 đã được sửa ở máy khác.*không hoàn tác"):
            asked.undo(a)
        assert a.cases.values(cid) == before and len(a.events.of_case(cid)) == 3
        _clean(a)
    finally:
        a.close()
        b.close()


def test_undo_and_redo_refused_after_an_import_or_a_later_event_but_a_desks_own_chain_still_undoes(db_path, tmp_path):
    a, b, cid = _two_desks(db_path)
    try:
        # this desk's own chain: two events taken back in order, then done again
        first = ops.record_event(a, cid, "supplement_requested", D(2023, 10, 3), note="Thiếu CCCD", today=TODAY)
        second = ops.record_event(a, cid, "supplement_returned", D(2023, 10, 5), today=TODAY)
        redo_second = second.undo(a)
        redo_first = first.undo(a)
        assert a.cases.values(cid)["supplement_count"] == 0 and a.events.of_case(cid) == []
        redo_first = redo_first.undo(a)
        redo_second.undo(a)
        assert a.cases.values(cid)["supplement_returned"] == "2023-10-05"
        # a later event at the other desk: the redo of an undone edit is refused
        edit = ops.update_case(a, cid, {"applicant": "Lê Văn Một"}, TODAY)
        again = edit.undo(a)
        ops.record_event(b, cid, "complaint", D(2023, 10, 6), note="Chờ lâu", today=TODAY)
        with pytest.raises(ops.OpRefused, match="không hoàn tác hay làm lại"):
            again.undo(a)
        assert a.cases.values(cid)["applicant"] == "Nguyễn Văn A"
        # an import that updates the case: the undo of an edit made before it is refused
        edit = ops.update_case(a, cid, {"applicant": "Lê Văn Hai"}, TODAY)
        p = tmp_path / "cap-nhat.csv"
        p.write_text("code,procedure,field,applicant,officer,received_date,due_date,channel,digitized\n"
                       "U1,Chứng thực bản sao từ bản chính,Chứng thực,Lê Văn Hai,Trần Văn Hùng,02/10/2023,"
                       "25/10/2023,direct,1\n", encoding="utf-8")
        done = ops.import_file(b, p, update=True)
        assert done.updated == 1, [str(x) for x in done.checked.problems]
        with pytest.raises(ops.OpRefused, match="đã được sửa ở máy khác"):
            edit.undo(a)
        assert a.cases.values(cid)["due_date"] == "2023-10-25" and a.cases.values(cid)["applicant"] == "Lê Văn Hai"
        _clean(a)
    finally:
        a.close()
        b.close()


def test_an_undo_after_another_desk_deleted_the_case_says_so_in_vietnamese(db_path):
    a, b, cid = _two_desks(db_path)
    try:
        asked = ops.record_event(a, cid, "supplement_requested", D(2023, 10, 3), note="Thiếu CCCD", today=TODAY)
        edit = ops.update_case(a, cid, {"applicant": "Lê Văn Một"}, TODAY)
        flag = ops.toggle_flag(a, cid, "e_certified", TODAY)
        ops.delete_case(b, cid, "nhập trùng")
        for done in (flag, edit, asked):  # before: "KeyError: 1" for the event
            with pytest.raises(ops.OpRefused, match="không còn trong sổ"):
                done.undo(a)
        assert a.case_count() == 0 and b.cases.deleted_version(cid) is not None
        # a receipt undone after the other desk changed the case stays in the register
        received = ops.add_case(a, _new_case(a, "x"), TODAY, auto_code=True)
        ops.update_case(b, received.id, {"applicant": "Người Khác"}, TODAY)
        with pytest.raises(ops.OpRefused, match="đã được sửa ở máy khác"):
            received.undo(a)
        assert a.case_count() == 1
        # a delete undone after the other desk restored, edited and deleted it again stays in the bin
        gone = ops.delete_case(a, received.id, "nhầm")
        ops.restore_case(b, received.id)
        ops.update_case(b, received.id, {"applicant": "Người Thứ Ba"}, TODAY)
        ops.delete_case(b, received.id, "trùng")
        with pytest.raises(ops.OpRefused, match="xoá lại ở máy khác"):
            gone.undo(a)
        assert a.case_count() == 0
        _clean(a)
    finally:
        a.close()
        b.close()


def test_ctrl_z_in_the_window_after_another_desk_deleted_the_case_says_why_never_a_key_error(qtbot, said, store):
    from functools import partial

    from tests.test_gui_register import _id, shown_window

    store.insert_cases([case("PK-230905-0001", received_date=D(2023, 9, 5), due_date=D(2023, 9, 15))])
    window = shown_window(qtbot, store, TODAY)
    other = Store.open(store.path)
    try:
        cid = _id(window, "PK-230905-0001")
        runner = window.changes.runner
        assert runner.run(partial(ops.record_event, case_id=cid, kind="supplement_requested", day=D(2023, 9, 6),
                                    note="Thiếu CCCD", today=TODAY)) is True
        assert runner.run(partial(ops.record_event, case_id=cid, kind="supplement_returned", day=D(2023, 9, 8),
                                    today=TODAY)) is True
        assert window.undo_stack.count() == 2
        ops.record_event(other, cid, "supplement_requested", D(2023, 9, 9), note="Thiếu tờ khai", today=TODAY)
        window.undo_action.trigger()  # another desk's later request: refused, told, the entry gone
        assert said[-1][0] == "error" and "đã được sửa ở máy khác" in said[-1][1], said
        assert store.cases.values(cid)["supplement_count"] == 2 and window.undo_stack.count() == 1
        ops.delete_case(other, cid, "nhập trùng")
        window.undo_action.trigger()  # before: "Lỗi không mong đợi … KeyError: 1"
        assert said[-1][0] == "error" and "không còn trong sổ" in said[-1][1], said
        assert not any("Lỗi không mong đợi" in text for _, text in said)
        assert window.undo_stack.count() == 0
        _clean(store)
    finally:
        other.close()
        window.close()


# ---- copy --to into what is not ours -----------------------------------------------------------

def _foreign_file(path: Path) -> bytes:
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE cases (id INTEGER PRIMARY KEY, title TEXT, opened TEXT)")
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.executemany("INSERT INTO cases (title, opened) VALUES (?, ?)", [("Vụ 1", "2024-01-02"), ("Vụ 2", None)])
    conn.commit()
    conn.close()
    return path.read_bytes()


def _copy(db, to) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(db), "copy", "--to", str(to)],
                            capture_output=True, text=True, timeout=300)


def test_copy_to_another_programs_sqlite_file_with_a_cases_table_leaves_it_byte_identical(sqlite_path, tmp_path):
    store = Store.open(sqlite_path)
    store.insert_cases([case("C1"), case("C2")])
    store.close()
    foreign = tmp_path / "khac.sqlite"
    before = _foreign_file(foreign)
    r = _copy(sqlite_path, foreign)
    assert r.returncode != 0 and "Traceback" not in r.stderr, r.stderr
    assert "chương trình khác" in r.stderr and "Không ghi gì vào đó" in r.stderr, r.stderr
    # before: the file was migrated (journal mode, our tables) and only then refused
    assert foreign.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("khac")) == ["khac.sqlite"]
    # an office database that holds cases is refused the same way, untouched
    used = tmp_path / "van-phong.db"
    other = Store.open(used)
    other.insert_cases([case("D1")])
    other.close()
    held = used.read_bytes()
    r = _copy(sqlite_path, used)
    assert r.returncode != 0 and "đã có hồ sơ" in r.stderr and used.read_bytes() == held, r.stderr
    # and an empty new file is still a good target
    r = _copy(sqlite_path, tmp_path / "moi.db")
    assert r.returncode == 0, r.stderr
    copied = Store.open(tmp_path / "moi.db")
    try:
        assert copied.case_count() == 2
        _clean(copied)
    finally:
        copied.close()


def test_copy_to_another_programs_postgresql_database_writes_nothing_there(sqlite_path, pg_server):
    import psycopg

    server = pg_server
    url = server.new_database(migrated=False)
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE TABLE cases (id serial PRIMARY KEY, title text)")
            conn.execute("INSERT INTO cases (title) VALUES ('Vụ 1')")
        store = Store.open(sqlite_path)
        store.insert_cases([case("C1")])
        from db.copy import Refused, copy_database

        with pytest.raises(Refused, match="chương trình khác"):
            copy_database(store, url)
        store.close()
        with psycopg.connect(url, autocommit=True) as conn:
            tables = {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
            routines = conn.execute("SELECT count(*) FROM information_schema.routines "
                                      "WHERE routine_schema = 'public'").fetchone()[0]
        assert tables == {"cases"} and routines == 0
    finally:
        server.drop(url)


# ---- the roll-up's sources ---------------------------------------------------------------------

def _rollup(office, *args, umask: int | None = None) -> subprocess.CompletedProcess:
    def mask():
        os.umask(umask)

    return subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(office), "rollup", "--period", "2023-04",
                             *map(str, args)], capture_output=True, text=True, timeout=600,
                            preexec_fn=mask if umask is not None else None)


@pytest.fixture
def roll_office(tmp_path):
    office = tmp_path / "huyen.db"
    Store.open(office).close()
    return office


def _pool(result):
    return {k: (v["numerator"], v["denominator"]) for k, v in result["average"].items()}


def test_damaged_oversized_and_blob_named_units_are_listed_as_unreadable_and_the_roll_up_finishes(roll_office, units,
                                                                                                       tmp_path):
    import json

    from tests.conftest import behind_the_back

    folder = units[0]
    clean = json.loads(_rollup(roll_office, folder, "--json").stdout)
    hostile = tmp_path / "hostile"
    hostile.mkdir()
    (hostile / "hong.xlsx").write_bytes(b"PK\x03\x04" + os.urandom(4000))  # a damaged workbook
    (hostile / "hong.db").write_bytes(b"SQLite format 3\x00" + b"\xff" * 8000)  # a damaged database
    big = hostile / "UBND xã Rất Lớn.csv"
    with open(big, "wb") as f:  # 2 GB, sparse: no disk used
        f.write(b"code,procedure\n")
        f.truncate(2 * 1024 ** 3)
    blob = hostile / "blob.db"
    s = Store.open(blob)
    s.insert_cases([case("Z-1", received_date=D(2023, 4, 26), due_date=D(2023, 4, 26))])
    s.close()
    behind_the_back(blob, "UPDATE settings SET value = X'DEADBEEF' WHERE key = 'committee'")
    behind_the_back(blob, "INSERT OR REPLACE INTO settings (key, value) VALUES ('committee', X'C3A1FF00')")
    huge = hostile / "ten-dai.db"
    s = Store.open(huge)
    s.insert_cases([case("Y-1", received_date=D(2023, 4, 26), due_date=D(2023, 4, 26))])
    s.set_settings({"committee": "ỦY BAN NHÂN DÂN XÃ " + "DÀI " * 50_000})
    s.close()
    r = _rollup(roll_office, folder, hostile, "--json")
    # before: a traceback (BadZipFile, TypeError on the BLOB, a 2 GB read) and no roll-up at all
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    result = json.loads(r.stdout)
    reasons = {Path(m["source"]).name: m["reason"] for m in result["not_reported"] if m["source"]}
    assert "không phải tệp .xlsx hợp lệ" in reasons["hong.xlsx"] and "row" not in reasons["hong.xlsx"]
    assert reasons["hong.db"].startswith("không đọc được cơ sở dữ liệu: hong.db bị hỏng")
    assert "quá giới hạn 100 MB" in reasons["UBND xã Rất Lớn.csv"] and "2.048 MB" in reasons["UBND xã Rất Lớn.csv"]
    assert "không phải chữ mà là dữ liệu nhị phân" in reasons["blob.db"]
    assert "tối đa 300 ký tự" in reasons["ten-dai.db"]
    # the sound units ranked and pooled exactly as without the hostile ones
    assert [u["unit"] for u in result["units"]] == [u["unit"] for u in clean["units"]]
    assert _pool(result) == _pool(clean)
    office = Store.open(roll_office)
    try:
        _clean(office)
    finally:
        office.close()


def test_one_unit_given_twice_is_ranked_and_pooled_once_and_the_copy_reported(roll_office, units, tmp_path):
    import json
    import shutil

    folder = units[0]
    clean = json.loads(_rollup(roll_office, folder, "--json").stdout)
    copies = tmp_path / "copies"
    copies.mkdir()
    shutil.copy(folder / "a.db", copies / "a - bản sao.db")  # the same database, copied: its id kept
    shutil.copy(folder / "UBND xã Hà Thanh.csv", copies / "ha-thanh-gui-lai.csv")  # the same bytes
    r = _rollup(roll_office, folder, copies, "--json")
    assert r.returncode == 0, r.stderr
    result = json.loads(r.stdout)
    # before: "UBND xã Tái Sơn" ranked twice (once with its file name) and its cases pooled twice
    assert [u["unit"] for u in result["units"]] == [u["unit"] for u in clean["units"]]
    assert _pool(result) == _pool(clean)
    assert sorted((d["unit"], Path(d["source"]).name) for d in result["duplicates"]) == [
        ("UBND xã Hà Thanh", "ha-thanh-gui-lai.csv"), ("UBND xã Tái Sơn", "a - bản sao.db")]
    assert "chỉ tính một lần" in r.stderr
    # a unit sent as a database and again as its own case file (no id): one unit, by its name
    from core.files import casefile

    s = Store.open(folder / "d.db")
    casefile.export_file(s, copies / "UBND xã Đại Sơn.csv")
    s.close()
    result = json.loads(_rollup(roll_office, folder, copies / "UBND xã Đại Sơn.csv", "--json").stdout)
    assert _pool(result) == _pool(clean) and [d["reason"][:15] for d in result["duplicates"]] == ["cùng tên đơn vị"]
    # two offices started from one blank database share its id, not their names: two units
    from tests.conftest import behind_the_back

    other = copies / "xa-moi.db"
    shutil.copy(folder / "f.db", other)
    behind_the_back(other, "UPDATE settings SET value = 'ỦY BAN NHÂN DÂN XÃ MỚI LẬP' WHERE key = 'committee'")
    result = json.loads(_rollup(roll_office, folder, other, "--json").stdout)
    assert "UBND xã Mới Lập" in [u["unit"] for u in result["units"]] and result["duplicates"] == []


def test_unit_names_stored_in_nfd_are_printed_in_nfc(roll_office, tmp_path):
    import json
    import unicodedata

    from tests import test_rollup

    folder = tmp_path / "nfd"
    folder.mkdir()
    nfd = unicodedata.normalize("NFD", "ỦY BAN NHÂN DÂN XÃ PHƯỢNG KỲ")
    test_rollup._db_unit(folder / "pk.db", "x", test_rollup._cases("P", D(2023, 4, 26), 2, 2, 2))
    from tests.conftest import behind_the_back

    behind_the_back(folder / "pk.db", f"UPDATE settings SET value = '{nfd}' WHERE key = 'committee'")
    test_rollup._csv_unit(folder / (unicodedata.normalize("NFD", "UBND xã Đông Hòa") + ".csv"),
                            [("H-1", "26/04/2023", 1, 0)])
    r = _rollup(roll_office, folder, tmp_path / unicodedata.normalize("NFD", "UBND xã Vắng Mặt.db"), "--json")
    assert r.returncode == 0, r.stderr
    result = json.loads(r.stdout)
    names = [u["unit"] for u in result["units"]] + [m["unit"] for m in result["not_reported"]]
    assert sorted(names) == ["UBND xã Phượng Kỳ", "UBND xã Vắng Mặt", "UBND xã Đông Hòa"]
    assert all(unicodedata.is_normalized("NFC", n) for n in names)
    assert all(unicodedata.is_normalized("NFC", u["source"]) for u in result["units"] + result["not_reported"])


@pytest.mark.parametrize("data", [
    b'{"kind": "mot-cua/binh-quan-chung", "month": "2023-04", "averages": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    b'{"kind": "mot-cua/binh-quan-chung", "month": "2023-04", "issuer": "' + b"x" * 200_000 + b'", "averages": {}}',
    b'{"kind": "mot-cua/binh-quan-chung", "month": "0001-01", "averages": {"online": 50}}',
    b'{"kind": "mot-cua/binh-quan-chung", "month": "2099-12", "averages": {"online": 50}}',
    b'{"kind": "mot-cua/binh-quan-chung", "month": "2023-04", "averages": {"online": 50}, "x": {"y": [1]}}'])
def test_hostile_averages_files_are_refused_by_their_schema_and_change_nothing(store, data):
    # before: the nested one a RecursionError (a traceback), the others accepted
    with pytest.raises(ops.OpRefused, match="lồng nhau quá sâu|quá giới hạn|ngoài khoảng|không có trong tệp"):
        ops.import_averages(store, data)
    assert store.db.execute("SELECT count(*) FROM district_averages").fetchone()[0] == 0
    _clean(store)


def test_every_output_of_the_roll_up_is_readable_by_its_owner_only(roll_office, units, tmp_path):
    folder = units[0]
    outs = [tmp_path / "xep-hang.xlsx", tmp_path / "cong-van.pdf", tmp_path / "cong-van.docx"]
    for out in outs:
        r = _rollup(roll_office, folder, "--out", out, "--averages", tmp_path / "binh-quan.json", umask=0o022)
        assert r.returncode == 0, r.stderr
    for out in [*outs, tmp_path / "binh-quan.json"]:
        assert out.stat().st_mode & 0o777 == 0o600, out
    assert not list(tmp_path.glob("*.part"))


# ---- a full disk: every output and the backup ---------------------------------------------------

@pytest.fixture
def tiny_disk(tmp_path):
    """A real 1 MB disk (tmpfs); skipped where none can be mounted (not root)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"no tmpfs can be mounted here: {r.stderr.strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


FULL_DISK_COMMANDS = {
    "ca-xuat.xlsx": ("export", "{out}"), "ca-xuat.csv": ("export", "{out}"),
    "bao-cao.pdf": ("report", "--period", "2026-11", "--out", "{out}"),
    "bao-cao.docx": ("report", "--period", "2026-11", "--out", "{out}"),
    "bao-cao.xlsx": ("report", "--period", "2026-11", "--out", "{out}"),
    "danh-gia.pdf": ("evaluation", "--period", "2026-Q3", "--out", "{out}"),
    "sao-luu.db": ("backup", "--out", "{out}"),
}


def test_on_a_full_disk_every_output_says_so_keeps_the_old_file_whole_and_leaves_no_temporary_file(demo_file,
                                                                                                         tiny_disk):
    def run(name):
        args = [a.format(out=tiny_disk / name) for a in FULL_DISK_COMMANDS[name]]
        return subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(demo_file), *args],
                                capture_output=True, text=True, timeout=300)

    for name in FULL_DISK_COMMANDS:  # yesterday's files, written while there was room
        r = run(name)
        assert r.returncode == 0, (name, r.stderr)
    old = {p.name: p.read_bytes() for p in tiny_disk.iterdir()}
    free = os.statvfs(tiny_disk).f_bavail * os.statvfs(tiny_disk).f_frsize
    (tiny_disk / "filler").write_bytes(b"\0" * free)
    for name in FULL_DISK_COMMANDS:
        r = run(name)
        # before: the XLSX export a traceback, the backup a .part file left at each attempt
        assert r.returncode != 0 and "Traceback" not in r.stderr, (name, r.stderr)
        assert "đầy" in r.stderr, (name, r.stderr)
        assert (tiny_disk / name).read_bytes() == old[name], name
        assert sorted(p.name for p in tiny_disk.iterdir()) == sorted([*old, "filler"]), name
    store = Store.open(demo_file)
    try:
        _clean(store)
    finally:
        store.close()


# ---- long texts in every document -----------------------------------------------------------------

LONG_NAME = ("Nguyễn Thị Hoàng Anh Thư " * 250)[:5000]
LONG_PROCEDURE = ("Cấp bản sao trích lục hộ tịch và chứng thực chữ ký người dịch trong các giấy tờ " * 4)[:300]


def test_a_5000_character_name_and_a_300_character_procedure_fit_every_document(sqlite_store):
    import io

    import docx
    from pypdf import PdfReader

    from core.documents import evaluation_forms, forms, letter, official, slip
    from core.documents import report as report_doc
    from core.queries import evaluation, report

    store = sqlite_store
    store.set_settings({"committee": "ỦY BAN NHÂN DÂN XÃ PHƯỢNG KỲ", "place": "Phượng Kỳ", "chairman": "Nguyễn Văn Chính"})
    store.insert_cases([
        case("PK-231002-0001", procedure=LONG_PROCEDURE, field="Hộ tịch", applicant=LONG_NAME,
             officer=LONG_NAME[:300], received_date=D(2023, 10, 2), due_date=D(2023, 10, 9), processing_days=5),
        case("PK-231002-0002", procedure=LONG_PROCEDURE, field="Hộ tịch", applicant=LONG_NAME,
             officer=LONG_NAME[:300], received_date=D(2023, 10, 2), due_date=D(2023, 10, 3),
             resolved_date=D(2023, 10, 20), processing_days=1)])
    today = D(2026, 1, 1)
    store.events.record(1, "supplement_requested", D(2023, 10, 3), note="Bản sao giấy khai sinh " * 200, today=today)
    store.events.record(1, "extended", D(2023, 10, 11), note="Cần xác minh " * 300, new_date=D(2023, 10, 16),
                          today=today)
    c, events = store.cases.get(1, today=today), store.events.of_case(1)

    def pdf_text(data: bytes) -> tuple[int, str]:
         reader = PdfReader(io.BytesIO(data))
         return len(reader.pages), " ".join(" ".join(p.extract_text().split()) for p in reader.pages)

    def docx_text(data: bytes) -> str:
         d = docx.Document(io.BytesIO(data))
         cells = [p.text for t in d.tables for row in t.rows for cell in row.cells for p in cell.paragraphs]
         return " ".join(" ".join(p.text for p in d.paragraphs).split() + cells)

    # before: "LayoutError … too large" for the slip, the control form, the book and the report
    documents = {"giấy tiếp nhận": slip.document(c, store.settings())}
    for kind in forms.FORM_KINDS:
         event = {"supplement": events[0], "apology": events[1]}.get(kind, events[0])
         documents[kind] = forms.document(kind, c, store.settings(), store.wordings(), event=event, events=events,
                                              today=today)
    documents["sổ theo dõi"] = forms.book([store.cases.get(i, today=today) for i in (1, 2)], "tháng 10/2023",
                                               store.settings())
    r = report.build(store, periods.parse("2023-10", today=today), today=today)
    documents["báo cáo"] = report_doc.document(r, today)
    documents["công văn"] = letter.document(letter.draft(r, store.settings(), today), store.settings())
    for name, doc in documents.items():
         pages, text = pdf_text(official.render_pdf(doc))
         words = docx_text(official.render_docx(doc))
         if name != "công văn":  # the letter names no applicant
             assert "…" in text and "…" in words, name  # the name cut, in the PDF and in Word alike
         assert LONG_NAME not in text and LONG_NAME not in words, name
    pages, text = pdf_text(slip.render(c, store.settings()))
    assert pages == 1 and LONG_PROCEDURE in text  # the slip stays one page; 300 characters wrap whole
    sheets = evaluation.build(store, periods.parse("2023-Q4", today=today), today=today)
    assert pdf_text(evaluation_forms.pdf(sheets, store.settings(), today))[0] >= 1
    assert docx_text(evaluation_forms.docx(sheets, store.settings(), today))
    _clean(store)


def test_a_long_text_is_cut_at_a_word_with_an_ellipsis_only_when_it_does_not_fit():
    from core.documents import official

    assert official.fitted("Nguyễn Văn An", 100, 10.5, 2) == "Nguyễn Văn An"
    short = official.fitted(LONG_NAME, 100, 10.5, 3)
    assert short.endswith("…") and LONG_NAME.startswith(short[:-1]) and short[-2] != " "
    assert official._lines_taken(short, 100, 10.5, False) <= 3
    assert official.shortened(LONG_NAME) == LONG_NAME[:official.NAME_CHARS].rsplit(" ", 1)[0] + "…" or \
         len(official.shortened(LONG_NAME)) <= official.NAME_CHARS


def test_the_roll_up_page_finishes_with_a_damaged_and_a_copied_unit_and_lists_both(qtbot, sqlite_store, units, said):
    import shutil

    from gui.rollup_page import RollupPage

    folder = units[0]
    (folder / "hong.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 4000)
    shutil.copy(folder / "a.db", folder / "a-ban-sao.db")
    page = RollupPage(sqlite_store, today=dt.date(2023, 5, 10))
    qtbot.addWidget(page)
    page.picker.set_period("month", 2023, 4)
    page.choose_folder(folder)
    with qtbot.waitSignal(page.run().succeeded, timeout=30000):
         pass
    qtbot.waitUntil(lambda: page.result is not None)
    # before: the worker failed on the damaged workbook and the copy was ranked a second time
    assert said == [] and len(page.result.units) == 5
    lists = page.lists.toPlainText()
    assert "hong: không đọc được tệp: không đọc được tệp Excel hong.xlsx" in lists
    assert "NGUỒN TRÙNG, CHỈ TÍNH MỘT LẦN (01)" in lists and "a-ban-sao.db" in lists
    _clean(sqlite_store)
