"""Start the desktop program: open (or recover) the database, sign in, then the window."""
from __future__ import annotations

import datetime as dt
import sqlite3
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QDialog, QProgressDialog

from db import backups
from db import errors
from db.store import Store, StoreError, restore
from gui import messages


QUICK_CHECK_BYTES = 100 * 1024 * 1024


def open_or_recover(db_path: Path, choose_file=None) -> Store | None:
    """Open the database; when it cannot be read, say so and offer the newest backup.

    ``choose_file`` picks another backup when the user declines the newest one.
    """
    try:
        store = Store.open(db_path)
        # a truncated file can open and fail later: check it now when that is quick
        # (a large one is checked on a worker once the window shows)
        try:
            if store.local_file is not None and store.local_file.stat().st_size < QUICK_CHECK_BYTES:
                result = store.db.execute("PRAGMA quick_check").fetchone()[0]
                if result != "ok":
                    raise errors.damaged(db_path, result)
        except BaseException:
            store.close()
            raise
        if store.read_only_reason:
            messages.error(None, store.read_only_reason)
        return store
    except (StoreError, sqlite3.DatabaseError) as exc:
        named = errors.classify(exc, db_path)
        if isinstance(named, sqlite3.DatabaseError):
            named = errors.damaged(db_path, str(exc))
        problem = str(named)
        if not named.offer_backup:  # a sound file that cannot be opened now: never replace it
            messages.error(None, problem)
            return None
    newest = backups.newest(db_path)
    if newest is not None and messages.ask(
            None, f"{problem}\n\nKhôi phục từ bản sao lưu mới nhất {newest.name} "
                  f"({dt.datetime.fromtimestamp(newest.stat().st_mtime):%d/%m/%Y %H:%M})?"):
        source = newest
    else:
        source = choose_file() if choose_file else None
        if not source:
            messages.error(None, f"{problem}\n\nChưa khôi phục. Dữ liệu cũ vẫn được giữ nguyên tại "
                                 f"{errors.shown(db_path)}.")
            return None
    try:
        aside = restore(db_path, source)
    except StoreError as exc:
        messages.error(None, f"Không khôi phục được: {exc}")
        return None
    messages.info(None, f"Đã khôi phục từ {Path(source).name}. Tệp hỏng được giữ lại tại {aside}.")
    return Store.open(db_path)


def daily_care(store: Store, today: dt.date | None = None, messages_allowed: bool = True) -> None:
    """``core.ops.daily.daily_care``, its problems told (or raised together, on a worker)."""
    from core.ops.daily import daily_care as care

    done = care(store, today)
    if done.problems:
        text = "\n".join(done.problems)
        if not messages_allowed:
            raise OSError(text)
        messages.error(None, text)


def first_run(store: Store, parent=None) -> None:
    """Ask for the office details on an empty database; offer demo data."""
    from PySide6.QtCore import Qt

    from gui.first_run import FirstRunDialog

    dialog = FirstRunDialog(store.settings(), parent)
    if not dialog.exec():
        return
    from core import ops

    try:
        ops.save_office(store, dialog.values())
    except Exception as exc:  # busy, read-only…: told by cause; the office details can be set later
        from gui.operations import report

        report(parent, exc, store.path)
        return
    if dialog.demo.isChecked():
        progress = QProgressDialog("Đang tạo dữ liệu mẫu…", None, 0, 4000, parent)
        progress.setWindowModality(Qt.WindowModality.ApplicationModal)
        progress.setMinimumDuration(0)
        ops.add_demo_cases(store, cases=4000,
                           progress=lambda d, t: (progress.setValue(d), QApplication.processEvents()))
        progress.close()


def sign_in(store: Store) -> dict | None:
    from core import ops
    from db.users import AuthError
    from gui.sign_in import SignInDialog, UserDialog

    username = None
    if not store.users.any():
        first = UserDialog(store, first=True)
        if first.exec() != QDialog.DialogCode.Accepted:
            return None
        # the administrator just created is signed in: she typed her password twice a moment ago
        try:
            user = store.users.authenticate(first.username.text().strip(), first.password.text())
        except (AuthError, StoreError):
            username = first.username.text().strip()  # else the sign-in, her name filled in
        else:
            try:
                ops.remember(store, "last_user", user["username"])
            except StoreError:
                pass
            return user
    dialog = SignInDialog(store, username=username)
    return dialog.user if dialog.exec() == QDialog.DialogCode.Accepted else None


def choose_location(db_path: Path):
    """Where the data is, when ``--db`` did not say: ``(location, store)``. The choice made at the
    first start (a file on this PC or the office's server) is asked for when there is none yet; a
    server that cannot be reached now is shown in the same dialog, filled in, to try again."""
    from PySide6.QtCore import QSettings

    from db.dialect import is_url
    from gui.connect_dialog import ConnectDialog

    settings = QSettings("MotCua", "MotCua")
    saved = settings.value("database")
    dialog = ConnectDialog(Path(db_path))
    if saved and is_url(saved):
        try:
            return saved, Store.open(saved)
        except StoreError as exc:
            dialog.prefill(saved, str(exc))
    elif saved:
        return Path(saved), None
    elif Path(db_path).exists():
        return db_path, None
    if not dialog.exec():
        return None, None
    settings.setValue("database", str(dialog.location))
    return dialog.location, dialog.store


def run_window(db_path: Path, explicit: bool = True) -> int:
    from gui.platform_check import problem

    missing = problem() if QApplication.instance() is None else None
    if missing:
        print(missing, file=sys.stderr)
        return 1
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationDisplayName("Một Cửa")
    from gui import locale
    from gui.restore_dialog import choose_backup

    locale.install(app)  # Qt's own buttons, dialogs and calendar in Vietnamese
    store = None
    if not explicit:
        db_path, store = choose_location(db_path)
        if db_path is None:
            return 0
    store = store or open_or_recover(db_path, choose_file=lambda: choose_backup(db_path))  # only this database's backups
    if store is None:
        return 1
    if store.case_count() == 0 and not store.settings().get("place"):
        first_run(store)
    from gui.main_window import MainWindow

    import core.ops as operations

    # the loop ends when the main window closes, not when the last window does: the sign-in
    # dialog between two windows (Đăng xuất / Đổi người dùng) must not end the program
    quit_on_last = app.quitOnLastWindowClosed()
    app.setQuitOnLastWindowClosed(False)
    code, started = 0, False
    while True:  # Tệp → Đăng xuất / Đổi người dùng come back here for a new sign-in
        user = sign_in(store)
        if user is None:
            break
        store.sign_in_as(user)
        window = MainWindow(store)
        window.closed.connect(app.quit)
        window.show_on_screen()
        if not started:
            window.start_integrity_check()  # then the daily backup, both on a worker
            started = True
        code = app.exec()
        again = window.after_close
        window.deleteLater()
        store.sign_in_as(None)
        if not again:
            break
        # after a sign-out or a change of user the next person is not offered the last one's name
        try:
            operations.remember(store, "last_user", "")
        except StoreError:
            pass  # only a preference (a file opened for reading only keeps none)
    app.setQuitOnLastWindowClosed(quit_on_last)
    store.close()
    return code
