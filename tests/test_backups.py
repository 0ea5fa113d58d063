import datetime as dt

from db import backups
from db.store import Store, restore

D = dt.date


def test_rotation_keeps_seven_days_four_weeks_twelve_months():
    today = D(2026, 11, 22)
    days = [today - dt.timedelta(days=i) for i in range(500)]
    keep = backups.to_keep(days, today)
    assert len(keep) == 7 + 4 + 12
    assert set(days[:7]) <= keep
    older = sorted((d for d in keep if d < days[6]), reverse=True)
    weekly, monthly = older[:4], older[4:]
    assert len({d.isocalendar()[:2] for d in weekly}) == 4  # one a week
    assert weekly[-1] >= days[6] - dt.timedelta(days=35)  # the four weeks just before
    assert len({(d.year, d.month) for d in monthly}) == 12  # one a month
    assert min(monthly) >= D(2025, 9, 1)  # about a year back, no more


def test_rotation_with_few_backups_keeps_them_all():
    today = D(2026, 11, 22)
    days = [D(2026, 11, 22), D(2026, 11, 20), D(2026, 10, 1)]
    assert backups.to_keep(days, today) == set(days)


def test_a_daily_backup_is_taken_once_a_day_and_rotated(tmp_path):
    store = Store.open(tmp_path / "office.db")
    folder = backups.folder(store.path)
    folder.mkdir()
    for i in range(1, 40):  # old backups of earlier days
        (folder / f"office-{(D(2026, 11, 21) - dt.timedelta(days=i)).isoformat()}.db").write_bytes(b"x")
    made = backups.daily_backup(store, D(2026, 11, 22))
    assert made == folder / "office-2026-11-22.db" and made.stat().st_size > 0
    assert backups.daily_backup(store, D(2026, 11, 22)) is None  # once a day
    left = backups.daily_backups(store.path)
    assert len(left) == len(backups.to_keep(list(left), D(2026, 11, 22)))
    assert len(left) < 40


def test_migration_and_restore_copies_go_to_the_backup_folder(tmp_path):
    import sqlite_utils

    from db.migrations import migrations

    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    migrations.apply(db, stop_before="m002_indexes")
    db.conn.close()
    Store.open(path).close()
    assert len(list(backups.folder(path).glob("old-before-migration-*.db"))) == 1
    source = tmp_path / "copy.db"
    store = Store.open(path)
    store.backup(source)
    store.close()
    restore(path, source)
    assert len(list(backups.folder(path).glob("old-before-restore-*.db"))) == 1
    assert backups.newest(path) is not None


def test_the_window_takes_the_days_backup_on_a_worker(qtbot, tmp_path, monkeypatch):
    from gui import messages
    from gui.main_window import MainWindow

    monkeypatch.setattr(messages, "error", lambda *a, **k: (_ for _ in ()).throw(AssertionError(a)))
    store = Store.open(tmp_path / "office.db")
    w = MainWindow(store)
    qtbot.addWidget(w)
    w.show()
    w.start_integrity_check()
    qtbot.waitUntil(lambda: backups.daily_name(store.path, dt.date.today()).exists() and w.task is None,
                    timeout=15000)
    w.close()
