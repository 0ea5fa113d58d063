"""A damaged database file gets a clear message and a restore, never a traceback."""
import datetime as dt
import os

import pytest

from db import backups
from core.files import demo
from db.store import Store
from gui import app, messages
from tests.test_cli import cli


@pytest.fixture
def office(tmp_path):
    path = tmp_path / "office.db"
    store = Store.open(path)
    demo.generate(store, cases=800, seed=3, today=dt.date(2026, 11, 20))
    backups.daily_backup(store, dt.date(2026, 11, 21))
    store.close()
    return path




def damage(path, how):
    data = path.read_bytes()
    for suffix in ("-wal", "-shm"):
        (path.parent / (path.name + suffix)).unlink(missing_ok=True)
    if how == "truncated":
        path.write_bytes(data[: len(data) // 3])
    elif how == "garbage":
        path.write_bytes(os.urandom(len(data)))
    else:  # garbage after an intact first page
        path.write_bytes(data[:4096] + os.urandom(len(data) - 4096))


@pytest.mark.parametrize("how", ["truncated", "garbage", "garbage-after-header"])
def test_a_damaged_file_is_told_and_restored_from_the_newest_backup(office, said, how):
    damage(office, how)
    store = app.open_or_recover(office)
    assert store is not None
    asked = [text for kind, text in said if kind == "ask"]
    assert asked and "bị hỏng" in asked[0]
    assert "office-2026-11-21.db" in asked[0]
    assert store.case_count() == 800 and store.check() == []
    assert any("Đã khôi phục" in text for kind, text in said if kind == "info")
    assert list(backups.folder(office).glob("office-before-restore-*.db"))  # the damaged file is kept
    store.close()


def test_declining_the_restore_changes_nothing(office, monkeypatch, said):
    damage(office, "garbage")
    before = office.read_bytes()
    monkeypatch.setattr(messages, "ask", lambda *a, **k: False)
    assert app.open_or_recover(office) is None
    assert office.read_bytes() == before
    assert "Chưa khôi phục" in said[-1][1]


@pytest.mark.parametrize("how", ["truncated", "garbage"])
def test_commands_on_a_damaged_file_give_a_message_not_a_traceback(office, how):
    damage(office, how)
    for args in (("check",), ("indicators", "--period", "2025", "--json"), ("export", str(office) + ".csv")):
        r = cli(*args, db=office)
        assert r.returncode == 1, (args, r.stdout, r.stderr)
        assert "Traceback" not in r.stderr
        assert "hỏng" in r.stderr or "không phải cơ sở dữ liệu" in r.stderr or "Không mở được" in r.stderr
