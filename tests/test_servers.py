"""PostgreSQL as offices install it (issue 26), on every server version of MOTCUA_PG_VERSIONS.

The version each test ran on is in its id (``[postgresql-15]``) and in pytest's header. These
prove: the server is the version asked for; a server older than the oldest supported is refused
by name before anything is written; ``copy --to`` is all or nothing, its messages naming the right
side, and a rerun after a failure works; a read-only server role and names with ``'`` or ``%``
work; a restore into a server waits until no other desk is connected and is audited; ``rollup``
reads units on a server without writing; and a password given in a URL appears nowhere.
"""
import datetime as dt
import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

import main
from core.files import demo
from db import errors
from db.store import FileInUse, Store, restore
from tests.conftest import case, everything_stored

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 20)
SECRET = "Mk9-bi-mat-7Qz"  # a server password given in URLs: it must never be shown anywhere


def cli(*args, db):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(db), *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)


def in_process(capsys, *args, db) -> tuple[int, str, str]:
    """The command run in this process (so that a test may force a failure inside it)."""
    code = main.main(["--db", str(db), *map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


def with_password(url: str, password: str = SECRET, user: str = "postgres") -> str:
    head, rest = url.split("://", 1)
    return f"{head}://{user}:{password}@{rest.split('@', 1)[1]}"


def office_file(path: Path, cases: int = 300) -> Path:
    s = Store.open(path)
    demo.generate(s, cases=cases, seed=5, today=TODAY)
    s.close()
    return path


def nothing_copied(url: str) -> None:
    """The target holds no case and no audit entry but its own creation's."""
    s = Store.open(url)
    try:
        assert s.case_count() == 0
        assert s.db.execute("SELECT count(*) FROM audit_log WHERE action <> 'upgrade'").fetchone()[0] == 0
    finally:
        s.close()


# ---- the version ------------------------------------------------------------------------------

def test_the_server_is_the_version_asked_for(pg_server):
    s = Store.open(pg_server.new_database())
    try:
        number = s.db.raw.info.server_version
        assert number // 10000 == pg_server.major
        print(f"\nserver: {pg_server.label}")
    finally:
        s.close()


def test_a_server_older_than_supported_is_refused_by_name_before_anything_is_written(pg_server, monkeypatch):
    from db import pg

    major = pg_server.major
    monkeypatch.setattr(pg, "OLDEST_SERVER", (major + 1) * 10000)  # this server plays an unsupported one
    url = pg_server.new_database(migrated=False)
    with pytest.raises(errors.ServerTooOld) as refused:
        Store.open(url)
    text = str(refused.value)
    assert f"chạy PostgreSQL {major}." in text and f"cần PostgreSQL {major + 1} trở lên" in text
    assert "Chưa ghi gì" in text and "://" not in text
    import psycopg

    with psycopg.connect(url) as conn:  # not a table, not a function was made
        assert conn.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
                            ).fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                            "WHERE n.nspname = 'public'").fetchone()[0] == 0


# ---- copy --to: all or nothing -----------------------------------------------------------------

def test_a_copy_to_a_server_whose_comparison_fails_leaves_it_as_it_was_and_the_rerun_succeeds(
        tmp_path, pg_server, monkeypatch, capsys):
    from db import copy

    src = office_file(tmp_path / "src.db")
    url = pg_server.new_database(migrated=False)
    real = copy.figures

    def one_case_too_many(store):
        found = real(store)
        if store.engine == "postgresql":
            found["rows:cases"] += 1
        return found

    monkeypatch.setattr(copy, "figures", one_case_too_many)
    code, out, err = in_process(capsys, "copy", "--to", url, db=src)
    assert code == 1 and out == ""
    assert f"Không chép được từ {src} sang t" in err and "trên máy chủ máy này" in err
    assert "rows:cases: nguồn 300, đích 301" in err
    assert "mọi thay đổi của lần chép đã được huỷ, không có hồ sơ hay mục nhật ký nào được ghi vào đó" in err
    assert "Chưa ghi gì" not in err and "src.db báo lỗi" not in err
    nothing_copied(url)
    # an error of the target's database itself (PostgreSQL before 16 refused a query): named as the target's
    def refused_by_the_target(store):
        if store.engine == "postgresql":
            raise sqlite3.OperationalError("subquery in FROM must have an alias")
        return real(store)

    monkeypatch.setattr(copy, "figures", refused_by_the_target)
    code, out, err = in_process(capsys, "copy", "--to", url, db=src)
    assert code == 1 and "Đích (t" in err and "báo lỗi: subquery in FROM must have an alias" in err
    assert "Nguồn" not in err and "mọi thay đổi của lần chép đã được huỷ" in err
    nothing_copied(url)
    # the cause mended: the same command again goes through
    monkeypatch.setattr(copy, "figures", real)
    code, out, err = in_process(capsys, "copy", "--to", url, db=src)
    assert code == 0, err
    assert out.startswith("Đã chép 300 hồ sơ") and f"từ {src} sang t" in out and "khớp nhau" in out
    assert cli("check", db=url).returncode == 0


def test_a_copy_to_a_new_file_that_fails_leaves_no_file(tmp_path, pg_server, monkeypatch, capsys):
    from db import copy

    url = pg_server.new_database()
    s = Store.open(url)
    s.insert_cases([case("C1", received_date=dt.date(2026, 11, 2), due_date=dt.date(2026, 11, 9))])
    s.close()
    real = copy.figures
    monkeypatch.setattr(copy, "figures", lambda store: {**real(store), "x": store.engine})
    target = tmp_path / "ve-tep.db"
    code, out, err = in_process(capsys, "copy", "--to", target, db=url)
    assert code == 1 and "x: nguồn postgresql, đích sqlite" in err
    assert f"Đích: tệp {target} chưa có trước khi chép và đã được xoá" in err
    assert not target.exists() and not list(tmp_path.glob("ve-tep.db*"))
    monkeypatch.setattr(copy, "figures", real)
    code, out, err = in_process(capsys, "copy", "--to", target, db=url)
    assert code == 0 and "Đã chép 1 hồ sơ" in out, err


def test_a_copy_into_a_database_that_holds_cases_is_refused_and_says_nothing_was_written(tmp_path, pg_server):
    src = office_file(tmp_path / "src.db", cases=20)
    url = pg_server.new_database()
    s = Store.open(url)
    s.insert_cases([case("GIU-1", received_date=dt.date(2026, 11, 2), due_date=dt.date(2026, 11, 9))])
    s.close()
    r = cli("copy", "--to", url, db=src)
    assert r.returncode == 1 and "đã có hồ sơ hoặc nhật ký" in r.stderr and "Không ghi gì vào đó" in r.stderr
    assert "huỷ" not in r.stderr  # nothing was begun, nothing to undo
    s = Store.open(url)
    assert [c for (c,) in s.db.execute("SELECT code FROM cases")] == ["GIU-1"]
    s.close()


# ---- roles and names ---------------------------------------------------------------------------

def test_a_read_only_role_and_names_with_quotes_and_percent_signs(tmp_path, pg_server):
    name = "mot'cua 100%"
    pg_server.admin(f'CREATE DATABASE "{name}"')
    url = pg_server.url(quote(name, safe=""))
    s = Store.open(url)
    try:
        officer, field = "Lê O'Neil 100%", "Hộ tịch 'A' 50%"
        s.add_officer(officer)
        s.insert_cases([case(f"N-{i}", officer=officer, field=field, received_date=dt.date(2026, 9, 2 + i),
                             due_date=dt.date(2026, 9, 20), resolved_date=dt.date(2026, 9, 10 + i))
                        for i in range(4)])
        assert s.check() == []
    finally:
        s.close()
    role = "chi'doc%"
    pg_server.admin(f'DROP ROLE IF EXISTS "{role.replace(chr(34), "")}"', f'CREATE ROLE "{role}" LOGIN',
                    f'GRANT CONNECT ON DATABASE "{name}" TO "{role}"')
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'GRANT USAGE ON SCHEMA public TO "{role}"')
        conn.execute(f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{role}"')
    reader = f"postgresql://{quote(role, safe='')}@/{quote(name, safe='')}?host={pg_server.socket_dir}"
    for location in (url, reader):
        r = cli("indicators", "--period", "2026-09", "--officer", officer, "--field", field, "--json", db=location)
        assert r.returncode == 0, r.stderr
        assert json.loads(r.stdout)["counts"]["received"] == 4
        r = cli("report", "--period", "2026-09", "--text", db=location)
        assert r.returncode == 0 and "hồ sơ" in r.stdout, r.stderr
    # the read-only role is refused a write, said plainly
    r = cli("index", "--period", "2026-09", "--set", "publicity=16,5", db=reader)
    assert r.returncode == 1 and "không có quyền" in r.stderr and "Traceback" not in r.stderr, r.stderr
    r = cli("backup", "--out", tmp_path / "doc.db", db=reader)  # reading is all a backup needs
    assert r.returncode == 0, r.stderr
    pg_server.admin(f'DROP DATABASE "{name}" WITH (FORCE)', f'DROP ROLE "{role}"')


# ---- restore into a server ---------------------------------------------------------------------

def test_a_restore_into_a_server_waits_until_no_other_desk_is_connected_and_is_audited(
        tmp_path, pg_server, monkeypatch):
    monkeypatch.setenv("MOTCUA_BACKUPS", str(tmp_path / "backups"))
    url = pg_server.new_database()
    store = Store.open(url)
    store.insert_cases([case("C1", received_date=dt.date(2026, 11, 2), due_date=dt.date(2026, 11, 9))])
    backup = store.backup(tmp_path / "sao-luu.db")
    store.insert_cases([case("C2", received_date=dt.date(2026, 11, 3), due_date=dt.date(2026, 11, 9))])
    desk = Store.open(url)  # another desk is working
    try:
        store.close()
        with pytest.raises(FileInUse) as refused:
            restore(url, backup, actor="quantri")
        assert "1 kết nối khác" in str(refused.value) and "Chưa thay đổi gì" in str(refused.value)
        assert desk.case_count() == 2
        r = cli("restore", backup, db=url)
        assert r.returncode == 1 and "kết nối khác" in r.stderr
    finally:
        desk.close()
    aside = restore(url, backup, actor="quantri")
    assert aside.exists()
    s = Store.open(url)
    try:
        assert [c for (c,) in s.db.execute("SELECT code FROM cases")] == ["C1"]
        last = s.db.execute("SELECT action, entity, actor, after FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
        assert last[:3] == ("restore", "database", "quantri")
        assert json.loads(last[3]) == {"source": "sao-luu.db", "aside": aside.name}
        assert s.check() == []
    finally:
        s.close()


# ---- rollup from a server ----------------------------------------------------------------------

def test_rollup_reads_units_on_a_server_without_writing(tmp_path, pg_server):
    units = []
    for i, commune in enumerate(("Xã Tái Sơn", "Xã Đại Sơn")):
        url = pg_server.new_database()
        s = Store.open(url)
        demo.generate(s, cases=120, seed=i, today=TODAY)
        s.set_settings({"committee": f"UBND {commune.lower().replace('xã', 'xã')}", "office_name": commune})
        s.close()
        units.append(url)
    before = {}
    for url in units:
        s = Store.open(url)
        before[url] = everything_stored(s)
        s.close()
    district = tmp_path / "huyen.db"
    missing = units[0].replace("/t", "/khong_co_", 1)
    r = cli("rollup", "--period", "2026-09", *units, missing, "--json", db=district)
    assert r.returncode == 0, r.stderr
    result = json.loads(r.stdout)
    assert len(result["units"]) == 2 and all(u["source"].startswith("postgresql://") for u in result["units"])
    assert [m["reason"].startswith("không đọc được cơ sở dữ liệu") for m in result["not_reported"]] == [True]
    for url in units:  # not a row changed, not a reminder written there
        s = Store.open(url)
        assert everything_stored(s) == before[url]
        s.close()
    # a source is read in read-only transactions: a write is refused by the server itself
    from db.rollup import open_readonly

    unit = open_readonly(units[0])
    try:
        with pytest.raises(errors.ReadOnly):
            unit.db.execute("DELETE FROM cases")
        with pytest.raises(errors.ReadOnly):
            with unit.db.atomic():
                pass
    finally:
        unit.close()


# ---- the password ------------------------------------------------------------------------------

def test_a_password_given_in_a_url_appears_nowhere(tmp_path, pg_server, monkeypatch, capsys, qtbot):
    """A session of commands with the server password in the URL: every message, every line printed,
    the audit log, the backups and their names, the window's title and errors' texts are free of it."""
    monkeypatch.setenv("MOTCUA_BACKUPS", str(tmp_path / "backups"))
    url = with_password(pg_server.new_database())
    said: list[str] = []

    def run(*args, db=url, ok=True):
        r = cli(*args, db=db)
        said.extend([r.stdout, r.stderr])
        assert (r.returncode == 0) == ok, r.stderr
        return r

    run("demo", "--cases", "150")
    run("indicators", "--period", "2025", "--json")
    run("report", "--period", "2025-09", "--text")
    run("check")
    run("backup", "--out", tmp_path / "sao-luu.db")
    run("copy", "--to", tmp_path / "ve-tep.db")
    run("copy", "--to", url, db=tmp_path / "ve-tep.db", ok=False)  # not empty: refused
    second = with_password(pg_server.new_database(migrated=False))
    run("copy", "--to", second, db=tmp_path / "ve-tep.db")
    run("restore", tmp_path / "sao-luu.db")
    desk = Store.open(url)
    run("restore", tmp_path / "sao-luu.db", ok=False)  # another desk connected
    desk.close()
    run("rollup", "--period", "2025-09", url, second, "--json", db=tmp_path / "huyen.db")
    run("rollup", "--period", "2025-09", url.replace("/t", "/khong_co_", 1), "--json", db=tmp_path / "huyen.db",
        ok=False)  # no such database: not reported
    unreachable = f"postgresql://motcua:{SECRET}@127.0.0.1:9/vanphong?connect_timeout=2"
    run("check", db=unreachable, ok=False)
    run("copy", "--to", unreachable, db=tmp_path / "ve-tep.db", ok=False)
    # errors met in the program itself, as the window shows them
    for location in (url, unreachable):
        try:
            Store.open(location).close()
        except errors.StoreError as exc:
            said.append(str(exc))
        said.append(errors.explain(sqlite3.OperationalError("lỗi bất kỳ"), location))
        said.append(errors.explain(errors.busy(location), location))
    s = Store.open(url)
    try:
        said.append(s.where)
        said.append(everything_stored(s))  # the audit log and every setting
        from PySide6.QtWidgets import QLabel, QWidget

        from gui.main_window import MainWindow

        window = MainWindow(s, today=TODAY)
        qtbot.addWidget(window)
        window.show()
        said.append(window.windowTitle())
        said += [w.text() for w in window.findChildren(QLabel)]
        said += [w.toolTip() + w.windowTitle() for w in window.findChildren(QWidget)]
        window.close()
    finally:
        s.close()
    for backup in list((tmp_path / "backups").iterdir()) + list(tmp_path.glob("*.db")):
        said.append(backup.name)
        said.append(backup.read_bytes().decode("utf-8", errors="replace"))
    said.append(capsys.readouterr().out)
    said.append((pg_server.folder / f"server-{pg_server.major}.log").read_text(errors="replace"))
    text = "\n".join(said)
    assert "Đã chép" in text and "kết nối khác" in text and "Không kết nối được" in text  # the session happened
    for form in (SECRET, quote(SECRET), SECRET.lower()):
        assert form not in text


def test_a_url_is_shown_without_its_password():
    from db.pg import where_of, without_password

    assert without_password("postgresql://motcua:mật-khẩu@192.168.1.10/motcua") == \
        "postgresql://motcua@192.168.1.10/motcua"
    assert without_password("postgresql://ban1@192.168.1.10:5433/motcua?password=abc&sslmode=require") == \
        "postgresql://ban1@192.168.1.10:5433/motcua?sslmode=require"
    for url in ("postgresql://motcua:mật-khẩu@192.168.1.10/motcua", "postgresql://ban1@192.168.1.10/motcua?password=abc"):
        assert where_of(url) == errors.shown(url) == "motcua trên máy chủ 192.168.1.10"
        assert "mật-khẩu" not in errors.explain(sqlite3.OperationalError("x"), url)
