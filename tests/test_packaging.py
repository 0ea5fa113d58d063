"""Issue 25, the program right on Windows and as an installed program: one version number, UTF-8
console output, whole-or-nothing document writes with a file open in Word/Excel named, no POSIX-only
call on the error path, the data folder's one-time move, and the update notice (a local file and a
server on 127.0.0.1)."""
from __future__ import annotations

import datetime as dt
import errno
import http.server
import io
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import main
from core.domain import version
from core.files import data_folder, output, updates
from db import errors

REPO = Path(__file__).resolve().parent.parent


# ---- one version number -------------------------------------------------------------------

def test_one_version_number_for_the_command_line_and_the_package():
    out = subprocess.run([sys.executable, str(REPO / "main.py"), "--version"], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == f"mot-cua {version.__version__}"
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dynamic = ["version"]' in pyproject and "core.domain.version.__version__" in pyproject
    nsi = (REPO / "packaging" / "installer.nsi").read_text(encoding="utf-8")
    assert "${VERSION}" in nsi and "version=" not in nsi.lower().replace("-dversion=", "")


def test_versions_compare_as_numbers():
    assert version.parse("0.10.0") == (0, 10, 0) and version.parse("v1.2") == (1, 2, 0)
    assert version.parse("mới") is None and version.parse("") is None
    assert version.is_newer("0.10.0", "0.9.3") and not version.is_newer("0.1.0", "0.1.0")
    assert not version.is_newer("garbage", "0.1.0")


# ---- UTF-8 console whatever the code page ----------------------------------------------

def test_vietnamese_prints_to_a_redirected_stream_in_an_ansi_code_page(monkeypatch):
    raw = io.BytesIO()
    cp1252 = io.TextIOWrapper(raw, encoding="cp1252")  # what a redirected stdout gets on Windows
    monkeypatch.setattr(sys, "stdout", cp1252)
    monkeypatch.setattr(sys, "stderr", None)  # the window program (no console) has no streams at all
    main.utf8_console()
    print("Đã xử lý đúng hạn: 95,5%")
    sys.stdout.flush()
    assert raw.getvalue().decode("utf-8").strip() == "Đã xử lý đúng hạn: 95,5%"


def test_commands_print_vietnamese_when_python_is_told_an_ansi_code_page(tmp_path):
    env = dict(os.environ, PYTHONIOENCODING="cp1252", QT_QPA_PLATFORM="offscreen")
    r = subprocess.run([sys.executable, "-c", "import sys, main; sys.argv[0] = 'mot-cua'; sys.exit(main.entry())",
                        "--help"], capture_output=True, env=env, cwd=REPO)
    assert r.returncode == 0, r.stderr.decode("utf-8", "replace")
    assert "hồ sơ" in r.stdout.decode("utf-8")


# ---- no POSIX-only call on the path that explains a failed write --------------------------

def test_explaining_a_read_only_file_without_posix_calls(tmp_path, monkeypatch):
    f = tmp_path / "motcua.db"
    f.write_bytes(b"x")
    f.chmod(0o444)
    monkeypatch.delattr(os, "statvfs", raising=False)  # as on Windows
    monkeypatch.delattr(os, "geteuid", raising=False)
    assert errors.unwritable_by_nature(f) is True
    f.chmod(0o644)
    assert errors.unwritable_by_nature(f) is False


# ---- whole or nothing, and a file open in Word/Excel named -------------------------------

def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".tmp" in p.name)


def test_write_atomically_writes_bytes_text_and_through_a_library(tmp_path):
    output.write_atomically(tmp_path / "a.pdf", b"%PDF-1.4")
    output.write_atomically(tmp_path / "b.csv", "Mã;Người nộp\nA;Lê Thị Hà\n")
    seen = []
    output.write_atomically(tmp_path / "c.xlsx", lambda tmp: (seen.append(tmp.suffix), tmp.write_bytes(b"PK")))
    assert (tmp_path / "a.pdf").read_bytes() == b"%PDF-1.4"
    assert (tmp_path / "b.csv").read_text(encoding="utf-8").startswith("Mã;")
    assert (tmp_path / "c.xlsx").read_bytes() == b"PK" and seen == [".xlsx"]
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("name, program", [("bao-cao.docx", "Word"), ("so-ho-so.xlsx", "Excel"),
                                           ("bao-cao.pdf", "trình đọc PDF")])
def test_a_file_open_in_word_or_excel_is_named_and_left_whole(tmp_path, monkeypatch, name, program):
    target = tmp_path / name
    target.write_bytes(b"last month")

    def locked(src, dst):  # what Windows says when Word or Excel holds the file
        raise PermissionError(errno.EACCES, "The process cannot access the file because it is being used "
                                            "by another process", str(dst))

    monkeypatch.setattr(output.os, "replace", locked)
    with pytest.raises(output.FileInUse) as caught:
        output.write_atomically(target, b"this month", attempts=2, pause=0)
    assert str(caught.value).startswith(f"Tệp {name} đang mở trong {program}: đóng tệp rồi thử lại")
    assert isinstance(caught.value, errors.StoreError)
    assert target.read_bytes() == b"last month"
    assert leftovers(tmp_path) == []


def test_a_sharing_violation_while_writing_is_named_too(tmp_path, monkeypatch):
    target = tmp_path / "so.xlsx"

    def writer(tmp):
        tmp.write_bytes(b"half")
        e = PermissionError(errno.EACCES, "sharing violation")
        e.winerror = 32
        raise e

    with pytest.raises(output.FileInUse, match="đang mở trong Excel"):
        output.write_atomically(target, writer)
    assert not target.exists() and leftovers(tmp_path) == []


def test_a_brief_lock_by_an_antivirus_is_waited_out(tmp_path, monkeypatch):
    real, calls = os.replace, []

    def flaky(src, dst):
        calls.append(dst)
        if len(calls) < 3:
            raise PermissionError(errno.EACCES, "Access is denied")
        real(src, dst)

    monkeypatch.setattr(output.os, "replace", flaky)
    output.write_atomically(tmp_path / "r.pdf", b"%PDF", pause=0)
    assert (tmp_path / "r.pdf").read_bytes() == b"%PDF" and len(calls) == 3 and leftovers(tmp_path) == []


def test_a_full_disk_is_named_and_leaves_nothing(tmp_path, monkeypatch):
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(output.os, "fsync", full)
    with pytest.raises(errors.DiskFull, match="đã đầy"):
        output.write_atomically(tmp_path / "r.pdf", b"%PDF")
    assert list(tmp_path.iterdir()) == []


def test_any_failure_of_the_writer_removes_the_temporary_file(tmp_path):
    def broken(tmp):
        tmp.write_bytes(b"half a document")
        raise ValueError("a bug in the document")

    with pytest.raises(ValueError):
        output.write_atomically(tmp_path / "r.docx", broken)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes any folder")
def test_an_unwritable_folder_is_named(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(errors.StoreError):
            output.write_atomically(folder / "r.pdf", b"%PDF")
    finally:
        folder.chmod(0o755)


# ---- the data folder: local, and the old one's data moved once, audited ---------------------

def test_the_old_roaming_data_moves_once_and_is_audited(tmp_path, sqlite_store):
    roaming, local = tmp_path / "Roaming" / "MotCua", tmp_path / "Local" / "MotCua"
    roaming.mkdir(parents=True)
    sqlite_store.set_settings({"office_name": "Bộ phận Một cửa xã Phượng Kỳ"})
    sqlite_store.close()
    Path(sqlite_store.path).rename(roaming / "motcua.db")
    (roaming / "backups").mkdir()
    (roaming / "backups" / "motcua-2025-01-01.db").write_bytes(b"backup")
    moved = data_folder.move_old_data(roaming, local, audit=main.audit_move)
    assert moved is not None and moved.new_db == local / "motcua.db"
    assert (local / "backups" / "motcua-2025-01-01.db").read_bytes() == b"backup"
    assert not (roaming / "motcua.db").exists()
    assert "Local" in (roaming / data_folder.NOTE_NAME).read_text(encoding="utf-8-sig")
    assert "Đã chuyển dữ liệu" in moved.message
    from db.store import Store

    store = Store.open(local / "motcua.db")
    try:
        assert store.settings()["office_name"] == "Bộ phận Một cửa xã Phượng Kỳ"
        assert "Roaming" in store.settings()["data_folder_moved"]
        entries = store.db.execute("SELECT after FROM audit_log WHERE entity = 'settings'").fetchall()
        assert any("data_folder_moved" in (row[0] or "") for row in entries)
    finally:
        store.close()
    (roaming / "motcua.db").write_bytes(b"an old version ran again")  # never moved twice
    assert data_folder.move_old_data(roaming, local, audit=lambda m: pytest.fail("moved twice")) is None


def test_nothing_moves_when_the_new_folder_has_data_or_the_old_none(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    never = lambda m: pytest.fail("nothing to move")  # noqa: E731
    assert data_folder.move_old_data(old, new, audit=never) is None
    (old / "motcua.db").write_bytes(b"old")
    (new / "motcua.db").write_bytes(b"new")
    assert data_folder.move_old_data(old, new, audit=never) is None
    assert (old / "motcua.db").read_bytes() == b"old" and (new / "motcua.db").read_bytes() == b"new"


# ---- the update notice ---------------------------------------------------------------------

def test_a_newer_version_in_a_shared_folder_file(tmp_path):
    f = tmp_path / "version.txt"
    f.write_text("99.0.0\n\\\\MAY-CHU\\PhanMem\\MotCua-99.0.0-setup.exe\n", encoding="utf-8")
    release = updates.newer_release(str(f))
    assert release is not None and release.where.endswith("MotCua-99.0.0-setup.exe")
    assert release.notice("0.1.0").startswith("Đã có phiên bản 99.0.0 của Một Cửa (máy này đang dùng 0.1.0)")
    f.write_text(version.__version__, encoding="utf-8")
    assert updates.newer_release(str(f)) is None
    f.write_text('{"version": "99.1", "note": "Sửa lỗi báo cáo quý"}', encoding="utf-8")
    release = updates.newer_release(str(f))
    assert release.where == str(tmp_path) and release.note == "Sửa lỗi báo cáo quý"


def test_an_unreadable_address_is_said_not_raised_as_a_crash(tmp_path):
    with pytest.raises(updates.UpdateCheckError, match="Không đọc được tệp phiên bản"):
        updates.newer_release(str(tmp_path / "missing.txt"))
    (tmp_path / "v.txt").write_text("<html>not found</html>", encoding="utf-8")
    with pytest.raises(updates.UpdateCheckError, match="không ghi số phiên bản"):
        updates.newer_release(str(tmp_path / "v.txt"))
    with pytest.raises(updates.UpdateCheckError, match="Chưa đặt"):
        updates.newer_release("  ")


@pytest.fixture
def version_server():
    """An HTTP server on 127.0.0.1 serving one version file, counting its requests."""
    state = {"body": b'{"version": "99.0.0", "where": "http://127.0.0.1/MotCua-99.0.0-setup.exe"}', "hits": 0}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            state["hits"] += 1
            if self.path != "/motcua/version.json":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(state["body"])

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state["url"] = f"http://127.0.0.1:{server.server_address[1]}/motcua/version.json"
    yield state
    server.shutdown()
    server.server_close()


def test_a_newer_version_on_a_web_server(version_server):
    release = updates.newer_release(version_server["url"], "0.1.0", timeout=5)
    assert release.version == "99.0.0" and version_server["hits"] == 1
    with pytest.raises(updates.UpdateCheckError, match="Không đọc được"):
        updates.newer_release(version_server["url"].replace("version.json", "nothing"), timeout=5)


def test_at_most_once_a_day():
    today = dt.date(2025, 9, 30)
    assert updates.due(None, today) and updates.due("", today) and updates.due("garbage", today)
    assert not updates.due("2025-09-30T08:15:00", today)
    assert updates.due("2025-09-29T17:00:00", today)


def test_the_window_checks_once_a_day_and_tells(qtbot, store, version_server, monkeypatch, tmp_path):
    from PySide6.QtCore import QSettings

    from gui import about
    from gui.main_window import MainWindow

    QSettings().remove(about.LAST_CHECK_KEY)
    store.set_settings({about.SOURCE_KEY: version_server["url"]})
    w = MainWindow(store)
    qtbot.addWidget(w)
    assert w.about_action.text().startswith("&Giới thiệu")
    task = about.check_daily(w)
    assert task is not None
    qtbot.waitUntil(lambda: getattr(w, "update_box", None) is not None, timeout=10000)
    task.wait()
    assert "Đã có phiên bản 99.0.0" in w.update_box.text()
    assert about.check_daily(w) is None and version_server["hits"] == 1  # not twice the same day
    dialog = about.show_about(w)
    assert version.__version__ in dialog.version_label.text()
    assert "Đã có phiên bản 99.0.0" in dialog.check_now() and version_server["hits"] == 2  # on demand
    dialog.close()
    QSettings().remove(about.LAST_CHECK_KEY)
