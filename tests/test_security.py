import datetime as dt
import sqlite3

import pytest

from core import ops
from core.files import casefile
from core.queries import figures
from core.domain import periods
from db.audit import PermissionDenied
from db.evaluations import EvaluationLocked  # noqa: F401
from db import users
from db.users import AuthError
from tests.conftest import behind_the_back, case, everything_stored

D = dt.date
NOW = dt.datetime(2026, 11, 22, 9, 0)


@pytest.fixture
def people(store):
    store.users.add("admin", "quantri2026", "admin", "Quản Trị")
    admin = store.users.authenticate("admin", "quantri2026", NOW)
    store.sign_in_as(admin)
    lan = store.add_officer("Phạm Thị Lan")
    store.users.add("lan", "motcua2026", "officer", "Phạm Thị Lan", lan)
    store.users.add("chutich", "chutich2026", "chairman", "Tấn Văn Duẩn")
    store.sign_in_as(None)
    store.insert_cases([case("C1", officer="Phạm Thị Lan"), case("C2", officer="Phạm Thị Lan")])
    return store


def as_user(store, name, password):
    store.sign_in_as(store.users.authenticate(name, password, NOW))
    return store


def test_passwords_are_hashed_never_stored(people):
    rows = people.db.execute("SELECT username, password_hash FROM users").fetchall()
    for _username, stored in rows:
        assert stored.startswith(f"scrypt${users.SCRYPT['n']}$8$1$")
        # the salt and key are random hex: only the password itself (or its hex) must never appear
        for password in ("quantri2026", "motcua2026", "chutich2026"):
            assert password not in stored and password.encode().hex() not in stored
    dump = everything_stored(people)
    for password in ("quantri2026", "motcua2026", "chutich2026"):
        assert password not in dump


def test_a_wrong_password_is_refused_and_repeated_failures_lock(people):
    with pytest.raises(AuthError, match="không đúng"):
        people.users.authenticate("lan", "sai-mat-khau1", NOW)
    with pytest.raises(AuthError, match="không đúng"):
        people.users.authenticate("không-có-ai", "motcua2026", NOW)
    for _ in range(3):
        with pytest.raises(AuthError):
            people.users.authenticate("lan", "sai-mat-khau1", NOW)
    with pytest.raises(AuthError, match="tạm khoá 15 phút"):
        people.users.authenticate("lan", "sai-mat-khau1", NOW)  # the fifth failure
    with pytest.raises(AuthError, match="tạm khoá đến 09:15"):
        people.users.authenticate("lan", "motcua2026", NOW + dt.timedelta(minutes=5))  # even the right one
    assert people.users.authenticate("lan", "motcua2026", NOW + dt.timedelta(minutes=16))["role"] == "officer"


def test_an_administrator_unlocks_and_weak_passwords_are_refused(people):
    for _ in range(5):
        with pytest.raises(AuthError):
            people.users.authenticate("lan", "sai-mat-khau1", NOW)
    as_user(people, "admin", "quantri2026")
    people.users.unlock(people.db.execute("SELECT id FROM users WHERE username = 'lan'").fetchone()[0])
    assert people.users.authenticate("lan", "motcua2026", NOW)["username"] == "lan"
    with pytest.raises(ValueError, match="ít nhất 8"):
        people.users.add("moi", "abc1", "officer")
    with pytest.raises(ValueError, match="chữ và số"):
        people.users.add("moi", "12345678", "officer")


def test_an_officer_cannot_approve_or_change_a_target(people):
    as_user(people, "lan", "motcua2026")
    with pytest.raises(PermissionDenied, match="không có quyền"):
        ops.approve_quarter(people, periods.parse("2023-Q3"), "lan")
    with pytest.raises(PermissionDenied):
        people.set_target("on_time", D(2023, 1, 1), 90)
    with pytest.raises(PermissionDenied):
        people.evaluations.save_entry(1, "2023-Q3", {}, "tự chấm")
    with pytest.raises(PermissionDenied):
        people.users.add("x", "matkhau123", "admin")
    assert people.evaluations.approval("2023-Q3") is None
    assert people.target("on_time", D(2023, 12, 31)) == 100.0
    people.insert_cases([case("C3", officer="Phạm Thị Lan")])  # officers enter cases
    assert people.case_count() == 3


def test_the_chairman_approves_and_sets_targets_but_does_not_enter_cases(people):
    as_user(people, "chutich", "chutich2026")
    people.set_target("on_time", D(2023, 1, 1), 95)
    ops.approve_quarter(people, periods.parse("2023-Q3"), "Tấn Văn Duẩn")
    assert people.evaluations.approval("2023-Q3")["approved_by"] == "Tấn Văn Duẩn"
    with pytest.raises(PermissionDenied):
        people.cases.update(1, {"digitized": 0})


def test_every_change_is_in_the_audit_log_with_who_when_before_after(people):
    as_user(people, "lan", "motcua2026")
    case_id = people.db.execute("SELECT id FROM cases WHERE code = 'C1'").fetchone()[0]
    people.cases.update(case_id, {"resolved_date": "2023-09-05", "result_digitized": 1})
    entry = people.audit.history("case", case_id)[-1]
    assert entry["actor"] == "lan" and entry["action"] == "update"
    assert '"resolved_date": null' in entry["before"] and '"resolved_date": "2023-09-05"' in entry["after"]
    as_user(people, "chutich", "chutich2026")
    people.set_target("paid_online", D(2024, 1, 1), 30)
    actions = [(e["actor"], e["action"], e["entity"]) for e in people.audit.entries()]
    assert ("chutich", "set", "target") in actions
    assert any(a[2] == "cases" and a[1] == "import" for a in actions)
    assert people.check() == []


def test_the_audit_log_is_append_only_and_chained(people):
    with pytest.raises(sqlite3.IntegrityError, match="chỉ được ghi thêm"):
        people.db.execute("UPDATE audit_log SET actor = 'ai đó' WHERE id = 1")
    with pytest.raises(sqlite3.IntegrityError, match="chỉ được ghi thêm"):
        people.db.execute("DELETE FROM audit_log WHERE id = 1")
    people.db.execute("DROP TRIGGER audit_log_append_only_delete")  # someone with the file in a shell
    people.db.execute("DELETE FROM audit_log WHERE id = 2")
    assert any("không nối với mục trước" in p for p in people.check())


def test_a_hand_edit_of_a_case_row_is_reported_by_check(people, db_path):
    people.close()
    behind_the_back(db_path, "UPDATE cases SET resolved_date = '2023-09-05' WHERE code = 'C2'")
    from tests.test_cli import cli

    r = cli("check", db=db_path)
    assert r.returncode == 1
    assert "hồ sơ C2" in r.stderr and "bị sửa ngoài chương trình" in r.stderr


def test_deletion_is_soft_with_a_reason_restorable_and_audited(people):
    as_user(people, "lan", "motcua2026")
    case_id = people.db.execute("SELECT id FROM cases WHERE code = 'C1'").fetchone()[0]
    with pytest.raises(ValueError, match="lý do"):
        people.cases.delete(case_id, "  ")
    people.cases.delete(case_id, "Nhập trùng với C2")
    sept = periods.parse("2023-09")
    assert figures.compute(people, sept).counts["received"] == 1
    deleted = people.cases.deleted()
    assert [(d["code"], d["reason"], d["deleted_by"]) for d in deleted] == [("C1", "Nhập trùng với C2", "lan")]
    people.cases.restore(case_id)
    assert figures.compute(people, sept).counts["received"] == 2
    assert [e["action"] for e in people.audit.history("case", case_id)][-2:] == ["delete", "restore"]
    assert people.check() == []


def test_exports_can_mask_applicants_and_old_names_are_cleared(people, tmp_path):
    people.insert_cases([case("OLD", officer="Phạm Thị Lan", applicant="Nguyễn Văn Bình",
                              received_date=D(2019, 3, 4), due_date=D(2019, 3, 4), resolved_date=D(2019, 3, 4))])
    out = tmp_path / "masked.csv"
    casefile.export_file(people, out, mask=True)
    text = out.read_text(encoding="utf-8-sig")
    assert "Nguyễn V. B." in text and "Nguyễn Văn Bình" not in text and "Nguyễn V. A." in text
    assert casefile.mask_name("An") == "A." and casefile.mask_name("") == ""
    assert people.purge_applicants(D(2021, 11, 22)) == 1
    assert people.cases.get(people.db.execute("SELECT id FROM cases WHERE code = 'OLD'").fetchone()[0])["applicant"] == ""
    assert people.check() == []
